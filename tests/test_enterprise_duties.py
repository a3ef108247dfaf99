"""Duties of enterprises: the state per period, the tasks that take their state from them,
golden screens, JSON and reports of the enterprise fixture at three dates, and one test
that every output's figures are the views'.

Goldens are rewritten only on purpose:
`SAFEPLAN_UPDATE_GOLDENS=1 .venv/bin/pytest -n 0 tests/test_enterprise_duties.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import enterprise_plan
from safeplan.cli import app, session
from safeplan.models.enterprises import EnterpriseRecord
from safeplan.models.records import Duty
from safeplan.repo import load
from safeplan.status.enterprises import duty_state, expired_certificates

GOLDEN = Path(__file__).parent / "data" / "enterprises" / "golden"
DATES = ("2025-06-30", "2025-10-15", "2025-12-31")
MONTHS = ("2025-06", "2025-10", "2025-12")


@pytest.fixture
def ent_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(session, "utc_now", lambda: dt.datetime(2026, 1, 5, 4, tzinfo=dt.UTC))
    return enterprise_plan(tmp_path / "plan-root")


def _out(runner: CliRunner, root: Path, *args: str, columns: int = 100) -> str:
    result = runner.invoke(app, [*args, "--root", str(root)], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


def _golden(name: str, got: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SAFEPLAN_UPDATE_GOLDENS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the state of a duty


def _duty(**kw: object) -> Duty:
    base: dict[str, object] = {
        "id": "check",
        "task": 6,
        "title": "带队检查",
        "every": "quarter",
        "high_risk_every": "month",
        "fulfilled_by": "check",
        "from": "2025-01-01",
    }
    return Duty.model_validate({**base, **kw})


def _ent(industry: str = "machinery", **kw: object) -> EnterpriseRecord:
    base: dict[str, object] = {
        "id": "QY-1",
        "name": "某厂",
        "industry": industry,
        "registered_on": "2024-06-01",
    }
    return EnterpriseRecord.model_validate({**base, **kw})


def _checks(*days: str) -> list[dict[str, str]]:
    return [{"on": d, "led_by": "甲"} for d in days]


def test_a_quarterly_duty_done_due_and_overdue() -> None:
    duty = _duty()
    ent = _ent(checks=_checks("2025-02-01", "2025-07-10"))
    st = duty_state(duty, ent, dt.date(2025, 7, 31))
    assert (st.state, st.period, st.every, st.missed) == (
        "done",
        "2025-Q3",
        "quarter",
        ("2025-Q2",),
    )
    st = duty_state(duty, ent, dt.date(2025, 11, 1))
    assert (st.state, st.missed, st.counted) == ("due", ("2025-Q2",), 3)
    st = duty_state(duty, ent, dt.date(2026, 1, 2))
    assert (st.state, st.missed) == ("overdue", ("2025-Q2", "2025-Q4"))
    assert st.last == dt.date(2025, 7, 10)


def test_a_high_risk_enterprise_is_held_to_the_monthly_period() -> None:
    ent = _ent("mining", checks=_checks("2025-01-05", "2025-03-05"))
    st = duty_state(_duty(), ent, dt.date(2025, 3, 20))
    assert (st.state, st.every, st.missed) == ("done", "month", ("2025-02",))
    overridden = _ent(
        "mining", high_risk={"value": False, "reason": "贸易"}, checks=_checks("2025-01-05")
    )
    assert duty_state(_duty(), overridden, dt.date(2025, 3, 20)).every == "quarter"


def test_periods_before_registration_or_while_not_operating_are_not_missed() -> None:
    late = _ent("mining", registered_on="2025-05-20")
    st = duty_state(_duty(), late, dt.date(2025, 7, 3))
    assert st.missed == ("2025-06",) and st.counted == 1  # May began before registration
    paused = _ent(
        "mining",
        states=[
            {"on": "2025-02-10", "state": "suspended"},
            {"on": "2025-05-01", "state": "operating"},
        ],
    )
    st = duty_state(_duty(), paused, dt.date(2025, 6, 3))
    assert st.missed == ("2025-01", "2025-05")


def test_certificates_valid_missing_and_expired() -> None:
    duty = _duty(
        id="cert", task=11, every=None, high_risk_every=None, fulfilled_by="certificate",
        roles=["principal", "safety_manager"],
    )  # fmt: skip
    cert = {"on": "2024-01-01", "role": "principal", "person": "甲", "valid_until": "2025-06-30"}
    ent = _ent(
        "mining",
        principal={"name": "甲"},
        safety_managers=[{"name": "乙"}],
        certificates=[
            cert,
            {**cert, "role": "safety_manager", "person": "乙", "valid_until": "2027-01-01"},
        ],
    )
    assert duty_state(duty, ent, dt.date(2025, 6, 30)).state == "done"
    st = duty_state(duty, ent, dt.date(2025, 7, 1))
    assert (st.state, st.lacking) == ("overdue", ("principal:甲",))
    assert [c.person for c in expired_certificates(ent, dt.date(2025, 7, 1))] == ["甲"]
    renewed = ent.model_copy(
        update={
            "certificates": [
                *ent.certificates,
                ent.certificates[0].model_copy(
                    update={"on": dt.date(2025, 6, 20), "valid_until": dt.date(2028, 6, 19)}
                ),
            ]
        }
    )
    assert expired_certificates(renewed, dt.date(2025, 7, 1)) == []


# --------------------------------------------------------------------------- tasks from duties


def test_tasks_6_11_13_take_their_state_from_the_duties(ent_root: Path, runner: CliRunner) -> None:
    rows = json.loads(_out(runner, ent_root, "task", "list", "--as-of", "2025-12-31", "--json"))
    states = {t["number"]: t["status"] for t in rows["tasks"]}
    assert (states[6], states[11], states[13]) == ("overdue", "overdue", "overdue")
    # the same plan without enterprises: the progress notes decide, as before
    for p in (ent_root / "data" / "enterprises").iterdir():
        p.unlink()
    rows = json.loads(_out(runner, ent_root, "task", "list", "--as-of", "2025-12-31", "--json"))
    states = {t["number"]: t["status"] for t in rows["tasks"]}
    assert states[6] == "stale"


def test_a_plan_without_enterprises_shows_no_enterprise_section(
    plan_root: Path, runner: CliRunner
) -> None:
    out = _out(runner, plan_root, "status", "--as-of", "2025-10-15", "--lang", "en")
    assert "Enterprises" not in out
    doc = json.loads(_out(runner, plan_root, "status", "--as-of", "2025-10-15", "--json"))
    assert doc["enterprises"] is None


# --------------------------------------------------------------------------- goldens


@pytest.mark.parametrize("day", DATES)
def test_golden_screens_and_json(ent_root: Path, runner: CliRunner, day: str) -> None:
    _golden(f"status-{day}.zh.txt", _out(runner, ent_root, "status", "--as-of", day))
    _golden(
        f"enterprise-list-{day}.en.txt",
        _out(runner, ent_root, "enterprise", "list", "--as-of", day, "--lang", "en"),
    )
    _golden(
        f"enterprise-duties-{day}.zh.txt",
        _out(runner, ent_root, "enterprise", "duties", "--as-of", day),
    )
    _golden(
        f"enterprise-list-{day}.json",
        _out(runner, ent_root, "enterprise", "list", "--as-of", day, "--json"),
    )
    _golden(
        f"enterprise-duties-{day}.json",
        _out(runner, ent_root, "enterprise", "duties", "--as-of", day, "--json"),
    )


@pytest.mark.parametrize("month", MONTHS)
def test_golden_monthly_reports(ent_root: Path, runner: CliRunner, month: str) -> None:
    out = ent_root / "out"
    _out(runner, ent_root, "report", "monthly", "--month", month, "--out", str(out))
    text = (out / f"{month}.md").read_text(encoding="utf-8")
    start = text.index("## 企业义务落实情况")
    _golden(f"report-{month}.md", text[start : text.index("\n## ", start + 1) + 1])


def test_golden_show(ent_root: Path, runner: CliRunner) -> None:
    _golden(
        "enterprise-show-chemicals-2025-10-15.zh.txt",
        _out(
            runner, ent_root, "enterprise", "show", "大井精细化工有限公司", "--as-of", "2025-10-15"
        ),
    )


# --------------------------------------------------------------------------- one set of figures


@pytest.mark.parametrize("month", MONTHS)
def test_report_status_and_listing_figures_are_the_views(
    ent_root: Path, runner: CliRunner, month: str
) -> None:
    """The report's duty figures, status's JSON and the enterprise listing agree, and each
    equals a count over the enterprises' duty cells."""
    from safeplan.periods import parse_span
    from safeplan.views.enterprises import duties_view, enterprise_list
    from safeplan.views.reports import report

    span = parse_span("month", month)
    repo = load(ent_root, today=span.end)
    rep = report(repo, span, span.end, version="test")
    assert rep.enterprises is not None
    view = duties_view(repo, span.end)
    assert rep.enterprises.duties == view
    rows = enterprise_list(repo, span.end).enterprises
    for f in view.duties:
        cells = [c for r in rows if r.state != "deregistered" for c in r.duties if c.duty == f.duty]
        assert (f.total, f.done, f.overdue) == (
            len(cells),
            sum(c.state == "done" for c in cells),
            sum(c.state == "overdue" for c in cells),
        )
        assert sum(r.total for r in f.by_industry) == f.total
        assert sum(r.done for r in f.by_village) == f.done
    status = json.loads(_out(runner, ent_root, "status", "--as-of", span.end.isoformat(), "--json"))
    assert status["enterprises"] == json.loads(view.model_dump_json())
    listing = json.loads(
        _out(runner, ent_root, "enterprise", "list", "--as-of", span.end.isoformat(), "--json")
    )
    assert (
        listing["enterprises"]
        == json.loads(enterprise_list(repo, span.end).model_dump_json())["enterprises"]
    )
    md = (ent_root / "o").as_posix()
    _out(runner, ent_root, "report", "monthly", "--month", month, "--out", md)
    text = (ent_root / "o" / f"{month}.md").read_text(encoding="utf-8")
    for f in view.duties:
        assert f"| {f.task} | {f.title} | {f.total} | {f.done} | {f.overdue} |" in text
    for e in rep.enterprises.unchecked:
        assert f"| {e.id} | {e.name} |" in text


