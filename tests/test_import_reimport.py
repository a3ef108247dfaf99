"""Re-import: a revised text against a plan that is in use.

What changed is shown as a readable diff (and a unified one with --dry-run) and written
only with --apply; progress notes, completions and reopenings of the tasks that remain
stay byte for byte; a removed task with progress is kept and flagged.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.importers.plantext.plan_text import parse_plan_text
from safeplan.importers.plantext.reimport import match_tasks
from safeplan.models import TasksFile, UnitsFile
from safeplan.yamlio import load_fast

PLANS = Path(__file__).parent / "data" / "plans"
DAJING = (PLANS / "dajing-2024-2026.txt").read_text(encoding="utf-8")


def _run(runner: CliRunner, root: Path, *args: str) -> Any:
    return runner.invoke(app, [*args, "--root", str(root), "--lang", "en"])


def _revise(text: str) -> str:
    """A revision of the Dajing text: one task reworded, one deadline and one unit list changed,
    tasks 19 and 20 removed, a task 22 and a new unit added."""
    text = text.replace(
        "3．组织参加企业主要负责人培训班。", "3．组织参加企业主要负责人专题培训班。"
    )
    text = text.replace(
        "（完成时限：2024年12月；责任单位：镇安监站、镇财政所）",
        "（完成时限：2025年6月底前；责任单位：镇安监站、镇财政所）",
    )
    text = text.replace(
        "责任单位：镇安监站、镇综合执法局、市场监管所）", "责任单位：镇安监站牵头，市场监管所配合）"
    )
    lines = [ln for ln in text.split("\n") if not ln.startswith(("19．", "20．"))]
    at = next(i for i, ln in enumerate(lines) if ln.startswith("21．"))
    lines.insert(
        at + 1,
        "22．开展安全生产月活动。每年6月组织开展安全生产月活动。（完成时限：每年；"
        "责任单位：镇安监站、镇应急办）",
    )
    return "\n".join(lines)


@pytest.fixture(scope="module")
def planned_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Dajing plan imported from its text, with progress on tasks 7 and 20 and task 3 done
    (built once per module; each test gets its own copy, ``planned``)."""
    runner = CliRunner()
    tmp_path = tmp_path_factory.mktemp("planned")
    root = tmp_path / "dajing"
    source = tmp_path / "dajing.txt"
    source.write_text(DAJING, encoding="utf-8")
    assert _run(runner, root, "import", "text", str(source)).exit_code == 1  # （八）, the title
    for args in (
        ("task", "progress", "7", "已公布举报电话", "--on", "2024-11-02", "--by", "镇安监站"),
        ("task", "progress", "20", "已组织专题学习", "--on", "2025-01-10"),
        ("task", "done", "3", "--on", "2024-09-20", "--note", "已参加培训"),
    ):
        result = _run(runner, root, *args)
        assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def planned(planned_template: Path, tmp_path: Path) -> Path:
    """This test's own copy of the imported plan."""
    return Path(shutil.copytree(planned_template, tmp_path / "dajing"))


def _revised(tmp_path: Path) -> Path:
    path = tmp_path / "revised.txt"
    path.write_text(_revise(DAJING), encoding="utf-8")
    return path


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_readable_diff_says_what_changed_and_nothing_is_written(
    planned: Path, tmp_path: Path, runner: CliRunner
) -> None:
    before = _snapshot(planned)
    result = _run(runner, planned, "import", "text", str(_revised(tmp_path)))
    assert result.exit_code == 1, result.output  # a removed task with progress needs a look
    out = result.output
    assert (
        "  ~ task 3: reworded: 组织参加企业主要负责人培训班。 → 组织参加企业主要负责人专题培训班。"
        in out
    )
    assert "  ~ task 7: deadline 2024-12-31 → 2025-06-30" in out
    assert "  ~ task 16: units 镇安监站, 镇综合执法局, 市场监管所 → 镇安监站, 市场监管所" in out
    assert "  - task 19 removed: 建立完善常态化帮扶指导机制。" in out
    assert "  ! task 20 is no longer in the text but has progress: kept and marked" in out
    assert (
        "  + task 22 （九） added: 开展安全生产月活动。 (deadline ongoing (yearly); units 镇安监站, 镇应急办)"
        in out
    )
    assert "  + unit 镇应急办 added: office, guessed from its name" in out
    assert "nothing was written: run again with --apply" in out
    assert (
        "data/tasks.yaml:" in out and "task 20 is no longer in the text, but it has progress" in out
    )
    assert _snapshot(planned) == before


