"""What every stage of the ledger import shares, and the update with them: a row's outcome,
the record's key order, the column a finding is reported at, and the record's check.

Imports nothing of the row or update stages, so that ``importers.ledger.update`` can
import it without a cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from safeplan.models.hazards import Hazard
from safeplan.models.records import Plan
from safeplan.problems import N_, Finding, ListOf

Action = Literal["create", "update", "unchanged", "skip", "error"]

#: What the record keeps where the ledger does not say: who approved an extension and why,
#: who accepted the rectification, who reviewed the closure.
NOT_IN_LEDGER = "台账未载明"


@dataclass(frozen=True)
class RowOutcome:
    """What the import does with one row of the sheet."""

    row: int
    action: Action
    id: str | None = None
    title: str | None = None
    rel: str | None = None
    #: Why a row is skipped, or what an update changes: an English template and params.
    template: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


#: A hazard file's keys in the order the record defines them.
HAZARD_ORDER = tuple(Hazard.model_fields)

#: Which column a key path of the record is reported at.
_PATH_KEYS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("enterprise", "credit_code"), "credit_code"),
    (("enterprise", "address"), "enterprise_address"),
    (("enterprise",), "enterprise"),
    (("rectification_plan", "measures"), "measures"),
    (("rectification_plan", "funds"), "funds"),
    (("rectification_plan", "responsible_person"), "plan_person"),
    (("rectification_plan", "contingency_plan"), "contingency_plan"),
    (("rectification_plan",), "deadline"),
    (("extensions", "on"), "extension_on"),
    (("extensions", "reason"), "extension_reason"),
    (("extensions", "approved_by"), "extension_approved_by"),
    (("extensions",), "extended_to"),
    (("reopenings",), "failed_acceptances"),
    (("rectification",), "rectified_on"),
    (("acceptance", "by"), "accepted_by"),
    (("acceptance", "result"), "acceptance_result"),
    (("acceptance",), "accepted_on"),
    (("closure", "reviewer"), "reviewer"),
    (("closure",), "closed_on"),
    (("supervision",), "supervision"),
    (("double_report",), "double_report"),
    (("notes",), "notes"),
)


def column_of(path: Sequence[str | int]) -> str:
    """The ledger column a problem at a record's key path is shown under."""
    names = tuple(p for p in path if isinstance(p, str))
    for prefix, key in _PATH_KEYS:
        if names[: len(prefix)] == prefix:
            return key
    return names[0] if names else "title"


def record_findings(
    hazard: Hazard, units: Sequence[str], today: dt.date, plan: Plan | None
) -> list[Finding]:
    """What ``safeplan validate`` would say of the record (within it, its unit, its dates,
    the plan's rules: its start, the days allowed for the 五落实)."""
    from safeplan.models.records import Rules
    from safeplan.models.summary import summarize
    from safeplan.rules.cross import unknown_unit
    from safeplan.rules.hazards import check_future_facts, check_hazard
    from safeplan.rules.register import check_hazards_before_start

    out = check_hazard(hazard, hazard.id) + check_future_facts(hazard, today)
    if hazard.responsible_unit not in units:
        out.append(unknown_unit(("responsible_unit",), hazard.responsible_unit, units))
    summary = summarize(hazard, "")
    days = (plan.rules if plan is not None else Rules()).plan_within_days
    out += _plan_in_time(summary, today, days)
    if plan is not None:
        out += [f.finding for f in check_hazards_before_start([summary], plan)]
    return out


def _plan_in_time(summary: Any, today: dt.date, days: int) -> list[Finding]:
    if (
        summary.level != "major"
        or not summary.plan_gaps
        or (today - summary.discovered_on).days <= days
    ):
        return []
    from safeplan.problems import Coded

    return [
        Finding(
            ("rectification_plan",),
            "no-plan",
            N_(
                "a major hazard found on {found} needs its full rectification plan (五落实): the "
                "row lacks {missing}; fill them in"
            ),
            {
                "found": summary.discovered_on,
                "missing": ListOf(
                    [Coded("field", f"rectification_plan.{k}") for k in summary.plan_gaps]
                ),
            },
        )
    ]
