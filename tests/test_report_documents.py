"""Word and PDF reports laid out as 公文 attachments: the fixture plan's week, month and
quarter, compared with golden outlines of their text and structure (python-docx for the
.docx, pdftotext for the PDF); the same bytes for the same data; the plan's ``report:``
section in the 填报 line; hostile record text; a missing library; LibreOffice opens the .docx.

Golden outlines are rewritten only on purpose (SAFEPLAN_UPDATE_GOLDENS=1), then read.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app, session

FIXTURE = Path(__file__).parent / "data" / "report"
GOLDEN = FIXTURE / "golden"
CASES = [
    ("weekly", "--week", "2026-W48"),
    ("monthly", "--month", "2026-11"),
    ("quarterly", "--quarter", "2026-Q4"),
]
TITLES = {
    "2026-W48": "大井镇安全生产治本攻坚三年行动工作周报（2026年第48周）",
    "2026-11": "大井镇安全生产治本攻坚三年行动工作月报（2026年11月）",
    "2026-Q4": "大井镇安全生产治本攻坚三年行动工作季报（2026年第四季度）",
}
DAYS = {"2026-W48": "2026年11月29日", "2026-11": "2026年11月30日", "2026-Q4": "2026年12月31日"}
#: A task's progress note in the fixture names the tool: the data may, the report may not.
DATA_NAMING_THE_TOOL = "隐患数据库（safeplan）"
FILL = ("填报单位（盖章）", "填报人", "审核人", "联系电话", "填报日期")


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: apt-get install poppler-utils"
    return found


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session, "utc_now", lambda: dt.datetime(2027, 1, 5, 4, tzinfo=dt.UTC))


def plan_copy(tmp_path: Path) -> Path:
    root = tmp_path / "plan"
    for part in ("plan", "data"):
        shutil.copytree(FIXTURE / part, root / part)
    return root


def make(
    runner: CliRunner,
    root: Path,
    case: tuple[str, str, str],
    fmt: str,
    lang: str = "zh",
    exit_code: int = 0,
) -> Path:
    command, option, period = case
    out = root / "out"
    result = runner.invoke(
        app,
        [
            *("report", command, option, period, "--format", fmt, "--lang", lang),
            *("--root", str(root), "--out", str(out)),
        ],
    )
    assert result.exit_code == exit_code, result.output
    return out


def check_golden(name: str, text: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("SAFEPLAN_UPDATE_GOLDENS") == "1":
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"{name}: run `make goldens`, read the diff"


# --------------------------------------------------------------------------- Word


def docx_outline(data: bytes) -> tuple[str, list[str]]:
    """The document as lines: each paragraph with its style, each table row with its cells
    (``H`` for a header row that repeats on every page); and its whole text."""
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    texts: list[str] = []
    body = doc.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            para = docx.text.paragraph.Paragraph(child, doc)
            text = para.text.replace("\n", "⏎")
            picture = " [picture]" if child.findall(".//" + qn("w:drawing")) else ""
            lines.append(f"P {para.style.name if para.style else '-'}: {text}{picture}")
            texts.append(para.text)
        elif child.tag == qn("w:tbl"):
            table = docx.table.Table(child, doc)
            lines.append(f"T {len(table.rows)}x{len(table.columns)}")
            for row in table.rows:
                trpr = row._tr.trPr
                header = trpr is not None and trpr.find(qn("w:tblHeader")) is not None
                whole = trpr is not None and trpr.find(qn("w:cantSplit")) is not None
                cells: list[str] = []
                seen: list[object] = []
                for cell in row.cells:  # a merged cell comes once for each column it spans
                    if seen and cell._tc is seen[-1]:
                        continue
                    seen.append(cell._tc)
                    cells.append(cell.text.replace("\n", "⏎"))
                lines.append(("H| " if header else " | ") + " | ".join(cells))
                texts.extend(cells)
                assert whole, f"a row may be split across pages: {cells}"
    return "\n".join(texts), lines


@pytest.mark.parametrize("case", CASES, ids=[c[2] for c in CASES])
def test_docx_golden(runner: CliRunner, tmp_path: Path, case: tuple[str, str, str]) -> None:
    import docx
    from docx.oxml.ns import qn

    period = case[2]
    out = make(runner, plan_copy(tmp_path), case, "docx")
    assert sorted(p.name for p in out.iterdir()) == [f"{period}.docx"]
    data = (out / f"{period}.docx").read_bytes()
    text, lines = docx_outline(data)
    check_golden(f"{period}.docx.txt", "\n".join(lines) + "\n")

    assert lines[0] == "P Report Attachment: 附件"
    assert lines[1] == f"P Report Title: {TITLES[period]}"
    assert "《" not in lines[1]
    signature = next(line for line in lines if line.startswith("P Report Signature:"))
    assert signature == f"P Report Signature: 大井镇人民政府⏎{DAYS[period]}"
    fill = next(line for line in lines if line.startswith("P Report Fill:"))
    for word in FILL:
        assert word in fill
    assert "填报单位（盖章）：大井镇人民政府" in fill and f"填报日期：{DAYS[period]}" in fill
    # Numbers joined to measure words; no tool named in the printed text.
    assert re.search(r"新发现隐患\d+项", text)
    assert not re.search(r"\d [项天]", text)
    assert "safeplan" not in text.replace(DATA_NAMING_THE_TOOL, "")
    # Every table's first row repeats on each page; a hazard id never breaks.
    doc = docx.Document(io.BytesIO(data))
    assert len(doc.tables) >= 6
    for table in doc.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert doc.element.body.findall(".//" + qn("w:noBreakHyphen"))
    # Charts as pictures.
    assert sum(1 for line in lines if line.endswith("[picture]")) == 3
    # What made it: in the properties, not the text.
    props = doc.core_properties
    assert props.title == TITLES[period]
    assert (
        props.comments.startswith("safeplan ") and "data: not in a git repository" in props.comments
    )
    assert props.author == "大井镇人民政府"
    assert props.created is not None and props.created.date().isoformat() in (
        "2026-11-29",
        "2026-11-30",
        "2026-12-31",
    )
    # A4, the 公文 margins, 第 N 页 共 M 页 at the foot.
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and "第 " in footer
    # One timestamp for every part of the zip.
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_docx_in_english(runner: CliRunner, tmp_path: Path) -> None:
    import docx

    out = make(runner, plan_copy(tmp_path), CASES[0], "docx", lang="en")
    data = (out / "2026-W48.docx").read_bytes()
    _text, lines = docx_outline(data)
    assert lines[0] == "P Report Attachment: Attachment"
    assert lines[1].endswith("weekly work report (Week 48 of 2026)")
    fill = next(line for line in lines if line.startswith("P Report Fill:"))
    assert "Reporting unit (seal): 大井镇人民政府" in fill and "Filled in by: " in fill
    assert "Date filled in: November 29, 2026" in fill
    footer = docx.Document(io.BytesIO(data)).sections[0].footer._element.xml
    assert "Page " in footer and " of " in footer and "第" not in footer


@pytest.mark.slow  # WeasyPrint lays out a PDF: seconds
def test_the_same_data_gives_the_same_documents(runner: CliRunner, tmp_path: Path) -> None:
    """Another folder, another run: the same bytes, Word and PDF alike."""
    case = CASES[0]
    first = make(runner, plan_copy(tmp_path / "a"), case, "docx,pdf")
    second = make(runner, plan_copy(tmp_path / "b"), case, "docx,pdf")
    for name in ("2026-W48.docx", "2026-W48.pdf"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    # A second run in place writes nothing.
    again = runner.invoke(
        app,
        [
            "report",
            "weekly",
            "--week",
            "2026-W48",
            "--format",
            "docx,pdf",
            "--root",
            str(tmp_path / "a" / "plan"),
            "--out",
            str(first),
        ],
    )
    assert again.exit_code == 0 and "内容未变" in again.stdout and "已写入" not in again.stdout


# --------------------------------------------------------------------------- PDF


def pdf_text(path: Path) -> str:
    return subprocess.run(
        [tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.slow  # WeasyPrint lays out a PDF: seconds
@pytest.mark.parametrize("case", CASES, ids=[c[2] for c in CASES])
def test_pdf_golden(runner: CliRunner, tmp_path: Path, case: tuple[str, str, str]) -> None:
    period = case[2]
    out = make(runner, plan_copy(tmp_path), case, "pdf")
    pdf = out / f"{period}.pdf"
    text = pdf_text(pdf)
    check_golden(f"{period}.pdf.txt", text)
    flat = text.replace("\n", "")
    assert text.lstrip().startswith("附件")
    assert TITLES[period] in flat and "《" not in flat.split("）")[0]
    assert f"大井镇人民政府{DAYS[period]}" in flat  # 落款
    for word in FILL:
        assert word in flat
    assert "safeplan" not in flat.replace(DATA_NAMING_THE_TOOL, "")
    assert "HZ-20261008-G9H1" in text  # one line, never broken
    info = subprocess.run(
        [tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])  # type: ignore[index]
    numbers = [int(n) for n in re.findall(r"第\s*(\d+)\s*页\s*共\s*\d+\s*页", text)]
    assert numbers == list(range(1, pages + 1))
    assert re.search(r"^Creator:\s+safeplan ", info, re.M)
    assert re.search(r"^Title:\s+" + re.escape(TITLES[period]), info, re.M)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M)
    fonts = subprocess.run(
        [tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(" yes yes " in line for line in fonts), fonts  # embedded, subset
    assert any("CJK" in line for line in fonts)


# --------------------------------------------------------------------------- the report: section


@pytest.mark.slow  # WeasyPrint lays out a PDF: seconds
def test_the_plans_report_section_fills_the_line(runner: CliRunner, tmp_path: Path) -> None:
    root = plan_copy(tmp_path)
    plan = root / "plan" / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8")
        + "\nreport:\n  issuing_unit: 大井镇安监站\n  filled_by: 张三\n  reviewer: 李四\n"
        "  phone: 0476-1234567\n",
        encoding="utf-8",
    )
    out = make(runner, root, CASES[0], "docx,pdf,md")
    _text, lines = docx_outline((out / "2026-W48.docx").read_bytes())
    fill = next(line for line in lines if line.startswith("P Report Fill:"))
    for value in (
        "填报单位（盖章）：大井镇安监站",
        "填报人：张三",
        "审核人：李四",
        "联系电话：0476-1234567",
    ):
        assert value in fill
    assert "P Report Signature: 大井镇安监站⏎2026年11月29日" in lines
    flat = pdf_text(out / "2026-W48.pdf").replace("\n", "")
    assert "填报人：张三" in flat and "联系电话：0476-1234567" in flat
    md = (out / "2026-W48.md").read_text(encoding="utf-8")
    assert "填报人：张三　审核人：李四" in md


def test_a_bad_report_section_is_a_located_error(runner: CliRunner, tmp_path: Path) -> None:
    root = plan_copy(tmp_path)
    plan = root / "plan" / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8") + "\nreport:\n  filled_by: ''\n  signer: 王五\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", "--root", str(root)])
    assert result.exit_code == 1
    assert "plan/plan.yaml:" in result.output and "signer" in result.output
    assert "filled_by" in result.output


# --------------------------------------------------------------------------- odd text, no library


@pytest.mark.slow  # WeasyPrint lays out a PDF: seconds
def test_hostile_text_goes_through_word_and_pdf(runner: CliRunner, tmp_path: Path) -> None:
    from test_report_render import IMG, SCRIPT, hostile

    out = make(runner, hostile(tmp_path), CASES[0], "docx,pdf")
    text, _ = docx_outline((out / "2026-W48.docx").read_bytes())
    assert SCRIPT in text and IMG in text
    assert "<iframe src=//evil.example>" in text  # the issuer, as text
    flat = pdf_text(out / "2026-W48.pdf").replace("\n", "")
    assert "<script>alert(1)</script>" in flat and "<iframe src=//evil.example>" in flat


def test_what_xml_cannot_hold_does_not_break_the_docx(tmp_path: Path) -> None:
    """A plan's own template (or a record read around the checks) with a control character,
    a lone surrogate or CDATA's end: U+FFFD in the .docx, which Word still opens."""
    from safeplan.render.docx import docx_bytes
    from test_report_render import view_of

    view = view_of(plan_copy(tmp_path))
    html = (
        '<html><head><title>t\x01</title><meta name="author" content="a\x0b"></head><body>'
        "<p>a\x0bb \ud800 ]]> &lt;w:p&gt;</p>"
        '<table><thead><tr><th>编号</th></tr></thead><tr><td class="id">HZ-1-\x00</td></tr></table>'
        "</body></html>"
    )
    text, _lines = docx_outline(docx_bytes(view, html, "zh"))
    assert "a\ufffdb \ufffd ]]> <w:p>" in text and "HZ-1-\ufffd" in text


