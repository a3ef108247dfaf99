"""``safeplan report``: choosing the period, writing files (atomically, only when they
change), --stdout and --json, templates, the data's git commit, and the errors."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app, session
from safeplan.periods import choose_period

FIXTURE = Path(__file__).parent / "data" / "report"
D = dt.date.fromisoformat


def plan_copy(tmp_path: Path) -> Path:
    root = tmp_path / "plan"
    for part in ("plan", "data"):
        shutil.copytree(FIXTURE / part, root / part)
    return root


def today(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    """ "Today" in Asia/Shanghai is ``day`` (04:00 UTC is noon there)."""
    moment = dt.datetime.fromisoformat(day).replace(hour=4, tzinfo=dt.UTC)
    monkeypatch.setattr(session, "utc_now", lambda: moment)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    today(monkeypatch, "2027-01-05")
    return plan_copy(tmp_path)


def run(runner: CliRunner, root: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["report", *args, "--root", str(root)])


@pytest.mark.parametrize(
    ("kind", "name", "as_of", "today_", "span", "day"),
    [
        ("week", None, None, "2026-11-30", "2026-W48", "2026-11-29"),  # a Monday's job
        ("week", None, None, "2026-11-29", "2026-W47", "2026-11-22"),  # Sunday is not over
        ("week", None, "2026-11-29", "2026-12-20", "2026-W48", "2026-11-29"),
        ("week", None, None, "2027-01-04", "2026-W53", "2027-01-03"),  # the ISO year
        ("month", None, None, "2026-12-01", "2026-11", "2026-11-30"),
        ("quarter", None, None, "2027-01-01", "2026-Q4", "2026-12-31"),
        ("week", "2026-W48", None, "2027-01-05", "2026-W48", "2026-11-29"),
        # A period not over yet is computed as of today.
        ("quarter", "2026-Q4", None, "2026-12-01", "2026-Q4", "2026-12-01"),
    ],
)
def test_choose_period(
    kind: str, name: str | None, as_of: str | None, today_: str, span: str, day: str
) -> None:
    chosen, on = choose_period(kind, name, D(as_of) if as_of else None, D(today_))  # type: ignore[arg-type]
    assert (chosen.name, on) == (span, D(day))


def test_the_default_is_the_last_week_complete_before_today(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = plan_copy(tmp_path)
    today(monkeypatch, "2026-11-30")
    # Facts dated after "today" (the fixture runs to December) are problems: exit 1,
    # and the report says so; the files are written all the same.
    result = run(runner, root, "weekly")
    assert result.exit_code == 1
    assert (root / "reports" / "2026-W48.md").is_file()
    assert (root / "reports" / "2026-W48.html").is_file()
    assert "safeplan: 数据校验发现 8 个问题" in result.stderr  # in the plan's language, zh
    md = (root / "reports" / "2026-W48.md").read_text(encoding="utf-8")
    assert "> 记录待核实：数据中发现" in md


def test_files_are_written_once_and_left_alone_when_unchanged(
    runner: CliRunner, root: Path
) -> None:
    first = run(runner, root, "weekly", "--week", "2026-W48")
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("已写入 reports/2026-W48.md、")
    folder = root / "reports"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "2026-W48-monthly.svg",
        "2026-W48-open.svg",
        "2026-W48-tasks.svg",
        "2026-W48.html",
        "2026-W48.md",
    ]
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    os.utime(folder / "2026-W48.md", ns=(1, 1))
    second = run(runner, root, "weekly", "--week", "2026-W48")
    assert second.exit_code == 0
    assert second.stdout.startswith("内容未变：reports/2026-W48.md、")
    assert (folder / "2026-W48.md").stat().st_mtime_ns == 1  # not rewritten
    assert {p.name for p in folder.iterdir()} == set(stamps)  # no temporary file left


def test_format_and_out(runner: CliRunner, root: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    result = run(
        runner, root, "monthly", "--month", "2026-11", "--format", "html", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["2026-11.html"]
    assert not (root / "reports").exists()


def test_stdout_prints_the_markdown_and_writes_nothing(runner: CliRunner, root: Path) -> None:
    result = run(runner, root, "quarterly", "--quarter", "2026-Q4", "--stdout")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "附件\n\n# 大井镇安全生产治本攻坚三年行动工作季报（2026年第四季度）\n"
    )
    assert result.stdout == (FIXTURE / "golden" / "2026-Q4.md").read_text(encoding="utf-8")
    assert not (root / "reports").exists()


def test_json_is_the_view_model(runner: CliRunner, root: Path) -> None:
    result = run(runner, root, "weekly", "--week", "2026-W48", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1 and doc["as_of"] == "2026-11-29"
    assert doc["period"]["name"] == "2026-W48"
    assert doc["figures"]["found"]["total"] == 4
    assert doc["overview"]["hazards"]["total"] == 14
    assert not (root / "reports").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["weekly", "--week", "2026-W54"], "--week：2026 年没有第 54 周（该年共 53 周）"),
        (["weekly", "--week", "2025-W53"], "--week：2025 年没有第 53 周（该年共 52 周）"),
        (["weekly", "--week", "2026-48"], "--week：“2026-48”不是这一类报告期：请写成 2026-W48"),
        (["monthly", "--month", "2026-13"], "--month：没有 13 月（一年只有 12 个月）"),
        (["monthly", "--month", "2026-W48"], "--month：“2026-W48”不是这一类报告期：请写成 2026-11"),
        (
            ["weekly", "--week", "2026-W48", "--as-of", "2026-11-30"],
            "--week 与 --as-of 只能给出一个",
        ),
        (
            ["weekly", "--format", "doc"],
            "--format：“doc”不是报告格式：请用 md、html、docx 或 pdf",
        ),
        (["weekly", "--as-of", "2026-02-30"], "不是实际存在的日期"),
    ],
)
def test_usage_errors(runner: CliRunner, root: Path, args: list[str], message: str) -> None:
    result = run(runner, root, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not (root / "reports").exists()


def test_out_must_be_a_folder(runner: CliRunner, root: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run(runner, root, "weekly", "--week", "2026-W48", "--out", str(tmp_path / "file"))
    assert result.exit_code == 2


def test_a_broken_plan_template_is_a_located_problem(runner: CliRunner, root: Path) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "weekly.html.j2").write_text(
        '{% extends "builtin/weekly.html.j2" %}\n{% block units %}{{ nothing }}{% endblock %}\n',
        encoding="utf-8",
    )
    result = run(runner, root, "weekly", "--week", "2026-W48")
    assert result.exit_code == 1
    assert "templates/weekly.html.j2:2：报告模板无法使用：'nothing' is undefined" in result.stderr
    assert "internal error" not in result.stderr
    assert not (root / "reports" / "2026-W48.html").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{% extends "builtin/weekly.md.j2" %}\n{% block units %}{{ 1 / 0 }}{% endblock %}\n',
            "templates/weekly.md.j2:2：报告模板无法使用：division by zero",
        ),
        (
            '{% extends "builtin/weekly.md.j2" %}\n{% block units %}{{ "x" + 1 }}{% endblock %}\n',
            "templates/weekly.md.j2:2：报告模板无法使用：",
        ),
        ("安全".encode("gbk").decode("latin-1"), "templates/weekly.md.j2：报告模板无法使用："),
    ],
)
def test_a_plan_template_that_fails_while_running_is_its_mistake_not_a_crash(
    runner: CliRunner, root: Path, text: str, message: str
) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "weekly.md.j2").write_bytes(text.encode("latin-1"))
    result = run(runner, root, "weekly", "--week", "2026-W48", "--stdout")
    assert result.exit_code == 1, result.stderr
    assert message in result.stderr
    assert "internal error" not in result.stderr


def test_templates_lists_and_copies_the_builtins(runner: CliRunner, root: Path) -> None:
    listed = run(runner, root, "templates")
    assert listed.exit_code == 0
    assert "weekly.md.j2\n" in listed.stdout and "report.css\n" in listed.stdout
    copied = run(runner, root, "templates", "--copy")
    assert copied.exit_code == 0, copied.output
    assert (root / "templates" / "weekly.md.j2").is_file()
    mine = root / "templates" / "report.css"
    mine.write_text("body { color: #000; }\n", encoding="utf-8")
    again = run(runner, root, "templates", "--copy")
    assert "已存在，保留不动：templates/" in again.stdout
    assert mine.read_text(encoding="utf-8") == "body { color: #000; }\n"
    listed = run(runner, root, "templates")
    assert "report.css  （已由 templates/report.css 覆盖）" in listed.stdout
    # Copied templates give the built-in report (but for the style sheet, changed above).
    result = run(runner, root, "weekly", "--week", "2026-W48", "--format", "md")
    assert result.exit_code == 0, result.output
    golden = (FIXTURE / "golden" / "2026-W48.md").read_bytes()
    assert (root / "reports" / "2026-W48.md").read_bytes() == golden


def _git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_footer_names_the_datas_git_commit(runner: CliRunner, root: Path) -> None:
    _git(root, "init", "-q")
    _git(root, "add", "plan", "data")
    _git(root, "commit", "-q", "-m", "data")
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()
    run(runner, root, "weekly", "--week", "2026-W48", "--format", "md")
    md = (root / "reports" / "2026-W48.md").read_text(encoding="utf-8")
    assert md.rstrip().endswith(f"数据版本 {head[:12]}")
    # Committing the report itself does not change the data's commit: the same bytes.
    _git(root, "add", "reports")
    _git(root, "commit", "-q", "-m", "report")
    again = run(runner, root, "weekly", "--week", "2026-W48", "--format", "md")
    assert again.stdout.startswith("内容未变")
    hazard = root / "data" / "hazards" / "HZ-20251015-C5D6.yaml"
    hazard.write_text(hazard.read_text(encoding="utf-8") + "# checked\n", encoding="utf-8")
    run(runner, root, "weekly", "--week", "2026-W48", "--format", "md")
    md = (root / "reports" / "2026-W48.md").read_text(encoding="utf-8")
    assert md.rstrip().endswith(f"数据版本 {head[:12]}（另有未提交的修改）")


@pytest.mark.parametrize(
    ("args", "name", "echo"),
    [
        (
            ["monthly", "--month", "2026年11月"],
            "2026-11",
            "报告期：2026-11（2026-11-01 至 2026-11-30）",
        ),
        (
            ["weekly", "--week", "第48周"],
            "2026-W48",
            "报告期：2026-W48（2026-11-23 至 2026-11-29）",
        ),
        (["weekly", "--week", "48"], "2026-W48", "报告期：2026-W48"),
        (
            ["quarterly", "--quarter", "四季度"],
            "2026-Q4",
            "报告期：2026-Q4（2026-10-01 至 2026-12-31）",
        ),
        (["quarterly", "--quarter", "2026年第四季度"], "2026-Q4", "报告期：2026-Q4"),
    ],
)
def test_periods_typed_as_officers_type_them_and_the_period_read_is_echoed(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    name: str,
    echo: str,
) -> None:
    root = plan_copy(tmp_path)
    today(monkeypatch, "2026-12-07")  # "this year" is 2026
    result = run(runner, root, *args, "--json")
    assert json.loads(result.stdout)["period"]["name"] == name
    assert echo in result.stderr


def test_the_period_read_is_echoed_in_english(runner: CliRunner, root: Path) -> None:
    result = run(runner, root, "monthly", "--month", "2026年11月", "--stdout", "--lang", "en")
    assert "period: 2026-11 (2026-11-01 to 2026-11-30)" in result.stderr


def test_templates_are_compiled_once_into_the_users_cache(
    runner: CliRunner, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second run loads the compiled templates (from $XDG_CACHE_HOME/safeplan, never the
    plan); a damaged cache file, no home folder or --no-cache give the same report."""
    from jinja2 import Environment

    cache_home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    compiled: list[str] = []
    real = Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        compiled.append(str(name))
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(Environment, "compile", counting)
    args = ("quarterly", "--quarter", "2026-Q4", "--stdout")
    expected = (FIXTURE / "golden" / "2026-Q4.md").read_text(encoding="utf-8")
    assert run(runner, root, *args).stdout == expected
    assert compiled
    files = sorted((cache_home / "safeplan").rglob("*.cache"))
    assert files
    assert not list(root.rglob("*.cache"))  # nothing compiled is kept in the plan
    compiled.clear()
    assert run(runner, root, *args).stdout == expected
    assert compiled == []  # loaded, not compiled
    for f in files:
        f.write_bytes(b"\x00 not bytecode")
    assert run(runner, root, *args).stdout == expected
    assert compiled  # compiled again, and the report the same
    compiled.clear()
    monkeypatch.setenv("SAFEPLAN_NO_CACHE", "1")
    assert run(runner, root, *args).stdout == expected
    assert compiled
    monkeypatch.delenv("SAFEPLAN_NO_CACHE")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "")
    compiled.clear()
    assert run(runner, root, *args).stdout == expected
    assert compiled
