"""The county's picture: each town's own view models, summed.

Every figure of a town is a count its ``status`` view model (``views.overview``) holds,
taken as it is; the county's figures are those counts added up (a percentage is taken of
the sums, by ``views.rates.counted``, as a town's is). The breakdowns by industry, source
and level group the towns' own hazard rows (``HazardRow``) and rate them with
``views.rates.rates``, the one definition of 整改率 and 销号率.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from itertools import chain
from pathlib import Path

from safeplan.models.enterprise_views import DutiesView
from safeplan.models.rollup import (
    BreakdownRow,
    CountyFile,
    CountyStatus,
    CountySupervision,
    DutyTotals,
    EnterpriseFigures,
    Figures,
    RankRow,
    SupervisedRow,
    TownProblem,
    TownView,
)
from safeplan.models.views import HazardRow, Overview, Rates
from safeplan.problems import Problem
from safeplan.rollup.load import TownLoad
from safeplan.views.overview import cached_overview
from safeplan.views.rates import counted, is_closed, rates

#: How many of a town's problems the picture lists (``safeplan validate`` in the town's
#: folder lists them all).
PROBLEMS_SHOWN = 20


def _add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


def sum_rates(parts: Iterable[Rates]) -> Rates:
    """Rates of several sets of hazards: their counts added, the percentages of the sums."""
    found = rectified = closed = major_found = major_rectified = 0
    for r in parts:
        found += r.found
        rectified += r.rectified
        closed += r.closed
        major_found += r.major_found
        major_rectified += r.major_rectified
    return counted(found, rectified, closed, major_found, major_rectified)


def enterprise_figures(duties: DutiesView | None) -> EnterpriseFigures | None:
    """A town's enterprise figures: counts its ``Overview.enterprises`` holds (None: the
    town keeps no enterprises)."""
    if duties is None:
        return None
    return EnterpriseFigures(
        enterprises=duties.enterprises,
        high_risk=duties.high_risk,
        behind=len(duties.behind),
        expired=len(duties.expired),
        # A town's totals of a duty are its DutyFigure's counts, field for field.
        duties=[DutyTotals.model_validate(f, from_attributes=True) for f in duties.duties],
    )


def sum_enterprises(parts: Iterable[EnterpriseFigures | None]) -> EnterpriseFigures | None:
    """The towns' enterprise figures added up, duty by duty (by its id, in the order the
    towns first name them); None when no town keeps enterprises."""
    have = [p for p in parts if p is not None]
    if not have:
        return None
    duties: dict[str, DutyTotals] = {}
    for p in have:
        for d in p.duties:
            was = duties.get(d.duty)
            duties[d.duty] = (
                d
                if was is None
                else was.model_copy(
                    update={
                        "total": was.total + d.total,
                        "done": was.done + d.done,
                        "due": was.due + d.due,
                        "overdue": was.overdue + d.overdue,
                    }
                )
            )
    return EnterpriseFigures(
        enterprises=sum(p.enterprises for p in have),
        high_risk=sum(p.high_risk for p in have),
        behind=sum(p.behind for p in have),
        expired=sum(p.expired for p in have),
        duties=list(duties.values()),
    )


def town_figures(ov: Overview) -> Figures:
    """A town's figures: counts its ``status`` view model holds."""
    items = ov.hazards.items
    supervised: dict[str, int] = {}
    funds: dict[str, Decimal] = {}
    for row in items:
        if row.supervised and row.supervision_level:
            supervised[row.supervision_level] = supervised.get(row.supervision_level, 0) + 1
        if row.funds is not None:
            funds[row.level] = funds.get(row.level, Decimal(0)) + row.funds
    goals: dict[str, int] = {}
    for g in ov.goals:
        goals[g.verdict] = goals.get(g.verdict, 0) + 1
    overdue = set(ov.hazards.overdue)
    return Figures(
        towns=1,
        tasks=dict(ov.tasks.counts),
        hazards={level: dict(c) for level, c in ov.hazards.counts.items()},
        hazards_total=ov.hazards.total,
        overdue=len(ov.hazards.overdue),
        overdue_major=sum(1 for r in items if r.id in overdue and r.level == "major"),
        plan_missing=len(ov.hazards.plan_missing),
        invalid=len(ov.hazards.invalid),
        withdrawn=len(ov.hazards.withdrawn),
        rates=ov.hazards.rates,
        supervised=supervised,
        funds=funds,
        goals=goals,
        problems=ov.problems,
        enterprises=enterprise_figures(ov.enterprises),
    )


