"""The one way a typed hazard id becomes an id: the id (or its end), or — when officers type
what they remember, 深基坑 or 百佳购物广场 — the hazards whose names hold it, listed with
their ids for the person to choose. Never a guess: a name is never taken for an id."""

from __future__ import annotations

from pathlib import Path

from safeplan.errors import UsageError
from safeplan.models.summary import search_words
from safeplan.problems import N_, ListOf
from safeplan.repo.layout import hazard_ids, resolve_hazard_id
from safeplan.repo.snapshot import read_snapshot

#: How many matches a message lists.
SHOWN = 10


def resolve_hazard(root: Path, typed: str) -> str:
    """The hazard id meant by ``typed``; a usage error listing the hazards whose title,
    enterprise or location holds it when it is no id (the id is returned unchanged when
    nothing matches, for the caller to say it is no hazard)."""
    hazard_id = resolve_hazard_id(root, typed)
    if hazard_id in set(hazard_ids(root)):
        return hazard_id
    words = search_words(typed)
    if not words:
        return hazard_id
    found = sorted(
        (h for h in read_snapshot(root).hazards if h.mentions(words)),
        key=lambda h: (h.discovered_on, h.id),
    )
    if len(found) == 1:
        raise UsageError(
            N_(
                "'{typed}' is not a hazard id; one hazard's title, enterprise or location holds "
                "it: {id} ({title}): give its id {id}"
            ),
            typed=typed,
            id=found[0].id,
            title=found[0].title,
        )
    if found:
        shown = [f"{h.id} {h.title}" for h in found[:SHOWN]]
        raise UsageError(
            N_(
                "'{typed}' is not a hazard id; {n} hazards' titles, enterprises or locations "
                "hold it: {hazards}: give the id of the one you mean (safeplan hazard list "
                "--search lists them all)"
            ),
            typed=typed,
            n=len(found),
            hazards=ListOf(shown + (["…"] if len(found) > SHOWN else [])),
        )
    return hazard_id
