"""The console's blocks: a grid for listings of any length, fields, paragraphs.

Every screen is made of these, and every block gives its lines for a width in terminal
cells (``None``: as wide as the text is, for output that is not a terminal). A line is a
list of runs ``(style, text)``; ``cli/output.py`` writes them, with colour when the
output is a terminal. Lines never end in blanks, never pass the width (unless a single
word is longer than a line), and fold as Chinese is typeset (``render/wrap.py``): no
closing mark starts a line, ids, dates and numbers with their measure word hold
together, unit names are not split.

rich's Table measures and wraps every cell through its layout engine (10,000 hazards
took ten seconds) and folds Chinese at any character; here widths are counted once
(``render.width.cell_width``, as the folding counts them), only the flexible columns
fold, and a listing streams.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from safeplan.render import wrap
from safeplan.render.text import inert
from safeplan.render.width import cell_width

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.style import Style

Run = tuple[str, str]  # (style, text)
Line = list[Run]
Para = list[Run]  # one paragraph: runs of text, folded as one


class Words:
    """A paragraph made of items: a line breaks between items, never inside one (unless
    an item is longer than a line). For lists a reader scans item by item: the units of
    a task (镇安监站、镇党政办), the counts of a status line (逾期 2 · 即将到期 0)."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Sequence[Run]]) -> None:
        self.items = [list(item) for item in items if any(text for _, text in item)]


Paragraph = Para | Words
#: A table cell or a field's value: text (folded; newlines start paragraphs), or paragraphs.
Cell = str | list[Paragraph]


def styled(text: str, style: str = "") -> list[Paragraph]:
    """A cell of one style (record text is shown as it is, never as markup)."""
    return [[(style, text)]]


_FOLDS: dict[tuple[str, int], list[str]] = {}


def fold(text: str, width: int) -> list[str]:
    """Fold one paragraph to a width in cells, as Chinese is typeset (``render/wrap.py``).

    Results are kept: a listing folds the same titles and unit names again and again."""
    if cell_width(text) <= width:
        return [text]
    key = (text, width)
    lines = _FOLDS.get(key)
    if lines is None:
        lines = wrap.fold(text, width, cell_width)
        if len(_FOLDS) < 8192:
            _FOLDS[key] = lines
    return lines


def _plain(p: Paragraph) -> str:
    runs = _runs(p)
    return runs[0][1] if len(runs) == 1 else "".join(text for _, text in runs)


def _runs(p: Paragraph) -> Para:
    return [run for item in p.items for run in item] if isinstance(p, Words) else p


def _fold_para(p: Paragraph, width: int | None) -> list[Line]:
    """A paragraph as lines of at most ``width`` cells (``None``: one line)."""
    if isinstance(p, Words):
        runs = _runs(p)
        text = "".join(t for _, t in runs)
        if width is None or cell_width(text) <= width:
            return [runs]
        starts, at = set(), 0
        for item in p.items:
            text_of = "".join(t for _, t in item)
            starts.add(at + len(text_of) - len(text_of.lstrip(" \t")))
            at += len(text_of)
        return _slices(runs, wrap.spans(text, width, cell_width, starts))
    if len(p) == 1:
        style, text = p[0]
        if width is None:
            return [p]
        return [[(style, piece)] for piece in fold(text, width)]
    text = "".join(t for _, t in p)
    if width is None or cell_width(text) <= width:
        return [p]
    return _slices(p, wrap.spans(text, width, cell_width))


def _slices(runs: Para, spans: Sequence[tuple[int, int]]) -> list[Line]:
    """The runs cut at each line's span of their joined text."""
    out: list[Line] = []
    for s, e in spans:
        line: Line = []
        at = 0
        for style, text in runs:
            end = at + len(text)
            lo, hi = max(s, at), min(e, end)
            if lo < hi:
                line.append((style, text[lo - at : hi - at]))
            at = end
        out.append(line)
    return out


