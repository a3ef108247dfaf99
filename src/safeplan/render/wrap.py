"""Wrapping mixed Chinese and Latin text to a width in terminal cells (without rich).

A Chinese character takes two cells. Latin words are not broken (unless longer than
a line); Chinese may break between any two characters, except that a closing mark
(，。、；：）…) never starts a line and an opening one (（“《) never ends one — the
rules of Chinese typesetting (禁则). Used where importing rich would cost more than
the text is worth (``--help``).
"""

from __future__ import annotations

import re
import unicodedata

#: Marks that never start a line.
NO_LINE_START = frozenset("，。、；：？！）」』》〉】”’…%,.;:?!)]}")
#: Marks that never end a line.
NO_LINE_END = frozenset("（「『《〈【“‘([{")
_TOKEN = re.compile(r"[ \t]+|[\x21-\x7e\u00a0-\u024f]+|.", re.S)


def cell_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _tokens(text: str) -> list[str]:
    """Runs of spaces, Latin words, and single other characters; closing marks stay
    with what precedes them and opening marks with what follows."""
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        if out and (tok[0] in NO_LINE_START or out[-1][-1] in NO_LINE_END) and not tok.isspace():
            out[-1] += tok
        else:
            out.append(tok)
    return out


def wrap(text: str, width: int) -> list[str]:
    """One paragraph as lines of at most ``width`` cells, without trailing blanks."""
    width = max(width, 4)
    lines: list[str] = []
    line = ""
    used = 0
    for tok in _tokens(" ".join(text.split("\n"))):
        w = cell_width(tok)
        if tok.isspace():
            if line:
                line, used = line + " ", used + 1
            continue
        if used + w > width and line.strip():
            lines.append(line.rstrip())
            line, used = "", 0
        while w > width:  # a word longer than a line: cut it
            cut = ""
            for ch in tok:
                if cell_width(cut + ch) > width:
                    break
                cut += ch
            lines.append(cut)
            tok = tok[len(cut) :]
            w = cell_width(tok)
        line, used = line + tok, used + w
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines
