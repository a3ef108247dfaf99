"""The towns' read-only clones in ``.safeplan-towns/<code>/``, and what the last fetch did.

``rollup fetch`` brings each town given by a git URL to the last commit of its branch or
tag. A town that cannot be reached keeps the clone it had: its data is that of the last
fetch that worked, whose day ``fetched.json`` keeps (the day comes from the command line:
nothing here reads the clock).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from safeplan import fsio
from safeplan.models.rollup import FETCHED_FILE, TOWNS_DIR, CountyFile, TownEntry
from safeplan.repo.git import GitFailed, GitMissing, town_clone, town_update
from safeplan.yamlio import YamlProblem, read_text

#: Keeps the clones out of the county's own commits, whatever its .gitignore says.
_IGNORE_ALL = b"# The towns' read-only clones (safeplan rollup fetch): never committed.\n*\n"


class Fetched(NamedTuple):
    """What fetching one town last did."""

    #: The day of the last fetch that worked (None: never).
    on: dt.date | None = None
    commit: str | None = None
    #: What went wrong the last time (None: the last fetch worked).
    error: str | None = None
    #: The day of the last attempt.
    tried_on: dt.date | None = None


def towns_dir(root: Path) -> Path:
    return root / TOWNS_DIR


def town_root(root: Path, town: TownEntry) -> Path:
    """Where a town's files are read: its clone, or its own folder (``path``, from the
    county repository)."""
    if town.git is not None:
        return towns_dir(root) / town.code
    return root / str(town.path)


def _day(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _text(value: object) -> str | None:
    return value[:2000] if isinstance(value, str) else None


def read_fetched(root: Path) -> dict[str, Fetched]:
    """Each town's last fetch, by area code (a file that is not ours counts as no fetch)."""
    try:
        data = json.loads(read_text(towns_dir(root) / FETCHED_FILE))
    except (OSError, ValueError, YamlProblem, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, Fetched] = {}
    for code, raw in data.items():
        if isinstance(raw, dict):
            out[str(code)] = Fetched(
                _day(raw.get("on")),
                _text(raw.get("commit")),
                _text(raw.get("error")),
                _day(raw.get("tried_on")),
            )
    return out


def _write_fetched(root: Path, fetched: dict[str, Fetched]) -> None:
    folder = towns_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        fsio.create(ignore, _IGNORE_ALL)
    data = {
        code: {
            "on": f.on.isoformat() if f.on else None,
            "commit": f.commit,
            "error": f.error,
            "tried_on": f.tried_on.isoformat() if f.tried_on else None,
        }
        for code, f in sorted(fetched.items())
    }
    path = folder / FETCHED_FILE
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    fsio.write(path, text.encode("utf-8"), fsio.current(path))


class FetchResult(NamedTuple):
    town: TownEntry
    #: None: a local folder, read where it is (nothing to fetch).
    fetched: Fetched | None
    #: Whether this fetch changed the commit.
    changed: bool = False


def fetch(
    root: Path, county: CountyFile, today: dt.date, only: Sequence[str] = ()
) -> list[FetchResult]:
    """Clone or update every town given by a git URL (or those of ``only``, by code or
    name); a town that fails keeps its clone and its last day. git missing stops it all."""
    state = read_fetched(root)
    results: list[FetchResult] = []
    for town in county.towns:
        if only and town.code not in only and town.name not in only:
            continue
        if town.git is None:
            results.append(FetchResult(town, None))
            continue
        before = state.get(town.code, Fetched())
        dest = town_root(root, town)
        try:
            if (dest / ".git").is_dir():
                commit = town_update(dest, town.git, town.ref)
            else:
                commit = town_clone(town.git, dest, town.ref)
        except GitMissing:
            raise
        except GitFailed as exc:
            now = before._replace(error=str(exc.error), tried_on=today)
            state[town.code] = now
            results.append(FetchResult(town, now))
            continue
        now = Fetched(today, commit, None, today)
        state[town.code] = now
        results.append(FetchResult(town, now, commit != before.commit))
        _write_fetched(root, state)  # after each town: an interrupted fetch keeps what it did
    _write_fetched(root, state)
    return results
