"""Calendar arithmetic, in one place: ISO weeks, months, quarters, half-years, years.

Pure. ISO weeks run Monday to Sunday and belong to the ISO week-numbering year
(``%G-W%V``): 2027-01-01 lies in 2026-W53, and 2026 has 53 weeks.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["week", "month", "quarter", "half-year", "year"]
KINDS: tuple[Kind, ...] = ("week", "month", "quarter", "half-year", "year")
#: How many months a check-in period or a span of a kind lasts (weeks excepted).
MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A named stretch of days, both ends included: ``2026-W48``, ``2026-11``, ``2026-Q4``."""

    start: dt.date
    end: dt.date
    kind: Kind
    name: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def next(self) -> Span:
        return span_of(self.kind, self.end + dt.timedelta(days=1))

    def previous(self) -> Span:
        return span_of(self.kind, self.start - dt.timedelta(days=1))


def week_of(day: dt.date) -> Span:
    year, week, weekday = day.isocalendar()
    start = day - dt.timedelta(days=weekday - 1)
    return Span(start, start + dt.timedelta(days=6), "week", f"{year}-W{week:02d}")


#: How a span of months is named after its year: 2026-11, 2026-Q4, 2026-H2, 2026.
_SUFFIX = {"month": "-{:02d}", "quarter": "-Q{}", "half-year": "-H{}", "year": ""}


def _months_of(kind: Kind, day: dt.date) -> Span:
    """The month, quarter, half-year or year holding ``day``: one rule, by its length."""
    months = MONTHS[kind]
    n = (day.month - 1) // months
    return Span(
        dt.date(day.year, n * months + 1, 1),
        month_end(day.year, n * months + months),
        kind,
        f"{day.year}{_SUFFIX[kind].format(n + 1)}",
    )


def month_of(day: dt.date) -> Span:
    return _months_of("month", day)


def quarter_of(day: dt.date) -> Span:
    return _months_of("quarter", day)


def half_of(day: dt.date) -> Span:
    return _months_of("half-year", day)


def year_of(day: dt.date) -> Span:
    return _months_of("year", day)


_OF = {
    "week": week_of,
    "month": month_of,
    "quarter": quarter_of,
    "half-year": half_of,
    "year": year_of,
}


def span_of(kind: Kind, day: dt.date) -> Span:
    """The span of ``kind`` that holds ``day``."""
    return _OF[kind](day)


def last_complete(kind: Kind, today: dt.date) -> Span:
    """The latest span of ``kind`` that ended before ``today``."""
    return span_of(kind, today).previous()


def last_ended(kind: Kind, day: dt.date) -> Span:
    """The latest span of ``kind`` that is over by the end of ``day``: the one holding
    ``day`` when ``day`` is its last day, else the one before (a report "as of" a day
    covers the latest whole period up to it)."""
    span = span_of(kind, day)
    return span if span.end == day else span.previous()


def spans(kind: Kind, start: dt.date, end: dt.date) -> list[Span]:
    """Every span of ``kind`` from the one holding ``start`` to the one holding ``end``."""
    out: list[Span] = []
    current = span_of(kind, start)
    while current.start <= end:
        out.append(current)
        current = current.next()
    return out


_NAMES = {
    "week": re.compile(r"(?P<y>\d{4})-?W(?P<n>\d{1,2})", re.I),
    "month": re.compile(r"(?P<y>\d{4})-(?P<n>\d{1,2})"),
    "quarter": re.compile(r"(?P<y>\d{4})-?Q(?P<n>[1-4])", re.I),
    "half-year": re.compile(r"(?P<y>\d{4})-?H(?P<n>[12])", re.I),
    "year": re.compile(r"(?P<y>\d{4})"),
}


class NoSuchSpan(ValueError):
    """A well-formed name of a week or month the year does not have (2026-W54, 2026-13)."""

    def __init__(self, text: str, year: int, number: int, count: int) -> None:
        super().__init__(text)
        self.year, self.number, self.count = year, number, count


def weeks_in(year: int) -> int:
    """52 or 53: 28 December always lies in the year's last ISO week."""
    return dt.date(year, 12, 28).isocalendar().week


#: Periods as officers type them, besides the names above: ``2026年11月``, ``11月``,
#: ``第47周``, ``47``, ``2026年第四季度``, ``四季度``, ``Q4``, ``2026年下半年``, ``2026年``.
#: A name without a year is of ``this_year``.
_TYPED = {
    "week": re.compile(r"(?:(?P<y>\d{4})年?)?第?W?(?P<n>\d{1,2})周?", re.I),
    "month": re.compile(
        r"(?:(?P<y>\d{4})(?:年|-|/|\.))?(?:(?P<n>\d{1,2})月?|(?P<c>十?[一二三四五六七八九]|十)月)份?"
    ),
    "quarter": re.compile(
        r"(?:(?P<y>\d{4})(?:年|-)?)?第?(?:Q(?P<n>[1-4])|(?P<c>[一二三四1-4])季度?)", re.I
    ),
    "half-year": re.compile(r"(?:(?P<y>\d{4})(?:年|-)?)?(?:H(?P<n>[12])|(?P<c>[上下])半年)", re.I),
    "year": re.compile(r"(?P<y>\d{4})年?(?:度)?"),
}
_NUMERALS = {
    **{c: i for i, c in enumerate("一二三四五六七八九十", 1)},
    "十一": 11,
    "十二": 12,
    "上": 1,
    "下": 2,
}


