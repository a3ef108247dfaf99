"""The ledger (台账) as a workbook (.xlsx) or as CSV files, one a sheet.

Pure apart from the bytes it returns: the same ledger and language give the same bytes
(the document's dates are the as-of day, never the clock), so a ledger can be committed
and compared. XlsxWriter is imported only here, and only when a workbook is written.

The cells are laid out once (:func:`sheets`), in the reader's words; the workbook and
the CSV files both write that layout, and the round-trip test compares it.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, BinaryIO, NamedTuple

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
from safeplan.render.width import cell_width
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
    rows: list[list[Cell]]
    #: The 填报 line's parts, printed under the table (none: no line).
    sign: tuple[str, ...] = ()


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


def sign_lines(parts: Sequence[str], room: float) -> list[str]:
    """The 填报 line's parts packed into lines no wider than ``room`` (Excel's units)."""
    gap = "\u3000" * 3
    out: list[str] = []
    for part in parts:
        if out and _printed_width(out[-1] + gap + part) * SIGN_SCALE <= room:
            out[-1] += gap + part
        else:
            out.append(part)
    return out


#: The 填报 line's 11-point text against the cells' 10-point text.
SIGN_SCALE = 1.1


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
        key: str, title: str, sub: str, cols: tuple[Column, ...], rows: list[list[Cell]]
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
            [_hazard_cells(r, columns, tr) for r in ledger.hazards],
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


# --------------------------------------------------------------------------- widths


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def widths(sheet: Sheet) -> list[float]:
    """Each column's width in Excel's units (a Chinese character takes two): as wide as its
    longest line, up to the column's own width, past which the text wraps. Dates, ids and
    codes do not wrap, so their columns fit them whole."""
    out: list[float] = []
    longest_of = [0] * len(sheet.columns)
    for r in sheet.rows:  # one pass, row by row: the rows may be many
        for i, value in enumerate(r):
            if value is not None:
                if type(value) is dt.date:
                    w = _DATE_CELLS  # every date is as wide
                else:
                    w = _longest_line(value if isinstance(value, str) else _text(value))
                if w > longest_of[i]:
                    longest_of[i] = w
    for i, c in enumerate(sheet.columns):
        longest = longest_of[i]
        least = min(cell_width(sheet.headings[i]) + 1, max(c.width, 6))
        if c.kind == "date":
            out.append(10.5)
        elif c.key in ("id", "number"):
            out.append(max(longest + 1.5, least, 4))
        else:
            out.append(max(min(longest + 1.5, c.width), least, 4))
    return out


#: Points a line of 10-point text takes, and what a cell adds around it.
LINE_POINTS = 14.0
PADDING_POINTS = 3.0


#: A date as a cell prints it (yyyy-mm-dd): every date is as wide.
_ISO_DATE = "2000-01-01"
_DATE_CELLS = len(_ISO_DATE)


@functools.lru_cache(maxsize=65536)
def _longest_line(text: str) -> int:
    """The cells its longest line takes (cached: a register repeats its values)."""
    return max(map(cell_width, text.splitlines() or [""]))


def lines(value: Cell, width: float) -> int:
    """How many lines a cell's text takes at a column width (no office program sets a row's
    height from wrapped text that another wrote; so the writer does)."""
    return _lines(value if isinstance(value, str) else _text(value), width)


@functools.lru_cache(maxsize=65536)
def _lines(text: str, width: float) -> int:
    usable = max(width - 1.0, 1.0)
    return sum(
        max(1, int(-(-_printed_width(line) // usable))) for line in text.splitlines() or [""]
    )


@functools.lru_cache(maxsize=65536)
def _printed_width(text: str) -> float:
    """A line's width in Excel's units as printed: a Chinese character in a 10-point font
    takes about 1.8 units of the default 11-point font's digit, a Latin one about 1.
    The wide characters are those ``cell_width`` counts two cells (a character taking no
    cell, rare in a register, counts as a narrow one here). (Cached: a register of
    10,000 hazards repeats its units, people and dates.)"""
    wide = max(cell_width(text) - len(text), 0)
    return (len(text) - wide) + wide * 1.8


def row_height(values: Sequence[Cell], column_widths: Sequence[float]) -> float:
    n = 1  # an empty cell takes one line
    for v, w in zip(values, column_widths, strict=True):
        if type(v) is str and len(v) * 1.8 <= w - 1.0 and v.isprintable():
            continue  # one line however wide its characters (and no line break)
        if type(v) is dt.date:
            k = _lines(_ISO_DATE, w)  # every date prints as wide as any other
            if k > n:
                n = k
        elif v is not None:
            k = _lines(v if isinstance(v, str) else _text(v), w)
            if k > n:
                n = k
    return n * LINE_POINTS + PADDING_POINTS


#: What one A4 landscape page holds across, in pixels of column width (277 mm at 96 dpi).
PAGE_PIXELS = 1040


def _pixels(width: float) -> int:
    return int(width * 7 + 5)


def pages_across(column_widths: Sequence[float], repeated: int) -> int:
    """How many A4 landscape pages the sheet takes across at full size (the first
    ``repeated`` columns print on every page)."""
    total = sum(_pixels(w) for w in column_widths)
    fixed = sum(_pixels(w) for w in column_widths[:repeated])
    if total <= PAGE_PIXELS:
        return 1
    return -(-(total - fixed) // (PAGE_PIXELS - fixed))


# --------------------------------------------------------------------------- the workbook


def _header_text(text: str) -> str:
    """Text for a print header: '&' is a control character there."""
    return text.replace("&", "&&")[:200]


def _first_page_columns(column_widths: Sequence[float]) -> int:
    used = 0
    for i, w in enumerate(column_widths):
        used += _pixels(w)
        if used > PAGE_PIXELS:
            return max(i - 1, 0)
    return len(column_widths) - 1


class PrintSetup(NamedTuple):
    """How a sheet prints on A4 landscape."""

    #: Leading columns printed again on each page to the right (序号, 隐患编号, 隐患名称).
    repeat_columns: int = 0
    #: At most this many pages across, shrunk to fit: more would part a row over three
    #: sheets of paper.
    max_across: int = 1
    #: The whole sheet on one page (the cover).
    one_page: bool = False


#: Print setup by sheet key; a sheet not named here prints one page wide.
PRINT: dict[str, PrintSetup] = {
    "cover": PrintSetup(one_page=True),
    "hazards": PrintSetup(repeat_columns=3, max_across=2),
    "tasks": PrintSetup(),
}

#: Rows above the table: the title, the subtitle, the headings (printed on every page).
HEADING_ROW = 2


class _Formats(NamedTuple):
    """The workbook's cell formats (XlsxWriter ``Format`` objects)."""

    title: Any
    subtitle: Any
    heading: Any
    text: Any  # every text cell wraps
    quoted: Any  # text that starts as a formula would: Excel's quote prefix
    date: Any
    integer: Any
    number: Any
    sign: Any  # the 填报 line: one line, no border


