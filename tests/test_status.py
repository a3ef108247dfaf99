"""The status engine: shipped tasks on pinned dates, one hazard around each of its facts, goals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import FIXTURE_PLAN
from safeplan.models import Goal, Hazard, HazardSummary, Task, summarize
from safeplan.repo import load
from safeplan.status import evaluate_goal, hazard_status, task_status, trend_of

D = dt.date.fromisoformat

# Written out by hand from the plan: 3 and 12 are due 2024-09-30, 17 is due 2026-12-31, 6 and 20
# are ongoing (长期坚持) with no progress notes yet, the rest are due 2024-12-31.
SHIPPED = {
    "2024-10-01": {
        **{
            n: ("open", None, 91) for n in (1, 2, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16, 18, 19, 21)
        },
        3: ("overdue", 1, None),
        12: ("overdue", 1, None),
        6: ("stale", None, None),
        20: ("stale", None, None),
        17: ("open", None, 821),
    },
    "2025-01-01": {
        **{
            n: ("overdue", 1, None)
            for n in (1, 2, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16, 18, 19, 21)
        },
        3: ("overdue", 93, None),
        12: ("overdue", 93, None),
        6: ("stale", None, None),
        20: ("stale", None, None),
        17: ("open", None, 729),
    },
    "2026-11-28": {
        **{
            n: ("overdue", 697, None)
            for n in (1, 2, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16, 18, 19, 21)
        },
        3: ("overdue", 789, None),
        12: ("overdue", 789, None),
        6: ("stale", None, None),
        20: ("stale", None, None),
        17: ("open", None, 33),
    },
}


@pytest.fixture(scope="module")
def shipped_tasks() -> list[Task]:
    repo = load(FIXTURE_PLAN)
    assert repo.ok, repo.problems
    return repo.tasks


@pytest.mark.parametrize("as_of", sorted(SHIPPED))
def test_every_shipped_task_on_pinned_dates(shipped_tasks: list[Task], as_of: str) -> None:
    got = {}
    for task in shipped_tasks:
        st = task_status(task, D(as_of))
        got[task.number] = (st.state, st.days_overdue, st.days_left)
    assert got == SHIPPED[as_of]


def _task(**extra: Any) -> Task:
    base: dict[str, Any] = {
        "number": 1,
        "action": "一",
        "title": "t",
        "text": "t",
        "deadline": "2024-12-31",
        "units": ["镇安监站"],
    }
    base.update(extra)
    return Task.model_validate(base)


def test_task_due_soon_boundary() -> None:
    task = _task()
    assert task_status(task, D("2024-12-01")).state == "due_soon"  # 30 days left
    assert task_status(task, D("2024-11-30")).state == "open"  # 31 days left
    assert task_status(task, D("2024-12-31")).state == "due_soon"  # the deadline day itself
    assert task_status(task, D("2025-01-01")).state == "overdue"
    assert task_status(task, D("2024-12-01"), due_soon_days=0).state == "open"


def test_task_done_counts_from_its_date_and_survives_reopening_history() -> None:
    task = _task(
        done={"on": "2025-01-10", "note": "again"},
        reopenings=[{"on": "2024-12-20", "reason": "材料不全", "previous": {"on": "2024-12-10"}}],
    )
    assert task_status(task, D("2024-12-09")).state == "due_soon"
    assert task_status(task, D("2024-12-10")).state == "done"
    assert task_status(task, D("2024-12-19")).done_on == D("2024-12-10")
    assert task_status(task, D("2024-12-20")).state == "due_soon"  # reopened
    assert task_status(task, D("2025-01-09")).state == "overdue"
    # done ten days after the deadline: 逾期完成, not the same as done on time
    late = task_status(task, D("2025-01-10"))
    assert (late.state, late.days_late) == ("done_late", 10)
    assert task_status(task, D("2024-12-10")).days_late is None


def test_ongoing_task_is_current_with_a_note_inside_its_check_in_period() -> None:
    task = _task(
        deadline=None,
        ongoing=True,
        check_in="quarter",
        progress=[{"on": "2025-03-15", "note": "季度检查"}],
    )
    assert task_status(task, D("2025-03-14")).state == "stale"  # the note is not written yet
    assert task_status(task, D("2025-03-15")).state == "current"
    assert task_status(task, D("2025-06-14")).state == "current"
    assert task_status(task, D("2025-06-15")).state == "stale"  # a quarter has passed
    monthly = _task(
        deadline=None, ongoing=True, check_in="month", progress=[{"on": "2025-03-15", "note": "x"}]
    )
    assert task_status(monthly, D("2025-04-14")).state == "current"
    assert task_status(monthly, D("2025-04-15")).state == "stale"


# --------------------------------------------------------------------------- one hazard

HAZARD: dict[str, Any] = {
    "id": "HZ-20240315-A7K2",
    "title": "井下主排水泵房排水能力不足",
    "level": "major",
    "discovered_on": "2024-03-15",
    "source": "self-check",
    "responsible_unit": "镇安监站",
    "rectification_plan": {
        "measures": "增设排水泵",
        "funds": "45万元",
        "deadline": "2024-06-30",
        "responsible_person": "王五",
        "contingency_plan": "撤人",
    },
    "supervision": [
        {
            "level": "县级",
            "by": "大井县安委办",
            "listed_on": "2024-03-20",
            "lifted_on": "2024-07-02",
        }
    ],
    "double_report": {"regulator_on": "2024-03-16", "workers_on": "2024-03-18"},
    "reopenings": [
        {
            "on": "2024-09-01",
            "reason": "复查发现水泵未正常运行",
            "previous": {
                "rectification": {"on": "2024-06-20"},
                "acceptance": {"on": "2024-06-28", "by": "县应急管理局"},
                "closure": {"on": "2024-07-02", "reviewer": "站长"},
            },
        }
    ],
    "rectification": {"on": "2024-10-10"},
    "acceptance": {"on": "2024-10-15", "by": "县应急管理局", "result": "failed"},
}


def _summary(data: dict[str, Any]) -> HazardSummary:
    return summarize(Hazard.model_validate(data), "data/hazards/x.yaml")


# date → (known, state, overdue, days_overdue, days_left, supervised, double_reported, reopened)
HAZARD_TIMELINE = {
    "2024-03-14": (False, "open", False, None, 108, False, False, 0),
    "2024-03-15": (True, "open", False, None, 107, False, False, 0),
    "2024-03-17": (True, "open", False, None, 105, False, False, 0),
    "2024-03-18": (True, "open", False, None, 104, False, True, 0),
    "2024-03-20": (True, "open", False, None, 102, True, True, 0),
    "2024-06-19": (True, "open", False, None, 11, True, True, 0),
    # rectified before the deadline: no longer counting down, never overdue after it
    "2024-06-20": (True, "rectified", False, None, None, True, True, 0),
    "2024-06-28": (True, "accepted", False, None, None, True, True, 0),
    "2024-06-30": (True, "accepted", False, None, None, True, True, 0),
    "2024-07-01": (True, "accepted", False, None, None, True, True, 0),
    "2024-07-02": (True, "closed", False, None, None, False, True, 0),
    "2024-08-31": (True, "closed", False, None, None, False, True, 0),
    "2024-09-01": (True, "open", True, 63, None, False, True, 1),
    # rectified 102 days after the deadline: rectified late, not overdue
    "2024-10-10": (True, "rectified", False, None, None, False, True, 1),
    # a failed acceptance: to be rectified again, and overdue again
    "2024-10-15": (True, "failed", True, 107, None, False, True, 1),
}


def test_rectified_late_is_measured_against_the_deadline_of_that_day() -> None:
    assert hazard_status(_summary(HAZARD), D("2024-10-10")).rectified_late_days == 102
    assert hazard_status(_summary(HAZARD), D("2024-10-15")).rectified_late_days is None  # failed
    first_cycle = hazard_status(_summary(HAZARD), D("2024-07-01"))
    assert first_cycle.rectified_late_days is None  # rectified 06-20, ten days early


@pytest.mark.parametrize("day", sorted(HAZARD_TIMELINE))
def test_hazard_state_around_each_fact(day: str) -> None:
    st = hazard_status(_summary(HAZARD), D(day))
    got = (
        st.known,
        st.state,
        st.overdue,
        st.days_overdue,
        st.days_left,
        st.supervised,
        st.double_reported,
        st.reopened,
    )
    assert got == HAZARD_TIMELINE[day]


def test_supervision_level_in_force() -> None:
    assert hazard_status(_summary(HAZARD), D("2024-04-01")).supervision_level == "county"
    assert hazard_status(_summary(HAZARD), D("2024-08-01")).supervision_level is None
    # the city lists it too while the county listing is in force: the newer listing is shown
    both = {
        **HAZARD,
        "supervision": [
            *HAZARD["supervision"],
            {"level": "市级", "by": "赤峰市安委办", "listed_on": "2024-04-10"},
        ],
    }
    assert hazard_status(_summary(both), D("2024-04-01")).supervision_level == "county"
    assert hazard_status(_summary(both), D("2024-05-01")).supervision_level == "city"
    assert hazard_status(_summary(both), D("2024-08-01")).supervision_level == "city"


# --------------------------------------------------------------------------- goals


def _h(
    hid: str,
    discovered: str,
    deadline: str,
    closed: str | None = None,
    level: str = "major",
) -> HazardSummary:
    data: dict[str, Any] = {
        "id": hid,
        "title": hid,
        "level": level,
        "discovered_on": discovered,
        "source": "inspection",
        "responsible_unit": "镇安监站",
        "rectification_plan": {
            "measures": "m",
            "funds": "1万元",
            "deadline": deadline,
            "responsible_person": "p",
            "contingency_plan": "c",
        },
    }
    if closed:
        data["rectification"] = {"on": closed}
        data["acceptance"] = {"on": closed, "by": "x"}
        data["closure"] = {"on": closed, "reviewer": "y"}
    return _summary(data)


STOCK = Goal(
    id="stock",
    kind="stock_cleared",
    title="存量",
    discovered_until=D("2023-12-31"),
    due=D("2024-12-31"),
)
INCREMENT = Goal(
    id="increment",
    kind="increment_curbed",
    title="增量",
    discovered_from=D("2024-01-01"),
    due=D("2025-12-31"),
)
ZERO = Goal(id="zero", kind="dynamic_zero", title="清零", due=D("2026-12-31"))


def test_stock_goal_met_broken_and_not_yet_due() -> None:
    closed_in_time = _h("A", "2023-11-01", "2024-03-01", closed="2024-10-01")
    closed_late = _h("B", "2023-12-31", "2024-03-01", closed="2025-02-01")
    found_later = _h("C", "2024-01-01", "2024-03-01")  # not stock: discovered in 2024
    general = _h("D", "2023-05-01", "2023-06-01", level="general")  # not major
    met = evaluate_goal(STOCK, [closed_in_time, found_later, general], D("2025-01-01"))
    assert (met.verdict, met.breaking, met.total, met.closed) == ("met", (), 1, 1)
    broken = evaluate_goal(STOCK, [closed_in_time, closed_late], D("2025-03-01"))
    assert (broken.verdict, broken.breaking) == ("not_met", ("B",))  # closed after the due date
    early = evaluate_goal(STOCK, [closed_in_time, closed_late], D("2024-06-01"))
    assert (early.verdict, early.breaking) == ("not_yet_due", ("A", "B"))


def test_increment_goal_met_when_falling_and_none_overdue() -> None:
    hazards = [
        *[_h(f"Q1-{i}", "2024-02-01", "2024-05-01", closed="2024-04-01") for i in range(4)],
        *[_h(f"Q2-{i}", "2024-05-01", "2024-08-01", closed="2024-07-01") for i in range(3)],
        *[_h(f"Q3-{i}", "2024-08-01", "2024-11-01", closed="2024-10-01") for i in range(2)],
        _h("Q4", "2024-11-01", "2025-02-01", closed="2025-01-10"),
        _h("old", "2023-06-01", "2023-09-01"),  # stock, not increment
    ]
    result = evaluate_goal(INCREMENT, hazards, D("2026-01-05"))
    assert result.verdict == "met"
    assert result.trend == "falling"
    assert dict(result.per_quarter)["2024-Q1"] == 4
    assert dict(result.per_quarter)["2025-Q4"] == 0
    assert result.total == 10


def test_increment_goal_broken_by_an_overdue_hazard_and_by_a_rising_trend() -> None:
    overdue = [_h("late", "2024-02-01", "2025-06-30")]
    result = evaluate_goal(INCREMENT, overdue, D("2026-01-05"))
    assert (result.verdict, result.breaking) == ("not_met", ("late",))
    rising = [
        _h(f"R{i}", f"2025-{m:02d}-01", "2026-06-30", closed="2025-12-01")
        for i, m in enumerate([10, 10, 11, 11, 12, 12, 12])
    ]
    result = evaluate_goal(INCREMENT, rising, D("2026-01-05"))
    assert (result.verdict, result.trend) == ("not_met", "rising")
    early = evaluate_goal(INCREMENT, overdue, D("2025-07-05"))
    assert (early.verdict, early.breaking) == ("not_yet_due", ("late",))


def test_dynamic_zero_goal() -> None:
    closed_before_deadline = _h("ok", "2026-10-01", "2027-01-05", closed="2027-01-04")
    open_past_deadline = _h("late", "2026-10-01", "2027-01-05")
    overdue_on_due_day = _h("was-late", "2026-06-01", "2026-12-20", closed="2027-01-02")
    assert evaluate_goal(ZERO, [closed_before_deadline], D("2027-01-10")).verdict == "met"
    broken = evaluate_goal(ZERO, [closed_before_deadline, open_past_deadline], D("2027-01-10"))
    assert (broken.verdict, broken.breaking) == ("not_met", ("late",))
    # open past its deadline on the due date, closed two days later: the goal was broken
    was = evaluate_goal(ZERO, [overdue_on_due_day], D("2027-01-10"))
    assert (was.verdict, was.breaking) == ("not_met", ("was-late",))
    early = evaluate_goal(ZERO, [open_past_deadline], D("2026-11-28"))
    assert early.verdict == "not_yet_due"


def test_trend() -> None:
    assert trend_of([]) == "unknown"
    assert trend_of([5, 4, 3, 1]) == "falling"
    assert trend_of([2, 2, 2]) == "flat"
    assert trend_of([0, 1, 3]) == "rising"
