"""The register as officers keep it: withdrawal, 延期, plan revisions, corrections, and
states that tell the truth (failed acceptance, rectified late, done late, no data).

Every edit is run through the CLI; files are compared byte for byte, and a refusal must
leave every file as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app, hazard_edit, session
from safeplan.money import format_yuan, parse_amount

FIXTURE = Path(__file__).parent / "data" / "status" / "hazards"
CLOSED = "HZ-20240315-A7K2"  # major, closed 2024-07-02
OPEN = "HZ-20241102-Q3TF"  # major, open, deadline 2024-12-15
STOCK = "HZ-20230910-K8WE"  # major, open since 2023, deadline 2023-12-31


@pytest.fixture
def root(plan_root: Path) -> Path:
    for src in FIXTURE.glob("*.yaml"):
        shutil.copy(src, plan_root / "data" / "hazards" / src.name)
    return plan_root


def run(runner: CliRunner, root: Path, *args: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--root", str(root), "--lang", lang])


def _files(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _hazard(root: Path, hid: str) -> str:
    return (root / "data" / "hazards" / f"{hid}.yaml").read_text(encoding="utf-8")


def _json(runner: CliRunner, root: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = run(runner, root, *args, "--json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.fixture
def refused(runner: CliRunner, root: Path):  # type: ignore[no-untyped-def]
    def check(args: list[str], code: int, *texts: str) -> None:
        before = _files(root)
        result = run(runner, root, *args)
        assert result.exit_code == code, result.output
        for text in texts:
            assert text in result.output, result.output
        assert _files(root) == before, "a refused edit changed a file"

    return check


# --------------------------------------------------------------------------- withdrawal


def test_withdraw_keeps_the_file_and_leaves_the_counts(runner: CliRunner, root: Path) -> None:
    before = _hazard(root, OPEN)
    result = run(
        runner, root, "hazard", "withdraw", OPEN, "--reason", "与 HZ-20241101-AAAA 重复登记",
        "--by", "镇安监站 站长", "--on", "2024-11-05",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "withdrawn (撤销) on 2024-11-05" in result.output
    assert _hazard(root, OPEN) == before + (
        "withdrawal:\n"
        "  on: 2024-11-05\n"
        "  reason: 与 HZ-20241101-AAAA 重复登记\n"
        "  by: 镇安监站 站长\n"
    )
    doc = _json(runner, root, "status", "--as-of", "2024-12-20")
    hazards = doc["hazards"]
    assert OPEN not in [h["id"] for h in hazards["items"]]
    assert [h["id"] for h in hazards["withdrawn"]] == [OPEN]
    assert hazards["counts"]["major"]["withdrawn"] == 1
    assert hazards["counts"]["major"]["closed"] == 1  # the withdrawn one is never closed
    assert OPEN not in hazards["overdue"]
    # before the withdrawal it was an ordinary open hazard
    early = _json(runner, root, "status", "--as-of", "2024-11-04")
    assert OPEN in [h["id"] for h in early["hazards"]["items"]]
    shown = run(runner, root, "hazard", "show", OPEN, "--as-of", "2024-12-20")
    assert "withdrawn" in shown.stdout and "重复登记" in shown.stdout
    zh = run(runner, root, "status", "--as-of", "2024-12-20", lang="zh")
    assert f"已撤销、不计入统计：{OPEN}" in zh.stdout
    assert run(runner, root, "validate").exit_code == 0


def test_withdraw_refusals(runner: CliRunner, root: Path, refused) -> None:  # type: ignore[no-untyped-def]
    refused(["hazard", "withdraw", OPEN, "--reason", "重复"], 2, "needs --by NAME")
    refused(["hazard", "withdraw", CLOSED, "--reason", "重复", "--by", "x"], 1, "was closed")
    assert (
        run(runner, root, "hazard", "withdraw", OPEN, "--reason", "重复", "--by", "x").exit_code
        == 0
    )
    refused(["hazard", "withdraw", OPEN, "--reason", "again", "--by", "x"], 1, "was withdrawn")
    refused(["hazard", "rectify", OPEN], 1, "was withdrawn", "recording a rectification")
    refused(["hazard", "extend", OPEN, "--to", "2025-01-31", "--reason", "r", "--approved-by", "a"],
            1, "was withdrawn")  # fmt: skip


# --------------------------------------------------------------------------- 延期


def test_extension_keeps_the_original_deadline_and_counts_from_its_day(
    runner: CliRunner, root: Path
) -> None:
    before = _hazard(root, OPEN)
    result = run(
        runner, root, "hazard", "extend", OPEN, "--to", "2025/1/31", "--reason", "配件到货延迟",
        "--approved-by", "县应急管理局", "--on", "2024-12-10",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "deadline extended (延期) from 2024-12-15 to 2025-01-31" in result.output
    assert _hazard(root, OPEN) == before.replace(
        "  contingency_plan: 禁止室内充电\n",
        "  contingency_plan: 禁止室内充电\n"
        "extensions:\n"
        "  - on: 2024-12-10\n"
        "    from: 2024-12-15\n"
        "    to: 2025-01-31\n"
        "    reason: 配件到货延迟\n"
        "    approved_by: 县应急管理局\n",
    )
    assert "deadline: 2024-12-15" in _hazard(root, OPEN)  # never overwritten
    # before the extension was granted, the original deadline was in force
    row = _row(runner, root, OPEN, "2024-12-09")
    assert (row["deadline"], row["extended"], row["overdue"]) == ("2024-12-15", False, False)
    # an --as-of after the old deadline, before the extension: (no such day: granted 12-10)
    row = _row(runner, root, OPEN, "2024-12-20")
    assert (row["deadline"], row["extended"], row["overdue"]) == ("2025-01-31", True, False)
    assert row["original_deadline"] == "2024-12-15"
    row = _row(runner, root, OPEN, "2025-02-03")
    assert (row["overdue"], row["days_overdue"]) == (True, 3)
    shown = run(runner, root, "hazard", "show", OPEN, "--as-of", "2024-12-20", lang="zh")
    assert "已延期至 2025-01-31（原定 2024-12-15）" in "".join(shown.stdout.split("\n"))
    listing = run(runner, root, "hazard", "list", "--as-of", "2024-12-20", lang="zh")
    assert "已延期" in listing.stdout
    assert run(runner, root, "validate").exit_code == 0


def test_an_extension_granted_late_leaves_the_days_before_it_overdue(
    runner: CliRunner, root: Path
) -> None:
    result = run(
        runner, root, "hazard", "extend", OPEN, "--to", "2025-03-31", "--reason", "资金未到位",
        "--approved-by", "镇政府", "--on", "2025-01-10",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    row = _row(runner, root, OPEN, "2025-01-05")
    assert (row["deadline"], row["overdue"], row["days_overdue"]) == ("2024-12-15", True, 21)
    row = _row(runner, root, OPEN, "2025-01-10")
    assert (row["deadline"], row["overdue"]) == ("2025-03-31", False)


def test_extension_refusals(refused) -> None:  # type: ignore[no-untyped-def]
    ext = ["--reason", "r", "--approved-by", "a"]
    refused(["hazard", "extend", OPEN, "--to", "2024-12-01", *ext, "--on", "2024-11-20"],
            1, "not after the deadline in force on 2024-11-20 (2024-12-15)")  # fmt: skip
    refused(["hazard", "extend", CLOSED, "--to", "2025-12-01", *ext], 1, "is closed")
    refused(["hazard", "extend", OPEN, "--to", "2025-02-30", *ext], 2, "not a real day")
    refused(["hazard", "extend", OPEN, "--to", "2025-01-31", "--reason", "r"], 2, "--approved-by")
    refused(["hazard", "extend", OPEN, "--to", "2025-01-31", *ext, "--on", "2023-01-01"],
            1, "before the plan began")  # fmt: skip


# --------------------------------------------------------------------------- 五落实 revised


def test_plan_revision_keeps_the_previous_plan(runner: CliRunner, root: Path) -> None:
    result = run(
        runner, root, "hazard", "plan", OPEN, "--deadline", "2025-01-15", "--funds", "1.2万",
        "--on", "2024-12-01", "--by", "镇综合执法局", "--reason", "增加集中充电桩",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = _hazard(root, OPEN)
    assert text.endswith(
        "rectification_plan:\n"
        "  on: 2024-12-01\n"
        "  measures: 拆除违规充电线路，设置集中充电点\n"
        "  funds: 1.2万\n"
        "  deadline: 2025-01-15\n"
        "  responsible_person: 周八\n"
        "  contingency_plan: 禁止室内充电\n"
        "plan_revisions:\n"
        "  - on: 2024-12-01\n"
        "    by: 镇综合执法局\n"
        "    reason: 增加集中充电桩\n"
        "    previous:\n"
        "      measures: 拆除违规充电线路，设置集中充电点\n"
        "      funds: 0.5万元\n"
        "      deadline: 2024-12-15\n"
        "      responsible_person: 周八\n"
        "      contingency_plan: 禁止室内充电\n"
    ), text
    assert _row(runner, root, OPEN, "2024-11-30")["deadline"] == "2024-12-15"
    row = _row(runner, root, OPEN, "2024-12-20")
    assert (row["deadline"], row["overdue"], row["funds"]) == ("2025-01-15", False, "12000.0")
    assert run(runner, root, "validate").exit_code == 0


def test_a_major_hazard_gets_its_plan_days_after_registration(
    runner: CliRunner, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _today(monkeypatch, "2026-11-20")  # registered the day it was found: the plan may follow
    new = run(
        runner, root, "hazard", "new", "--title", "粉尘涉爆", "--level", "重大", "--unit",
        "镇安监站", "--source", "检查", "--discovered", "2026-11-20",
    )  # fmt: skip
    assert new.exit_code == 0, new.output
    hid = new.output.split("registered ")[1].split(",")[0]
    _today(monkeypatch, "2026-12-07")
    status = _json(runner, root, "status", "--as-of", "2026-11-21")
    assert hid in status["hazards"]["plan_missing"]
    plan = run(
        runner, root, "hazard", "plan", hid, "--measures", "加装泄爆片", "--funds", "3万元",
        "--deadline", "2026-12-31", "--plan-person", "孙八", "--contingency", "停用除尘系统",
        "--on", "2026-11-24",
    )  # fmt: skip
    assert plan.exit_code == 0, plan.output
    assert "rectification plan (五落实) recorded on 2026-11-24" in plan.output
    assert "  on: 2026-11-24\n" in _hazard(root, hid)
    assert _json(runner, root, "status", "--as-of", "2026-11-25")["hazards"]["plan_missing"] == []
    # the day before the plan was set, it was still missing
    before = _json(runner, root, "status", "--as-of", "2026-11-23")
    assert hid in before["hazards"]["plan_missing"]


def _today(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    """ "Today" in Asia/Shanghai is ``day`` (04:00 UTC is noon there)."""
    moment = dt.datetime.fromisoformat(day).replace(hour=4, tzinfo=dt.UTC)
    monkeypatch.setattr(session, "utc_now", lambda: moment)


def test_a_major_hazard_registered_past_its_plan_days_needs_the_plan_now(
    runner: CliRunner, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19 item 8: found 2026-10-12, registered 2026-12-07 with no 五落实 — refused in a
    non-interactive run, naming the options, saying it is late; nothing written."""
    _today(monkeypatch, "2026-12-07")
    before = sorted(p.name for p in (root / "data" / "hazards").iterdir())
    args = ["hazard", "new", "--title", "深基坑支护变形", "--level", "重大", "--unit", "镇安监站"]
    args += ["--source", "检查", "--discovered", "2026/10/12"]
    refused = run(runner, root, *args)
    assert refused.exit_code == 2
    assert (
        "a major hazard found on 2026-10-12 is registered after its rectification plan "
        "(五落实) was due (2026-10-19, 7 days after), so it is late and cannot follow: give "
        "--measures, --funds, --deadline, --plan-person, --contingency now" in refused.stderr
    )
    assert "within 7 days" not in refused.output
    zh = run(runner, root, *args, lang="zh")
    assert "已晚于应录入五落实的期限" in zh.stderr
    assert sorted(p.name for p in (root / "data" / "hazards").iterdir()) == before
    # Part of the plan: the rest is named.
    part = run(runner, root, *args, "--measures", "加固支护", "--deadline", "2026-12-31")
    assert part.exit_code == 2
    assert "give --funds, --plan-person, --contingency now" in part.stderr
    # The whole plan: registered, and the next validate passes.
    plan = ["--measures", "加固支护", "--funds", "8万元", "--deadline", "2026-12-31"]
    plan += ["--plan-person", "项目经理 钱九", "--contingency", "基坑周边停止作业"]
    done = run(runner, root, *args, *plan)
    assert done.exit_code == 0, done.output
    assert run(runner, root, "validate").exit_code == 0