# --------------------------------------------------------------------------- duties from the text


DAJING = Path(__file__).parent / "data" / "plans" / "dajing-2024-2026.txt"


def test_the_plan_text_gives_tasks_6_11_13_their_duties() -> None:
    from safeplan.importers.plantext.plan_text import parse_plan_text

    parsed = parse_plan_text(DAJING.read_text(encoding="utf-8"))
    got = [(d.id, d.task, d.every, d.high_risk_every, d.applies_to) for d in parsed.duties]
    assert got == [
        ("principal_check", 6, "quarter", "month", "all"),
        ("certified", 11, None, None, "high_risk"),
        ("evacuation_drill", 13, "year", "half-year", "all"),
    ]
    assert all(d.from_ == dt.date(2024, 1, 1) for d in parsed.duties)
    assert not [p for p in parsed.findings if p.code == "duty-wording"]


def test_other_wording_gets_no_duty_but_a_finding() -> None:
    from safeplan.importers.plantext.plan_text import parse_plan_text

    text = DAJING.read_text(encoding="utf-8").replace(
        "每年至少组织开展1次疏散逃生演练（高危行业领域每半年至少1次）",
        "每两年至少组织开展1次疏散逃生演练",
    )
    parsed = parse_plan_text(text)
    assert [d.id for d in parsed.duties] == ["principal_check", "certified"]
    found = [p for p in parsed.findings if p.code == "duty-wording"]
    assert [(p.params["number"], p.params["topic"]) for p in found] == [(13, "疏散逃生演练")]
    line = text.splitlines()[found[0].line - 1]
    assert line.startswith("13")


