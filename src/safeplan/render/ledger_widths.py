"""The ledger's measures: column widths, row heights, pages across and the 填报 line's
lines, from the printed width of the text (Excel's units)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal

from safeplan.render.ledger_cells import Cell, Sheet
from safeplan.render.width import cell_width

# --------------------------------------------------------------------------- widths


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


#: Measures kept of the latest texts: enough for what a register repeats (units, people,
#: places, amounts); a description is measured once anyway, and 65,536 of them kept
#: held 20 MiB more at 10,000 hazards for almost no hits.
_CACHED = 8192


@functools.lru_cache(maxsize=_CACHED)
def _longest_line(text: str) -> int:
    """The cells its longest line takes (cached: a register repeats its values)."""
    return max(map(cell_width, text.splitlines() or [""]))


def lines(value: Cell, width: float) -> int:
    """How many lines a cell's text takes at a column width (no office program sets a row's
    height from wrapped text that another wrote; so the writer does)."""
    return _lines(value if isinstance(value, str) else _text(value), width)


@functools.lru_cache(maxsize=_CACHED)
def _lines(text: str, width: float) -> int:
    usable = max(width - 1.0, 1.0)
    return sum(
        max(1, int(-(-_printed_width(line) // usable))) for line in text.splitlines() or [""]
    )


@functools.lru_cache(maxsize=_CACHED)
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
