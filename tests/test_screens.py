"""Every screen at 60, 80, 100 and 120 columns, in both languages, and piped.

Through the CLI (typer's CliRunner), on a plan with hazards in every state: no line
passes the width or ends in a blank, no column is dropped, no id, date, unit name or
number with its measure word is broken, no line starts with a closing mark; piped
output (not a terminal, no COLUMNS) is not folded at all.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from conftest import copy_plan
from safeplan.cli import app
from safeplan.cli.output import message_lines, screen_width, write_screen
from safeplan.render.grid import Col, Grid

HERE = Path(__file__).parent
AS_OF = "2024-12-01"
WIDTHS = (60, 80, 100, 120)
ID = re.compile(r"HZ-[0-9A-Z-]*")
FULL_ID = re.compile(r"HZ-\d{8}-[0-9A-Z]{4}")
CLOSING = tuple("，。、；：？！）」』》〉】”’")  # 「……另有 5 项」 may start with its ellipsis
OPENING = tuple("（「『《〈【“‘")
ANSI = re.compile(r"\x1b\[")

SCREENS = [
    ["status"],
    ["hazard", "list"],
    ["task", "list"],
    ["hazard", "show", "HZ-20240315-A7K2"],
    ["hazard", "show", "HZ-20240801-F5TC"],
    ["hazard", "show", "HZ-20240901-G3NR"],
    ["hazard", "show", "HZ-20240912-W7DQ"],
    ["hazard", "show", "HZ-20240615-R8VB"],
    ["task", "show", "8"],
    ["unit", "list"],
    ["unit", "show", "镇安监站"],
    ["unit", "show", "镇综合执法局"],
]


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is the as-of day: a major hazard found four days ago may still lack its 五落实."""
    from safeplan.cli import session

    noon = dt.datetime(2024, 12, 1, 4, tzinfo=dt.UTC)
    monkeypatch.setattr(session, "utc_now", lambda: noon)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture plan with the status fixtures and a hazard in every state: failed
    acceptance, extended, withdrawn, rectified late, without its 五落实, long titles."""
    root = copy_plan(tmp_path_factory.mktemp("screens") / "plan-root")
    for folder in (HERE / "data" / "status" / "hazards", HERE / "data" / "golden" / "states"):
        for src in folder.glob("*.yaml"):
            shutil.copy(src, root / "data" / "hazards" / src.name)
    return root


def run(root: Path, args: list[str], lang: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(
        app, [*args, "--root", str(root), "--as-of", AS_OF, "--lang", lang], env=env or {}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def _segments(line: str) -> list[str]:
    """What one line shows in each column (columns are two or more blanks apart)."""
    return [s for s in re.split(r" {2,}", line.strip()) if s]


def _json(root: Path, args: list[str]) -> Any:
    return json.loads(run(root, [*args, "--json"], "en"))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("args", SCREENS, ids=" ".join)
def test_every_screen_fits_and_is_typeset(
    root: Path, args: list[str], lang: str, width: int
) -> None:
    out = run(root, args, lang, {"COLUMNS": str(width)})
    lines = out.splitlines()
    assert lines
    for line in lines:
        assert cell_len(line) <= width, line
        assert line == line.rstrip(), repr(line)
        for seg in _segments(line):
            assert not seg.startswith(CLOSING), line
            assert not seg.endswith(OPENING), line
        for found in ID.findall(line):
            assert FULL_ID.fullmatch(found.rstrip("-")), line  # an id is never cut
        assert not re.search(r"(^|\s)\d{4}-\d{0,2}$|^\s*-?\d{1,2}-\d{2}\b", line), line  # dates
    assert not ANSI.search(out)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hazard_list_shows_every_field_of_every_hazard_whole(
    root: Path, lang: str, width: int
) -> None:
    out = run(root, ["hazard", "list"], lang, {"COLUMNS": str(width)})
    hazards = _json(root, ["hazard", "list"])["hazards"]
    assert len(hazards) == 9
    lines = out.splitlines()
    for h in hazards:
        assert sum(1 for line in lines if line.startswith(h["id"] + " ")) == 1  # its row
        assert h["deadline"] in out
    for unit in {h["responsible_unit"] for h in hazards}:
        # a unit name is never split: it shows whole once for each of its hazards
        assert out.count(unit) == sum(1 for h in hazards if h["responsible_unit"] == unit)
    if lang == "zh":
        for h in hazards:
            if h["overdue"]:
                assert f"逾期 {h['days_overdue']} 天" in out  # number and measure word together
        for word in ("待重新整改", "已撤销", "已延期", "逾期整改 12 天", "“五落实”不到位"):
            assert word in out
        assert "整改时限" in out and "完成时限" not in out  # a hazard's deadline is 整改时限
    else:
        for word in ("to rectify again", "withdrawn", "extended", "rectified 12 days late"):
            assert word in out


@pytest.mark.parametrize("width", WIDTHS)
def test_task_list_keeps_unit_names_and_days_whole(root: Path, width: int) -> None:
    out = run(root, ["task", "list"], "zh", {"COLUMNS": str(width)})
    tasks = _json(root, ["task", "list"])["tasks"]
    for unit in {u for t in tasks for u in t["units"]}:
        assert out.count(unit) == sum(1 for t in tasks if unit in t["units"]), unit
    for t in tasks:
        if t["status"] == "overdue":
            assert f"逾期 {t['days_overdue']} 天" in out
        if t["status"] in ("open", "due_soon"):
            assert f"剩 {t['days_left']} 天" in out
    assert "即将到期" in out and "临期" not in out


def test_hazard_list_stacks_at_60_columns_and_is_a_table_at_80(root: Path) -> None:
    stacked = run(root, ["hazard", "list"], "zh", {"COLUMNS": "60"}).splitlines()
    assert stacked[:4] == [
        "HZ-20230910-K8WE  重大  待整改  逾期 336 天",
        "  隐患名称  [bold]不是标记[/bold] 加油站卸油区防静电接地失效",
        "  责任单位  镇安监站",
        "  整改时限  2023-12-31",
    ]
    # with a title that holds an id (16 cells, never cut), 80 columns cannot hold a table
    assert run(root, ["hazard", "list"], "zh", {"COLUMNS": "80"}).startswith("HZ-20230910-K8WE")
    table = run(root, ["hazard", "list", "--level", "major"], "zh", {"COLUMNS": "80"})
    lines = table.splitlines()
    assert lines[0].split() == ["隐患编号", "隐患", "隐患名称", "责任单位", "整改时限", "状态"]
    assert lines[1].split() == ["等级"]  # a long header folds before the table stacks
    assert lines[2] == "─" * 80
    assert lines[3].startswith("HZ-20230910-K8WE  重大  [bold]不是标记")


def test_piped_output_is_not_folded(root: Path) -> None:
    """Not a terminal and no COLUMNS: each row on its line, as long as it is (for grep)."""
    out = run(root, ["hazard", "list"], "zh").splitlines()
    long_title = "3号楼（B座）配电室电缆沟未封堵，雨季存在进水短路风险；与HZ-20240315-A7K2同一企业，需列入“4张清单”复查"
    assert any(long_title in line and "HZ-20240615-R8VB" in line for line in out)
    assert max(cell_len(line) for line in out) > 120
    assert all(line == line.rstrip() for line in out)
    status = run(root, ["status"], "zh")
    assert "大井镇安全生产治本攻坚三年行动方案（2024—2026年）  截至 2024-12-01\n" in status
    # COLUMNS set explicitly folds a pipe too
    folded = run(root, ["hazard", "list"], "zh", {"COLUMNS": "80"})
    assert max(cell_len(line) for line in folded.splitlines()) <= 80


def test_show_uses_one_label_for_each_field(root: Path) -> None:
    out = run(root, ["hazard", "show", "HZ-20241102-Q3TF"], "zh", {"COLUMNS": "80"})
    labels = [line.split()[0] for line in out.splitlines() if line and not line.startswith(" ")]
    for label in ("整改时限", "整改责任人", "整改措施", "整改资金", "应急预案", "责任单位"):
        assert labels.count(label) == 1, label
    for word in ("完成时限", "Plan owner", "映射", "布尔值", "reopenings"):
        assert word not in out
    failed = run(root, ["hazard", "show", "HZ-20240801-F5TC"], "zh", {"COLUMNS": "60"})
    assert "验收不合格，待重新整改" in failed
    assert "报警装置未接入切断阀" in failed
    extended = run(root, ["hazard", "show", "HZ-20240901-G3NR"], "zh")
    assert "已延期至 2024-12-31" in extended and "2024-09-30" in extended
    report = run(root, ["hazard", "show", "HZ-20240315-A7K2"], "zh")
    assert "职工大会或职工代表大会" in report and "regulator" not in report


def test_english_screens_read_naturally(root: Path) -> None:
    out = run(root, ["status"], "en", {"COLUMNS": "100"})
    assert "overdue 62 days" in out
    tasks = run(root, ["task", "list"], "en", {"COLUMNS": "100"})
    assert re.search(r"open, \d+ days left", tasks) and "due soon, 30 days left" in tasks
    assert " d left" not in tasks and re.search(r"\d+d\b", out) is None


def test_status_lists_the_hazards_not_counted(root: Path) -> None:
    out = run(root, ["status"], "zh", {"COLUMNS": "60"})
    assert "HZ-20241128-M4PX" in out  # no 五落实 yet
    assert "HZ-20240912-W7DQ" in out  # withdrawn
    assert "待重新整改" in out


# --------------------------------------------------------------------------- the output layer


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise OSError("not a real terminal")


def test_screen_width_follows_columns_then_the_terminal_and_is_unbounded_in_a_pipe() -> None:
    assert screen_width(io.StringIO(), {}) is None
    assert screen_width(io.StringIO(), {"COLUMNS": "72"}) == 72
    assert screen_width(_Tty(), {}) == 80  # a terminal whose size cannot be read
    assert screen_width(_Tty(), {"COLUMNS": "60"}) == 60
    assert screen_width(io.StringIO(), {"COLUMNS": "5"}) == 20  # laid out for at least 20


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    grid = Grid(Col("状态"))
    grid.add_row([[("bold red", "逾期 3 天")]])
    plain = io.StringIO()
    write_screen(grid, {}, out=plain)
    assert plain.getvalue() == "状态\n─────────\n逾期 3 天\n"
    coloured = _Tty()
    write_screen(grid, {"FORCE_COLOR": "1"}, out=coloured)
    assert "\x1b[1;31m逾期 3 天\x1b[0m" in coloured.getvalue()


def test_messages_fold_on_a_terminal_only() -> None:
    text = (
        "safeplan: HZ-20240315-A7K2 已于 2024-07-02 销号：不能挂牌督办；如需继续，请先撤销销号   "
    )
    piped = message_lines(text, io.StringIO(), {"COLUMNS": "30"})
    assert piped == text.rstrip()
    lines = message_lines(text, _Tty(), {"COLUMNS": "30"}).split("\n")
    assert len(lines) > 1 and all(cell_len(line) <= 30 for line in lines)
    assert "HZ-20240315-A7K2" in lines[0] + lines[1]
    assert not any(line.startswith(CLOSING) for line in lines)
