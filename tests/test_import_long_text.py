"""A plan with a thousand tasks and more: every task is read (numbers of four digits and
more), and a line numbered as a task that cannot be read stops the import, so that no plan
is written or committed without a task its text has."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.importers.plantext.plan_text import parse_plan_text

BASIC = Path(__file__).parent / "data" / "plans" / "township-basic.txt"


def long_text(tasks: int, actions: str = "一二三四五", paren: bool = False) -> str:
    """The head of a real plan, then ``tasks`` tasks spread over ``actions``."""
    head = BASIC.read_text(encoding="utf-8").split("二、重点任务")[0].rstrip("\n")
    lines = [head, "二、重点任务"]
    per = -(-tasks // len(actions))
    n = 0
    for a in actions:
        lines.append(f"（{a}）开展第{a}项行动")
        for _ in range(per):
            if n == tasks:
                break
            n += 1
            number = f"（{n}）" if paren else f"{n}．"
            lines.append(
                f"{number}落实第{n}项工作。按要求完成第{n}项工作。"
                "（完成时限：2025年6月底；责任单位：镇安监站、镇党政办）"
            )
    lines += ["三、保障措施", "（一）加强组织领导。镇政府定期研究安全生产治本攻坚工作。"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("paren", [False, True], ids=["1000．", "（1000）"])
def test_every_task_of_a_long_plan_is_read(paren: bool) -> None:
    parsed = parse_plan_text(long_text(1205, paren=paren), "long.txt")
    assert [t.number for t in parsed.tasks] == list(range(1, 1206))
    assert parsed.tasks[999].title == "落实第1000项工作。"
    assert parsed.findings == []


@pytest.mark.slow  # seconds: the whole corpus, or hundreds of generated cases
def test_a_long_plan_is_written_whole(tmp_path: Path, runner: CliRunner) -> None:
    text = tmp_path / "long.txt"
    text.write_text(long_text(1001, actions="一"), encoding="utf-8")
    root = tmp_path / "plan"
    result = runner.invoke(app, ["import", "text", str(text), "--root", str(root), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "1001 tasks in 1 action" in result.output
    written = (root / "data" / "tasks.yaml").read_text(encoding="utf-8")
    assert written.count("\n  - number: ") == 1001
    assert "\n  - number: 1001\n" in written
    assert runner.invoke(app, ["validate", "--root", str(root)]).exit_code == 0


@pytest.mark.parametrize("command", ["import", "init"])
def test_a_task_whose_number_cannot_be_read_stops_the_import(
    tmp_path: Path, runner: CliRunner, command: str
) -> None:
    lines = long_text(12, actions="一").splitlines()
    at = next(i for i, s in enumerate(lines) if s.startswith("12．"))
    lines[at] = "12345678901．" + lines[at].removeprefix("12．")
    text = tmp_path / "long.txt"
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    root = tmp_path / "plan"
    args = (
        ["import", "text", str(text), "--root", str(root)]
        if command == "import"
        else ["init", str(root), "--from-text", str(text)]
    )
    result = runner.invoke(app, [*args, "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert f"{text}:{at + 1}:1: this line is numbered as a task" in result.output
    assert "1 line numbered as a task could not be read (above), so nothing was written" in (
        result.output
    )
    assert not root.exists()


def test_the_refusal_is_in_the_new_plans_language(tmp_path: Path, runner: CliRunner) -> None:
    """No plan yet: the messages, the refusal too, are in Chinese, as the plan will be."""
    text = tmp_path / "long.txt"
    text.write_text(long_text(3, actions="一").replace("3．", "12345678901．"), encoding="utf-8")
    result = runner.invoke(app, ["import", "text", str(text), "--root", str(tmp_path / "p")])
    assert result.exit_code == 1, result.output
    assert "有 1 行按任务编号却未能读取（见上），因此未写入任何内容" in result.stderr