def sum_figures(parts: Iterable[Figures]) -> Figures:
    """The towns' figures added up."""
    total = Figures()
    all_rates: list[Rates] = []
    enterprises: list[EnterpriseFigures | None] = []
    for f in parts:
        all_rates.append(f.rates)
        enterprises.append(f.enterprises)
        hazards = {level: dict(c) for level, c in total.hazards.items()}
        for level, c in f.hazards.items():
            hazards[level] = _add(hazards.get(level, {}), c)
        funds = dict(total.funds)
        for level, amount in f.funds.items():
            funds[level] = funds.get(level, Decimal(0)) + amount
        total = Figures(
            towns=total.towns + f.towns,
            tasks=_add(total.tasks, f.tasks),
            hazards=hazards,
            hazards_total=total.hazards_total + f.hazards_total,
            overdue=total.overdue + f.overdue,
            overdue_major=total.overdue_major + f.overdue_major,
            plan_missing=total.plan_missing + f.plan_missing,
            invalid=total.invalid + f.invalid,
            withdrawn=total.withdrawn + f.withdrawn,
            supervised=_add(total.supervised, f.supervised),
            funds=funds,
            goals=_add(total.goals, f.goals),
            problems=total.problems + f.problems,
        )
    return total.model_copy(
        update={"rates": sum_rates(all_rates), "enterprises": sum_enterprises(enterprises)}
    )


class _Breakdown:
    """Hazard rows grouped by one of their fields, counted as they come (rows are not kept)."""

    def __init__(self) -> None:
        self.rows: dict[str | None, list[int]] = {}
        self.funds: dict[str | None, Decimal] = {}
        self.rates: dict[str | None, list[Rates]] = {}

    def add_group(self, key: str | None, counts: list[int], funds: Decimal, r: Rates) -> None:
        """One group's counts (found, open, overdue, major), funds and rates added."""
        have = self.rows.setdefault(key, [0, 0, 0, 0])
        for i, n in enumerate(counts):
            have[i] += n
        self.funds[key] = self.funds.get(key, Decimal(0)) + funds
        self.rates.setdefault(key, []).append(r)

    def result(self, order: Iterable[str] = ()) -> list[BreakdownRow]:
        ranked = {k: i for i, k in enumerate(order)}
        keys = sorted(
            self.rows, key=lambda k: (k is None, ranked.get(k or "", len(ranked)), k or "")
        )
        return [
            BreakdownRow(
                key=k,
                found=self.rows[k][0],
                open=self.rows[k][1],
                overdue=self.rows[k][2],
                major=self.rows[k][3],
                rates=sum_rates(self.rates[k]),
                funds=self.funds[k],
            )
            for k in keys
        ]


class _Breakdowns:
    """The three breakdowns (industry, source, level), fed in one pass over a town's rows.

    The rows are grouped once by all three fields together and each small group is
    counted and rated once (``views.rates.rates``); every breakdown adds up the groups
    that share its field. Rates add up (``sum_rates``), so the figures are those of
    grouping by each field alone, for a third of the work on 100,000 rows.
    """

    def __init__(self) -> None:
        self.industry = _Breakdown()
        self.source = _Breakdown()
        self.level = _Breakdown()

    def add(self, rows: list[HazardRow]) -> None:
        groups: dict[tuple[str | None, str | None, str | None], list[HazardRow]] = {}
        for row in rows:
            key = (row.industry, row.source, row.level)
            group = groups.get(key)
            if group is None:
                groups[key] = [row]
            else:
                group.append(row)
        for (industry, source, level), group in groups.items():
            counts = [0, 0, 0, 0]
            funds = Decimal(0)
            for r in group:
                counts[0] += 1
                counts[1] += not is_closed(r)
                counts[2] += bool(r.overdue)
                counts[3] += r.level == "major"
                if r.funds is not None:
                    funds += r.funds
            rated = rates(group)
            self.industry.add_group(industry, counts, funds, rated)
            self.source.add_group(source, counts, funds, rated)
            self.level.add_group(level, counts, funds, rated)


def _problems(problems: Iterable[Problem], prefix: str) -> list[TownProblem]:
    out: list[TownProblem] = []
    for p in problems:
        if len(out) >= PROBLEMS_SHOWN:
            break
        place = p.path if p.path == "county.yaml" else f"{prefix}/{p.path}"
        out.append(
            TownProblem(
                location=f"{place}:{p.line}:{p.column}",
                code=p.code,
                severity=p.severity,
                template=p.template,
                params={k: str(v) for k, v in p.params.items()},
                problem=p,
            )
        )
    return out


