"""How many terminal cells a text takes: the one measure every renderer uses.

The grid, the folding of messages and ``--help``, and the ledger's column widths all
count with :func:`cell_width`, so a column, a folded line and a printed cell agree on
what "fits". It is ``wcwidth.width`` (Unicode's East Asian Width and grapheme rules, as
terminals draw them): a Chinese character or a full-width form two cells; a combining
accent, a zero-width joiner or space, a variation selector none; an emoji two, a family
joined by ZWJ two in all. Control characters take no room (record text reaches a screen
escaped by ``render.text.inert`` first; a tab is one of them, as rich counts it).

Text of common characters only (``NARROW``: Latin, punctuation, arrows; ``WIDE``:
Chinese characters, kana, CJK and full-width punctuation; each as wide to wcwidth, as a
test checks character by character) is counted without wcwidth, which is imported only for
other text (its import costs more than ``--help`` takes to print). Results are kept: a
listing of 10,000 hazards measures the same unit names and labels again and again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

#: Characters two cells wide that need no library to count: CJK punctuation and the
#: ideographic space (less the combining tone marks U+302A–U+302F), kana (less the
#: combining sound marks U+3099–U+309A), CJK ideographs, full-width forms.
WIDE = (
    "\u3000-\u3029\u3030-\u303e\u3041-\u3096\u309b-\u30ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60\uffe0-\uffe6"
)
#: Characters one cell wide that need no library either: Latin letters with their marks
#: (U+00A0–U+024F), dashes, quotes and the ellipsis, arrows, mathematical operators,
#: circled numbers, box drawing.
NARROW = "\x20-\x7e\u00a0-\u024f\u2010-\u2027\u2030-\u205e\u2190-\u22ff\u2460-\u24ff\u2500-\u257f"
_SIMPLE = re.compile(f"[{NARROW}{WIDE}]*")
_SIMPLE_CHAR = re.compile(f"[{NARROW}{WIDE}]")
_WIDE_CHAR = re.compile(f"[{WIDE}]")

_WIDTHS: dict[str, int] = {}
_MEASURE: list[Callable[[str], int]] = []


def _measure() -> Callable[[str], int]:
    if not _MEASURE:
        import wcwidth

        def measure(text: str) -> int:
            return int(wcwidth.width(text, control_codes="ignore"))

        _MEASURE.append(measure)
    return _MEASURE[0]


def cell_width(text: str) -> int:
    """Cells ``text`` takes on a terminal (see the module's docstring)."""
    if text.isascii() and text.isprintable():
        return len(text)
    n = _WIDTHS.get(text)
    if n is None:
        if _SIMPLE.fullmatch(text):
            n = len(text) + len(_WIDE_CHAR.findall(text))
        else:
            n = _measure()(text)
        if len(_WIDTHS) < 65536:
            _WIDTHS[text] = n
    return n


def graphemes(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of each grapheme of ``text[start:end]``: what a line never splits (a
    letter and its accent, an emoji family joined by ZWJ)."""
    stop = len(text) if end is None else end
    if _SIMPLE.fullmatch(text, start, stop):
        yield from ((i, i + 1) for i in range(start, stop))
        return
    import wcwidth

    at = start
    for g in wcwidth.iter_graphemes(text, start, stop):
        yield at, at + len(g)
        at += len(g)


def joins_previous(text: str, i: int) -> bool:
    """Whether ``text[i]`` belongs to the grapheme before it (an accent, a ZWJ and what
    it joins, a variation selector, a skin tone): a line never breaks before it."""
    if i == 0 or _SIMPLE_CHAR.match(text, i):  # these never extend what is before them
        return False
    import wcwidth

    return bool(wcwidth.grapheme_boundary_before(text, i + 1) != i)
