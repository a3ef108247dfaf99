"""``safeplan serve``: every page and form through Starlette's TestClient.

The forms call the same edits as the commands (the records and commit subjects equal the
CLI's), refusals show the CLI's message beside the field and write nothing, stale forms
are refused, and the guard holds: no token, a foreign Host, a form without its CSRF
token, a traversing file name, an oversized or disguised upload, and record text that is
HTML are each refused or inert."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from safeplan.cli import app as cli_app
from safeplan.cli import session
from safeplan.web.app import create_app
from safeplan.web.pages_base import Settings
from safeplan.web.security import host_ok
from test_report_render import IMG, SCRIPT

TODAY = dt.date(2026, 12, 7)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MAJOR = {
    "title": "井下主排水泵房排水能力不足",
    "level": "major",
    "unit": "镇安监站",
    "source": "inspection",
    "discovered": "2026-12-01",
    "enterprise": "大井煤矿",
}


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


def make_repo(root: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root


class Browser:
    """A TestClient that opened the address ``safeplan serve`` printed."""

    def __init__(self, root: Path, lang: str = "zh", today: dt.date = TODAY) -> None:
        self.settings = Settings(root=root, today=lambda: today, lang=lang)  # type: ignore[arg-type]
        self.client = TestClient(create_app(self.settings), base_url="http://127.0.0.1:8765")
        opened = self.client.get(f"/?token={self.settings.token}", follow_redirects=False)
        assert opened.status_code == 303 and opened.headers["location"] == "/"
        assert "HttpOnly" in opened.headers["set-cookie"]
        assert "SameSite=Strict" in opened.headers["set-cookie"]

    def get(self, path: str) -> str:
        r = self.client.get(path)
        assert r.status_code == 200, (path, r.status_code, r.text[:500])
        return r.text

    def post(self, path: str, files: list[tuple[str, bytes]] | None = None, **data: str):  # type: ignore[no-untyped-def]
        data.setdefault("csrf", self.settings.csrf)
        sent = [("files", (name, blob, "application/octet-stream")) for name, blob in files or []]
        return self.client.post(path, data=data, files=sent or None, follow_redirects=False)

    def loaded(self, path: str) -> str:
        """The record's hash, as the form carries it."""
        found = re.search(r'name="hash" value="(\w*)"', self.get(path))
        assert found is not None
        return found.group(1)

    def save(self, path: str, files: list[tuple[str, bytes]] | None = None, **data: str) -> str:
        """Preview, then save, as an officer does; the page it goes to after."""
        data.setdefault("hash", self.loaded(path))
        preview = self.post(path, files, step="preview", **data)
        assert preview.status_code == 200, errors(preview.text)
        assert 'class="change"' in preview.text
        pending = re.search(r'name="pending" value="([^"]*)"', preview.text)
        extra = {"pending": pending.group(1)} if pending and pending.group(1) else {}
        saved = self.post(path, step="save", **data, **extra)
        assert saved.status_code == 303, errors(saved.text)
        return str(saved.headers["location"])


def errors(text: str) -> list[str]:
    import html

    return [html.unescape(m) for m in re.findall(r'class="error"[^>]*>(.*?)</p>', text, re.S)]


@pytest.fixture
def repo(plan_root: Path) -> Path:
    return make_repo(plan_root)


@pytest.fixture
def browser(repo: Path) -> Browser:
    return Browser(repo)


def register(b: Browser, **fields: str) -> str:
    where = b.save("/hazards/new", **{**MAJOR, **fields})
    return where.split("/")[2].split("?")[0]


# --------------------------------------------------------------------------- pages


def test_every_page_is_served(browser: Browser, repo: Path) -> None:
    hid = register(browser)
    for path in (
        "/",
        "/hazards",
        "/hazards?state=open&level=major&search=水泵&overdue=1",
        "/hazards/new",
        f"/hazards/{hid}",
        f"/hazards/{hid}/history",
        "/tasks",
        "/tasks/1",
        "/tasks/1/progress",
        "/tasks/1/done",
        "/validate",
        "/reports",
        "/sync",
        "/name",
    ):
        page = browser.get(path)
        assert '<html lang="zh-CN">' in page
    from safeplan.web.forms import HAZARD_VERBS

    for verb in HAZARD_VERBS:
        assert 'name="csrf"' in browser.get(f"/hazards/{hid}/{verb}")
    css = browser.client.get("/static/web.css")
    assert css.headers["content-type"].startswith("text/css")


