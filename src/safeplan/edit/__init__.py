"""Record edits: load round-trip → change in place → validate the result → write atomically.

Every edit behaves as a careful person editing the YAML by hand would: comments, key
order, quoting, blank lines, CRLF and Chinese text survive, and only the touched keys
change. The changed record is validated (schema, the rules within it, its references
to units and actions) before anything is written; the write is atomic and refuses if
the file changed on disk after it was read. On any failure no file changes.

The core is pure: no printing, no prompting, no clock (dates are parameters), no
environment. An edit returns an :class:`EditResult` (the bytes before and after, a
one-line summary and a commit message) and raises safeplan errors.

``transaction``: the result and writing it all or nothing · ``context``: what every
edit reads and checks · ``hazards``: the closed loop · ``corrections``: 延期, the
五落实 revised, registration facts corrected, withdrawal · ``register``: new hazards and
their ids · ``renumber``: a new id · ``tasks``: progress, completion and revision.
"""

from safeplan.edit.context import check_unit, unit_names
from safeplan.edit.corrections import PlanFields, edit_registration, extend, plan, withdraw
from safeplan.edit.hazards import (
    accept,
    close,
    lift_supervision,
    note,
    rectify,
    reopen,
    report,
    supervise,
)
from safeplan.edit.register import (
    PLAN_FIELDS,
    NewHazard,
    missing_fields,
    new_hazard,
    new_hazard_id,
    plan_due,
    plan_late,
)
from safeplan.edit.renumber import renumber
from safeplan.edit.tasks import task_done, task_progress, task_reopen, task_revise
from safeplan.edit.transaction import EditResult, FileChange, apply, revert

__all__ = [
    "PLAN_FIELDS",
    "EditResult",
    "FileChange",
    "NewHazard",
    "PlanFields",
    "accept",
    "apply",
    "check_unit",
    "close",
    "edit_registration",
    "extend",
    "lift_supervision",
    "missing_fields",
    "new_hazard",
    "new_hazard_id",
    "note",
    "plan",
    "plan_due",
    "plan_late",
    "rectify",
    "renumber",
    "reopen",
    "report",
    "revert",
    "supervise",
    "task_done",
    "task_progress",
    "task_reopen",
    "task_revise",
    "unit_names",
    "withdraw",
]
