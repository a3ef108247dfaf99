"""The ledger (台账): its columns, defined once, and the view models of an export.

The columns are shared by the export (``views.ledger`` fills the rows, ``render.ledger``
writes them) and the import (``importers.ledger`` reads them back), so a heading means
the same thing both ways. A column's heading is either the label of a record field
(``vocab.FIELD``) or an English msgid of its own (translated when shown). Views hold
codes and dates, never labels: the renderer chooses the reader's words.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from pydantic import Field

from safeplan.models.views import Rates, View
from safeplan.problems import N_

Kind = Literal["text", "date", "number", "int", "coded", "long"]


class Column(NamedTuple):
    """One column of a sheet: its key (a field of the row model), heading and kind.

    ``field`` is the ``vocab.FIELD`` code whose label is the heading; ``msgid`` a heading
    of the ledger's own (with a ``field`` too, the heading is the msgid and the field
    names the column in messages: 批准日期 alone would not say whose approval). ``width`` is the widest the writer makes the
    column, in Excel's units (a Chinese character takes two): longer text wraps, so that
    the sheet prints on two A4 pages across, at full size.
    """

    key: str
    field: str | None
    msgid: str | None
    kind: Kind
    width: int = 10
    #: The vocabulary of a coded column (its cells are the labels of these codes).
    vocabulary: str | None = None


#: The hazard sheet, in the customary order of a township's 隐患排查治理台账. 隐患名称 is
#: not in every office's list, but a record has a title, and without it the ledger could
#: not be read back. 序号, 隐患编号 and 隐患名称 come first: printed two pages across,
#: they are repeated on the page to the right, so that every printed row is named.
HAZARD_COLUMNS: tuple[Column, ...] = (
    Column("number", None, N_("Row no."), "int", 4),
    Column("id", "id", None, "text", 17),
    Column("title", "title", None, "long", 12),
    Column("enterprise", "enterprise.name", None, "text", 10),
    Column("credit_code", "enterprise.credit_code", None, "text", 10),
    Column("industry", "industry", None, "text", 6),
    Column("location", "location", None, "text", 8),
    Column("description", "description", None, "long", 14),
    Column("level", "level", None, "coded", 11, "level"),
    Column("source", "source", None, "coded", 8, "source"),
    Column("discovered_on", "discovered_on", None, "date", 11),
    Column("basis", "basis", None, "long", 12),
    # Derived from the basis (the catalog's reading of it): export only; the import reads
    # the basis and passes this column over.
    Column("criterion", None, N_("Criterion item (判定标准条款)"), "text", 14),
    Column("measures", "rectification_plan.measures", None, "long", 14),
    Column("funds", None, N_("Funds (10,000 yuan)"), "number", 6),
    Column("deadline", "rectification_plan.deadline", None, "date", 11),
    Column("extended_to", "extensions.to", None, "date", 11),
    Column("extension_on", "extensions.on", N_("Extension approved on"), "date", 11),
    Column("extension_reason", "extensions.reason", N_("Extension reason"), "long", 12),
    Column(
        "extension_approved_by", "extensions.approved_by", N_("Extension approved by"), "text", 7
    ),
    Column("responsible_unit", "responsible_unit", None, "text", 8),
    Column("plan_person", "rectification_plan.responsible_person", None, "text", 6),
    Column("contingency_plan", None, N_("Contingency plan / interim control"), "long", 12),
    Column("rectified_on", "rectification.on", None, "date", 11),
    Column("accepted_on", "acceptance.on", None, "date", 11),
    Column("accepted_by", "acceptance.by", None, "text", 8),
    Column("acceptance_result", None, N_("Acceptance result"), "coded", 5, "acceptance result"),
    Column("failed_acceptances", "reopenings", N_("Failed acceptances"), "long", 24),
    Column("closed_on", "closure.on", None, "date", 11),
    Column("reviewer", None, N_("Reviewer"), "text", 6),
    Column("supervision", "supervision", None, "long", 10),
    Column("double_report", "double_report", None, "long", 10),
    Column("state", None, N_("State"), "coded", 7, "hazard state"),
    Column("overdue", None, N_("Overdue?"), "text", 4),
)

#: The task sheet.
TASK_COLUMNS: tuple[Column, ...] = (
    Column("number", None, N_("Row no."), "int", 5),
    Column("action", None, N_("Action"), "text", 8),
    Column("title", None, N_("Task"), "long", 40),
    Column("deadline", None, N_("Deadline"), "date", 11),
    Column("lead_unit", None, N_("Lead unit"), "text", 12),
    Column("co_units", None, N_("Co-operating"), "long", 20),
    Column("last_progress", None, N_("Latest progress"), "long", 36),
    Column("done_on", None, N_("Done on"), "date", 11),
    Column("status", None, N_("Status"), "coded", 10, "task status"),
)

#: The town of a row, in a county's ledger (``rollup export ledger``) only: after the row
#: number, on both sheets. Not a column of a town's ledger, nor one the import reads.
TOWN_COLUMN = Column("town", None, N_("Town"), "text", 8)

#: Sheet keys (the CSV files' suffixes) and their names (msgids).
SHEETS: dict[str, str] = {
    "cover": N_("Cover"),
    "hazards": N_("Hazard ledger"),
    "tasks": N_("Key tasks"),
}


class SupervisionCell(NamedTuple):
    """挂牌督办 as one cell shows it: the listing in force (or the last one) on the day."""

    level: str
    by: str
    listed_on: dt.date
    lifted_on: dt.date | None


class DoubleReportCell(NamedTuple):
    regulator_on: dt.date | None
    workers_on: dt.date | None


class ExtensionCell(NamedTuple):
    """延期 as the ledger shows it: approved on a day, to a new deadline, why, by whom."""

    on: dt.date
    to: dt.date
    reason: str
    approved_by: str


class FailedAcceptanceCell(NamedTuple):
    """A failed acceptance (验收不合格) that ended a cycle: the rectification it judged, the
    acceptance, and the day the hazard was to be rectified again (重新整改), with why."""

    rectified_on: dt.date | None
    accepted_on: dt.date
    accepted_by: str
    note: str | None
    reopened_on: dt.date
    reason: str


class LedgerHazardRow(View):
    """One hazard as the ledger shows it on a day: facts dated after the day are left out."""

    number: int
    id: str
    #: The town (a county's ledger only).
    town: str | None = None
    enterprise: str | None = None
    credit_code: str | None = None
    industry: str | None = None
    location: str | None = None
    title: str
    description: str | None = None
    level: str
    source: str
    discovered_on: dt.date
    basis: str | None = None
    #: The 判定标准 document's number and the item the basis cites, as the catalog reads it
    #: (a major hazard whose basis the catalog places; else None).
    criterion: str | None = None
    measures: str | None = None
    #: 整改资金 in 元 (the sheet shows 万元).
    funds: Decimal | None = None
    #: 整改时限 of the plan in force on the day (before any extension).
    deadline: dt.date | None = None
    #: 延期至: the deadline an extension set, when one is in force on the day.
    extended_to: dt.date | None = None
    #: Every extension dated on or before the day, oldest first (the last sets ``extended_to``).
    extensions: list[ExtensionCell] = Field(default_factory=list)
    responsible_unit: str
    plan_person: str | None = None
    contingency_plan: str | None = None
    rectified_on: dt.date | None = None
    accepted_on: dt.date | None = None
    accepted_by: str | None = None
    acceptance_result: str | None = None
    #: The failed acceptances of earlier cycles, oldest first (the current cycle's own
    #: acceptance, failed or not, is in ``accepted_on`` …).
    failed_acceptances: list[FailedAcceptanceCell] = Field(default_factory=list)
    closed_on: dt.date | None = None
    reviewer: str | None = None
    supervision: SupervisionCell | None = None
    double_report: DoubleReportCell | None = None
    state: str
    overdue: bool
    days_overdue: int | None = None
    #: The record breaks the closed loop (``safeplan validate`` says how).
    invalid: bool = False


class LedgerTaskRow(View):
    number: int
    #: The town (a county's ledger only).
    town: str | None = None
    action: str
    title: str
    deadline: dt.date | None
    ongoing: bool
    lead_unit: str
    co_units: list[str]
    #: The latest progress note on or before the day: its date and text.
    last_progress_on: dt.date | None = None
    last_progress: str | None = None
    done_on: dt.date | None = None
    status: str


class LedgerCover(View):
    """The cover sheet: the plan, the day, and the counts."""

    title: str
    issuer: str | None
    as_of: dt.date
    #: level → state → count (states of ``status.HAZARD_STATES``), as ``status`` counts them.
    hazards: dict[str, dict[str, int]]
    hazards_total: int
    overdue: int
    plan_missing: int
    #: Withdrawn hazards (撤销): registered by mistake, not listed in the ledger.
    withdrawn: int
    #: Records that break the closed loop (listed, marked).
    invalid: int
    #: task status → count.
    tasks: dict[str, int]
    #: Validation problems of the plan on the day (the ledger may be incomplete).
    problems: int = 0
    #: Hazard files not in the ledger because they cannot be read or repeat another file's
    #: id (by file name): named on the cover, so that none is left out unsaid.
    left_out: list[str] = Field(default_factory=list)
    #: 整改率, 销号率 and 重大隐患整改率 on the day, as ``status`` computes them.
    rates: Rates = Rates()
    #: The 填报 line under each table (plan.yaml ``report:``; blank to fill by hand).
    issuing_unit: str | None = None
    filled_by: str | None = None
    reviewer: str | None = None
    phone: str | None = None


class Ledger(View):
    cover: LedgerCover
    hazards: list[LedgerHazardRow]
    tasks: list[LedgerTaskRow]
    #: Whether any hazard records its 判定依据: the column is shown only then.
    show_basis: bool = False
    #: A county's ledger: the rows of many towns, each row naming its town.
    show_town: bool = False
    #: The enterprises with their duties' state (``EnterpriseRow``s), only for a plan that
    #: has enterprises: the workbook then has an enterprise sheet.
    enterprises: Any = None


#: The columns shown only when some hazard records its 判定依据.
BASIS_KEYS = frozenset({"basis", "criterion"})


def hazard_columns(show_basis: bool, show_town: bool = False) -> tuple[Column, ...]:
    """The hazard sheet's columns (判定依据 and 判定标准条款 only when some hazard records a
    basis; the town in a county's ledger)."""
    columns = tuple(c for c in HAZARD_COLUMNS if show_basis or c.key not in BASIS_KEYS)
    return _with_town(columns) if show_town else columns


def task_columns(show_town: bool = False) -> tuple[Column, ...]:
    """The task sheet's columns (the town in a county's ledger)."""
    return _with_town(TASK_COLUMNS) if show_town else TASK_COLUMNS


def _with_town(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    return (columns[0], TOWN_COLUMN, *columns[1:])
