"""``safeplan serve``'s enterprise pages and forms, through Starlette's TestClient.

The list filters as ``enterprise list`` does, one enterprise shows ``enterprise show``
with its hazards linked, the duties page is ``enterprise duties``; every form goes
through the same edit as the command (the files and commit subjects equal the CLI's),
a refusal is shown beside its field and writes nothing, a stale form is refused, record
text that is HTML stays text, and evidence goes to ``data/evidence/<ENTERPRISE-ID>/``."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import enterprise_plan
from safeplan.cli import app as cli_app
from safeplan.cli import session
from test_report_render import IMG, SCRIPT
from test_serve import JPEG, Browser, errors, git, make_repo

TODAY = dt.date(2025, 12, 15)
MINE = "91150425MA0N00001R"  # 大井煤矿 (mining, high-risk)
FIREWORKS = "91150425MA0N00011T"
CLOSED = "91150425MA0N00009J"  # deregistered in the fixture


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's today is the server's (edits take no --as-of)."""
    monkeypatch.setattr(session, "utc_now", lambda: dt.datetime(2025, 12, 15, 4, tzinfo=dt.UTC))


@pytest.fixture
def ent_repo(tmp_path: Path) -> Path:
    return make_repo(enterprise_plan(tmp_path / "plan-root"))


@pytest.fixture
def b(ent_repo: Path) -> Browser:
    return Browser(ent_repo, today=TODAY)


def ids(page: str) -> list[str]:
    return re.findall(r'<td data-label="[^"]*"><a href="/enterprises/([^"]+)">', page)