def _supervised(
    entries: list[CountySupervision],
    town: str,
    code: str,
    rows: dict[str, HazardRow],
    as_of: dt.date,
) -> list[SupervisedRow]:
    out = []
    for s in entries:
        if s.listed_on > as_of or (s.lifted_on is not None and s.lifted_on <= as_of):
            continue
        row = rows.get(s.hazard)
        out.append(
            SupervisedRow(
                town=town,
                code=code,
                hazard=s.hazard,
                title=row.title if row else None,
                level=row.level if row else None,
                state=row.state if row else None,
                overdue=bool(row and row.overdue),
                listed_on=s.listed_on,
                by=s.by,
                missing=row is None,
            )
        )
    return out


def county_status(
    county_root: Path,
    county: CountyFile,
    loads: Iterable[TownLoad],
    as_of: dt.date,
    own: TownLoad | None = None,
) -> CountyStatus:
    """The county's picture on ``as_of`` from its towns (one at a time) and its own plan."""
    from safeplan import vocab

    breakdowns = _Breakdowns()
    views: list[TownView] = []
    supervision: list[SupervisedRow] = []
    listed: dict[str, list[CountySupervision]] = {}
    for s in county.supervision:
        listed.setdefault(s.town, []).append(s)
    own_view: TownView | None = None
    # One town at a time: a list here would read every town before the first is counted
    # and hold them all (the county's memory, and the collector walking all of it).
    for load in chain(loads, [own] if own is not None else []):
        view, rows = _town_view(county_root, load, as_of)
        if rows is not None:
            breakdowns.add(rows)
            wanted = listed.get(load.town.code, [])
            if wanted:
                by_id = {r.id: r for r in rows}
                supervision += _supervised(wanted, load.town.name, load.town.code, by_id, as_of)
        elif load.town.code in listed:
            supervision += _supervised(
                listed[load.town.code], load.town.name, load.town.code, {}, as_of
            )
        if own is not None and load is own:
            own_view = view
        else:
            views.append(view)
    counted = [v for v in [*views, *([own_view] if own_view else [])] if v.loaded]
    ranking = sorted(
        (
            RankRow(
                name=v.name,
                code=v.code,
                overdue_major=v.figures.overdue_major,
                overdue=v.figures.overdue,
                rectification_rate=v.figures.rates.rectification_rate,
            )
            for v in views
            if v.loaded
        ),
        key=lambda r: (
            -r.overdue_major,
            r.rectification_rate is None,
            r.rectification_rate if r.rectification_rate is not None else Decimal(0),
            -r.overdue,
            r.code,
        ),
    )
    return CountyStatus(
        as_of=as_of,
        name=county.name,
        code=county.code,
        towns=views,
        totals=sum_figures(v.figures for v in counted),
        missing=[v.name for v in views if not v.loaded],
        stale=[v.name for v in views if v.fetch_error is not None],
        by_industry=breakdowns.industry.result(),
        by_source=breakdowns.source.result(vocab.SOURCE.codes),
        by_level=breakdowns.level.result(vocab.LEVEL.codes),
        ranking=ranking,
        supervision=supervision,
        own=own_view,
    )


def _town_view(
    county_root: Path, load: TownLoad, as_of: dt.date
) -> tuple[TownView, list[HazardRow] | None]:
    """A town's view (its own ``status`` view model's figures) and its hazard rows."""
    town = load.town
    try:
        prefix = load.root.relative_to(county_root).as_posix()
    except ValueError:
        prefix = str(load.root)
    fetched = load.fetched
    base = TownView(
        name=town.name,
        code=town.code,
        source=town.source,
        commit=load.commit,
        fetched_on=fetched.on if fetched else None,
        fetch_error=fetched.error if fetched else None,
    )
    if load.kept is not None:  # unchanged since its last read: its problems and view kept
        warm, ov = load.kept
        problems = [p for p in warm.problems if p.severity == "error"]
    elif load.repo is None:
        return base.model_copy(update={"problems": _problems(load.problems, prefix)}), None
    else:
        ov = cached_overview(load.repo, as_of)
        problems = [p for p in load.repo.problems if p.severity == "error"]
    view = base.model_copy(
        update={
            "loaded": True,
            "figures": town_figures(ov),
            "goals": ov.goals,
            "problems": _problems(problems, prefix),
        }
    )
    return view, ov.hazards.items
