"""A report of one period (a week, a month, a quarter), computed from the records as of a day.

The state at the end comes from ``views.overview.overview`` for the as-of day (the figures
of ``safeplan status --as-of``, the same objects); what happened in the period comes from
the dated facts of the hazard summaries and the tasks. Pure: the period, the as-of day,
safeplan's version and the data's git commit are arguments.

Counting rules, in one place:

- A hazard counts once it is discovered (on or before the as-of day). A hazard withdrawn
  (撤销) by the as-of day counts only as withdrawn: never as found, closed or open.
- "In the period" counts hazards with at least one such fact dated from the period's first
  day to the as-of day: a hazard rectified twice in a week is one hazard rectified.
- A record that breaks the closed loop (``invalid``) counts as found and as open, never as
  rectified, accepted or closed: what it claims is not to be believed.
- 整改率 (rectified ÷ found), 销号率 (closed ÷ found) and 重大隐患整改率 are defined once,
  in ``views.rates``: for the period, of the hazards found in it, at its end; cumulatively,
  of every hazard registered. ``Rate`` (``rate_period``, ``rate_total``) is the 销号率, kept
  in the JSON as it was.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from safeplan import vocab
from safeplan.models.records import Task
from safeplan.models.reports import (
    FIGURES,
    Charts,
    CriterionCount,
    DataVersion,
    HazardEvent,
    Headline,
    IndustryRow,
    MonthPoint,
    PeriodView,
    Rate,
    Report,
    ReportEnterprises,
    ReportGoal,
    Signature,
    Split,
    TaskEvent,
    TaskGroup,
    WeekPoint,
)
from safeplan.models.summary import HazardSummary
from safeplan.models.views import HazardRow, Overview, TaskRow, same_named
from safeplan.periods import Span, spans
from safeplan.repo import Repository
from safeplan.status import DONE_STATES, hazard_state
from safeplan.views.overview import overview
from safeplan.views.rates import is_closed, percent, rates

#: The order of the events of one day: the report's figures dated in the period (its
#: first, found, is the event registered).
EVENT_ORDER = ("registered", *FIGURES[1:-2])
#: The figure each kind of event counts towards.
_FIGURE_OF = {"registered": "found", **{k: k for k in EVENT_ORDER[1:]}}

_PERIOD_SUFFIX = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")


def series_name(title: str) -> str:
    """``大井镇安全生产治本攻坚三年行动方案（2024—2026年）`` → ``大井镇安全生产治本攻坚三年行动``:
    what a report's title calls the action (《…周报》)."""
    name = _PERIOD_SUFFIX.sub("", title).strip()
    return name[: -len("方案")] if name.endswith("方案") and len(name) > 2 else name


def period_view(span: Span) -> PeriodView:
    if span.kind == "week":
        year, week, _ = span.start.isocalendar()
        return PeriodView(
            kind="week", name=span.name, start=span.start, end=span.end, year=year, number=week
        )
    number = span.start.month if span.kind == "month" else (span.start.month - 1) // 3 + 1
    return PeriodView(
        kind=span.kind,
        name=span.name,
        start=span.start,
        end=span.end,
        year=span.start.year,
        number=number,
    )


# --------------------------------------------------------------------------- splits and rates


def _split(items: Iterable[tuple[str, str]]) -> Split:
    """A count of (level, source) pairs, with every level and source present (zeros too)."""
    by_level = dict.fromkeys(vocab.LEVEL.codes, 0)
    by_source = dict.fromkeys(vocab.SOURCE.codes, 0)
    total = 0
    for level, source in items:
        total += 1
        by_level[level] = by_level.get(level, 0) + 1
        by_source[source] = by_source.get(source, 0) + 1
    return Split(total=total, by_level=by_level, by_source=by_source)


def rate(closed: int, found: int) -> Rate:
    """The 销号率 as ``Rate`` (closed ÷ found), as the JSON has always had it."""
    return Rate(closed=closed, found=found, percent=percent(closed, found))


def _is_open(row: HazardRow) -> bool:
    """Not closed at the end (an invalid record's closure is not believed)."""
    return not is_closed(row)


def _is_closed(row: HazardRow) -> bool:
    return is_closed(row)


# --------------------------------------------------------------------------- the period's facts


#: A fact of a hazard: the hazard, the kind of event, its day, and for an extension the
#: deadline before it and the one it set. Light: a report over years of 10,000 hazards
#: makes tens of thousands of them, and only the period's become ``HazardEvent``s.
Fact = tuple[HazardSummary, str, dt.date, dt.date | None, dt.date | None]


def hazard_facts(
    hazards: Iterable[HazardSummary], start: dt.date, as_of: dt.date
) -> Iterator[Fact]:
    """Every counted fact of the hazards dated from ``start`` to ``as_of``: one a hazard,
    kind and day (see the counting rules above)."""
    for h in hazards:
        if h.discovered_on <= as_of:
            yield from _facts_of(h, start, as_of)


