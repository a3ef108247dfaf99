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
import io
import re
from collections.abc import Sequence
from typing import Any, BinaryIO, NamedTuple

from safeplan.models.ledger import (
    Ledger,
)
from safeplan.problems import N_
from safeplan.render.i18n import Translator
from safeplan.render.ledger_cells import (
    FORMULA_STARTS,
    Cell,
    Sheet,
    sheets,
)
from safeplan.render.ledger_rows import _Formats, _formats, _RowWriter, _write_cell
from safeplan.render.ledger_widths import (
    PAGE_PIXELS,
    _pixels,
    _text,
    pages_across,
    row_height,
    sign_lines,
    widths,
)

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
