"""The 判定标准 catalog: citations as officers type them, the catalog's own integrity, and
validate's rules on a major hazard's basis (unknown, replaced, other industry, missing)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.criteria.catalog import Resolved, Unresolved, catalog, check_file, shipped
from safeplan.criteria.cite import Citation, chinese_number, parse, to_chinese
from safeplan.models.criteria import CriteriaDocument
from safeplan.problems import Problem
from safeplan.repo.snapshot import load
from safeplan.vocab import INDUSTRY

# --------------------------------------------------------------------------- typed citations

CITATIONS = [
    # (typed, document part, article, item)
    ("应急管理部令第10号第五条第（三）项", "应急管理部令第10号", 5, 3),
    ("应急管理部令第10号第五条第(三)项", "应急管理部令第10号", 5, 3),
    ("应急管理部令第１０号　第五条第（三）项", "应急管理部令第10号", 5, 3),
    ("应急管理部令第10号 第5条 第3项", "应急管理部令第10号", 5, 3),
    ("应急管理部令第10号第五条（三）", "应急管理部令第10号", 5, 3),
    ("建质规〔2024〕5号 第十一条", "建质规〔2024〕5号", 11, None),
    ("建质规[2024]5号第十一条", "建质规〔2024〕5号", 11, None),
    ("建质规［2024］５号第十一条", "建质规〔2024〕5号", 11, None),
    ("建质规(2024)5号第11条", "建质规〔2024〕5号", 11, None),
    ("建质规【2024】5号 第 十一 条", "建质规〔2024〕5号", 11, None),
    ("《工贸企业重大事故隐患判定标准》第十一条第一项", "工贸企业重大事故隐患判定标准", 11, 1),
    ("应急管理部令第4号第三条第（十五）项", "应急管理部令第4号", 3, 15),
    ("应急管理部令第4号第一百零三条", "应急管理部令第4号", 103, None),
]


@pytest.mark.parametrize(("typed", "document", "article", "item"), CITATIONS)
def test_typed_citation_forms(typed: str, document: str, article: int, item: int | None) -> None:
    c = parse(typed)
    assert (c.document, c.article, c.item) == (document.casefold(), article, item)
    assert c.looks_cited


@pytest.mark.parametrize(
    ("typed", "document", "clause"),
    [
        ("GB 35181-2025 5.1.2", "gb35181-2025", "5.1.2"),
        ("GB35181-2025第5.1.2条", "gb35181-2025", "5.1.2"),
        ("ＧＢ　45067－2024　4.1", "gb45067-2024", "4.1"),
    ],
)
def test_a_standard_is_cited_by_clause(typed: str, document: str, clause: str) -> None:
    assert parse(typed) == Citation(document, clause=clause)


def test_free_text_is_not_a_citation() -> None:
    assert not parse("存在粉尘爆炸危险，未设置泄爆装置").looks_cited
    assert parse("安监总管三〔2017〕121号").looks_cited


@pytest.mark.parametrize("n", [1, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110, 119, 999])
def test_chinese_numerals_round_trip(n: int) -> None:
    assert chinese_number(to_chinese(n)) == n


def test_the_place_cited_is_written_the_usual_way() -> None:
    assert parse("应急管理部令第10号 第5条 第3项").where() == "第五条第（三）项"


# --------------------------------------------------------------------------- the catalog itself


def test_every_entry_names_its_source_and_resolves() -> None:
    file = shipped()
    assert file.documents and file.dated is not None
    assert check_file(file) == []  # ids and numbers once, supersedes resolve, industries known
    fields = set(CriteriaDocument.model_fields)
    for d in file.documents:
        assert d.source.strip(), d.id
        assert set(d.unconfirmed) <= fields, d.id
        assert all(code in INDUSTRY for code in d.industries), d.id
        if d.issued_on and d.in_force:
            assert d.issued_on <= d.in_force, d.id
        for a in d.articles or []:
            numbers = [i.number for i in a.items or []]
            assert numbers == list(range(1, len(numbers) + 1)), (d.id, a.number)


def test_the_issues_documents_are_there_with_their_dates() -> None:
    cat = catalog()
    days = {
        "应急管理部令第10号": dt.date(2023, 5, 15),
        "矿安〔2022〕88号": dt.date(2022, 9, 1),
        "建质规〔2024〕5号": dt.date(2024, 12, 13),
        "GB 45067-2024": dt.date(2024, 12, 1),
        "GB 35181-2025": dt.date(2025, 11, 1),
    }
    for number, day in days.items():
        doc = cat.find(number)
        assert doc is not None and doc.in_force == day, number


@pytest.mark.parametrize(
    ("old", "new", "day"),
    [
        ("安监总管四〔2017〕129号", "应急管理部令第10号", dt.date(2023, 5, 15)),
        ("安监总管一〔2017〕98号", "矿安〔2022〕88号", dt.date(2022, 9, 1)),
        ("建质规〔2022〕2号", "建质规〔2024〕5号", dt.date(2024, 12, 13)),
        ("GB 35181-2017", "GB 35181-2025", dt.date(2025, 11, 1)),
    ],
)
def test_supersession_by_date(old: str, new: str, day: dt.date) -> None:
    cat = catalog()
    doc = cat.find(old)
    assert doc is not None
    assert cat.replacement(doc, day - dt.timedelta(days=1)) is None
    replaced = cat.replacement(doc, day)
    assert replaced is not None and replaced.number == new


def test_unknown_document_article_and_item_name_the_closest() -> None:
    cat = catalog()
    doc = cat.resolve("应急管理部令第11号第三条")
    assert isinstance(doc, Unresolved) and doc.code == "unknown-criterion"
    assert "应急管理部令第10号" in str(doc.params["closest"])
    art = cat.resolve("应急管理部令第10号第十四条")
    assert isinstance(art, Unresolved) and art.code == "unknown-criterion-article"
    assert art.params["closest"] == "第十三条" and art.params["last"] == "第十三条"
    item = cat.resolve("应急管理部令第10号第三条第（四）项")
    assert isinstance(item, Unresolved) and item.code == "unknown-criterion-item"
    assert item.params["last"] == "三"
    ok = cat.resolve("应急部10号令 第三条 第(二)项")
    assert isinstance(ok, Resolved) and ok.item is not None
    assert ok.label() == "应急管理部令第10号 第三条第（二）项"


def test_a_document_without_its_articles_is_checked_for_form_only() -> None:
    cat = catalog()
    r = cat.resolve("建质规〔2024〕5号第九十九条第（九）项")
    assert isinstance(r, Resolved) and r.article is None
    assert cat.resolve("应急管理部令第4号第十八条") is not None  # articles listed in part


# --------------------------------------------------------------------------- validate

HAZARD = """id: {id}
title: 测试隐患{id}
level: {level}
{basis}industry: {industry}
discovered_on: {day}
source: inspection
responsible_unit: 镇安监站
rectification_plan:
  measures: 整改
  funds: 1000元
  deadline: {day}
  responsible_person: 张三
  contingency_plan: 预案
