"""Pydantic models of a plan repository's records.

Facts only: every record stores dated facts, never a status; status is computed
(see ``status.py``). No I/O, no clock. Unknown fields are forbidden so that a
misspelt key is a located error rather than a silently ignored fact.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

#: Hazard ids become file names, so they are restricted to a safe alphabet.
HAZARD_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
HAZARD_ID_RE = re.compile(HAZARD_ID_PATTERN)

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
HazardId = Annotated[str, StringConstraints(pattern=HAZARD_ID_PATTERN)]

Level = Literal["major", "general"]
Source = Literal["self-check", "inspection", "public-report", "higher-inspection"]
CheckIn = Literal["month", "quarter", "half-year", "year"]
AcceptanceResult = Literal["passed", "failed"]


class Record(BaseModel):
    """Common configuration: strict about unknown keys, lax about date strings."""

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
    start: dt.date
    end: dt.date


class Goal(Record):
    """A dated target of the plan, evaluated from the hazard records.

    kind ``stock_cleared``: every hazard of ``level`` discovered on or before
    ``discovered_until`` is closed by ``due``.
    kind ``increment_curbed``: new hazards of ``level`` discovered from
    ``discovered_from`` fall quarter on quarter, and none of them is open past
    its deadline at ``due``.
    kind ``dynamic_zero``: from ``due`` on, no hazard of ``level`` is open past
    its deadline.
    """

    id: NonEmpty
    kind: Literal["stock_cleared", "increment_curbed", "dynamic_zero"]
    title: NonEmpty
    level: Level = "major"
    due: dt.date
    discovered_until: dt.date | None = None
    discovered_from: dt.date | None = None


class Rules(Record):
    """Local rules a plan may relax."""

    close_requires_double_report: StrictBool = True
    due_soon_days: Annotated[int, Field(ge=0, le=366)] = 30


class Plan(Record):
    title: NonEmpty
    issuer: NonEmpty
    period: Period
    language: Literal["zh-CN", "en"] = "zh-CN"
    timezone: NonEmpty = "Asia/Shanghai"
    source: NonEmpty | None = None
    parent_plans: list[ParentPlan] = Field(default_factory=list)
    actions: list[Action]
    goals: list[Goal] = Field(default_factory=list)
    rules: Rules = Field(default_factory=Rules)


# --------------------------------------------------------------------------- units


class Contact(Record):
    person: NonEmpty | None = None
    phone: NonEmpty | None = None
    email: NonEmpty | None = None


class Unit(Record):
    #: As the plan writes it, e.g. 镇安监站.
    name: NonEmpty
    full_name: NonEmpty | None = None
    kind: Literal["station", "office", "agency", "institution", "committee", "group"]
    #: For kind ``group``: the units it stands for.
    members: list[NonEmpty] = Field(default_factory=list)
    contact: Contact | None = None
    note: NonEmpty | None = None


class UnitsFile(Record):
    units: list[Unit]


# --------------------------------------------------------------------------- tasks


class ProgressNote(Record):
    on: dt.date
    note: NonEmpty
    by: NonEmpty | None = None
    #: Paths in the repository or document numbers.
    evidence: list[NonEmpty] = Field(default_factory=list)


class Completion(Record):
    on: dt.date
    note: NonEmpty | None = None
    evidence: list[NonEmpty] = Field(default_factory=list)


class TaskReopening(Record):
    on: dt.date
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
    deadline: dt.date | None = None
    ongoing: StrictBool = False
    #: For ongoing tasks: how often a progress note is expected.
    check_in: CheckIn = "quarter"
    #: As the plan writes them; the first is the lead unit (牵头).
    units: Annotated[list[NonEmpty], Field(min_length=1)]
    progress: list[ProgressNote] = Field(default_factory=list)
    done: Completion | None = None
    reopenings: list[TaskReopening] = Field(default_factory=list)


class TasksFile(Record):
    tasks: list[Task]


# --------------------------------------------------------------------------- hazards


class Enterprise(Record):
    name: NonEmpty
    #: 统一社会信用代码: 18 characters.
    credit_code: Annotated[str, StringConstraints(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$")] | None = (
        None
    )
    address: NonEmpty | None = None


class RectificationPlan(Record):
    """五落实: responsibility, measures, funds, time limit, contingency plan."""

    measures: NonEmpty
    funds: NonEmpty
    deadline: dt.date
    responsible_person: NonEmpty
    contingency_plan: NonEmpty


class Rectification(Record):
    on: dt.date
    note: NonEmpty | None = None
    evidence: list[NonEmpty] = Field(default_factory=list)


class Acceptance(Record):
    on: dt.date
    by: NonEmpty
    result: AcceptanceResult = "passed"
    note: NonEmpty | None = None
    evidence: list[NonEmpty] = Field(default_factory=list)


class Closure(Record):
    on: dt.date
    reviewer: NonEmpty
    note: NonEmpty | None = None


class Supervision(Record):
    """挂牌督办 by a level of government."""

    level: Literal["省级", "市级", "县级", "镇级"]
    by: NonEmpty
    listed_on: dt.date
    lifted_on: dt.date | None = None


class DoubleReport(Record):
    """双报告: to the regulator and to the workers' congress."""

    regulator_on: dt.date | None = None
    workers_on: dt.date | None = None


