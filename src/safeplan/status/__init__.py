"""Status computed from dated facts and an as-of day: tasks, hazards, goals, unit load.

Pure: no I/O, no clock. A fact dated after the as-of day does not count yet, so
``as_of=2025-06-30`` reproduces the picture of that day.
"""

from safeplan.status.goals import GoalResult, Trend, Verdict, evaluate_goal, trend_of
from safeplan.status.hazards import (
    HAZARD_STATES,
    HazardState,
    HazardStatus,
    StatusCache,
    cycle_in_force,
    deadline_on,
    hazard_state,
    hazard_status,
    overdue_since,
)
from safeplan.status.tasks import (
    DONE_STATES,
    TASK_STATES,
    TaskState,
    TaskStatus,
    task_done_on,
    task_status,
)
from safeplan.status.units import UnitLoad, expand, leads, members, task_involves, unit_loads

__all__ = [
    "DONE_STATES",
    "HAZARD_STATES",
    "TASK_STATES",
    "GoalResult",
    "HazardState",
    "HazardStatus",
    "StatusCache",
    "TaskState",
    "TaskStatus",
    "Trend",
    "UnitLoad",
    "Verdict",
    "cycle_in_force",
    "deadline_on",
    "evaluate_goal",
    "expand",
    "hazard_state",
    "hazard_status",
    "leads",
    "members",
    "overdue_since",
    "task_done_on",
    "task_involves",
    "task_status",
    "trend_of",
    "unit_loads",
]
