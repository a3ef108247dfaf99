"""What status, listings and reports need of a hazard: small, and cheap to send between processes.

Loading thousands of hazards keeps these, not the full models (which are slower to
ship back from worker processes and bloat memory). ``hazard show`` and the edits read
the full record.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from safeplan.models.records import Acceptance, Closure, Hazard, Rectification


class CycleFacts(NamedTuple):
    """The dates of one rectify → accept → close cycle; ``ended_on`` is its reopening."""

    rectified_on: dt.date | None
    accepted_on: dt.date | None
    accepted: bool
    closed_on: dt.date | None
    ended_on: dt.date | None


class SupervisionFacts(NamedTuple):
    level: str
    by: str
    listed_on: dt.date
    lifted_on: dt.date | None


class HazardSummary(NamedTuple):
    id: str
    path: str
    title: str
    level: str
    responsible_unit: str
    discovered_on: dt.date
    source: str
    deadline: dt.date | None
    enterprise: str | None
    location: str | None
    cycles: tuple[CycleFacts, ...]
    supervision: tuple[SupervisionFacts, ...]
    reported_regulator_on: dt.date | None
    reported_workers_on: dt.date | None
    former_ids: tuple[str, ...] = ()


def _cycle_facts(
    rect: Rectification | None,
    acc: Acceptance | None,
    closure: Closure | None,
    ended_on: dt.date | None,
) -> CycleFacts:
    return CycleFacts(
        rect.on if rect else None,
        acc.on if acc else None,
        acc is not None and acc.result == "passed",
        closure.on if closure else None,
        ended_on,
    )


def summarize(hazard: Hazard, path: str) -> HazardSummary:
    # The current cycle is read from the hazard's own fields: building a Cycle model
    # for it would validate it again, which costs more than the rest of this function.
    cycles = [
        _cycle_facts(p.rectification, p.acceptance, p.closure, r.on)
        for r in hazard.reopenings
        for p in (r.previous,)
    ]
    cycles.append(_cycle_facts(hazard.rectification, hazard.acceptance, hazard.closure, None))
    dr = hazard.double_report
    return HazardSummary(
        id=hazard.id,
        path=path,
        title=hazard.title,
        level=hazard.level,
        responsible_unit=hazard.responsible_unit,
        discovered_on=hazard.discovered_on,
        source=hazard.source,
        deadline=hazard.rectification_plan.deadline if hazard.rectification_plan else None,
        enterprise=hazard.enterprise.name if hazard.enterprise else None,
        location=hazard.location,
        cycles=tuple(cycles),
        supervision=tuple(
            SupervisionFacts(s.level, s.by, s.listed_on, s.lifted_on) for s in hazard.supervision
        ),
        reported_regulator_on=dr.regulator_on if dr else None,
        reported_workers_on=dr.workers_on if dr else None,
        former_ids=tuple(hazard.former_ids),
    )
