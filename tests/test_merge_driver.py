"""The merge driver (issue 19, item 5): two officers' facts about one hazard, or about the
tasks, merge in date order under a REAL ``git merge``; a contradiction is left as conflict
markers that ``validate`` names as a merge conflict."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.edit.merge import attributes, merge_files

FIXTURE = Path(__file__).parent / "data" / "status" / "hazards"
HZ = "HZ-20241102-Q3TF"  # major, open, no 双报告, no notes


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=check, timeout=60
    )


def run(runner: CliRunner, root: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--root", str(root), "--lang", "en"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def repo(plan_root: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plan in git, the driver set up, one hazard committed on main."""
    # git runs the driver as 'safeplan merge-file …': the safeplan of this environment.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    shutil.copy(FIXTURE / f"{HZ}.yaml", plan_root / "data" / "hazards" / f"{HZ}.yaml")
    git(plan_root, "init", "-q", "-b", "main")
    out = run(runner, plan_root, "git-setup")
    assert "wrote .gitattributes" in out
    git(plan_root, "add", "-A")
    git(plan_root, "commit", "-q", "-m", "start")
    return plan_root


def branches(repo: Path, runner: CliRunner, ours: list[str], theirs: list[str]) -> None:
    """One edit on a branch 'theirs', one on main; then main merges theirs (not yet)."""
    git(repo, "checkout", "-q", "-b", "theirs")
    run(runner, repo, *theirs, "--commit")
    git(repo, "checkout", "-q", "main")
    run(runner, repo, *ours, "--commit")


def hazard_text(repo: Path) -> str:
    return (repo / "data" / "hazards" / f"{HZ}.yaml").read_text(encoding="utf-8")


def test_git_setup_writes_gitattributes_and_the_driver(repo: Path, runner: CliRunner) -> None:
    text = (repo / ".gitattributes").read_text(encoding="utf-8")
    assert "data/hazards/*.yaml merge=safeplan\n" in text
    assert "data/tasks.yaml merge=safeplan\n" in text
    assert git(repo, "config", "merge.safeplan.driver").stdout.strip() == (
        "safeplan merge-file %O %A %B %P"
    )
    # Run again: nothing to add, .gitattributes unchanged.
    assert "wrote" not in run(runner, repo, "git-setup")
    assert (repo / ".gitattributes").read_text(encoding="utf-8") == text