def cli(root: Path, *args: str) -> str:
    result = CliRunner().invoke(
        cli_app, [*args, "--root", str(root)],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.output  # 1: the fixture's findings, printed after
    assert "Traceback" not in result.output
    return result.output


def listed(root: Path, *args: str) -> list[str]:
    out = cli(root, "enterprise", "list", "--json", *args)
    import json

    return [e["id"] for e in json.loads(out)["enterprises"]]


# --------------------------------------------------------------------------- pages


def test_the_list_filters_as_the_command_does(b: Browser, ent_repo: Path) -> None:
    page = b.get("/enterprises")
    assert ids(page) == listed(ent_repo)
    for query, args in (
        ("behind=1", ["--behind"]),
        ("industry=矿山", ["--industry", "矿山"]),
        ("high_risk=1", ["--high-risk"]),
        ("high_risk=0", ["--not-high-risk"]),
        ("grade=A", ["--grade", "A"]),
        ("village=大井村", ["--village", "大井村"]),
        ("state=deregistered", ["--state", "注销"]),
        ("duty=principal_check&behind=1", ["--duty", "principal_check", "--behind"]),
        ("search=煤矿", ["--search", "煤矿"]),
    ):
        assert ids(b.get(f"/enterprises?{query}")) == listed(ent_repo, *args), query
    assert ids(b.get("/enterprises?behind=1")) != ids(page)  # the filter narrows


def test_a_bad_filter_says_what_the_command_says(b: Browser) -> None:
    r = b.client.get("/enterprises?industry=煤炭业")
    assert r.status_code == 400 and "--industry" in errors(r.text)[0]


def test_one_enterprise_its_duties_and_hazards(b: Browser, ent_repo: Path) -> None:
    where = b.save("/hazards/new", title="主井提升机制动失灵", level="major", unit="镇安监站",
                   source="inspection", discovered="2025-12-14", enterprise="大井银铅矿业有限公司")  # fmt: skip
    hid = where.split("/")[2].split("?")[0]
    page = b.get(f"/enterprises/{MINE}")
    shown = cli(ent_repo, "enterprise", "show", MINE)
    for line in ("大井银铅矿业有限公司", "主要负责人", "王建国"):
        assert line in page and line in shown
    assert f'<a href="/hazards/{hid}">{hid}</a>' in page
    for verb in ("check", "drill", "train", "certify", "inspect", "state", "close"):
        assert f'href="/enterprises/{MINE}/{verb}"' in page
    # its name or credit code in any case finds it, at one address
    r = b.client.get(f"/enterprises/{MINE.lower()}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/enterprises/{MINE}"
    r = b.client.get("/enterprises/大井银铅矿业有限公司", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/enterprises/{MINE}"
    r = b.client.get("/enterprises/91150425MA0N00001X")
    assert r.status_code == 400 and MINE in r.text


def test_the_duties_page_is_the_duties_command(b: Browser, ent_repo: Path) -> None:
    page = b.get("/enterprises/duties")
    shown = cli(ent_repo, "enterprise", "duties")
    behind = listed(ent_repo, "--behind")
    assert behind
    for ent in behind:
        assert ent in shown and f'href="/enterprises/{ent}"' in page
    assert "任务" in page


def test_a_plan_without_enterprises_says_how_to_add_one(plan_root: Path) -> None:
    page = Browser(make_repo(plan_root)).get("/enterprises")
    assert "safeplan enterprise new" in page and 'href="/enterprises/new"' in page
    assert 'href="/enterprises"' in Browser(plan_root).get("/")  # the menu has it


# --------------------------------------------------------------------------- forms


def test_a_check_through_the_form_writes_what_the_cli_writes(
    b: Browser, ent_repo: Path, tmp_path: Path
) -> None:
    cli_root = make_repo(shutil.copytree(ent_repo, tmp_path / "cli", ignore=shutil.ignore_patterns(".git")))  # fmt: skip
    steps = (
        ("check", {"led_by": "韩花", "on": "2025-12-02", "hazards": "HZ-20251202-AAAA", "note": "带队"},
         ["check", FIREWORKS, "--led-by", "韩花", "--on", "2025-12-02", "--hazard", "HZ-20251202-AAAA", "--note", "带队"]),
        ("drill", {"on": "2025-12-03", "kind": "疏散逃生", "participants": "12"},
         ["drill", FIREWORKS, "--on", "2025-12-03", "--kind", "疏散逃生", "--participants", "12"]),
        ("train", {"topic": "烟花爆竹储存", "on": "2025-12-03"},
         ["train", FIREWORKS, "--topic", "烟花爆竹储存", "--on", "2025-12-03"]),
        ("certify", {"person": "韩花", "role": "principal", "valid_until": "2028-12-01", "on": "2025-12-03"},
         ["certify", FIREWORKS, "--person", "韩花", "--role", "主要负责人", "--valid-until", "2028-12-01", "--on", "2025-12-03"]),
        ("inspect", {"by": "镇安监站", "works": "动火、有限空间", "findings": "无", "on": "2025-12-04"},
         ["inspect", FIREWORKS, "--by", "镇安监站", "--work", "动火", "--work", "有限空间", "--findings", "无", "--on", "2025-12-04"]),
        ("state", {"state": "suspended", "on": "2025-12-05", "reason": "整顿"},
         ["state", FIREWORKS, "停产", "--on", "2025-12-05", "--reason", "整顿"]),
        ("close", {"on": "2025-12-06", "reason": "关闭", "by": "镇安监站"},
         ["close", FIREWORKS, "--on", "2025-12-06", "--reason", "关闭", "--by", "镇安监站"]),
    )  # fmt: skip
    rel = f"data/enterprises/{FIREWORKS}.yaml"
    for verb, fields, args in steps:
        where = b.save(f"/enterprises/{FIREWORKS}/{verb}", **fields)
        assert where.startswith(f"/enterprises/{FIREWORKS}?m="), verb
        cli(cli_root, "enterprise", *args, "--commit")
        assert (ent_repo / rel).read_bytes() == (cli_root / rel).read_bytes(), verb
        assert git(ent_repo, "log", "-1", "--format=%s") == git(cli_root, "log", "-1", "--format=%s")  # fmt: skip
    assert "韩花" in b.get(f"/enterprises/{FIREWORKS}")


def test_a_new_enterprise_through_the_form(b: Browser, ent_repo: Path, tmp_path: Path) -> None:
    cli_root = make_repo(shutil.copytree(ent_repo, tmp_path / "cli", ignore=shutil.ignore_patterns(".git")))  # fmt: skip
    code = "91150425MA0N00012R"
    from safeplan.models.fields import credit_check_digit

    code = code[:17] + credit_check_digit(code[:17])
    where = b.save(
        "/enterprises/new", name="大井砖厂", industry="building_materials", on="2025-12-01",
        credit_code=code, village="大井村", grade="B", principal="石磊", phone="13900000000",
        safety_managers="王一、李二", employees="25", flags="粉尘涉爆",
    )  # fmt: skip
    assert where.startswith(f"/enterprises/{code}?m=")
    cli(
        cli_root, "enterprise", "new", "--name", "大井砖厂", "--industry", "建材", "--on",
        "2025-12-01", "--credit-code", code, "--village", "大井村", "--grade", "B", "--principal", "石磊",
        "--phone", "13900000000", "--safety-manager", "王一", "--safety-manager", "李二",
        "--employees", "25", "--flag", "粉尘涉爆", "--commit",
    )  # fmt: skip
    rel = f"data/enterprises/{code}.yaml"
    assert (ent_repo / rel).read_bytes() == (cli_root / rel).read_bytes()
    assert git(ent_repo, "log", "-1", "--format=%s") == git(cli_root, "log", "-1", "--format=%s")
    assert code in b.get("/enterprises")
    form = b.get("/enterprises/new")  # the plan's grades to choose from, none chosen
    assert re.search(
        r'<select id="f-grade" name="grade">\s*<option value=""></option>\s*<option value="A"', form
    )
    assert re.search(r'<select id="f-industry" name="industry">\s*<option value=""></option>', form)


def test_refusals_are_the_commands_beside_their_field(b: Browser, ent_repo: Path) -> None:
    rel = ent_repo / "data" / "enterprises" / f"{MINE}.yaml"
    before, head = rel.read_bytes(), git(ent_repo, "rev-parse", "HEAD")
    path = f"/enterprises/{MINE}/check"
    r = b.post(path, step="save", hash=b.loaded(path), on="2025-12-01")
    assert r.status_code == 400 and "--led-by" in r.text
    r = b.post(path, step="preview", hash=b.loaded(path), led_by="张三", on="2042-01-01")
    assert r.status_code == 400 and re.search(r'id="e-on">[^<]*2042-01-01', r.text)
    path = f"/enterprises/{MINE}/drill"
    r = b.post(path, step="preview", hash=b.loaded(path), participants="十几个")
    assert re.search(r'id="e-participants">[^<]*十几个', r.text)
    path = f"/enterprises/{MINE}/certify"
    r = b.post(path, step="preview", hash=b.loaded(path), person="张三", role="principal",
               valid_until="2028-02-30")  # fmt: skip
    assert re.search(r'id="e-valid_until">', r.text)
    path = f"/enterprises/{CLOSED}/check"
    r = b.post(path, step="save", hash=b.loaded(path), led_by="卫运", on="2025-12-01")
    assert r.status_code == 400 and "注销" in errors(r.text)[0]
    r = b.post("/enterprises/new", step="preview", name="无行业的企业")
    assert r.status_code == 400 and "--industry" in r.text
    r = b.post("/enterprises/new", step="save", name="大井矿", industry="mining",
               credit_code=MINE, on="2025-12-01")  # fmt: skip
    assert r.status_code == 400 and MINE in errors(r.text)[0]
    assert rel.read_bytes() == before and git(ent_repo, "rev-parse", "HEAD") == head
    assert git(ent_repo, "status", "--porcelain", "--", "data", "plan") == ""


def test_a_stale_enterprise_form_is_refused(b: Browser, ent_repo: Path) -> None:
    path = f"/enterprises/{MINE}/drill"
    loaded = b.loaded(path)
    cli(
        ent_repo, "enterprise", "drill", MINE, "--on", "2025-12-10", "--kind", "消防"
    )  # the CLI first
    r = b.post(path, step="save", hash=loaded, on="2025-12-11", kind="这一页的演练")
    assert r.status_code == 400 and "已被修改" in errors(r.text)[0]
    assert "这一页的演练" not in (ent_repo / "data" / "enterprises" / f"{MINE}.yaml").read_text(
        "utf-8"
    )


def test_evidence_goes_to_the_enterprises_folder(b: Browser, ent_repo: Path) -> None:
    path = f"/enterprises/{MINE}/check"
    b.save(path, [("../../evil name.jpg", JPEG)], led_by="张矿", on="2025-12-12")
    stored = ent_repo / "data" / "evidence" / MINE / "2025-12-12-check-1.jpg"
    assert stored.read_bytes() == JPEG
    text = (ent_repo / "data" / "enterprises" / f"{MINE}.yaml").read_text("utf-8")
    assert f"data/evidence/{MINE}/2025-12-12-check-1.jpg" in text
    page = b.get(f"/enterprises/{MINE}")
    assert f'href="/files/data/evidence/{MINE}/2025-12-12-check-1.jpg"' in page
    assert b.client.get(f"/files/data/evidence/{MINE}/2025-12-12-check-1.jpg").content == JPEG
    assert (
        git(ent_repo, "status", "--porcelain", "--", "data", "plan") == ""
    )  # committed with the record
    r = b.post(path, [("x.jpg", b"<html>")], step="preview", hash=b.loaded(path), led_by="张矿")
    assert r.status_code == 400 and "x.jpg" in errors(r.text)[0]


def test_enterprise_text_that_is_html_stays_text(b: Browser, ent_repo: Path) -> None:
    where = b.save(
        "/enterprises/new", name=SCRIPT, industry="machinery", on="2025-12-01", village=IMG,
        principal=SCRIPT, address=IMG, department=SCRIPT, safety_managers=IMG,
    )  # fmt: skip
    ent = where.split("/")[2].split("?")[0]
    b.save(f"/enterprises/{ent}/check", led_by=IMG, note=SCRIPT, on="2025-12-02")  # fmt: skip
    b.save(f"/enterprises/{ent}/inspect", by=SCRIPT, findings=IMG, works=SCRIPT, on="2025-12-03")
    for path in ("/enterprises", f"/enterprises/{ent}", "/enterprises/duties",
                 f"/enterprises/{ent}/check", f"/enterprises?search={SCRIPT}", "/"):  # fmt: skip
        page = b.get(path)
        assert SCRIPT not in page and IMG not in page, path
    assert "&lt;script&gt;" in b.get(f"/enterprises/{ent}")


def test_the_form_of_an_unknown_enterprise_or_verb(b: Browser) -> None:
    assert b.client.get(f"/enterprises/{MINE}/fly").status_code == 404
    r = b.client.get("/enterprises/91150425MA0N00001X/check")
    assert r.status_code == 400 and MINE in r.text
    r = b.client.get("/enterprises/大井银铅矿业有限公司/check", follow_redirects=False)
    assert r.headers["location"] == f"/enterprises/{MINE}/check"


@pytest.mark.parametrize(
    ("verb", "kind", "args", "fields", "option"),
    [
        ("check", "check", [], {}, "--led-by"),
        ("train", "training", [], {}, "--topic"),
        ("inspect", "inspection", [], {}, "--by"),
        ("certify", "certificate", ["--person", "王"], {"person": "王"}, "--valid-until"),
        ("certify", "certificate", ["--person", "王", "--role", "厂长", "--valid-until", "2028-01-01"],
         {"person": "王", "role": "厂长", "valid_until": "2028-01-01"}, "--role"),
    ],
)  # fmt: skip
def test_what_a_fact_needs_is_refused_alike_by_the_command_and_the_form(
    b: Browser, ent_repo: Path, verb: str, kind: str, args: list[str], fields: dict[str, str],
    option: str,
) -> None:  # fmt: skip
    from safeplan.edit.enterprises import fact_values
    from safeplan.errors import UsageError

    with pytest.raises(UsageError):
        fact_values(kind, {k.replace("-", "_"): v for k, v in fields.items()})
    result = CliRunner().invoke(
        cli_app, ["enterprise", verb, MINE, *args, "--root", str(ent_repo)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 2 and option in result.output
    path = f"/enterprises/{MINE}/{verb}"
    r = b.post(path, step="preview", hash=b.loaded(path), **fields)
    assert r.status_code == 400 and option in " ".join(errors(r.text))
    shown = " ".join(errors(r.text)).split("：")[0].split(":")[0]
    assert shown in result.output  # the same message, its first words at least
