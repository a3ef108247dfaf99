"""Plan texts as they arrive: a Word document (.docx) and GB18030/GBK text import to the same
plan as the UTF-8 text; a file that is neither is refused with what to do, nothing written.

The documents are built here from the shipped Dajing text (``tests/data/plans``): one
paragraph a line, and a variant with the tasks of two actions in table cells (every other
row one cell merged over two columns, which python-docx lists twice in its row; the others
with an empty first cell).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.errors import DataError
from safeplan.importers.plantext.source import number_text, source_of

PLANS = Path(__file__).parent / "data" / "plans"
DAJING = PLANS / "dajing-2024-2026.txt"
WRITTEN = ("plan/plan.yaml", "data/units.yaml", "data/tasks.yaml")


def _lines() -> list[str]:
    return DAJING.read_text(encoding="utf-8").splitlines()


def _docx(path: Path, lines: list[str], table_from: int | None = None) -> Path:
    """A .docx of ``lines``, a paragraph each; from ``table_from`` on (to the end of the
    second action after it), the lines go into the cells of a two-column table."""
    import docx

    document = docx.Document()
    end = len(lines)
    if table_from is not None:
        actions = [i for i, s in enumerate(lines) if s.startswith("（") and i > table_from]
        end = actions[1]
    for s in lines[: table_from if table_from is not None else end]:
        document.add_paragraph(s)
    if table_from is not None:
        rows = lines[table_from:end]
        table = document.add_table(rows=len(rows), cols=2)
        for i, s in enumerate(rows):
            if i % 2 == 0:  # a cell merged over both columns: read once
                cell = table.cell(i, 0).merge(table.cell(i, 1))
                cell.text = s
            else:  # the first cell empty, the line in the second
                table.cell(i, 1).text = s
        for s in lines[end:]:
            document.add_paragraph(s)
    document.save(str(path))
    return path


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TASK_NUMBER = re.compile(r"^(\d+)．")


def _numbered_docx(path: Path, lines: list[str], fmt: str = "decimal") -> Path:
    """A .docx whose task numbers are Word's automatic numbering (``%1．``), not text: the
    paragraphs hold the tasks without their numbers, as a list numbered by Word does."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90"><w:lvl w:ilvl="0">'
            f'<w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1．"/>'
            '</w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(
        parse_xml(f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    for s in lines:
        m = TASK_NUMBER.match(s)
        paragraph = document.add_paragraph(s[m.end() :] if m else s)
        if m:
            p_pr = paragraph._p.get_or_add_pPr()
            p_pr.append(
                parse_xml(
                    f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'
                )
            )
    document.save(str(path))
    return path


def _import(runner: CliRunner, text: Path, root: Path, *extra: str) -> Any:
    return runner.invoke(app, ["import", "text", str(text), "--root", str(root), *extra])


def _written(root: Path) -> dict[str, bytes]:
    return {rel: (root / rel).read_bytes() for rel in WRITTEN}


@pytest.fixture(scope="module")
def from_utf8(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The plan imported from the UTF-8 text: what every other form must give."""
    root = tmp_path_factory.mktemp("utf8") / "plan"
    result = CliRunner().invoke(app, ["import", "text", str(DAJING), "--root", str(root)])
    assert result.exit_code == 1, result.output  # the source's own findings (（八）, title)
    return _written(root)


def test_a_gbk_text_imports_to_the_same_plan_and_says_it_was_gbk(
    tmp_path: Path, runner: CliRunner, from_utf8: dict[str, bytes]
) -> None:
    gbk = tmp_path / "方案-gbk.txt"
    gbk.write_bytes(DAJING.read_text(encoding="utf-8").encode("gbk"))
    root = tmp_path / "plan"
    result = _import(runner, gbk, root, "--lang", "en")
    assert result.exit_code == 1, result.output
    assert f"{gbk} is GB18030 (GBK) text, not UTF-8: it was read as GB18030" in result.output
    assert "read 大井镇安全生产治本攻坚三年行动方案（2024—2026年）: 21 tasks" in result.output
    assert _written(root) == from_utf8
    # plan/source.txt keeps the text as UTF-8: the same bytes as the UTF-8 original.
    assert (root / "plan" / "source.txt").read_bytes() == DAJING.read_bytes()


def test_a_gb18030_text_with_a_character_outside_gbk_is_read(
    tmp_path: Path, runner: CliRunner
) -> None:
    text = (PLANS / "township-basic.txt").read_text(encoding="utf-8")
    text = text.replace("各村", "各村𠀀", 1)  # 𠀀 (CJK Extension B) exists in GB18030 only
    path = tmp_path / "p.txt"
    path.write_bytes(text.encode("gb18030"))
    source = source_of(path.read_bytes(), str(path))
    assert (source.kind, source.text) == ("gb18030", text)


def test_the_gbk_line_is_in_chinese_by_default(tmp_path: Path, runner: CliRunner) -> None:
    gbk = tmp_path / "p.txt"
    gbk.write_bytes((PLANS / "township-basic.txt").read_text(encoding="utf-8").encode("gbk"))
    result = runner.invoke(app, ["init", str(tmp_path / "p"), "--from-text", str(gbk)])
    assert result.exit_code == 0, result.output
    assert f"{gbk} 是 GB18030（GBK）编码的文本" in result.output
    assert (
        (tmp_path / "p" / "plan" / "source.txt")
        .read_text(encoding="utf-8")
        .startswith((PLANS / "township-basic.txt").read_text(encoding="utf-8")[:10])
    )


def test_a_docx_imports_to_the_same_plan_and_says_it_was_a_word_document(
    tmp_path: Path, runner: CliRunner, from_utf8: dict[str, bytes]
) -> None:
    path = _docx(tmp_path / "方案.docx", _lines())
    root = tmp_path / "plan"
    result = _import(runner, path, root, "--lang", "en")
    assert result.exit_code == 1, result.output
    assert f"{path} is a Word document (.docx): its paragraphs" in result.output
    assert _written(root) == from_utf8
    source = (root / "plan" / "source.txt").read_text(encoding="utf-8")
    assert source.splitlines() == [s.rstrip() for s in _lines()]


def test_a_docx_with_the_tasks_in_table_cells_imports_to_the_same_plan(
    tmp_path: Path, runner: CliRunner, from_utf8: dict[str, bytes]
) -> None:
    lines = _lines()
    tasks = next(i for i, s in enumerate(lines) if s.startswith("二、"))
    first_action = next(i for i, s in enumerate(lines) if s.startswith("（一）") and i > tasks)
    path = _docx(tmp_path / "表格.docx", lines, table_from=first_action)
    root = tmp_path / "plan"
    result = _import(runner, path, root, "--lang", "en")
    assert result.exit_code == 1, result.output
    assert "line not read" not in result.output
    assert _written(root) == from_utf8


def test_a_docx_whose_task_numbers_are_words_numbering_imports_to_the_same_plan(
    tmp_path: Path, runner: CliRunner, from_utf8: dict[str, bytes]
) -> None:
    """WPS and Word number lists themselves: the number is not in the paragraph's text, and
    is read as the document shows it."""
    path = _numbered_docx(tmp_path / "自动编号.docx", _lines())
    root = tmp_path / "plan"
    result = _import(runner, path, root, "--lang", "en")
    assert result.exit_code == 1, result.output
    assert "21 tasks in 8 actions" in result.output
    assert _written(root) == from_utf8


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [
        (3, "decimal", "3"),
        (12, "decimalFullWidth", "１２"),
        (11, "chineseCounting", "十一"),
        (21, "chineseCountingThousand", "二十一"),
        (2, "ideographTraditional", "乙"),
        (4, "upperRoman", "IV"),
        (28, "lowerLetter", "bb"),
        (5, "none", ""),
    ],
)
def test_words_number_formats(n: int, fmt: str, shown: str) -> None:
    assert number_text(n, fmt) == shown


def test_a_paragraph_of_a_numbered_style_gets_its_number_and_bullets_none(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("标题")
    for text in ("组织专题学习。", "落实责任制。"):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("要点", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    text = source_of(buffer.getvalue(), "x.docx").text
    assert text == "标题\n1.组织专题学习。\n2.落实责任制。\n要点\n"


def test_init_from_a_docx_writes_the_plan_and_validates(tmp_path: Path, runner: CliRunner) -> None:
    lines = (PLANS / "township-basic.txt").read_text(encoding="utf-8").splitlines()
    path = _docx(tmp_path / "plan.docx", lines)
    result = runner.invoke(app, ["init", str(tmp_path / "p"), "--from-text", str(path)])
    assert result.exit_code == 0, result.output
    assert "是 Word 文档（.docx）" in result.output
    assert runner.invoke(app, ["validate", "--root", str(tmp_path / "p")]).exit_code == 0


def _refused(runner: CliRunner, tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    root = tmp_path / "plan"
    result = _import(runner, path, root, "--lang", "en")
    assert result.exit_code == 1, result.output
    assert f"{path} cannot be read as the plan's text: nothing was written" in result.output
    assert "Traceback" not in result.output
    assert not root.exists()
    return str(result.output)


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Word or WPS document"),
        ("plan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "file is a PDF"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 40, "is damaged"),
        ("big5.txt", "大井鎮安全生產治本攻堅三年行動方案".encode("big5") * 20, "Big5"),
        ("bin.txt", bytes(range(256)) * 4, "file is"),
    ],
)
def test_a_file_that_is_no_plan_text_is_refused_with_what_to_do(
    tmp_path: Path, runner: CliRunner, name: str, data: bytes, said: str
) -> None:
    assert said in _refused(runner, tmp_path, name, data)


def test_a_zip_that_is_no_word_document_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    output = _refused(runner, tmp_path, "book.docx", buffer.getvalue())
    assert "a zip archive but not a Word document (.docx)" in output


def test_a_docx_whose_xml_is_broken_is_refused_without_a_traceback(
    tmp_path: Path, runner: CliRunner
) -> None:
    good = _docx(tmp_path / "good.docx", ["标题"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, b"<w:document" if item.filename == "word/document.xml" else data)
    output = _refused(runner, tmp_path, "bad.docx", buffer.getvalue())
    assert "looks like a Word document (.docx) but cannot be read" in output


def test_the_reader_raises_a_data_error_not_an_exception_of_its_library() -> None:
    with pytest.raises(DataError):
        source_of(b"PK\x03\x04garbage", "x.docx")
