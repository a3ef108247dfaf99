"""A hazard's state on a day, from the dated facts of its cycles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from safeplan.models.summary import CycleFacts, HazardSummary

HazardState = Literal["open", "rectified", "accepted", "closed"]
#: The order in which hazard states are counted and shown.
HAZARD_STATES: tuple[HazardState, ...] = ("open", "rectified", "accepted", "closed")


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
