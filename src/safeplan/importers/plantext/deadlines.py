"""A 完成时限 read: a day (2024年6月底前, 第三季度, 2025年) or ongoing (长期坚持) with how
often to report. Pure.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from safeplan.dates import in_range
from safeplan.importers.plantext.words import fold
from safeplan.periods import month_end


@dataclass(frozen=True)
class Deadline:
    """What a 完成时限 says: a day, or ongoing (长期坚持) with how often to report."""

    day: dt.date | None
    ongoing: bool = False
    #: For ongoing tasks, the check-in the text names (每季度 → quarter); None: not named.
    check_in: str | None = None


_ONGOING = re.compile(r"长期坚持|持续推进|常态化|长期|持续开展|持续|常抓不懈|长效")
_PERIODIC = (
    (re.compile(r"每半年"), "half-year"),
    (re.compile(r"每(?:个)?月"), "month"),
    (re.compile(r"每(?:个)?季(?:度)?"), "quarter"),
    (re.compile(r"每年(?:度)?"), "year"),
)
_LEAD_WORDS = re.compile(r"^(?:截止到|截止至|截至|截止|在|于|到|至)")
_TAIL_WORDS = re.compile(r"(?:全面完成|基本完成|完成|以前|之前|前|为止|止|以内|内|结束)$")
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"), "day"),
    (re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?:底|末|份|中旬|下旬)?"), "month"),
    (re.compile(r"(?P<y>\d{4})年(?P<h>上|下)半年(?:底|末)?"), "half"),
    (re.compile(r"(?P<y>\d{4})年第?(?P<q>[一二三四1-4])季度(?:底|末)?"), "quarter"),
    (re.compile(r"(?P<y>\d{4})年(?:年?底|年?末|全年)?"), "year"),
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"), "day"),
)


def one_day(text: str) -> dt.date | None:
    """The day a deadline phrase names, or None (also for a day outside the dates the
    records may hold: 0000年, 2200年 are typing mistakes, not deadlines)."""
    day = _named_day(text)
    return day if day is not None and in_range(day) else None


def _named_day(text: str) -> dt.date | None:
    t = _LEAD_WORDS.sub("", text)
    for _ in range(2):  # 底前完成: two tail words
        t = _TAIL_WORDS.sub("", t)
    for pattern, kind in _FORMS:
        m = pattern.fullmatch(t)
        if m is None:
            continue
        try:
            year = int(m["y"])
            if kind == "day":
                return dt.date(year, int(m["m"]), int(m["d"]))
            if kind == "month":
                return month_end(year, int(m["m"]))
            if kind == "half":
                return month_end(year, 6 if m["h"] == "上" else 12)
            if kind == "quarter":
                return month_end(year, _QUARTER[m["q"]] * 3)
            return dt.date(year, 12, 31)
        except ValueError:  # 2024年13月, 2024年2月30日
            return None
    return None


def _one(text: str) -> Deadline | None:
    """One deadline phrase: a date form, a range (its end), or an ongoing form."""
    check_in = next((code for pattern, code in _PERIODIC if pattern.search(text)), None)
    if (_ONGOING.search(text) or check_in is not None) and not re.search(r"\d", text):
        return Deadline(None, True, check_in)  # 长期坚持, 每月调度: no date in it
    day = one_day(text)
    if day is None:
        parts = [p for p in re.split(r"[—–~～]+|至", text) if p]
        if len(parts) == 2:
            end = parts[1]
            if not re.match(r"\d{4}", end):  # 2024年6月—12月: the year of the start
                start = re.match(r"\d{4}年", parts[0])
                end = (start.group(0) if start else "") + end
            day = one_day(end)
    return None if day is None else Deadline(day)


def read_deadline(text: str) -> tuple[Deadline | None, bool]:
    """A 完成时限 as written → (the deadline or None if unreadable, whether it named several).

    ``2024年12月`` and ``2024年12月底前`` mean 2024-12-31; ``2025年上半年`` 2025-06-30;
    ``2024年第三季度`` 2024-09-30; ``长期坚持``, ``持续推进``, ``常态化开展`` are ongoing, and
    ``每季度``/``每月``/``每年`` ongoing with that check-in. Of several dates the latest is kept.
    """
    folded = fold(text).strip("。.；;，,、")
    if not folded:
        return None, False
    whole = _one(folded)
    if whole is not None:
        return whole, False
    pieces = [p for p in re.split(r"[、，,；;]|和|及", folded) if p]
    readings = [_one(p) for p in pieces]
    if len(pieces) < 2 or any(r is None for r in readings):
        return None, False
    found = [r for r in readings if r is not None]
    days = [r.day for r in found if r.day is not None]
    if not days:  # 长期坚持，每月调度: ongoing, with the check-in named
        check_in = next((r.check_in for r in found if r.check_in), None)
        return Deadline(None, True, check_in), False
    if len(days) == len(found) == 1:
        return found[0], False
    return Deadline(max(days)), True