def test_a_late_plan_is_asked_for_on_a_terminal_saying_it_is_late(
    runner: CliRunner, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hazard_edit, "interactive", lambda: True)
    _today(monkeypatch, "2026-12-07")
    args = ["hazard", "new", "--title", "深基坑支护变形", "--level", "major", "--unit", "镇安监站"]
    args += ["--source", "inspection", "--discovered", "2026-10-12"]
    answers = "加固支护\n8万元\n2026-12-31\n项目经理 钱九\n基坑周边停止作业\n"
    result = runner.invoke(app, [*args, "--root", str(root), "--lang", "en"], input=answers)
    assert result.exit_code == 0, result.output
    assert "its rectification plan (五落实) was due by 2026-10-19" in result.stderr
    assert "so it is late: enter it now" in result.stderr
    assert "Rectification measures" in result.output
    assert run(runner, root, "validate").exit_code == 0


def test_plan_refusals(refused) -> None:  # type: ignore[no-untyped-def]
    refused(["hazard", "plan", OPEN], 2, "give at least one of --measures")
    refused(["hazard", "plan", OPEN, "--funds", "0.5万元"], 1, "already says this")
    refused(["hazard", "plan", OPEN, "--funds", "很多"], 1, "not an amount with its unit")
    refused(["hazard", "plan", CLOSED, "--funds", "1万元"], 1, "is closed")


