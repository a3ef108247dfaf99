"""``repo/git.py``, the one place safeplan runs git: a timeout on every call, and git
missing, without an identity or refusing reported as the same safeplan errors."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from safeplan.errors import EXIT_PROBLEMS, EXIT_USAGE, RefusedError, UsageError
from safeplan.problems import Fragment
from safeplan.repo import git, gitbase
from safeplan.repo.git import Git, GitFailed, GitMissing, GitNoIdentity, GitUntrusted

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def no_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "empty-bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))


def _repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q"], cwd=path, check=True)
    return path


@pytest.mark.usefixtures("no_git")
def test_git_missing_is_a_usage_error_naming_what_needed_it(tmp_path: Path) -> None:
    with pytest.raises(GitMissing) as caught:
        Git(tmp_path, "--commit").run("status")
    assert isinstance(caught.value, UsageError)
    assert caught.value.exit_code == EXIT_USAGE
    assert str(caught.value) == "--commit needs git, which is not installed"


@pytest.mark.usefixtures("no_git")
def test_without_git_the_optional_uses_say_what_they_left_out(tmp_path: Path) -> None:
    from safeplan.models.reports import DataVersion

    assert git.data_version(tmp_path) == DataVersion()
    assert gitbase.prefix(tmp_path) == ""
    found = gitbase.compare(tmp_path, None)
    assert isinstance(found, gitbase.Unavailable)
    assert found.template == "git is not installed: deleted records were not looked for"
    with pytest.raises(GitMissing, match=r"^--changed-since needs git"):
        gitbase.changed_since(tmp_path, "HEAD")


@needs_git
def test_a_missing_folder_is_not_a_missing_git(tmp_path: Path) -> None:
    with pytest.raises(GitFailed) as caught:
        Git(tmp_path / "gone", "--commit").run("status")
    assert str(tmp_path / "gone") in str(caught.value.error)


def test_a_git_that_does_not_answer_is_given_up_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "git"
    fake.write_text(f"#!/bin/sh\nexec {shutil.which('sleep')} 30\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    with pytest.raises(GitFailed) as caught:
        Git(tmp_path, "--commit").run("status", timeout=0.5)
    assert caught.value.command == "status"
    assert caught.value.error == Fragment("no answer within {seconds} seconds", {"seconds": "0.5"})
    assert caught.value.exit_code == EXIT_PROBLEMS


@needs_git
def test_a_refusal_carries_gits_own_message(tmp_path: Path) -> None:
    root = _repo(tmp_path / "r")
    with pytest.raises(GitFailed) as caught:
        Git(root, "--base").run("rev-parse", "--verify", "no-such-ref")
    assert caught.value.command == "rev-parse"
    assert "fatal" in str(caught.value.error)
    assert str(caught.value).startswith("--base: git rev-parse failed: fatal")
    assert isinstance(caught.value, RefusedError)


@needs_git
def test_unchecked_runs_return_what_git_did(tmp_path: Path) -> None:
    root = _repo(tmp_path / "r")
    done = Git(root, "x").run("rev-parse", "--verify", "--quiet", "HEAD", check=False)
    assert not done.ok
    assert Git(root, "x").toplevel() == str(root.resolve())
    assert Git(tmp_path / "r", "x").has_commit("HEAD") is False


@needs_git
def test_outside_a_repository_there_is_no_toplevel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIT_CEILING_DIRECTORIES keeps git from finding a repository above tmp_path.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    outside = tmp_path / "o"
    outside.mkdir()
    assert Git(outside, "x").toplevel() is None


@needs_git
@pytest.mark.usefixtures("no_git_identity")
def test_no_identity_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    root = _repo(tmp_path / "r")
    with pytest.raises(GitNoIdentity) as caught:
        Git(root, "--commit").check_can_commit()
    assert str(caught.value).startswith("--commit: git does not know who you are")


@needs_git
@pytest.mark.usefixtures("git_identity")
def test_a_commit_refused_by_a_hook_leaves_nothing_staged(tmp_path: Path) -> None:
    root = _repo(tmp_path / "r")
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'no, not today' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    (root / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    g = Git(root, "--commit")
    g.check_can_commit()
    with pytest.raises(GitFailed) as caught:
        g.commit(["a.yaml"], "add a")
    assert caught.value.command == "commit"
    assert "no, not today" in str(caught.value.error)
    staged = g.run("diff", "--cached", "--name-only").text
    assert staged == ""
    hook.unlink()
    sha = g.commit(["a.yaml"], "add a")
    assert sha == g.run("rev-parse", "--short", "HEAD").text
    assert g.run("log", "-1", "--format=%an %s").text == "测试员 add a"


def test_dubious_ownership_is_one_error() -> None:
    exc = GitUntrusted("--commit", Path("/srv/plan"))
    assert isinstance(exc, RefusedError)
    assert "safe.directory /srv/plan" in str(exc)
    assert git.dubious("fatal: detected dubious ownership in repository at '/srv/plan'")


@needs_git
@pytest.mark.usefixtures("git_identity")
@pytest.mark.parametrize(
    ("marker", "what"),
    [
        ("MERGE_HEAD", "a merge"),
        ("CHERRY_PICK_HEAD", "a cherry-pick"),
        ("REVERT_HEAD", "a revert"),
        ("rebase-merge/", "a rebase"),
        ("rebase-apply/", "a rebase"),
        ("index.lock", "git's index is locked"),
    ],
)
@pytest.mark.parametrize("folder", ["r", "r\nwith a newline"])
def test_each_operation_in_progress_is_found_by_the_one_rev_parse(
    tmp_path: Path, marker: str, what: str, folder: str
) -> None:
    """The checks before a commit ask git where it keeps each marker in one call; a folder
    whose name breaks that answer's lines is asked one marker at a time, with the same
    outcome."""
    root = _repo(tmp_path / folder)
    Git(root, "--commit").check_can_commit()  # nothing in progress: no refusal
    path = root / ".git" / marker.rstrip("/")
    if marker.endswith("/"):
        path.mkdir()
    else:
        path.write_text("", encoding="utf-8")
    with pytest.raises(RefusedError) as caught:
        Git(root, "--commit").check_can_commit()
    assert what in str(caught.value)
