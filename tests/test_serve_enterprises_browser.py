"""``safeplan serve``'s enterprise forms in real Chromium: a principal-led check with a
photo, recorded through the browser at phone width, leaves the same enterprise file and
commit subject as ``safeplan enterprise check`` does."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import enterprise_plan
from safeplan.cli import app as cli_app
from safeplan.cli import session
from test_serve import JPEG, git, make_repo
from test_serve_browser import chromium, serving, submit

pytestmark = pytest.mark.slow

FIREWORKS = "91150425MA0N00011T"  # 大井烟花爆竹批发部


def test_a_check_through_the_browser_writes_what_the_cli_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = make_repo(enterprise_plan(tmp_path / "web"))
    cli = make_repo(enterprise_plan(tmp_path / "cli"))
    photo = tmp_path / "检查照片.jpg"
    photo.write_bytes(JPEG)
    with serving(web) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
        page.goto(url)
        page.get_by_role("link", name="企业清单", exact=True).click()
        page.locator("input[name=search]").fill("烟花")
        page.locator("form.filters button").click()
        page.get_by_role("link", name=FIREWORKS, exact=True).click()
        submit(page, "主要负责人带队检查", photo, led_by="韩花", on="2026-12-02",
               note="检查库房")  # fmt: skip
        assert "韩花" in page.locator("main").inner_text()
    shown = f"data/evidence/{FIREWORKS}/2026-12-02-check-1.jpg"
    assert (web / shown).read_bytes() == JPEG

    monkeypatch.setattr(session, "utc_now", lambda: dt.datetime(2026, 12, 7, 4, tzinfo=dt.UTC))
    (cli / shown).parent.mkdir(parents=True)
    shutil.copy(photo, cli / shown)
    result = CliRunner().invoke(
        cli_app,
        ["enterprise", "check", FIREWORKS, "--led-by", "韩花", "--on", "2026-12-02", "--note",
         "检查库房", "--evidence", shown, "--commit", "--root", str(cli)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rel = f"data/enterprises/{FIREWORKS}.yaml"
    assert (web / rel).read_text("utf-8") == (cli / rel).read_text("utf-8")
    assert git(web, "log", "-1", "--format=%s") == git(cli, "log", "-1", "--format=%s")
    assert git(web, "status", "--porcelain", "--", "data", "plan") == ""
