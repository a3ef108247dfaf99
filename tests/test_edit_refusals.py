"""Every refusal says why and what to do, exits 1 (or 2 for bad usage), and changes no file."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan import edit, yamlio
from safeplan.cli import app
from safeplan.errors import RefusedError

DATA = Path(__file__).parent / "data" / "edit"
HZ = "HZ-20240315-K7Q2"

ACCEPTANCE = "acceptance:\n  on: 2024-06-28\n  by: 县应急管理局 赵六\n  result: passed\n"
DOUBLE_REPORT = "# 双报告\ndouble_report:\n  regulator_on: 2024-03-16\n  workers_on: 2024-03-18\n"
CLOSURE = "closure:\n  on: 2024-07-02\n  reviewer: 镇安监站 站长\n"
SUPERVISION = (
    "supervision:\n  - level: 县级\n    by: 某县安委办\n"
    "    listed_on: 2024-03-20   # 县安委办〔2024〕7号\n"
)
RECTIFICATION = (
    "rectification:\n  on: 2024-06-20\n  note: 已增设排水泵\n"
    "  evidence: [evidence/rectified.pdf]  # scanned\n"
)


def _text(*, accepted: bool = True, reported: bool = True, closed: bool = False) -> str:
    text = (DATA / "commented.yaml").read_text(encoding="utf-8")
    if not accepted:
        text = text.replace(ACCEPTANCE, "")
    if not reported:
        text = text.replace(DOUBLE_REPORT, "")
    if closed:
        text = text.replace(ACCEPTANCE, ACCEPTANCE + CLOSURE)
    return text


def _snapshot(root: Path) -> dict[str, bytes]:
    out = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


@pytest.fixture
def root(plan_root: Path) -> Path:
    (plan_root / "data" / "hazards" / f"{HZ}.yaml").write_text(_text(), encoding="utf-8")
    return plan_root


def _put(root: Path, text: str) -> None:
    (root / "data" / "hazards" / f"{HZ}.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def refused(root: Path, runner: CliRunner) -> Iterator[object]:
    """Run a command that must be refused; check the exit code, message, and every file."""

    def check(args: list[str], code: int, *says: str) -> str:
        before = _snapshot(root)
        result = runner.invoke(app, [*args, "--root", str(root), "--lang", "en"])
        assert result.exit_code == code, result.output
        for text in says:
            assert text in result.output, result.output
        assert _snapshot(root) == before
        assert "Traceback" not in result.output
        return result.output

    yield check


# --------------------------------------------------------------------------- closing


def test_closing_an_unaccepted_hazard(root: Path, refused) -> None:
    _put(root, _text(accepted=False))
    refused(
        ["hazard", "close", HZ, "--on", "2024-07-02", "--by", "站长"],
        1,
        "has not been accepted (验收)",
        f"safeplan hazard accept {HZ} --on DATE --by NAME",
    )


def test_closing_an_unrectified_hazard(root: Path, refused) -> None:
    _put(root, _text(accepted=False).replace(RECTIFICATION, ""))
    refused(["hazard", "close", HZ, "--by", "站长"], 1, "no rectification (整改)", "hazard rectify")


def test_closing_after_a_failed_acceptance(root: Path, refused) -> None:
    _put(root, _text().replace("result: passed", "result: failed"))
    refused(["hazard", "close", HZ, "--by", "站长"], 1, "acceptance on 2024-06-28 failed")


def test_closing_a_major_hazard_without_the_double_report(root: Path, refused) -> None:
    _put(root, _text(reported=False))
    refused(
        ["hazard", "close", HZ, "--on", "2024-07-02", "--by", "站长"],
        1,
        "double report (双报告)",
        "hazard report",
        "rules.close_requires_double_report: false",
    )


def test_a_half_double_report_is_not_enough(root: Path, refused) -> None:
    _put(root, _text().replace("  workers_on: 2024-03-18\n", ""))
    refused(["hazard", "close", HZ, "--by", "站长"], 1, "double report (双报告)")


def test_the_plan_can_relax_the_double_report_rule(root: Path, runner: CliRunner) -> None:
    _put(root, _text(reported=False))
    plan = root / "plan" / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "close_requires_double_report: true", "close_requires_double_report: false"
        ),
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["hazard", "close", HZ, "--on", "2024-07-02", "--by", "站长", "--root", str(root)]
    )
    assert result.exit_code == 0, result.output
    record = (root / "data" / "hazards" / f"{HZ}.yaml").read_text(encoding="utf-8")
    assert "closure:\n  on: 2024-07-02\n  reviewer: 站长\n" in record


def test_closing_a_closed_hazard(root: Path, refused) -> None:
    _put(root, _text(closed=True))
    refused(["hazard", "close", HZ, "--by", "站长"], 1, "already closed")


# --------------------------------------------------------------------------- other steps


def test_other_out_of_order_steps(root: Path, refused) -> None:
    _put(root, _text(closed=True))
    refused(["hazard", "rectify", HZ], 1, "is closed", "hazard reopen")
    refused(["hazard", "accept", HZ, "--by", "x"], 1, "is closed")
    refused(["hazard", "supervise", HZ, "--level", "市级", "--by", "x"], 1, "is closed")
    _put(root, _text())
    refused(["hazard", "reopen", HZ, "--reason", "x"], 1, "not closed")
    refused(["hazard", "accept", HZ, "--by", "x"], 1, "already has an acceptance")
    refused(["hazard", "rectify", HZ], 1, "already rectified on 2024-06-20")
    refused(["hazard", "supervise", HZ, "--level", "县级", "--by", "x"], 1, "already listed")
    refused(
        ["hazard", "supervise", HZ, "--level", "部级", "--by", "x"],
        2,
        "--level: '部级' is not one of province (省级)",
    )
    refused(["hazard", "supervise", HZ], 2, "needs --level and --by")
    refused(["hazard", "report", HZ, "--regulator", "2024-03-16"], 1, "already recorded")
    refused(
        ["hazard", "report", HZ, "--workers", "2024-03-19"], 1, "already recorded on 2024-03-18"
    )
    refused(["hazard", "report", HZ], 2, "give --regulator DATE, --workers DATE or both")
    refused(["hazard", "note", HZ, "  "], 2, "must not be empty")
    refused(
        ["hazard", "accept", HZ, "--by", "x", "--result", "maybe"],
        2,
        "passed (合格), failed (不合格)",
    )
    _put(root, _text(accepted=False).replace(RECTIFICATION, ""))
    refused(["hazard", "accept", HZ, "--by", "x"], 1, "no rectification (整改) yet")
    refused(["hazard", "supervise", HZ, "--lift", "--level", "市级"], 1, "no listing")
    refused(["hazard", "supervise", HZ, "--lift", "--by", "x"], 2, "not --by")
    _put(root, _text().replace(SUPERVISION, ""))
    refused(["hazard", "supervise", HZ, "--lift"], 1, "no listing for supervision in force")


def test_a_bad_date_is_a_usage_error(root: Path, refused) -> None:
    refused(["hazard", "note", HZ, "x", "--on", "2024-02-30"], 2, "is not a real day")


# --------------------------------------------------------------------------- invalid results


def test_an_edit_whose_result_is_invalid_is_refused_with_its_location(root: Path, refused) -> None:
    _put(root, _text(accepted=False))
    out = refused(
        ["hazard", "accept", HZ, "--on", "2024-06-01", "--by", "x"],
        1,
        f"data/hazards/{HZ}.yaml:",
        "acceptance (2024-06-01) is dated before rectification (2024-06-20)",
        "nothing was written",
    )
    assert f"data/hazards/{HZ}.yaml:32:" in out  # where the acceptance would have been


def test_a_rectification_before_the_discovery_is_refused(root: Path, refused) -> None:
    _put(root, _text(accepted=False).replace(RECTIFICATION, ""))
    refused(["hazard", "rectify", HZ, "--on", "2024-01-01"], 1, "dated before discovery", "invalid")


def test_a_broken_file_is_not_edited(root: Path, refused) -> None:
    _put(root, _text().replace("level: major", "level: [major"))
    refused(["hazard", "note", HZ, "x"], 1, f"data/hazards/{HZ}.yaml:", "fix them first")
    _put(root, _text().replace("level: major", "level: enormous"))
    refused(["hazard", "note", HZ, "x"], 1, "'level' must be one of")


def test_a_file_changed_after_it_was_read_is_not_overwritten(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = root / "data" / "hazards" / f"{HZ}.yaml"
    real = yamlio.rt_load

    def meanwhile(p: Path) -> yamlio.RoundTrip:
        loaded = real(p)
        p.write_text(p.read_text(encoding="utf-8") + "# someone else's edit\n", encoding="utf-8")
        return loaded

    monkeypatch.setattr(yamlio, "rt_load", meanwhile)
    before = path.read_bytes()
    with pytest.raises(RefusedError, match="changed on disk"):
        edit.close(root, HZ, dt.date(2024, 7, 2), "站长")
    assert path.read_bytes() == before + b"# someone else's edit\n"


def test_a_file_changed_between_the_dry_computation_and_the_write(root: Path) -> None:
    path = root / "data" / "hazards" / f"{HZ}.yaml"
    result = edit.close(root, HZ, dt.date(2024, 7, 2), "站长", write=False)
    path.write_text(_text() + "# meanwhile\n", encoding="utf-8")
    with pytest.raises(RefusedError, match="changed on disk"):
        edit.apply(result)
    assert path.read_text(encoding="utf-8") == _text() + "# meanwhile\n"


# --------------------------------------------------------------------------- ids and names


@pytest.mark.parametrize(
    "bad",
    ["../../etc/passwd", "../hazards/x", "/etc/passwd", "a/b", "..", ".hidden", "x\\..\\y", ""],
)
def test_ids_that_are_not_ids_are_refused_before_any_path(root: Path, refused, bad: str) -> None:
    says = "must not be empty" if not bad.strip() else "is not a hazard id"
    refused(["hazard", "close", bad, "--by", "站长"], 2, says)
    refused(["hazard", "renumber", HZ, bad], 2, says)


def test_an_unknown_hazard_id_shows_the_closest(root: Path, refused) -> None:
    refused(["hazard", "close", "HZ-20240315-K7Q3", "--by", "站长"], 2, "no hazard", HZ)


def test_a_symlinked_hazard_file_is_not_edited(root: Path, refused, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(_text().replace(HZ, "HZ-20240315-LINK"), encoding="utf-8")
    (root / "data" / "hazards" / "HZ-20240315-LINK.yaml").symlink_to(outside)
    refused(["hazard", "note", "HZ-20240315-LINK", "x"], 1, "symbolic link")
    assert outside.read_text(encoding="utf-8") == _text().replace(HZ, "HZ-20240315-LINK")


def test_renumber_onto_an_existing_id(root: Path, refused) -> None:
    other = root / "data" / "hazards" / "HZ-20240315-XXXX.yaml"
    other.write_text(_text().replace(HZ, "HZ-20240315-XXXX"), encoding="utf-8")
    refused(["hazard", "renumber", HZ, "HZ-20240315-XXXX"], 1, "already exists")
    refused(["hazard", "renumber", HZ, HZ], 2, "same as the old one")


def test_new_hazard_refusals(root: Path, refused) -> None:
    base = ["hazard", "new", "--title", "t", "--source", "inspection"]
    general = [*base, "--level", "general", "--unit", "镇安监站", "--deadline", "2026-12-31"]
    refused([*base, "--level", "general"], 2, "needs --unit, --deadline")
    # a general hazard without its deadline could never be overdue
    refused([*base, "--level", "general", "--unit", "镇安监站"], 2, "needs --deadline")
    # part of a plan needs its deadline too
    refused([*base, "--level", "major", "--unit", "镇安监站", "--measures", "m"], 2, "--deadline")
    refused(
        [*general[:-4], "--unit", "安监站", "--deadline", "2026-12-31"],
        2,
        "no unit '安监站'",
        "镇安监站",
    )
    refused(
        [*base, "--level", "huge", "--unit", "镇安监站"],
        2,
        "--level: 'huge' is not one of major (重大), general (一般)",
    )
    refused([*general, "--id", HZ], 1, "already exists")
    refused([*general, "--credit-code", "123"], 2, "need --enterprise")
    refused([*general, "--enterprise", "e", "--credit-code", "1"], 1, "credit_code")
    refused(
        [*general, "--enterprise", "e", "--credit-code", "91150400MA0N1234X5"],
        1,
        "fails its check digit",
        "give L as the 18th, not 5",
    )
    refused([*general, "--funds", "2000"], 1, "not an amount with its unit", "4500元")
    refused(
        [*base, "--level", "general", "--unit", "镇安监站", "--discovered", "2024-05-01",
         "--measures", "m", "--funds", "1万元", "--deadline", "2024-04-01", "--plan-person", "p",
         "--contingency", "c"],
        1,
        "deadline (2024-04-01) is dated before discovery",
    )  # fmt: skip


def test_a_major_hazard_may_be_registered_before_its_plan(
    root: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 五落实 usually comes days after the hazard is found: registration goes ahead,
    the hazard is flagged, and validate reports it once the days allowed have passed."""
    from safeplan.cli import app, session

    # Registered on the day it was found (past the 7 days, the plan is needed at once).
    moment = dt.datetime(2026, 11, 25, 4, tzinfo=dt.UTC)
    monkeypatch.setattr(session, "utc_now", lambda: moment)

    args = ["hazard", "new", "--title", "t", "--source", "inspection", "--level", "major",
            "--unit", "镇安监站", "--discovered", "2026-11-25", "--root", str(root), "--lang", "en"]  # fmt: skip
    made = runner.invoke(app, args)
    assert made.exit_code == 0, made.output
    assert "still to come: record it within 7 days with 'safeplan hazard plan" in made.output
    hid = made.output.split("registered ")[1].split(",")[0]
    shown = runner.invoke(app, ["hazard", "show", hid, "--root", str(root), "--lang", "en",
                                "--as-of", "2026-11-28"])  # fmt: skip
    assert "not yet complete (“五落实”不到位)" in shown.output
    ok = runner.invoke(app, ["validate", "--root", str(root), "--as-of", "2026-12-02"])
    assert ok.exit_code == 0, ok.output
    late = runner.invoke(
        app, ["validate", "--root", str(root), "--as-of", "2026-12-03", "--lang", "en"]
    )
    assert late.exit_code == 1
    assert "still has no rectification plan (五落实) after 7 days" in late.output