def test_dry_run_shows_the_unified_diff_and_writes_nothing(
    planned: Path, tmp_path: Path, runner: CliRunner
) -> None:
    before = _snapshot(planned)
    result = _run(runner, planned, "import", "text", str(_revised(tmp_path)), "--dry-run")
    assert "--- a/data/tasks.yaml\n+++ b/data/tasks.yaml" in result.output
    assert "-  - number: 19\n" in result.output
    assert "+    deadline: 2025-06-30  # 完成时限：2025年6月底前\n" in result.output
    assert "--- a/plan/source.txt" in result.output
    assert "dry run, nothing was written" in result.output
    assert _snapshot(planned) == before


def test_apply_keeps_the_progress_of_the_tasks_that_remain_byte_for_byte(
    planned: Path, tmp_path: Path, runner: CliRunner
) -> None:
    old = (planned / "data" / "tasks.yaml").read_text(encoding="utf-8")
    result = _run(runner, planned, "import", "text", str(_revised(tmp_path)), "--apply")
    assert result.exit_code == 1, result.output
    assert (
        "wrote plan/plan.yaml, data/units.yaml, data/tasks.yaml, plan/source.txt" in result.output
    )
    new = (planned / "data" / "tasks.yaml").read_text(encoding="utf-8")
    for block in (
        "    progress:\n      - on: 2024-11-02\n        note: 已公布举报电话\n        by: 镇安监站\n",
        "    progress:\n      - on: 2025-01-10\n        note: 已组织专题学习\n",
        "    done:\n      on: 2024-09-20\n      note: 已参加培训\n",
    ):
        assert block in old and block in new
    tasks = {t.number: t for t in TasksFile.model_validate(load_fast(new)).tasks}
    assert sorted(tasks) == [*range(1, 19), 20, 21, 22]
    assert tasks[3].title == "组织参加企业主要负责人专题培训班。" and tasks[3].done is not None
    assert str(tasks[7].deadline) == "2025-06-30" and tasks[7].progress[0].by == "镇安监站"
    assert tasks[16].units == ["镇安监站", "市场监管所"]
    assert tasks[20].progress[0].note == "已组织专题学习"  # removed from the text, kept
    assert (tasks[22].ongoing, tasks[22].check_in) == (True, "year")
    assert "  - number: 20  # no longer in the revised text: kept for its progress\n" in new
    # The action headings stay where they were: task 22 follows task 21 under （九）.
    assert (
        new.index("  # （九）开展全民安全素质提升行动\n")
        < new.index("number: 21")
        < new.index("number: 22")
    )
    units = UnitsFile.model_validate(
        load_fast((planned / "data" / "units.yaml").read_text(encoding="utf-8"))
    )
    names = [u.name for u in units.units]
    assert names.index("镇应急办") < names.index("镇级各职能站所")  # before the group
    assert (
        "  - name: 镇应急办\n    kind: office  # guessed from the name (…办): check it\n"
        "  # 镇级各职能站所 stands for several units"
    ) in (planned / "data" / "units.yaml").read_text(encoding="utf-8")
    assert (planned / "plan" / "source.txt").read_text(encoding="utf-8") == _revise(DAJING)
    check = runner.invoke(app, ["validate", "--root", str(planned), "--lang", "en"])
    assert check.exit_code == 0, check.output


