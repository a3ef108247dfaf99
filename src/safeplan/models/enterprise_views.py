"""The view models of enterprises and their duties: what ``enterprise list|show|duties``,
``status``, the reports and the ledger's enterprise sheet render (codes, never labels)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from safeplan.models.enterprises import EnterpriseRecord
from safeplan.models.views import Stamp, View


class DutyCell(View):
    """One duty of one enterprise on the day."""

    duty: str
    task: int
    title: str
    #: ``done``, ``due`` or ``overdue``.
    state: str
    period: str | None
    every: str | None
    last: dt.date | None
    missed: list[str]
    counted: int
    #: Certificate duties: ``role:person`` without a valid certificate.
    lacking: list[str] = Field(default_factory=list)


class CertificateRow(View):
    enterprise: str
    name: str
    person: str
    role: str
    number: str | None
    valid_until: dt.date


class EnterpriseRow(View):
    id: str
    name: str
    credit_code: str | None
    village: str | None
    industry: str
    high_risk: bool
    grade: str | None
    flags: list[str]
    #: ``operating``, ``suspended``, ``dormant`` or ``deregistered`` on the day.
    state: str
    principal: str | None
    duties: list[DutyCell]
    #: Duties behind (overdue) and periods missed over all duties: how far behind.
    behind: int
    missed: int
    expired: list[CertificateRow] = Field(default_factory=list)


class EnterpriseList(Stamp):
    enterprises: list[EnterpriseRow]


class EnterpriseDetail(Stamp):
    enterprise: EnterpriseRow
    record: EnterpriseRecord


class Rate(View):
    """Of ``total`` enterprises a duty binds, ``done`` have done the current period."""

    key: str
    done: int
    total: int


class DutyFigure(View):
    """One duty over every enterprise it binds on the day."""

    duty: str
    task: int
    title: str
    fulfilled_by: str
    applies_to: str
    total: int
    done: int
    due: int
    overdue: int
    #: The periods the enterprises are held to (``month`` for high-risk …), for the headline.
    every: list[str]
    by_industry: list[Rate]
    by_grade: list[Rate]
    by_village: list[Rate]


class DutiesView(Stamp):
    """The duties section: figures per duty, who is behind (worst first), certificates
    expired, and the high-risk enterprises with no check in the period."""

    duties: list[DutyFigure]
    behind: list[EnterpriseRow]
    expired: list[CertificateRow]
    enterprises: int
    high_risk: int
