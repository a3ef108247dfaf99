"""The county's report printed: Word (python-docx reads it back) and PDF (pdftotext), laid
out as a town's report is (附件, a title without 《》, the 落款 of the county, a blank 填报
line), and the enterprises' duties per town when a town keeps enterprises."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from test_rollup import enterprise_county

TITLE = "宁城县各乡镇安全生产工作月汇总"


def report(root: Path, fmt: str, *extra: str) -> Path:
    out = root / "out"
    result = CliRunner().invoke(
        app,
        [
            "rollup",
            "report",
            "--period",
            "2026-11",
            "--format",
            fmt,
            "--out",
            str(out),
            "--root",
            str(root),
            *extra,
        ],
        env={},
    )
    assert result.exit_code == 0, result.output
    return out


def test_the_county_html_is_laid_out_as_a_towns_report(tmp_path: Path) -> None:
    root = enterprise_county(tmp_path / "county")
    html = (report(root, "html") / "county-2026-11.html").read_text(encoding="utf-8")
    body = html.split("<body>", 1)[1]
    assert '<p class="attachment">附件</p>' in body
    assert f"<h1>{TITLE}</h1>" in body and "《" not in body.split("</h1>")[0]
    assert (
        '<p class="signature"><span class="unit">宁城县</span><br><span class="date">2026年11月30日'
        in body
    )
    fill = re.search(r'<p class="fill">(.*?)</p>', body)
    assert fill and "填报人" in fill[1]
    assert set(re.findall(r'<span class="value">([^<]*)</span>', fill[1])) == {""}
    assert "safeplan" not in body.lower()  # what made it is in the head only
    assert 'name="description" content="safeplan' in html
    # The enterprises: the town that keeps them, and the one that keeps none.
    assert "五、分乡镇企业义务落实情况" in body
    row = re.search(r'<tr><td class="unit">大井镇</td>(.*?)</tr>', body.split("五、")[1])
    assert row and '<td class="n">10</td>' in row[1] and "0 / 8" in row[1]


def test_the_county_markdown_has_the_enterprises_only_when_a_town_keeps_them(
    tmp_path: Path,
) -> None:
    root = enterprise_county(tmp_path / "county")
    md = (report(root, "md", "--lang", "en") / "county-2026-11.md").read_text(encoding="utf-8")
    assert "## 5\\. Enterprises and their duties, per town" in md
    assert "| 大井镇 | 10 | 4 | 0 / 8 | 0 / 4 | 0 / 8 | 8 | 3 |" in md
    assert "| 甲镇 | — | — | — | — | — | — | — |" in md
    shutil.rmtree(root / "towns" / "ent" / "data" / "enterprises")
    md = (report(root, "md", "--lang", "en", "--force") / "county-2026-11.md").read_text(
        encoding="utf-8"
    )
    assert "Enterprises" not in md


def test_the_county_word_report(tmp_path: Path) -> None:
    import docx

    root = enterprise_county(tmp_path / "county")
    data = (report(root, "docx") / "county-2026-11.docx").read_bytes()
    doc = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    text = "\n".join(paragraphs + cells)
    assert paragraphs[0] == "附件" and paragraphs[1] == TITLE
    assert "大井镇" in cells and "甲镇" in cells
    assert "五、分乡镇企业义务落实情况" in paragraphs
    assert any(p.startswith("宁城县") and "2026年11月30日" in p for p in paragraphs)
    assert any("填报人" in p for p in paragraphs)
    assert "safeplan" not in text.lower()
    assert doc.core_properties.author == "宁城县"
    assert "safeplan" in doc.core_properties.comments


def pdf_text(path: Path) -> str:
    found = shutil.which("pdftotext")
    assert found, "pdftotext is missing: apt-get install poppler-utils"
    done = subprocess.run([found, str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.slow  # WeasyPrint lays out a PDF: seconds
def test_the_county_pdf_report(tmp_path: Path) -> None:
    root = enterprise_county(tmp_path / "county")
    text = pdf_text(report(root, "pdf") / "county-2026-11.pdf")
    assert text.lstrip().startswith("附件")
    assert TITLE in text and "大井镇" in text and "甲镇" in text
    assert "五、分乡镇企业义务落实情况" in text
    assert "宁城县\n2026年11月30日" in text or re.search(r"宁城县\s+2026年11月30日", text)
    assert "填报人" in text
    assert "safeplan" not in text.lower()
    assert "第2页共2页" in text.replace(" ", "")  # the page numbers of the town's report
