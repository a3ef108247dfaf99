"""What a user sees when something is off: each message names the cause and the way forward."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app

FIXTURE = Path(__file__).parent / "data" / "status" / "hazards"
CLOSED = "HZ-20240315-A7K2"  # rectified 06-20, accepted 06-28, closed 07-02, listed 03-20 to 07-02


def run(runner: CliRunner, root: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--root", str(root)])


@pytest.fixture
def root(plan_root: Path) -> Path:
    for src in FIXTURE.glob("*.yaml"):
        shutil.copy(src, plan_root / "data" / "hazards" / src.name)
    return plan_root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["task", "progress", "8", "x", "--on", "2042-01-01"], "--on: 2042-01-01 is after today"),
        (["hazard", "note", CLOSED, "x", "--on", "2042-01-01"], "--on: 2042-01-01 is after today"),
        (["hazard", "report", CLOSED, "--regulator", "2042-01-01"], "--regulator: 2042-01-01"),
    ],
)
def test_facts_dated_in_the_future_are_refused(
    runner: CliRunner, root: Path, args: list[str], message: str
) -> None:
    before = _snapshot(root)
    result = run(runner, root, *args, "--lang", "en")
    assert result.exit_code == 2
    assert message in result.stderr
    assert _snapshot(root) == before


def test_a_deadline_may_lie_ahead(runner: CliRunner, root: Path) -> None:
    args = ["hazard", "new", "--title", "t", "--level", "general", "--unit", "镇安监站"]
    args += ["--source", "inspection", "--discovered", "2024-05-01", "--deadline", "2042-01-01"]
    args += ["--measures", "m", "--funds", "1万元", "--plan-person", "p", "--contingency", "c"]
    result = run(runner, root, *args)
    assert result.exit_code == 0, result.output


def test_hazard_show_json_path_is_the_path(runner: CliRunner, root: Path) -> None:
    doc = json.loads(run(runner, root, "hazard", "show", CLOSED, "--json").stdout)
    assert doc["path"] == f"data/hazards/{CLOSED}.yaml"


def test_hazard_show_of_a_broken_file_names_it(runner: CliRunner, root: Path) -> None:
    path = root / "data" / "hazards" / f"{CLOSED}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\tx: 1\n", encoding="utf-8")
    result = run(runner, root, "hazard", "show", CLOSED, "--lang", "en")
    assert result.exit_code == 1
    assert f"safeplan: data/hazards/{CLOSED}.yaml has problems: fix them first" in result.stderr
    assert f"data/hazards/{CLOSED}.yaml:" in result.stderr  # the problem itself, located


def test_hazard_show_before_discovery_and_reopened_history(runner: CliRunner, root: Path) -> None:
    early = run(runner, root, "hazard", "show", CLOSED, "--as-of", "2024-03-01", "--lang", "en")
    assert "not discovered yet on 2024-03-01" in early.stdout
    assert "Days left" not in early.stdout
    reopened = run(
        runner, root, "hazard", "reopen", CLOSED, "--on", "2024-09-01", "--reason", "复查"
    )
    assert reopened.exit_code == 0, reopened.output
    shown = run(runner, root, "hazard", "show", CLOSED, "--lang", "en", "--as-of", "2024-10-01")
    assert "closure revoked on 2024-09-01: 复查" in shown.stdout
    assert "rectified 2024-06-20; accepted 2024-06-28 by 县应急管理局 赵六 (passed)" in shown.stdout


def test_status_says_when_hazard_files_could_not_be_read(runner: CliRunner, root: Path) -> None:
    for p in (root / "data" / "hazards").glob("*.yaml"):
        p.write_text("id: [\n", encoding="utf-8")
    result = run(runner, root, "status", "--lang", "en", "--as-of", "2025-01-01")
    assert result.exit_code == 1
    assert "3 hazard files could not be read" in result.stdout
    assert "no hazards registered" not in result.stdout
    doc = json.loads(run(runner, root, "status", "--json", "--as-of", "2025-01-01").stdout)
    assert len(doc["unreadable_hazard_files"]) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["unit", "show", "派出所"], "no unit '派出所'; 'safeplan unit list' lists them all"),
        (
            ["unit", "show", "安监站"],
            "no unit '安监站' (closest: 镇安监站; all: 'safeplan unit list')",
        ),
        (
            ["task", "list", "--action", "八"],
            "no action '八' (there are: 一, 二, 三, 四, 五, 六, 七, 九)",
        ),
        (["task", "show", "0"], "no task 0: the plan's tasks are numbered 1–21"),
        (
            ["status", "--as-of", "2024-02-30"],
            "--as-of / SAFEPLAN_AS_OF: '2024-02-30' is not a real day (that month has fewer days)",
        ),
        (
            ["status", "--as-of", "2025/13/01"],
            "--as-of / SAFEPLAN_AS_OF: '2025/13/01' is not a real day (a year has 12 months)",
        ),
    ],
)
def test_unknown_names_say_what_exists(
    runner: CliRunner, root: Path, args: list[str], message: str
) -> None:
    result = run(runner, root, *args, "--lang", "en")
    assert result.exit_code == 2
    assert message in result.stderr


def test_chinese_lists_use_the_chinese_separator(runner: CliRunner, root: Path) -> None:
    result = run(runner, root, "task", "list", "--action", "八", "--lang", "zh")
    assert "（现有：一、二、三、四、五、六、七、九）" in result.stderr