class Cycle(Record):
    """One rectify → accept → close cycle, as it stood when a reopening ended it."""

    rectification: Rectification | None = None
    acceptance: Acceptance | None = None
    closure: Closure | None = None


class HazardReopening(Record):
    on: dt.date
    reason: NonEmpty
    by: NonEmpty | None = None
    previous: Cycle = Field(default_factory=Cycle)


class Note(Record):
    on: dt.date
    text: NonEmpty
    by: NonEmpty | None = None


class Hazard(Record):
    id: HazardId
    title: NonEmpty
    description: NonEmpty | None = None
    level: Level
    industry: NonEmpty | None = None
    enterprise: Enterprise | None = None
    location: NonEmpty | None = None
    discovered_on: dt.date
    source: Source
    found_by: NonEmpty | None = None
    responsible_unit: NonEmpty
    responsible_person: NonEmpty | None = None
    rectification_plan: RectificationPlan | None = None
    rectification: Rectification | None = None
    acceptance: Acceptance | None = None
    closure: Closure | None = None
    supervision: list[Supervision] = Field(default_factory=list)
    double_report: DoubleReport | None = None
    reopenings: list[HazardReopening] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)


#: Models that are whole files, by the name used in messages.
FILE_MODELS: dict[str, type[BaseModel]] = {
    "plan": Plan,
    "units": UnitsFile,
    "tasks": TasksFile,
    "hazard": Hazard,
}


# --------------------------------------------------------------------------- summaries


class CycleFacts(NamedTuple):
    """The dates of one rectify → accept → close cycle; ``ended_on`` is its reopening."""

    rectified_on: dt.date | None
    accepted_on: dt.date | None
    accepted: bool
    closed_on: dt.date | None
    ended_on: dt.date | None


class SupervisionFacts(NamedTuple):
    level: str
    by: str
    listed_on: dt.date
    lifted_on: dt.date | None


class HazardSummary(NamedTuple):
    """What status and listings need of a hazard: small and cheap to send between processes.

    Loading thousands of hazards keeps these, not the full models (which are
    slower to ship back from worker processes and bloat memory).
    """

    id: str
    path: str
    title: str
    level: str
    responsible_unit: str
    discovered_on: dt.date
    source: str
    deadline: dt.date | None
    enterprise: str | None
    location: str | None
    cycles: tuple[CycleFacts, ...]
    supervision: tuple[SupervisionFacts, ...]
    reported_regulator_on: dt.date | None
    reported_workers_on: dt.date | None
    last_note_on: dt.date | None


def _cycle_facts(
    rect: Rectification | None,
    acc: Acceptance | None,
    closure: Closure | None,
    ended_on: dt.date | None,
) -> CycleFacts:
    return CycleFacts(
        rect.on if rect else None,
        acc.on if acc else None,
        acc is not None and acc.result == "passed",
        closure.on if closure else None,
        ended_on,
    )


def summarize(hazard: Hazard, path: str) -> HazardSummary:
    # The current cycle is read from the hazard's own fields: building a Cycle model
    # for it would validate it again, which costs more than the rest of this function.
    cycles = [
        _cycle_facts(p.rectification, p.acceptance, p.closure, r.on)
        for r in hazard.reopenings
        for p in (r.previous,)
    ]
    cycles.append(_cycle_facts(hazard.rectification, hazard.acceptance, hazard.closure, None))
    dr = hazard.double_report
    return HazardSummary(
        id=hazard.id,
        path=path,
        title=hazard.title,
        level=hazard.level,
        responsible_unit=hazard.responsible_unit,
        discovered_on=hazard.discovered_on,
        source=hazard.source,
        deadline=hazard.rectification_plan.deadline if hazard.rectification_plan else None,
        enterprise=hazard.enterprise.name if hazard.enterprise else None,
        location=hazard.location,
        cycles=tuple(cycles),
        supervision=tuple(
            SupervisionFacts(s.level, s.by, s.listed_on, s.lifted_on) for s in hazard.supervision
        ),
        reported_regulator_on=dr.regulator_on if dr else None,
        reported_workers_on=dr.workers_on if dr else None,
        last_note_on=max((n.on for n in hazard.notes), default=None),
    )
