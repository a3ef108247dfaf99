"""Each town read as the town reads itself: the same loader, the same checks.

``CountyRead.towns`` yields one :class:`TownLoad` a town, in the manifest's order, each town's data
read when it is asked for, so that a caller holding one town at a time (the county's
picture, an export) never holds them all. A town's repository is another's: its files
are read with the limits of any file (``repo.snapshot``), its templates never run, and
git runs in it only with the untrusted options (``repo.git.town_commit``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from safeplan.models.rollup import COUNTY_FILE, CountyFile, TownEntry
from safeplan.models.views import Overview
from safeplan.problems import N_, Problem
from safeplan.repo import PLAN_FILE, Repository, load
from safeplan.repo.git import town_commit
from safeplan.repo.hazardfile import Keep
from safeplan.repo.warm import Warm
from safeplan.rollup.manifest import town_places
from safeplan.rollup.sync import Fetched, read_fetched, town_root


class TownLoad(NamedTuple):
    """One town: where its files are, its checked Repository (None: it cannot be read,
    ``problems`` say why), the commit read, and its last fetch."""

    town: TownEntry
    root: Path
    repo: Repository | None
    commit: str | None
    fetched: Fetched | None
    #: Why the town cannot be rolled up (its files' own problems are in ``repo``).
    problems: tuple[Problem, ...] = ()
    #: A town unchanged since its last full read, and the day view then kept: its problems
    #: (``repo/warm.py``) and its ``status`` view, the town not read (``repo`` is None;
    #: only with ``towns(view_day=…)``, for the county's picture).
    kept: tuple[Warm, Overview] | None = None


def _missing(town: TownEntry, root: Path, at: tuple[int, int]) -> Problem:
    if town.git is not None:
        return Problem(
            COUNTY_FILE,
            *at,
            "town-not-fetched",
            N_("{town} has not been fetched yet: run 'safeplan rollup fetch'"),
            {"town": town.name},
        )
    return Problem(
        COUNTY_FILE,
        *at,
        "town-missing",
        N_("{town}'s folder {path} does not exist: correct its 'path' in county.yaml"),
        {"town": town.name, "path": str(town.path)},
    )


def load_town(
    county_root: Path,
    town: TownEntry,
    today: dt.date,
    cache: bool,
    fetched: Fetched | None = None,
    at: tuple[int, int] = (1, 1),
    keep: Keep | None = None,
    view_day: dt.date | None = None,
) -> TownLoad:
    """One town, read and checked against ``today`` (as the town's own commands do;
    ``keep``: what else an output needs of each hazard record, made in the same read;
    ``view_day``: the day of the picture, whose view an unchanged town serves as kept)."""
    root = town_root(county_root, town)
    if not root.is_dir():
        return TownLoad(town, root, None, None, fetched, (_missing(town, root, at),))
    if not (root / PLAN_FILE).is_file():
        problem = Problem(
            PLAN_FILE.as_posix(),
            1,
            1,
            "town-no-plan",
            N_("{town} has no {file}: it is not a safeplan plan repository"),
            {"town": town.name, "file": PLAN_FILE.as_posix()},
        )
        return TownLoad(town, root, None, town_commit(root), fetched, (problem,))
    if view_day is not None and cache and keep is None:
        served = _served(root, today, view_day)
        if served is not None:
            return TownLoad(town, root, None, town_commit(root), fetched, (), served)
    repo = load(root, today=today, cache=cache, keep=keep)
    commit = town_commit(root)
    if repo.plan is None:  # plan.yaml cannot be read: nothing of the town can be trusted
        broken = tuple(p for p in repo.problems if p.severity == "error")
        return TownLoad(town, root, None, commit, fetched, broken)
    return TownLoad(town, root, repo, commit, fetched)


def _served(root: Path, today: dt.date, view_day: dt.date) -> tuple[Warm, Overview] | None:
    """A town that has not changed since its last full read, with the day view it kept."""
    from safeplan.repo.warm import warm_plan
    from safeplan.views.kept import kept_overview

    warm = warm_plan(root, today)
    if warm is None or not warm.plan_read:
        return None
    view = kept_overview(warm, view_day)
    return None if view is None else (warm, view)


@dataclass(frozen=True)
class CountyRead:
    """How a command reads the county: its towns and its own plan, with the same day,
    cache, keeper and day view. ``view_day``: the county's picture's day; a town whose kept
    view serves it is not read (``TownLoad.kept``)."""

    root: Path
    county: CountyFile
    today: dt.date
    cache: bool = True
    keep: Keep | None = None
    view_day: dt.date | None = None

    def towns(self) -> Iterator[TownLoad]:
        """Every town of the manifest, one at a time: for the county's picture, and for any
        output of the towns' data (an export takes ``repo`` and ``commit`` of each)."""
        fetched = read_fetched(self.root)
        places = town_places(self.root, self.county)
        for town in self.county.towns:
            at = places.get(town.code, (1, 1))
            yield load_town(
                self.root, town, self.today, self.cache, fetched.get(town.code), at,
                self.keep, self.view_day,
            )  # fmt: skip

    def own(self) -> TownLoad | None:
        """The county's own plan (its repository is a plan repository too: its own hazards,
        found by county inspections), or None when it keeps none."""
        if not (self.root / PLAN_FILE).is_file():
            return None
        me = TownEntry(name=self.county.name, code=self.county.code, path=".")
        return load_town(
            self.root, me, self.today, self.cache, keep=self.keep, view_day=self.view_day
        )