"""


def hazard(
    root: Path,
    hid: str,
    basis: str | None,
    day: str = "2026-01-10",
    industry: str = "机械",
    level: str = "major",
) -> None:
    line = f"basis: {basis}\n" if basis is not None else ""
    text = HAZARD.format(id=hid, level=level, basis=line, industry=industry, day=day)
    (root / "data" / "hazards" / f"{hid}.yaml").write_text(text, encoding="utf-8")


def found(root: Path) -> dict[str, list[Problem]]:
    repo = load(root, workers=1, today=dt.date(2026, 12, 1))
    out: dict[str, list[Problem]] = {}
    for p in repo.problems:
        out.setdefault(Path(p.path).stem, []).append(p)
    return out


def codes(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.code, p.severity) for p in problems]


@pytest.fixture
def plan(plan_root: Path) -> Path:
    (plan_root / "data" / "hazards").mkdir(exist_ok=True)
    return plan_root


def test_validate_checks_the_basis(plan: Path) -> None:
    hazard(plan, "HZ-20260110-AAAA", "应急管理部令第10号第三条第（二）项")
    hazard(plan, "HZ-20260110-BBBB", "应急管理部令第11号第三条")
    hazard(plan, "HZ-20260110-CCCC", "应急管理部令第10号第三条第（九）项")
    hazard(plan, "HZ-20260110-DDDD", "存在粉尘爆炸危险")
    hazard(plan, "HZ-20260110-EEEE", None)
    hazard(plan, "HZ-20260110-FFFF", "建质规〔2024〕5号 第十一条")  # 机械, not construction
    hazard(plan, "HZ-20260110-GGGG", "存在粉尘爆炸危险", level="general")  # not checked
    got = found(plan)
    assert "HZ-20260110-AAAA" not in got
    assert codes(got["HZ-20260110-BBBB"]) == [("unknown-criterion", "error")]
    assert got["HZ-20260110-BBBB"][0].line == 4  # the basis line
    assert codes(got["HZ-20260110-CCCC"]) == [("unknown-criterion-item", "error")]
    assert codes(got["HZ-20260110-DDDD"]) == [("basis-not-cited", "warning")]
    assert codes(got["HZ-20260110-EEEE"]) == [("basis-missing", "warning")]
    assert codes(got["HZ-20260110-FFFF"]) == [("criterion-industry", "warning")]
    assert "HZ-20260110-GGGG" not in got


def test_a_document_replaced_before_the_discovery_is_an_error(plan: Path) -> None:
    hazard(plan, "HZ-20251031-AAAA", "GB 35181-2017 5.1", day="2025-10-31", industry="消防")
    hazard(plan, "HZ-20251101-BBBB", "GB 35181-2017 5.1", day="2025-11-01", industry="消防")
    hazard(plan, "HZ-20230101-CCCC", "应急管理部令第10号第三条", day="2023-01-01")
    got = found(plan)
    assert "HZ-20251031-AAAA" not in got
    (p,) = got["HZ-20251101-BBBB"]
    assert (p.code, p.severity) == ("criterion-superseded", "error")
    assert p.params["replacement"] == "GB 35181-2025"
    assert p.params["on"] == dt.date(2025, 11, 1)
    assert codes(got["HZ-20230101-CCCC"]) == [("criterion-not-in-force", "warning")]


def test_a_missing_basis_is_an_error_from_the_plans_day(plan: Path) -> None:
    text = (plan / "plan" / "plan.yaml").read_text(encoding="utf-8")
    assert "\nrules:\n" in text
    text = text.replace("\nrules:\n", "\nrules:\n  basis_required_from: 2026-06-01\n", 1)
    (plan / "plan" / "plan.yaml").write_text(text, encoding="utf-8")
    hazard(plan, "HZ-20260531-AAAA", None, day="2026-05-31")
    hazard(plan, "HZ-20260601-BBBB", None, day="2026-06-01")
    got = found(plan)
    assert codes(got["HZ-20260531-AAAA"]) == [("basis-missing", "warning")]
    assert codes(got["HZ-20260601-BBBB"]) == [("basis-required", "error")]


LOCAL = """documents:
  - id: db-test-1
    number: DB99/T 1-2025
    title: 某省重大事故隐患判定细则
    issuer: 某省应急管理厅
    in_force: 2025-01-01
    industries: [machinery]
    source: 某省应急管理厅公告
    articles_complete: true
    articles:
      - {number: 2, title: 机械, items: [{number: 1, title: 一}, {number: 2, title: 二}]}
