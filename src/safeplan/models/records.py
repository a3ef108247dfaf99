"""Pydantic models of a plan repository's records: what the YAML files hold.

Facts only: every record stores dated facts, never a status; status is computed
(``safeplan.status``). No I/O, no clock. Unknown fields are forbidden so that a
misspelt key is a located error rather than a silently ignored fact. Coded fields hold
the codes of ``safeplan.vocab``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from safeplan.dates import IsoDate
from safeplan.models.fields import (
    CREDIT_CODE_PATTERN,
    AcceptanceResult,
    CertificateRole,
    CheckIn,
    EnterpriseFact,
    GoalKind,
    HazardId,
    Level,
    NonEmpty,
    Source,
    SupervisionLevel,
    UnitKind,
    checked_credit_code,
    funds_value,
    old_supervision_level,
)


class Record(BaseModel):
    """Common configuration: strict about unknown keys; dates are ``IsoDate``."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


# --------------------------------------------------------------------------- plan


class ParentPlan(Record):
    title: NonEmpty
    issuer: NonEmpty
    number: NonEmpty | None = None


class Action(Record):
    #: The source's own numeral: 一 … 七, 九 (the source has no 八).
    numeral: NonEmpty
    title: NonEmpty


class Period(Record):
    start: IsoDate
    end: IsoDate


class Goal(Record):
    """A dated target of the plan, evaluated from the hazard records.

    kind ``stock_cleared``: every hazard of ``level`` discovered on or before
    ``discovered_until`` is closed by ``due``.
    kind ``increment_curbed``: new hazards of ``level`` discovered from
    ``discovered_from`` do not rise quarter on quarter, and none of them is open past
    its deadline at ``due``.
    kind ``dynamic_zero``: from ``due`` on, no hazard of ``level`` is open past
    its deadline.
    """

    id: NonEmpty
    kind: GoalKind
    title: NonEmpty
    level: Level = "major"
    discovered_until: IsoDate | None = None
    discovered_from: IsoDate | None = None
    due: IsoDate


class Rules(Record):
    """Local rules a plan may relax."""

    close_requires_double_report: StrictBool = True
    due_soon_days: Annotated[int, Field(ge=0, le=366)] = 30
    #: Days a major hazard may stay registered without its full 五落实 before validate
    #: reports it: the plan is usually drawn up in the days after the hazard is found.
    plan_within_days: Annotated[int, Field(ge=0, le=366)] = 7
    #: From this day a major hazard without a 判定依据 (basis) is an error, before it a
    #: warning: existing registers are not broken at once (issue 20).
    basis_required_from: IsoDate | None = None


def _as_text(value: Any) -> Any:
    """A value a revision names (a date, a number, a list of units) as the text it reads as."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | dt.date):
        return str(value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


RevisedValue = Annotated[str | None, BeforeValidator(_as_text)]


class RevisedItem(Record):
    """One thing a revision of the plan changed: a task's field, a whole task, a goal or a
    rule. Exactly one of ``task``, ``goal`` and ``rule`` is given."""

    model_config = ConfigDict(extra="forbid", defer_build=True, populate_by_name=True)

    task: Annotated[int, Field(ge=1)] | None = None
    goal: NonEmpty | None = None
    rule: NonEmpty | None = None
    #: Of a task: ``deadline``, ``units``, ``title``, ``text`` or ``action``; absent: the
    #: whole task (added or removed).
    field: NonEmpty | None = None
    from_: Annotated[RevisedValue, Field(alias="from")] = None
    to: RevisedValue = None

    @model_validator(mode="after")
    def _one_subject(self) -> RevisedItem:
        if sum(x is not None for x in (self.task, self.goal, self.rule)) != 1:
            raise PydanticCustomError("revised_item", "give exactly one of task, goal or rule", {})
        return self


class Revision(Record):
    """A dated, reasoned change of the plan's tasks, deadlines, units, goals or rules: what
    ``import text --apply`` of a revised text and ``task revise`` write. Against a base, a
    change of those that no new revision names is an error (``validate --base``)."""

    on: IsoDate
    reason: NonEmpty
    by: NonEmpty | None = None
    #: The document that revised the plan (文号), or the revised text's file.
    document: NonEmpty | None = None
    changes: Annotated[list[RevisedItem], Field(min_length=1)]


class ReportInfo(Record):
    """Who signs the reports (the 落款 and the 填报 line of a Word or PDF report). Each
    absent value is a blank to fill in by hand on the printed page."""

    #: 落款 and 填报单位 (default: the plan's issuer).
    issuing_unit: NonEmpty | None = None
    #: 填报人.
    filled_by: NonEmpty | None = None
    #: 审核人.
    reviewer: NonEmpty | None = None
    #: 联系电话.
    phone: NonEmpty | None = None


class Grade(Record):
    """One step of the plan's 分级分类 scale (provinces differ: A–D, 1–4, 红橙黄蓝)."""

    code: NonEmpty
    label: NonEmpty | None = None
    #: What the grade means for supervision, as the plan says it.
    meaning: NonEmpty | None = None


