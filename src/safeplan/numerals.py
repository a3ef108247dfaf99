"""Chinese numerals, both ways: the one home for reading ``二十一`` and writing 21 as it.

Citations (``第十一条``), a plan's sections and actions (``（二十一）``) and Word's
Chinese counters all use these. Pure functions over strings.
"""

from __future__ import annotations

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100}
_NAMES = "零一二三四五六七八九"


def numeral_value(numeral: str) -> int | None:
    """一 → 1, 十 → 10, 十一 → 11, 一百零三 → 103; None for anything else (digits too)."""
    if not numeral:
        return None
    total = current = 0
    for c in numeral:
        if c in _DIGITS:
            current = _DIGITS[c]
        elif c in _UNITS:
            total += (current or 1) * _UNITS[c]
            current = 0
        else:
            return None
    return total + current


def chinese_number(text: str) -> int | None:
    """``十一`` → 11, ``一百零三`` → 103, ``12`` → 12 (as officers type numbers)."""
    return int(text) if text.isdigit() else numeral_value(text)


def _tens(n: int, alone: bool) -> str:
    """10 ≤ n < 100: 二十, 二十一; 十一 ``alone``, 一十一 after a hundred (一百一十)."""
    head = "十" if n < 20 and alone else _NAMES[n // 10] + "十"
    return head + (_NAMES[n % 10] if n % 10 else "")


def to_chinese(n: int) -> str:
    """11 → 十一, 103 → 一百零三: how articles, items and actions are written (0–999)."""
    if n < 100:
        return _NAMES[n] if n < 10 else _tens(n, alone=True)
    rest = n % 100
    head = _NAMES[n // 100] + "百"
    if rest == 0:
        return head
    return head + ("零" + _NAMES[rest] if rest < 10 else _tens(rest, alone=False))
