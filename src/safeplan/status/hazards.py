"""A hazard's state on a day, from the dated facts of its cycles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from safeplan.models.summary import CycleFacts, HazardSummary

HazardState = Literal["open", "failed", "rectified", "accepted", "closed", "withdrawn"]
#: The order in which hazard states are counted and shown. A withdrawn hazard (撤销) is
#: counted apart: it was registered by mistake, so it is neither open nor closed.
HAZARD_STATES: tuple[HazardState, ...] = ("open", "failed", "rectified", "accepted", "closed")


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
    #: The 整改时限 in force on the day (the latest extension dated on or before it).
    deadline: dt.date | None = None
    #: The deadline in force comes from an extension (延期).
    extended: bool = False
    #: The deadline before any extension: what the record first set.
    original_deadline: dt.date | None = None
    #: Rectified after the deadline in force on the day of the rectification, by so many days.
    rectified_late_days: int | None = None
    #: A major hazard without its full 五落实 on the day (五落实未落实).
    plan_missing: bool = False
    #: The record breaks the closed loop: its state is not to be believed.
    invalid: bool = False


def cycle_in_force(h: HazardSummary, as_of: dt.date) -> CycleFacts:
    return h.cycle_on(as_of)


def deadline_on(h: HazardSummary, day: dt.date) -> tuple[dt.date | None, bool]:
    """The deadline in force on ``day`` and whether an extension set it."""
    return h.deadline_on(day)


def _state(h: HazardSummary, cycle: CycleFacts, as_of: dt.date) -> HazardState:
    if h.withdrawn_on is not None and h.withdrawn_on <= as_of:
        return "withdrawn"
    if cycle.closed_on is not None and cycle.closed_on <= as_of:
        return "closed"
    if cycle.accepted_on is not None and cycle.accepted_on <= as_of:
        return "accepted" if cycle.accepted else "failed"
    if cycle.rectified_on is not None and cycle.rectified_on <= as_of:
        return "rectified"
    return "open"


def hazard_state(h: HazardSummary, as_of: dt.date) -> HazardState:
    """The state alone, as :func:`hazard_status` finds it, without the deadlines, the
    supervision and the rest (a report's chart asks it on every day a hazard changed)."""
    return _state(h, cycle_in_force(h, as_of), as_of)


def hazard_status(h: HazardSummary, as_of: dt.date) -> HazardStatus:
    cycle = cycle_in_force(h, as_of)
    state = _state(h, cycle, as_of)
    deadline, extended = deadline_on(h, as_of)
    # Only an unrectified hazard can be overdue: the deadline is for the rectification.
    waiting = state in ("open", "failed")
    overdue = waiting and deadline is not None and deadline < as_of
    days_overdue = (as_of - deadline).days if overdue and deadline else None
    days_left = (deadline - as_of).days if waiting and not overdue and deadline else None
    late: int | None = None
    if state in ("rectified", "accepted", "closed") and cycle.rectified_on is not None:
        then, _ = deadline_on(h, cycle.rectified_on)
        if then is not None and cycle.rectified_on > then:
            late = (cycle.rectified_on - then).days
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
    original = h.original_deadline()
    return HazardStatus(
        id=h.id,
        known=h.discovered_on <= as_of,
        state=state,
        overdue=overdue,
        days_overdue=days_overdue,
        days_left=days_left,
        closed_on=cycle.closed_on if state == "closed" else None,
        supervised=bool(in_force) and state != "withdrawn",
        supervision_level=in_force[-1].level if in_force else None,
        double_reported=reported,
        reopened=h.reopened_by(as_of),
        deadline=deadline,
        extended=extended,
        original_deadline=original,
        rectified_late_days=late,
        plan_missing=(
            h.level == "major"
            and state not in ("closed", "withdrawn")
            and (h.plan_complete_on is None or h.plan_complete_on > as_of)
        ),
        invalid=h.broken,
    )


def overdue_since(h: HazardSummary, start: dt.date, end: dt.date) -> dt.date | None:
    """The first day in ``start``…``end`` on which the hazard was open past its deadline.

    Overdue can only begin on the day after a deadline, or on a day the state went back to
    waiting (a reopening, a failed acceptance) or a deadline was shortened."""
    days = {start}
    days.update(f.deadline + dt.timedelta(days=1) for f in h.deadlines)
    days.update(f.on for f in h.deadlines)
    for c in h.cycles:
        days.update(d for d in (c.ended_on, c.accepted_on) if d is not None)
    for day in sorted(d for d in days if start <= d <= end):
        if h.discovered_on <= day and hazard_status(h, day).overdue:
            return day
    return None


class StatusCache:
    """Each hazard's status computed once per day asked for (goals ask about other days)."""

    def __init__(self) -> None:
        self._by_day: dict[dt.date, dict[tuple[str, str], HazardStatus]] = {}
        self.computed = 0

    def get(self, h: HazardSummary, day: dt.date) -> HazardStatus:
        known = self._by_day.setdefault(day, {})
        key = (h.id, h.path)
        st = known.get(key)
        if st is None:
            st = known[key] = hazard_status(h, day)
            self.computed += 1
        return st
