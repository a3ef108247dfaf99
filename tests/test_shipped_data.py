"""The shipped Dajing plan (plan/ and data/) says what the source says.

The expected values are written out here from the source text (plan/source.txt,
二、重点任务), not computed from the files under test: a month as a deadline means
its last day, 长期坚持 means ongoing with no deadline, units are in the source's
order with the lead unit first.

This is the one test module that reads the repository's own plan/ and data/: an office keeps
its register here, so these tests check only what stays true as the register grows (the 21
tasks as issued, their units and deadlines, that the plan validates), never its content.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURE_PLAN
from safeplan.cli import app
from safeplan.models import Plan, Task
from safeplan.repo import load

REPO = Path(__file__).resolve().parent.parent
SOURCE = (REPO / "plan" / "source.txt").read_text(encoding="utf-8")

D = dt.date
SEP_2024 = D(2024, 9, 30)  # 2024年9月
DEC_2024 = D(2024, 12, 31)  # 2024年12月
DEC_2026 = D(2026, 12, 31)  # 2026年12月
ONGOING = None  # 长期坚持

STATION = "镇安监站"
GROUP = "镇级各职能站所"

#: number → (action, deadline, units), as 二、重点任务 of the source lists them.
EXPECTED: dict[int, tuple[str, dt.date | None, tuple[str, ...]]] = {
    1: ("一", DEC_2024, (STATION, "镇党政办")),
    2: ("一", DEC_2024, (STATION, "镇党政办")),  # the source writes "镇安监站，镇党政办"
    3: ("二", SEP_2024, (STATION,)),
    4: ("二", DEC_2024, (STATION,)),
    5: ("三", DEC_2024, (STATION, "镇党群服务中心", "市场监管所")),
    6: ("四", ONGOING, (STATION,)),
    7: ("四", DEC_2024, (STATION, "镇财政所")),
    8: ("四", DEC_2024, (STATION, GROUP)),
    9: ("四", DEC_2024, (STATION, "镇党政办")),
    10: ("四", DEC_2024, ("镇纪委", STATION)),
    11: ("五", DEC_2024, (STATION,)),
    12: ("五", SEP_2024, (STATION, "镇综合执法局")),
    13: ("五", DEC_2024, (STATION,)),
    14: ("六", DEC_2024, (STATION,)),
    15: ("七", DEC_2024, (STATION,)),
    16: ("七", DEC_2024, (STATION, "镇综合执法局", "市场监管所")),
    17: ("七", DEC_2026, (STATION, "镇村建办")),
    18: ("七", DEC_2024, (STATION, GROUP)),
    19: ("七", DEC_2024, (STATION,)),
    20: ("七", ONGOING, (STATION, "镇党政办")),
    21: ("九", DEC_2024, (STATION, GROUP)),
}

ACTIONS = [
    ("一", "开展党政领导干部统筹发展和安全能力提升行动"),
    ("二", "开展生产经营单位主要负责人安全教育培训行动"),
    ("三", "开展重大事故隐患判定标准执行能力提升行动"),
    ("四", "开展重大事故隐患动态清零行动"),
    ("五", "开展生产经营单位从业人员安全素质能力提升行动"),
    ("六", "开展生产经营单位安全管理体系建设行动"),
    ("七", "开展安全生产精准执法和帮扶行动"),
    ("九", "开展全民安全素质提升行动"),
]


@pytest.fixture(scope="module")
def repo_tasks() -> tuple[Plan, list[Task]]:
    repo = load(REPO, workers=1)
    assert list(repo.problems) == []
    assert repo.plan is not None
    return repo.plan, repo.tasks


def test_validate_exits_zero() -> None:
    result = CliRunner().invoke(app, ["validate", "--lang", "en", "--root", str(REPO)])
    assert result.exit_code == 0, result.output
    # Warnings (a hazard whose deadline is near, say) come and go with the register: no errors.
    assert "errors: 0," in result.stdout or "no problems found." in result.stdout, result.stdout


def test_the_tests_fixture_plan_is_the_shipped_plan_as_issued() -> None:
    """The other tests use a frozen copy (tests/data/dajing): it is this plan's source."""
    fixture = FIXTURE_PLAN / "plan" / "source.txt"
    assert fixture.read_text(encoding="utf-8") == SOURCE


def test_exactly_21_tasks_numbered_1_to_21_in_order(
    repo_tasks: tuple[Plan, list[Task]],
) -> None:
    _, tasks = repo_tasks
    assert [t.number for t in tasks] == list(range(1, 22))


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_task_matches_the_source(repo_tasks: tuple[Plan, list[Task]], number: int) -> None:
    _, tasks = repo_tasks
    task = {t.number: t for t in tasks}[number]
    action, deadline, units = EXPECTED[number]
    assert task.action == action
    assert task.deadline == deadline
    assert task.ongoing is (deadline is None)
    assert tuple(task.units) == units
    # The text is the source's, word for word, right after the task's number.
    assert f"{number}．{task.text}（完成时限：" in SOURCE
    assert task.text.startswith(task.title)


