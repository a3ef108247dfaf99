"""The plain grid used for long listings: CJK widths, folding, alignment, clean lines."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from safeplan.render.grid import Col, Grid


def _render(grid: Grid, width: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width, highlight=False, color_system=None)
    console.print(grid)
    return console.file.getvalue().splitlines()  # type: ignore[attr-defined]


def test_grid_folds_the_flexible_column_and_keeps_others_whole() -> None:
    grid = Grid(
        Col("编号", "right"), Col("隐患", flex=1, min_width=4), Col("状态"), title="逾期隐患"
    )
    grid.add_row("7", "井下主排水泵房排水能力不足", [("待整改", ""), ("逾期 3 天", "red")])
    grid.add_row("12", Text("[bold]短[/bold]"), "已销号")
    lines = _render(grid, 30)
    # 30 cells: 编号 4 + 状态 9 (逾期 3 天) + two gaps of 3 leave 11 for the title column;
    # a CJK character is two cells, so a line holds five of them.
    assert lines == [
        "逾期隐患",
        "编号   隐患          状态",
        "─" * 30,
        "   7   井下主排水    待整改",
        "       泵房排水能    逾期 3 天",
        "       力不足",
        "  12   [bold]短[/b   已销号",
        "       old]",
    ]
    assert all(cell_len(line) <= 30 for line in lines)
    assert all(line == line.rstrip() for line in lines)


def test_grid_uses_natural_widths_when_there_is_room() -> None:
    grid = Grid(Col("a"), Col("隐患", flex=1))
    grid.add_row("x", "短")
    assert _render(grid, 80) == ["a   隐患", "────────", "x   短"]


def test_record_text_is_not_markup() -> None:
    grid = Grid(Col("t", flex=1))
    grid.add_row("[red]x[/red]")
    assert _render(grid, 40)[-1] == "[red]x[/red]"


def test_fold_keeps_closing_punctuation_off_the_start_of_a_line() -> None:
    from safeplan.render.grid import fold

    # 18 cells a line: a plain cut would start the second line with '。'
    assert fold("完善落实党政领导干部安全生产责任制。", 34) == [
        "完善落实党政领导干部安全生产责任",
        "制。",
    ]
    assert all(
        not line.startswith(("。", "，", "、")) for line in fold("一二三，四五六。七八九、十", 6)
    )
    assert fold("", 10) == [""]
