"""Finding a hazard by what officers remember (issue 19, item 6): ``hazard list --search``
and its filters, and a name typed where an id is expected (listed with ids, never acted on)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app

FIXTURE = Path(__file__).parent / "data" / "status" / "hazards"
COAL = "HZ-20240315-A7K2"  # 井下主排水泵房排水能力不足, 大井镇某煤矿有限公司, self-check, 煤矿
FUEL = "HZ-20230910-K8WE"  # 加油站卸油区防静电接地失效, 大井镇某加油站, inspection, 危险化学品
BIKE = "HZ-20241102-Q3TF"  # 出租屋电动自行车违规充电, no enterprise, public-report, 镇综合执法局


@pytest.fixture
def root(plan_root: Path) -> Path:
    for src in FIXTURE.glob("*.yaml"):
        shutil.copy(src, plan_root / "data" / "hazards" / src.name)
    return plan_root


def ids(runner: CliRunner, root: Path, *args: str) -> list[str]:
    result = runner.invoke(
        app, ["hazard", "list", *args, "--json", "--as-of", "2026-12-07", "--root", str(root)]
    )
    assert result.exit_code in (0, 1), result.output
    return [row["id"] for row in json.loads(result.stdout)["hazards"]]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--search", "排水"], [COAL]),  # the title
        (["--search", "煤矿"], [COAL]),  # the enterprise
        (["--search", "卸油区"], [FUEL]),  # the location
        (["--search", "涌水量"], [COAL]),  # the description
        (["--search", "整改方案"], [COAL]),  # a note
        (["--search", "大井镇 加油站"], [FUEL]),  # every word, anywhere
        (["--search", "大井镇 出租屋"], []),
        (["--search", "ＢＯＬＤ"], [FUEL]),  # full width, any case
        (["--enterprise", "加油站"], [FUEL]),
        (["--unit", "镇综合执法局"], [BIKE]),
        (["--source", "self-check"], [COAL]),
        (["--source", "举报"], [BIKE]),  # a Chinese word, through vocab
        (["--level", "重大", "--industry", "煤矿"], [COAL]),
        (["--industry", "危险化学品", "--source", "self-check"], []),  # filters combine
        (["--search", "大井镇", "--source", "inspection"], [FUEL]),
    ],
)
def test_search_and_filters_combine(
    runner: CliRunner, root: Path, args: list[str], expected: list[str]
) -> None:
    assert ids(runner, root, *args) == expected


def test_a_source_that_is_no_source_is_refused(runner: CliRunner, root: Path) -> None:
    result = runner.invoke(
        app, ["hazard", "list", "--source", "路过", "--root", str(root), "--lang", "en"]
    )
    assert result.exit_code == 2
    assert "--source: '路过' is not one of" in result.stderr


def test_the_listing_says_when_nothing_matches(runner: CliRunner, root: Path) -> None:
    result = runner.invoke(app, ["hazard", "list", "--search", "深基坑", "--root", str(root)])
    assert result.exit_code in (0, 1)
    assert "没有符合条件的隐患" in result.stdout


def _files(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_one_hazard_named_so_says_which_id_to_use_and_does_nothing(
    runner: CliRunner, root: Path
) -> None:
    before = _files(root)
    result = runner.invoke(
        app, ["hazard", "note", "排水泵房", "已派人核查", "--root", str(root), "--lang", "en"]
    )
    assert result.exit_code == 2
    assert (
        f"'排水泵房' is not a hazard id; one hazard's title, enterprise or location holds it: {COAL}"
        in result.stderr
    )
    assert f"give its id {COAL}" in result.stderr
    assert _files(root) == before  # never acted on a guess


def test_several_hazards_named_so_are_listed_with_their_ids(runner: CliRunner, root: Path) -> None:
    result = runner.invoke(app, ["hazard", "show", "大井镇", "--root", str(root)])
    assert result.exit_code == 2
    assert "“大井镇”不是隐患编号" in result.stderr
    assert f"{FUEL} " in result.stderr and f"{COAL} " in result.stderr
    assert BIKE not in result.stderr


def test_text_matching_no_name_is_still_no_hazard_id(runner: CliRunner, root: Path) -> None:
    result = runner.invoke(app, ["hazard", "show", "深基坑", "--root", str(root), "--lang", "en"])
    assert result.exit_code != 0
    assert "深基坑" in result.stderr and "holds it" not in result.stderr


def test_an_id_is_still_an_id(runner: CliRunner, root: Path) -> None:
    result = runner.invoke(app, ["hazard", "show", "a7k2", "--root", str(root), "--json"])
    assert json.loads(result.stdout)["id"] == COAL
