"""The ledger's sheets as cells: the cover, the hazards and the tasks, each a ``Sheet`` of
values in the plan's words, before any workbook or CSV is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Generic, NamedTuple, TypeVar, overload

from safeplan.models.ledger import (
    SHEETS,
    Column,
    DoubleReportCell,
    FailedAcceptanceCell,
    Ledger,
    LedgerCover,
    LedgerHazardRow,
    LedgerTaskRow,
    SupervisionCell,
    hazard_columns,
    task_columns,
)
from safeplan.models.views import Rates
from safeplan.problems import N_
from safeplan.render.i18n import Translator
from safeplan.status import HAZARD_STATES, TASK_STATES

Cell = str | int | Decimal | dt.date | None

#: Excel's unit of column width is about one Latin digit; a Chinese character takes two.
DATE_FORMAT = "yyyy-mm-dd"


class Sheet(NamedTuple):
    """One sheet laid out: its name, title lines, columns, headings and cells."""

    key: str
    name: str
    title: str
    subtitle: str
    columns: tuple[Column, ...]
    headings: list[str]
    rows: Sequence[list[Cell]]
    #: The 填报 line's parts, printed under the table (none: no line).
    sign: tuple[str, ...] = ()


T = TypeVar("T")


class MadeRows(Sequence[list[Cell]], Generic[T]):
    """A sheet's rows, each made from its item when it is read, every time it is read.

    A register of 100,000 hazards is then not held a second time as cells (about half a
    kilobyte a row) while the workbook is written; the price is making each row twice
    (the widths' pass, then the writing: a few per cent of an export)."""

    def __init__(self, items: Sequence[T], make: Callable[[T], list[Cell]]) -> None:
        self._items = items
        self._make = make

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, i: int) -> list[Cell]: ...
    @overload
    def __getitem__(self, i: slice) -> list[list[Cell]]: ...
    def __getitem__(self, i: int | slice) -> list[Cell] | list[list[Cell]]:
        if isinstance(i, slice):
            return [self._make(item) for item in self._items[i]]
        return self._make(self._items[i])

    def __iter__(self) -> Iterator[list[Cell]]:
        return map(self._make, self._items)


def heading(column: Column, tr: Translator) -> str:
    """A column's heading in the reader's language (a field's label, or the ledger's own)."""
    if column.field is not None and column.msgid is None:
        text = tr.label("field", column.field)
        return text[:1].upper() + text[1:] if tr.lang == "en" else text
    assert column.msgid is not None
    return tr(column.msgid)


def wan(amount: Decimal) -> Decimal:
    """元 → 万元, exactly (45万元 is 45, 4500元 is 0.45)."""
    return (amount / Decimal(10_000)).normalize()


def supervision_text(cell: SupervisionCell, tr: Translator) -> str:
    params = {
        "level": tr.label("supervision level", cell.level),
        "by": cell.by,
        "listed": cell.listed_on.isoformat(),
    }
    if cell.lifted_on is None:
        return tr(N_("{level}: {by}, listed {listed}")).format(**params)
    return tr(N_("{level}: {by}, listed {listed}, lifted {lifted}")).format(
        lifted=cell.lifted_on.isoformat(), **params
    )


def double_report_text(cell: DoubleReportCell, tr: Translator) -> str:
    parts = []
    if cell.regulator_on is not None:
        parts.append(tr(N_("regulator {date}")).format(date=cell.regulator_on.isoformat()))
    if cell.workers_on is not None:
        parts.append(tr(N_("workers' congress {date}")).format(date=cell.workers_on.isoformat()))
    return tr(N_("; ")).join(parts)


def one_line(text: str) -> str:
    """A text as one line of a cell that lists several facts one a line."""
    return " ".join(text.split())


def lines_cell(values: Sequence[dt.date | str]) -> Cell:
    """Several facts of a kind in one cell, oldest first, one a line; one fact as itself
    (a date stays a date cell)."""
    if not values:
        return None
    if len(values) == 1:
        v = values[0]
        return v.strip() if isinstance(v, str) else v
    return "\n".join(v.isoformat() if isinstance(v, dt.date) else one_line(v) for v in values)