def test_pages_show_what_the_commands_show(browser: Browser, repo: Path) -> None:
    hid = register(browser)
    listing = browser.get("/hazards")
    assert hid in listing and "井下主排水泵房排水能力不足" in listing and "共 1 项隐患" in listing
    assert hid not in browser.get("/hazards?level=general")
    assert hid in browser.get("/hazards?search=排水+泵房")
    assert hid in browser.get("/hazards?source=inspection&enterprise=大井")
    assert hid not in browser.get("/hazards?source=self-check")
    detail = browser.get(f"/hazards/{hid}")
    assert "大井煤矿" in detail and "重大" in detail
    status = browser.get("/")
    assert "总览" in status
    en = Browser(repo, lang="en")
    assert "Overview" in en.get("/") and "Hazards" in en.get("/hazards")


def test_the_hazard_page_names_the_criterion_its_basis_cites(browser: Browser, repo: Path) -> None:
    """As ``hazard show`` does: both read one hazard through ``views.hazards.hazard_page``
    (the page used to read it without the criteria catalog, and showed no citation)."""
    from test_criteria import hazard

    (repo / "data" / "hazards").mkdir(exist_ok=True)
    hazard(repo, "HZ-20260110-AAAA", "应急管理部令第10号第三条第（二）项")
    page = browser.get("/hazards/HZ-20260110-AAAA")
    assert "应急管理部令第10号 第三条第（二）项《工贸企业重大事故隐患判定标准》" in page
    assert "特种作业人员未持证上岗" in page


def test_a_bad_filter_says_what_the_command_says(browser: Browser) -> None:
    r = browser.client.get("/hazards?state=nonsense")
    assert r.status_code == 400
    assert "--state" in errors(r.text)[0]


def test_an_unknown_hazard_or_form(browser: Browser) -> None:
    assert browser.client.get("/hazards/HZ-20260101-ZZZZ").status_code == 400
    assert browser.client.get("/hazards/..%2F..%2Fetc/rectify").status_code in (400, 404)
    hid = register(browser)
    assert browser.client.get(f"/hazards/{hid}/explode").status_code == 404


# --------------------------------------------------------------------------- the loop


def test_the_closed_loop_through_the_forms_commits_the_cli_subjects(
    browser: Browser, repo: Path
) -> None:
    hid = register(browser)
    base = f"/hazards/{hid}"
    browser.save(
        f"{base}/plan", measures="更换排水泵", funds="45万元", deadline="2026-12-20",
        plan_person="张三", contingency="井下透水应急预案",
    )  # fmt: skip
    browser.save(f"{base}/report", regulator="2026-12-02", workers="2026-12-03")
    browser.save(f"{base}/rectify", [("照片.jpg", JPEG)], on="2026-12-04", note="换泵")
    browser.save(f"{base}/accept", by="县应急局", result="failed", on="2026-12-05")
    browser.save(f"{base}/extend", to="2027-01-15", reason="设备到货晚", approved_by="镇政府", on="2026-12-05")  # fmt: skip
    browser.save(f"{base}/rectify", on="2026-12-06")
    browser.save(f"{base}/accept", by="县应急局", result="passed", on="2026-12-06")
    page = browser.get(browser.save(f"{base}/close", by="镇安监站站长", on="2026-12-07"))
    assert "销号" in page
    subjects = git(repo, "log", "--format=%s").splitlines()[:-1]
    assert subjects == [
        f"隐患 {hid}：销号（审核人 镇安监站站长）",
        f"隐患 {hid}：验收合格（县应急局）",
        f"隐患 {hid}：2026-12-06 整改完成",
        f"隐患 {hid}：延期至 2027-01-15（批准人 镇政府）",
        f"隐患 {hid}：验收不合格（县应急局）",
        f"隐患 {hid}：2026-12-04 整改完成",
        f"隐患 {hid}：记录双报告",
        f"隐患 {hid}：录入“五落实”",
        f"隐患 {hid}：登记 井下主排水泵房排水能力不足",
    ]
    photo = repo / "data" / "evidence" / hid / "2026-12-04-rectify-1.jpg"
    assert photo.read_bytes() == JPEG
    assert f"data/evidence/{hid}/2026-12-04-rectify-1.jpg" in git(repo, "show", "--stat", "HEAD~5")
    assert git(repo, "status", "--porcelain") == ""
    history = browser.get(f"{base}/history")
    assert "验收不合格" in history and "safeplan-tests" in history