# --------------------------------------------------------------------------- the ledger's sheet


def test_the_ledger_has_an_enterprise_sheet_with_the_listings_rows(
    ent_root: Path, runner: CliRunner
) -> None:
    from openpyxl import load_workbook

    from safeplan.views.enterprises import enterprise_rows

    out = ent_root / "ledger.xlsx"
    _out(runner, ent_root, "export", "ledger", "--as-of", "2025-10-15", "--out", str(out))
    wb = load_workbook(out)
    assert wb.sheetnames[-1] == "企业清单"
    ws = wb["企业清单"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, r in enumerate(cells) if r[0] == "序号")
    body = [r for r in cells[header + 1 :] if r[0] is not None]
    rows = enterprise_rows(load(ent_root, today=dt.date(2025, 10, 15)), dt.date(2025, 10, 15))
    assert [r[1] for r in body] == [r.id for r in rows]
    chem = next(r for r in body if r[1] == "91150425MA0N00002W")
    assert chem[10] == "任务6 逾期（漏 3 期）\n任务11 逾期\n任务13 待完成"


def test_a_plan_without_enterprises_keeps_its_three_sheets(
    plan_root: Path, runner: CliRunner
) -> None:
    from openpyxl import load_workbook

    out = plan_root / "ledger.xlsx"
    _out(runner, plan_root, "export", "ledger", "--as-of", "2025-10-15", "--out", str(out))
    assert len(load_workbook(out).sheetnames) == 3