def failed_acceptance_text(cell: FailedAcceptanceCell, tr: Translator) -> str:
    """One failed acceptance as a line that ``import ledger`` reads back: its three dates
    outside brackets, the acceptor, opinion and reason inside them."""
    params = {
        "rectified": cell.rectified_on.isoformat() if cell.rectified_on else "?",
        "accepted": cell.accepted_on.isoformat(),
        "by": one_line(cell.accepted_by),
        "reopened": cell.reopened_on.isoformat(),
        "reason": one_line(cell.reason),
    }
    if cell.note:
        return tr(
            N_(
                "rectified {rectified}, acceptance failed {accepted} ({by}: {note}), "
                "rectified again from {reopened} ({reason})"
            )
        ).format(note=one_line(cell.note), **params)
    return tr(
        N_(
            "rectified {rectified}, acceptance failed {accepted} ({by}), "
            "rectified again from {reopened} ({reason})"
        )
    ).format(**params)


#: Columns whose cell is made of the row's lists, one fact a line.
_LISTED: dict[str, Any] = {
    "extended_to": lambda row, tr: lines_cell([e.to for e in row.extensions]),
    "extension_on": lambda row, tr: lines_cell([e.on for e in row.extensions]),
    "extension_reason": lambda row, tr: lines_cell([e.reason for e in row.extensions]),
    "extension_approved_by": lambda row, tr: lines_cell([e.approved_by for e in row.extensions]),
    "failed_acceptances": lambda row, tr: (
        "\n".join(failed_acceptance_text(f, tr) for f in row.failed_acceptances) or None
    ),
}


def _hazard_cells(row: LedgerHazardRow, columns: Sequence[Column], tr: Translator) -> list[Cell]:
    out: list[Cell] = []
    for c in columns:
        listed = _LISTED.get(c.key)
        if listed is not None:
            out.append(listed(row, tr))
            continue
        value: object = getattr(row, c.key)
        if value is None:
            out.append(None)
        elif c.key == "funds":
            assert isinstance(value, Decimal)
            out.append(wan(value))
        elif c.key == "supervision":
            assert isinstance(value, SupervisionCell)
            out.append(supervision_text(value, tr))
        elif c.key == "double_report":
            assert isinstance(value, DoubleReportCell)
            out.append(double_report_text(value, tr) or None)
        elif c.key == "overdue":
            out.append(tr(N_("yes")) if value else tr(N_("no")))
        elif c.key == "state":
            label = tr.label("hazard state", str(value), long=True)
            out.append(
                tr(N_("{state} (record invalid)")).format(state=label) if row.invalid else label
            )
        elif c.vocabulary is not None:
            out.append(
                tr.label(c.vocabulary, str(value), long=c.key in ("level", "source"), formal=True)
            )
        elif isinstance(value, str):
            # A YAML block keeps a final line break; a cell has no use for it.
            out.append(value.strip())
        else:
            assert isinstance(value, int | dt.date)
            out.append(value)
    return out


def _task_cells(row: LedgerTaskRow, tr: Translator, show_town: bool = False) -> list[Cell]:
    progress = (
        f"{row.last_progress_on.isoformat()} {row.last_progress}"
        if row.last_progress_on is not None and row.last_progress
        else None
    )
    deadline: Cell = row.deadline
    if row.ongoing:
        deadline = tr(N_("ongoing"))
    town: list[Cell] = [row.town] if show_town else []
    return [
        row.number,
        *town,
        f"（{row.action}）" if tr.lang == "zh" else f"({row.action})",
        row.title,
        deadline,
        row.lead_unit,
        tr.join(row.co_units) or None,
        progress,
        row.done_on,
        tr.label("task status", row.status),
    ]


#: What makes a cell a formula to a spreadsheet program when it starts the text.
FORMULA_STARTS = ("=", "+", "-", "@")


def rate_rows(r: Rates, tr: Translator) -> list[tuple[str, str]]:
    """整改率, 销号率 and 重大隐患整改率 as cover rows: ``62.5%（5/8）``."""
    from safeplan.render.screens.common import RATES, rate_cell

    return [(tr(label), rate_cell(r, name, tr)) for name, (label, *_) in RATES.items()]


