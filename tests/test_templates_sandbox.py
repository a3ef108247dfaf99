"""Report templates run in Jinja's sandbox (issue 18, item 2): a plan's template that reaches
for Python's internals is a located error, runs nothing, and ``validate`` names it first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.render.report import environment
from safeplan.render.templates import check_templates

HOSTILE = Path(__file__).parent / "data" / "hostile-templates"
CASES = sorted(p.name for p in HOSTILE.glob("*.j2"))


def _plant(root: Path, case: str) -> Path:
    folder = root / "templates"
    folder.mkdir(exist_ok=True)
    shutil.copyfile(HOSTILE / case, folder / "weekly.md.j2")
    return folder / "weekly.md.j2"


def test_the_corpus_has_the_known_escapes() -> None:
    assert {"cycler-globals.md.j2", "str-subclasses.md.j2", "lipsum-globals.md.j2"} <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_report_refuses_a_hostile_template_at_its_line_and_runs_nothing(
    runner: CliRunner, plan_root: Path, case: str
) -> None:
    _plant(plan_root, case)
    result = runner.invoke(
        app,
        [
            "report",
            "weekly",
            "--root",
            str(plan_root),
            "--week",
            "2024-W48",
            "--stdout",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 1, result.output
    assert "templates/weekly.md.j2:2: the report template cannot be used" in result.output
    assert "unsafe" in result.output
    assert "Traceback" not in result.output
    assert not Path("PWNED").exists()  # the working folder is the test's own empty one


@pytest.mark.parametrize("case", CASES)
def test_validate_names_a_hostile_template(runner: CliRunner, plan_root: Path, case: str) -> None:
    _plant(plan_root, case)
    result = runner.invoke(app, ["validate", "--root", str(plan_root), "--lang", "en"])
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("templates/weekly.md.j2:2:1: the report template reaches for '_")
    assert len(result.stdout.splitlines()) == 2  # one line a place, then the summary
    assert not Path("PWNED").exists()


def test_validate_names_a_template_that_does_not_compile(
    runner: CliRunner, plan_root: Path
) -> None:
    (plan_root / "templates").mkdir()
    (plan_root / "templates" / "monthly.md.j2").write_text("# x\n{% if %}\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--root", str(plan_root), "--lang", "en"])
    assert result.exit_code == 1
    assert result.stdout.startswith("templates/monthly.md.j2:2:1: the report template cannot be")


def test_the_builtin_templates_pass_the_check(tmp_path: Path) -> None:
    from safeplan.render.report import BUILTIN_DIR

    problems, count = check_templates(BUILTIN_DIR)
    assert count >= 6
    assert problems == []


def test_a_plan_without_templates_has_nothing_to_check(tmp_path: Path) -> None:
    assert check_templates(tmp_path / "templates") == ([], 0)


def test_every_environment_is_the_immutable_sandbox() -> None:
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    for fmt in ("md", "html"):
        env = environment(fmt, "zh")  # type: ignore[arg-type]
        assert isinstance(env, ImmutableSandboxedEnvironment)
        with pytest.raises(SecurityError):
            env.from_string("{% set x = [1] %}{{ x.append(2) }}").render()
        assert env.from_string("{{ label('level', 'major') }}").render() == "重大"