# --------------------------------------------------------------------------- corrections


def test_edit_corrects_registration_facts_and_records_each_change(
    runner: CliRunner, root: Path
) -> None:
    result = run(
        runner, root, "hazard", "edit", STOCK, "--title", "加油站卸油区防静电接地失效",
        "--unit", "镇综合执法局", "--by", "镇安监站 张三", "--on", "2024-03-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = _hazard(root, STOCK)
    # the value keeps the quotes it was written with
    assert text.startswith('id: HZ-20230910-K8WE\ntitle: "加油站卸油区防静电接地失效"\n')
    assert "responsible_unit: 镇综合执法局\n" in text
    assert text.endswith(
        "corrections:\n"
        "  - on: 2024-03-01\n"
        "    by: 镇安监站 张三\n"
        "    field: title\n"
        "    from: '[bold]不是标记[/bold] 加油站卸油区防静电接地失效'\n"
        "    to: 加油站卸油区防静电接地失效\n"
        "  - on: 2024-03-01\n"
        "    by: 镇安监站 张三\n"
        "    field: responsible_unit\n"
        "    from: 镇安监站\n"
        "    to: 镇综合执法局\n"
    ), text
    zh = run(runner, root, "hazard", "show", STOCK, lang="zh")
    assert "更正记录" in zh.stdout and "原内容" in zh.stdout
    assert run(runner, root, "validate").exit_code == 0


def test_edit_refusals(refused) -> None:  # type: ignore[no-untyped-def]
    refused(["hazard", "edit", STOCK], 2, "give at least one of --title")
    refused(["hazard", "edit", STOCK, "--unit", "安监站"], 2, "no unit '安监站'")
    refused(["hazard", "edit", STOCK, "--unit", "镇安监站"], 1, "already says this")
    refused(["hazard", "edit", OPEN, "--credit-code", "91150400MA0N1234XL"], 2, "--enterprise")
    refused(["hazard", "edit", CLOSED, "--credit-code", "91150400MA0N1234X5"], 1, "check digit")


def test_a_typed_unit_and_credit_code_are_read_as_registration_reads_them(
    runner: CliRunner, root: Path
) -> None:
    # hazard new and hazard edit both take blanks around a unit and a code in lower case
    # or full-width capitals (an input method), and write what the register keeps.
    assert run(runner, root, "hazard", "edit", STOCK, "--unit", " 镇综合执法局 ").exit_code == 0
    assert "responsible_unit: 镇综合执法局\n" in _hazard(root, STOCK)
    new = run(
        runner, root, "hazard", "new", "--title", "仓库堵塞安全出口", "--level", "general",
        "--unit", "镇安监站", "--source", "inspection", "--discovered", "2024-05-06",
        "--deadline", "2024-05-20", "--enterprise", "某镇某物流有限公司",
        "--credit-code", " 91150400ma0n1234xl ", "--id", "HZ-20240506-CC11",
    )  # fmt: skip
    assert new.exit_code == 0, new.output
    assert "credit_code: '91150400MA0N1234XL'\n" in _hazard(root, "HZ-20240506-CC11")
    edited = run(
        runner,
        root,
        "hazard",
        "edit",
        "CC11",
        "--credit-code",
        "９１１５０４２５８９００Ｅ１０２３７",
    )
    assert edited.exit_code == 0, edited.output
    assert "credit_code: '911504258900E10237'\n" in _hazard(root, "HZ-20240506-CC11")


# --------------------------------------------------------------------------- states


def _row(runner: CliRunner, root: Path, hid: str, day: str) -> dict:  # type: ignore[type-arg]
    doc = _json(runner, root, "hazard", "show", hid, "--as-of", day)
    return doc


def test_a_failed_acceptance_is_to_be_rectified_again(runner: CliRunner, root: Path) -> None:
    assert run(runner, root, "hazard", "rectify", OPEN, "--on", "2024-12-01").exit_code == 0
    failed = run(
        runner, root, "hazard", "accept", OPEN, "--by", "县应急管理局", "--result", "不合格",
        "--on", "2024-12-05", "--note", "充电点未设置防火分隔", "--evidence", "县应急〔2024〕9号",
    )  # fmt: skip
    assert failed.exit_code == 0, failed.output
    assert "result: failed" in _hazard(root, OPEN)
    row = _row(runner, root, OPEN, "2024-12-06")
    assert (row["state"], row["overdue"]) == ("failed", False)
    assert _row(runner, root, OPEN, "2024-12-20")["overdue"] is True  # past 12-15, not fixed
    zh = run(runner, root, "hazard", "show", OPEN, "--as-of", "2024-12-06", lang="zh")
    assert "验收不合格，待重新整改" in zh.stdout
    assert "充电点未设置防火分隔" in zh.stdout and "县应急〔2024〕9号" in zh.stdout
    status = _json(runner, root, "status", "--as-of", "2024-12-06")
    assert status["hazards"]["counts"]["major"]["failed"] == 1
    listing = run(runner, root, "hazard", "list", "--state", "验收不合格", "--as-of", "2024-12-06")
    assert OPEN in listing.stdout and CLOSED not in listing.stdout


def test_rectified_on_time_is_never_overdue_and_late_is_said(runner: CliRunner, root: Path) -> None:
    # CLOSED was rectified on 2024-06-20, ten days before its deadline.
    assert _row(runner, root, CLOSED, "2024-07-01")["overdue"] is False
    assert run(runner, root, "hazard", "rectify", STOCK, "--on", "2024-02-10").exit_code == 0
    row = _row(runner, root, STOCK, "2024-03-01")
    assert (row["state"], row["overdue"], row["rectified_late_days"]) == ("rectified", False, 41)
    zh = run(runner, root, "hazard", "list", "--as-of", "2024-03-01", lang="zh")
    assert "逾期整改 41 天" in zh.stdout


def test_a_task_done_late_is_not_done_on_time(runner: CliRunner, root: Path) -> None:
    # task 3's deadline is 2024-09-30
    assert run(runner, root, "task", "done", "3", "--on", "2025-01-15").exit_code == 0
    doc = _json(runner, root, "task", "show", "3", "--as-of", "2025-02-01")
    assert (doc["status"], doc["days_late"]) == ("done_late", 107)
    status = _json(runner, root, "status", "--as-of", "2025-02-01")
    assert status["tasks"]["counts"]["done_late"] == 1
    zh = run(runner, root, "task", "list", "--as-of", "2025-02-01", lang="zh")
    assert "逾期完成107天" in "".join(zh.stdout.split())  # however the cell folds


def test_done_on_an_ongoing_task_and_before_the_plan_are_refused(refused) -> None:  # type: ignore[no-untyped-def]
    refused(["task", "done", "6"], 1, "ongoing (长期坚持)", "task progress 6")
    refused(["task", "progress", "3", "x", "--on", "2023-12-31"], 1, "before the plan began")


def test_goals_on_no_data_say_so(runner: CliRunner, plan_root: Path) -> None:
    doc = _json(runner, plan_root, "status", "--as-of", "2026-11-28")
    assert {g["verdict"] for g in doc["goals"]} == {"no_data"}
    zh = run(runner, plan_root, "status", "--as-of", "2026-11-28", lang="zh")
    assert "无登记的重大隐患" in zh.stdout
    assert "0 项中已销号 0 项" not in zh.stdout


def test_a_closure_without_acceptance_is_listed_as_invalid(runner: CliRunner, root: Path) -> None:
    path = root / "data" / "hazards" / f"{OPEN}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "closure:\n  on: 2024-12-10\n  reviewer: 站长\n",
        encoding="utf-8",
    )
    assert run(runner, root, "validate").exit_code == 1
    listing = run(runner, root, "hazard", "list", "--as-of", "2024-12-20", lang="zh")
    line = next(x for x in listing.stdout.splitlines() if OPEN in x)
    assert "记录有误" in line and "已销号" not in line
    doc = _json(runner, root, "status", "--as-of", "2024-12-20")
    assert doc["hazards"]["invalid"] == [OPEN]
    assert doc["hazards"]["counts"]["major"]["closed"] == 1  # only the real one
    assert doc["hazards"]["counts"]["major"]["invalid"] == 1


