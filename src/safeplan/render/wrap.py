"""Folding mixed Chinese and Latin text to a width in terminal cells (without rich).

A Chinese character takes two cells. The rules are those of Chinese typesetting (禁则)
and of not breaking what a reader takes as one thing:

- a closing mark (，。、；：）」…) never starts a line; an opening one (（“《) never ends one;
- a Latin word, an id (HZ-20240315-A7K2), a date or a number is never broken, unless it
  is longer than a whole line;
- a number stays with its measure word (``0 项``, ``3 天``, ``367 days``), a short label
  with the number after it (``剩 91 天``, ``截至 2024-10-01``, ``2024-Q1: 1``); such a
  phrase breaks at its spaces only when it is longer than a line;
- Chinese may otherwise break between any two characters, Latin text at its spaces.

Used by ``--help`` (where importing rich would cost more than the text is worth) and by
the console's grid and blocks. Widths are counted by ``render.width.cell_width``, the one
measure of the renderers; a line never splits a grapheme (a letter and its accent).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from safeplan.render.width import cell_width, graphemes, joins_previous

#: Marks that never start a line.
NO_LINE_START = frozenset("，。、；：？！）」』》〉】〕”’…%,.;:?!)]}")
#: Marks that never end a line.
NO_LINE_END = frozenset("（「『《〈【〔“‘([{")
#: Measure words a number keeps: ``0 项``, ``3 天``, ``2 个``.
MEASURE_WORDS = frozenset("项天个次处条件家人名台座份周月年日号元万亿倍户宗起所张")
#: What ends an item of a list: a break after it is always allowed.
_SEPARATORS = frozenset(",;，；、。")
#: Latin letters, digits and marks, and the accents that combine with them (é as e + ́).
_LATIN = "\x21-\x7e\u00a0-\u024f\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff"
_TOKEN = re.compile(rf"[ \t]+|[{_LATIN}]+|.", re.S)
_LATIN_RE = re.compile(rf"[{_LATIN}]")
#: Text that folds by counting characters alone: Chinese characters and nothing else.
_PLAIN_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")

Measure = Callable[[str], int]
Span = tuple[int, int]


__all__ = ["cell_width", "fold", "spans", "words", "wrap"]


def _raw_tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of runs of spaces, Latin words, and single other characters; closing
    marks stay with what precedes them and opening marks with what follows, and an accent
    or a joined emoji with its grapheme."""
    out: list[tuple[int, int]] = []
    plain = text.isascii()
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        first = text[start]
        if (
            out
            and first not in " \t"
            and (first in NO_LINE_START or text[out[-1][1] - 1] in NO_LINE_END)
            and text[out[-1][0]] not in " \t"
        ) or (out and not plain and joins_previous(text, start)):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _is_number(word: str) -> bool:
    return word[0].isascii() and word[0].isdigit()


def _is_latin(word: str) -> bool:
    return bool(_LATIN_RE.match(word[0]))


#: How strongly two words hold together (see ``_tie``): a line breaks between WEAK ties
#: before it breaks between STRONG ones, and between neither while the phrase fits.
WEAK, STRONG = 1, 2


def _tie(left: str, right: str, cjk_run: int) -> int:
    """How strongly the single space between two words holds: 2 for a number and its
    measure word, 1 for a short label and its number, 0 where a line may break.
    ``cjk_run`` is how many Chinese characters end the left word's run."""
    if left[-1] in _SEPARATORS:
        return 0
    if _is_number(left) and not _is_number(right):
        # 0 项, 367 days; a Chinese word after a number only if it is its measure word
        return STRONG if _is_latin(right) or right[0] in MEASURE_WORDS else 0
    if _is_number(right):
        # 剩 91, 截至 2024-10-01, overdue 367, 2024-Q1: 1
        if left[-1] in ":：":
            return WEAK
        if _is_latin(left):
            return 0 if _is_number(left) else WEAK
        return WEAK if 0 < cjk_run <= 2 else 0
    return 0