"""


def test_a_plan_adds_its_own_documents(plan: Path) -> None:
    (plan / "plan" / "criteria.yaml").write_text(LOCAL, encoding="utf-8")
    hazard(plan, "HZ-20260110-AAAA", "DB99/T 1-2025 第二条第（二）项")
    hazard(plan, "HZ-20260110-BBBB", "DB99/T 1-2025 第二条第（三）项")
    got = found(plan)
    assert "plan/criteria" not in got and "HZ-20260110-AAAA" not in got
    assert codes(got["HZ-20260110-BBBB"]) == [("unknown-criterion-item", "error")]


def test_a_bad_local_catalog_is_located(plan: Path) -> None:
    bad = LOCAL.replace("[machinery]", "[机械厂]").replace(
        "source: 某省", "supersedes: [DB99/T 0-2020]\n    source: 某省"
    )
    bad += "  - id: mem-10\n    number: X\n    title: T\n    issuer: I\n    source: S\n"
    bad += "  - id: no-source\n    number: Y\n    title: T\n    issuer: I\n"
    (plan / "plan" / "criteria.yaml").write_text(bad, encoding="utf-8")
    got = found(plan)["criteria"]
    assert [(p.path, p.line) for p in got] == [("plan/criteria.yaml", 18)], got  # no source
    fixed = bad.split("  - id: no-source")[0]
    (plan / "plan" / "criteria.yaml").write_text(fixed, encoding="utf-8")
    got = found(plan)["criteria"]
    assert sorted((p.code, p.line) for p in got) == [
        ("criteria-duplicate", 13),
        ("criteria-unknown-industry", 7),
        ("criteria-unknown-superseded", 8),
    ]


# --------------------------------------------------------------------------- the commands


def test_criteria_list_and_show(runner: CliRunner, plan: Path) -> None:
    hazard(plan, "HZ-20260110-AAAA", "应急管理部令第10号第三条第（二）项")
    args = ["--root", str(plan), "--as-of", "2026-12-01"]
    listed = runner.invoke(app, ["criteria", "list", "--json", *args])
    assert listed.exit_code == 0, listed.stdout
    data = json.loads(listed.stdout)
    by_number = {d["number"]: d for d in data["documents"]}
    assert by_number["应急管理部令第10号"]["major_hazards"] == 1
    assert by_number["GB 35181-2017"]["superseded_by"] == "GB 35181-2025"
    zh = runner.invoke(app, ["criteria", "list", *args])
    assert "已被 GB 35181-2025 替代" in zh.stdout and "现行有效" in zh.stdout
    en = runner.invoke(app, ["criteria", "show", "应急部10号令", "--lang", "en", *args])
    assert en.exit_code == 0, en.stdout
    assert "特种作业人员未持证上岗" in en.stdout and "HZ-20260110-AAAA" in en.stdout
    assert "Verified from" in en.stdout
    shown = runner.invoke(app, ["criteria", "show", "GB 45067-2024", *args])
    assert "只检查格式" in shown.stdout
    missing = runner.invoke(app, ["criteria", "show", "应急管理部令第11号", *args])
    assert missing.exit_code == 2
    assert "应急管理部令第10号" in missing.stdout + missing.stderr
    assert "Traceback" not in missing.stdout + missing.stderr
    en = runner.invoke(app, ["criteria", "show", "应急管理部令第11号", "--lang", "en", *args])
    assert "(closest: 应急管理部令第10号" in en.stderr and "、" not in en.stderr
    nothing = runner.invoke(app, ["criteria", "show", "zzzzqqq", *args])
    assert nothing.exit_code == 2
    assert nothing.stderr == (
        "safeplan: 错误：判定标准目录中没有“zzzzqqq”；运行 safeplan criteria list 查看全部\n"
    )


def test_hazard_show_names_the_document_and_item(runner: CliRunner, plan: Path) -> None:
    (plan / "plan" / "criteria.yaml").write_text(LOCAL, encoding="utf-8")
    hazard(plan, "HZ-20260110-AAAA", "应急部10号令 第3条 第(2)项")
    hazard(plan, "HZ-20260110-BBBB", "DB99/T 1-2025 第二条第（一）项")
    hazard(plan, "HZ-20260110-CCCC", "存在粉尘爆炸危险")
    args = ["--root", str(plan), "--as-of", "2026-12-01"]
    shown = runner.invoke(app, ["hazard", "show", "HZ-20260110-AAAA", *args])
    assert shown.exit_code == 0, shown.stdout
    assert "应急管理部令第10号 第三条第（二）项《工贸企业重大事故隐患判定标准》" in shown.stdout
    assert "特种作业人员未持证上岗" in shown.stdout
    local = runner.invoke(app, ["hazard", "show", "HZ-20260110-BBBB", "--json", *args])
    criterion = json.loads(local.stdout)["criterion"]
    assert criterion["number"] == "DB99/T 1-2025" and criterion["item_title"] == "一"
    free = runner.invoke(app, ["hazard", "show", "HZ-20260110-CCCC", "--json", *args])
    assert json.loads(free.stdout)["criterion"] is None


def test_an_edit_that_cites_a_replaced_document_writes_nothing(
    runner: CliRunner, plan: Path
) -> None:
    hazard(plan, "HZ-20260110-AAAA", "应急管理部令第10号第三条第（二）项")
    before = (plan / "data" / "hazards" / "HZ-20260110-AAAA.yaml").read_bytes()
    args = ["--root", str(plan), "--lang", "en"]
    done = runner.invoke(
        app, ["hazard", "edit", "HZ-20260110-AAAA", "--basis", "安监总管四〔2017〕129号", *args]
    )
    assert done.exit_code == 1, done.stdout
    assert "replaced from 2023-05-15" in done.stdout + done.stderr
    assert (plan / "data" / "hazards" / "HZ-20260110-AAAA.yaml").read_bytes() == before
