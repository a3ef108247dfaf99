"""``validate --base``: what a base revision recorded stays recorded, and what changed says how.

Issue 18 items 3–6 and issue 19 item 10, each in a real git repository: a renumber must
be one; a registration fact changed by hand, or a task, deadline, goal or rule changed
without a recorded revision, is an error naming what records it properly; git missing,
an unknown ref or a shallow clone with an explicit ``--base`` is a usage error; and a
file that does not validate still has its lost facts reported in the same run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

import pytest
from typer.testing import CliRunner

from conftest import REPO, copy_plan
from safeplan.cli import app
from safeplan.models.hazards import Hazard
from safeplan.models.records import Plan
from safeplan.yamlio import load_fast

STATUS_HAZARDS = REPO / "tests" / "data" / "status" / "hazards"
#: A major hazard found in 2023: the one the 存量 (stock) goal counts.
STOCK = "HZ-20230910-K8WE"
#: A major hazard with its 双报告 and 五落实.
REPORTED = "HZ-20240315-A7K2"
OTHER = "HZ-20241102-Q3TF"
AS_OF = "2026-12-07"


class Ran(NamedTuple):
    code: int
    out: str
    err: str


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


def run(root: Path, *args: str, lang: str = "en") -> Ran:
    env = {"SAFEPLAN_LANG": lang, "SAFEPLAN_AS_OF": AS_OF}
    result = CliRunner().invoke(app, [*args, "--root", str(root)], env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def errors(ran: Ran) -> list[str]:
    """The error lines of a validate run (warnings left out)."""
    return [line for line in ran.out.splitlines() if re.match(r"^\S+:\d+:\d+: (?!warning)", line)]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = copy_plan(tmp_path / "plan-root")
    for src in STATUS_HAZARDS.glob("*.yaml"):
        shutil.copy(src, root / "data" / "hazards" / src.name)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "the plan")
    return root


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _hazard(root: Path, hazard_id: str) -> Path:
    return root / "data" / "hazards" / f"{hazard_id}.yaml"


# --------------------------------------------------------------------------- 18.3 renumbers


def test_a_real_renumber_passes(repo: Path) -> None:
    assert run(repo, "hazard", "renumber", REPORTED, "HZ-20240315-NEW1").code == 0
    assert errors(run(repo, "validate", "--base", "HEAD")) == []


def test_naming_a_deleted_hazard_in_an_old_records_former_ids_is_no_renumber(repo: Path) -> None:
    _hazard(repo, OTHER).unlink()
    _edit(_hazard(repo, STOCK), f"id: {STOCK}\n", f"id: {STOCK}\nformer_ids: [{OTHER}]\n")
    ran = run(repo, "validate", "--base", "HEAD")
    assert ran.code == 1
    (line,) = errors(ran)
    assert line.startswith(f"data/hazards/{OTHER}.yaml:1:1: hazard {OTHER} is in HEAD but its")
    assert f"data/hazards/{STOCK}.yaml was already in HEAD" in line
    assert "safeplan hazard renumber" in line


def test_a_new_file_claiming_a_deleted_id_must_hold_its_facts(repo: Path) -> None:
    # A new file, made from another hazard, says it was OTHER: the facts OTHER held are not in it.
    text = _hazard(repo, STOCK).read_text(encoding="utf-8")
    fake = "HZ-20241102-FAKE"
    text = text.replace(f"id: {STOCK}\n", f"id: {fake}\nformer_ids: [{OTHER}]\n")
    _hazard(repo, fake).write_text(text, encoding="utf-8")
    _hazard(repo, OTHER).unlink()
    ran = run(repo, "validate", "--base", "HEAD")
    assert ran.code == 1
    found = errors(ran)
    assert any(
        f"data/hazards/{fake}.yaml does not hold every fact {OTHER} held" in line for line in found
    ), ran.out
    # … and below it, which facts: the registration facts that differ, located in the new file
    assert any(line.startswith(f"data/hazards/{fake}.yaml:") for line in found), ran.out


def test_a_renumbered_file_edited_by_hand_to_drop_a_fact_is_caught(repo: Path) -> None:
    assert run(repo, "hazard", "renumber", REPORTED, "HZ-20240315-NEW1").code == 0
    _edit(_hazard(repo, "HZ-20240315-NEW1"), "  workers_on: 2024-03-18\n", "")
    ran = run(repo, "validate", "--base", "HEAD")
    assert ran.code == 1
    assert "does not hold every fact" in ran.out
    assert "the report to the workers' congress (双报告) of 2024-03-18" in ran.out


# --------------------------------------------------------------------------- 18.4 registration


def test_a_major_hazard_downgraded_by_hand_is_an_error_not_a_changed_goal(repo: Path) -> None:
    # Before: the 存量 goal is 未达成 (the 2023 major hazard is open).
    def stock_goal() -> str:
        return next(x for x in run(repo, "status", lang="zh").out.splitlines() if "存量" in x)

    assert "未达成" in stock_goal()
    _edit(_hazard(repo, STOCK), "level: major\n", "level: general\n")
    ran = run(repo, "validate", "--base", "HEAD")
    assert ran.code == 1
    (line,) = errors(ran)
    assert line == (
        f"data/hazards/{STOCK}.yaml:3:8: level changed since HEAD from 'major' to 'general' "
        "with no record of the correction: put back 'major' and record the change with "
        f"'safeplan hazard edit {STOCK} --level general --reason …', which keeps the old value"
    )
    assert "无登记数据" in stock_goal()  # what the hand edit did to the figure the county reads
    zh = run(repo, "validate", "--base", "HEAD", lang="zh")
    assert "隐患等级自 HEAD 起由“major”改为“general”，但没有更正记录" in zh.out


def test_the_discovery_date_and_the_source_cannot_change_unseen(repo: Path) -> None:
    _edit(_hazard(repo, STOCK), "discovered_on: 2023-09-10\n", "discovered_on: 2023-01-10\n")
    _edit(_hazard(repo, STOCK), "source: inspection\n", "source: self-check\n")
    found = errors(run(repo, "validate", "--base", "HEAD"))
    assert len(found) == 2, found
    assert (
        "discovered on changed since HEAD from '2023-09-10' to '2023-01-10'" in found[0] + found[1]
    )
    assert f"safeplan hazard edit {STOCK} --discovered 2023-01-10" in found[0] + found[1]
    assert "from 'inspection' to 'self-check'" in found[0] + found[1]


def test_hazard_edit_records_a_level_change_with_its_reason(repo: Path) -> None:
    refused = run(repo, "hazard", "edit", STOCK, "--level", "一般", "--on", AS_OF)
    assert refused.code == 2 and "a change of level needs --reason" in refused.err
    assert _git(repo, "status", "--porcelain") == ""
    done = run(
        repo, "hazard", "edit", STOCK, "--level", "一般", "--reason", "判定依据变更", "--on", AS_OF
    )
    assert done.code == 0, done.err
    hazard = Hazard.model_validate(load_fast(_hazard(repo, STOCK).read_text(encoding="utf-8")))
    assert hazard.level == "general"
    (c,) = hazard.corrections
    assert (c.field, c.from_, c.to, c.reason) == ("level", "major", "general", "判定依据变更")
    assert errors(run(repo, "validate", "--base", "HEAD")) == []
    shown = run(repo, "hazard", "show", STOCK, lang="zh").out
    assert re.search(r"隐患等级 +重大 +一般（理由：判定依据变更）", shown), shown


def test_hazard_edit_corrects_the_discovery_date_and_source(repo: Path) -> None:
    done = run(
        repo,
        "hazard",
        "edit",
        STOCK,
        "--discovered",
        "2023年9月11日",
        "--source",
        "群众举报",
        "--on",
        AS_OF,
    )
    assert done.code == 0, done.err
    text = _hazard(repo, STOCK).read_text(encoding="utf-8")
    assert "discovered_on: 2023-09-11\n" in text and "source: public-report\n" in text
    assert errors(run(repo, "validate", "--base", "HEAD")) == []


def test_a_level_correction_written_by_hand_needs_a_reason(repo: Path) -> None:
    _edit(_hazard(repo, STOCK), "level: major\n", "level: general\n")
    with _hazard(repo, STOCK).open("a", encoding="utf-8") as f:
        f.write(
            f"corrections:\n  - on: {AS_OF}\n    field: level\n    from: major\n    to: general\n"
        )
    (line,) = errors(run(repo, "validate", "--base", "HEAD"))
    assert "changes level from 'major' to 'general' without a reason: add reason:" in line


# --------------------------------------------------------------------------- 18.5 tasks, goals, rules


def _without_task(path: Path, number: int) -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - number: {number}\n")
    end = text.find("  - number:", start + 5)
    path.write_text(text[:start] + (text[end:] if end > 0 else ""), encoding="utf-8")


def test_a_task_deleted_or_its_deadline_moved_by_hand_is_an_error(repo: Path) -> None:
    tasks = repo / "data" / "tasks.yaml"
    _without_task(tasks, 21)
    _edit(
        tasks,
        "deadline: 2024-09-30  # 完成时限：2024年9月\n    units: [镇安监站, 镇综合执法局]",
        "deadline: 2026-12-31  # 完成时限：2024年9月\n    units: [镇安监站, 镇综合执法局]",
    )
    ran = run(repo, "validate", "--base", "HEAD")
    assert ran.code == 1
    found = errors(ran)
    assert len(found) == 2, found
    assert any("task 21 (加强全民安全生产宣传教育。) was in HEAD and is gone" in x for x in found)
    assert any(
        "task 12: deadline changed since HEAD from '2024-09-30' to '2026-12-31' with no "
        "revision recorded"
        in x
        and "'safeplan task revise 12 --deadline … --reason …'" in x
        for x in found
    )


def test_goals_and_rules_change_only_with_a_revision(repo: Path) -> None:
    plan = repo / "plan" / "plan.yaml"
    _edit(plan, "due_soon_days: 30", "due_soon_days: 7")
    _edit(plan, "due: 2024-12-31", "due: 2025-12-31")
    found = errors(run(repo, "validate", "--base", "HEAD"))
    assert len(found) == 2, found
    assert any("rules: due_soon_days changed since HEAD from '30' to '7'" in x for x in found)
    assert any(
        "goal stock: due changed since HEAD from '2024-12-31' to '2025-12-31'" in x for x in found
    )
    # A dated, reasoned revision that names both makes them pass.
    with plan.open("a", encoding="utf-8") as f:
        f.write(
            "revisions:\n"
            f"  - on: {AS_OF}\n"
            "    reason: 县安委办通知\n"
            "    changes:\n"
            "      - rule: due_soon_days\n"
            "        from: 30\n"
            "        to: 7\n"
            "      - goal: stock\n"
            "        field: due\n"
        )
    assert errors(run(repo, "validate", "--base", "HEAD")) == []


def test_task_revise_records_the_revision_and_passes(repo: Path) -> None:
    ran = run(
        repo,
        "task",
        "revise",
        "12",
        "--deadline",
        "2026年12月31日",
        "--units",
        "镇安监站、镇财政所",
        "--reason",
        "县安委办通知延长",
        "--document",
        "大安委〔2026〕3号",
        "--on",
        AS_OF,
    )
    assert ran.code == 0, ran.err
    plan = Plan.model_validate(load_fast((repo / "plan" / "plan.yaml").read_text(encoding="utf-8")))
    (revision,) = plan.revisions
    assert (str(revision.on), revision.reason, revision.document) == (
        AS_OF,
        "县安委办通知延长",
        "大安委〔2026〕3号",
    )
    assert [(c.task, c.field, c.from_, c.to) for c in revision.changes] == [
        (12, "deadline", "2024-09-30", "2026-12-31"),
        (12, "units", "镇安监站、镇综合执法局", "镇安监站、镇财政所"),
    ]
    assert errors(run(repo, "validate", "--base", "HEAD")) == []
    # an older revision already recorded stays: deleting it is the same unrecorded change
    _edit(repo / "plan" / "plan.yaml", "revisions:\n", "revisions_gone:\n")
    assert run(repo, "validate", "--base", "HEAD").code == 1


def test_task_revise_refuses_bad_input_and_writes_nothing(repo: Path) -> None:
    nothing = run(repo, "task", "revise", "12", "--reason", "x")
    assert nothing.code == 2 and "give --deadline DATE or --units UNITS" in nothing.err
    unknown = run(repo, "task", "revise", "12", "--units", "镇安监站、镇不存在所", "--reason", "x")
    assert unknown.code == 2 and "镇不存在所" in unknown.err
    same = run(repo, "task", "revise", "12", "--deadline", "2024-09-30", "--reason", "x")
    assert same.code == 1 and "task 12 already says this" in same.err
    assert _git(repo, "status", "--porcelain") == ""


def test_a_revision_names_exactly_one_subject(repo: Path) -> None:
    with (repo / "plan" / "plan.yaml").open("a", encoding="utf-8") as f:
        f.write(
            f"revisions:\n  - on: {AS_OF}\n    reason: x\n    changes:\n"
            "      - task: 12\n        goal: stock\n"
        )
    ran = run(repo, "validate")
    assert ran.code == 1
    assert "names what the revision changed with exactly one of task: N, goal: ID" in ran.out


# --------------------------------------------------------------------------- 18.6 git failures


def test_an_explicit_base_without_git_is_a_usage_error(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hazard(repo, OTHER).unlink()
    (tmp_path / "empty-bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    ran = run(repo, "validate", "--base", "HEAD")
    assert ran.code == 2
    assert "--base HEAD needs git, which is not installed" in ran.err
    # without --base, validate still runs and says what it left out
    plain = run(repo, "validate")
    assert plain.code == 0 and "deleted records were not looked for" in plain.err


def test_an_unknown_base_is_a_usage_error_saying_what_to_do(repo: Path) -> None:
    ran = run(repo, "validate", "--base", "origin/main")
    assert ran.code == 2
    assert "--base origin/main: git knows no such revision" in ran.err
    assert "fetch-depth: 0" in ran.err


def test_a_shallow_clone_without_the_base_says_to_fetch_the_history(
    repo: Path, tmp_path: Path
) -> None:
    _edit(_hazard(repo, STOCK), "title: ", "title: 改 ")
    _git(repo, "commit", "-q", "-am", "second")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    ran = run(clone, "validate", "--base", "HEAD~1")
    assert ran.code == 2
    assert "this clone is shallow and does not hold HEAD~1" in ran.err
    assert "fetch-depth: 0" in ran.err


# --------------------------------------------------------------------------- 19.10 one run


def test_a_schema_error_does_not_hide_a_dropped_fact(repo: Path) -> None:
    path = _hazard(repo, REPORTED)
    _edit(path, "  workers_on: 2024-03-18\n", "")
    _edit(path, "deadline: 2024-06-30", "deadline: 2027-02-30")
    found = errors(run(repo, "validate", "--base", "HEAD"))
    assert any("is not a valid date (2027-02-30)" in x for x in found), found
    assert any(
        "the report to the workers' congress (双报告) of 2024-03-18 recorded in HEAD is no "
        "longer in the record" in x
        for x in found
    ), found


def test_a_schema_error_does_not_hide_a_registration_change(repo: Path) -> None:
    path = _hazard(repo, STOCK)
    _edit(path, "level: major\n", "level: general\n")
    _edit(path, "deadline: 2023-12-31", "deadline: 2023-12-32")
    found = errors(run(repo, "validate", "--base", "HEAD"))
    assert any("not a valid date" in x for x in found), found
    assert any("level changed since HEAD from 'major' to 'general'" in x for x in found), found


def test_a_schema_error_in_tasks_does_not_hide_a_dropped_progress_note(repo: Path) -> None:
    assert run(repo, "task", "progress", "12", "已组织专题学习", "--on", "2025-01-10").code == 0
    _git(repo, "commit", "-q", "-am", "progress")
    tasks = repo / "data" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    note = "      - on: 2025-01-10\n        note: 已组织专题学习\n"
    assert note in text
    text = text.replace(note, "").replace("deadline: 2024-09-30", "deadline: 2024-09-31", 1)
    tasks.write_text(text, encoding="utf-8")
    found = errors(run(repo, "validate", "--base", "HEAD"))
    assert any("not a valid date" in x for x in found), found
    assert any("the progress note of 2025-01-10 recorded in HEAD" in x for x in found), found


def test_a_revision_covers_only_what_it_names(repo: Path) -> None:
    tasks = repo / "data" / "tasks.yaml"
    _without_task(tasks, 21)

    def revise(item: str) -> list[str]:
        plan = repo / "plan" / "plan.yaml"
        _git(repo, "checkout", "-q", "--", "plan/plan.yaml")
        with plan.open("a", encoding="utf-8") as f:
            f.write(f"revisions:\n  - on: {AS_OF}\n    reason: x\n    changes:\n{item}")
        return errors(run(repo, "validate", "--base", "HEAD"))

    # a revision of task 21's deadline does not remove task 21, nor does one of task 20
    assert len(revise("      - task: 21\n        field: deadline\n")) == 1
    assert len(revise("      - task: 20\n")) == 1
    assert revise("      - task: 21\n") == []
