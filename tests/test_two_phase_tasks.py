"""A deadline with two phases (…9月底前集中完成，此后长期坚持; …前完成并常态化开展): the task keeps
the first phase's deadline and is ongoing after it (``ongoing_after: true``). Its status is
the deadline's until it is done, then the check-ins' (current / stale)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.importers.plantext.deadlines import Deadline, read_deadline
from safeplan.models.records import Task
from safeplan.rules.tasks import check_tasks
from safeplan.status.tasks import task_status
from safeplan.yamlio import load_fast

PLANS = Path(__file__).parent / "data" / "plans"
TWO = PLANS / "township-two-phases.txt"
D = dt.date


@pytest.mark.parametrize(
    ("text", "day", "check_in"),
    [
        ("2025年9月底前集中完成，此后长期坚持", D(2025, 9, 30), None),
        ("2024年12月底前完成并常态化开展", D(2024, 12, 31), None),
        ("2024年底前完成，长期坚持", D(2024, 12, 31), None),
        ("2024年6月底前完成，此后每月调度", D(2024, 6, 30), "month"),
        ("2025年6月底前建立，并持续推进", D(2025, 6, 30), None),
        ("2024年12月底前完成，长期坚持每季度调度", D(2024, 12, 31), "quarter"),
    ],
)
def test_a_two_phase_deadline_is_read_as_both(text: str, day: dt.date, check_in: str) -> None:
    assert read_deadline(text) == (Deadline(day, False, check_in, then_ongoing=True), False)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("2024年12月", (Deadline(D(2024, 12, 31)), False)),
        ("长期坚持", (Deadline(None, True), False)),
        ("长期坚持，每月调度", (Deadline(None, True, "month"), False)),
        ("2024年6月、2024年12月", (Deadline(D(2024, 12, 31)), True)),
        # Two dates are not two phases: unread, as before.
        ("2024年底前完成，2025年持续推进", (None, False)),
    ],
)
def test_other_deadlines_are_read_as_before(text: str, read: tuple[object, bool]) -> None:
    assert read_deadline(text) == read


def _task(**fields: object) -> Task:
    base: dict[str, object] = {
        "number": 3,
        "action": "一",
        "title": "开展燃气安全专项整治。",
        "text": "开展燃气安全专项整治。",
        "deadline": "2024-06-30",
        "ongoing_after": True,
        "check_in": "month",
        "units": ["镇安监站"],
    }
    return Task.model_validate({**base, **fields})


def test_status_is_the_deadlines_until_done_then_the_check_ins() -> None:
    task = _task()
    assert task_status(task, D(2024, 5, 1)).state == "open"
    assert task_status(task, D(2024, 6, 15)).state == "due_soon"
    assert task_status(task, D(2024, 7, 3)).state == "overdue"
    done = _task(done={"on": "2024-06-20"})
    assert task_status(done, D(2024, 6, 10)).state == "due_soon"  # not yet done that day
    assert task_status(done, D(2024, 7, 10)).state == "current"  # the completion is a check-in
    assert task_status(done, D(2024, 8, 21)).state == "stale"  # a month without a note
    noted = _task(done={"on": "2024-06-20"}, progress=[{"on": "2024-08-01", "note": "7月调度"}])
    assert task_status(noted, D(2024, 8, 21)).state == "current"
    assert task_status(noted, D(2024, 9, 2)).state == "stale"
    late = task_status(_task(done={"on": "2024-07-05"}), D(2024, 7, 6))
    assert (late.state, late.days_late) == ("current", 5)


def test_a_plain_ongoing_task_is_unchanged() -> None:
    task = _task(deadline=None, ongoing=True, ongoing_after=False, check_in="quarter")
    assert task_status(task, D(2024, 5, 1)).state == "stale"


def test_ongoing_after_needs_a_deadline_and_not_ongoing() -> None:
    codes = [f.code for f in check_tasks([_task(deadline=None)])]
    assert codes == ["ongoing-after-no-deadline"]
    codes = [f.code for f in check_tasks([_task(deadline=None, ongoing=True)])]
    assert codes == ["ongoing-after-ongoing"]
    assert check_tasks([_task()]) == []


@pytest.fixture
def two_phase_plan(tmp_path: Path, runner: CliRunner) -> Path:
    root = tmp_path / "plan"
    result = runner.invoke(app, ["import", "text", str(TWO), "--root", str(root)])
    assert result.exit_code == 0, result.output
    return root


def test_the_import_writes_the_deadline_and_ongoing_after(two_phase_plan: Path) -> None:
    text = (two_phase_plan / "data" / "tasks.yaml").read_text(encoding="utf-8")
    assert (
        "    deadline: 2025-09-30  # 完成时限：2025年9月底前集中完成，此后长期坚持\n"
        "    ongoing_after: true\n"
        "    check_in: quarter\n"
    ) in text
    assert "    deadline: 2024-06-30  # 完成时限：2024年6月底前完成，此后每月调度\n" in text
    assert "(a deadline, then 长期坚持: `ongoing_after: true`, check-ins once it is done)" in text
    tasks = load_fast(text)["tasks"]
    assert [t.get("ongoing_after", False) for t in tasks] == [True, True, True, False, False]


def test_task_list_shows_the_first_phase_then_the_check_ins(
    two_phase_plan: Path, runner: CliRunner
) -> None:
    root = str(two_phase_plan)
    before = runner.invoke(app, ["task", "list", "--root", root, "--as-of", "2024-06-15"])
    assert before.exit_code == 0, before.output
    row = next(line for line in before.output.splitlines() if "开展燃气安全专项整治" in line)
    assert "2024-06-30，此后长期坚持" in row and "即将到期" in row
    done = runner.invoke(app, ["task", "done", "3", "--on", "2024-06-20", "--root", root])
    assert done.exit_code == 0, done.output
    assert "任务 3 已于 2024-06-20 完成；此后长期坚持，每月报送一次进展" in done.output
    for day, state in (("2024-07-10", "current"), ("2024-08-21", "stale")):
        listed = runner.invoke(
            app, ["task", "list", "--root", root, "--as-of", day, "--json", "--lang", "en"]
        )
        assert listed.exit_code == 0, listed.output
        row3 = next(t for t in json.loads(listed.output)["tasks"] if t["number"] == 3)
        assert (row3["status"], row3["ongoing_after"], row3["deadline"]) == (
            state,
            True,
            "2024-06-30",
        )
    shown = runner.invoke(app, ["task", "show", "3", "--root", root, "--as-of", "2024-08-21"])
    assert "报送周期  每月" in shown.output
    assert runner.invoke(app, ["validate", "--root", root, "--as-of", "2024-08-21"]).exit_code == 0


def test_a_revised_text_that_adds_a_second_phase_is_a_deadline_change(
    two_phase_plan: Path, tmp_path: Path, runner: CliRunner
) -> None:
    revised = tmp_path / "revised.txt"
    text = TWO.read_text(encoding="utf-8").replace(
        "（完成时限：2026年12月；", "（完成时限：2026年6月底前完成，此后长期坚持；"
    )
    revised.write_text(text, encoding="utf-8")
    root = str(two_phase_plan)
    result = runner.invoke(
        app, ["import", "text", str(revised), "--root", root, "--apply", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "task 4: deadline 2026-12-31 → 2026-06-30, then ongoing (quarterly)" in result.output
    tasks = load_fast((two_phase_plan / "data" / "tasks.yaml").read_text(encoding="utf-8"))
    task4 = tasks["tasks"][3]
    assert (task4["deadline"], task4["ongoing_after"], task4["check_in"]) == (
        "2026-06-30",
        True,
        "quarter",
    )
    # And back to a plain deadline: the second phase goes.
    shutil.copy(TWO, revised)
    again = runner.invoke(app, ["import", "text", str(revised), "--root", root, "--apply"])
    assert again.exit_code == 0, again.output
    task4 = load_fast((two_phase_plan / "data" / "tasks.yaml").read_text(encoding="utf-8"))
    assert "ongoing_after" not in task4["tasks"][3]
    assert "check_in" not in task4["tasks"][3]
