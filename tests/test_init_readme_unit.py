"""The README ``init`` writes shows a command with a unit of THAT plan: the lead unit of its
hazard-database task (else of most tasks), never 镇安监站 for a plan without one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.importers.plantext.plan_text import parse_plan_text
from safeplan.importers.plantext.scaffold import UNIT_PLACEHOLDER, example_unit
from safeplan.yamlio import load_fast

PLANS = Path(__file__).parent / "data" / "plans"
BASIC = PLANS / "township-basic.txt"


def _readme_unit(root: Path) -> str:
    readme = (root / "README.md").read_text(encoding="utf-8")
    m = re.search(r"safeplan hazard new .*--unit (\S+)", readme)
    assert m is not None, readme
    return m.group(1)


def _units(root: Path) -> list[str]:
    data = load_fast((root / "data" / "units.yaml").read_text(encoding="utf-8"))
    return [u["name"] for u in data["units"]]


@pytest.mark.parametrize("case", sorted(p.stem for p in PLANS.glob("*.txt")))
def test_the_example_unit_is_one_of_the_plans_units(case: str) -> None:
    parsed = parse_plan_text((PLANS / f"{case}.txt").read_text(encoding="utf-8"))
    unit = example_unit(parsed)
    assert unit in {u.name for u in parsed.units if u.kind != "group"}


def test_a_county_plan_names_its_own_hazard_unit(tmp_path: Path, runner: CliRunner) -> None:
    root = tmp_path / "county"
    result = runner.invoke(app, ["init", str(root), "--from-text", str(PLANS / "county-plan.txt")])
    assert result.exit_code == 0, result.output
    assert _readme_unit(root) == "县应急管理局"
    assert "镇安监站" not in (root / "README.md").read_text(encoding="utf-8")
    assert _readme_unit(root) in _units(root)


def test_the_lead_of_the_hazard_database_task_is_chosen_over_the_first_station(
    tmp_path: Path, runner: CliRunner
) -> None:
    """Another town: 镇财政所 is its first 站/所, but 镇应急办 leads its hazard database."""
    text = BASIC.read_text(encoding="utf-8")
    text = text.replace("责任单位：镇安监站、镇党政办）", "责任单位：镇财政所、镇党政办）", 1)
    text = text.replace("责任单位：镇党政办、镇安监站）", "责任单位：镇财政所）", 1)
    text = text.replace("责任单位：镇安监站、镇财政所）", "责任单位：镇应急办、镇财政所）", 1)
    text = text.replace("责任单位：镇安监站、镇综合执法局）", "责任单位：镇财政所）", 1)
    assert "镇安监站" not in text
    path = tmp_path / "town.txt"
    path.write_text(text, encoding="utf-8")
    root = tmp_path / "town"
    result = runner.invoke(app, ["init", str(root), "--from-text", str(path)])
    assert result.exit_code == 0, result.output
    assert _readme_unit(root) == "镇应急办"  # not 镇财政所, which leads more tasks
    assert _readme_unit(root) in _units(root)


def test_without_a_hazard_task_the_unit_that_leads_most_tasks(tmp_path: Path) -> None:
    text = BASIC.read_text(encoding="utf-8")
    text = text.replace(
        "建立重大事故隐患台账。全面排查辖区生产经营单位，建立重大事故隐患台账，", ""
    )
    text = text.replace("开展隐患“回头看”。对已整改的重大事故隐患开展复查。", "开展复查。")
    text = text.replace("（二）开展重大事故隐患动态清零行动", "（二）开展复查行动")
    text = text.replace("镇安监站、镇综合执法局", "镇党政办、镇综合执法局")
    text = text.replace("镇安监站、镇财政所", "镇党政办、镇财政所")
    parsed = parse_plan_text(text)
    assert [t.units[0] for t in parsed.tasks] == ["镇安监站", "镇党政办", "镇党政办", "镇党政办"]
    assert example_unit(parsed) == "镇党政办"  # not the first named, 镇安监站


def test_a_plan_to_fill_in_names_a_placeholder(tmp_path: Path, runner: CliRunner) -> None:
    root = tmp_path / "blank"
    result = runner.invoke(app, ["init", str(root), "--name", "某某乡"])
    assert result.exit_code == 0, result.output
    assert _readme_unit(root) == UNIT_PLACEHOLDER == "责任单位"
