"""The command line itself: help and usage errors in the reader's language, global options,
the registry, and what start-up imports."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.cli.registry import COMMANDS, Entry, Group
from safeplan.render.i18n import choose_language, translator
from safeplan.render.wrap import cell_width, wrap


def run(runner: CliRunner, cwd: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    import os

    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(app, list(args), env=env or {})
    finally:
        os.chdir(old)


def test_help_is_in_the_plans_language(runner: CliRunner, plan_root: Path) -> None:
    zh = run(runner, plan_root, "--help")
    assert zh.exit_code == 0
    assert zh.stdout.startswith("用法：safeplan [选项] 命令 [参数]...")
    assert "选项：" in zh.stdout and "命令：" in zh.stdout
    assert "显示本帮助后退出。" in zh.stdout
    assert "隐患台账：列出、查看" in zh.stdout
    en = run(runner, plan_root, "--lang", "en", "--help")
    assert en.stdout.startswith("Usage: safeplan [OPTIONS] COMMAND [ARGS]...")
    assert "Show this message and exit." in en.stdout
    env = run(runner, plan_root, "hazard", "close", "--help", env={"SAFEPLAN_LANG": "en"})
    assert "The reviewer who signs the closure off" in env.stdout
    assert "[required]" in env.stdout


def test_a_commands_help_has_its_options_notes_translated(
    runner: CliRunner, plan_root: Path
) -> None:
    out = run(runner, plan_root, "hazard", "close", "--help").stdout
    assert "用法：safeplan hazard close [选项]" in out
    assert "参数：" in out and "选项：" in out
    assert "审核销号的人（审核把关）。" in out and "[必填]" in out
    assert "--dry-run" in out and "只显示改动" in out


@pytest.mark.parametrize("width", [60, 80])
def test_chinese_help_fits_the_terminal(plan_root: Path, width: int) -> None:
    import os

    env = {**os.environ, "COLUMNS": str(width)}
    env.pop("SAFEPLAN_LANG", None)
    for args in (
        ["--help"],
        ["hazard", "--help"],
        ["hazard", "new", "--help"],
        ["status", "--help"],
    ):
        out = subprocess.run(
            [sys.executable, "-m", "safeplan", *args],
            cwd=plan_root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "用法" in out
        too_wide = [line for line in out.splitlines() if cell_width(line) > width]
        assert too_wide == [], args
        assert all(line == line.rstrip() for line in out.splitlines())


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (
            ["hazard", "close"],
            "错误：缺少参数：隐患编号（'ID'）。",
            "Error: Missing argument: the hazard id ('ID').",
        ),
        (
            ["task", "progress", "3"],
            "错误：缺少参数：进展内容（'text'）。",
            "Error: Missing argument: the progress text ('text').",
        ),
        (
            ["hazard", "close", "HZ-1", "--bogus"],
            "错误：没有选项：--bogus",
            "Error: No such option: --bogus",
        ),
        (
            ["status", "extra"],
            "错误：多出了参数（extra）",
            "Error: Got unexpected extra argument (extra)",
        ),
        (
            ["hazard", "close", "HZ-1", "--by"],
            "错误：选项 --by 后面需要一个值。",
            "Error: Option '--by' needs a value.",
        ),
        (
            ["stauts"],
            "错误：没有命令“stauts”。（是否要输入 status、task？）",
            "Error: No such command 'stauts'. (did you mean status, task?)",
        ),
        (["hazard", "accept", "HZ-1"], "错误：缺少选项 '--by'。", "Error: Missing option '--by'."),
    ],
)
def test_usage_errors_are_in_the_readers_language(
    runner: CliRunner, plan_root: Path, args: list[str], zh: str, en: str
) -> None:
    chinese = run(runner, plan_root, *args)
    assert chinese.exit_code == 2
    assert zh in chinese.stderr, chinese.stderr
    if "--by" not in args[-1:]:  # click gives no usage line for an option without its value
        assert "运行“safeplan" in chinese.stderr
    english = run(runner, plan_root, "--lang", "en", *args)
    assert english.exit_code == 2
    assert en in english.stderr, english.stderr
    assert "Traceback" not in chinese.output + english.output


def test_an_aborted_prompt_says_so(
    runner: CliRunner, plan_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safeplan.cli import hazard_edit

    monkeypatch.setattr(hazard_edit, "interactive", lambda: True)
    result = run(runner, plan_root, "hazard", "new")  # no input: the prompt meets end of file
    assert result.exit_code == 1
    assert "已中止。" in result.stderr


def test_root_and_language_may_come_before_the_command(
    runner: CliRunner, plan_root: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run(
        runner,
        elsewhere,
        "--root",
        str(plan_root),
        "--lang",
        "en",
        "status",
        "--as-of",
        "2025-01-01",
    )
    assert result.exit_code == 0, result.output
    assert "Tasks (21):" in result.stdout
    # the command's own option wins over the one before the command
    result = run(
        runner, elsewhere, "--lang", "en", "status", "--lang", "zh", "--root", str(plan_root)
    )
    assert "重点任务" in result.stdout


def walk(commands: dict[str, Entry | Group], prefix: str = "") -> list[tuple[str, Entry | Group]]:
    """Every command and group of the registry, groups within groups too (``rollup export``)."""
    out: list[tuple[str, Entry | Group]] = []
    for name, entry in commands.items():
        out.append((prefix + name, entry))
        if isinstance(entry, Group):
            out += walk(entry.commands, f"{prefix}{name} ")
    return out


def test_every_registered_command_exists_with_help_in_both_languages() -> None:
    zh = translator("zh")

    for name, entry in walk(COMMANDS):
        assert zh(entry.help) != entry.help, name
        if isinstance(entry, Entry):
            assert callable(getattr(importlib.import_module(entry.module), entry.function)), name


def test_help_imports_no_command_module(plan_root: Path) -> None:
    probe = (
        "import sys\n"
        "from safeplan.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "mods = sorted(m for m in sys.modules if m.startswith('safeplan'))\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'rich', 'yaml', 'ruamel'))\n"
        "print(__import__('json').dumps([mods, heavy]), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=plan_root, capture_output=True, text=True, check=True
    )
    mods, heavy = json.loads(done.stderr.strip().splitlines()[-1])
    commands = {e.module for _, e in walk(COMMANDS) if isinstance(e, Entry)}
    assert not set(mods) & commands
    assert heavy == []


def test_status_imports_only_its_own_command(plan_root: Path) -> None:
    probe = (
        "import sys\n"
        "from safeplan.cli import app\n"
        "try:\n    app(['status', '--as-of', '2025-01-01'])\nexcept SystemExit:\n    pass\n"
        "print(__import__('json').dumps(sorted(m for m in sys.modules if m.startswith('safeplan.cli.'))), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=plan_root, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert "safeplan.cli.status" in loaded
    assert not loaded & {
        "safeplan.cli.hazard",
        "safeplan.cli.hazard_edit",
        "safeplan.cli.task_edit",
        "safeplan.cli.editing",
        "safeplan.cli.validate",
    }


@pytest.mark.parametrize(
    ("option", "plan", "environ", "expected"),
    [
        ("en", "zh-CN", {"SAFEPLAN_LANG": "zh"}, "en"),  # the option first
        (None, "en", {"SAFEPLAN_LANG": "zh"}, "zh"),  # then SAFEPLAN_LANG
        (None, "zh-CN", {"LANG": "en_US.UTF-8"}, "zh"),  # then the plan
        (None, None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),  # LC_ALL wins
        (None, None, {"LC_MESSAGES": "zh_CN", "LANG": "en_US"}, "zh"),
        (None, None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, None, {"LANG": "C"}, "en"),
        (None, None, {}, "en"),
        ("klingon", None, {"LANG": "zh_CN"}, "zh"),  # an unknown value is passed over
    ],
)
def test_the_one_place_that_chooses_the_language(
    option: str | None, plan: str | None, environ: dict[str, str], expected: str
) -> None:
    assert choose_language(option, plan, environ) == expected


def test_wrapping_keeps_chinese_punctuation_off_the_start_of_a_line() -> None:
    lines = wrap("重大事故隐患需要五落实：措施、资金、时限、责任、预案。", 12)
    assert all(cell_width(line) <= 12 for line in lines)
    assert not any(line[0] in "，。、；：" for line in lines)
    assert "".join(lines) == "重大事故隐患需要五落实：措施、资金、时限、责任、预案。"
    assert wrap("plan.yaml can relax", 10) == ["plan.yaml", "can relax"]
