"""``safeplan fmt``: the canonical layout, proven to keep values and comments; idempotent; the
shipped plan already canonical; and records written by the edit commands canonical too."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURE_PLAN
from safeplan.cli import app
from safeplan.fsio import JOURNAL_NAME
from safeplan.fsio_journal import Journal, Step, write_journal
from safeplan.yamlio import YamlProblem, load_fast
from safeplan.yamlio import roundtrip as roundtrip_module
from safeplan.yamlio.canonical import OLD_LEVELS, NotFormatted, canonical, comments
from test_invalid_corpus import CASES, INVALID, VALID, build_tree

REPO = Path(__file__).resolve().parent.parent
EDIT = Path(__file__).resolve().parent / "data" / "edit"
HZ = "data/hazards/HZ-20240501-ABCD.yaml"

MESSY = """\
# 手工录入的隐患
title: 配电室未设置挡鼠板   # 现场发现
id: HZ-20240501-ABCD
level: general
source: inspection
discovered_on: '2024-05-01'
# 责任单位按属地
responsible_unit: "镇安监站"
rectification_plan:
    deadline: "2024-06-01"
    # 措施见整改通知书
    measures: 加装挡鼠板
# 督办
supervision:
    -   by: 县安委办
        level: 县级
        listed_on: 2024-03-20
notes: [{on: 2024-05-02, text: 'yes'}]
evidence_unknown: x
# 完
"""
CANONICAL = """\
# 手工录入的隐患
id: HZ-20240501-ABCD
title: 配电室未设置挡鼠板   # 现场发现
level: general
discovered_on: 2024-05-01
source: inspection
# 责任单位按属地
responsible_unit: 镇安监站
rectification_plan:
  # 措施见整改通知书
  measures: 加装挡鼠板
  deadline: 2024-06-01
# 督办
supervision:
  - level: county
    by: 县安委办
    listed_on: 2024-03-20
notes:
  - on: 2024-05-02
    text: 'yes'
evidence_unknown: x
# 完
"""


def _fmt(runner: CliRunner, root: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["fmt", *args, "--root", str(root), "--lang", "en"])


def _kind(rel: str) -> str:
    return {"plan/plan.yaml": "plan", "data/units.yaml": "units", "data/tasks.yaml": "tasks"}.get(
        rel, "hazard"
    )


def _data_files(root: Path) -> list[Path]:
    files = [root / "plan/plan.yaml", root / "data/units.yaml", root / "data/tasks.yaml"]
    return [f for f in files if f.is_file()] + sorted((root / "data/hazards").glob("*.y*ml"))


def _values(path: Path) -> object:
    """What safeplan reads from a file (None when it cannot read it)."""
    from safeplan.yamlio import decode

    try:
        return load_fast(decode(path.read_bytes()))
    except YamlProblem:
        return None


def _with_codes(data: object) -> object:
    """A hazard's values with the old supervision levels as their codes (what fmt writes)."""
    data = copy.deepcopy(data)
    if isinstance(data, dict) and isinstance(data.get("supervision"), list):
        for item in data["supervision"]:
            if isinstance(item, dict) and item.get("level") in OLD_LEVELS:
                item["level"] = OLD_LEVELS[item["level"]]
    return data


# --------------------------------------------------------------------------- the layout


def test_the_canonical_layout(runner: CliRunner, plan_root: Path) -> None:
    (plan_root / HZ).write_text(MESSY, encoding="utf-8")
    result = _fmt(runner, plan_root, HZ)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"formatted 1 file: {HZ}\n"
    assert (plan_root / HZ).read_text(encoding="utf-8") == CANONICAL
    assert _fmt(runner, plan_root, "--check").exit_code == 0


def test_fmt_is_idempotent(tmp_path: Path) -> None:
    for text in (MESSY, (EDIT / "commented.yaml").read_text(encoding="utf-8")):
        path = tmp_path / "HZ-20240501-ABCD.yaml"
        path.write_text(text, encoding="utf-8")
        _, once = canonical(path, "hazard")
        path.write_bytes(once)
        old, twice = canonical(path, "hazard")
        assert twice == old == once


