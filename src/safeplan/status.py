"""Status computed from dated facts and an as-of date: tasks, hazards, goals, unit load.

Pure: no I/O, no clock. A fact dated after the as-of date does not count yet, so
``as_of=2025-06-30`` reproduces the picture of that day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from safeplan.models import CycleFacts, Goal, HazardSummary, Plan, Task, Unit

TaskState = Literal["done", "overdue", "due_soon", "open", "current", "stale"]
HazardState = Literal["open", "rectified", "accepted", "closed"]
Verdict = Literal["met", "not_met", "not_yet_due"]
Trend = Literal["falling", "flat", "rising", "unknown"]

TASK_STATES: tuple[TaskState, ...] = ("overdue", "due_soon", "open", "stale", "current", "done")
HAZARD_STATES: tuple[HazardState, ...] = ("open", "rectified", "accepted", "closed")
_CHECK_IN_MONTHS = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}
#: Bumped when the JSON shapes below change incompatibly.
JSON_SCHEMA_VERSION = 1


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


# --------------------------------------------------------------------------- tasks


@dataclass(frozen=True, slots=True)
class TaskStatus:
    number: int
    state: TaskState
    deadline: dt.date | None
    ongoing: bool
    done_on: dt.date | None
    last_progress_on: dt.date | None
    #: Days past the deadline (overdue) or left until it (open, due soon); None otherwise.
    days_overdue: int | None = None
    days_left: int | None = None
    #: For ongoing tasks: the check-in window that a progress note must fall in.
    period_start: dt.date | None = None


def task_done_on(task: Task, as_of: dt.date) -> dt.date | None:
    """The completion in force on ``as_of``, counting completions a reopening later withdrew."""
    for reopening in task.reopenings:
        prev = reopening.previous
        if prev is not None and prev.on <= as_of < reopening.on:
            return prev.on
    if task.done is not None and task.done.on <= as_of:
        return task.done.on
    return None


def task_status(task: Task, as_of: dt.date, due_soon_days: int = 30) -> TaskStatus:
    notes = [n.on for n in task.progress if n.on <= as_of]
    last = max(notes, default=None)
    done_on = task_done_on(task, as_of)
    base = {
        "number": task.number,
        "deadline": task.deadline,
        "ongoing": task.ongoing,
        "done_on": done_on,
        "last_progress_on": last,
    }
    if done_on is not None:
        return TaskStatus(state="done", **base)  # type: ignore[arg-type]
    if task.ongoing or task.deadline is None:
        start = add_months(as_of, -_CHECK_IN_MONTHS[task.check_in])
        state: TaskState = "current" if last is not None and last > start else "stale"
        return TaskStatus(state=state, period_start=start, **base)  # type: ignore[arg-type]
    delta = (task.deadline - as_of).days
    if delta < 0:
        return TaskStatus(state="overdue", days_overdue=-delta, **base)  # type: ignore[arg-type]
    state = "due_soon" if delta <= due_soon_days else "open"
    return TaskStatus(state=state, days_left=delta, **base)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- hazards


@dataclass(frozen=True, slots=True)
class HazardStatus:
    id: str
    #: False when the hazard is discovered after the as-of date: it does not exist yet.
    known: bool
    state: HazardState
    overdue: bool
    days_overdue: int | None
    days_left: int | None
    closed_on: dt.date | None
    supervised: bool
    supervision_level: str | None
    double_reported: bool
    reopened: int


def cycle_in_force(h: HazardSummary, as_of: dt.date) -> CycleFacts:
    for cycle in h.cycles:
        if cycle.ended_on is None or cycle.ended_on > as_of:
            return cycle
    return h.cycles[-1]


def _state(cycle: CycleFacts, as_of: dt.date) -> HazardState:
    if cycle.closed_on is not None and cycle.closed_on <= as_of:
        return "closed"
    if cycle.accepted and cycle.accepted_on is not None and cycle.accepted_on <= as_of:
        return "accepted"
    if cycle.rectified_on is not None and cycle.rectified_on <= as_of:
        return "rectified"
    return "open"


def hazard_status(h: HazardSummary, as_of: dt.date) -> HazardStatus:
    cycle = cycle_in_force(h, as_of)
    state = _state(cycle, as_of)
    closed = state == "closed"
    overdue = not closed and h.deadline is not None and h.deadline < as_of
    days_overdue = (as_of - h.deadline).days if overdue and h.deadline else None
    days_left = (
        (h.deadline - as_of).days if not closed and not overdue and h.deadline is not None else None
    )
    in_force = [
        s
        for s in h.supervision
        if s.listed_on <= as_of and (s.lifted_on is None or s.lifted_on > as_of)
    ]
    reported = (
        h.reported_regulator_on is not None
        and h.reported_workers_on is not None
        and h.reported_regulator_on <= as_of
        and h.reported_workers_on <= as_of
    )
    return HazardStatus(
        id=h.id,
        known=h.discovered_on <= as_of,
        state=state,
        overdue=overdue,
        days_overdue=days_overdue,
        days_left=days_left,
        closed_on=cycle.closed_on if closed else None,
        supervised=bool(in_force),
        supervision_level=in_force[-1].level if in_force else None,
        double_reported=reported,
        reopened=sum(1 for c in h.cycles if c.ended_on is not None and c.ended_on <= as_of),
    )


# --------------------------------------------------------------------------- goals


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _quarters(start: dt.date, end: dt.date) -> list[str]:
    out: list[str] = []
    day = dt.date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
    while day <= end:
        out.append(quarter_of(day))
        day = add_months(day, 3)
    return out


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


def _not_closed(hazards: Iterable[HazardSummary], day: dt.date) -> list[str]:
    return [h.id for h in hazards if hazard_status(h, day).state != "closed"]


def _overdue(hazards: Iterable[HazardSummary], day: dt.date) -> list[str]:
    return [h.id for h in hazards if h.discovered_on <= day and hazard_status(h, day).overdue]


def evaluate_goal(goal: Goal, hazards: Sequence[HazardSummary], as_of: dt.date) -> GoalResult:
    """Judge one goal on ``as_of``. Before its due date the verdict is not_yet_due,
    and ``breaking`` names what would break it if it were judged today."""
    of_level = [h for h in hazards if h.level == goal.level and h.discovered_on <= as_of]
    judged_on = min(as_of, goal.due)
    due = as_of >= goal.due
    if goal.kind == "stock_cleared":
        until = goal.discovered_until or goal.due
        stock = [h for h in of_level if h.discovered_on <= until]
        open_ids = _not_closed(stock, judged_on)
        verdict: Verdict = "not_yet_due" if not due else ("not_met" if open_ids else "met")
        return GoalResult(
            goal.id,
            goal.kind,
            goal.title,
            goal.due,
            verdict,
            tuple(open_ids),
            len(stock),
            len(stock) - len(open_ids),
        )
    if goal.kind == "increment_curbed":
        start = goal.discovered_from or dt.date.min
        new = [h for h in of_level if start <= h.discovered_on <= judged_on]
        quarters = _quarters(start, judged_on)
        counts = {q: 0 for q in quarters}
        for h in new:
            counts[quarter_of(h.discovered_on)] = counts.get(quarter_of(h.discovered_on), 0) + 1
        series = [counts[q] for q in quarters]
        trend = trend_of(series)
        overdue = _overdue(new, judged_on)
        if not due:
            verdict = "not_yet_due"
        else:
            verdict = "met" if not overdue and trend != "rising" else "not_met"
        return GoalResult(
            goal.id,
            goal.kind,
            goal.title,
            goal.due,
            verdict,
            tuple(overdue),
            len(new),
            len(new) - len(_not_closed(new, judged_on)),
            tuple(counts.items()),
            trend,
        )
    # dynamic_zero: from the due date on, no hazard open past its deadline on any day.
    breaking: list[str] = []
    for h in of_level:
        if h.deadline is None:
            continue
        first_overdue_day = max(goal.due, h.deadline + dt.timedelta(days=1))
        check_day = first_overdue_day if due and first_overdue_day <= as_of else as_of
        if h.discovered_on <= check_day and hazard_status(h, check_day).overdue:
            breaking.append(h.id)
    verdict = "not_yet_due" if not due else ("not_met" if breaking else "met")
    open_now = _not_closed(of_level, as_of)
    return GoalResult(
        goal.id,
        goal.kind,
        goal.title,
        goal.due,
        verdict,
        tuple(breaking),
        len(of_level),
        len(of_level) - len(open_now),
    )


# --------------------------------------------------------------------------- units


def expand(name: str, units_by_name: dict[str, Unit]) -> list[str]:
    """A unit name, or the members a group stands for."""
    unit = units_by_name.get(name)
    if unit is not None and unit.kind == "group":
        return list(unit.members)
    return [name]


def task_involves(task: Task, unit: str, units_by_name: dict[str, Unit]) -> bool:
    return any(unit == u or unit in expand(u, units_by_name) for u in task.units)


@dataclass
class UnitLoad:
    name: str
    kind: str
    lead_tasks: list[int] = field(default_factory=list)
    co_tasks: list[int] = field(default_factory=list)
    lead_open: int = 0
    lead_overdue: int = 0
    co_open: int = 0
    co_overdue: int = 0
    hazards_open: int = 0
    hazards_overdue: int = 0


def unit_loads(
    units: Sequence[Unit],
    tasks: Sequence[Task],
    task_states: dict[int, TaskStatus],
    hazards: Sequence[HazardSummary],
    hazard_states: dict[str, HazardStatus],
) -> list[UnitLoad]:
    """Load per unit; a group counts for each of its members (and is shown itself too)."""
    by_name = {u.name: u for u in units}
    loads = {u.name: UnitLoad(u.name, u.kind) for u in units}

    def credit(name: str, number: int, lead: bool) -> None:
        targets = {name, *expand(name, by_name)}
        state = task_states[number].state
        for target in targets:
            load = loads.get(target)
            if load is None:
                continue
            if lead:
                if number in load.lead_tasks:
                    continue
                load.lead_tasks.append(number)
            else:
                if number in load.co_tasks or number in load.lead_tasks:
                    continue
                load.co_tasks.append(number)
            unfinished = state not in ("done", "current")
            if lead:
                load.lead_open += unfinished
                load.lead_overdue += state == "overdue"
            else:
                load.co_open += unfinished
                load.co_overdue += state == "overdue"

    for task in tasks:
        for i, name in enumerate(task.units):
            credit(name, task.number, lead=i == 0)
    for h in hazards:
        st = hazard_states[h.id]
        if not st.known or st.state == "closed":
            continue
        for target in {h.responsible_unit, *expand(h.responsible_unit, by_name)}:
            load = loads.get(target)
            if load is not None:
                load.hazards_open += 1
                load.hazards_overdue += st.overdue
    return list(loads.values())


# --------------------------------------------------------------------------- overview


@dataclass
class Overview:
    as_of: dt.date
    tasks: list[tuple[Task, TaskStatus]]
    hazards: list[tuple[HazardSummary, HazardStatus]]
    goals: list[GoalResult]
    units: list[UnitLoad]
    unit_filter: str | None = None

    def task_counts(self) -> dict[TaskState, int]:
        counts: dict[TaskState, int] = {s: 0 for s in TASK_STATES}
        for _, st in self.tasks:
            counts[st.state] += 1
        return counts

    def hazard_counts(self) -> dict[str, dict[str, int]]:
        """level → state → count, plus 'overdue' per level."""
        out: dict[str, dict[str, int]] = {}
        for h, st in self.hazards:
            row = out.setdefault(h.level, {s: 0 for s in (*HAZARD_STATES, "overdue")})
            row[st.state] += 1
            row["overdue"] += st.overdue
        return out


def overview(
    plan: Plan | None,
    units: Sequence[Unit],
    tasks: Sequence[Task],
    hazards: Sequence[HazardSummary],
    as_of: dt.date,
    unit: str | None = None,
) -> Overview:
    """Everything ``safeplan status`` shows, optionally for one unit."""
    due_soon = plan.rules.due_soon_days if plan else 30
    by_name = {u.name: u for u in units}
    task_states = {t.number: task_status(t, as_of, due_soon) for t in tasks}
    known = [h for h in hazards if h.discovered_on <= as_of]
    hazard_states = {h.id: hazard_status(h, as_of) for h in known}
    loads = unit_loads(units, tasks, task_states, known, hazard_states)
    shown_tasks = [(t, task_states[t.number]) for t in tasks]
    shown_hazards = [(h, hazard_states[h.id]) for h in known]
    if unit is not None:
        shown_tasks = [(t, s) for t, s in shown_tasks if task_involves(t, unit, by_name)]
        members = {unit, *expand(unit, by_name)}
        shown_hazards = [(h, s) for h, s in shown_hazards if h.responsible_unit in members]
        loads = [load for load in loads if load.name in members]
    goals = [evaluate_goal(g, hazards, as_of) for g in plan.goals] if plan else []
    return Overview(as_of, shown_tasks, shown_hazards, goals, loads, unit)


# --------------------------------------------------------------------------- JSON shapes


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def task_json(task: Task, st: TaskStatus) -> dict[str, object]:
    return {
        "id": f"T{task.number}",
        "number": task.number,
        "title": task.title,
        "action": task.action,
        "deadline": _iso(task.deadline),
        "ongoing": task.ongoing,
        "units": list(task.units),
        "lead_unit": task.units[0],
        "status": st.state,
        "days_overdue": st.days_overdue,
        "days_left": st.days_left,
        "done_on": _iso(st.done_on),
        "last_progress_on": _iso(st.last_progress_on),
    }


def hazard_json(h: HazardSummary, st: HazardStatus) -> dict[str, object]:
    return {
        "id": h.id,
        "title": h.title,
        "level": h.level,
        "state": st.state,
        "overdue": st.overdue,
        "days_overdue": st.days_overdue,
        "days_left": st.days_left,
        "deadline": _iso(h.deadline),
        "discovered_on": _iso(h.discovered_on),
        "responsible_unit": h.responsible_unit,
        "enterprise": h.enterprise,
        "supervised": st.supervised,
        "supervision_level": st.supervision_level,
        "double_reported": st.double_reported,
        "closed_on": _iso(st.closed_on),
        "path": h.path,
    }


def goal_json(g: GoalResult) -> dict[str, object]:
    return {
        "id": g.id,
        "kind": g.kind,
        "title": g.title,
        "due": _iso(g.due),
        "verdict": g.verdict,
        "breaking": list(g.breaking),
        "total": g.total,
        "closed": g.closed,
        "per_quarter": dict(g.per_quarter),
        "trend": g.trend,
    }


def unit_json(load: UnitLoad) -> dict[str, object]:
    return {
        "name": load.name,
        "kind": load.kind,
        "lead_tasks": load.lead_tasks,
        "co_tasks": load.co_tasks,
        "lead_open": load.lead_open,
        "lead_overdue": load.lead_overdue,
        "co_open": load.co_open,
        "co_overdue": load.co_overdue,
        "hazards_open": load.hazards_open,
        "hazards_overdue": load.hazards_overdue,
    }


def overview_json(ov: Overview, problems: int = 0) -> dict[str, object]:
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "as_of": ov.as_of.isoformat(),
        "unit": ov.unit_filter,
        "problems": problems,
        "tasks": {
            "counts": ov.task_counts(),
            "items": [task_json(t, s) for t, s in ov.tasks],
        },
        "hazards": {
            "counts": ov.hazard_counts(),
            "items": [hazard_json(h, s) for h, s in ov.hazards],
        },
        "goals": [goal_json(g) for g in ov.goals],
        "units": [unit_json(u) for u in ov.units],
    }
