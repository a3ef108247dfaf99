"""validate's three formats and its exit codes, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.problems import Problem
from safeplan.render.i18n import translator
from safeplan.render.problems import format_github

BROKEN = """id: HZ-20240101-AAAA
title: 100% 不合格, 见附件
level: major
discovered_on: 2024-01-01
source: inspection
responsible_unit: 安监站
basis: 应急管理部令第10号第三条第（二）项
"""


def _broken(root: Path) -> Path:
    (root / "data" / "hazards" / "HZ-20240101-AAAA.yaml").write_text(BROKEN, encoding="utf-8")
    return root


def test_shipped_plan_is_clean(runner: CliRunner, plan_root: Path) -> None:
    result = runner.invoke(app, ["validate", "--root", str(plan_root), "--lang", "en"])
    assert result.exit_code == 0
    assert result.stdout == "3 files checked: no problems found.\n"


def test_text_format_lists_every_problem_then_a_summary(runner: CliRunner, plan_root: Path) -> None:
    result = runner.invoke(app, ["validate", "--root", str(_broken(plan_root)), "--lang", "en"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "data/hazards/HZ-20240101-AAAA.yaml:3:1: major hazard found on 2024-01-01 still has no "
        "rectification plan (五落实) after 7 days: record it with 'safeplan hazard plan "
        "HZ-20240101-AAAA --measures … --funds … --deadline … --plan-person … --contingency …' "
        "(the days allowed are rules.plan_within_days in plan/plan.yaml)",
        "data/hazards/HZ-20240101-AAAA.yaml:6:19: unknown unit '安监站': add it to data/units.yaml "
        "or correct it (closest: 镇安监站)",
        "4 files checked; errors: 2, warnings: 0.",
    ]


def test_chinese_messages(runner: CliRunner, plan_root: Path) -> None:
    result = runner.invoke(app, ["validate", "--root", str(_broken(plan_root)), "--lang", "zh"])
    assert result.exit_code == 1
    assert "未知单位“安监站”" in result.stdout
    assert result.stdout.endswith("已检查 4 个文件：2 个错误，0 个警告。\n")


def test_json_format(runner: CliRunner, plan_root: Path) -> None:
    args = ["validate", "--root", str(_broken(plan_root)), "--format", "json", "--lang", "en"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert {k: doc[k] for k in ("schema_version", "ok", "files_checked", "errors", "warnings")} == {
        "schema_version": 1,
        "ok": False,
        "files_checked": 4,
        "errors": 2,
        "warnings": 0,
    }
    assert doc["problems"][1] == {
        "path": "data/hazards/HZ-20240101-AAAA.yaml",
        "line": 6,
        "column": 19,
        "severity": "error",
        "code": "unknown-unit",
        "message": "unknown unit '安监站': add it to data/units.yaml or correct it (closest: 镇安监站)",
    }


def test_github_format_is_chosen_on_github_actions(runner: CliRunner, plan_root: Path) -> None:
    args = ["validate", "--root", str(_broken(plan_root)), "--lang", "en"]
    result = runner.invoke(app, args, env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "::error file=data/hazards/HZ-20240101-AAAA.yaml,line=3,col=1,title=safeplan no-plan::"
    )
    # the plain list follows, because GitHub shows only ten annotations a step
    assert lines[2].startswith("data/hazards/HZ-20240101-AAAA.yaml:3:1: ")
    assert lines[-1] == "4 files checked; errors: 2, warnings: 0."


def test_github_escaping() -> None:
    from safeplan.render.problems import escape_data, escape_property

    p = Problem("data/a,b:c.yaml", 1, 2, "x", "{m}", {"m": "100% done\r\nnext"})
    first = format_github([p], 1, translator("en")).splitlines()[0]
    # A message never holds a raw line break (so every line of the output names its file):
    # the record's CR LF is shown as text, and the rest is escaped as the toolkit does.
    assert first == (
        "::error file=data/a%2Cb%3Ac.yaml,line=1,col=2,title=safeplan x::100%25 done\\r\\nnext"
    )
    assert escape_data("100% a\r\nb") == "100%25 a%0D%0Ab"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_warnings_alone_exit_0(runner: CliRunner, plan_root: Path) -> None:
    (plan_root / "data" / "hazards" / "notes.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--root", str(plan_root), "--lang", "en"])
    assert result.exit_code == 0
    assert "warning: not a YAML file" in result.stdout


def test_usage_errors_exit_2(runner: CliRunner, plan_root: Path, tmp_path: Path) -> None:
    bad_format = runner.invoke(app, ["validate", "--root", str(plan_root), "--format", "xml"])
    assert bad_format.exit_code == 2
    no_plan = runner.invoke(app, ["validate", "--root", str(tmp_path), "--lang", "en"])
    assert no_plan.exit_code == 2
    assert "is not a plan root" in no_plan.stderr


def _marked(plan_root: Path) -> Path:
    """A plan root that tells itself apart from the repository's own (where pytest runs)."""
    (plan_root / "data" / "hazards" / "notes.txt").write_text("x", encoding="utf-8")
    return plan_root


def test_plan_root_found_from_a_subfolder(
    runner: CliRunner, plan_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_marked(plan_root) / "data" / "hazards")
    result = runner.invoke(app, ["validate", "--lang", "en"])
    assert result.exit_code == 0
    assert "data/hazards/notes.txt:1:1: warning" in result.stdout


def test_root_and_language_from_the_environment(
    runner: CliRunner, plan_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no plan here or above: only SAFEPLAN_ROOT can find it
    env = {"SAFEPLAN_ROOT": str(_marked(plan_root)), "SAFEPLAN_LANG": "en"}
    result = runner.invoke(app, ["validate"], env=env)
    assert result.exit_code == 0
    assert "warning: not a YAML file" in result.stdout  # English, from SAFEPLAN_LANG
    chinese = runner.invoke(app, ["validate"], env={**env, "SAFEPLAN_LANG": "zh"})
    assert "警告：不是 YAML 文件" in chinese.stdout
    no_root = runner.invoke(app, ["validate", "--lang", "en"])
    assert no_root.exit_code == 2
    assert "no plan found" in no_root.stderr


def test_today_is_the_plans_today_not_the_machines(
    runner: CliRunner, plan_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 20:00 UTC on 28 November (CI's clock) it is already 29 November in Asia/Shanghai."""
    import datetime as dt

    from safeplan.cli import session as common

    evening = dt.datetime(2026, 11, 28, 20, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(common, "utc_now", lambda: evening)
    result = runner.invoke(app, ["status", "--json", "--root", str(plan_root)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["as_of"] == "2026-11-29"
    morning = dt.datetime(2026, 11, 28, 15, 59, tzinfo=dt.UTC)  # 23:59 in Shanghai
    monkeypatch.setattr(common, "utc_now", lambda: morning)
    result = runner.invoke(app, ["status", "--json", "--root", str(plan_root)])
    assert json.loads(result.stdout)["as_of"] == "2026-11-28"
