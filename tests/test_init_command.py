"""``safeplan init``: a new plan repository, from the issued text or to fill in, with git."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.yamlio import load_fast

PLANS = Path(__file__).parent / "data" / "plans"
DAJING = PLANS / "dajing-2024-2026.txt"
BASIC = PLANS / "township-basic.txt"
SCAFFOLD = [
    ".gitignore",
    ".gitattributes",
    "README.md",
    ".pre-commit-config.yaml",
    ".vscode/settings.json",
]
HAS_GIT = shutil.which("git") is not None


def _init(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(app, ["init", *args, "--lang", "en"])


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
@pytest.mark.usefixtures("git_identity")
def test_init_from_the_shipped_text_makes_a_working_repository(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = tmp_path / "dajing"
    result = _init(runner, str(root), "--from-text", str(DAJING))
    assert result.exit_code == 1, result.output  # the two findings of the shipped source
    assert "git: made a repository and committed the files as" in result.output
    committed = set(_git(root, "ls-files").split())
    assert committed == {
        "plan/plan.yaml",
        "plan/source.txt",
        "data/units.yaml",
        "data/tasks.yaml",
        "data/hazards/.gitkeep",
        *SCAFFOLD,
        *(
            f"schemas/{kind}.schema.json"
            for kind in ("plan", "units", "tasks", "hazard", "enterprise")
        ),
    }
    assert _git(root, "status", "--porcelain") == ""
    # git merges two branches' facts with safeplan's merge driver (issue 19, item 5)
    assert "data/hazards/*.yaml merge=safeplan" in (root / ".gitattributes").read_text("utf-8")
    driver = _git(root, "config", "merge.safeplan.driver").strip()
    assert driver == "safeplan merge-file %O %A %B %P"
    # the schemas the editor settings and the hazard files' first line point to
    from safeplan.schema.export import schema_files

    for name, data in schema_files().items():
        assert (root / "schemas" / name).read_bytes() == data
    assert _git(root, "log", "--format=%s").strip() == (
        "Start the plan: 大井镇安全生产治本攻坚三年行动方案（2024—2026年）"
    )
    assert runner.invoke(app, ["validate", "--root", str(root)]).exit_code == 0
    status = runner.invoke(app, ["status", "--root", str(root), "--as-of", "2025-01-15"])
    assert status.exit_code == 0, status.output
    assert "重点任务（21 项）" in status.output


def test_the_scaffold_is_for_the_plans_users(tmp_path: Path, runner: CliRunner) -> None:
    root = tmp_path / "basic"
    result = _init(runner, str(root), "--from-text", str(BASIC))
    assert result.exit_code == 0, result.output
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# 小河镇安全生产治本攻坚三年行动方案（2024—2026年）\n")
    for command in (
        "safeplan status",
        "safeplan hazard new",
        "safeplan hazard rectify",
        "safeplan hazard accept",
        "safeplan hazard close",
        "safeplan validate",
        "safeplan report",
    ):
        assert f"`{command}" in readme, command
    ignore = (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".safeplan-cache/" in ignore and ".safeplan-journal.json" in ignore
    hooks = load_fast((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    ids = [h["id"] for repo in hooks["repos"] for h in repo["hooks"]]
    assert ids == ["safeplan-validate", "safeplan-fmt"]
    settings = json.loads((root / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["schemas/plan.schema.json"] == ["plan/plan.yaml"]
    assert set(settings["yaml.schemas"]) == {
        "schemas/plan.schema.json",
        "schemas/units.schema.json",
        "schemas/tasks.schema.json",
        "schemas/hazard.schema.json",
    }
    assert (root / "data" / "hazards").is_dir()


def test_init_without_a_text_writes_a_valid_plan_to_fill_in(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = tmp_path / "new"
    result = _init(runner, str(root), "--name", "柳河镇")
    assert result.exit_code == 0, result.output
    assert "a plan to fill in" in result.output
    plan = load_fast((root / "plan" / "plan.yaml").read_text(encoding="utf-8"))
    assert plan["title"] == "柳河镇安全生产治本攻坚三年行动方案（2024—2026年）"
    assert plan["issuer"] == "柳河镇人民政府"
    assert [g["kind"] for g in plan["goals"]] == [
        "stock_cleared",
        "increment_curbed",
        "dynamic_zero",
    ]
    assert not (root / "plan" / "source.txt").exists()
    check = runner.invoke(app, ["validate", "--root", str(root), "--lang", "en"])
    assert check.exit_code == 0, check.output
    status = runner.invoke(app, ["status", "--root", str(root), "--as-of", "2025-01-15"])
    assert status.exit_code == 0, status.output


def test_init_into_the_current_folder(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _init(runner)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plan" / "plan.yaml").is_file()
    assert "某某镇安全生产治本攻坚三年行动方案" in (tmp_path / "README.md").read_text("utf-8")


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def test_init_refuses_a_folder_that_holds_a_plan(tmp_path: Path, runner: CliRunner) -> None:
    root = tmp_path / "p"
    assert _init(runner, str(root), "--from-text", str(BASIC)).exit_code == 0
    (root / "README.md").write_text("ours\n", encoding="utf-8")
    before = _snapshot(root)
    result = _init(runner, str(root), "--from-text", str(DAJING))
    assert result.exit_code == 1
    assert "already holds a plan (plan/plan.yaml): nothing was written" in result.output
    assert "safeplan import text PLAN.txt --root" in result.output
    assert _snapshot(root) == before


def test_init_refuses_part_of_a_plan(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tasks.yaml").write_text("tasks: []\n", encoding="utf-8")
    result = _init(runner, str(tmp_path))
    assert result.exit_code == 1
    assert "already holds part of a plan (data/tasks.yaml)" in result.output
    assert not (tmp_path / "plan").exists()


def test_init_never_overwrites_a_file_it_would_write(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "README.md").write_text("# 我们自己的说明\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("*.bak\n", encoding="utf-8")
    result = _init(runner, str(tmp_path), "--from-text", str(BASIC))
    assert result.exit_code == 0, result.output
    assert "README.md already exists: left as it is" in result.output
    assert ".gitignore already exists: left as it is" in result.output
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# 我们自己的说明\n"
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "*.bak\n"
    assert (tmp_path / "plan" / "plan.yaml").is_file()


def test_init_with_a_missing_text_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    result = _init(runner, str(tmp_path / "p"), "--from-text", str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert "missing.txt: no such file" in result.output
    assert not (tmp_path / "p").exists()


def test_init_with_a_gbk_text_reads_it_and_says_so(tmp_path: Path, runner: CliRunner) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(BASIC.read_text(encoding="utf-8").encode("gbk"))
    result = _init(runner, str(tmp_path / "p"), "--from-text", str(gbk))
    assert result.exit_code == 0, result.output
    assert f"{gbk} is GB18030 (GBK) text, not UTF-8: it was read as GB18030" in result.output
    source = tmp_path / "p" / "plan" / "source.txt"
    assert source.read_bytes() == BASIC.read_bytes()


def test_init_into_a_file_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = _init(runner, str(target))
    assert result.exit_code == 2
    assert "is a file, not a folder" in result.output


def test_without_git_the_files_are_written_and_that_is_said(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    root = tmp_path / "p"
    result = _init(runner, str(root), "--from-text", str(BASIC))
    assert result.exit_code == 0, result.output
    assert "git is not installed: no repository was made" in result.output
    assert not (root / ".git").exists()
    assert (root / "data" / "tasks.yaml").is_file()


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
@pytest.mark.usefixtures("no_git_identity")
def test_without_a_git_identity_nothing_is_committed(tmp_path: Path, runner: CliRunner) -> None:
    root = tmp_path / "p"
    result = _init(runner, str(root), "--from-text", str(BASIC))
    assert result.exit_code == 0, result.output
    assert "does not know who you are" in result.output
    assert (root / ".git").is_dir()
    assert subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True).returncode
    assert (root / "plan" / "plan.yaml").is_file()


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
@pytest.mark.usefixtures("git_identity")
def test_inside_an_existing_repository_nothing_is_committed(
    tmp_path: Path, runner: CliRunner
) -> None:
    _git(tmp_path, "init", "-q")
    root = tmp_path / "plans" / "liuhe"
    result = _init(runner, str(root), "--name", "柳河镇")
    assert result.exit_code == 0, result.output
    assert "is inside the git repository" in result.output
    assert not (root / ".git").exists()
    assert _git(tmp_path, "status", "--porcelain").strip() == "?? plans/"
