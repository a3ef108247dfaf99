"""Pydantic models of a plan repository's records: what the YAML files hold.

Facts only: every record stores dated facts, never a status; status is computed
(``safeplan.status``). No I/O, no clock. Unknown fields are forbidden so that a
misspelt key is a located error rather than a silently ignored fact. Coded fields hold
the codes of ``safeplan.vocab``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

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
    AreaCode,
    CertificateRole,
    CheckIn,
    EnterpriseFact,
    GoalKind,
    Level,
    NonEmpty,
    UnitKind,
    checked_credit_code,
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


# --------------------------------------------------------------------------- facts a
# hazard and an enterprise both keep (the hazard's own records: ``models.hazards``)


CreditCode = Annotated[
    str, StringConstraints(pattern=CREDIT_CODE_PATTERN), AfterValidator(checked_credit_code)
]


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


class Note(Record):
    on: IsoDate
    text: NonEmpty
    by: NonEmpty | None = None
