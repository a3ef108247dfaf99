"""A plain table for listings that may run to thousands of rows, and folding Chinese text."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from safeplan.render.text import inert


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
        natural: Sequence[int] | None = None,
    ) -> None:
        """``rows``, when given, makes the rows afresh each time it is called and the grid
        never holds them all; with ``natural`` (each column's widest cell, counted by the
        caller) it walks them once, else twice (widths, then lines)."""
        self.columns = columns
        self.title = title
        self.caption = caption
        self._added: list[list[list[Line]]] = []
        self._make_rows = rows
        self._natural = list(natural) if natural is not None else None

    def add_row(self, *cells: Cell) -> None:
        self._added.append([_lines_of(c) for c in cells])

    def _rows(self) -> Iterator[list[list[Line]]]:
        if self._make_rows is None:
            yield from self._added
            return
        for cells in self._make_rows():
            yield [_lines_of(c) for c in cells]

    def _widths(self, width: int) -> list[int]:
        natural = [width_of(c.header) for c in self.columns]
        if self._natural is not None:
            natural = [max(a, b) for a, b in zip(natural, self._natural, strict=True)]
        else:
            for row in self._rows():
                for i, lines in enumerate(row):
                    for text, _style in lines:
                        n = width_of(text)
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

    def lines(self, width: int) -> Iterator[list[tuple[str, str]]]:
        """Each line of the table as runs of (style name, text), without trailing blanks."""
        widths = self._widths(width)
        if self.title:
            yield [("bold", self.title)]
        header = [[(c.header, "bold")] for c in self.columns]
        last = len(self.columns) - 1
        justify = [c.justify == "right" for c in self.columns]
        gap = self.GAP
        for row in itertools.chain([header], self._rows()):
            cells = []
            for i, lines in enumerate(row):
                if self.columns[i].flex:
                    lines = [(part, st) for text, st in lines for part in fold(text, widths[i])]
                cells.append(lines)
            height = max(len(lines) for lines in cells)
            for n in range(height):
                # Runs of one style each: a plain row becomes one run, not a dozen.
                runs: list[list[str]] = []  # [style, text]
                for i, lines in enumerate(cells):
                    text, st = lines[n] if n < len(lines) else ("", "")
                    pad = " " * (widths[i] - width_of(text))
                    sep = gap if i < last else ""
                    if justify[i]:
                        _add(runs, "", pad)
                        _add(runs, st, text)
                        _add(runs, "", sep)
                    else:
                        _add(runs, st, text)
                        _add(runs, "", pad + sep)
                while runs and not runs[-1][1].strip():
                    runs.pop()  # no trailing blanks: piped output stays clean
                if runs and not runs[-1][0]:
                    runs[-1][1] = runs[-1][1].rstrip()
                yield [(st, text) for st, text in runs]
            if row is header:
                total = sum(widths) + len(self.GAP) * (len(widths) - 1)
                yield [("", "─" * total)]
        if self.caption:
            yield [("dim", self.caption)]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        styles: dict[str, Style] = {}
        newline = Segment.line()
        for line in self.lines(options.max_width):
            for name, text in line:
                style = styles.get(name)
                if style is None:
                    style = styles[name] = console.get_style(name, default="")
                yield Segment(text, style)
            yield newline

    def write(self, console: Console) -> None:
        """Print the table straight to the console's file, line by line.

        The same text as ``console.print(grid)``, without rich's segment pipeline, which
        costs most of the time of a listing of 10,000 hazards.
        """
        system = _COLOR_SYSTEMS.get(console.color_system or "")
        styles: dict[str, Style] = {}

        def styled(name: str, text: str) -> str:
            if not name or system is None:
                return text
            style = styles.get(name)
            if style is None:
                style = styles[name] = console.get_style(name, default="")
            return style.render(text, color_system=system)

        out = console.file
        chunk: list[str] = []
        for line in self.lines(console.width):
            chunk.append("".join(styled(name, text) for name, text in line))
            if len(chunk) >= 512:
                out.write("\n".join(chunk) + "\n")
                chunk.clear()
        if chunk:
            out.write("\n".join(chunk) + "\n")
        out.flush()


def _add(runs: list[list[str]], style: str, text: str) -> None:
    """Append text to the runs, joining it to the last run when the style is the same."""
    if text:
        if runs and runs[-1][0] == style:
            runs[-1][1] += text
        else:
            runs.append([style, text])


_COLOR_SYSTEMS = {
    "standard": ColorSystem.STANDARD,
    "256": ColorSystem.EIGHT_BIT,
    "truecolor": ColorSystem.TRUECOLOR,
    "windows": ColorSystem.WINDOWS,
}


#: Characters that Chinese typesetting never puts at the start of a line (禁则).
_NO_LINE_START = frozenset("，。、；：？！）」』》〉】”’…%,.;:?!)]}")


_CHAR_CELLS: dict[str, int] = {}


def _char_cells(ch: str) -> int:
    n = _CHAR_CELLS.get(ch)
    if n is None:
        n = _CHAR_CELLS[ch] = cell_len(ch)
    return n


_WIDTHS: dict[str, int] = {}


def width_of(text: str) -> int:
    """A string's width in terminal cells, as rich's cell_len counts it; each character's
    and each repeated string's width is looked up once (a listing measures hundreds of
    thousands of strings, many of them the same unit names and labels)."""
    if text.isascii():
        return len(text)
    n = _WIDTHS.get(text)
    if n is None:
        n = sum(map(_char_cells, text))
        if len(_WIDTHS) < 65536:
            _WIDTHS[text] = n
    return n


def _chop(text: str, width: int) -> list[str]:
    """Cut text into lines of at most ``width`` cells (rich's chop_cells, without its
    grapheme analysis, which costs a second on a listing of 10,000 hazards)."""
    lines: list[str] = []
    start = used = 0
    for i, ch in enumerate(text):
        n = _char_cells(ch)
        if used + n > width and i > start:
            lines.append(text[start:i])
            start, used = i, 0
        used += n
    lines.append(text[start:])
    return lines


def fold(text: str, width: int) -> list[str]:
    """Fold text to a width in cells; punctuation such as 。 is not left to start a line."""
    if width_of(text) <= width:
        return [text]
    lines = _chop(text, width) or [""]
    for n in range(1, len(lines)):
        line = lines[n]
        if line and line[0] in _NO_LINE_START and len(lines[n - 1]) > 1:
            lines[n - 1], lines[n] = lines[n - 1][:-1], lines[n - 1][-1] + line
    if any(width_of(line) > width for line in lines):  # a carried character made one too long
        out: list[str] = []
        for line in lines:
            out.extend(_chop(line, width) if width_of(line) > width else [line])
        return out
    return lines


def _cell_lines(value: str | Text) -> list[Line]:
    if isinstance(value, str):
        return [(inert(line), "") for line in value.split("\n")]
    out: list[Line] = []
    for line in value.split("\n"):
        st = line.spans[0].style if line.spans else line.style
        out.append((line.plain, str(st) if st else ""))
    return out