def test_a_form_writes_the_record_the_cli_writes(
    browser: Browser, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hid = register(browser, id="")
    cli_root = make_repo(shutil.copytree(repo, tmp_path / "cli", ignore=shutil.ignore_patterns(".git", "evidence")))  # fmt: skip
    moment = dt.datetime(2026, 12, 7, 4, tzinfo=dt.UTC)
    monkeypatch.setattr(session, "utc_now", lambda: moment)
    browser.save(f"/hazards/{hid}/supervise", level="county", by="县安委办", on="2026-12-02")
    result = CliRunner().invoke(
        cli_app,
        ["hazard", "supervise", hid, "--level", "县级", "--by", "县安委办", "--on", "2026-12-02",
         "--commit", "--root", str(cli_root)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rel = f"data/hazards/{hid}.yaml"
    assert (repo / rel).read_bytes() == (cli_root / rel).read_bytes()
    assert git(repo, "log", "-1", "--format=%s") == git(cli_root, "log", "-1", "--format=%s")


# --------------------------------------------------------------------------- refusals


def test_a_refusal_shows_the_cli_message_and_writes_nothing(browser: Browser, repo: Path) -> None:
    hid = register(browser)
    before = (repo / "data" / "hazards" / f"{hid}.yaml").read_bytes()
    head = git(repo, "rev-parse", "HEAD")
    path = f"/hazards/{hid}/close"
    r = browser.post(path, step="save", hash=browser.loaded(path), by="站长", on="2026-12-07")
    assert r.status_code == 400
    shown = errors(r.text)
    assert shown and "销号" in shown[0]
    assert (repo / "data" / "hazards" / f"{hid}.yaml").read_bytes() == before
    assert git(repo, "rev-parse", "HEAD") == head


def test_a_refusal_naming_an_option_is_shown_beside_its_field(browser: Browser) -> None:
    hid = register(browser)
    path = f"/hazards/{hid}/rectify"
    r = browser.post(path, step="preview", hash=browser.loaded(path), on="2042-01-01")
    assert r.status_code == 400
    assert re.search(r'id="e-on">[^<]*2042-01-01', r.text)
    r = browser.post(path, step="preview", hash=browser.loaded(path), on="2026-02-30")
    assert re.search(r'id="e-on">', r.text)
    r = browser.post(f"/hazards/{hid}/accept", step="preview", hash=browser.loaded(path), on="2026-12-05")  # fmt: skip
    assert re.search(r'id="e-by">', r.text)


def test_a_new_hazard_names_the_fields_it_needs(browser: Browser, repo: Path) -> None:
    r = browser.post("/hazards/new", step="preview", title="无级别的隐患")
    assert r.status_code == 400
    for name in ("level", "unit", "source"):
        assert 'class="field bad"' in r.text and f'id="f-{name}"' in r.text
    assert list((repo / "data" / "hazards").glob("*.yaml")) == []
    r = browser.post("/hazards/new", step="preview", **{**MAJOR, "unit": "不存在的单位"})
    assert r.status_code == 400 and "不存在的单位" in errors(r.text)[0]


def test_a_stale_form_is_refused(browser: Browser, repo: Path) -> None:
    hid = register(browser)
    path = f"/hazards/{hid}/note"
    loaded = browser.loaded(path)
    browser.save(path, text="另一页保存的备注")  # another tab saves first
    r = browser.post(path, step="save", hash=loaded, text="这一页的备注")
    assert r.status_code == 400
    assert "changed since you opened it" in errors(r.text)[0] or "已被修改" in errors(r.text)[0]
    assert "这一页的备注" not in (repo / "data" / "hazards" / f"{hid}.yaml").read_text("utf-8")


def test_uploads_are_checked_by_content_size_and_count(browser: Browser, repo: Path) -> None:
    from safeplan.web import evidence

    hid = register(browser)
    path = f"/hazards/{hid}/rectify"
    h = browser.loaded(path)
    r = browser.post(path, [("photo.jpg", b"<html>not a photo</html>")], step="preview", hash=h)
    assert r.status_code == 400 and "photo.jpg" in errors(r.text)[0]
    big = JPEG + b"\x00" * evidence.MAX_BYTES
    r = browser.post(path, [("big.jpg", big)], step="preview", hash=h)
    assert r.status_code == 400 and "big.jpg" in errors(r.text)[0]
    many = [(f"{i}.png", PNG) for i in range(evidence.MAX_FILES + 1)]
    r = browser.post(path, many, step="preview", hash=h)
    assert r.status_code == 400
    assert not (repo / "data" / "evidence").exists()


def test_an_upload_name_never_reaches_the_filesystem(browser: Browser, repo: Path) -> None:
    hid = register(browser)
    browser.save(f"/hazards/{hid}/rectify", [("../../../../tmp/evil.jpg", JPEG)], on="2026-12-04")
    stored = sorted(p.relative_to(repo).as_posix() for p in (repo / "data" / "evidence").rglob("*"))
    assert stored == [f"data/evidence/{hid}", f"data/evidence/{hid}/2026-12-04-rectify-1.jpg"]
    record = (repo / "data" / "hazards" / f"{hid}.yaml").read_text("utf-8")
    assert f"evidence: [data/evidence/{hid}/2026-12-04-rectify-1.jpg]" in record
    served = browser.client.get(f"/files/data/evidence/{hid}/2026-12-04-rectify-1.jpg")
    assert served.status_code == 200 and served.content == JPEG
    for bad in (
        "data/hazards/" + hid + ".yaml",
        "data/evidence/../../plan/plan.yaml",
        "../etc/passwd",
    ):
        assert browser.client.get(f"/files/{bad}").status_code == 404


# --------------------------------------------------------------------------- the guard


def test_without_the_token_nothing_is_served(repo: Path) -> None:
    b = Browser(repo)
    stranger = TestClient(create_app(b.settings), base_url="http://127.0.0.1:8765")
    assert stranger.get("/").status_code == 403
    assert stranger.get("/hazards").status_code == 403
    assert stranger.get("/?token=wrong").status_code == 403
    stranger.cookies.set("safeplan_token", "wrong")
    assert stranger.get("/").status_code == 403
    r = stranger.post("/hazards/new", data={"csrf": b.settings.csrf, **MAJOR, "step": "save"})
    assert r.status_code == 403
    assert list((repo / "data" / "hazards").glob("*.yaml")) == []


def test_a_foreign_host_is_refused(browser: Browser) -> None:
    for host in ("evil.example", "127.0.0.1.evil.example", "evil.example:8765", "192.168.1.5"):
        r = browser.client.get("/", headers={"host": host})
        assert r.status_code == 400, host
    assert browser.client.get("/", headers={"host": "localhost:8765"}).status_code == 200
    assert host_ok("[::1]:8765") and host_ok("127.0.0.1") and not host_ok("")


def test_a_form_without_its_csrf_token_writes_nothing(browser: Browser, repo: Path) -> None:
    for csrf in ("", "forged"):
        r = browser.post("/hazards/new", step="save", csrf=csrf, **MAJOR)
        assert r.status_code == 403
    assert list((repo / "data" / "hazards").glob("*.yaml")) == []
    assert browser.post("/name", csrf="", name="x").status_code == 403


def test_every_response_forbids_scripts_and_framing(browser: Browser) -> None:
    r = browser.client.get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert "<script" not in r.text and "http://" not in r.text.replace("http://www.w3.org", "")


def test_record_text_that_is_html_stays_text(browser: Browser, repo: Path) -> None:
    hid = register(browser, title=SCRIPT, enterprise=IMG, location=SCRIPT)
    browser.save(f"/hazards/{hid}/note", text=IMG)
    for path in (
        "/",
        "/hazards",
        f"/hazards/{hid}",
        f"/hazards/{hid}/history",
        f"/hazards/{hid}/edit",
    ):
        page = browser.get(path)
        assert SCRIPT not in page and IMG not in page, path
    assert "&lt;script&gt;" in browser.get(f"/hazards/{hid}")
    r = browser.post("/hazards/new", step="preview", **{**MAJOR, "unit": SCRIPT})
    assert SCRIPT not in r.text and "&lt;script&gt;" in r.text


# --------------------------------------------------------------------------- git, name, sync


def test_the_officer_is_asked_for_a_name_once(repo: Path, no_git_identity: None) -> None:
    b = Browser(repo)
    path = "/hazards/new"
    preview = b.post(path, step="preview", **MAJOR)
    assert preview.status_code == 200
    saved = b.post(path, step="save", **MAJOR)
    assert saved.status_code == 303 and saved.headers["location"].startswith("/name")
    assert list((repo / "data" / "hazards").glob("*.yaml")) == []
    assert b.post("/name", name="", next="/hazards").status_code == 400
    r = b.post("/name", name="王安监", email="wang@example.org", next="/hazards")
    assert r.status_code == 303 and r.headers["location"] == "/hazards"
    assert git(repo, "config", "--local", "user.name").strip() == "王安监"
    assert b.post(path, step="save", **MAJOR).status_code == 303
    assert git(repo, "log", "-1", "--format=%an").strip() == "王安监"
    assert b.post("/name", name="x", next="//evil.example").headers["location"] == "/"


def test_sync_pulls_and_pushes(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "-u", "origin", "main")
    b = Browser(repo)
    assert "origin" in b.get("/sync")
    hid = register(b)
    r = b.post("/sync")
    assert r.status_code == 200 and "同步完成" in r.text
    assert hid in git(remote, "log", "--format=%s", "main")


def test_sync_explains_a_conflict_and_changes_nothing(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "-u", "origin", "main")
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    units = "data/units.yaml"
    (other / units).write_text((other / units).read_text("utf-8") + "# 他处的改动\n", "utf-8")
    git(other, "commit", "-qam", "other")
    git(other, "push", "-q")
    (repo / units).write_text((repo / units).read_text("utf-8") + "# 本机的改动\n", "utf-8")
    git(repo, "commit", "-qam", "mine")
    head = git(repo, "rev-parse", "HEAD")
    r = Browser(repo).post("/sync")
    assert "无法自动合并" in r.text and units in r.text
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain") == ""


def test_sync_without_a_remote_says_so(browser: Browser) -> None:
    assert "没有可同步的远程仓库" in browser.get("/sync")


def test_without_git_a_save_writes_the_files(plan_root: Path) -> None:
    b = Browser(plan_root)
    hid = register(b)
    assert (plan_root / "data" / "hazards" / f"{hid}.yaml").is_file()
    assert "暂无历史" in b.get(f"/hazards/{hid}/history")


# --------------------------------------------------------------------------- tasks, reports


def test_task_progress_and_done(browser: Browser, repo: Path) -> None:
    browser.save("/tasks/1/progress", [("scan.pdf", b"%PDF-1.4 test")], text="召开部署会", on="2026-12-01")  # fmt: skip
    assert (repo / "data" / "evidence" / "task-1" / "2026-12-01-progress-1.pdf").is_file()
    assert "召开部署会" in browser.get("/tasks/1")
    assert git(repo, "log", "-1", "--format=%s").strip() == "任务 1：2026-12-01 报送进展"
    r = browser.post("/tasks/1/progress", step="preview", hash=browser.loaded("/tasks/1/progress"))
    assert r.status_code == 400 and errors(r.text)


def test_reports_download_every_format(browser: Browser) -> None:
    from safeplan.render.report import FORMATS

    for fmt in FORMATS:
        r = browser.client.get(f"/reports?kind=week&period=2026-W48&format={fmt}")
        assert r.status_code == 200, r.text
        assert f'filename="2026-W48.{fmt}"' in r.headers["content-disposition"]
    r = browser.client.get("/reports?kind=week&period=2026-W99&format=md")
    assert r.status_code == 400 and "--week" in errors(r.text)[0]


def test_validate_lists_findings_with_links(browser: Browser, repo: Path) -> None:
    hid = register(browser)
    path = repo / "data" / "hazards" / f"{hid}.yaml"
    path.write_text(path.read_text("utf-8").replace("level: major", "level: huge"), "utf-8")
    page = browser.get("/validate")
    assert f'href="/hazards/{hid}"' in page and "huge" in page


# --------------------------------------------------------------------------- the command


def test_serve_refuses_a_bad_port(plan_root: Path) -> None:
    r = CliRunner().invoke(cli_app, ["serve", "--port", "70000", "--root", str(plan_root)])
    assert r.exit_code == 2 and "70000" in r.output


# --------------------------------------------------------------------------- the ledger


def _workbook(tmp_path: Path, name: str) -> bytes:
    from conftest import ledger_maker

    path = tmp_path / f"{name}.xlsx"
    getattr(ledger_maker(), name)(path)
    return path.read_bytes()


def test_the_ledger_exports_and_imports_after_its_dry_run(
    browser: Browser, repo: Path, tmp_path: Path
) -> None:
    r = browser.client.get("/ledger/export.xlsx")
    assert r.status_code == 200 and r.content.startswith(b"PK\x03\x04")
    assert "ledger-2026-12-07.xlsx" in r.headers["content-disposition"]
    book = _workbook(tmp_path, "county_standard")
    head = git(repo, "rev-parse", "HEAD")
    preview = browser.client.post(
        "/ledger",
        data={"csrf": browser.settings.csrf, "step": "preview"},
        files=[("ledger", ("台账.xlsx", book, "application/octet-stream"))],
    )
    assert preview.status_code == 200, errors(preview.text)
    assert list((repo / "data" / "hazards").glob("*.yaml")) == []
    assert git(repo, "rev-parse", "HEAD") == head
    pending = re.search(r'name="pending" value="([^"]+)"', preview.text)
    assert pending is not None and 'name="save"' in preview.text
    saved = browser.post("/ledger", step="save", pending=pending.group(1))
    assert saved.status_code == 303, errors(saved.text)
    written = list((repo / "data" / "hazards").glob("*.yaml"))
    assert written and git(repo, "status", "--porcelain", "--", "data") == ""
    assert git(repo, "log", "-1", "--format=%s").startswith("import ledger:")


def test_a_ledger_with_bad_rows_or_no_workbook_writes_nothing(
    browser: Browser, repo: Path, tmp_path: Path
) -> None:
    bad = browser.client.post(
        "/ledger",
        data={"csrf": browser.settings.csrf, "step": "preview"},
        files=[
            ("ledger", ("bad.xlsx", _workbook(tmp_path, "bad_rows"), "application/octet-stream"))
        ],
    )
    assert bad.status_code == 200 and 'name="save"' not in bad.text
    fake = browser.client.post(
        "/ledger",
        data={"csrf": browser.settings.csrf, "step": "preview"},
        files=[("ledger", ("x.xlsx", b"<html>", "application/octet-stream"))],
    )
    assert fake.status_code == 400 and errors(fake.text)
    assert list((repo / "data" / "hazards").glob("*.yaml")) == []


def test_without_the_serve_extra_the_command_says_what_to_install(
    plan_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "uvicorn", None)
    r = CliRunner().invoke(cli_app, ["serve", "--root", str(plan_root), "--lang", "en"])
    assert r.exit_code == 2
    assert "pip install 'safeplan[serve]'" in r.output and "Traceback" not in r.output


def test_previews_never_saved_hold_only_a_few_uploads(repo: Path) -> None:
    from safeplan.web.evidence import Upload
    from safeplan.web.pages_base import PENDING_LIMIT

    settings = Browser(repo).settings
    keys = [settings.keep([Upload("a.jpg", JPEG)]) for _ in range(PENDING_LIMIT + 3)]
    assert len(settings.pending) == PENDING_LIMIT
    assert keys[0] not in settings.pending and keys[-1] in settings.pending


def test_the_end_of_an_id_typed_in_the_address_finds_the_hazard(browser: Browser) -> None:
    hid = register(browser)
    r = browser.client.get(f"/hazards/{hid[-4:].lower()}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/hazards/{hid}"


def test_other_commands_import_no_web_library(plan_root: Path) -> None:
    """Only `serve` loads Starlette and uvicorn (and safeplan.web): every other command
    starts as fast as before."""
    import json
    import sys

    probe = (
        "import sys\n"
        "from safeplan.cli import app\n"
        "for args in (['--help'], ['status', '--as-of', '2025-01-01'], ['serve', '--help'],\n"
        "             ['hazard', 'list']):\n"
        "    try:\n        app(args)\n    except SystemExit:\n        pass\n"
        "heavy = sorted(m for m in sys.modules\n"
        "               if m.split('.')[0] in ('starlette', 'uvicorn', 'multipart', 'httpx')\n"
        "               or m.startswith('safeplan.web'))\n"
        "print(__import__('json').dumps(heavy), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=plan_root, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []


def test_the_overview_links_tasks_and_overdue_hazards(browser: Browser) -> None:
    hid = register(browser, level="general", discovered="2026-11-01", deadline="2026-11-20")
    page = browser.get("/")
    assert 'href="/tasks/3"' in page and f'href="/hazards/{hid}"' in page
    assert 'href="/tasks/0"' not in page  # a count in a table is not a task number


def test_a_save_whose_previewed_files_were_dropped_is_refused(browser: Browser, repo: Path) -> None:
    hid = register(browser)
    path = f"/hazards/{hid}/rectify"
    h = browser.loaded(path)
    preview = browser.post(path, [("a.jpg", JPEG)], step="preview", hash=h, on="2026-12-04")
    pending = re.search(r'name="pending" value="([^"]+)"', preview.text)
    assert pending is not None
    browser.settings.pending.clear()  # the server restarted, or dropped the oldest previews
    r = browser.post(path, step="save", hash=h, on="2026-12-04", pending=pending.group(1))
    assert r.status_code == 400 and errors(r.text)
    assert "rectification" not in (repo / "data" / "hazards" / f"{hid}.yaml").read_text("utf-8")