def test_the_same_text_again_changes_nothing(
    planned: Path, tmp_path: Path, runner: CliRunner
) -> None:
    revised = _revised(tmp_path)
    _run(runner, planned, "import", "text", str(revised), "--apply")
    before = _snapshot(planned)
    result = _run(runner, planned, "import", "text", str(revised), "--apply")
    assert "already says what the text says: nothing to change" in result.output
    assert _snapshot(planned) == before


def test_reimporting_the_original_text_changes_nothing(planned: Path, runner: CliRunner) -> None:
    before = _snapshot(planned)
    source = planned / "plan" / "source.txt"
    result = _run(runner, planned, "import", "text", str(source), "--apply")
    assert "nothing to change" in result.output
    assert _snapshot(planned) == before


def test_a_removed_task_whose_number_is_taken_moves_to_a_free_number(
    planned: Path, tmp_path: Path, runner: CliRunner
) -> None:
    text = DAJING.replace(
        "20．提升监管执法队伍专业化水平。积极学习安全生产专业知识和法律知识，切实提升基层安全监管能力。",
        "20．开展执法人员轮训。组织执法人员分批参加轮训。",
    )
    path = tmp_path / "renamed.txt"
    path.write_text(text, encoding="utf-8")
    result = _run(runner, planned, "import", "text", str(path), "--apply")
    assert "  ! task 22 is no longer in the text but has progress" in result.output
    assert "  + task 20 （七） added: 开展执法人员轮训。" in result.output
    new = (planned / "data" / "tasks.yaml").read_text(encoding="utf-8")
    assert (
        "number: 22  # no longer in the revised text: kept for its progress; it was task 20" in new
    )
    assert runner.invoke(app, ["validate", "--root", str(planned)]).exit_code == 0