def test_a_missing_library_is_named(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = plan_copy(tmp_path)
    for fmt, module, library in (
        ("pdf", "weasyprint", "WeasyPrint"),
        ("docx", "cairosvg", "CairoSVG"),
    ):
        monkeypatch.setitem(sys.modules, module, None)  # import fails
        result = runner.invoke(
            app,
            [
                "report",
                "weekly",
                "--week",
                "2026-W48",
                "--format",
                f"md,{fmt}",
                "--root",
                str(root),
            ],
        )
        assert result.exit_code == 2, result.output
        assert f"--format {fmt} 需要 {library}" in result.stderr
        assert "pip install 'safeplan[docs]'" in result.stderr
        assert "Traceback" not in result.output
        assert not (root / "reports").exists()  # nothing written, the Markdown neither
        monkeypatch.delitem(sys.modules, module)


# --------------------------------------------------------------------------- LibreOffice


@pytest.mark.slow  # LibreOffice starts
def test_libreoffice_opens_and_prints_the_docx(runner: CliRunner, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice Writer is missing: apt-get install libreoffice-writer-nogui"
    out = make(runner, plan_copy(tmp_path), CASES[2], "docx")
    profile = tmp_path / "profile"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            *("--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf")),
            str(out / "2026-Q4.docx"),
        ],
        capture_output=True,
        timeout=240,
        check=False,
    )
    pdf = tmp_path / "pdf" / "2026-Q4.pdf"
    assert pdf.is_file(), done.stderr.decode("utf-8", "replace")[-2000:]
    flat = pdf_text(pdf).replace("\n", "")
    assert "附件" in flat and TITLES["2026-Q4"] in flat.replace(" ", "")
    assert "填报单位（盖章）" in flat and re.search(r"第\s*1\s*页\s*共\s*\d+\s*页", flat)