# --------------------------------------------------------------------------- typing


@pytest.mark.parametrize(
    "typed",
    ["2024-3-5", "2024/3/5", "2024.3.5", "2024年3月5日", "２０２４－０３－０５", "20240305"],
)
def test_dates_as_officers_type_them(runner: CliRunner, root: Path, typed: str) -> None:
    result = run(runner, root, "hazard", "note", STOCK, "复查", "--on", typed)
    assert result.exit_code == 0, result.output
    assert "note added on 2024-03-05" in result.output
    assert "  - on: 2024-03-05\n    text: 复查\n" in _hazard(root, STOCK)


def test_ids_resolve_from_a_unique_end_any_case_or_width(runner: CliRunner, root: Path) -> None:
    for typed in ("q3tf", "Q3TF", "20241102-Q3TF", "hz－20241102－q3tf", "ＨＺ-20241102-Ｑ３ＴＦ"):
        result = run(runner, root, "hazard", "show", typed, "--json")
        assert result.exit_code == 0, (typed, result.output)
        assert json.loads(result.stdout)["id"] == OPEN
    (root / "data" / "hazards" / f"{OPEN}.yaml").rename(
        root / "data" / "hazards" / "HZ-20241103-Q3TF.yaml"
    )
    shutil.copy(FIXTURE / f"{OPEN}.yaml", root / "data" / "hazards" / f"{OPEN}.yaml")
    ambiguous = run(runner, root, "hazard", "note", "Q3TF", "x")
    assert ambiguous.exit_code == 2
    assert "'Q3TF' matches 2 hazards: HZ-20241102-Q3TF, HZ-20241103-Q3TF" in ambiguous.output


