"""Calendar arithmetic at its edges: ISO weeks across years, month ends, leap days."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from safeplan import periods

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("day", "name", "start", "end"),
    [
        ("2026-11-23", "2026-W48", "2026-11-23", "2026-11-29"),
        ("2026-11-29", "2026-W48", "2026-11-23", "2026-11-29"),
        ("2027-01-01", "2026-W53", "2026-12-28", "2027-01-03"),  # the ISO year, not the calendar's
        ("2027-01-04", "2027-W01", "2027-01-04", "2027-01-10"),
        ("2024-12-30", "2025-W01", "2024-12-30", "2025-01-05"),
        ("2021-01-03", "2020-W53", "2020-12-28", "2021-01-03"),
    ],
)
def test_iso_weeks(day: str, name: str, start: str, end: str) -> None:
    week = periods.week_of(D(day))
    assert (week.name, week.start, week.end, week.days) == (name, D(start), D(end), 7)
    assert periods.parse_span("week", name) == week


def test_2026_has_53_iso_weeks() -> None:
    weeks = periods.spans("week", D("2026-01-01"), D("2026-12-31"))
    names = [w.name for w in weeks]
    assert names[0] == "2026-W01" and names[-1] == "2026-W53"
    assert len({n for n in names if n.startswith("2026-")}) == 53
    assert all(b.start == a.end + dt.timedelta(days=1) for a, b in itertools.pairwise(weeks))


@pytest.mark.parametrize(
    ("kind", "day", "name", "start", "end"),
    [
        ("month", "2024-02-10", "2024-02", "2024-02-01", "2024-02-29"),  # a leap year
        ("month", "2025-02-10", "2025-02", "2025-02-01", "2025-02-28"),
        ("quarter", "2026-11-28", "2026-Q4", "2026-10-01", "2026-12-31"),
        ("quarter", "2024-03-31", "2024-Q1", "2024-01-01", "2024-03-31"),
        ("half-year", "2025-07-01", "2025-H2", "2025-07-01", "2025-12-31"),
        ("year", "2024-06-30", "2024", "2024-01-01", "2024-12-31"),
    ],
)
def test_spans_of_each_kind(kind: periods.Kind, day: str, name: str, start: str, end: str) -> None:
    span = periods.span_of(kind, D(day))
    assert (span.name, span.start, span.end) == (name, D(start), D(end))
    assert periods.parse_span(kind, name) == span
    assert D(day) in span and span.start - dt.timedelta(days=1) not in span


def test_last_complete_period_before_today() -> None:
    assert periods.last_complete("week", D("2026-12-01")).name == "2026-W48"
    assert periods.last_complete("month", D("2026-12-01")).name == "2026-11"
    assert periods.last_complete("quarter", D("2026-12-01")).name == "2026-Q3"
    assert periods.last_complete("month", D("2027-01-01")).name == "2026-12"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-03-31", -1, "2024-02-29"),
        ("2026-12-15", 1, "2027-01-15"),
        ("2026-01-15", -1, "2025-12-15"),
    ],
)
def test_add_months_clamps_to_the_month_end(day: str, months: int, expected: str) -> None:
    assert periods.add_months(D(day), months) == D(expected)


@pytest.mark.parametrize(
    ("kind", "text"),
    [("week", "2026-W54"), ("week", "2021-W53x"), ("month", "2026-13"), ("quarter", "2026-Q5")],
)
def test_names_that_are_not_periods(kind: periods.Kind, text: str) -> None:
    with pytest.raises(ValueError):
        periods.parse_span(kind, text)


@pytest.mark.parametrize(
    ("kind", "text", "count"),
    [
        ("week", "2026-W54", 53),
        ("week", "2025-W53", 52),
        ("week", "2026-W00", 53),
        ("month", "2026-13", 12),
    ],
)
def test_a_week_or_month_the_year_lacks_says_how_many_it_has(
    kind: periods.Kind, text: str, count: int
) -> None:
    with pytest.raises(periods.NoSuchSpan) as caught:
        periods.parse_span(kind, text)
    assert caught.value.count == count


def test_weeks_in_a_year() -> None:
    assert [periods.weeks_in(y) for y in (2020, 2024, 2025, 2026, 2027)] == [53, 52, 52, 53, 52]


@pytest.mark.parametrize(
    ("kind", "text"),
    [("month", "9999-12"), ("week", "9999-W52"), ("year", "1900"), ("quarter", "2100-Q1")],
)
def test_a_period_outside_the_dates_of_the_records_is_no_period(
    kind: periods.Kind, text: str
) -> None:
    with pytest.raises(ValueError):
        periods.parse_span(kind, text)


@pytest.mark.parametrize(
    ("kind", "text", "name"),
    [
        ("month", "2026年11月", "2026-11"),
        ("month", "11月", "2026-11"),
        ("month", "2026/3", "2026-03"),
        ("month", "十一月", "2026-11"),
        ("month", "2025年三月份", "2025-03"),
        ("month", "十月", "2026-10"),
        ("month", "２０２６年１１月", "2026-11"),  # full-width digits, as an input method types
        ("week", "47", "2026-W47"),
        ("week", "第47周", "2026-W47"),
        ("week", "2025年第3周", "2025-W03"),
        ("week", "W47", "2026-W47"),
        ("quarter", "2026年第四季度", "2026-Q4"),
        ("quarter", "四季度", "2026-Q4"),
        ("quarter", "第四季度", "2026-Q4"),
        ("quarter", "第1季度", "2026-Q1"),
        ("quarter", "2025 年 二季度", "2025-Q2"),
        ("half-year", "下半年", "2026-H2"),
        ("half-year", "2025年上半年", "2025-H1"),
        ("year", "2025年", "2025"),
    ],
)
def test_periods_typed_as_officers_type_them(kind: periods.Kind, text: str, name: str) -> None:
    assert periods.parse_span(kind, text, 2026).name == name


@pytest.mark.parametrize(
    ("kind", "text"),
    [("week", "第47周"), ("quarter", "四季度"), ("month", "11月")],
)
def test_a_typed_period_without_a_year_needs_this_year(kind: periods.Kind, text: str) -> None:
    with pytest.raises(ValueError):
        periods.parse_span(kind, text)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("quarter", "五季度"),
        ("month", "13月"),
        ("month", "十三月"),
        ("week", "第54周"),
        ("month", "十一月份x"),
    ],
)
def test_typed_names_that_are_no_period(kind: periods.Kind, text: str) -> None:
    with pytest.raises(ValueError):
        periods.parse_span(kind, text, 2026)
