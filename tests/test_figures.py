"""The figures the county reads: 整改率, 销号率 and 重大隐患整改率 defined once and shown alike
everywhere; the source a typed word means; the load per unit; the rows status hides."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.models.views import HazardRow
from safeplan.problems import Coded
from safeplan.views.rates import rates

REPORT = Path(__file__).parent / "data" / "report"
AS_OF = "2026-11-30"


def _row(hid: str, level: str, state: str, invalid: bool = False) -> HazardRow:
    return HazardRow.model_construct(id=hid, level=level, state=state, invalid=invalid)


def test_each_rate_counts_what_county_returns_count() -> None:
    rows = [
        _row("m-open", "major", "open"),
        _row("m-failed", "major", "failed"),  # failed acceptance: not rectified
        _row("m-rectified", "major", "rectified"),  # awaiting acceptance: rectified
        _row("m-closed", "major", "closed"),
        _row("g-accepted", "general", "accepted"),  # awaiting closure: rectified
        _row("g-closed", "general", "closed"),
        _row("g-withdrawn", "general", "withdrawn"),  # neither found nor rectified
        _row("g-invalid", "general", "closed", invalid=True),  # not believed
    ]
    r = rates(rows)
    assert (r.found, r.rectified, r.closed) == (7, 4, 2)
    assert r.rectification_rate == Decimal("57.1")  # 4 ÷ 7
    assert r.closure_rate == Decimal("28.6")  # 2 ÷ 7
    assert (r.major_found, r.major_rectified) == (4, 2)
    assert r.major_rectification_rate == Decimal("50.0")


def test_no_hazard_found_gives_no_rate_not_zero() -> None:
    r = rates([_row("w", "major", "withdrawn")])
    assert r.found == 0
    assert r.rectification_rate is r.closure_rate is r.major_rectification_rate is None


@pytest.fixture
def report_root(tmp_path: Path) -> Path:
    """The report fixture: hazards in every state (open, failed, awaiting acceptance,
    awaiting closure, closed, withdrawn), major and general."""
    root = tmp_path / "plan"
    for part in ("plan", "data"):
        shutil.copytree(REPORT / part, root / part)
    return root


def _json(runner: CliRunner, root: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, [*args, "--root", str(root), "--json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_status_report_and_ledger_give_the_same_rates(runner: CliRunner, report_root: Path) -> None:
    status = _json(runner, report_root, "status", "--as-of", AS_OF)["hazards"]["rates"]
    assert status == {
        "found": 14,  # 16 registered, 2 withdrawn
        "rectified": 7,  # 1 awaiting acceptance + 1 awaiting closure + 5 closed
        "closed": 5,
        "rectification_rate": "50.0",
        "closure_rate": "35.7",
        "major_found": 7,
        "major_rectified": 3,
        "major_rectification_rate": "42.9",
    }
    report = _json(runner, report_root, "report", "monthly", "--month", "2026-11")
    headline = report["headline"]
    assert headline["rates_total"] == status
    # The JSON only grows: the old figure stays, as the 销号率 it always was.
    assert headline["rate_total"] == {"closed": 5, "found": 14, "percent": "35.7"}
    assert headline["rates_period"]["found"] == headline["rate_period"]["found"] == 5
    assert headline["rates_period"]["rectified"] == 2
    industries = {row["industry"]: row for row in report["industries"]}
    assert sum(row["rates"]["found"] for row in industries.values()) == 14
    assert sum(row["rates"]["rectified"] for row in industries.values()) == 7
    # 道路交通: one hazard awaiting closure, no funds recorded.
    road = industries["道路交通"]
    assert road["rates"]["rectification_rate"] == "100.0"
    assert road["rates"]["closure_rate"] == "0.0"
    assert (road["funds_reported"], road["funds_missing"]) == (0, 1)

    ledger = _json(runner, report_root, "export", "ledger", "--as-of", AS_OF)
    assert ledger["cover"]["rates"] == status


def test_the_rates_and_their_definition_are_shown_where_they_are_read(
    runner: CliRunner, report_root: Path
) -> None:
    shown = runner.invoke(app, ["status", "--root", str(report_root), "--as-of", AS_OF])
    screen = re.sub(r"\s+", "", shown.stdout)
    assert "整改率50.0%（7/14）" in screen and "销号率35.7%（5/14）" in screen
    assert "重大隐患整改率42.9%（3/7）" in screen
    assert "验收不合格的计为未整改" in screen
    english = runner.invoke(
        app, ["status", "--root", str(report_root), "--as-of", AS_OF, "--lang", "en"]
    )
    assert "Rectification rate 50.0% (7/14)" in english.stdout
    assert "a failed acceptance counts as not rectified" in english.stdout
    md = runner.invoke(
        app, ["report", "monthly", "--month", "2026-11", "--stdout", "--root", str(report_root)]
    ).stdout
    assert "| 整改率 | 40.0%（2/5） | 50.0%（7/14） |" in md
    assert "整改率（销号数 ÷ 发现数）" not in md
    # Funds not recorded are unknown, not zero.
    assert "| 道路交通 |" in md and "| 0.00 |" not in md
    assert re.search(r"\| 道路交通 \|.*\| 未填报 \|", md)
    # The sentence agrees with the table: 5 done, 2 of them late.
    assert "重点任务已完成 5 项（其中逾期完成 2 项）" in md


# --------------------------------------------------------------------------- sources


def test_paicha_alone_is_refused_naming_both_sources(runner: CliRunner, plan_root: Path) -> None:
    before = sorted((plan_root / "data" / "hazards").iterdir())
    args = ["hazard", "new", "--title", "配电箱未接地", "--level", "一般", "--unit", "镇安监站",
            "--deadline", "2026-12-31", "--discovered", "2026-11-20", "--root", str(plan_root)]  # fmt: skip
    zh = runner.invoke(app, [*args, "--source", "排查"])
    assert zh.exit_code == 2
    assert "“排查”可能指企业自查、部门检查：请写明是哪一种" in zh.stderr
    en = runner.invoke(app, [*args, "--source", "排查", "--lang", "en"])
    assert en.exit_code == 2
    assert "'排查' could mean any of self-check, inspection: write which one" in en.stderr
    assert sorted((plan_root / "data" / "hazards").iterdir()) == before
    # A town's or village's own sweep is the town's inspection, 部门检查.
    ok = runner.invoke(app, [*args, "--source", "镇村排查"])
    assert ok.exit_code == 0, ok.output
    (made,) = set((plan_root / "data" / "hazards").iterdir()) - set(before)
    assert "source: inspection" in made.read_text(encoding="utf-8")
    shown = runner.invoke(app, ["hazard", "show", made.stem, "--root", str(plan_root)])
    assert "部门检查" in shown.stdout and "排查" not in shown.stdout.split("隐患来源")[1][:10]


# --------------------------------------------------------------------------- load and hidden rows


def test_an_ongoing_task_reported_on_lately_is_still_unfinished(
    runner: CliRunner, plan_root: Path
) -> None:
    done = runner.invoke(
        app,
        ["task", "progress", "6", "季度自查自改情况已汇总", "--on", "2026-12-01",
         "--root", str(plan_root)],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    ov = _json(runner, plan_root, "status", "--as-of", "2026-12-07")
    assert ov["tasks"]["counts"]["current"] == 1
    station = next(u for u in ov["units"] if u["name"] == "镇安监站")
    not_done = [
        row["number"]
        for row in ov["tasks"]["items"]
        if row["status"] not in ("done", "done_late") and row["lead_unit"] == "镇安监站"
    ]
    assert station["lead_open"] == len(not_done) == 20


def test_status_hides_only_overdue_rows_and_names_exactly_those(
    runner: CliRunner, plan_root: Path
) -> None:
    shown = runner.invoke(
        app, ["status", "--root", str(plan_root), "--as-of", "2026-12-07", "--lang", "en"]
    )
    screen = shown.stdout
    hint = re.search(
        r"… and (\d+) more overdue, not shown: safeplan task list --number ([\d,]+)", screen
    )
    assert hint is not None, screen
    hidden = [int(n) for n in hint[2].split(",")]
    assert len(hidden) == int(hint[1]) == 6
    table = screen.split("Hazards")[0]
    listed = {int(m) for m in re.findall(r"^\s+(\d+)\s{2,}", table, re.M)}
    # Due soon (17) and stale (6, 20) are shown; nothing is both shown and hidden.
    assert {17, 6, 20} <= listed and not listed & set(hidden)
    ov = _json(runner, plan_root, "status", "--as-of", "2026-12-07")
    late = {
        r["number"] for r in ov["tasks"]["items"] if r["status"] in ("overdue", "stale", "due_soon")
    }
    assert listed | set(hidden) == late
    # The command of the hint lists exactly the hidden rows.
    listing = _json(runner, plan_root, "task", "list", "--number", hint[2], "--as-of", "2026-12-07")
    assert [t["number"] for t in listing["tasks"]] == sorted(hidden)
    assert all(t["status"] == "overdue" for t in listing["tasks"])


def test_status_says_how_many_overdue_hazards_are_hidden_and_lists_them_all(
    runner: CliRunner, plan_root: Path
) -> None:
    for i in range(1, 18):  # 17 overdue hazards: 15 shown
        (plan_root / "data" / "hazards" / f"HZ-202611{i:02d}-ABC{i % 10}.yaml").write_text(
            f"id: HZ-202611{i:02d}-ABC{i % 10}\ntitle: 配电箱未接地{i}\nlevel: general\n"
            f"discovered_on: 2026-11-{i:02d}\nsource: inspection\nresponsible_unit: 镇安监站\n"
            f"rectification_plan:\n  deadline: 2026-11-{i + 1:02d}\n",
            encoding="utf-8",
        )
    args = ["status", "--root", str(plan_root), "--as-of", "2026-12-07"]
    zh = runner.invoke(app, args).stdout
    assert "……另有逾期隐患 2 项未列出；全部 17 项：safeplan hazard list --overdue" in zh
    en = runner.invoke(app, [*args, "--lang", "en"]).stdout
    assert "… and 2 more overdue, not shown; all 17: safeplan hazard list --overdue" in en
    listing = _json(runner, plan_root, "hazard", "list", "--overdue", "--as-of", "2026-12-07")
    assert len(listing["hazards"]) == 17


def test_task_list_number_refuses_what_the_plan_does_not_have(
    runner: CliRunner, plan_root: Path
) -> None:
    bad = runner.invoke(app, ["task", "list", "--number", "3,99", "--root", str(plan_root)])
    assert bad.exit_code == 2 and "没有任务 99" in bad.stderr
    typo = runner.invoke(app, ["task", "list", "--number", "3,x", "--root", str(plan_root)])
    assert typo.exit_code == 2 and "“x”不是任务编号" in typo.stderr
    ok = _json(runner, plan_root, "task", "list", "--number", "3、12")
    assert [t["number"] for t in ok["tasks"]] == [3, 12]


# --------------------------------------------------------------------------- words


def test_a_failed_acceptance_then_the_new_rectification_read_as_an_office_writes_them(
    runner: CliRunner, report_root: Path
) -> None:
    hid = "HZ-20261102-L4M5"  # failed acceptance, to rectify again
    fixed = runner.invoke(
        app, ["hazard", "rectify", hid, "--on", "2026-12-02", "--root", str(report_root)]
    )
    assert fixed.exit_code == 0, fixed.output
    shown = runner.invoke(
        app, ["hazard", "show", hid, "--root", str(report_root), "--as-of", "2026-12-03"]
    )
    text = re.sub(r"\s+", "", shown.stdout)
    failed_on = re.search(r"(\d{4}-\d\d-\d\d)验收不合格，2026-12-02重新整改完成", text)
    assert failed_on is not None, shown.stdout
    assert dt.date.fromisoformat(failed_on[1]) < dt.date(2026, 12, 2)
    assert "起重新整改：验收不合格，重新整改" not in text


def test_a_ledger_cell_saying_paicha_is_refused_naming_both() -> None:
    from safeplan import vocab
    from safeplan.importers.ledger.cells import CellProblem, coded

    assert coded(vocab.SOURCE, "企业自查") == "self-check"
    assert coded(vocab.SOURCE, "镇村排查") == "inspection"
    with pytest.raises(CellProblem) as caught:
        coded(vocab.SOURCE, "排查")
    assert caught.value.params["words"].items == (
        Coded("source", "self-check"),
        Coded("source", "inspection"),
    )


def test_the_readme_init_writes_uses_the_screens_words() -> None:
    from safeplan.importers.plantext.scaffold import scaffold

    readme = scaffold("某镇安全生产方案", "0.1.0", "镇安监站", False)["README.md"].decode()
    assert "即将到期" in readme and "临期" not in readme
    assert "--source 企业自查" in readme and "--source 排查" not in readme


def test_commit_subjects_are_in_the_plans_language() -> None:
    from safeplan.edit.subjects import SUBJECTS, subject

    zh = subject("zh", "registered", id="HZ-1", title="配电箱未接地")
    assert zh == "隐患 HZ-1：登记 配电箱未接地"
    assert subject("en", "registered", id="HZ-1", title="x") == "hazard HZ-1: registered x"
    for key, (chinese, english) in SUBJECTS.items():
        assert not re.search(r"[\u4e00-\u9fff]", english), key  # no Chinese in an English one
        assert not re.search(r"[a-z]{3,}", re.sub(r"\{\w+\}", "", chinese)), key