def test_options_typed_with_a_chinese_input_method(runner: CliRunner, root: Path) -> None:
    result = run(runner, root, "hazard", "list", "——level", "重大", "--as-of", "2024-12-20")
    assert result.exit_code == 0, result.output
    assert OPEN in result.stdout
    note = run(runner, root, "hazard", "note", STOCK, "——（补充）现场复查")
    assert note.exit_code == 0, note.output
    assert "text: ——（补充）现场复查" in _hazard(root, STOCK)  # a note is not an option
    assert run(runner, root, "task", "show", "８").exit_code == 0
    state = run(runner, root, "hazard", "list", "--state", "逾期")
    assert state.exit_code == 2 and "use --overdue" in state.output


# --------------------------------------------------------------------------- history


def _git(root: Path, *args: str) -> None:
    import subprocess

    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(root: Path) -> Path:
    _git(root, "init", "-q")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")
    return root


def test_extensions_and_plans_are_facts_that_stay(runner: CliRunner, repo: Path) -> None:
    ext = run(runner, repo, "hazard", "extend", OPEN, "--to", "2025-01-31", "--reason", "r",
              "--approved-by", "a", "--on", "2024-12-10", "--commit")  # fmt: skip
    assert ext.exit_code == 0, ext.output
    path = repo / "data" / "hazards" / f"{OPEN}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.split("extensions:")[0], encoding="utf-8")  # the extension deleted
    gone = run(runner, repo, "validate")
    assert gone.exit_code == 1
    assert (
        "the extension (延期) of 2024-12-10 recorded in HEAD is no longer in the record"
        in gone.output
    )
    path.write_text(text.replace("funds: 0.5万元", "funds: 0.8万元"), encoding="utf-8")
    rewritten = run(runner, repo, "validate")
    assert "the rectification plan (五落实) with the deadline 2024-12-15" in rewritten.output


