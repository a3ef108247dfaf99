"""The words every reader of a plan's phrases shares: brackets, sentence ends, folding, and
Chinese numerals; and the years a plan covers.

Pure functions over strings.
"""

from __future__ import annotations

import re
import unicodedata

OPEN = "（("
CLOSE = "）)"
#: What ends a sentence in a task's text (its title is the first sentence).
SENTENCE_END = "。！？!?"
#: Quotation and title marks that a sentence end inside does not end the sentence.
QUOTE_OPEN = "“‘「『《〈"
QUOTE_CLOSE = "”’」』》〉"


def fold(text: str) -> str:
    """Full-width digits, letters, brackets and colons as their half-width forms; no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def strip_text(text: str) -> str:
    """A line as the text means it: without the spaces (also U+3000) around it."""
    return text.strip(" \t\u3000\ufeff\r\n")


# --------------------------------------------------------------------------- numerals

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_DIGITS["〇"] = 0
CN_NUMERAL = "[一二三四五六七八九十〇零百]+"


def numeral_value(numeral: str) -> int | None:
    """一 → 1, 十 → 10, 十一 → 11, 二十一 → 21 (the numerals of sections and actions)."""
    if not numeral or any(c not in _DIGITS and c not in "十百" for c in numeral):
        return None
    total, current = 0, 0
    for c in numeral:
        if c == "百":
            total += (current or 1) * 100
            current = 0
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[c]
    return total + current


def numeral_of(value: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一 (to name a missing action)."""
    digits = "零一二三四五六七八九"
    if value < 10:
        return digits[value]
    if value < 20:
        return "十" + (digits[value % 10] if value % 10 else "")
    if value < 100:
        return digits[value // 10] + "十" + (digits[value % 10] if value % 10 else "")
    return str(value)


# --------------------------------------------------------------------------- periods

_PERIOD = re.compile(r"(?P<a>\d{4})\s*年?\s*(?:[—–\-－~～至到]+|—)\s*(?P<b>\d{4})\s*年")


def period_of(text: str) -> tuple[int, int] | None:
    """（2024—2026年） → (2024, 2026)."""
    m = _PERIOD.search(unicodedata.normalize("NFKC", text))
    if m is None:
        return None
    a, b = int(m["a"]), int(m["b"])
    return (a, b) if 1950 <= a <= b <= 2099 else None
