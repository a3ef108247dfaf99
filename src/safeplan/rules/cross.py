"""Rules across files: what a task or a hazard names must exist elsewhere in the plan.

They run on the records after every file has been read on its own, so that reading
a hazard never depends on data/units.yaml. Findings name the file they belong to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from safeplan.models.records import Task
from safeplan.models.summary import HazardSummary
from safeplan.problems import N_, Finding, ListOf
from safeplan.rules.hints import UNKNOWN_UNIT, closest


class HazardRef(NamedTuple):
    """What other files' rules need of one hazard file, even when its record is invalid."""

    path: str
    id: str | None
    unit: str | None


class FileFinding(NamedTuple):
    path: str
    finding: Finding


def unknown_unit(path: tuple[str | int, ...], name: str, unit_names: Sequence[str]) -> Finding:
    return Finding(
        path,
        "unknown-unit",
        UNKNOWN_UNIT,
        {"name": name, "closest": ListOf(closest(name, unit_names))},
    )


def check_task_references(
    tasks: Sequence[Task], action_numerals: Sequence[str], unit_names: Sequence[str] | None
) -> list[Finding]:
    """Each task's action is one of the plan's; each unit one of data/units.yaml's.

    ``unit_names`` is None when data/units.yaml could not be read: then units are not checked.
    """
    out: list[Finding] = []
    for i, task in enumerate(tasks):
        if task.action not in action_numerals:
            out.append(
                Finding(
                    ("tasks", i, "action"),
                    "unknown-action",
                    N_(
                        "task {number} belongs to action （{action}）, which plan/plan.yaml "
                        "does not have: use one of {actions}, or add the action to the plan"
                    ),
                    {
                        "number": task.number,
                        "action": task.action,
                        "actions": ListOf(dict.fromkeys(action_numerals)),
                    },
                )
            )
        if unit_names is None:
            continue
        for j, unit in enumerate(task.units):
            if unit not in unit_names:
                out.append(unknown_unit(("tasks", i, "units", j), unit, unit_names))
    return out


def check_hazard_references(
    refs: Iterable[HazardRef], unit_names: Sequence[str]
) -> list[FileFinding]:
    """Each hazard's responsible unit is one of data/units.yaml's."""
    names = set(unit_names)
    out: list[FileFinding] = []
    for ref in refs:
        if ref.unit is not None and ref.unit.strip() and ref.unit not in names:
            out.append(
                FileFinding(ref.path, unknown_unit(("responsible_unit",), ref.unit, unit_names))
            )
    return out


def _repeated(
    refs: Iterable[HazardRef], key: Callable[[str], str]
) -> Iterator[tuple[HazardRef, HazardRef]]:
    """Each hazard whose id, by ``key``, an earlier one already had, with that first one."""
    seen: dict[str, HazardRef] = {}
    for ref in refs:
        if ref.id is not None:
            first = seen.setdefault(key(ref.id), ref)
            if first is not ref:
                yield ref, first


def check_case_collisions(refs: Iterable[HazardRef]) -> list[FileFinding]:
    """Ids that differ only in case: Windows and macOS keep one file of the two."""
    out: list[FileFinding] = []
    for ref, first in _repeated(refs, str.casefold):
        if first.id != ref.id:  # the same id twice is check_duplicate_ids's
            out.append(
                FileFinding(
                    ref.path,
                    Finding(
                        ("id",),
                        "case-collision",
                        N_(
                            "hazard id '{id}' differs from '{other}' ({path}) only in case: "
                            "Windows and macOS keep one file of the two; renumber one "
                            "(safeplan hazard renumber {id} NEW)"
                        ),
                        {"id": ref.id, "other": first.id, "path": first.path},
                    ),
                )
            )
    return out


def check_duplicate_ids(refs: Iterable[HazardRef]) -> list[FileFinding]:
    """Two files holding the same hazard id: the second is reported (and not counted)."""
    out: list[FileFinding] = []
    for ref, first in _repeated(refs, str):
        if first.path != ref.path:
            out.append(
                FileFinding(
                    ref.path,
                    Finding(
                        ("id",),
                        "duplicate-hazard",
                        N_("hazard id '{id}' is also used by {other}: give each hazard its own id"),
                        {"id": ref.id, "other": first.path},
                    ),
                )
            )
    return out


def check_probable_duplicates(hazards: Iterable[HazardSummary]) -> list[FileFinding]:
    """Two files with the same registration under different ids: one hazard registered twice,
    or copied (a renumbering done by hand, or interrupted)."""
    seen: dict[tuple[object, ...], HazardSummary] = {}
    out: list[FileFinding] = []
    for h in hazards:
        key = (h.discovered_on, h.title, h.responsible_unit, h.enterprise, h.location)
        first = seen.setdefault(key, h)
        if first.id != h.id:
            out.append(
                FileFinding(
                    h.path,
                    Finding(
                        ("id",),
                        "probable-duplicate",
                        N_(
                            "{id} looks like the same hazard as {other} ({path}): the same "
                            "discovery day, title and unit; if it was registered twice, "
                            "withdraw one (safeplan hazard withdraw {id} --reason …)"
                        ),
                        {"id": h.id, "other": first.id, "path": first.path},
                        severity="warning",
                    ),
                )
            )
    return out