def test_comments_are_kept_and_the_old_levels_become_codes(tmp_path: Path) -> None:
    path = tmp_path / "HZ-20240315-K7Q2.yaml"
    shutil.copy(EDIT / "commented.yaml", path)
    old, new = canonical(path, "hazard")
    assert comments(new.decode()) == comments(old.decode())
    assert sum(comments(old.decode()).values()) == 15
    assert "  - level: 县级\n" in old.decode() and "  - level: county\n" in new.decode()
    assert _with_codes(load_fast(old.decode())) == load_fast(new.decode())


def test_line_ends_and_bom_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "HZ-20240501-ABCD.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MESSY.replace("\n", "\r\n").encode("utf-8"))
    _, new = canonical(path, "hazard")
    assert new == b"\xef\xbb\xbf" + CANONICAL.replace("\n", "\r\n").encode("utf-8")


def test_shipped_data_is_left_byte_identical(runner: CliRunner, plan_root: Path) -> None:
    for path in _data_files(FIXTURE_PLAN):
        old, new = canonical(path, _kind(path.relative_to(FIXTURE_PLAN).as_posix()))
        assert new == old, path
    before = {p: p.read_bytes() for p in _data_files(plan_root)}
    check = _fmt(runner, plan_root, "--check")
    assert check.exit_code == 0, check.output
    assert check.stdout == "3 files checked: already in the canonical layout\n"
    assert _fmt(runner, plan_root).exit_code == 0
    assert {p: p.read_bytes() for p in _data_files(plan_root)} == before


@pytest.mark.parametrize("case", CASES)
def test_fmt_never_changes_a_value_of_the_invalid_corpus(
    case: str, runner: CliRunner, tmp_path: Path
) -> None:
    root = build_tree(INVALID / case, tmp_path / "plan")
    before = {p: (p.read_bytes(), _values(p)) for p in _data_files(root)}
    result = _fmt(runner, root)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    for path, (data, values) in before.items():
        if values is None:  # unreadable to safeplan: left exactly as it was
            assert path.read_bytes() == data
            continue
        assert _values(path) in (values, _with_codes(values)), path  # as it was, or formatted
    if "an earlier edit was interrupted" in result.stderr:
        return  # fmt is an edit: refused until the interrupted one is recovered
    again = _fmt(runner, root, "--check")
    assert "not in the canonical layout" not in again.stdout  # idempotent on the corpus too


# --------------------------------------------------------------------------- the edit commands


@pytest.fixture
def fresh(runner: CliRunner, tmp_path: Path) -> Path:
    """valid-minimal, put in the canonical layout once, in a git repository."""
    root = tmp_path / "plan"
    shutil.copytree(VALID, root)
    assert _fmt(runner, root).exit_code == 0
    if shutil.which("git"):
        for args in (("init", "-q"), ("config", "user.name", "t"), ("config", "user.email", "t@t")):
            subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
        subprocess.run(["git", "add", "-A"], cwd=root, check=True, capture_output=True)
        subprocess.run(["git", "commit", "-qm", "plan"], cwd=root, check=True, capture_output=True)
    return root


EDITS = [
    ["hazard", "new", "--title", "粉尘涉爆除尘系统未按规定设置泄爆装置", "--level", "major",
     "--unit", "镇安监站", "--source", "inspection", "--discovered", "2025-04-02", "--id",
     "HZ-20250402-TEST", "--enterprise", "某镇某厂", "--credit-code", "91150400MA0N1234XL",
     "--location", "除尘间", "--industry", "工贸"],
    ["hazard", "plan", "HZ-20250402-TEST", "--measures", "加装泄爆片", "--funds", "3万元",
     "--deadline", "2025-05-31", "--plan-person", "孙八", "--contingency", "停用除尘系统",
     "--on", "2025-04-03"],
    ["hazard", "report", "HZ-20250402-TEST", "--regulator", "2025-04-03", "--workers", "2025-04-04"],
    ["hazard", "supervise", "HZ-20250402-TEST", "--level", "县级", "--by", "县安委办", "--on",
     "2025-04-05"],
    ["hazard", "note", "HZ-20250402-TEST", "已制定整改方案", "--on", "2025-04-06"],
    ["hazard", "extend", "HZ-20250402-TEST", "--to", "2025-06-30", "--reason", "设备到货推迟",
     "--approved-by", "县应急管理局", "--on", "2025-05-20"],
    ["hazard", "rectify", "HZ-20250402-TEST", "--on", "2025-06-20", "--note", "已加装",
     "--evidence", "evidence/a.pdf"],
    ["hazard", "accept", "HZ-20250402-TEST", "--on", "2025-06-25", "--by", "县应急管理局 赵六"],
    ["hazard", "close", "HZ-20250402-TEST", "--on", "2025-06-28", "--by", "镇安监站 站长"],
    ["hazard", "supervise", "HZ-20250402-TEST", "--lift", "--on", "2025-06-28"],
    ["hazard", "reopen", "HZ-20250402-TEST", "--on", "2025-07-05", "--reason", "复查发现问题"],
    ["hazard", "edit", "HZ-20250402-TEST", "--location", "除尘间东侧", "--on", "2025-07-06"],
    ["hazard", "renumber", "HZ-20250402-TEST", "HZ-20250402-NEW2"],
    ["hazard", "withdraw", "HZ-20240902-B3M9", "--reason", "重复登记", "--on", "2025-07-07"],
    ["hazard", "note", "HZ-20240315-A7K2", "复查", "--on", "2025-07-08", "--by", "张三"],
    ["task", "progress", "2", "已开展检查", "--on", "2025-07-08", "--evidence", "reports/a.xlsx"],
    ["task", "done", "3", "--on", "2025-07-09", "--note", "已完成"],
    ["task", "reopen", "1", "--reason", "复核", "--on", "2025-07-10"],
]  # fmt: skip