def _facts_of(h: HazardSummary, start: dt.date, as_of: dt.date) -> list[Fact]:
    withdrawn = h.withdrawn_on
    if withdrawn is not None and withdrawn <= as_of:
        return [(h, "withdrawn", withdrawn, None, None)] if withdrawn >= start else []
    seen: set[tuple[str, dt.date]] = set()
    found: list[Fact] = []

    def add(
        kind: str, on: dt.date | None, old: dt.date | None = None, new: dt.date | None = None
    ) -> None:
        if on is not None and start <= on <= as_of and (kind, on) not in seen:
            seen.add((kind, on))
            found.append((h, kind, on, old, new))

    add("registered", h.discovered_on)
    for i, fact in enumerate(h.deadlines):
        if fact.extension:
            add("extended", fact.on, h.deadlines[i - 1].deadline if i else None, fact.deadline)
    if not h.broken:
        for c in h.cycles:
            add("rectified", c.rectified_on)
            add("accepted" if c.accepted else "failed", c.accepted_on)
            add("closed", c.closed_on)
            if c.closed_on is not None and c.ended_on is not None and c.closed_on <= c.ended_on:
                add("reopened", c.ended_on)
    return found


def event_of(fact: Fact) -> HazardEvent:
    h, kind, on, old, new = fact
    return HazardEvent.model_construct(
        on=on,
        kind=kind,
        **same_named(h, "id title level source"),
        unit=h.responsible_unit,
        deadline_from=old,
        deadline_to=new,
    )


def _event_key(e: HazardEvent) -> tuple[dt.date, int, str]:
    return (e.on, EVENT_ORDER.index(e.kind), e.id)


def _task_event(task: Task, on: dt.date, kind: str, note: str | None, by: str | None) -> TaskEvent:
    return TaskEvent.model_construct(
        on=on, kind=kind, number=task.number, title=task.title, unit=task.units[0], note=note, by=by
    )


def task_events(repo: Repository, start: dt.date, as_of: dt.date, ov: Overview) -> list[TaskEvent]:
    """Tasks done in the period (the completion in force on the as-of day) and progress notes."""
    rows = {row.number: row for row in ov.tasks.items}
    out: list[TaskEvent] = []
    for task in repo.tasks:
        row = rows.get(task.number)
        if row is None:
            continue
        if row.status in DONE_STATES and row.done_on is not None and start <= row.done_on <= as_of:
            note = task.done.note if task.done is not None and task.done.on == row.done_on else None
            out.append(_task_event(task, row.done_on, "done", note, None))
        out += [
            _task_event(task, n.on, "progress", n.note, n.by)
            for n in task.progress
            if start <= n.on <= as_of
        ]
    out.sort(key=lambda e: (e.on, e.kind != "done", e.number))
    return out


# --------------------------------------------------------------------------- charts


def _open_pieces(h: HazardSummary) -> list[tuple[dt.date, dt.date | None]]:
    """The days a hazard was registered and neither closed nor withdrawn, as [from, to).

    Its state can change only on the days of its facts, so the status is computed on those
    days alone (a handful a hazard), not on every day a chart samples."""
    days = {h.discovered_on, h.withdrawn_on, *h.cycle_days()}
    changes = sorted(d for d in days if d is not None and d >= h.discovered_on)
    pieces: list[tuple[dt.date, dt.date | None]] = []
    opened: dt.date | None = None
    for day in changes:
        state = hazard_state(h, day)
        now_open = state != "withdrawn" and (h.broken or state != "closed")
        if now_open and opened is None:
            opened = day
        elif not now_open and opened is not None:
            pieces.append((opened, day))
            opened = None
    if opened is not None:
        pieces.append((opened, None))
    return pieces


def open_by_week(
    hazards: Sequence[HazardSummary], weeks: Sequence[Span], as_of: dt.date
) -> list[WeekPoint]:
    """Hazards not closed at the end of each week (the last week: on the as-of day), by level.

    Each hazard adds +1 where a stretch of being open starts and -1 where it ends; a
    week's count is the running sum at its last day."""
    levels = vocab.LEVEL.codes
    deltas: dict[dt.date, list[int]] = {}
    for h in hazards:
        if h.discovered_on > as_of:
            continue
        k = levels.index(h.level) if h.level in levels else 1
        for begin, end in _open_pieces(h):
            deltas.setdefault(begin, [0, 0])[k] += 1
            if end is not None:
                deltas.setdefault(end, [0, 0])[k] -= 1
    days = sorted(deltas)
    running = [0, 0]
    i = 0
    out: list[WeekPoint] = []
    for week in weeks:
        on = min(week.end, as_of)
        while i < len(days) and days[i] <= on:
            d = deltas[days[i]]
            running[0] += d[0]
            running[1] += d[1]
            i += 1
        out.append(WeekPoint(name=week.name, on=on, major=running[0], general=running[1]))
    return out


