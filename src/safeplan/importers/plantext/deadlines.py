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
    #: Two phases: done by ``day``, then kept up (…9月底前集中完成，此后长期坚持).
    then_ongoing: bool = False


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


#: What joins a first phase to the second: 此后长期坚持, 完成并常态化开展, 前完成，每月调度.
_JOIN = re.compile(r"(?:[，,；;、]|并且?|且|此后|之后|其后|以后|然后|后|今后)+$")
#: The work the first phase names before its end: 2025年9月底前集中完成.
_PHASE_WORK = re.compile(r"(?:集中|全面|基本|初步|部署|建立|建成|完成|开展|整治|整改|排查)+$")


def _two_phases(text: str) -> Deadline | None:
    """A day, then ongoing: ``2025年9月底前集中完成，此后长期坚持``, ``2024年12月底前完成并
    常态化开展``, ``2024年6月底前完成，每月调度``. None when the text is not of that shape."""
    marks = [m for m in (_ONGOING.search(text), *(p.search(text) for p, _ in _PERIODIC)) if m]
    if not marks:
        return None
    at = min(m.start() for m in marks)
    first, then = text[:at], text[at:]
    if re.search(r"\d", then):  # 2024年底前完成，2025年持续推进: two dates, not two phases
        return None
    first = _JOIN.sub("", first)
    if not first or first == text:
        return None
    day = one_day(first)
    if day is None:
        day = one_day(_PHASE_WORK.sub("", first))
    if day is None:
        return None
    check_in = next((code for pattern, code in _PERIODIC if pattern.search(then)), None)
    return Deadline(day, False, check_in, then_ongoing=True)


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
    ``每季度``/``每月``/``每年`` ongoing with that check-in; ``2025年9月底前集中完成，此后长期坚持``
    both: the day, then ongoing. Of several dates the latest is kept.
    """
    folded = fold(text).strip("。.；;，,、")
    if not folded:
        return None, False
    phases = _two_phases(folded)
    if phases is not None:
        return phases, False
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
