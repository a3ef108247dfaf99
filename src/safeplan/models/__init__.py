"""The records a plan repository holds (``records``: plan, units, tasks; ``hazards``: a
hazard file), the small summary of a hazard that loading keeps (``summary``), and the view
models every output renders (``views``).

The names below are importable from the package as before, but each is imported from its
module only when asked for (PEP 562): importing ``safeplan.models.records`` for the plan
must not build the hazard's models (``status`` on a plan without hazards starts fast).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from safeplan.lazy import lazy_names

if TYPE_CHECKING:
    from safeplan.models.fields import HAZARD_ID_PATTERN, HAZARD_ID_RE
    from safeplan.models.hazards import (
        Acceptance,
        Closure,
        Cycle,
        DoubleReport,
        Enterprise,
        Hazard,
        HazardReopening,
        Rectification,
        RectificationPlan,
        Supervision,
    )
    from safeplan.models.records import (
        Action,
        Completion,
        Goal,
        Note,
        Plan,
        ProgressNote,
        Task,
        TaskReopening,
        TasksFile,
        Unit,
        UnitsFile,
    )
    from safeplan.models.summary import CycleFacts, HazardSummary, SupervisionFacts, summarize

#: Each name the package offers, and the module that holds it.
_HOMES = {
    **dict.fromkeys(("HAZARD_ID_PATTERN", "HAZARD_ID_RE"), "fields"),
    **dict.fromkeys(
        (
            "Acceptance",
            "Closure",
            "Cycle",
            "DoubleReport",
            "Enterprise",
            "Hazard",
            "HazardReopening",
            "Rectification",
            "RectificationPlan",
            "Supervision",
        ),
        "hazards",
    ),
    **dict.fromkeys(
        (
            "Action",
            "Completion",
            "Goal",
            "Note",
            "Plan",
            "ProgressNote",
            "Task",
            "TaskReopening",
            "TasksFile",
            "Unit",
            "UnitsFile",
        ),
        "records",
    ),
    **dict.fromkeys(("CycleFacts", "HazardSummary", "SupervisionFacts", "summarize"), "summary"),
}

__all__ = [
    "HAZARD_ID_PATTERN",
    "HAZARD_ID_RE",
    "Acceptance",
    "Action",
    "Closure",
    "Completion",
    "Cycle",
    "CycleFacts",
    "DoubleReport",
    "Enterprise",
    "Goal",
    "Hazard",
    "HazardReopening",
    "HazardSummary",
    "Note",
    "Plan",
    "ProgressNote",
    "Rectification",
    "RectificationPlan",
    "Supervision",
    "SupervisionFacts",
    "Task",
    "TaskReopening",
    "TasksFile",
    "Unit",
    "UnitsFile",
    "summarize",
]


__getattr__, __dir__ = lazy_names(__name__, _HOMES, __all__)
