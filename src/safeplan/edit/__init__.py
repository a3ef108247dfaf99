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
their ids · ``new_form``: the fields of ``hazard new``, for both front ends · ``new_id``: a
new id (``renumber``) · ``tasks``: progress, completion and revision · ``subjects``: what
each edit says (its line and its commit subject, one row each).

The names below are imported from their module only when first asked for (PEP 562), so
that importing one module of the package (``edit.typed``, which every command's options
use) does not import every edit, the round-trip YAML and the hazard models with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from safeplan.lazy import lazy_names

if TYPE_CHECKING:
    from safeplan.edit.context import check_unit, unit_names
    from safeplan.edit.corrections import edit_registration, extend, plan, withdraw
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
    from safeplan.edit.new_form import PLAN_FIELDS, PlanFields
    from safeplan.edit.new_id import renumber
    from safeplan.edit.register import (
        NewHazard,
        missing_fields,
        new_hazard,
        new_hazard_id,
        plan_due,
        plan_late,
    )
    from safeplan.edit.tasks import task_done, task_progress, task_reopen, task_revise
    from safeplan.edit.transaction import EditResult, FileChange, apply, revert

#: Each name the package offers, and the module that holds it.
_HOMES = {
    **dict.fromkeys(("check_unit", "unit_names"), "context"),
    **dict.fromkeys(("edit_registration", "extend", "plan", "withdraw"), "corrections"),
    **dict.fromkeys(
        ("accept", "close", "lift_supervision", "note", "rectify", "reopen", "report", "supervise"),
        "hazards",
    ),
    **dict.fromkeys(
        ("NewHazard", "missing_fields", "new_hazard", "new_hazard_id", "plan_due", "plan_late"),
        "register",
    ),
    **dict.fromkeys(("PLAN_FIELDS", "PlanFields"), "new_form"),
    **dict.fromkeys(("renumber",), "new_id"),
    **dict.fromkeys(("task_done", "task_progress", "task_reopen", "task_revise"), "tasks"),
    **dict.fromkeys(("EditResult", "FileChange", "apply", "revert"), "transaction"),
}

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


__getattr__, __dir__ = lazy_names(__name__, _HOMES, __all__)