def test_a_registration_fact_changed_by_hand_is_an_error(runner: CliRunner, repo: Path) -> None:
    # Issue 18 item 4: a change with no record of what it was is an error (it was a warning).
    path = repo / "data" / "hazards" / f"{OPEN}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("镇区某出租屋", "镇区某出租房"), encoding="utf-8"
    )
    by_hand = run(runner, repo, "validate")
    assert by_hand.exit_code == 1
    assert (
        "location changed since HEAD from '镇区某出租屋' to '镇区某出租房' with no record of the "
        f"correction: put back '镇区某出租屋' and record the change with 'safeplan hazard edit "
        f"{OPEN} --location 镇区某出租房'" in by_hand.output
    )
    shutil.copy(FIXTURE / f"{OPEN}.yaml", path)
    edited = run(runner, repo, "hazard", "edit", OPEN, "--location", "镇区某出租房")
    assert edited.exit_code == 0, edited.output
    assert "changed since" not in run(runner, repo, "validate").output


# --------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("text", "yuan"),
    [("45万元", 450000), ("4500元", 4500), ("4.5万", 45000), ("¥4,500元", 4500), ("１２万元", 120000),
     ("0.3亿元", 30000000), ("2千元", 2000), ("45", None), ("约45万元", 450000), ("企业自筹3万元", 30000),
     ("财政补助：2万元", 20000), ("45万元左右", None), ("企业自筹", None), ("两千元", None),
     ("10000亿元", 10**12), ("1" + "0" * 40 + "万元", None), ("10001亿元", None)],
)  # fmt: skip
def test_funds_are_read_as_an_amount(text: str, yuan: int | None) -> None:
    got = parse_amount(text)
    assert got == (Decimal(yuan) if yuan is not None else None)


@pytest.mark.parametrize(
    "cell", ["NaN", "Infinity", "1e400", 1e300, float("nan"), "1,2,3", "-5", "abc"]
)
def test_a_ledger_cell_that_is_no_amount_is_a_problem_of_the_cell(cell: object) -> None:
    from safeplan.importers.ledger.cells import CellProblem, funds

    with pytest.raises(CellProblem):
        funds(cell, 10000)


def test_a_huge_amount_on_the_command_line_is_refused_not_a_crash(
    runner: CliRunner, root: Path
) -> None:
    done = run(runner, root, "hazard", "plan", OPEN, "--funds", "1" + "0" * 40 + "万元")
    assert done.exit_code == 1, done.output
    assert "is not an amount with its unit" in done.stderr and "nothing was written" in done.stderr
    assert run(runner, root, "hazard", "show", OPEN).exit_code == 0


def test_amounts_are_written_back_as_a_county_return_writes_them() -> None:
    assert format_yuan(Decimal(450000)) == "45万元"
    assert format_yuan(Decimal(4500)) == "4500元"
    assert format_yuan(Decimal(12345)) == "12345元"
