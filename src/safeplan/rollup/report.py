"""The county's report of a period: each town's own report (``views.reports``) and the
county's picture as of the period's last day, read in one pass over the towns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path

from safeplan.models.reports import FIGURES, Split
from safeplan.models.rollup import CountyFile, CountyReport, TownPeriod
from safeplan.periods import Span
from safeplan.rollup.load import TownLoad
from safeplan.rollup.picture import county_status
from safeplan.views.reports import period_view, report


def sum_splits(parts: Iterable[dict[str, Split]]) -> dict[str, Split]:
    """The towns' period figures added up, count by count."""
    out = {name: Split() for name in FIGURES}
    for figures in parts:
        for name, split in figures.items():
            have = out.setdefault(name, Split())
            by_level = dict(have.by_level)
            for k, v in split.by_level.items():
                by_level[k] = by_level.get(k, 0) + v
            by_source = dict(have.by_source)
            for k, v in split.by_source.items():
                by_source[k] = by_source.get(k, 0) + v
            out[name] = Split(
                total=have.total + split.total, by_level=by_level, by_source=by_source
            )
    return out


def county_report(
    county_root: Path,
    county: CountyFile,
    loads: Iterable[TownLoad],
    span: Span,
    as_of: dt.date,
    version: str,
    own: TownLoad | None = None,
) -> CountyReport:
    """The report of ``span`` as of ``as_of``: the towns' own reports' figures, and the
    county's picture of that day."""
    periods: list[TownPeriod] = []

    def passing(loads: Iterable[TownLoad]) -> Iterator[TownLoad]:
        for load in loads:
            periods.append(_town_period(load, span, as_of, version))
            yield load

    status = county_status(county_root, county, passing(loads), as_of, own)
    return CountyReport(
        as_of=as_of,
        period=period_view(span),
        county=status,
        towns=periods,
        figures=sum_splits(p.figures for p in periods if p.loaded),
        version=version,
    )


def _town_period(load: TownLoad, span: Span, as_of: dt.date, version: str) -> TownPeriod:
    base = TownPeriod(name=load.town.name, code=load.town.code, commit=load.commit)
    if load.repo is None:
        return base
    # The town's own report, as the town would make it (its commit is the data version;
    # git is not asked about the town's working tree: ``git status`` is not safe there).
    town = report(load.repo, span, as_of, version=version)
    return base.model_copy(
        update={"loaded": True, "figures": town.figures, "headline": town.headline}
    )
