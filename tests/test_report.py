"""The report's view model: its figures are the overview's of the same day, and its period
counts, events and chart series follow the counting rules of ``views/reports.py``."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from safeplan import periods
from safeplan.periods import parse_span
from safeplan.repo import Repository, load
from safeplan.status import hazard_status
from safeplan.views.overview import overview
from safeplan.views.reports import open_by_week, report, series_name

FIXTURE = Path(__file__).parent / "data" / "report"
#: The day the fixture's files are checked against: after its last fact.
TODAY = dt.date(2027, 1, 5)
D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repository:
    root = tmp_path_factory.mktemp("report") / "plan"
    for part in ("plan", "data"):
        shutil.copytree(FIXTURE / part, root / part)
    loaded = load(root, today=TODAY)
    assert loaded.problems == ()  # the fixture is a valid plan
    return loaded


PERIODS = [("week", "2026-W48"), ("month", "2026-11"), ("quarter", "2026-Q4")]


@pytest.mark.parametrize(("kind", "name"), PERIODS)
def test_the_reports_figures_are_the_overviews_of_its_last_day(
    repo: Repository, kind: periods.Kind, name: str
) -> None:
    span = parse_span(kind, name)
    view = report(repo, span, span.end, version="test")
    ov = overview(repo, span.end)
    assert view.as_of == span.end
    assert view.overview.model_dump(mode="json") == ov.model_dump(mode="json")
    counts = ov.hazards.counts
    not_closed = {
        level: sum(row[s] for s in ("open", "failed", "rectified", "accepted", "invalid"))
        for level, row in counts.items()
    }
    assert view.figures["open"].by_level == not_closed
    assert view.figures["open"].total == sum(not_closed.values())
    assert view.figures["overdue"].by_level == {lvl: row["overdue"] for lvl, row in counts.items()}
    h = view.headline
    assert h.rate_total.found == ov.hazards.total
    assert h.rate_total.closed == sum(row["closed"] for row in counts.values())
    assert h.tasks_done == ov.tasks.counts["done"] + ov.tasks.counts["done_late"]
    assert h.tasks_overdue == ov.tasks.counts["overdue"]
    assert h.tasks_due_soon == ov.tasks.counts["due_soon"]
    assert h.major_plan_missing == len(ov.hazards.plan_missing)
    assert view.charts.tasks == ov.tasks.counts
    assert [g.goal for g in view.goals] == ov.goals
    # Every split adds up, by level and by source.
    for split in view.figures.values():
        assert sum(split.by_level.values()) == split.total == sum(split.by_source.values())
    # The chart's last week ends on the report's day, with its figures.
    last = view.charts.open_by_week[-1]
    assert last.on == span.end
    assert (last.major, last.general) == (
        view.figures["open"].by_level["major"],
        view.figures["open"].by_level["general"],
    )


def test_what_happened_in_week_48(repo: Repository) -> None:
    span = parse_span("week", "2026-W48")
    view = report(repo, span, span.end, version="test")
    totals = {name: split.total for name, split in view.figures.items()}
    assert totals == {
        "found": 4,
        "rectified": 2,
        "accepted": 2,
        "failed": 1,
        "closed": 1,
        "extended": 1,
        "reopened": 1,
        "withdrawn": 1,
        "open": 9,
        "overdue": 3,
    }
    assert view.figures["found"].by_level == {"major": 1, "general": 3}
    assert view.figures["found"].by_source == {
        "self-check": 3,
        "inspection": 0,
        "public-report": 1,
        "higher-inspection": 0,
    }
    # Withdrawn in the week: counted as withdrawn only, not as found.
    assert "HZ-20261125-S1T2" not in {e.id for e in view.hazard_events if e.kind != "withdrawn"}
    assert view.headline.rate_period.found == 4
    assert view.headline.rate_period.closed == 1
    assert str(view.headline.rate_period.percent) == "25.0"
    extension = next(e for e in view.hazard_events if e.kind == "extended")
    assert (extension.id, extension.deadline_from, extension.deadline_to) == (
        "HZ-20241102-Q3TF",
        D("2025-03-31"),
        D("2026-12-20"),
    )
    assert [(e.on, e.kind, e.number) for e in view.task_events] == [
        (D("2026-11-24"), "progress", 6),
        (D("2026-11-25"), "progress", 17),
        (D("2026-11-26"), "progress", 20),
        (D("2026-11-27"), "done", 8),
    ]
    assert view.headline.major_supervised == {"city": 1, "town": 1}
    assert view.headline.major_not_double_reported == 2
    assert [r.id for r in view.open_major] == [
        "HZ-20261008-G9H1",  # overdue first
        "HZ-20241102-Q3TF",  # then by days left
        "HZ-20260305-E7F8",
        "HZ-20261124-Q8R9",
    ]
    assert [g.unit for g in view.overdue_tasks] == ["镇安监站", "镇纪委"]
    assert not view.nil
    assert view.series == "大井镇安全生产治本攻坚三年行动"
    assert (view.period.year, view.period.number) == (2026, 48)


def test_a_week_with_nothing_new_is_a_nil_return(repo: Repository) -> None:
    span = parse_span("week", "2026-W30")
    view = report(repo, span, span.end, version="test")
    assert view.nil
    assert view.hazard_events == [] and view.task_events == []
    assert all(view.figures[name].total == 0 for name in ("found", "closed", "withdrawn"))
    assert view.figures["open"].total > 0  # the state at the end is still reported


def test_the_open_chart_equals_the_status_of_every_week(repo: Repository) -> None:
    """The chart computes each hazard's status on the days of its facts only; the result
    must be what the status of every week's end says."""
    end = D("2026-12-31")
    weeks = periods.spans("week", D("2024-01-01"), end)
    points = open_by_week(repo.hazards, weeks, end)
    for week, point in zip(weeks, points, strict=True):
        day = min(week.end, end)
        expected = {"major": 0, "general": 0}
        for h in repo.hazards:
            if h.discovered_on <= day:
                st = hazard_status(h, day)
                if st.state not in ("closed", "withdrawn"):
                    expected[h.level] += 1
        assert (point.major, point.general) == (expected["major"], expected["general"]), week