# --------------------------------------------------------------------------- tasks


def test_task_refusals(root: Path, refused) -> None:
    refused(["task", "done", "22"], 2, "no task 22", "1–21")
    refused(["task", "reopen", "3", "--reason", "x"], 1, "not done")
    refused(["task", "progress", "3", " "], 2, "must not be empty")
    refused(["task", "done", "abc"], 2)


def test_task_done_twice(root: Path, refused) -> None:
    edit.task_done(root, 3, dt.date(2024, 9, 1))
    refused(["task", "done", "3"], 1, "already done (on 2024-09-01)", "task reopen 3")


def test_an_invalid_tasks_file_is_not_edited(root: Path, refused) -> None:
    tasks = root / "data" / "tasks.yaml"
    tasks.write_text(
        tasks.read_text(encoding="utf-8").replace("  - number: 21", "  - number: x21"),
        encoding="utf-8",
    )
    refused(["task", "done", "3"], 1, "data/tasks.yaml:", "fix them first")


# --------------------------------------------------------------------------- dry run, commit


def test_dry_run_writes_nothing(root: Path, refused) -> None:
    out = refused(
        ["hazard", "note", HZ, "复查", "--on", "2024-07-01", "--dry-run"], 0, "+  - on: 2024-07-01"
    )
    assert "dry run, nothing was written" in out
    refused(["task", "done", "3", "--dry-run"], 0, "+    done:")


def test_commit_outside_git(root: Path, refused) -> None:
    refused(["hazard", "note", HZ, "x", "--commit"], 2, "not inside a git repository")


def test_commit_and_dry_run_together(root: Path, refused) -> None:
    refused(["hazard", "note", HZ, "x", "--commit", "--dry-run"], 2, "do not go together")