def _cover_rows(cover: LedgerCover, tr: Translator) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        [tr(N_("Plan")), cover.title],
        [tr(N_("Issued by")), cover.issuer],
        [tr(N_("As of")), cover.as_of],
        [tr(N_("Hazards in the ledger")), cover.hazards_total],
    ]
    for level in ("major", "general"):
        counts = cover.hazards.get(level, {})
        for state in HAZARD_STATES:
            rows.append(
                [
                    tr(N_("{level}, {state}")).format(
                        level=tr.label("level", level, long=True, formal=True),
                        state=tr.label("hazard state", state, long=True),
                    ),
                    counts.get(state, 0),
                ]
            )
    rows += [
        [tr(N_("Overdue (open past the deadline in force)")), cover.overdue],
        [tr(N_("Major hazards without their full 五落实")), cover.plan_missing],
        [tr(N_("Records to be verified (they break the closed loop)")), cover.invalid],
        [tr(N_("Withdrawn (撤销登记), not listed in the ledger")), cover.withdrawn],
    ]
    from safeplan.render.screens.common import RATES_DEFINITION

    rows += [[name, value] for name, value in rate_rows(cover.rates, tr)]
    rows.append([tr(N_("What the rates count")), tr(RATES_DEFINITION)])
    for task_state in TASK_STATES:
        rows.append(
            [
                tr(N_("Tasks: {status}")).format(status=tr.label("task status", task_state)),
                cover.tasks.get(task_state, 0),
            ]
        )
    rows.append(
        [tr(N_("Records to be verified on the day (the ledger may be incomplete)")), cover.problems]
    )
    if cover.left_out:
        rows.append(
            [
                tr(N_("Hazards left out of the ledger: their records are to be verified")),
                tr.join(cover.left_out),
            ]
        )
    return rows


#: Room to write by hand where the plan gives no value (plan.yaml ``report:``).
BLANK = "\u3000" * 6


def sign_line(cover: LedgerCover, tr: Translator) -> tuple[str, ...]:
    """填报单位（盖章）/填报人/审核人/联系电话/填报日期, under each table: who answers for the
    figures. Values from plan.yaml's ``report:`` section, blanks to fill by hand. Parts,
    so that a narrow sheet prints them on two lines rather than past its edge."""
    return (
        tr(N_("Reporting unit (seal): {unit}")).format(unit=cover.issuing_unit or BLANK),
        tr(N_("Filled in by: {name}")).format(name=cover.filled_by or BLANK),
        tr(N_("Reviewed by: {name}")).format(name=cover.reviewer or BLANK),
        tr(N_("Phone: {phone}")).format(phone=cover.phone or BLANK),
        tr(N_("Date filled in: {date}")).format(date=cover.as_of.isoformat()),
    )


def sheets(ledger: Ledger, tr: Translator) -> list[Sheet]:
    """The ledger's sheets, laid out in the reader's words: cover, hazards, tasks (a sheet
    added later is one more :class:`Sheet` here; :data:`PRINT` says how it prints)."""
    cover = ledger.cover
    sign = sign_line(cover, tr)
    subtitle = tr(N_("{plan}; as of {date}")).format(plan=cover.title, date=cover.as_of.isoformat())
    cover_columns = (
        Column("item", None, N_("Item"), "long", 36),
        Column("value", None, N_("Value"), "long", 40),
    )
    columns = hazard_columns(ledger.show_basis, ledger.show_town)

    def sheet(
        key: str, title: str, sub: str, cols: tuple[Column, ...], rows: Sequence[list[Cell]]
    ) -> Sheet:
        return Sheet(
            key, tr(SHEETS[key]), title, sub, cols, [heading(c, tr) for c in cols], rows, sign
        )

    laid = [
        sheet(
            "cover",
            cover.title or tr(N_("Hazard ledger")),
            tr(N_("Statistics as of {date}")).format(date=cover.as_of.isoformat()),
            cover_columns,
            _cover_rows(cover, tr),
        ),
        sheet(
            "hazards",
            tr(N_("Register of hazards found and rectified (隐患排查治理台账)")),
            subtitle,
            columns,
            MadeRows(ledger.hazards, lambda r: _hazard_cells(r, columns, tr)),
        ),
        sheet(
            "tasks",
            tr(N_("Key tasks of the plan (重点任务)")),
            subtitle,
            task_columns(ledger.show_town),
            [_task_cells(r, tr, ledger.show_town) for r in ledger.tasks],
        ),
    ]
    if ledger.enterprises is not None:
        from safeplan.render import ledger_enterprises as ent

        cols = ent.ENTERPRISE_COLUMNS
        title = tr(N_("Enterprises and their duties (企业清单)"))
        rows: list[list[Cell]] = [list(r) for r in ent.enterprise_rows(ledger.enterprises, tr)]
        headings = [heading(c, tr) for c in cols]
        laid.append(Sheet("enterprises", tr(ent.SHEET_NAME), title, subtitle, cols, headings, rows))
    return laid
