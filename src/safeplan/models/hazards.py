"""Pydantic models of a hazard file (data/hazards/<ID>.yaml): the record and its facts.

Apart from ``models.records`` (plan, units, tasks) so that a command that reads no
hazard file (``status`` on a plan without hazards) does not build these models: the
hazard's models and the pipeline that reads hazard files are imported only when there
is a hazard to read. Facts only, as every record: status is computed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, NamedTuple

from pydantic import BeforeValidator, ConfigDict, Field

from safeplan.dates import IsoDate
from safeplan.models.fields import (
    AcceptanceResult,
    HazardId,
    Level,
    NonEmpty,
    Source,
    SupervisionLevel,
    funds_value,
    old_supervision_level,
)
from safeplan.models.records import Correction, CreditCode, Note, Record

Funds = Annotated[NonEmpty, BeforeValidator(funds_value)]


class Enterprise(Record):
    #: The registered enterprise (data/enterprises/<id>.yaml), set by ``enterprise link``.
    id: HazardId | None = None
    name: NonEmpty
    credit_code: CreditCode | None = None
    address: NonEmpty | None = None


class RectificationPlan(Record):
    """整改时限 and the rest of the 五落实 (measures, funds, person, contingency plan).

    Every hazard has a deadline; the other four are required of a major hazard only
    (``rules.hazards``), and may come days after it is registered.
    """

    #: When this version of the plan was set (absent: from the discovery).
    on: IsoDate | None = None
    measures: NonEmpty | None = None
    funds: Funds | None = None
    deadline: IsoDate
    responsible_person: NonEmpty | None = None
    contingency_plan: NonEmpty | None = None

    def complete(self) -> bool:
        """All of the 五落实 is there."""
        return None not in (
            self.measures,
            self.funds,
            self.responsible_person,
            self.contingency_plan,
        )


class PlanRevision(Record):
    """A plan replaced by ``hazard plan``: the previous version, kept as history."""

    on: IsoDate
    by: NonEmpty | None = None
    reason: NonEmpty | None = None
    previous: RectificationPlan


class Extension(Record):
    """延期: the deadline in force from ``on`` is ``to`` instead of ``from``."""

    model_config = ConfigDict(extra="forbid", defer_build=True, populate_by_name=True)

    on: IsoDate
    from_: Annotated[IsoDate, Field(alias="from")]
    to: IsoDate
    reason: NonEmpty
    approved_by: NonEmpty


class Withdrawal(Record):
    """撤销: registered by mistake (a duplicate, a false report); the file is kept."""

    on: IsoDate
    reason: NonEmpty
    by: NonEmpty | None = None


class Rectification(Record):
    on: IsoDate
    note: NonEmpty | None = None
    evidence: list[NonEmpty] = Field(default_factory=list)


class Acceptance(Record):
    on: IsoDate
    by: NonEmpty
    result: AcceptanceResult = "passed"
    note: NonEmpty | None = None
    evidence: list[NonEmpty] = Field(default_factory=list)


class Closure(Record):
    on: IsoDate
    reviewer: NonEmpty
    note: NonEmpty | None = None


class Supervision(Record):
    """挂牌督办 by a level of government."""

    level: Annotated[SupervisionLevel, BeforeValidator(old_supervision_level)]
    by: NonEmpty
    listed_on: IsoDate
    lifted_on: IsoDate | None = None


class DoubleReport(Record):
    """双报告: to the regulator and to the workers' congress."""

    regulator_on: IsoDate | None = None
    workers_on: IsoDate | None = None


class Cycle(Record):
    """One rectify → accept → close cycle, as it stood when a reopening ended it."""

    rectification: Rectification | None = None
    acceptance: Acceptance | None = None
    closure: Closure | None = None


class HazardReopening(Record):
    on: IsoDate
    reason: NonEmpty
    by: NonEmpty | None = None
    previous: Cycle = Field(default_factory=Cycle)


#: The registration facts of a hazard (登记信息), dotted for the enterprise's, in the order a
#: correction names them: what ``hazard new`` asks for, ``hazard edit`` and a ledger correct,
#: and ``validate --base`` wants a record of when it changes.
REGISTRATION_FIELDS = (
    "title",
    "level",
    "source",
    "discovered_on",
    "basis",
    "description",
    "industry",
    "location",
    "found_by",
    "responsible_unit",
    "responsible_person",
    "enterprise.name",
    "enterprise.credit_code",
)
#: Registration facts a ledger never corrects: they decide what the hazard is, so only
#: ``hazard edit`` corrects them, one at a time, with a reason for the level.
FIXED_FIELDS = ("level", "source", "discovered_on")
#: Registration facts whose correction needs a reason.
REASONED_FIELDS = ("level",)
#: The option of ``hazard edit`` that corrects each registration fact: what a message names.
EDIT_OPTIONS = {
    "title": "--title",
    "level": "--level",
    "source": "--source",
    "discovered_on": "--discovered",
    "basis": "--basis",
    "description": "--description",
    "industry": "--industry",
    "location": "--location",
    "found_by": "--found-by",
    "responsible_unit": "--unit",
    "responsible_person": "--person",
    "enterprise.name": "--enterprise",
    "enterprise.credit_code": "--credit-code",
}
#: Registration facts a correction may change, leaving a dated record of the old value.
CORRECTABLE_FIELDS = tuple(f for f in REGISTRATION_FIELDS if f not in FIXED_FIELDS)


