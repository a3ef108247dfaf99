"""How many terminal cells a text takes: the one measure every renderer uses.

The grid, the folding of messages and ``--help``, and the ledger's column widths all
count with :func:`cell_width`, so a column, a folded line and a printed cell agree on
what "fits". It is ``wcwidth.width`` (Unicode's East Asian Width and grapheme rules, as
terminals draw them): a Chinese character or a full-width form two cells; a combining
accent, a zero-width joiner or space, a variation selector none; an emoji two, a family
joined by ZWJ two in all. Control characters take no room (record text reaches a screen
escaped by ``render.text.inert`` first; a tab is one of them, as rich counts it).

ASCII text is its length, and wcwidth is imported only for the first text that is not
ASCII (an English ``--help`` never loads it). Results are kept: a listing of 10,000
hazards measures the same unit names and labels again and again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

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
        n = _measure()(text)
        if len(_WIDTHS) < 65536:
            _WIDTHS[text] = n
    return n


def graphemes(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of each grapheme of ``text[start:end]``: what a line never splits (a
    letter and its accent, an emoji family joined by ZWJ)."""
    stop = len(text) if end is None else end
    if text[start:stop].isascii():
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
    c = text[i]
    if i == 0 or (c.isascii() and text[i - 1].isascii()) or "\u4e00" <= c <= "\u9fff":
        return False
    import wcwidth

    return bool(wcwidth.grapheme_boundary_before(text, i + 1) != i)