def found_closed_by_month(facts: Iterable[Fact], months: Sequence[Span]) -> list[MonthPoint]:
    """Hazards found and hazards closed in each month (a hazard closed twice in a month, once)."""
    starts = [m.start for m in months]
    found = [set[str]() for _ in months]
    closed = [set[str]() for _ in months]
    for h, kind, on, _, _ in facts:
        if kind not in ("registered", "closed"):
            continue
        i = bisect.bisect_right(starts, on) - 1
        if 0 <= i < len(months) and on <= months[i].end:
            (found if kind == "registered" else closed)[i].add(h.id)
    return [
        MonthPoint(name=m.name, found=len(f), closed=len(c))
        for m, f, c in zip(months, found, closed, strict=True)
    ]


# --------------------------------------------------------------------------- the report


def _overdue_tasks(repo: Repository, rows: Sequence[TaskRow]) -> list[TaskGroup]:
    order = {u.name: i for i, u in enumerate(repo.units)}
    groups: dict[str, list[TaskRow]] = {}
    for row in rows:
        if row.status == "overdue":
            groups.setdefault(row.lead_unit, []).append(row)
    return [
        TaskGroup(
            unit=unit,
            tasks=sorted(tasks, key=lambda r: (-(r.days_overdue or 0), r.number)),
        )
        for unit, tasks in sorted(
            groups.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])
        )
    ]


def _open_major(rows: Iterable[HazardRow]) -> list[HazardRow]:
    chosen = [r for r in rows if r.level == "major" and _is_open(r)]
    chosen.sort(
        key=lambda r: (
            not r.overdue,
            -(r.days_overdue or 0),
            r.days_left if r.days_left is not None else 1 << 30,
            r.id,
        )
    )
    return chosen


def _criteria(
    repo: Repository, open_major: list[HazardRow], as_of: dt.date
) -> tuple[dict[str, str], list[CriterionCount]]:
    """The item each open major hazard's basis cites, and the major hazards by document."""
    from safeplan.criteria.catalog import Resolved
    from safeplan.views.criteria import cited_by_document, repo_catalog

    cat = repo_catalog(repo)
    basis = {h.id: h.basis for h in repo.hazards if h.basis}
    labels: dict[str, str] = {}
    for row in open_major:
        r = cat.resolve(basis[row.id]) if row.id in basis else None
        if isinstance(r, Resolved):
            labels[row.id] = r.label()
    still_open = {r.id for r in open_major}
    cited = cited_by_document(cat, repo.hazards, as_of)
    counts = [
        CriterionCount(
            number=d.number,
            title=d.title,
            major=len(cited[d.id]),
            open_major=sum(1 for i in cited[d.id] if i in still_open),
        )
        for d in cat.documents
        if d.id in cited
    ]
    return labels, counts


def _industries(
    counted: Sequence[HazardSummary],
    rows: dict[str, HazardRow],
    period: dict[str, set[str]],
) -> list[IndustryRow]:
    groups: dict[str | None, list[HazardSummary]] = {}
    for h in counted:
        groups.setdefault(h.industry, []).append(h)
    out: list[IndustryRow] = []
    for industry, items in groups.items():
        mine = [rows[h.id] for h in items if h.id in rows]
        closed_total = sum(1 for r in mine if _is_closed(r))
        out.append(
            IndustryRow(
                industry=industry,
                found=sum(1 for h in items if h.id in period["found"]),
                closed=sum(1 for h in items if h.id in period["closed"]),
                open=sum(1 for r in mine if _is_open(r)),
                open_major=sum(1 for r in mine if _is_open(r) and r.level == "major"),
                overdue=sum(1 for r in mine if r.overdue),
                found_total=len(mine),
                closed_total=closed_total,
                rate_total=rate(closed_total, len(mine)),
                funds=sum((h.funds for h in items if h.funds is not None), Decimal(0)),
                rates=rates(mine),
                funds_reported=sum(1 for h in items if h.funds is not None),
                funds_missing=sum(1 for h in items if h.funds is None),
            )
        )
    out.sort(key=lambda r: (r.industry is None, -r.found_total, r.industry or ""))
    return out


def _figures(
    events: Sequence[HazardEvent], ov: Overview
) -> tuple[dict[str, set[str]], dict[str, Split]]:
    """The hazards of each figure in the period (by id), and each figure split by level
    and source; open and overdue are counted on the as-of day."""
    period: dict[str, set[str]] = {name: set() for name in FIGURES}
    pairs: dict[str, tuple[str, str]] = {}
    for e in events:
        period[_FIGURE_OF[e.kind]].add(e.id)
        pairs[e.id] = (e.level, e.source)
    figures = {name: _split(pairs[i] for i in sorted(period[name])) for name in FIGURES[:-2]}
    figures["open"] = _split((r.level, r.source or "") for r in ov.hazards.items if _is_open(r))
    figures["overdue"] = _split((r.level, r.source or "") for r in ov.hazards.items if r.overdue)
    return period, figures