def _longest_word(p: Paragraph) -> int:
    """The widest thing in a paragraph that a line does not break: a word, an id, a
    number with its measure word, an item of a list."""
    text = _plain(p)
    if isinstance(p, Words):
        return max((cell_width("".join(t for _, t in item).strip()) for item in p.items), default=0)
    best = 0
    start = end = -1
    for s, e, tie in wrap.words(text):
        if tie >= wrap.STRONG and start >= 0:
            end = e
        else:
            if start >= 0:
                best = max(best, cell_width(text[start:end]))
            start, end = s, e
    if start >= 0:
        best = max(best, cell_width(text[start:end]))
    return best


class Ready(list[Paragraph]):
    """A cell already made into paragraphs (``ready``): a grid takes it as it is. A
    listing makes each shape of state cell once and shows it thousands of times."""


def ready(cell: Cell) -> Ready:
    return Ready(_paras_of(cell))


_LONG_LATIN = re.compile(r"[\x21-\x7e\u00a0-\u024f]{6,}")


def widest_word(text: str) -> int:
    """The widest thing in a text that a line does not break (an id, a date, a Latin
    word), quickly: most titles are Chinese characters, two cells a piece."""
    if not _LONG_LATIN.search(text):
        return 6  # a Chinese character with the marks that hold to it
    return _longest_word([("", text)])


def _paras_of(cell: Cell) -> list[Paragraph]:
    """A cell as paragraphs, record text made inert (control characters escaped) and
    newlines starting paragraphs."""
    if cell.__class__ is Ready:
        return cell
    if isinstance(cell, str):
        if "\n" not in cell:
            return [[("", inert(cell))]]
        return [[("", inert(line))] for line in cell.split("\n")]
    out: list[Paragraph] = []
    for p in cell:
        if isinstance(p, Words):
            out.append(
                Words([[(st, inert(t, one_line=True)) for st, t in item] for item in p.items])
            )
            continue
        if not any("\n" in t for _, t in p):
            out.append([(st, inert(t)) for st, t in p])
            continue
        line: Para = []
        for style, text in p:
            first, *rest = text.split("\n")
            if first:
                line.append((style, inert(first)))
            for part in rest:
                out.append(line)
                line = [(style, inert(part))] if part else []
        out.append(line)
    return out


def _clean(line: Line) -> Line:
    """A line without blanks at its end (piped output stays clean); the runs given are
    not changed (cells are shared between rows)."""
    end = len(line)
    while end and not line[end - 1][1].strip():
        end -= 1
    if end == len(line) and not (end and line[-1][1][-1:].isspace()):
        return line
    out = line[:end]
    if out and out[-1][1][-1:].isspace():
        out[-1] = (out[-1][0], out[-1][1].rstrip())
    return out


# --------------------------------------------------------------------------- blocks


