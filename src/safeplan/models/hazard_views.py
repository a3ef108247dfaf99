"""The view models of one hazard's detail (``hazard show``): its record and its history.

Apart from ``models.views`` because they hold the hazard's own models
(``models.hazards``), which a command that shows no hazard record does not import.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, field_serializer

from safeplan.models.hazards import (
    Acceptance,
    Closure,
    DoubleReport,
    Extension,
    Hazard,
    Rectification,
    RectificationPlan,
    Supervision,
    Withdrawal,
)
from safeplan.models.records import Correction, Note
from safeplan.models.views import HazardRow, Stamp, View


class PlanVersionView(View):
    """A version of the 五落实 and the day it took force; a replaced one says when, by whom
    and why it was revised."""

    took_force_on: dt.date
    plan: RectificationPlan
    revised_on: dt.date | None = None
    revised_by: str | None = None
    revised_reason: str | None = None


class CycleView(View):
    """One rectify → accept → close cycle; an earlier one with the reopening that ended it
    (a failed acceptance sent back to rectify, or a closure revoked, 撤销销号)."""

    rectification: Rectification | None = None
    acceptance: Acceptance | None = None
    closure: Closure | None = None
    reopened_on: dt.date | None = None
    reopened_reason: str | None = None
    reopened_by: str | None = None


class HazardHistory(View):
    """What happened to a hazard, oldest first, as ``hazard show`` tells it: built from the
    record's history methods (``views.hazard_detail``), so the screen walks no record."""

    #: Every version of the 五落实; the last one is in force unless it was revised.
    plans: list[PlanVersionView] = Field(default_factory=list)
    extensions: list[Extension] = Field(default_factory=list)
    #: Every cycle; the last one is the current one (no ``reopened_on``).
    cycles: list[CycleView] = Field(default_factory=list)
    supervision: list[Supervision] = Field(default_factory=list)
    double_report: DoubleReport | None = None
    withdrawal: Withdrawal | None = None
    corrections: list[Correction] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)

    def plan_in_force(self) -> RectificationPlan | None:
        last = self.plans[-1] if self.plans else None
        return last.plan if last is not None and last.revised_on is None else None

    def current_cycle(self) -> CycleView:
        return self.cycles[-1] if self.cycles else CycleView()

    def earlier_cycles(self) -> list[CycleView]:
        return self.cycles[:-1]

    def revised_plans(self) -> list[PlanVersionView]:
        return [p for p in self.plans if p.revised_on is not None]


class CitedCriterion(View):
    """The 判定标准 item a hazard's basis cites, as the catalog knows it."""

    document_id: str
    #: 文号 or 标准号: 应急管理部令第10号.
    number: str
    title: str
    #: The place cited, written the usual way: 第三条第（二）项 (empty: the document only).
    where: str
    article_title: str | None = None
    item_title: str | None = None


class HazardDetail(HazardRow, Stamp):
    record: Hazard
    history: HazardHistory = HazardHistory()
    #: The catalog's document and item the basis cites (None: no basis, or not found).
    criterion: CitedCriterion | None = None

    @field_serializer("record", "history")
    def _record(self, record: Hazard | HazardHistory) -> dict[str, Any]:
        return record.model_dump(mode="json", exclude_none=True, by_alias=True)