def _headline(ov: Overview, rows: dict[str, HazardRow], found_then: set[str]) -> Headline:
    """The figures a reader looks at first: tasks, the rates, the open major hazards."""
    closed_now = sum(1 for r in ov.hazards.items if _is_closed(r))
    counts = ov.tasks.counts
    major = [r for r in ov.hazards.items if r.level == "major" and _is_open(r)]
    supervised: dict[str, int] = {}
    for r in major:
        if r.supervised and r.supervision_level:
            supervised[r.supervision_level] = supervised.get(r.supervision_level, 0) + 1
    return Headline(
        tasks_done=sum(counts.get(s, 0) for s in DONE_STATES),
        tasks_done_late=counts.get("done_late", 0),
        tasks_overdue=counts.get("overdue", 0),
        tasks_due_soon=counts.get("due_soon", 0),
        rate_period=rate(
            sum(1 for i in found_then if i in rows and _is_closed(rows[i])), len(found_then)
        ),
        rate_total=rate(closed_now, ov.hazards.total),
        rates_period=rates(rows[i] for i in sorted(found_then) if i in rows),
        rates_total=ov.hazards.rates,
        major_open=len(major),
        major_supervised={
            code: supervised[code] for code in vocab.SUPERVISION_LEVEL.codes if code in supervised
        },
        major_plan_missing=sum(1 for r in major if r.plan_missing),
        major_not_double_reported=sum(1 for r in major if not r.double_reported),
    )


def report(
    repo: Repository,
    span: Span,
    as_of: dt.date,
    *,
    version: str,
    data: DataVersion | None = None,
) -> Report:
    """The report of ``span``, as of ``as_of`` (its last day, or an earlier day for a period
    not over yet)."""
    ov = overview(repo, as_of)
    rows = {r.id: r for r in ov.hazards.items}
    start = span.start
    plan = repo.plan
    # The charts start with the plan; the facts are gathered once, from there on.
    first = min(plan.period.start, start) if plan is not None else start
    first = min(first, as_of)
    # The facts since the plan began are a few a hazard (300,000 tuples at 100,000): they
    # are counted by month as they are made, and only the period's are kept, as events.
    in_period: list[Fact] = []

    def gathered() -> Iterator[Fact]:
        for f in hazard_facts(repo.hazards, first, as_of):
            if f[2] >= start:
                in_period.append(f)
            yield f

    by_month = found_closed_by_month(gathered(), spans("month", first, as_of))
    events = sorted(map(event_of, in_period), key=_event_key)

    period, figures = _figures(events, ov)
    counted = [
        h
        for h in repo.hazards
        if h.discovered_on <= as_of and (h.withdrawn_on is None or h.withdrawn_on > as_of)
    ]
    headline = _headline(ov, rows, period["found"])
    charts = Charts(
        open_by_week=open_by_week(repo.hazards, spans("week", first, as_of), as_of),
        found_closed_by_month=by_month,
        tasks=dict(ov.tasks.counts),
    )
    done = task_events(repo, start, as_of, ov)
    open_major = _open_major(ov.hazards.items)
    labels, by_criterion = _criteria(repo, open_major, as_of)
    return Report(
        as_of=as_of,
        period=period_view(span),
        plan=ov.plan,
        series=series_name(plan.title) if plan is not None else "",
        overview=ov,
        figures=figures,
        headline=headline,
        industries=_industries(counted, rows, period),
        hazard_events=events,
        task_events=done,
        nil=not events and not done,
        overdue_tasks=_overdue_tasks(repo, ov.tasks.items),
        open_major=open_major,
        goals=[
            ReportGoal(goal=g, breaking=[rows[i] for i in g.breaking if i in rows])
            for g in ov.goals
        ],
        charts=charts,
        version=version,
        data=data or DataVersion(),
        criteria=by_criterion,
        open_major_criteria=labels,
        sign=Signature.of(repo.plan),
        enterprises=_enterprises(repo, ov, Span(start, as_of, span.kind, span.name)),
    )


def _enterprises(repo: Repository, ov: Overview, span: Span) -> ReportEnterprises | None:
    """The duties' figures (the overview's) and the high-risk enterprises with no check in
    the period up to the report's day."""
    if ov.enterprises is None:
        return None
    from safeplan.views.enterprises import unchecked_high_risk

    return ReportEnterprises(duties=ov.enterprises, unchecked=unchecked_high_risk(repo, span))