def test_ongoing_tasks_are_6_and_20(repo_tasks: tuple[Plan, list[Task]]) -> None:
    _, tasks = repo_tasks
    assert [t.number for t in tasks if t.ongoing] == [6, 20]
    assert all(t.deadline is None for t in tasks if t.ongoing)


def test_deadline_is_the_last_day_of_the_month_the_source_names(
    repo_tasks: tuple[Plan, list[Task]],
) -> None:
    """Read back against the source's own words, e.g. 完成时限：2024年9月 → 2024-09-30."""
    _, tasks = repo_tasks
    words = {
        SEP_2024: "2024年9月",
        DEC_2024: "2024年12月",
        DEC_2026: "2026年12月",
        ONGOING: "长期坚持",
    }
    for task in tasks:
        assert f"{task.number}．{task.text}（完成时限：{words[task.deadline]}；" in SOURCE


def test_units_as_the_source_lists_them(repo_tasks: tuple[Plan, list[Task]]) -> None:
    _, tasks = repo_tasks
    for task in tasks:
        listed = "、".join(task.units)
        if task.number == 2:
            listed = "，".join(task.units)  # the source separates task 2's units with "，"
        assert f"{task.number}．{task.text}（完成时限：" in SOURCE
        assert f"责任单位：{listed}）" in SOURCE.split(f"\n{task.number}．", 1)[1].split("\n")[0]


def test_task_10_is_led_by_the_discipline_committee(
    repo_tasks: tuple[Plan, list[Task]],
) -> None:
    _, tasks = repo_tasks
    task = {t.number: t for t in tasks}[10]
    assert task.units[0] == "镇纪委"


def test_actions_keep_the_source_numerals_without_eight(
    repo_tasks: tuple[Plan, list[Task]],
) -> None:
    plan, _ = repo_tasks
    assert [(a.numeral, a.title) for a in plan.actions] == ACTIONS
    assert "八" not in [a.numeral for a in plan.actions]
    for numeral, title in ACTIONS:
        assert f"（{numeral}）{title}" in SOURCE


def test_plan_header(repo_tasks: tuple[Plan, list[Task]]) -> None:
    plan, _ = repo_tasks
    assert plan.title == "大井镇安全生产治本攻坚三年行动方案（2024—2026年）"
    assert plan.issuer == "大井镇人民政府"
    assert (plan.period.start, plan.period.end) == (D(2024, 1, 1), D(2026, 12, 31))
    assert plan.language == "zh-CN"
    assert plan.timezone == "Asia/Shanghai"
    assert [(p.issuer, p.number) for p in plan.parent_plans] == [
        ("国务院安委会", None),
        ("内蒙古自治区安全生产委员会", "内安委〔2024〕2号"),
        ("赤峰市安全生产委员会", "赤安委会发〔2024〕3号"),
        ("大井县安全生产委员会", "林安委发〔2024〕5号"),
    ]
    for parent in plan.parent_plans:
        if parent.number is not None:
            assert f"（{parent.number}）" in SOURCE


def test_the_three_goals(repo_tasks: tuple[Plan, list[Task]]) -> None:
    plan, _ = repo_tasks
    goals = [
        (g.id, g.kind, g.title, g.level, g.due, g.discovered_until, g.discovered_from)
        for g in plan.goals
    ]
    assert goals == [
        (
            "stock",
            "stock_cleared",
            "2024年底前基本消除2023年及以前排查发现的重大事故隐患存量",
            "major",
            D(2024, 12, 31),
            D(2023, 12, 31),
            None,
        ),
        (
            "increment",
            "increment_curbed",
            "2025年底前有效遏制重大事故隐患增量",
            "major",
            D(2025, 12, 31),
            None,
            D(2024, 1, 1),
        ),
        (
            "dynamic-zero",
            "dynamic_zero",
            "2026年底前形成重大事故隐患动态清零的常态化机制",
            "major",
            D(2026, 12, 31),
            None,
            None,
        ),
    ]
    for goal in plan.goals:
        assert goal.title in SOURCE


def test_every_task_unit_is_a_known_unit() -> None:
    repo = load(REPO, workers=1)
    names = set(repo.unit_names())
    assert {u for t in repo.tasks for u in t.units} <= names
    group = next(u for u in repo.units if u.name == GROUP)
    assert group.kind == "group"
    assert set(group.members) <= names