def test_the_monthly_report_s_last_bar_is_its_month(repo: Repository) -> None:
    span = parse_span("month", "2026-11")
    view = report(repo, span, span.end, version="test")
    last = view.charts.found_closed_by_month[-1]
    assert last.name == "2026-11"
    assert (last.found, last.closed) == (view.figures["found"].total, view.figures["closed"].total)
    assert view.charts.found_closed_by_month[0].name == "2024-01"  # from the plan's start
    assert view.charts.open_by_week[0].name == "2024-W01"


def test_a_period_not_over_is_computed_as_of_the_day_given(repo: Repository) -> None:
    span = parse_span("quarter", "2026-Q4")
    view = report(repo, span, D("2026-11-29"), version="test")
    assert view.as_of == D("2026-11-29")
    assert view.charts.open_by_week[-1].on == D("2026-11-29")
    assert all(e.on <= D("2026-11-29") for e in view.hazard_events)


def test_industries_add_up(repo: Repository) -> None:
    span = parse_span("week", "2026-W48")
    view = report(repo, span, span.end, version="test")
    rows = view.industries
    assert rows[-1].industry is None  # "not given" comes last
    assert sum(r.found_total for r in rows) == view.headline.rate_total.found
    assert sum(r.open for r in rows) == view.figures["open"].total
    assert sum(r.overdue for r in rows) == view.figures["overdue"].total
    assert sum(r.found for r in rows) == view.figures["found"].total
    coal = next(r for r in rows if r.industry == "煤矿")
    assert str(coal.funds) == "450000"


@pytest.mark.parametrize(
    ("title", "series"),
    [
        ("大井镇安全生产治本攻坚三年行动方案（2024—2026年）", "大井镇安全生产治本攻坚三年行动"),
        ("某县安全生产治本攻坚三年行动方案 (2024-2026)", "某县安全生产治本攻坚三年行动"),
        ("Township safety plan", "Township safety plan"),
        ("方案", "方案"),
    ],
)
def test_series_name(title: str, series: str) -> None:
    assert series_name(title) == series


@pytest.mark.parametrize(
    ("kind", "day", "name"),
    [
        ("week", "2026-11-29", "2026-W48"),  # a Sunday: its week is over by its end
        ("week", "2026-11-30", "2026-W48"),
        ("week", "2026-11-28", "2026-W47"),
        ("week", "2027-01-03", "2026-W53"),
        ("month", "2026-11-30", "2026-11"),
        ("month", "2026-12-01", "2026-11"),
        ("quarter", "2026-12-31", "2026-Q4"),
        ("quarter", "2027-01-01", "2026-Q4"),
        ("quarter", "2026-12-30", "2026-Q3"),
    ],
)
def test_last_ended(kind: periods.Kind, day: str, name: str) -> None:
    assert periods.last_ended(kind, D(day)).name == name