class CycleOf(NamedTuple):
    """One rectify → accept → close cycle of a hazard, and the reopening that ended it
    (None: the current cycle, read from the hazard's own fields)."""

    rectification: Rectification | None
    acceptance: Acceptance | None
    closure: Closure | None
    ended_by: HazardReopening | None
    #: Where the cycle is in the record: ``()`` for the current one, else
    #: ``("reopenings", i, "previous")``.
    at: tuple[str | int, ...] = ()


class Hazard(Record):
    id: HazardId
    #: Ids the hazard had before ``safeplan hazard renumber`` gave it this one.
    former_ids: list[HazardId] = Field(default_factory=list)
    #: The number a ledger (台账) it was imported from gave it, as that ledger wrote it.
    ledger_no: NonEmpty | None = None
    title: NonEmpty
    description: NonEmpty | None = None
    level: Level
    #: 判定依据: the clause of the 重大事故隐患判定标准 (or other rule) the level rests on.
    basis: NonEmpty | None = None
    industry: NonEmpty | None = None
    enterprise: Enterprise | None = None
    location: NonEmpty | None = None
    discovered_on: IsoDate
    source: Source
    found_by: NonEmpty | None = None
    responsible_unit: NonEmpty
    responsible_person: NonEmpty | None = None
    rectification_plan: RectificationPlan | None = None
    plan_revisions: list[PlanRevision] = Field(default_factory=list)
    extensions: list[Extension] = Field(default_factory=list)
    rectification: Rectification | None = None
    acceptance: Acceptance | None = None
    closure: Closure | None = None
    supervision: list[Supervision] = Field(default_factory=list)
    double_report: DoubleReport | None = None
    reopenings: list[HazardReopening] = Field(default_factory=list)
    withdrawal: Withdrawal | None = None
    corrections: list[Correction] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)

    # ----------------------------------------------------------------- its history
    # What the record says happened, walked once here: status, views, rules, edits and
    # importers read the history through these methods, never by walking the lists.

    def registration_value(self, field: str) -> str | None:
        """A registration fact by its dotted name (``enterprise.name``), as text."""
        if field.startswith("enterprise."):
            ent = self.enterprise
            return getattr(ent, field.split(".", 1)[1]) if ent is not None else None
        value = getattr(self, field)
        return None if value is None else str(value)

    def plan_versions(self) -> list[RectificationPlan]:
        """Every version of the 五落实, oldest first: the revised ones, then the one in force."""
        return [v for _, v in self.plan_versions_at()]

    def plan_versions_at(self) -> list[tuple[tuple[str | int, ...], RectificationPlan]]:
        """Every version of the 五落实 with where it is in the record, oldest first."""
        out: list[tuple[tuple[str | int, ...], RectificationPlan]] = [
            (("plan_revisions", i, "previous"), r.previous)
            for i, r in enumerate(self.plan_revisions)
        ]
        if self.rectification_plan is not None:
            out.append((("rectification_plan",), self.rectification_plan))
        return out

    def plan_set_on(self, version: RectificationPlan) -> dt.date:
        """The day a version of the plan took force (a plan without ``on``: the discovery)."""
        return version.on or self.discovered_on

    def plan_on(self, day: dt.date) -> RectificationPlan | None:
        """The version of the 五落实 in force on ``day`` (before the first: the first)."""
        versions = self.plan_versions()
        chosen = versions[0] if versions else None
        for v in versions:
            if self.plan_set_on(v) <= day:
                chosen = v
        return chosen

    def cycles(self) -> list[CycleOf]:
        """Every rectify → accept → close cycle, oldest first; the last is the current one.

        A failed acceptance or a revoked closure (撤销销号) ends a cycle with a reopening,
        which keeps the earlier cycle's facts."""
        out = [
            CycleOf(p.rectification, p.acceptance, p.closure, r, ("reopenings", i, "previous"))
            for i, r in enumerate(self.reopenings)
            for p in (r.previous,)
        ]
        out.append(CycleOf(self.rectification, self.acceptance, self.closure, None))
        return out

    def cycle_on(
        self, day: dt.date
    ) -> tuple[Rectification | None, Acceptance | None, Closure | None]:
        """The cycle in force on ``day``, without the facts dated after it."""
        rect, acc, clo = self.rectification, self.acceptance, self.closure
        for r in self.reopenings:
            if r.on > day:
                p = r.previous
                rect, acc, clo = p.rectification, p.acceptance, p.closure
                break
        return (
            rect if rect is not None and rect.on <= day else None,
            acc if acc is not None and acc.on <= day else None,
            clo if clo is not None and clo.on <= day else None,
        )

    def deadline_in_force(self) -> dt.date | None:
        """The latest deadline the record sets: the last extension's, else the plan's."""
        if self.extensions:
            return self.extensions[-1].to
        return self.rectification_plan.deadline if self.rectification_plan else None