@pytest.mark.slow  # seconds: the whole corpus, or hundreds of generated cases
def test_records_written_by_the_edit_commands_are_canonical(
    runner: CliRunner, fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from safeplan.cli import session

    clock = session.utc_now

    def found_day() -> dt.datetime:
        return dt.datetime(2025, 4, 2, 4, tzinfo=dt.UTC)

    for args in EDITS:
        # The major hazard is registered on the day it is found (its 五落实 follows the next
        # day: registered later than 7 days, the plan would be needed at once).
        monkeypatch.setattr(session, "utc_now", found_day if args[1] == "new" else clock)
        result = runner.invoke(app, [*args, "--root", str(fresh), "--lang", "en"])
        assert result.exit_code == 0, (args, result.output)
        check = _fmt(runner, fresh, "--check")
        assert check.exit_code == 0, (args, check.output)
    text = (fresh / "data/hazards/HZ-20250402-NEW2.yaml").read_text(encoding="utf-8")
    assert "  - level: county\n" in text and "credit_code: '91150400MA0N1234XL'" in text


# --------------------------------------------------------------------------- --check, --diff, paths


def test_check_and_diff_write_nothing(runner: CliRunner, plan_root: Path) -> None:
    (plan_root / HZ).write_text(MESSY, encoding="utf-8")
    check = _fmt(runner, plan_root, "--check")
    assert check.exit_code == 1
    assert check.stdout == (
        f"{HZ}: not in the canonical layout\n"
        "1 file would change: run 'safeplan fmt' to write the canonical layout\n"
    )
    diff = _fmt(runner, plan_root, "--diff")
    assert diff.exit_code == 1
    assert f"--- a/{HZ}\n+++ b/{HZ}\n" in diff.stdout
    assert '-responsible_unit: "镇安监站"\n+responsible_unit: 镇安监站\n' in diff.stdout
    dry = _fmt(runner, plan_root, "--dry-run")
    assert dry.exit_code == 0 and "dry run, nothing was written" in dry.stdout
    assert (plan_root / HZ).read_text(encoding="utf-8") == MESSY


def test_paths_are_files_or_folders_of_the_plan(
    runner: CliRunner, plan_root: Path, tmp_path: Path
) -> None:
    (plan_root / HZ).write_text(MESSY, encoding="utf-8")
    only_tasks = _fmt(runner, plan_root, "--check", str(plan_root / "data/tasks.yaml"))
    assert only_tasks.exit_code == 0
    assert only_tasks.stdout == "1 file checked: already in the canonical layout\n"
    folder = _fmt(runner, plan_root, "--check", str(plan_root / "data/hazards"))
    assert folder.exit_code == 1 and HZ in folder.stdout
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("a: 1\n", encoding="utf-8")
    refused = _fmt(runner, plan_root, str(outside))
    assert refused.exit_code == 2 and "is not in the plan at" in refused.stderr
    (plan_root / "README.md").write_text("x", encoding="utf-8")
    not_data = _fmt(runner, plan_root, str(plan_root / "README.md"))
    assert not_data.exit_code == 2 and "is not a data file of the plan" in not_data.stderr
    missing = _fmt(runner, plan_root, str(plan_root / "data/hazards/HZ-0.yaml"))
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    both = _fmt(runner, plan_root, "--check", "--commit")
    assert both.exit_code == 2
    assert (plan_root / HZ).read_text(encoding="utf-8") == MESSY


def test_a_file_that_does_not_read_is_named_and_left_alone(
    runner: CliRunner, plan_root: Path
) -> None:
    broken = plan_root / "data/hazards/HZ-20240502-BAD1.yaml"
    broken.write_text("id: HZ-20240502-BAD1\ntitle: [未闭合\n", encoding="utf-8")
    impossible = plan_root / "data/hazards/HZ-20240502-BAD2.yaml"
    impossible.write_text(MESSY.replace("'2024-05-01'", "2024-02-30"), encoding="utf-8")
    (plan_root / HZ).write_text(MESSY, encoding="utf-8")
    result = _fmt(runner, plan_root)
    assert result.exit_code == 1
    assert result.stderr.startswith("data/hazards/HZ-20240502-BAD1.yaml:2:")
    assert "data/hazards/HZ-20240502-BAD1.yaml:1:1: not formatted: fix the problem above" in (
        result.stderr
    )
    assert "data/hazards/HZ-20240502-BAD2.yaml:6:16: " in result.stderr  # the bad date, located
    assert broken.read_text(encoding="utf-8") == "id: HZ-20240502-BAD1\ntitle: [未闭合\n"
    assert (plan_root / HZ).read_text(encoding="utf-8") == CANONICAL  # the others are done


def test_a_layout_that_would_lose_a_comment_is_not_written(
    runner: CliRunner, plan_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (plan_root / HZ).write_text(MESSY, encoding="utf-8")
    dump = roundtrip_module.RoundTrip.dump

    def lossy(self: roundtrip_module.RoundTrip) -> bytes:
        return dump(self).replace("# 督办\n".encode(), b"")

    monkeypatch.setattr(roundtrip_module.RoundTrip, "dump", lossy)
    with pytest.raises(NotFormatted, match="comment"):
        canonical(plan_root / HZ, "hazard")
    result = _fmt(runner, plan_root)
    assert result.exit_code == 1
    assert "left as it is: safeplan could not prove" in result.stderr
    assert (plan_root / HZ).read_text(encoding="utf-8") == MESSY


def test_fmt_is_an_edit_refused_while_an_edit_is_unfinished(
    runner: CliRunner, plan_root: Path
) -> None:
    (plan_root / HZ).write_text(MESSY, encoding="utf-8")
    write_journal(plan_root, Journal("hazard renumber", (Step(HZ, None, b"x"),)))
    assert (plan_root / JOURNAL_NAME).exists()
    result = _fmt(runner, plan_root)
    assert result.exit_code == 1
    assert "an earlier edit was interrupted" in result.stderr
    assert (plan_root / HZ).read_text(encoding="utf-8") == MESSY


def test_fmt_commit_makes_one_commit(runner: CliRunner, fresh: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (fresh / HZ).write_text(MESSY, encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=fresh, check=True)
    subprocess.run(["git", "commit", "-qm", "by hand"], cwd=fresh, check=True)
    result = _fmt(runner, fresh, "--commit")
    assert result.exit_code == 0, result.output
    assert "(committed as " in result.stdout
    log = subprocess.run(
        ["git", "log", "-1", "--format=%s", "--name-only"],
        cwd=fresh,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert log.splitlines() == ["fmt: canonical layout of 1 file", "", HZ]


def test_a_file_changed_after_fmt_read_it_is_not_overwritten(
    runner: CliRunner, plan_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safeplan.cli import fmt as fmt_module

    (plan_root / HZ).write_text(MESSY, encoding="utf-8")
    result_of = fmt_module._result

    def meanwhile(root: Path, outcome: fmt_module.Outcome):  # type: ignore[no-untyped-def]
        (plan_root / HZ).write_text(MESSY + "# 另一位同事刚加的\n", encoding="utf-8")
        return result_of(root, outcome)

    monkeypatch.setattr(fmt_module, "_result", meanwhile)
    result = _fmt(runner, plan_root)
    assert result.exit_code == 1
    assert "changed on disk while safeplan was editing it" in result.stderr
    assert (plan_root / HZ).read_text(encoding="utf-8") == MESSY + "# 另一位同事刚加的\n"