class Duty(Record):
    """A recurring obligation of enterprises the plan states, tied to its task.

    ``applies_to``: ``all``, ``high_risk``, ``grade:<code>``, ``flag:<scenario>`` or
    ``industry:<code>``. A periodic duty (``check``, ``drill``, ``training``,
    ``inspection``) is fulfilled by one such fact in each calendar period ``every``
    (``high_risk_every`` for high-risk enterprises); a ``certificate`` duty by a valid
    certificate for each of ``roles`` on the day.
    """

    model_config = ConfigDict(extra="forbid", defer_build=True, populate_by_name=True)

    id: NonEmpty
    task: Annotated[int, Field(ge=1)]
    title: NonEmpty
    applies_to: NonEmpty = "all"
    every: CheckIn | None = None
    high_risk_every: CheckIn | None = None
    fulfilled_by: EnterpriseFact
    roles: list[CertificateRole] = Field(default_factory=list)
    from_: Annotated[IsoDate, Field(alias="from")]


def _code_text(value: Any) -> Any:
    """A 行政区划代码 written without quotes (YAML reads a number): its digits. Codes start
    with a province's 11–65, so no leading zero is lost."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


#: 行政区划代码: the 12-digit statistical area code of a town (乡镇级).
AreaCode = Annotated[str, BeforeValidator(_code_text), StringConstraints(pattern=r"^[0-9]{12}$")]


class Plan(Record):
    title: NonEmpty
    issuer: NonEmpty
    #: The town's 行政区划代码: the key of its rows in a county's database (``export``).
    area_code: AreaCode | None = None
    period: Period
    language: Literal["zh-CN", "en"] = "zh-CN"
    timezone: NonEmpty = "Asia/Shanghai"
    source: NonEmpty | None = None
    parent_plans: list[ParentPlan] = Field(default_factory=list)
    actions: list[Action]
    goals: list[Goal] = Field(default_factory=list)
    rules: Rules = Field(default_factory=Rules)
    #: Dated revisions of the plan (tasks, deadlines, units, goals, rules), oldest first.
    revisions: list[Revision] = Field(default_factory=list)
    #: Who signs the reports (落款, 填报单位, 填报人, 审核人, 联系电话).
    report: ReportInfo = Field(default_factory=ReportInfo)
    #: The 分级分类 scale of enterprises, most closely supervised first.
    grades: list[Grade] = Field(default_factory=list)
    #: The recurring duties of enterprises the plan states (tasks 6, 11, 13 …).
    duties: list[Duty] = Field(default_factory=list)


# --------------------------------------------------------------------------- units


class Contact(Record):
    person: NonEmpty | None = None
    phone: NonEmpty | None = None
    email: NonEmpty | None = None


class Unit(Record):
    #: As the plan writes it, e.g. 镇安监站.
    name: NonEmpty
    full_name: NonEmpty | None = None
    kind: UnitKind
    #: For kind ``group``: the units it stands for.
    members: list[NonEmpty] = Field(default_factory=list)
    contact: Contact | None = None
    note: NonEmpty | None = None


class UnitsFile(Record):
    units: list[Unit]


# --------------------------------------------------------------------------- tasks


class ProgressNote(Record):
    on: IsoDate
    note: NonEmpty
    by: NonEmpty | None = None
    #: Paths in the repository or document numbers.
    evidence: list[NonEmpty] = Field(default_factory=list)


class Completion(Record):
    on: IsoDate
    note: NonEmpty | None = None
    evidence: list[NonEmpty] = Field(default_factory=list)


class TaskReopening(Record):
    on: IsoDate
    reason: NonEmpty
    #: The completion that the reopening withdrew, kept as history.
    previous: Completion | None = None


class Task(Record):
    number: Annotated[int, Field(ge=1)]
    #: The numeral of the action the task belongs to.
    action: NonEmpty
    title: NonEmpty
    text: NonEmpty
    #: A month in the plan means its last day. None with ``ongoing: true`` (长期坚持).
    deadline: IsoDate | None = None
    ongoing: StrictBool = False
    #: Two phases (…9月底前集中完成，此后长期坚持): done by ``deadline``, then kept up with
    #: progress notes every ``check_in`` (its status is the deadline's until it is done).
    ongoing_after: StrictBool = False
    #: For ongoing tasks (and the second phase of ``ongoing_after``): how often a progress
    #: note is expected.
    check_in: CheckIn = "quarter"
    #: As the plan writes them; the first is the lead unit (牵头).
    units: Annotated[list[NonEmpty], Field(min_length=1)]
    progress: list[ProgressNote] = Field(default_factory=list)
    done: Completion | None = None
    reopenings: list[TaskReopening] = Field(default_factory=list)


class TasksFile(Record):
    tasks: list[Task]


# --------------------------------------------------------------------------- hazards


CreditCode = Annotated[
    str, StringConstraints(pattern=CREDIT_CODE_PATTERN), AfterValidator(checked_credit_code)
]
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


class Correction(Record):
    """A registration fact corrected by ``hazard edit``: what it was, what it became."""

    model_config = ConfigDict(extra="forbid", defer_build=True, populate_by_name=True)

    on: IsoDate
    by: NonEmpty | None = None
    field: NonEmpty
    from_: Annotated[str | None, Field(alias="from")] = None
    to: str | None = None
    #: Why: required for a change of level (a 判定依据 that changed, usually).
    reason: NonEmpty | None = None


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


class Note(Record):
    on: IsoDate
    text: NonEmpty
    by: NonEmpty | None = None


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