def words(text: str, boundaries: Collection[int] | None = None) -> list[tuple[int, int, int]]:
    """The words of a paragraph as (start, end, tie): how strongly the word holds to the
    one before it (0: a line may break before it; see ``_tie``).

    ``boundaries`` are offsets where a caller's items begin (an explicit list: unit
    names, counts); then only those are breaks, and the words of an item hold together.
    """
    out: list[tuple[int, int, int]] = []
    cjk_run = 0  # Chinese characters ending the last word's run, for a label before a number
    gap = ""
    for start, end in _raw_tokens(text):
        word = text[start:end]
        if word[0] in " \t":
            gap = word
            continue
        tie = 0
        if not out:
            pass
        elif boundaries is not None:
            tie = 0 if start in boundaries else STRONG
        elif not gap and text[out[-1][1] - 1] in ":：" and _is_number(word):
            tie = WEAK  # 2024-Q1：1 (a label and its number, written close)
        elif gap == " ":
            prev = text[out[-1][0] : out[-1][1]]
            tie = _tie(prev, word, cjk_run)
            if tie and _is_number(word) and not _is_latin(prev):
                # a short Chinese label before a number (剩 91, 截至 2024-…): its
                # characters hold together as the label
                n = len(out) - 1
                for k in range(n - cjk_run + 2, n + 1):
                    s, e, _ = out[k]
                    out[k] = (s, e, STRONG)
        out.append((start, end, tie))
        cjk_run = 0 if _is_latin(word) else 1 if gap else cjk_run + 1
        gap = ""
    return out


def spans(
    text: str,
    width: int,
    measure: Measure = cell_width,
    boundaries: Collection[int] | None = None,
) -> list[Span]:
    """Where each line of one paragraph starts and ends in ``text``, folded to ``width``
    cells; spaces at a break are dropped, so no line starts or ends with a blank."""
    ws = words(text, boundaries)
    if not ws:
        return [(0, 0)]
    lines: list[Span] = []
    line_start = -1
    line_end = 0
    used = 0

    def place(start: int, end: int, w: int) -> None:
        nonlocal line_start, line_end, used
        if line_start >= 0:
            gap = measure(text[line_end:start])
            if used + gap + w <= width:
                line_end, used = end, used + gap + w
                return
            lines.append((line_start, line_end))
        if w <= width:
            line_start, line_end, used = start, end, w
            return
        # longer than a line: cut it between graphemes
        cut = start
        n = 0
        for i, j in graphemes(text, start, end):
            c = measure(text[i:j])
            if n + c > width and i > cut:
                lines.append((cut, i))
                cut, n = i, 0
            n += c
        line_start, line_end, used = cut, end, n

    def phrases(lo: int, hi: int, level: int) -> None:
        """Place ws[lo:hi], holding words tied at ``level`` or more together; a phrase
        longer than a line is placed by its stronger ties, then word by word."""
        i = lo
        while i < hi:
            j = i + 1
            while j < hi and ws[j][2] >= level:
                j += 1
            start, end = ws[i][0], ws[j - 1][1]
            w = measure(text[start:end])
            if w <= width or j == i + 1:
                place(start, end, w)
            else:  # ties above STRONG do not exist: the recursion ends at single words
                phrases(i, j, level + 1)
            i = j

    phrases(0, len(ws), WEAK)
    lines.append((line_start, line_end))
    return _no_orphan(text, lines)


def _no_orphan(text: str, lines: list[Span]) -> list[Span]:
    """A paragraph does not end on a line of one Chinese character (孤字): the line above
    gives it a companion, when that leaves no mark at the start or end of a line."""
    if len(lines) < 2:
        return lines
    (s0, e0), (s1, e1) = lines[-2], lines[-1]
    if e1 - s1 != 1 or e0 - s0 < 3 or e0 != s1 or not _PLAIN_HAN.match(text[s1]):
        return lines
    moved, before = text[e0 - 1], text[e0 - 2]
    if not _PLAIN_HAN.match(moved) or before in NO_LINE_END:
        return lines
    return [*lines[:-2], (s0, e0 - 1), (e0 - 1, e1)]


def fold(text: str, width: int, measure: Measure = cell_width) -> list[str]:
    """One paragraph (no newlines) as lines of at most ``width`` cells."""
    if measure(text) <= width:
        return [text]
    if _PLAIN_HAN.fullmatch(text):
        n = max(1, width // 2)
        lines = [text[i : i + n] for i in range(0, len(text), n)]
        if n >= 3 and len(lines[-1]) == 1:  # no line of one character (孤字)
            lines[-2:] = [lines[-2][:-1], lines[-2][-1] + lines[-1]]
        return lines
    return [text[s:e] for s, e in spans(text, width, measure)]


def wrap(text: str, width: int) -> list[str]:
    """One paragraph as lines of at most ``width`` cells, without trailing blanks
    (newlines in ``text`` are read as spaces, as in a help text)."""
    return fold(" ".join(text.split("\n")).strip(" \t"), max(width, 4))