def _formats(wb: Any) -> _Formats:
    base = {"font_name": "SimSun", "font_size": 10, "valign": "top", "border": 1}
    return _Formats(
        title=wb.add_format(
            {
                "font_name": "SimHei",
                "font_size": 16,
                "bold": True,
                "align": "center",
                "valign": "vcenter",
            }
        ),
        subtitle=wb.add_format(
            {"font_name": "SimSun", "font_size": 10, "align": "left", "valign": "vcenter"}
        ),
        heading=wb.add_format(
            {
                **base,
                "bold": True,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bg_color": "#D9D9D9",
            }
        ),
        text=wb.add_format({**base, "text_wrap": True}),
        quoted=wb.add_format({**base, "text_wrap": True, "quote_prefix": True}),
        date=wb.add_format({**base, "num_format": DATE_FORMAT, "align": "center"}),
        integer=wb.add_format({**base, "align": "center"}),
        number=wb.add_format({**base, "num_format": "General"}),
        sign=wb.add_format(
            {"font_name": "SimSun", "font_size": 11, "align": "left", "valign": "vcenter"}
        ),
    )


class _Page(NamedTuple):
    """What every printed page carries: the header's left and right, the footer."""

    header: str
    footer: str


def workbook_bytes(ledger: Ledger, tr: Translator, fast: bool = True) -> bytes:
    """The ledger as an .xlsx workbook: a sheet each for the cover, hazards and tasks,
    frozen headings, filters, fitted widths, date cells, and set up to print (A4
    landscape, title rows and headings on every page, the issuing unit and the day in
    the header, page numbers in the footer, the 填报 line under the table).
    Byte-identical for the same ledger and language. Rows are streamed to the file
    (XlsxWriter's ``constant_memory``): a register of 100,000 hazards is not held twice.
    ``fast`` False writes every cell through XlsxWriter's public calls (the same bytes,
    slower: what the tests hold the fast rows to)."""
    import tempfile

    import xlsxwriter

    buf = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="safeplan-ledger-") as tmp:
        wb = xlsxwriter.Workbook(
            buf,
            {
                "constant_memory": True,
                "tmpdir": tmp,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        day = ledger.cover.as_of
        stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        wb.set_properties(
            {
                "title": ledger.cover.title,
                "subject": tr(N_("Register of hazards found and rectified (隐患排查治理台账)")),
                "author": ledger.cover.issuer or "",
                "company": ledger.cover.issuer or "",
                "comments": tr(N_("as of {date}")).format(date=day.isoformat()),
                "created": stamp,
            }
        )
        formats = _formats(wb)
        as_of = tr(N_("Statistics as of {date}")).format(date=day.isoformat())
        numbers = tr(N_("Page &P of &N"))
        unit = _header_text(ledger.cover.issuing_unit or "")
        page = _Page(f"&L&9{unit}&R&9{_header_text(as_of)}", f"&C&9{numbers}")
        for sheet in sheets(ledger, tr):
            write_sheet(wb.add_worksheet(sheet.name[:31]), sheet, formats, page, fast)
        wb.close()
    return buf.getvalue()


def write_sheet(ws: Any, sheet: Sheet, f: _Formats, page: _Page, fast: bool = True) -> None:
    """One sheet, row after row (the order ``constant_memory`` needs): the title over what
    the first page shows, the headings, the rows, the 填报 line; then its print setup.
    ``fast``: the rows of the table are written as XlsxWriter would write them, but
    without its cell by cell work (:class:`_RowWriter`)."""
    last = len(sheet.columns) - 1
    sized = widths(sheet)
    setup = PRINT.get(sheet.key, PrintSetup())
    across = min(pages_across(sized, setup.repeat_columns), setup.max_across)
    # The title spans what the first page shows, so that it is not cut between pages.
    span = _first_page_columns(sized) if across > 1 else last
    for i, w in enumerate(sized):
        ws.set_column(i, i, w)
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, span, sheet.title, f.title)
    ws.set_row(1, 18)
    ws.merge_range(1, 0, 1, span, sheet.subtitle, f.subtitle)
    ws.set_row(HEADING_ROW, row_height(sheet.headings, sized))
    for i, text in enumerate(sheet.headings):
        ws.write_string(HEADING_ROW, i, text, f.heading)
    rows = _RowWriter.on(ws, f, len(sheet.columns)) if fast else None
    for r, row in enumerate(sheet.rows, start=HEADING_ROW + 1):
        height = row_height(row, sized)
        if rows is None or not rows.write(r, height, row):
            ws.set_row(r, height)
            for i, value in enumerate(row):
                _write_cell(ws, r, i, value, f)
            if rows is not None:
                rows.pending = True
    end = HEADING_ROW + len(sheet.rows)
    room = sum(sized[: span + 1])
    for i, line in enumerate(sign_lines(sheet.sign, room)):
        # One cell a line, not merged: a reader of the ledger takes it for the line under
        # the table, not for a hazard.
        end += 2 if i == 0 else 1
        ws.set_row(end, 24)
        ws.write_string(end, 0, line, f.sign)
    ws.print_area(0, 0, end, last)
    if sheet.key != "cover":
        ws.freeze_panes(HEADING_ROW + 1, max(setup.repeat_columns, 2))
        ws.autofilter(HEADING_ROW, 0, max(HEADING_ROW, HEADING_ROW + len(sheet.rows)), last)
        ws.repeat_rows(0, HEADING_ROW)
    if setup.repeat_columns and across > 1:
        ws.repeat_columns(0, setup.repeat_columns - 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    ws.set_header(page.header, {"margin": 0.3})
    ws.set_footer(page.footer, {"margin": 0.3})
    ws.fit_to_pages(across, 1 if setup.one_page else 0)
    if across > 1:
        ws.print_across()  # a page's rows, left part then right part, then the next rows
    ws.center_horizontally()


#: What XlsxWriter writes differently from the plain case (``_x0041_`` spelled literally,
#: control characters, the two non-characters): such text goes through its own escaping.
_XML_SPECIAL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
#: Text that needs more than to be put between tags: what XML escapes, what XlsxWriter
#: spells otherwise, whitespace to keep at either end (``\s\Z``: XlsxWriter's ``\s$``, as
#: a final line break is itself whitespace).
_UNUSUAL = re.compile(r"[\x00-\x1f&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s\Z")
#: The longest text :class:`_RowWriter` writes itself: XlsxWriter cuts longer text at 32,767
#: UTF-16 units (its own path does it).
_PLAIN_LIMIT = 16383


class _RowWriter:
    """The table's rows written straight into XlsxWriter's row file (``constant_memory``),
    as the XML it writes for the same calls, byte for byte, at a fraction of the cost: its
    cell by cell path (checks, a tuple a cell, a list of attributes a cell) took twice as
    long as reading and validating the plan. It leans on three of XlsxWriter's internals
    (the row file ``fh``, ``_write_single_row``, ``Format._get_xf_index``); without them
    :meth:`on` gives None and every row goes through the public calls, and a test holds the
    two paths to the same bytes (``test_the_fast_rows_are_xlsxwriters_own_bytes``). A row
    it does not write itself (text too long, text XlsxWriter takes for rich text) it leaves
    to the public calls: :meth:`write` says False."""

    def __init__(self, ws: Any, f: _Formats, ncols: int) -> None:
        from xlsxwriter.utility import xl_col_to_name

        self.ws = ws
        self.f = f
        self.letters = [xl_col_to_name(i) for i in range(ncols)]
        #: Each format's style attribute, asked of XlsxWriter at its first use, as its own
        #: path does: it numbers the formats in the order cells first use them.
        self.styles: dict[int, str] = {}
        self.serials: dict[dt.date, str] = {}
        #: XlsxWriter may hold a row not yet written (the headings, a row it wrote).
        self.pending = True

    @classmethod
    def on(cls, ws: Any, f: _Formats, ncols: int) -> _RowWriter | None:
        """A writer for this worksheet, or None when XlsxWriter is not as expected."""
        try:
            usual = (
                ws.constant_memory
                and ws.excel_version == 2007
                and ws.default_row_height == ws.original_row_height
                and callable(ws._write_single_row)
                and ws.fh is not None
            )
            return cls(ws, f, ncols) if usual else None
        except (AttributeError, TypeError):
            return None

    def _style(self, fmt: Any) -> str:
        try:
            return self.styles[id(fmt)]
        except KeyError:
            style = self.styles[id(fmt)] = f' s="{fmt._get_xf_index()}"'
            return style

    def _serial(self, day: dt.date) -> str:
        serial = self.serials.get(day)
        if serial is None:
            number = self.ws._convert_date_time(dt.datetime(day.year, day.month, day.day))
            serial = self.serials[day] = f"{number:.16G}"
        return serial

    def write(self, r: int, height: float, values: Sequence[Cell]) -> bool:
        """Row ``r`` of ``height`` points (False: not written, for the public calls)."""
        ws, f, style, letters = self.ws, self.f, self._style, self.letters
        n = str(r + 1)
        if not values or r >= ws.xls_rowmax:
            return False
        if self.pending:  # what XlsxWriter holds goes first, in order
            ws._write_single_row(r)
            self.pending = False
        parts: list[str] = []
        add = parts.append
        for i, value in enumerate(values):
            if value is None:
                add(f'<c r="{letters[i]}{n}"{style(f.text)}/>')
            elif type(value) is str:
                if len(value) > _PLAIN_LIMIT:
                    return False
                attr = style(f.quoted if value[:1] in FORMULA_STARTS else f.text)
                if _UNUSUAL.search(value) is None:  # most text: nothing to escape or keep
                    add(f'<c r="{letters[i]}{n}"{attr} t="inlineStr"><is><t>{value}</t></is></c>')
                    continue
                text = value
                if _XML_SPECIAL.search(text):
                    text = ws._escape_control_characters(text)
                if text.startswith("<r>") and text.endswith("</r>"):
                    return False
                space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
                if "&" in text or "<" in text or ">" in text:
                    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                add(f'<c r="{letters[i]}{n}"{attr} t="inlineStr"><is><t{space}>{text}</t></is></c>')
            elif isinstance(value, dt.date):
                serial = self._serial(value)
                add(f'<c r="{letters[i]}{n}"{style(f.date)}><v>{serial}</v></c>')
            elif isinstance(value, bool) or not isinstance(value, int | Decimal):
                return False
            elif isinstance(value, int):
                add(f'<c r="{letters[i]}{n}"{style(f.integer)}><v>{value:.16G}</v></c>')
            else:
                add(f'<c r="{letters[i]}{n}"{style(f.number)}><v>{float(value):.16G}</v></c>')
        pixels = int(height * 4.0 / 3.0 + 0.5)
        if pixels != ws.original_row_height:
            start = f'<row r="{n}" ht="{pixels * 0.75:.16g}" customHeight="1">'
        else:
            start = f'<row r="{n}">'
        ws.fh.write(start + "".join(parts) + "</row>")
        ws._check_dimensions(r, len(values) - 1)  # the sheet's extent, as each cell would
        return True


def _write_cell(ws: Any, r: int, i: int, value: Cell, f: _Formats) -> None:
    """A cell as what it is: a date cell, a number, text (never a formula)."""
    if value is None:
        ws.write_blank(r, i, None, f.text)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, i, dt.datetime(value.year, value.month, value.day), f.date)
    elif isinstance(value, bool):
        ws.write_string(r, i, str(value), f.text)
    elif isinstance(value, int):
        ws.write_number(r, i, value, f.integer)
    elif isinstance(value, Decimal):
        ws.write_number(r, i, float(value), f.number)
    elif value[:1] in FORMULA_STARTS:
        # Text that a spreadsheet would take for a formula stays text in every program
        # that opens the file, not only in one that honours "strings_to_formulas".
        ws.write_string(r, i, value, f.quoted)
    else:
        ws.write_string(r, i, value, f.text)


# --------------------------------------------------------------------------- CSV


def _csv_cell(value: Cell) -> str:
    text = _text(value)
    # A cell starting with = + - @ is a formula to Excel: keep it text.
    return "'" + text if text[:1] in FORMULA_STARTS else text


def csv_files(ledger: Ledger, tr: Translator) -> list[tuple[str, bytes]]:
    """One CSV a sheet, as (sheet key, bytes): UTF-8 with a BOM (so Excel and WPS read it
    as UTF-8), CRLF line ends, the heading row first."""
    out = []
    for sheet in sheets(ledger, tr):
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(sheet.headings)
        for row in sheet.rows:
            writer.writerow([_csv_cell(v) for v in row])
        out.append((sheet.key, "\ufeff".encode() + buf.getvalue().encode("utf-8")))
    return out


# --------------------------------------------------------------------------- recognising

#: The workbook's subject (in its properties), in either language: the mark of a ledger
#: safeplan wrote.
_SUBJECT_MARK = "隐患排查治理台账".encode()
_CSV_SHEETS = re.compile(r"-(?:cover|hazards|tasks|enterprises)\.csv$", re.IGNORECASE)


def is_ledger(name: str, fh: BinaryIO) -> bool:
    """Whether an existing file is a ledger ``export ledger`` wrote (so exporting again over
    it needs no ``--force``): a workbook whose subject is the ledger's, or one of the CSV
    files named after a sheet that starts as the ledger's CSV files do (a BOM)."""
    if _CSV_SHEETS.search(name):
        return fh.read(3) == "\ufeff".encode()
    import zipfile

    with zipfile.ZipFile(fh) as zf:
        return _SUBJECT_MARK in zf.read("docProps/core.xml")
