"""The workbook's cell formats and the fast row writer, which writes a row's XML
directly when its cells are plain, else cell by cell through XlsxWriter."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from safeplan.render.ledger_cells import DATE_FORMAT, FORMULA_STARTS, Cell


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
