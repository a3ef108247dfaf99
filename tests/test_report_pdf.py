"""The HTML report printed by a browser: headless Chromium prints it to PDF on A4, and the
PDF holds the title, the hazards and the page numbers.

Needs Debian's ``chromium``, ``fonts-noto-cjk`` and ``poppler-utils`` (``.ci/run``
installs them when missing). Skipped only when no Chromium is installed at all.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "data" / "report" / "golden"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def browser() -> str | None:
    named = os.environ.get("SAFEPLAN_CHROMIUM")
    if named:
        return named
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


pytestmark = [
    pytest.mark.slow,  # Chromium starts for each report
    pytest.mark.skipif(
        browser() is None,
        reason="no Chromium installed (apt-get install chromium fonts-noto-cjk poppler-utils; "
        ".ci/run does this in CI)",
    ),
]


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: apt-get install poppler-utils fontconfig"
    return found


def print_pdf(html: Path, pdf: Path, profile: Path) -> None:
    command = [
        str(browser()),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-pdf-header-footer",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf}",
        html.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, timeout=180, check=False)
    assert pdf.is_file() and pdf.stat().st_size > 0, done.stderr.decode("utf-8", "replace")[-2000:]


@pytest.mark.parametrize("name", ["2026-W48.html", "2026-Q4.html"])
def test_chromium_prints_the_report_on_a4(tmp_path: Path, name: str) -> None:
    html = tmp_path / name
    shutil.copy(GOLDEN / name, html)
    pdf = tmp_path / "report.pdf"
    print_pdf(html, pdf, tmp_path / "profile")

    info = subprocess.run(
        [tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])  # type: ignore[index]
    assert 3 <= pages <= 12, info
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert size is not None and (round(float(size[1])), round(float(size[2]))) == (595, 842)  # A4

    text = subprocess.run(
        [tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    title = (
        "大井镇安全生产治本攻坚三年行动工作周报"
        if "W48" in name
        else "大井镇安全生产治本攻坚三年行动工作季报"
    )
    assert title in text
    assert "HZ-20261008-G9H1" in text
    # Page numbers at the foot, "第 1 页 共 7 页" (pdftotext may drop the spaces).
    numbers = [int(n) for n in re.findall(r"第\s*(\d+)\s*页\s*共\s*\d+\s*页", text)]
    assert numbers == list(range(1, pages + 1)), numbers
    # The fonts the style sheet names for Chinese are there (Chromium embeds them as
    # Type 3 fonts without names, so the PDF cannot say which it used).
    families = subprocess.run(
        [tool("fc-list"), ":lang=zh-cn", "family"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Noto (Serif|Sans) CJK SC|FandolFang|FangSong|SimSun", families), (
        "no Chinese font the report names: apt-get install fonts-noto-cjk"
    )
