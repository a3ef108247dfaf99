"""Golden reports: the fixture plan at a fixed week, month and quarter, in Markdown and HTML.

Made through the command line, as a user makes them. Rewritten only on purpose:
`make goldens` (SAFEPLAN_UPDATE_GOLDENS=1), then read the diff.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app, session

FIXTURE = Path(__file__).parent / "data" / "report"
GOLDEN = FIXTURE / "golden"

#: (command, period option, period, language) → the files a run writes.
CASES = [
    ("weekly", "--week", "2026-W48", "zh"),
    ("monthly", "--month", "2026-11", "zh"),
    ("quarterly", "--quarter", "2026-Q4", "zh"),
    ("weekly", "--week", "2026-W48", "en"),
]


def plan_copy(tmp_path: Path) -> Path:
    root = tmp_path / "plan"
    for part in ("plan", "data"):
        shutil.copytree(FIXTURE / part, root / part)
    return root


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fact of the fixture lies before "today"."""
    monkeypatch.setattr(session, "utc_now", lambda: dt.datetime(2027, 1, 5, 4, tzinfo=dt.UTC))


def make(runner: CliRunner, root: Path, command: str, option: str, period: str, lang: str) -> Path:
    out = root / "out"
    result = runner.invoke(
        app,
        ["report", command, option, period, "--lang", lang, "--root", str(root), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize(("command", "option", "period", "lang"), CASES)
def test_golden_report(
    runner: CliRunner, tmp_path: Path, command: str, option: str, period: str, lang: str
) -> None:
    out = make(runner, plan_copy(tmp_path), command, option, period, lang)
    written = sorted(p.name for p in out.iterdir())
    charts = [f"{period}-{key}.svg" for key in ("monthly", "open", "tasks")]
    assert written == sorted([f"{period}.html", f"{period}.md", *charts])
    suffix = "" if lang == "zh" else f".{lang}"
    # The charts are the same in every kind of report: keep the week's, in Chinese.
    kept = [f"{period}.md", f"{period}.html"] + (charts if command == "weekly" else [])
    for name in kept:
        got = (out / name).read_bytes()
        stem, ext = name.rsplit(".", 1)
        golden = GOLDEN / f"{stem}{suffix}.{ext}"
        if os.environ.get("SAFEPLAN_UPDATE_GOLDENS") == "1":
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(got)
        assert got == golden.read_bytes(), f"{name}: run `make goldens` and read the diff"


def test_the_same_data_gives_the_same_bytes(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another day, another clock, another folder, SOURCE_DATE_EPOCH set or not: the same
    bytes (a finished week's report says nothing of when it was made)."""
    first = make(runner, plan_copy(tmp_path / "a"), "weekly", "--week", "2026-W48", "zh")
    monkeypatch.setattr(session, "utc_now", lambda: dt.datetime(2027, 3, 1, 4, tzinfo=dt.UTC))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    second = make(runner, plan_copy(tmp_path / "b"), "weekly", "--week", "2026-W48", "zh")
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_the_weekly_golden_shows_the_title_as_the_town_writes_it() -> None:
    md = (GOLDEN / "2026-W48.md").read_text(encoding="utf-8")
    # A 公文 attachment: 附件, then the title without 《》, with its period.
    assert md.startswith(
        "附件\n\n# 大井镇安全生产治本攻坚三年行动工作周报（2026年第48周）\n\n"
        "**2026年第48周（11月23日—11月29日）**\n"
    )
    html = (GOLDEN / "2026-W48.html").read_text(encoding="utf-8")
    assert '<p class="attachment">附件</p>' in html
    assert "<h1>大井镇安全生产治本攻坚三年行动工作周报（2026年第48周）</h1>" in html
    assert "《" not in html.split("<h1>")[1].split("</h1>")[0]
    assert "2026年第48周（11月23日—11月29日）" in html
    assert "报告期：2026年第48周（11月23日—11月29日）；截至 2026-11-29；程序版本 " in md
    # A document for the county names no tool in its own words (the data may, as written).
    for name in ("2026-W48.md", "2026-11.md", "2026-Q4.md"):
        own = (GOLDEN / name).read_text(encoding="utf-8").replace("隐患数据库（safeplan）", "")
        assert "safeplan" not in own and "git" not in own, name
    quarterly = (GOLDEN / "2026-Q4.md").read_text(encoding="utf-8")
    assert quarterly.startswith(
        "附件\n\n# 大井镇安全生产治本攻坚三年行动工作季报（2026年第四季度）\n\n**2026年第四季度**\n"
    )
    monthly = (GOLDEN / "2026-11.md").read_text(encoding="utf-8")
    assert monthly.startswith(
        "附件\n\n# 大井镇安全生产治本攻坚三年行动工作月报（2026年11月）\n\n**2026年11月**\n"
    )