def test_actions_are_added_retitled_and_removed_when_empty(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = tmp_path / "p"
    first = PLANS / "gaps-numbering.txt"
    assert _run(runner, root, "import", "text", str(first)).exit_code == 1
    text = first.read_text(encoding="utf-8")
    text = text.replace("（二）开展隐患排查治理行动", "（二）开展重大事故隐患排查治理行动")
    text = text.replace(
        "（四）开展宣传教育行动",
        "（三）开展执法检查行动\n5．开展执法检查。（完成时限：2025年6月；责任单位：镇安监站）\n"
        "（四）开展宣传教育行动",
    )
    revised = tmp_path / "revised.txt"
    revised.write_text(text, encoding="utf-8")
    result = _run(runner, root, "import", "text", str(revised), "--apply")
    out = result.output
    assert "  ~ action （二）: 开展隐患排查治理行动 → 开展重大事故隐患排查治理行动" in out
    assert "  + action （三） added: 开展执法检查行动" in out
    assert "  + task 5 （三） added: 开展执法检查。" in out
    plan = (root / "plan" / "plan.yaml").read_text(encoding="utf-8")
    assert plan.index("numeral: 二") < plan.index("numeral: 三") < plan.index("numeral: 四")
    # The comment above the actions no longer says that the text skips （三）.
    assert "# 二、重点任务: the actions, with the source's own numerals.\n" in plan
    tasks = (root / "data" / "tasks.yaml").read_text(encoding="utf-8")
    assert (
        tasks.index("# （三）开展执法检查行动")
        < tasks.index("number: 5")
        < tasks.index("# （四）开展宣传教育行动")
    )
    assert runner.invoke(app, ["validate", "--root", str(root)]).exit_code == 0
    # And an action whose tasks are all gone goes too.
    gone = text.replace(
        "（三）开展执法检查行动\n5．开展执法检查。（完成时限：2025年6月；责任单位：镇安监站）\n", ""
    )
    revised.write_text(gone, encoding="utf-8")
    result = _run(runner, root, "import", "text", str(revised), "--apply")
    assert "  - action （三） removed: 开展执法检查行动" in result.output
    assert "  - task 5 removed: 开展执法检查。" in result.output
    tasks = (root / "data" / "tasks.yaml").read_text(encoding="utf-8")
    assert "（三）开展执法检查行动" not in tasks
    plan = (root / "plan" / "plan.yaml").read_text(encoding="utf-8")
    assert "numeral: 三" not in plan
    assert "numerals. The source has no （三）.\n" in plan
    assert runner.invoke(app, ["validate", "--root", str(root)]).exit_code == 0


def test_tasks_are_matched_by_text_before_number() -> None:
    old = parse_plan_text(DAJING, "a.txt")
    # Task 1 removed: every later task is renumbered, but each is still the same task.
    lines = [ln for ln in DAJING.split("\n") if not ln.startswith("1．")]
    for n in range(2, 22):
        lines = [
            ln.replace(f"{n}．", f"{n - 1}．", 1) if ln.startswith(f"{n}．") else ln for ln in lines
        ]
    new = parse_plan_text("\n".join(lines), "b.txt")
    from safeplan.models import Task

    old_tasks = [Task.model_validate(t.record()) for t in old.tasks]
    pairs = match_tasks(old_tasks, new.tasks)
    assert {new.tasks[j].number: old_tasks[i].number for j, i in pairs.items()} == {
        n - 1: n for n in range(2, 22)
    }


def test_a_broken_plan_is_not_reimported(planned: Path, tmp_path: Path, runner: CliRunner) -> None:
    (planned / "data" / "tasks.yaml").write_text("tasks: [\n", encoding="utf-8")
    result = _run(runner, planned, "import", "text", str(_revised(tmp_path)), "--apply")
    assert result.exit_code == 1
    assert "data/tasks.yaml has problems: fix them first" in result.output


def test_apply_refuses_a_text_that_would_leave_the_plan_invalid(
    planned: Path, tmp_path: Path, runner: CliRunner
) -> None:
    text = DAJING.replace(
        "（完成时限：2024年9月；责任单位：镇安监站）", "（完成时限：2024年9月）", 1
    )
    path = tmp_path / "no-units.txt"
    path.write_text(text, encoding="utf-8")
    before = _snapshot(planned)
    result = _run(runner, planned, "import", "text", str(path), "--apply")
    assert result.exit_code == 1
    assert "warning: task 3 names no responsible unit" in result.output
    assert "  ~ task 3: units 镇安监站 → —" in result.output
    assert "data/tasks.yaml:" in result.output
    assert "would leave the plan's files invalid (above), so nothing was written" in result.output
    assert _snapshot(planned) == before


def test_apply_records_a_dated_revision_that_validate_base_accepts(
    planned: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """A revised text is the one way besides 'task revise' to change the plan's tasks: the
    import writes a dated revision naming each change, and validate --base reads it."""
    import subprocess

    from safeplan.models.records import Plan

    subprocess.run(["git", "init", "-q"], cwd=planned, check=True)
    subprocess.run(["git", "add", "-A"], cwd=planned, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "plan"], cwd=planned, check=True)
    _run(runner, planned, "import", "text", str(_revised(tmp_path)), "--apply")
    plan = Plan.model_validate(
        load_fast((planned / "plan" / "plan.yaml").read_text(encoding="utf-8"))
    )
    (revision,) = plan.revisions
    assert revision.reason == "按修订后的方案文本重新导入"
    assert revision.document == "plan/source.txt"
    changed = {(c.task, c.field) for c in revision.changes}
    assert {(3, "title"), (7, "deadline"), (16, "units"), (19, None), (22, None)} <= changed
    assert (20, None) not in changed  # kept for its progress: not a change
    deadline = next(c for c in revision.changes if (c.task, c.field) == (7, "deadline"))
    assert deadline.to == "2025-06-30"
    checked = runner.invoke(
        app, ["validate", "--base", "HEAD", "--root", str(planned)], env={"SAFEPLAN_LANG": "en"}
    )
    assert "no revision recorded" not in checked.output, checked.output
