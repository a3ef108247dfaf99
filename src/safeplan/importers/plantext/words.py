"""The words every reader of a plan's phrases shares: brackets, sentence ends, folding, and
Chinese numerals; and the years a plan covers.

Pure functions over strings.
"""

from __future__ import annotations

import re
import unicodedata

from safeplan.numerals import numeral_value as numeral_value
from safeplan.numerals import to_chinese

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

CN_NUMERAL = "[一二三四五六七八九十〇零百]+"


def numeral_of(value: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一 (to name a missing action; 100 and more in
    digits, as before)."""
    return to_chinese(value) if value < 100 else str(value)


# --------------------------------------------------------------------------- periods

_PERIOD = re.compile(r"(?P<a>\d{4})\s*年?\s*(?:[—–\-－~～至到]+|—)\s*(?P<b>\d{4})\s*年")


def period_of(text: str) -> tuple[int, int] | None:
    """（2024—2026年） → (2024, 2026)."""
    m = _PERIOD.search(unicodedata.normalize("NFKC", text))
    if m is None:
        return None
    a, b = int(m["a"]), int(m["b"])
    return (a, b) if 1950 <= a <= b <= 2099 else None
