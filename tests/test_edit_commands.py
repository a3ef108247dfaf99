"""The editing commands from the command line: new (with and without prompts), --commit,
renumber, task progress, and the ids they allocate."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan import edit
from safeplan.cli import app, hazard_edit, session
from safeplan.edit import register as ids
from safeplan.models import HAZARD_ID_RE

DATA = Path(__file__).parent / "data" / "edit"
HZ = "HZ-20240315-K7Q2"

MAJOR = [
    "hazard", "new", "--title", "粉尘涉爆除尘系统未按规定设置泄爆装置", "--level", "major",
    "--unit", "镇安监站", "--source", "inspection", "--discovered", "2025-04-02",
    "--measures", "加装泄爆片", "--funds", "3万元", "--deadline", "2025-05-31",
    "--plan-person", "企业负责人 孙八", "--contingency", "停用除尘系统，停止涉粉作业",
]  # fmt: skip


def _run(runner: CliRunner, root: Path, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--root", str(root), "--lang", "en"], input=input)


# --------------------------------------------------------------------------- ids


def test_ids_are_readable_and_safe_as_file_names() -> None:
    seen = {ids.new_hazard_id(dt.date(2024, 3, 15)) for _ in range(200)}
    assert len(seen) > 190
    for hazard_id in seen:
        assert HAZARD_ID_RE.match(hazard_id)
        assert re.fullmatch(r"HZ-20240315-[2-9A-HJKMNP-Z]{4}", hazard_id), hazard_id
        assert not set(hazard_id[-4:]) & set("01OIL")


def test_the_random_source_is_injectable_and_taken_ids_are_skipped() -> None:
    letters = itertools.cycle("AAAABBBB")
    taken = {"HZ-20250101-AAAA"}
    assert ids.new_hazard_id(dt.date(2025, 1, 1), taken, lambda _: next(letters)) == (
        "HZ-20250101-BBBB"
    )


def test_two_branches_adding_hazards_do_not_collide(plan_root: Path) -> None:
    """Two copies (branches) each add a hazard on the same day: different file names."""
    other = plan_root.parent / "other-branch"
    shutil.copytree(plan_root, other)
    new = edit.NewHazard(
        title="t", level="general", responsible_unit="镇安监站", source="inspection",
        discovered_on=dt.date(2025, 4, 2), deadline=dt.date(2025, 4, 30),
    )  # fmt: skip
    a = edit.new_hazard(plan_root, new)
    b = edit.new_hazard(other, new)
    assert a.subject != b.subject
    assert a.subject.startswith("HZ-20250402-") and b.subject.startswith("HZ-20250402-")


# --------------------------------------------------------------------------- new


def _today(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    """ "Today" in Asia/Shanghai is ``day`` (04:00 UTC is noon there)."""
    moment = dt.datetime.fromisoformat(day).replace(hour=4, tzinfo=dt.UTC)
    monkeypatch.setattr(session, "utc_now", lambda: moment)


def test_new_major_hazard(plan_root: Path, runner: CliRunner) -> None:
    result = _run(runner, plan_root, *MAJOR)
    assert result.exit_code == 0, result.output
    (path,) = (plan_root / "data" / "hazards").glob("HZ-20250402-*.yaml")
    assert f"registered {path.stem}, a major hazard" in result.output
    assert path.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schemas/hazard.schema.json\n"
        f"id: {path.stem}\n"
        "title: 粉尘涉爆除尘系统未按规定设置泄爆装置\n"
        "level: major\n"
        "discovered_on: 2025-04-02\n"
        "source: inspection\n"
        "responsible_unit: 镇安监站\n"
        "rectification_plan:\n"
        "  measures: 加装泄爆片\n"
        "  funds: 3万元\n"
        "  deadline: 2025-05-31\n"
        "  responsible_person: 企业负责人 孙八\n"
        "  contingency_plan: 停用除尘系统，停止涉粉作业\n"
    )
    assert _run(runner, plan_root, "validate").exit_code == 0


def test_new_accepts_the_chinese_words_and_quotes_what_needs_it(
    plan_root: Path, runner: CliRunner
) -> None:
    result = _run(
        runner, plan_root, "hazard", "new", "--title", "yes", "--level", "一般", "--unit",
        "镇财政所", "--source", "举报", "--discovered", "2025-01-05", "--funds", "2000元", "--location", "0012",
        "--measures", "更换: 接地装置", "--deadline", "2025-01-31", "--plan-person", "null",
        "--contingency", "#停用", "--note", "群众举报",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (path,) = (plan_root / "data" / "hazards").glob("HZ-20250105-*.yaml")
    text = path.read_text(encoding="utf-8")
    assert "level: general\n" in text and "source: public-report\n" in text
    assert "notes:\n  - on: 2025-01-05\n    text: 群众举报\n" in text
    assert _run(runner, plan_root, "validate").exit_code == 0, text
    from safeplan.models import Hazard
    from safeplan.repo.parse import parse_file

    parsed = parse_file(path, "x", Hazard)
    hazard = parsed.record
    assert isinstance(hazard, Hazard), parsed.problems
    assert hazard.title == "yes"
    assert hazard.rectification_plan is not None
    assert hazard.rectification_plan.funds == "2000元"
    assert hazard.location == "0012"  # would read as the number 12 unquoted
    assert hazard.rectification_plan.responsible_person == "null"
    assert hazard.rectification_plan.contingency_plan == "#停用"


def test_new_prompts_on_a_terminal_for_what_is_missing(
    plan_root: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hazard_edit, "interactive", lambda: True)
    _today(monkeypatch, "2025-04-05")  # within the 7 days the 五落实 may follow
    answers = "\n".join(
        [
            "huge",  # a bad level is asked again
            "major",
            "安监站",  # an unknown unit is asked again, with the closest
            "镇安监站",
            "self-check",
        ]
    )
    result = _run(
        runner, plan_root, "hazard", "new", "--title", "除尘系统", "--discovered", "2025-04-02",
        input=answers + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "closest: 镇安监站" in result.output
    assert "Title" not in result.output  # given as an option: not asked
    (path,) = (plan_root / "data" / "hazards").glob("HZ-20250402-*.yaml")
    # a major hazard's 五落实 may follow: not asked for, but announced
    assert "rectification_plan" not in path.read_text(encoding="utf-8")
    assert "still to come" in result.output


def test_new_without_a_terminal_never_prompts(plan_root: Path, runner: CliRunner) -> None:
    result = _run(runner, plan_root, "hazard", "new", "--title", "x", input="major\n")
    assert result.exit_code == 2
    assert "needs --level, --unit, --source" in result.output
    assert not list((plan_root / "data" / "hazards").glob("*.yaml"))


def test_new_with_a_given_id_and_the_hazards_folder_missing(
    plan_root: Path, runner: CliRunner
) -> None:
    shutil.rmtree(plan_root / "data" / "hazards")
    result = _run(runner, plan_root, *MAJOR, "--id", "AJ-2025-001")
    assert result.exit_code == 0, result.output
    assert (plan_root / "data" / "hazards" / "AJ-2025-001.yaml").is_file()


# --------------------------------------------------------------------------- renumber


def test_renumber_renames_the_file_the_id_and_the_mentions(
    plan_root: Path, runner: CliRunner
) -> None:
    hazards = plan_root / "data" / "hazards"
    text = (DATA / "commented.yaml").read_text(encoding="utf-8")
    (hazards / f"{HZ}.yaml").write_text(text, encoding="utf-8")
    edit.note(plan_root, HZ, f"见 {HZ} 的整改方案", dt.date(2024, 7, 1))
    edit.task_progress(plan_root, 8, f"录入 {HZ}", dt.date(2024, 7, 1))
    (plan_root / "evidence").mkdir()
    (plan_root / "evidence" / f"{HZ}.pdf").write_bytes(b"%PDF")
    edit.task_progress(plan_root, 9, "挂牌", dt.date(2024, 7, 1), evidence=[f"evidence/{HZ}.pdf"])
    tasks_before = (plan_root / "data" / "tasks.yaml").read_text(encoding="utf-8")

    dry = _run(runner, plan_root, "hazard", "renumber", HZ, "HZ-20240315-M4X9", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"--- a/data/hazards/{HZ}.yaml\n+++ /dev/null" in dry.output
    assert (hazards / f"{HZ}.yaml").exists()

    result = _run(runner, plan_root, "hazard", "renumber", HZ, "HZ-20240315-M4X9")
    assert result.exit_code == 0, result.output
    assert "renumbered HZ-20240315-K7Q2 to HZ-20240315-M4X9" in result.output
    assert not (hazards / f"{HZ}.yaml").exists()
    new_text = (hazards / "HZ-20240315-M4X9.yaml").read_text(encoding="utf-8")
    assert new_text == text.replace(
        f"id: {HZ}   # the file name is the id\n",
        f"id: HZ-20240315-M4X9   # the file name is the id\nformer_ids: [{HZ}]\n",
    ).replace(
        "# end of record\n",
        "  - on: 2024-07-01\n    text: 见 HZ-20240315-M4X9 的整改方案\n# end of record\n",
    )
    tasks = (plan_root / "data" / "tasks.yaml").read_text(encoding="utf-8")
    assert tasks == tasks_before.replace(f"录入 {HZ}", "录入 HZ-20240315-M4X9")
    # The evidence file keeps its name, so the path to it is left as it is.
    assert f"evidence: [evidence/{HZ}.pdf]" in tasks
    assert _run(runner, plan_root, "validate").exit_code == 0


# --------------------------------------------------------------------------- tasks


def test_task_commands(plan_root: Path, runner: CliRunner) -> None:
    r = _run(runner, plan_root, "task", "progress", "6", "一季度检查已完成", "--on", "2025-03-31",
             "--by", "镇安监站", "--evidence", "reports/2025-Q1.pdf", "--evidence", "安监〔2025〕3号")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "task 6: progress note added on 2025-03-31" in r.output
    r = _run(
        runner, plan_root, "task", "done", "7", "--on", "2024-12-20", "--note", "举报制度已印发"
    )
    assert r.exit_code == 0, r.output
    r = _run(
        runner,
        plan_root,
        "task",
        "reopen",
        "7",
        "--reason",
        "制度未覆盖全部行业",
        "--on",
        "2025-01-10",
    )
    assert r.exit_code == 0, r.output
    assert "task 7: completion withdrawn on 2025-01-10" in r.output
    text = (plan_root / "data" / "tasks.yaml").read_text(encoding="utf-8")
    assert (
        "    progress:\n"
        "      - on: 2025-03-31\n"
        "        note: 一季度检查已完成\n"
        "        by: 镇安监站\n"
        "        evidence: [reports/2025-Q1.pdf, 安监〔2025〕3号]\n"
    ) in text
    assert _run(runner, plan_root, "validate").exit_code == 0


# --------------------------------------------------------------------------- --commit


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(plan_root: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    _git(plan_root, "init", "-q")
    _git(plan_root, "config", "user.name", "镇安监站")
    _git(plan_root, "config", "user.email", "anjian@example.org")
    (plan_root / "data" / "hazards" / f"{HZ}.yaml").write_text(
        (DATA / "commented.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    _git(plan_root, "add", "-A")
    _git(plan_root, "commit", "-q", "-m", "initial")
    return plan_root


def test_commit_commits_exactly_the_changed_file(repo: Path, runner: CliRunner) -> None:
    (repo / "notes.txt").write_text("unrelated, not staged\n", encoding="utf-8")
    result = _run(
        runner,
        repo,
        "hazard",
        "close",
        HZ,
        "--on",
        "2024-07-02",
        "--by",
        "镇安监站 站长",
        "--commit",
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"\(committed as [0-9a-f]{7,}\)$", result.output.strip())
    assert _git(repo, "log", "-1", "--format=%s") == f"隐患 {HZ}：销号（审核人 镇安监站 站长）\n"
    assert _git(repo, "show", "--name-only", "--format=", "HEAD") == f"data/hazards/{HZ}.yaml\n"
    assert _git(repo, "status", "--porcelain") == "?? notes.txt\n"


def test_commit_of_a_new_hazard_and_of_a_renumbering(repo: Path, runner: CliRunner) -> None:
    result = _run(runner, repo, *MAJOR, "--commit")
    assert result.exit_code == 0, result.output
    (path,) = (repo / "data" / "hazards").glob("HZ-20250402-*.yaml")
    # The subject is in the plan's language, not half English (登记 (registered)).
    assert _git(repo, "log", "-1", "--format=%s").startswith(f"隐患 {path.stem}：登记 ")
    result = _run(runner, repo, "hazard", "renumber", path.stem, "HZ-20250402-ZZZZ", "--commit")
    assert result.exit_code == 0, result.output
    changed = _git(repo, "show", "--name-status", "--format=", "HEAD")
    assert "HZ-20250402-ZZZZ.yaml" in changed and path.name in changed
    assert _git(repo, "status", "--porcelain") == ""


def test_commit_is_refused_when_other_changes_are_staged(repo: Path, runner: CliRunner) -> None:
    (repo / "data" / "units.yaml").write_text(
        (repo / "data" / "units.yaml").read_text(encoding="utf-8") + "# staged\n", encoding="utf-8"
    )
    _git(repo, "add", "data/units.yaml")
    before = (repo / "data" / "hazards" / f"{HZ}.yaml").read_bytes()
    head = _git(repo, "rev-parse", "HEAD")
    result = _run(runner, repo, "hazard", "close", HZ, "--by", "站长", "--commit")
    assert result.exit_code == 1
    assert "other changes are already staged (data/units.yaml)" in result.output
    assert (repo / "data" / "hazards" / f"{HZ}.yaml").read_bytes() == before
    assert _git(repo, "rev-parse", "HEAD") == head


def test_commit_is_refused_when_the_file_has_uncommitted_changes(
    repo: Path, runner: CliRunner
) -> None:
    path = repo / "data" / "hazards" / f"{HZ}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    before = path.read_bytes()
    result = _run(runner, repo, "hazard", "close", HZ, "--by", "站长", "--commit")
    assert result.exit_code == 1
    assert "already has uncommitted changes" in result.output
    assert path.read_bytes() == before


def test_a_failing_commit_leaves_the_file_as_it_was(repo: Path, runner: CliRunner) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook says no' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    path = repo / "data" / "hazards" / f"{HZ}.yaml"
    before = path.read_bytes()
    result = _run(runner, repo, "hazard", "close", HZ, "--by", "站长", "--commit")
    assert result.exit_code == 1
    assert "hook says no" in result.output
    assert path.read_bytes() == before
    assert _git(repo, "status", "--porcelain") == ""


def test_a_long_reason_does_not_become_the_commit_subject() -> None:
    from safeplan.repo.git import SUBJECT_MAX, commit_text

    short = "隐患 HZ-1：撤销登记：重复登记"
    assert commit_text(short) == short
    long = "隐患 HZ-1：撤销登记：" + "重复" * 100
    subject, blank, *body = commit_text(long).split("\n")
    assert len(subject) == SUBJECT_MAX and subject.endswith("…") and blank == ""
    assert body == [long]
    assert commit_text("a\tb  c") == "a b c"
