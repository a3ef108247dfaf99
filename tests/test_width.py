"""The one text width (render/width.py): what a terminal shows, for every renderer."""

from __future__ import annotations

import re

import pytest

from safeplan.render import grid, ledger_widths, wrap
from safeplan.render.grid import Col, Grid
from safeplan.render.width import WIDE, cell_width, graphemes

CASES = [
    ("ASCII", "HZ-2024", 7),
    ("Chinese", "镇安监站", 8),
    ("full-width digits", "１２３", 6),
    ("full-width brackets", "（五落实）", 10),
    ("ideographic space", "甲\u3000乙", 6),
    ("Hangul", "한글", 4),
    ("CJK extension B", "\U00020000", 2),
    ("half-width katakana", "ｶﾀ", 2),
    ("combining acute accent", "e\u0301", 1),
    ("precomposed accent", "é", 1),
    ("zero-width space", "a\u200bb", 2),
    ("zero-width joiner family", "👨\u200d👩\u200d👧", 2),
    ("emoji", "😀", 2),
    ("emoji with variation selector 16", "❤\ufe0f", 2),
    ("text-style heart", "❤", 1),
    ("skin tone modifier", "👍🏽", 2),
    ("flag", "🇨🇳", 2),
    ("byte order mark", "\ufeff", 0),
    ("ambiguous middle dot and ellipsis", "·…", 2),
    ("bell", "\x07", 0),
    ("escape", "a\x1bb", 1),
    ("tab", "a\tb", 2),
    ("delete", "\x7f", 0),
    ("C1 control NEL", "\x85", 0),
    ("empty", "", 0),
]


@pytest.mark.parametrize(
    ("text", "cells"), [(t, n) for _, t, n in CASES], ids=[c[0] for c in CASES]
)
def test_cell_width_of_tricky_text(text: str, cells: int) -> None:
    assert cell_width(text) == cells


def test_every_renderer_counts_with_the_one_width() -> None:
    assert wrap.cell_width is cell_width
    assert grid.cell_width is cell_width
    assert ledger_widths.cell_width is cell_width


def test_a_text_is_as_wide_as_its_graphemes_and_measures_the_same_again() -> None:
    """The folding cuts between graphemes and adds their widths: the sum must be the
    width of the whole, or a cut line would not fit where the grid thinks it does."""
    text = "整改 e\u0301 👨\u200d👩\u200d👧 ❤\ufe0f 🇨🇳"
    assert cell_width(text) == 2 + 2 + 1 + 1 + 1 + 2 + 1 + 2 + 1 + 2
    assert sum(cell_width(text[i:j]) for i, j in graphemes(text)) == cell_width(text)
    assert cell_width(text) == cell_width(text)  # from the kept results


def test_a_line_never_breaks_inside_a_grapheme() -> None:
    accents = "e\u0301" * 12  # one Latin word of 12 cells, cut by characters
    lines = wrap.fold(accents, 5)
    assert lines == ["e\u0301" * 5, "e\u0301" * 5, "e\u0301" * 2]
    family = "👨\u200d👩\u200d👧"
    lines = wrap.fold(family * 4, 5)
    assert "".join(lines) == family * 4
    assert all(line.count(family) * len(family) == len(line) for line in lines)
    assert [cell_width(line) for line in lines] == [4, 4]


def test_a_combining_mark_stays_with_its_chinese_character() -> None:
    text = "整改" * 3 + "\u0301" + "措施" * 3  # an accent after a Chinese character
    for width in range(4, 14):
        for line in wrap.fold(text, width):
            assert not line.startswith("\u0301")
            assert cell_width(line) <= width


def test_graphemes_cover_the_text() -> None:
    text = "ae\u0301b👨\u200d👩\u200d👧c"
    assert list(graphemes(text)) == [(0, 1), (1, 3), (3, 4), (4, 9), (9, 10)]
    assert list(graphemes("abc", 1)) == [(1, 2), (2, 3)]


def test_a_grid_column_is_as_wide_as_the_terminal_shows_its_text() -> None:
    table = Grid(Col("id"), Col("t"), Col("n"))
    table.add_row("a", "e\u0301e\u0301", "1")  # two cells, four code points
    table.add_row("b", "镇", "2")
    lines = ["".join(t for _, t in line) for line in table.lines(None)]
    assert lines[1] == "─" * 11  # id, t as wide as éé and 镇 (2, not 4), n; two gaps of 3
    assert [cell_width(line) for line in lines[2:]] == [11, 11]


def test_the_wide_characters_counted_without_wcwidth_are_two_cells_to_wcwidth() -> None:
    """The fast path for Chinese text must agree with wcwidth, character by character."""

    import wcwidth

    bounds = [ord(c) for c in re.findall(r"[^-]", WIDE)]
    chars = [
        chr(n) for lo, hi in zip(bounds[::2], bounds[1::2], strict=True) for n in range(lo, hi + 1)
    ]
    assert len(chars) > 27_000
    assert [c for c in chars if wcwidth.width(c) != 2] == []
    assert cell_width("".join(chars)) == 2 * len(chars)


def test_chinese_and_ascii_text_is_measured_without_importing_wcwidth() -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from safeplan.render.width import cell_width, graphemes, joins_previous\n"
        "from safeplan.render.wrap import fold\n"
        "assert cell_width('镇安监站（五落实）：逾期 3 天，HZ-2024。') == 40\n"
        "assert cell_width('整改 → 验收 → 销号 … “Café” — ①') == 31\n"
        "fold('整改措施：落实责任单位、资金和期限，ID HZ-20240315-A7K2。' * 3, 20)\n"
        "print('wcwidth' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