def test_notes_on_both_sides_merge_clean_in_date_order(repo: Path, runner: CliRunner) -> None:
    branches(
        repo,
        runner,
        ["hazard", "note", HZ, "镇安监站复查：整改未开始", "--on", "2026-11-10"],
        ["hazard", "note", HZ, "综合执法局约谈房东", "--on", "2026-11-03"],
    )
    merged = git(repo, "merge", "-q", "--no-edit", "theirs", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = hazard_text(repo)
    assert text.index("约谈房东") < text.index("整改未开始")  # date order, both kept
    assert "<<<<<<<" not in text
    assert runner.invoke(app, ["validate", "--root", str(repo)]).exit_code == 0


def test_a_note_and_a_double_report_merge_clean(repo: Path, runner: CliRunner) -> None:
    branches(
        repo,
        runner,
        ["hazard", "note", HZ, "已督促整改", "--on", "2026-11-10"],
        ["hazard", "report", HZ, "--regulator", "2026-11-04", "--workers", "2026-11-05"],
    )
    merged = git(repo, "merge", "-q", "--no-edit", "theirs", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = hazard_text(repo)
    assert "已督促整改" in text and "regulator_on: 2026-11-04" in text
    assert runner.invoke(app, ["validate", "--root", str(repo)]).exit_code == 0


def test_contradicting_rectification_dates_are_a_conflict_validate_names(
    repo: Path, runner: CliRunner
) -> None:
    branches(
        repo,
        runner,
        ["hazard", "rectify", HZ, "--on", "2026-11-05", "--note", "拆除线路"],
        ["hazard", "rectify", HZ, "--on", "2026-11-06", "--note", "拆除线路"],
    )
    merged = git(repo, "merge", "--no-edit", "theirs", check=False)
    assert merged.returncode != 0
    assert "两个分支在 整改完成日期 处相互矛盾" in merged.stderr + merged.stdout  # says where
    assert f"data/hazards/{HZ}.yaml" in git(repo, "diff", "--name-only", "--diff-filter=U").stdout
    text = hazard_text(repo)
    assert "<<<<<<< ours (safeplan)\n  on: 2026-11-05\n=======\n  on: 2026-11-06\n" in text
    assert ">>>>>>> theirs (safeplan)\n" in text
    assert text.count("拆除线路") == 1  # what agrees is merged
    result = runner.invoke(app, ["validate", "--root", str(repo), "--lang", "en"])
    assert result.exit_code == 1
    assert f"data/hazards/{HZ}.yaml:" in result.stdout
    assert "merge conflict: the two merged branches give different values here" in result.stdout
    zh = runner.invoke(app, ["validate", "--root", str(repo)])
    assert "合并冲突" in zh.stdout


def test_progress_on_the_tasks_from_both_branches_merges_clean(
    repo: Path, runner: CliRunner
) -> None:
    branches(
        repo,
        runner,
        ["task", "progress", "8", "完成第一轮排查", "--on", "2026-11-20"],
        ["task", "progress", "8", "召开部署会", "--on", "2026-11-12"],
    )
    merged = git(repo, "merge", "-q", "--no-edit", "theirs", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = (repo / "data" / "tasks.yaml").read_text(encoding="utf-8")
    assert text.index("召开部署会") < text.index("完成第一轮排查")
    assert runner.invoke(app, ["validate", "--root", str(repo)]).exit_code == 0


# ------------------------------------------------------------ the merge itself, no git

BASE = """\
# 出租屋 — 综合执法局
id: HZ-1
title: 出租屋电动自行车违规充电  # 群众举报
level: major
notes:
  - on: 2026-11-01
    text: 登记
"""


def three(tmp_path: Path, ours: str, theirs: str, base: str = BASE) -> tuple[Path, Path, Path]:
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1], paths[2]


def test_comments_and_order_of_our_side_survive(tmp_path: Path) -> None:
    ours = BASE + "  - on: 2026-11-09  # 复查\n    text: 复查\n"
    theirs = BASE.replace("level: major\n", "level: major\nlocation: 镇区\n")
    theirs += "  - on: 2026-11-05\n    text: 约谈\n"
    merged = merge_files(*three(tmp_path, ours, theirs), tmp_path)
    assert merged.clean
    assert merged.data.decode() == (
        "# 出租屋 — 综合执法局\nid: HZ-1\ntitle: 出租屋电动自行车违规充电  # 群众举报\n"
        "level: major\nlocation: 镇区\nnotes:\n  - on: 2026-11-01\n    text: 登记\n"
        "  - on: 2026-11-05\n    text: 约谈\n  - on: 2026-11-09  # 复查\n    text: 复查\n"
    )


def test_the_same_fact_on_both_sides_is_kept_once(tmp_path: Path) -> None:
    same = BASE + "  - on: 2026-11-05\n    text: 约谈\n"
    merged = merge_files(*three(tmp_path, same, same), tmp_path)
    assert merged.clean and merged.data.decode().count("约谈") == 1


def test_two_titles_are_a_conflict(tmp_path: Path) -> None:
    ours = BASE.replace("违规充电  #", "违规充电（甲）  #")
    theirs = BASE.replace("违规充电  #", "违规充电（乙）  #")
    merged = merge_files(*three(tmp_path, ours, theirs), tmp_path)
    assert merged.conflicts == ["title"]
    text = merged.data.decode()
    assert "<<<<<<< ours (safeplan)\ntitle: 出租屋电动自行车违规充电（甲）" in text
    assert "=======\ntitle: 出租屋电动自行车违规充电（乙）" in text


def test_a_side_that_is_not_yaml_is_merged_as_text(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    ours = BASE.replace("id: HZ-1", "id: [HZ-3")  # broken by hand: not YAML
    merged = merge_files(*three(tmp_path, ours, BASE.replace("HZ-1", "HZ-2")), tmp_path)
    assert merged.conflicts == ["(the whole file, merged as text)"]
    assert b"<<<<<<< ours\nid: [HZ-3\n=======\nid: HZ-2\n>>>>>>> theirs\n" in merged.data
    # Lines changed on one side only merge as git merges them.
    clean = merge_files(*three(tmp_path, BASE + "level: [\n", BASE), tmp_path)
    assert clean.clean and clean.data.endswith(b"level: [\n")


def test_gitattributes_keeps_what_is_there() -> None:
    assert attributes("*.xlsx binary") == (
        "*.xlsx binary\n\n# safeplan merges the facts two branches added to one hazard or to "
        "the tasks (safeplan git-setup)\ndata/hazards/*.yaml merge=safeplan\n"
        "data/hazards/*.yml merge=safeplan\ndata/tasks.yaml merge=safeplan\n"
    )
    done = attributes("")
    assert attributes(done) == done


def test_validate_names_gits_own_markers_too(plan_root: Path, runner: CliRunner) -> None:
    text = (FIXTURE / f"{HZ}.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "location: 镇区某出租屋\n",
        "<<<<<<< HEAD\nlocation: 镇区某出租屋\n=======\nlocation: 镇区出租屋\n>>>>>>> theirs\n",
    )
    (plan_root / "data" / "hazards" / f"{HZ}.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--root", str(plan_root), "--lang", "en"])
    assert result.exit_code == 1
    assert f"data/hazards/{HZ}.yaml:4:1: merge conflict: git left both branches' lines" in (
        result.stdout
    )
    assert "safeplan git-setup" in result.stdout


def test_git_setup_outside_git_is_a_usage_error(plan_root: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["git-setup", "--root", str(plan_root), "--lang", "en"])
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr
    assert not (plan_root / ".gitattributes").exists()


def test_documents_of_different_kinds_are_one_conflict(tmp_path: Path) -> None:
    merged = merge_files(*three(tmp_path, "- a\n", "x: 1\n", base="y: 2\n"), tmp_path)
    assert merged.conflicts == ["(the whole file)"]
    text = merged.data.decode()
    assert text.startswith("<<<<<<< ours (safeplan)\n") and "- a\n=======\nx: 1\n>>>>>>>" in text
