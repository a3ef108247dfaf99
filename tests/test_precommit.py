"""The pre-commit hooks: pre-commit itself installs them from a hooks repository (by its
URL and revision, as a plan repository's .pre-commit-config.yaml names them) and runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conftest import copy_plan

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PRE_COMMIT = BIN / "pre-commit"
HOOKS = REPO / ".pre-commit-hooks.yaml"
CONFIG = REPO / ".pre-commit-config.yaml"
#: What a hooks repository needs for pre-commit to install safeplan from it.
SOURCES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src")


def _run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900
    )


def _git_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "SAFEPLAN_"))}
    env.update(
        HOME=str(home),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@t",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@t",
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(home / "pre-commit"),
        SAFEPLAN_LANG="en",
    )
    return env


def _commit_all(root: Path, env: dict[str, str]) -> None:
    for args in (("add", "-A"), ("commit", "-qm", "snapshot", "--allow-empty")):
        done = _run("git", *args, cwd=root, env=env)
        assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A git repository of this working tree's sources (never this repository's own index)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not PRE_COMMIT.exists():
        pytest.fail("pre-commit is not installed: make install (it is a dev dependency)")
    base = tmp_path_factory.mktemp("pre-commit")
    env = _git_env(base)
    hooks = base / "safeplan-hooks"
    hooks.mkdir()
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(
                source, hooks / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
            )
        else:
            shutil.copy(source, hooks / name)
    assert _run("git", "init", "-q", cwd=hooks, env=env).returncode == 0
    _commit_all(hooks, env)
    yield hooks, env


def _plan_repo(base: Path, hooks: Path, env: dict[str, str]) -> Path:
    """A plan repository whose .pre-commit-config.yaml uses the published hooks from
    ``hooks`` at its HEAD, as README's pre-commit section shows (``repo:`` and ``rev:``)."""
    root = copy_plan(base / "plan-repo")
    rev = _run("git", "rev-parse", "HEAD", cwd=hooks, env=env)
    assert rev.returncode == 0, rev.stderr
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks.as_uri()}\n    rev: {rev.stdout.strip()}\n    hooks:\n"
        "      - id: safeplan-validate\n      - id: safeplan-fmt\n",
        encoding="utf-8",
    )
    assert _run("git", "init", "-q", cwd=root, env=env).returncode == 0
    _commit_all(root, env)
    return root


def _run_hooks(root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``pre-commit run --all-files``: the first run installs safeplan from the hooks
    repository into PRE_COMMIT_HOME, the next reuses it (``try-repo`` would install it
    afresh each time, in a store of its own: the same hooks, twice the pip)."""
    return _run(str(PRE_COMMIT), "run", "--all-files", cwd=root, env=env)


@pytest.mark.slow
def test_pre_commit_runs_the_hooks_on_a_plan_repository(
    hooks_repo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    hooks, env = hooks_repo
    root = _plan_repo(tmp_path, hooks, env)

    good = _run_hooks(root, env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "safeplan validate" in good.stdout and "safeplan fmt" in good.stdout
    assert "Failed" not in good.stdout

    hazard = root / "data" / "hazards" / "HZ-20240315-A7K2.yaml"
    hazard.write_text(
        (REPO / "tests" / "data" / "edit" / "commented.yaml")
        .read_text(encoding="utf-8")
        .replace("HZ-20240315-K7Q2", "HZ-20240315-A7K2")
        .replace("responsible_unit: 镇安监站", "responsible_unit: 安监站"),
        encoding="utf-8",
    )
    _commit_all(root, env)
    bad = _run_hooks(root, env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "unknown unit '安监站'" in bad.stdout  # validate failed, and says where
    assert "data/hazards/HZ-20240315-A7K2.yaml:" in bad.stdout
    assert "files were modified by this hook" in bad.stdout  # fmt rewrote the hand-written file
    text = hazard.read_text(encoding="utf-8")
    assert "  - level: county\n" in text and "credit_code: '91150400MA0N1234XL'" in text


def test_the_manifest_and_the_config_are_valid_for_pre_commit() -> None:
    if not PRE_COMMIT.exists():
        pytest.fail("pre-commit is not installed: make install (it is a dev dependency)")
    manifest = _run(str(PRE_COMMIT), "validate-manifest", str(HOOKS), cwd=REPO)
    assert manifest.returncode == 0, manifest.stdout + manifest.stderr
    config = _run(str(PRE_COMMIT), "validate-config", str(CONFIG), cwd=REPO)
    assert config.returncode == 0, config.stdout + config.stderr


def test_this_repositorys_config_runs_the_published_hooks_as_published() -> None:
    published = {h["id"]: h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    assert sorted(published) == ["safeplan-fmt", "safeplan-validate"]
    assert published["safeplan-validate"]["pass_filenames"] is False
    local = {
        h["id"]: h
        for repo in yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["repos"]
        for h in repo["hooks"]
    }
    for hook_id, hook in published.items():
        for key in ("entry", "files", "require_serial"):
            assert local[hook_id][key] == hook[key], (hook_id, key)
        assert local[hook_id].get("pass_filenames", True) == hook.get("pass_filenames", True)


@pytest.mark.parametrize(
    "path",
    [
        "plan/plan.yaml",
        "data/units.yaml",
        "data/tasks.yaml",
        "data/hazards/HZ-20240315-A7K2.yaml",
        "data/hazards/HZ-20240315-A7K2.yml",
    ],
)
def test_fmt_hook_files_are_the_files_fmt_formats(path: str) -> None:
    import re

    from safeplan.cli.fmt import _kind

    published = {h["id"]: h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    pattern = re.compile(published["safeplan-fmt"]["files"])
    assert pattern.search(path) and _kind(path)
    for other in ("README.md", "plan/source.txt", "data/hazards/notes.txt", "data/x.yaml"):
        assert not pattern.search(other) and _kind(other) is None
