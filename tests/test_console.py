"""The console's blocks: CJK widths, Chinese typesetting, columns that fit or stack, clean lines."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console

from safeplan.render.grid import Col, Fields, Grid, Text, Words, fold
from safeplan.render.wrap import wrap


def _render(grid: Grid, width: int) -> list[str]:
    """Through rich, as ``console.print(block)`` would show it."""
    console = Console(file=io.StringIO(), width=width, highlight=False, color_system=None)
    console.print(grid)
    return console.file.getvalue().splitlines()  # type: ignore[attr-defined]


def _lines(block: Grid | Fields | Text, width: int | None) -> list[str]:
    return ["".join(text for _, text in line) for line in block.lines(width)]


def _overdue_grid() -> Grid:
    grid = Grid(
        Col("编号", "right", head=True),
        Col("隐患", flex=1, min_width=4),
        Col("状态", head=True),
        title="逾期隐患",
    )
    grid.add_row("7", "井下主排水泵房排水能力不足。", [[("", "待整改")], [("red", "逾期 3 天")]])
    grid.add_row("12", "[bold]短[/bold]", "已销号")
    return grid


def test_grid_folds_the_flexible_column_and_keeps_others_whole() -> None:
    lines = _render(_overdue_grid(), 30)
    # 30 cells: 编号 4 + 状态 9 (逾期 3 天) + two gaps of 3 leave 11 for the title column;
    # a CJK character is two cells, so a line holds five of them; a Latin word is not cut.
    assert lines == [
        "逾期隐患",
        "编号   隐患          状态",
        "─" * 30,
        "   7   井下主排水    待整改",
        "       泵房排水能    逾期 3 天",
        "       力不足。",
        "  12   [bold]短      已销号",
        "       [/bold]",
    ]
    assert all(cell_len(line) <= 30 for line in lines)
    assert all(line == line.rstrip() for line in lines)


def _hazard_grid() -> Grid:
    grid = Grid(
        Col("隐患编号", head=True),
        Col("隐患名称", flex=1, min_width=12),
        Col("责任单位"),
        Col("整改时限"),
        Col("状态", head=True),
    )
    grid.add_row(
        "HZ-20241102-Q3TF",
        "出租屋电动自行车违规充电，疏散通道被占用",
        "镇综合执法局",
        "2024-12-15",
        [[("", "待整改")], [("bold red", "逾期 17 天")]],
    )
    return grid


def test_grid_stacks_its_rows_when_the_columns_cannot_fit() -> None:
    """Below what the fixed columns and the least title need, no column is dropped or
    cut: each row becomes a record, its head columns first, the others labelled."""
    assert _lines(_hazard_grid(), 44) == [
        "HZ-20241102-Q3TF  待整改  逾期 17 天",
        "  隐患名称  出租屋电动自行车违规充电，疏散通",
        "            道被占用",
        "  责任单位  镇综合执法局",
        "  整改时限  2024-12-15",
    ]
    # narrower still, each value goes under its label
    assert _lines(_overdue_grid(), 16) == [
        "逾期隐患",
        "7  待整改",
        "逾期 3 天",
        "  隐患",
        "    井下主排水泵",
        "    房排水能力不",
        "    足。",
        "12  已销号",
        "  隐患",
        "    [bold]短",
        "    [/bold]",
    ]
    # wide enough, the same rows are a table
    assert _lines(_hazard_grid(), 80)[0].startswith("隐患编号")


def test_grid_uses_natural_widths_when_there_is_room_and_when_unbounded() -> None:
    grid = Grid(Col("a"), Col("隐患", flex=1))
    grid.add_row("x", "短")
    assert _render(grid, 80) == ["a   隐患", "────────", "x   短"]
    long = Grid(Col("a"), Col("隐患", flex=1))
    long.add_row("x", "井下主排水泵房排水能力不足" * 8)
    assert len(_lines(long, None)) == 3  # not folded at all
    assert len(_lines(long, 80)) > 3


def test_a_narrower_gap_then_two_line_headers_before_stacking() -> None:
    grid = Grid(Col("隐患编号"), Col("隐患等级"), Col("隐患名称", flex=1, min_width=8))
    grid.add_row("HZ-20240315-A7K2", "重大", "井下主排水泵房排水能力不足")
    wide = _lines(grid, 60)
    assert wide[0] == "隐患编号           隐患等级   隐患名称"  # gap 3, headers whole
    narrow = _lines(grid, 34)
    assert narrow[:2] == ["隐患编号          隐患  隐患名称", "                  等级"]
    assert all(cell_len(line) <= 34 for line in narrow)
    assert "HZ-20240315-A7K2" in narrow[3]


def test_a_flexible_column_is_never_narrower_than_its_widest_word() -> None:
    grid = Grid(Col("目标", flex=1, min_width=4), Col("说明", flex=1, min_width=4))
    grid.add_row("2024年底前基本消除存量", "存在风险：HZ-20230910-K8WE、HZ-20241102-Q3TF")
    lines = _lines(grid, 40)
    assert any("HZ-20230910-K8WE" in line for line in lines)
    assert any("HZ-20241102-Q3TF" in line for line in lines)
    assert all(cell_len(line) <= 40 for line in lines)


def test_units_break_between_names_never_inside_one() -> None:
    grid = Grid(Col("编号"), Col("责任单位", flex=1, min_width=4))
    units = ["镇安监站", "镇综合执法局", "市场监管所"]
    grid.add_row("16", [Words([[("", u + ("、" if k < 2 else ""))] for k, u in enumerate(units)])])
    lines = _lines(grid, 22)
    assert lines[2:] == ["16     镇安监站、", "       镇综合执法局、", "       市场监管所"]


def test_record_text_is_not_markup_and_cannot_reach_the_terminal() -> None:
    grid = Grid(Col("t", flex=1))
    grid.add_row("[red]x[/red]\x1b[2J")
    assert _render(grid, 40)[-1] == "[red]x[/red]\\x1b[2J"


def test_fields_fold_values_beside_their_labels_and_under_them_when_narrow() -> None:
    fields = Fields(
        [("隐患编号", "HZ-20240315-A7K2"), ("应急预案", "停止受影响采区作业，撤出人员")]
    )
    assert _lines(fields, 28) == [
        "隐患编号  HZ-20240315-A7K2",
        "应急预案  停止受影响采区作",
        "          业，撤出人员",
    ]
    assert _lines(fields, 20) == [
        "隐患编号",
        "  HZ-20240315-A7K2",
        "应急预案",
        "  停止受影响采区作",
        "  业，撤出人员",
    ]


def test_text_keeps_an_item_list_whole_and_trims_line_ends() -> None:
    counts = Words(
        [[("bold", "重点任务（21 项）：")], [("", "逾期 18 · ")], [("", "即将到期 0 · ")]]
    )
    assert _lines(Text(counts), 30) == ["重点任务（21 项）：逾期 18 ·", "即将到期 0 ·"]
    assert _lines(Text("末尾有空格   "), 30) == ["末尾有空格"]


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        # a closing mark never starts a line
        ("完善落实党政领导干部安全生产责任制。", 34, ["完善落实党政领导干部安全生产责任", "制。"]),
        # an opening mark never ends one
        ("组织开展“安全生产月”活动", 10, ["组织开展", "“安全生产", "月”活动"]),
        # a number keeps its measure word; a short label keeps its number
        ("进行中 剩 91 天", 10, ["进行中", "剩 91 天"]),
        ("1 项中已销号 0 项；每季度新增", 16, ["1 项中已销号", "0 项；每季度新增"]),
        ("截至 2024-10-01", 12, ["截至", "2024-10-01"]),
        ("逾期 3 天", 8, ["逾期", "3 天"]),
        # ids, dates and Latin words are not broken unless longer than a line
        ("存在风险：HZ-20230910-K8WE", 20, ["存在风险：", "HZ-20230910-K8WE"]),
        ("overdue 367 days, open", 18, ["overdue 367 days,", "open"]),
        ("2024-Q1：1、2024-Q2：0", 12, ["2024-Q1：1、", "2024-Q2：0"]),
        (
            "evidence/HZ-20240315-A7K2/rectified.pdf",
            20,
            ["evidence/HZ-20240315", "-A7K2/rectified.pdf"],
        ),
        ("", 10, [""]),
    ],
)
def test_fold_typesets_chinese(text: str, width: int, expected: list[str]) -> None:
    assert fold(text, width) == expected
    assert wrap(text, width) == expected


def test_fold_never_starts_a_line_with_a_closing_mark() -> None:
    text = "一二三，四五六。七八九、十（十一）、十二；十三：十四！"
    for width in range(6, 30):
        for line in fold(text, width):
            assert not line.startswith(tuple("，。、；：！）")), (width, line)
            assert not line.endswith("（"), (width, line)
            assert cell_len(line) <= width
