"""``safeplan serve`` in real Chromium (Playwright from PyPI, the system's browser): a major
hazard registered through its forms from 登记 to 销号, with a failed acceptance, an
extension and a photo, leaves the same record and the same git log as the same steps
through the command line; and the command itself starts and serves its first page."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app as cli_app
from safeplan.cli import session
from safeplan.web.app import create_app
from safeplan.web.pages_base import Settings
from test_serve import JPEG, git, make_repo

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TODAY = dt.date(2026, 12, 7)

pytestmark = pytest.mark.slow


@contextlib.contextmanager
def serving(root: Path, lang: str = "zh") -> Iterator[str]:
    """The app on 127.0.0.1 (a free port) in a thread; yields the address with its token."""
    import uvicorn

    settings = Settings(root=root, today=lambda: TODAY, lang=lang)  # type: ignore[arg-type]
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/?token={settings.token}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (.ci/run installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def fill(page, **values: str) -> None:  # type: ignore[no-untyped-def]
    for name, value in values.items():
        field = page.locator(f"form.edit [name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def submit(page, form: str, photo: Path | None = None, **values: str) -> None:  # type: ignore[no-untyped-def]
    """Open a form from the hazard's page, fill it, preview, and save."""
    page.get_by_role("link", name=form, exact=True).click()
    fill(page, **values)
    if photo is not None:
        page.set_input_files("form.edit input[type=file]", str(photo))
    page.locator("form.edit button[name=preview]").click()
    page.wait_for_selector(
        ".preview .change, .error"
    )  # the answer page, however loaded the machine
    assert page.locator(".preview .change").count() == 1, page.locator(".error").all_inner_texts()
    page.locator(".preview button[name=save]").click()
    page.wait_for_selector(".flash")


def test_a_major_hazard_from_registration_to_closure_as_the_cli_does_it(
    plan_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = make_repo(plan_root)
    cli = make_repo(shutil.copytree(plan_root, tmp_path / "cli", ignore=shutil.ignore_patterns(".git")))  # fmt: skip
    photo = tmp_path / "泵房照片.jpg"
    photo.write_bytes(JPEG)
    with serving(web) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
        page.goto(url)
        assert page.locator("h1").inner_text() == "总览"
        page.get_by_role("link", name="登记", exact=True).click()
        fill(page, title="井下主排水泵房排水能力不足", level="major", unit="镇安监站",
             source="inspection", discovered="2026-12-01", enterprise="大井煤矿")  # fmt: skip
        page.locator("form.edit button[name=preview]").click()
        page.locator(".preview button[name=save]").click()
        page.wait_for_selector(".flash")
        hid = re.search(r"/hazards/([^/?]+)", page.url).group(1)  # type: ignore[union-attr]
        submit(page, "五落实", measures="更换排水泵", funds="45万元", deadline="2026-12-20",
               plan_person="张三", contingency="井下透水应急预案", on="2026-12-01")  # fmt: skip
        submit(page, "双报告", regulator="2026-12-02", workers="2026-12-03")
        submit(page, "整改完成", photo, on="2026-12-04", note="更换水泵两台")
        submit(page, "验收", by="县应急局", result="failed", on="2026-12-05", note="排水能力仍不足")
        submit(page, "延期", to="2027-01-15", reason="设备到货晚", approved_by="镇政府", on="2026-12-05")  # fmt: skip
        submit(page, "整改完成", on="2026-12-06")
        submit(page, "验收", by="县应急局", result="passed", on="2026-12-06")
        submit(page, "销号", by="镇安监站站长", on="2026-12-07")
        assert "已销号" in page.locator("main").inner_text()
        page.get_by_role("link", name="修改历史").click()
        assert page.locator("tbody tr").count() == 9
    shown = f"data/evidence/{hid}/2026-12-04-rectify-1.jpg"
    assert (web / shown).read_bytes() == JPEG

    # The same steps through the command line, on a copy of the plan.
    moment = dt.datetime(2026, 12, 7, 4, tzinfo=dt.UTC)
    monkeypatch.setattr(session, "utc_now", lambda: moment)
    (cli / shown).parent.mkdir(parents=True)
    shutil.copy(photo, cli / shown)
    git(cli, "add", shown)
    git(cli, "commit", "-q", "-m", "photo")
    steps = [
        ["hazard", "new", "--id", hid, "--title", "井下主排水泵房排水能力不足", "--level", "major",
         "--unit", "镇安监站", "--source", "inspection", "--discovered", "2026-12-01",
         "--enterprise", "大井煤矿"],
        ["hazard", "plan", hid, "--measures", "更换排水泵", "--funds", "45万元", "--deadline",
         "2026-12-20", "--plan-person", "张三", "--contingency", "井下透水应急预案", "--on", "2026-12-01"],
        ["hazard", "report", hid, "--regulator", "2026-12-02", "--workers", "2026-12-03"],
        ["hazard", "rectify", hid, "--on", "2026-12-04", "--note", "更换水泵两台", "--evidence", shown],
        ["hazard", "accept", hid, "--by", "县应急局", "--result", "failed", "--on", "2026-12-05",
         "--note", "排水能力仍不足"],
        ["hazard", "extend", hid, "--to", "2027-01-15", "--reason", "设备到货晚", "--approved-by",
         "镇政府", "--on", "2026-12-05"],
        ["hazard", "rectify", hid, "--on", "2026-12-06"],
        ["hazard", "accept", hid, "--by", "县应急局", "--result", "passed", "--on", "2026-12-06"],
        ["hazard", "close", hid, "--by", "镇安监站站长", "--on", "2026-12-07"],
    ]  # fmt: skip
    for step in steps:
        result = CliRunner().invoke(cli_app, [*step, "--commit", "--root", str(cli)])
        assert result.exit_code == 0, (step, result.output)
    rel = f"data/hazards/{hid}.yaml"
    assert (web / rel).read_text("utf-8") == (cli / rel).read_text("utf-8")

    def log(root: Path) -> list[str]:
        return [s for s in git(root, "log", "--format=%s", "--", rel).splitlines()]

    assert log(web) == log(cli) and len(log(web)) == 9
    assert git(web, "status", "--porcelain", "--", "data", "plan") == ""


def test_the_command_starts_and_serves_its_first_page(plan_root: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "safeplan", "serve", "--no-browser", "--port", "0", "--root",
         str(plan_root)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", line)
        assert url is not None, (line, proc.stderr.read() if proc.poll() is not None else "")  # type: ignore[union-attr]
        import http.cookiejar

        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        with opener.open(url.group(), timeout=20) as r:
            page = r.read().decode("utf-8")
        assert "总览" in page and "<script" not in page
        port = url.group().split(":")[2].split("/")[0]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/hazards", timeout=20)
        assert refused.value.code == 403
        refused.value.close()
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stdout:
            proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
