"""A plain table for listings that may run to thousands of rows, and folding Chinese text."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text


@dataclass(frozen=True)
class Col:
    header: str
    justify: Literal["left", "right"] = "left"
    #: Share of the width left over by the other columns; 0 keeps the column's natural width.
    flex: int = 0
    min_width: int = 6


Line = tuple[str, str]  # text and style of one line of a cell
Cell = str | Text | list[tuple[str, str]]


def _lines_of(c: Cell) -> list[tuple[str, str]]:
    return c if isinstance(c, list) else _cell_lines(c)


class Grid:
    """A plain table for listings that may run to thousands of rows.

    rich's Table measures and wraps every cell through its layout engine: 10,000
    hazards took ten seconds. Here widths are counted once (CJK-aware, with
    ``rich.cells``), only the flexible columns fold, and rows become segments
    directly. It looks like the other tables (bold header, a rule under it).
    """

    GAP = "   "

    def __init__(
        self,
        *columns: Col,
        title: str | None = None,
        caption: str | None = None,
        rows: Callable[[], Iterable[Sequence[Cell]]] | None = None,
    ) -> None:
        """``rows``, when given, makes the rows afresh each time it is called: the grid
        walks them twice (widths, then lines) and never holds them all."""
        self.columns = columns
        self.title = title
        self.caption = caption
        self._added: list[list[list[Line]]] = []
        self._make_rows = rows

    def add_row(self, *cells: Cell) -> None:
        self._added.append([_lines_of(c) for c in cells])

    def _rows(self) -> Iterator[list[list[Line]]]:
        if self._make_rows is None:
            yield from self._added
            return
        for cells in self._make_rows():
            yield [_lines_of(c) for c in cells]

    def _widths(self, width: int) -> list[int]:
        natural = [cell_len(c.header) for c in self.columns]
        for row in self._rows():
            for i, lines in enumerate(row):
                for text, _style in lines:
                    n = cell_len(text)
                    if n > natural[i]:
                        natural[i] = n
        flex = [i for i, c in enumerate(self.columns) if c.flex]
        fixed = sum(w for i, w in enumerate(natural) if i not in flex)
        room = width - fixed - len(self.GAP) * (len(self.columns) - 1)
        if not flex or sum(natural[i] for i in flex) <= room:
            return natural
        shares = sum(self.columns[i].flex for i in flex)
        widths = list(natural)
        for i in flex:
            share = max(self.columns[i].min_width, room * self.columns[i].flex // shares)
            widths[i] = min(natural[i], share)
        return widths

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self._widths(options.max_width)
        styles: dict[str, Style] = {}

        def style(name: str) -> Style:
            if name not in styles:
                styles[name] = console.get_style(name, default="")
            return styles[name]

        gap = Segment(self.GAP)
        newline = Segment.line()
        if self.title:
            yield Segment(self.title, style("bold"))
            yield newline
        header = [[(c.header, "bold")] for c in self.columns]
        for row in itertools.chain([header], self._rows()):
            cells = []
            for i, lines in enumerate(row):
                if self.columns[i].flex:
                    lines = [(part, st) for text, st in lines for part in fold(text, widths[i])]
                cells.append(lines)
            height = max(len(lines) for lines in cells)
            for n in range(height):
                line: list[Segment] = []
                for i, lines in enumerate(cells):
                    text, st = lines[n] if n < len(lines) else ("", "")
                    pad = Segment(" " * max(0, widths[i] - cell_len(text)))
                    cell = Segment(text, style(st))
                    line += [pad, cell] if self.columns[i].justify == "right" else [cell, pad]
                    line.append(gap)
                while line and not line[-1].text.strip():
                    line.pop()  # no trailing blanks: piped output stays clean
                yield from line
                yield newline
            if row is header:
                total = sum(widths) + len(self.GAP) * (len(widths) - 1)
                yield Segment("─" * total)
                yield newline
        if self.caption:
            yield Segment(self.caption, style("dim"))
            yield newline


#: Characters that Chinese typesetting never puts at the start of a line (禁则).
_NO_LINE_START = frozenset("，。、；：？！）」』》〉】”’…%,.;:?!)]}")


def fold(text: str, width: int) -> list[str]:
    """Fold text to a width in cells; punctuation such as 。 is not left to start a line."""
    lines = chop_cells(text, width) or [""]
    for n in range(1, len(lines)):
        line = lines[n]
        if line and line[0] in _NO_LINE_START and len(lines[n - 1]) > 1:
            lines[n - 1], lines[n] = lines[n - 1][:-1], lines[n - 1][-1] + line
    if any(cell_len(line) > width for line in lines):  # a carried character made one too long
        out: list[str] = []
        for line in lines:
            out.extend(chop_cells(line, width) if cell_len(line) > width else [line])
        return out
    return lines


def _cell_lines(value: str | Text) -> list[Line]:
    if isinstance(value, str):
        return [(line, "") for line in value.split("\n")]
    out: list[Line] = []
    for line in value.split("\n"):
        st = line.spans[0].style if line.spans else line.style
        out.append((line.plain, str(st) if st else ""))
    return out
