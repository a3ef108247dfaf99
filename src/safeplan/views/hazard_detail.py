"""The history of one hazard as ``hazard show`` tells it: plan versions, extensions, every
rectify → accept → close cycle with the reopening that ended it, listings, reports,
corrections and notes.

Built from the record's history methods (``Hazard.plan_versions_at``, ``Hazard.cycles``),
so the renderer shows a view model and walks no record.
"""

from __future__ import annotations

from safeplan.models.hazard_views import CycleView, HazardHistory, PlanVersionView
from safeplan.models.hazards import Hazard


def hazard_history(hazard: Hazard) -> HazardHistory:
    """What happened to ``hazard``, oldest first."""
    revisions = hazard.plan_revisions
    plans = [
        PlanVersionView(took_force_on=hazard.plan_set_on(version), plan=version)
        for _, version in hazard.plan_versions_at()
    ]
    for version, revision in zip(plans, revisions, strict=False):
        version.revised_on = revision.on
        version.revised_by = revision.by
        version.revised_reason = revision.reason
    cycles = [
        CycleView(
            rectification=c.rectification,
            acceptance=c.acceptance,
            closure=c.closure,
            reopened_on=c.ended_by.on if c.ended_by else None,
            reopened_reason=c.ended_by.reason if c.ended_by else None,
            reopened_by=c.ended_by.by if c.ended_by else None,
        )
        for c in hazard.cycles()
    ]
    return HazardHistory(
        plans=plans,
        extensions=list(hazard.extensions),
        cycles=cycles,
        supervision=list(hazard.supervision),
        double_report=hazard.double_report,
        withdrawal=hazard.withdrawal,
        corrections=list(hazard.corrections),
        notes=list(hazard.notes),
    )