class Block:
    """Something on screen: it gives its lines for a width (``None``: unbounded)."""

    def lines(self, width: int | None) -> Iterator[Line]:
        raise NotImplementedError

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The same lines through rich (``console.print(block)``)."""
        from rich.segment import Segment

        styles: dict[str, Style] = {}
        newline = Segment.line()
        for line in self.lines(options.max_width):
            for name, text in line:
                style = styles.get(name)
                if style is None:
                    style = styles[name] = console.get_style(name, default="")
                yield Segment(text, style)
            yield newline


class Stack(Block):
    """Blocks one under the other."""

    def __init__(self, *blocks: Block | None) -> None:
        self.blocks = [b for b in blocks if b is not None]

    def lines(self, width: int | None) -> Iterator[Line]:
        for block in self.blocks:
            yield from block.lines(width)


class Text(Block):
    """Paragraphs, each folded to the width, with ``indent`` cells before every line."""

    def __init__(self, *paragraphs: Paragraph | str, indent: int = 0) -> None:
        self.paragraphs: list[Paragraph] = []
        for p in paragraphs:
            self.paragraphs += _paras_of(p if isinstance(p, str) else [p])
        self.indent = indent

    def lines(self, width: int | None) -> Iterator[Line]:
        room = None if width is None else max(width - self.indent, 8)
        pad: Line = [("", " " * self.indent)] if self.indent else []
        for p in self.paragraphs:
            for line in _fold_para(p, room):
                yield _clean([*pad, *line] if line else line)


def blank() -> Text:
    return Text("")


class Fields(Block):
    """Labels and values, the values folded beside their labels (``hazard show``).

    When the width leaves a value less than ``min_value`` cells, each value goes under
    its label instead."""

    GAP = 2

    def __init__(
        self, rows: Sequence[tuple[str, Cell]], min_value: int = 16, indent: int = 0
    ) -> None:
        self.rows = [(inert(label, one_line=True), _paras_of(value)) for label, value in rows]
        self.min_value = min_value
        self.indent = indent

    def lines(self, width: int | None) -> Iterator[Line]:
        if not self.rows:
            return
        label_w = max(cell_width(label) for label, _ in self.rows)
        lead = self.indent + label_w + self.GAP
        under = width is not None and width - lead < self.min_value
        for label, paras in self.rows:
            if under:
                assert width is not None
                yield _clean([("", " " * self.indent), ("bold", label)])
                under_room = max(width - self.indent - 2, 8)
                for p in paras:
                    for line in _fold_para(p, under_room):
                        yield _clean([("", " " * (self.indent + 2)), *line])
                continue
            room = None if width is None else width - lead
            first = True
            for p in paras:
                for line in _fold_para(p, room) or [[]]:
                    if first:
                        pad = label_w - cell_width(label) + self.GAP
                        head: Line = [("", " " * self.indent)] if self.indent else []
                        yield _clean([*head, ("bold", label), ("", " " * pad), *line])
                        first = False
                    else:
                        yield _clean([("", " " * lead), *line])
            if first:
                yield _clean([("", " " * self.indent), ("bold", label)])


@dataclass(frozen=True)
class Col:
    header: str
    justify: Literal["left", "right"] = "left"
    #: Share of the width left over by the other columns; 0: the column never folds
    #: (ids, dates, unit names, counts).
    flex: int = 0
    #: The narrowest a flexible column becomes before the grid stacks its rows.
    min_width: int = 6
    #: In the stacked layout, shown on the first line of each record.
    head: bool = False
    #: The style of the column's cells.
    style: str = ""


class Grid(Block):
    """A table for listings that may run to thousands of rows.

    It takes its columns' natural widths when they fit; otherwise the flexible columns
    fold (titles, texts), down to their ``min_width`` and never below the widest word
    they hold; then the gap narrows and long headers fold onto two lines. When even
    that does not fit, every row is stacked: its ``head`` columns on one line, each
    other column as a labelled line under it, so that no column is ever dropped or cut.
    """

    GAP = 3
    INDENT = 2

    def __init__(
        self,
        *columns: Col,
        title: str | None = None,
        caption: str | None = None,
        rows: Callable[[], Iterable[Sequence[Cell]]] | None = None,
        natural: Sequence[int] | None = None,
        least: Sequence[int] | None = None,
        header: bool = True,
    ) -> None:
        """``rows``, when given, makes the rows afresh each time it is called and the grid
        never holds them all; with ``natural`` (each column's widest cell, counted by the
        caller, and ``least``, each flexible column's widest word, see ``widest_word``)
        it walks them once, else twice (widths, then lines)."""
        self.columns = columns
        self.title = title
        self.caption = caption
        self.header = header
        self._added: list[list[list[Paragraph]]] = []
        self._make_rows = rows
        self._natural = list(natural) if natural is not None else None
        self._least = list(least) if least is not None else None
        self._measured: tuple[list[int], list[int]] | None = None

    def add_row(self, *cells: Cell) -> None:
        self._added.append([_paras_of(c) for c in cells])

    def _rows(self) -> Iterator[list[list[Paragraph]]]:
        if self._make_rows is None:
            yield from self._added
            return
        for cells in self._make_rows():
            yield [_paras_of(c) for c in cells]

    # -- layout

    def _measure(self) -> tuple[list[int], list[int]]:
        """Each column's widest cell, and the widest word of each flexible column."""
        if self._measured is not None:
            return self._measured
        n = len(self.columns)
        words = list(self._least) if self._least is not None else [0] * n
        if self._natural is not None:
            natural = list(self._natural)
        else:
            natural = [0] * n
            for row in self._rows():
                for i, paras in enumerate(row):
                    for p in paras:
                        w = cell_width(_plain(p))
                        if w > natural[i]:
                            natural[i] = w
                        if self.columns[i].flex and self._make_rows is None:
                            words[i] = max(words[i], _longest_word(p))
        self._measured = natural, words
        return self._measured

    def layout(self, width: int | None) -> tuple[list[int], int] | None:
        """The columns' widths and the gap between them, or None: stack the rows."""
        cells, words = self._measure()
        cols = self.columns
        heads = [cell_width(c.header) if self.header else 0 for c in cols]
        natural = [max(c, h) for c, h in zip(cells, heads, strict=True)]
        if width is None:
            return natural, self.GAP
        flex = [i for i, c in enumerate(cols) if c.flex]
        #: What a flexible column needs to read well: its natural width, or twice its least.
        comfort = [min(natural[i], 2 * cols[i].min_width) for i in range(len(cols))]
        best: tuple[list[int], int] | None = None
        for gap, fold_headers in ((self.GAP, False), (2, False), (2, True)):
            fixed: list[int] = []
            low: list[int] = []
            for i, c in enumerate(cols):
                head = _two_lines(c.header, cells[i]) if fold_headers else heads[i]
                if c.flex:
                    least = max(min(c.min_width, natural[i]), words[i])
                    low.append(max(least, head if not fold_headers else 0))
                    fixed.append(0)
                else:
                    low.append(0)
                    fixed.append(max(cells[i], head))
            room = width - sum(fixed) - gap * (len(cols) - 1)
            if sum(low) > room:
                continue
            widths = self._share(fixed, low, natural, room)
            if all(widths[i] >= comfort[i] for i in flex):
                return widths, gap
            # a narrower gap, then two-line headers, may leave the texts more room
            if best is None or sum(widths[i] for i in flex) > sum(best[0][i] for i in flex):
                best = widths, gap
        return best

    def _share(self, fixed: list[int], low: list[int], natural: list[int], room: int) -> list[int]:
        """The room left by the fixed columns, shared among the flexible ones by their
        ``flex``, each from its least width up to its natural one."""
        widths = [f or w for f, w in zip(fixed, low, strict=True)]
        flex = [i for i, c in enumerate(self.columns) if c.flex]
        left = room - sum(widths[i] for i in flex)
        while left > 0:
            active = [i for i in flex if widths[i] < natural[i]]
            if not active:
                break
            shares = sum(self.columns[i].flex for i in active)
            given = 0
            for i in active:
                add = max(1, left * self.columns[i].flex // shares)
                add = min(add, natural[i] - widths[i], left - given)
                widths[i] += add
                given += add
                if given >= left:
                    break
            left -= given
        return widths

    # -- lines

    def lines(self, width: int | None) -> Iterator[Line]:
        """Each line of the table (or of its stacked rows), without trailing blanks."""
        if self.title:
            for line in _fold_para([("bold", self.title)], width):
                yield _clean(line)
        shape = self.layout(width)
        if shape is None:
            assert width is not None
            yield from self._stacked(width)
        else:
            yield from self._table(*shape)
        if self.caption:
            for line in _fold_para([("dim", self.caption)], width):
                yield _clean(line)

    def _table(self, widths: list[int], gap_width: int) -> Iterator[Line]:
        cols = self.columns
        last = len(cols) - 1
        justify = [c.justify == "right" for c in cols]
        flex = [bool(c.flex) for c in cols]
        base = [c.style for c in cols]
        gap = " " * gap_width
        if self.header:
            header = [[[("bold", c.header)]] for c in cols]
            heads = [
                [ln for p in paras for ln in _fold_para(p, w)]
                for paras, w in zip(header, widths, strict=True)
            ]
            yield from self._emit(heads, widths, justify, base, gap, last)
            yield [("", "─" * (sum(widths) + gap_width * last))]
        for row in self._rows():
            cells: list[list[Line]] = []
            for i, paras in enumerate(row):
                if flex[i]:  # the fixed columns are as wide as their widest cell
                    if len(paras) == 1 and paras[0].__class__ is list and len(paras[0]) == 1:
                        style, text = paras[0][0]
                        cells.append([[(style, piece)] for piece in fold(text, widths[i])])
                    else:
                        cells.append([ln for p in paras for ln in _fold_para(p, widths[i])])
                else:
                    cells.append([_runs(p) for p in paras])
            yield from self._emit(cells, widths, justify, base, gap, last)

    @staticmethod
    def _emit(
        cells: list[list[Line]],
        widths: list[int],
        justify: list[bool],
        base: list[str],
        gap: str,
        last: int,
    ) -> Iterator[Line]:
        """The lines of one row whose cells are folded: padded into their columns."""
        height = max(1, *(len(lines) for lines in cells))
        for n in range(height):
            # Runs of one style each: a plain row becomes one run, not a dozen.
            runs: list[list[str]] = []  # [style, text]
            for i, lines in enumerate(cells):
                line = lines[n] if n < len(lines) else ()
                used = (
                    cell_width(line[0][1])
                    if len(line) == 1
                    else sum(cell_width(t) for _, t in line)
                )
                pad = " " * (widths[i] - used)
                sep = gap if i < last else ""
                if justify[i] and pad:
                    if runs and not runs[-1][0]:
                        runs[-1][1] += pad
                    else:
                        runs.append(["", pad])
                    pad = ""
                for st, text in line:
                    st = st or base[i]
                    if runs and runs[-1][0] == st:
                        runs[-1][1] += text
                    else:
                        runs.append([st, text])
                fill = pad + sep
                if fill:
                    if runs and not runs[-1][0]:
                        runs[-1][1] += fill
                    else:
                        runs.append(["", fill])
            while runs and not runs[-1][1].strip():
                runs.pop()
            if runs and runs[-1][1][-1:] == " ":
                runs[-1][1] = runs[-1][1].rstrip()
            yield [(st, text) for st, text in runs]

    def _stacked(self, width: int) -> Iterator[Line]:
        """Each row as a record: its head columns on one line, then a labelled line for
        every other column (the layout when the columns cannot fit side by side)."""
        cols = self.columns
        heads = [i for i, c in enumerate(cols) if c.head] or [0]
        rest = [i for i in range(len(cols)) if i not in heads]
        label_w = max((cell_width(cols[i].header) for i in rest), default=0)
        lead = self.INDENT + label_w + Fields.GAP
        under = width - lead < 16  # too narrow for a value beside its label
        room = max(width - self.INDENT - 2, 8) if under else width - lead
        indent = " " * self.INDENT
        cont = " " * (self.INDENT + 2 if under else lead)
        labels = {
            i: cols[i].header
            + ("" if under else " " * (label_w - cell_width(cols[i].header) + Fields.GAP))
            for i in rest
        }
        for row in self._rows():
            items: list[list[Run]] = []
            used = 0
            for i in heads:
                for p in row[i]:
                    runs = [(st or cols[i].style or "bold", t) for st, t in _runs(p)]
                    used += sum(cell_width(t) for _, t in runs) + (2 if items else 0)
                    items.append(runs if not items else [("", "  "), *runs])
            if used <= width:
                yield _clean([run for item in items for run in item])
            else:
                yield from (_clean(line) for line in _fold_para(Words(items), width))
            for i in rest:
                label: Line = [("", indent), ("bold", labels[i])]
                if under:
                    yield _clean(label)
                    label = [("", cont)]
                style = cols[i].style
                for p in row[i] or [[]]:
                    for line in _fold_para(p, room):
                        if style:
                            line = [(st or style, t) for st, t in line]
                        yield _clean([*label, *line])
                        label = [("", cont)]


def _two_lines(header: str, least: int) -> int:
    """The narrowest width, not below ``least``, at which a header folds onto two lines
    (a short one, such as 编号, is never split)."""
    full = cell_width(header)
    w = max(least, (full + 1) // 2, _longest_word([("", header)]), min(full, 4))
    while w < full and len(fold(header, w)) > 2:
        w += 1
    return max(w, least)