def typed_name(kind: Kind, text: str, this_year: int | None = None) -> str:
    """The canonical name (``2026-W47``) of a period typed as officers type it (``第47周``,
    ``2026年11月``, ``四季度``; full-width digits and spaces allowed); a name without a year is
    of ``this_year``. ValueError when it is no period of that kind."""
    import unicodedata

    plain = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if _NAMES[kind].fullmatch(plain):
        return plain
    m = _TYPED[kind].fullmatch(plain)
    if m is None:
        raise ValueError(text)
    year = m["y"] if m["y"] is not None else (str(this_year) if this_year is not None else None)
    if year is None:
        raise ValueError(text)
    if kind == "year":
        return year
    groups = m.groupdict()
    numeral = groups.get("c")
    if numeral is None or numeral.isdigit():
        n = int(numeral or m["n"])
    elif numeral in _NUMERALS:
        n = _NUMERALS[numeral]
    else:  # 十三月
        raise ValueError(text)
    letter = {"week": "-W", "month": "-", "quarter": "-Q", "half-year": "-H"}[kind]
    return f"{year}{letter}{n:02d}" if kind in ("week", "month") else f"{year}{letter}{n}"


def parse_span(kind: Kind, text: str, this_year: int | None = None) -> Span:
    """``2026-W48``, ``2026-11``, ``2026-Q4``, ``2026-H2``, ``2026`` — or typed as officers type
    them (``typed_name``; without a year, of ``this_year``) → the span; ValueError if not, or
    when it reaches outside the dates the records may hold (``dates.in_range``)."""
    from safeplan.dates import in_range

    span = _parse_span(kind, typed_name(kind, text, this_year))
    if not (in_range(span.start) and in_range(span.end)):
        raise ValueError(text)
    return span


def _parse_span(kind: Kind, text: str) -> Span:
    """The span a well-formed name gives (NoSuchSpan for a week or month the year lacks)."""
    m = _NAMES[kind].fullmatch(text.strip())
    if m is None:
        raise ValueError(text)
    year = int(m["y"])
    if kind == "year":
        return year_of(dt.date(year, 1, 1))
    n = int(m["n"])
    if kind == "week":
        if not dt.MINYEAR < year < dt.MAXYEAR:
            raise ValueError(text)
        if not 1 <= n <= weeks_in(year):
            raise NoSuchSpan(text, year, n, weeks_in(year))
        return week_of(dt.date.fromisocalendar(year, n, 1))
    if kind == "month":
        if not 1 <= n <= 12:
            raise NoSuchSpan(text, year, n, 12)
        return month_of(dt.date(year, n, 1))
    if kind == "quarter":
        return quarter_of(dt.date(year, (n - 1) * 3 + 1, 1))
    return half_of(dt.date(year, (n - 1) * 6 + 1, 1))


# The period a report is of: `report weekly|monthly|quarterly` and the reports page of
# `safeplan serve` choose it alike.
KIND_OPTION = {"week": "--week", "month": "--month", "quarter": "--quarter"}
_EXAMPLE = {
    "week": "2026-W48 / 第48周 / 48",
    "month": "2026-11 / 2026年11月 / 11月",
    "quarter": "2026-Q4 / 2026年第四季度 / 四季度",
}


def choose_period(
    kind: Kind, name: str | None, as_of: dt.date | None, today: dt.date
) -> tuple[Span, dt.date]:
    """The period to report and the day its figures are computed for.

    A named period is computed as of its last day, or as of today while it is not over.
    Without a name: the last period complete on ``as_of`` (ending on it counts), else the
    last one complete before today."""
    from safeplan.errors import UsageError
    from safeplan.problems import N_

    if name is not None:
        if as_of is not None:
            raise UsageError(N_("give {option} or --as-of, not both"), option=KIND_OPTION[kind])
        # A period typed without its year (第47周, 四季度) is of this year: the ISO year for
        # a week, so that 第53周 typed on 2027-01-02 is the week that day lies in.
        this_year = today.isocalendar().year if kind == "week" else today.year
        try:
            span = parse_span(kind, name, this_year)
        except NoSuchSpan as exc:
            raise UsageError(
                N_("{option}: {year} has no week {number} (its weeks are 1–{count})")
                if kind == "week"
                else N_("{option}: there is no month {number} (a year has 12 months)"),
                option=KIND_OPTION[kind],
                year=str(exc.year),
                number=exc.number,
                count=exc.count,
            ) from None
        except ValueError:
            raise UsageError(
                N_("{option}: '{value}' is not a period of that kind: write it as {example}"),
                option=KIND_OPTION[kind],
                value=name,
                example=_EXAMPLE[kind],
            ) from None
        return span, min(span.end, today)
    if as_of is not None:
        span = last_ended(kind, as_of)
        return span, span.end
    span = last_complete(kind, today)
    return span, span.end
