"""The plan's dated goals (一（三）), judged from the hazard records on a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from safeplan.models.records import Goal
from safeplan.models.summary import HazardSummary
from safeplan.periods import quarter_of, spans
from safeplan.status.hazards import HazardStatus, StatusCache, overdue_since

Verdict = Literal["met", "not_met", "not_yet_due", "no_data"]
Trend = Literal["falling", "flat", "rising", "unknown"]


def trend_of(counts: Sequence[int]) -> Trend:
    """Least-squares slope of the quarterly counts: falling, flat or rising."""
    n = len(counts)
    if n < 2:
        return "unknown"
    mean_x = (n - 1) / 2
    mean_y = sum(counts) / n
    num = sum((i - mean_x) * (c - mean_y) for i, c in enumerate(counts))
    den = sum((i - mean_x) ** 2 for i in range(n))
    slope = num / den
    if abs(slope) < 0.05 * max(mean_y, 1):
        return "flat"
    return "rising" if slope > 0 else "falling"


@dataclass(frozen=True, slots=True)
class GoalResult:
    id: str
    kind: str
    title: str
    due: dt.date
    verdict: Verdict
    #: Hazards that break the goal (or, before it is due, would break it today).
    breaking: tuple[str, ...] = ()
    #: How many hazards the goal is about, and how many of them are closed (as of the day judged).
    total: int = 0
    closed: int = 0
    per_quarter: tuple[tuple[str, int], ...] = ()
    trend: Trend = "unknown"
    level: str = "major"
    #: For ``stock_cleared``: the last discovery day of the stock.
    discovered_until: dt.date | None = None


def evaluate_goal(
    goal: Goal,
    hazards: Sequence[HazardSummary],
    as_of: dt.date,
    cache: StatusCache | None = None,
) -> GoalResult:
    """Judge one goal on ``as_of``. Before its due date the verdict is not_yet_due,
    and ``breaking`` names what would break it if it were judged today."""
    until = (goal.discovered_until or goal.due) if goal.kind == "stock_cleared" else None
    return replace(_evaluate(goal, hazards, as_of, cache), level=goal.level, discovered_until=until)


Status = Callable[[HazardSummary, dt.date], HazardStatus]


def _result(
    goal: Goal,
    verdict: Verdict,
    breaking: Sequence[str] = (),
    total: int = 0,
    closed: int = 0,
    per_quarter: tuple[tuple[str, int], ...] = (),
    trend: Trend = "unknown",
) -> GoalResult:
    return GoalResult(
        goal.id,
        goal.kind,
        goal.title,
        goal.due,
        verdict,
        tuple(breaking),
        total,
        closed,
        per_quarter,
        trend,
    )


def _verdict(due: bool, broken: bool) -> Verdict:
    return "not_yet_due" if not due else ("not_met" if broken else "met")


def _not_closed(status: Status, items: Iterable[HazardSummary], day: dt.date) -> list[str]:
    return [h.id for h in items if status(h, day).state != "closed"]


def _evaluate(
    goal: Goal,
    hazards: Sequence[HazardSummary],
    as_of: dt.date,
    cache: StatusCache | None,
) -> GoalResult:
    status = (cache or StatusCache()).get
    # A withdrawn hazard (撤销) was registered by mistake: no goal counts it.
    of_level = [
        h
        for h in hazards
        if h.level == goal.level
        and h.discovered_on <= as_of
        and (h.withdrawn_on is None or h.withdrawn_on > as_of)
    ]
    if not of_level:
        # Nothing registered: a goal met by an empty register is no finding at all.
        return _result(goal, "no_data")
    if goal.kind == "stock_cleared":
        return _stock_cleared(goal, of_level, as_of, status)
    if goal.kind == "increment_curbed":
        return _increment_curbed(goal, of_level, as_of, status)
    return _dynamic_zero(goal, of_level, as_of, status)


def _stock_cleared(
    goal: Goal, of_level: Sequence[HazardSummary], as_of: dt.date, status: Status
) -> GoalResult:
    """The hazards found by a day are all closed by the due date."""
    until = goal.discovered_until or goal.due
    stock = [h for h in of_level if h.discovered_on <= until]
    if not stock:  # no stock registered: nothing to have cleared
        return _result(goal, "no_data")
    open_ids = _not_closed(status, stock, min(as_of, goal.due))
    verdict = _verdict(as_of >= goal.due, bool(open_ids))
    return _result(goal, verdict, open_ids, total=len(stock), closed=len(stock) - len(open_ids))


def _increment_curbed(
    goal: Goal, of_level: Sequence[HazardSummary], as_of: dt.date, status: Status
) -> GoalResult:
    """New hazards per quarter do not rise, and none of them is overdue."""
    judged_on = min(as_of, goal.due)
    start = goal.discovered_from or min((h.discovered_on for h in of_level), default=judged_on)
    new = [h for h in of_level if start <= h.discovered_on <= judged_on]
    counts = {q.name: 0 for q in spans("quarter", start, judged_on)}
    for h in new:
        name = quarter_of(h.discovered_on).name
        counts[name] = counts.get(name, 0) + 1
    trend = trend_of(list(counts.values()))
    overdue = [h.id for h in new if h.discovered_on <= judged_on and status(h, judged_on).overdue]
    verdict = _verdict(as_of >= goal.due, bool(overdue) or trend == "rising")
    return _result(
        goal,
        verdict,
        overdue,
        total=len(new),
        closed=len(new) - len(_not_closed(status, new, judged_on)),
        per_quarter=tuple(counts.items()),
        trend=trend,
    )


def _dynamic_zero(
    goal: Goal, of_level: Sequence[HazardSummary], as_of: dt.date, status: Status
) -> GoalResult:
    """From the due date on, no hazard open past its deadline on any day."""
    due = as_of >= goal.due
    breaking: list[str] = []
    for h in of_level:
        if due:
            if overdue_since(h, goal.due, as_of) is not None:
                breaking.append(h.id)
        elif status(h, as_of).overdue:
            breaking.append(h.id)
    open_now = _not_closed(status, of_level, as_of)
    verdict = _verdict(due, bool(breaking))
    return _result(
        goal, verdict, breaking, total=len(of_level), closed=len(of_level) - len(open_now)
    )
