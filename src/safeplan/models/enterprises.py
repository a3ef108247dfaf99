"""The enterprise record, ``data/enterprises/<ID>.yaml``: who the plan governs, and the dated
facts its duties ask for (checks, drills, trainings, certificates, the town's inspections).

Facts only, as the hazard record: the enterprise's state (在营, 停产 …) is a dated list,
whether it is behind on a duty is computed (``status/enterprises.py``). The id is the
统一社会信用代码 where the enterprise has one, else an id like a hazard's.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StrictBool

from safeplan import vocab
from safeplan.dates import IsoDate
from safeplan.models.fields import (
    CertificateRole,
    EnterpriseState,
    HazardId,
    Industry,
    NonEmpty,
    Scenario,
)
from safeplan.models.records import Correction, CreditCode, Note, Record

#: An enterprise id: the credit code, or an id of the hazards' alphabet.
EnterpriseId = HazardId


class Person(Record):
    name: NonEmpty
    phone: NonEmpty | None = None


class HighRisk(Record):
    """高危行业 set by hand, against what the industry says, with the reason."""

    value: StrictBool
    reason: NonEmpty


class StateChange(Record):
    """From ``on``, the enterprise is ``state`` (在营, 停产, 歇业, 注销)."""

    on: IsoDate
    state: EnterpriseState
    reason: NonEmpty | None = None
    by: NonEmpty | None = None


class Check(Record):
    """主要负责人带队检查 (task 6): a check of the enterprise's major hazards."""

    on: IsoDate
    led_by: NonEmpty
    #: Hazards found, by id (registered in data/hazards/).
    hazards: list[HazardId] = Field(default_factory=list)
    note: NonEmpty | None = None
    evidence: list[NonEmpty] = Field(default_factory=list)


class Drill(Record):
    """疏散逃生演练 (task 13)."""

    on: IsoDate
    kind: NonEmpty | None = None
    participants: Annotated[int, Field(ge=0)] | None = None
    note: NonEmpty | None = None
    evidence: list[NonEmpty] = Field(default_factory=list)


class Training(Record):
    on: IsoDate
    topic: NonEmpty
    participants: Annotated[int, Field(ge=0)] | None = None
    note: NonEmpty | None = None
    evidence: list[NonEmpty] = Field(default_factory=list)


class Certificate(Record):
    """持证上岗 (task 11): one person's certificate for a role, valid until a day."""

    on: IsoDate
    person: NonEmpty
    role: CertificateRole
    kind: NonEmpty | None = None
    number: NonEmpty | None = None
    valid_until: IsoDate


class Inspection(Record):
    """The town's own inspection of the enterprise (task 16 kinds of work included)."""

    on: IsoDate
    by: NonEmpty
    #: Kinds of work looked at (动火, 有限空间, 高处作业, 临时用电 …), as written.
    works: list[NonEmpty] = Field(default_factory=list)
    findings: NonEmpty | None = None
    hazards: list[HazardId] = Field(default_factory=list)
    evidence: list[NonEmpty] = Field(default_factory=list)


#: The dated facts of an enterprise, by key, with the fact kind each is.
FACT_KEYS = {
    "checks": "check",
    "drills": "drill",
    "trainings": "training",
    "certificates": "certificate",
    "inspections": "inspection",
}
#: Registration facts ``enterprise edit`` may correct, leaving a dated correction.
ENTERPRISE_FIELDS = (
    "name",
    "credit_code",
    "address",
    "village",
    "industry",
    "grade",
    "employees",
    "department",
)


class EnterpriseRecord(Record):
    id: EnterpriseId
    name: NonEmpty
    credit_code: CreditCode | None = None
    address: NonEmpty | None = None
    #: 村/社区.
    village: NonEmpty | None = None
    #: 监管行业.
    industry: Industry
    #: 高危行业 against what the industry says (absent: derived from the industry).
    high_risk: HighRisk | None = None
    #: 分级分类, one of plan.yaml's ``grades``.
    grade: NonEmpty | None = None
    flags: list[Scenario] = Field(default_factory=list)
    principal: Person | None = None
    safety_managers: list[Person] = Field(default_factory=list)
    employees: Annotated[int, Field(ge=0)] | None = None
    #: 行业主管部门.
    department: NonEmpty | None = None
    #: In the register from (the duties apply from this day or the duty's, the later).
    registered_on: IsoDate
    states: list[StateChange] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    drills: list[Drill] = Field(default_factory=list)
    trainings: list[Training] = Field(default_factory=list)
    certificates: list[Certificate] = Field(default_factory=list)
    inspections: list[Inspection] = Field(default_factory=list)
    corrections: list[Correction] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)

    def is_high_risk(self) -> bool:
        """高危行业: the override if there is one, else what the industry says."""
        if self.high_risk is not None:
            return self.high_risk.value
        return self.industry in vocab.HIGH_RISK_INDUSTRIES

    def state_on(self, day: dt.date) -> str:
        """The state in force on ``day`` (before any change: operating)."""
        state = "operating"
        for s in self.states:
            if s.on <= day:
                state = s.state
        return state

    def closed_on(self) -> dt.date | None:
        """The day it was deregistered (注销), if it was."""
        for s in self.states:
            if s.state == "deregistered":
                return s.on
        return None

    def fact_days(self, kind: str) -> list[dt.date]:
        """The days of every fact of one kind (``check``, ``drill`` …), in record order."""
        key = next(k for k, v in FACT_KEYS.items() if v == kind)
        return [f.on for f in getattr(self, key)]
