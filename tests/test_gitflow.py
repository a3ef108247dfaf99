"""Git failures and interruptions say what really happened (issue 18 items 7–10, issue 19 item 9).

git is made to fail where it hurts: a fake ``git`` earlier on the PATH runs the real one,
then dies (kill -9) after the commit, or takes git's lock and dies before it; another
blocks in ``git commit`` until the test has sent SIGTERM. Ctrl-C is sent while typer is
imported (a stand-in typer raises it), while a command module loads and while a command
runs. An ``init`` is killed half-way through its files, then ``recover`` finishes it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import copy_plan
from safeplan.cli import app

REPO = Path(__file__).resolve().parent.parent
BASIC = REPO / "tests" / "data" / "plans" / "township-basic.txt"
REAL_GIT = shutil.which("git")
needs_git = pytest.mark.skipif(REAL_GIT is None, reason="git is not installed")
pytestmark = needs_git

NOTE = ["task", "progress", "6", "联合检查已完成", "--on", "2024-08-01"]


# --------------------------------------------------------------------------- helpers


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True, env=os.environ
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The fixture plan, committed on a branch."""
    root = copy_plan(tmp_path / "plan")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def _fake_git(folder: Path, on_commit: str) -> str:
    """A ``git`` that runs the real one, except that ``git commit`` runs ``on_commit`` (a
    shell fragment; ``$real`` is the real git). Returns the PATH that finds it first."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "git"
    script.write_text(
        f'#!/bin/sh\nreal="{REAL_GIT}"\n'
        f'if [ "$1" = commit ]; then\n{on_commit}\nfi\nexec "$real" "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ['PATH']}"


def _run(
    root: Path, *args: str, lang: str = "en", env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, [*args, "--root", str(root)], env={"SAFEPLAN_LANG": lang, **(env or {})}
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _process(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """safeplan as its own process (what a signal or a broken import needs)."""
    return subprocess.run(
        [sys.executable, "-m", "safeplan", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "SAFEPLAN_LANG": "en", **(env or {})},
        cwd=cwd,
        check=False,
        timeout=120,
    )


# --------------------------------------------------------------------------- #18.7 git dies


@pytest.mark.parametrize("death", ["kill -9 $$", "exit 137"])
def test_git_killed_after_making_the_commit_keeps_the_files_and_says_so(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, death: str
) -> None:
    monkeypatch.setenv("PATH", _fake_git(tmp_path / "bin", f'"$real" "$@"\n{death}'))
    base = _git(repo, "rev-parse", "HEAD")
    code, out, err = _run(repo, *NOTE, "--commit")
    assert code == 0, err
    sha = _git(repo, "rev-parse", "--short", "HEAD")
    assert f"(committed as {sha})" in out
    assert (
        f"git failed (git was killed (signal 9) without a word) after it had made the commit {sha}"
        in err
    )
    assert "the files were kept; do not run the command again" in err
    # The working tree holds what HEAD holds: nothing reverted, nothing staged or changed.
    assert "联合检查已完成" in (repo / "data" / "tasks.yaml").read_text(encoding="utf-8")
    assert _git(repo, "rev-parse", "HEAD~1") == base
    assert _git(repo, "status", "--porcelain") == ""


def test_git_killed_before_the_commit_leaves_no_lock_no_staged_file_and_no_edit(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a git killed while it writes the index: its lock stays, the files are staged.
    die = ': > "$("$real" rev-parse --git-path index.lock)"\nkill -9 $$'
    monkeypatch.setenv("PATH", _fake_git(tmp_path / "bin", die))
    before, base = _files(repo), _git(repo, "rev-parse", "HEAD")
    code, _out, err = _run(repo, *NOTE, "--commit")
    assert code == 1
    assert "the commit failed (git was killed (signal 9) without a word)" in err
    assert "no commit holds the edit, so the files were put back as they were" in err
    assert "the lock git left behind was removed" in err
    assert _files(repo) == before
    assert _git(repo, "rev-parse", "HEAD") == base
    assert not (repo / ".git" / "index.lock").exists()
    assert _git(repo, "status", "--porcelain") == ""  # nothing staged, nothing changed


def test_a_refusing_hook_puts_the_files_back_and_leaves_nothing_staged_in_chinese(
    repo: Path,
) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 钩子拒绝 >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    before = _files(repo)
    code, _out, err = _run(repo, *NOTE, "--commit", lang="zh")
    assert code == 1
    assert "提交失败（钩子拒绝）；没有提交包含这次修改，所以文件已恢复原样" in err
    assert _files(repo) == before
    assert _git(repo, "status", "--porcelain") == ""


def test_a_lock_git_left_earlier_is_refused_before_anything_is_written(repo: Path) -> None:
    (repo / ".git" / "index.lock").write_bytes(b"")
    before = _files(repo)
    code, _out, err = _run(repo, *NOTE, "--commit")
    assert code == 1
    assert "git's index is locked" in err and "nothing was written" in err
    assert _files(repo) == before
    assert (repo / ".git" / "index.lock").exists()  # not ours: left alone


# --------------------------------------------------------------------------- #18.8 detached HEAD


def test_commit_on_a_detached_head_is_refused_with_what_to_do(repo: Path) -> None:
    _git(repo, "checkout", "-q", "--detach")
    before, head = _files(repo), _git(repo, "rev-parse", "HEAD")
    code, _out, err = _run(repo, *NOTE, "--commit")
    assert code == 1
    assert "--commit: HEAD is detached (not on a branch)" in err
    assert "git switch -c NEW-BRANCH" in err and "nothing was written" in err
    assert _files(repo) == before and _git(repo, "rev-parse", "HEAD") == head
    _git(repo, "switch", "-q", "-c", "work")
    code, out, _err = _run(repo, *NOTE, "--commit")
    assert code == 0 and "committed as" in out


# --------------------------------------------------------------------------- #18.9 signals


def _signal_during_write(monkeypatch: pytest.MonkeyPatch, signum: int) -> None:
    """The plan's write sends ``signum`` to this process as the file is replaced."""
    from safeplan import fsio

    real = fsio.write

    def write(*args: object, **kwargs: object) -> None:
        os.kill(os.getpid(), signum)
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fsio, "write", write)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_the_write_reports_the_edit_done_then_the_interruption(
    plan_root: Path, monkeypatch: pytest.MonkeyPatch, signum: int
) -> None:
    _signal_during_write(monkeypatch, signum)
    code, out, err = _run(plan_root, *NOTE)
    assert code == 130
    assert "data/tasks.yaml: task 6: progress note added on 2024-08-01" in out
    assert "interrupted after the edit above was done (data/tasks.yaml): do not run" in err
    text = (plan_root / "data" / "tasks.yaml").read_text(encoding="utf-8")
    assert text.count("联合检查已完成") == 1


def test_a_signal_during_the_write_stops_before_the_commit_and_says_how_to_commit(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _signal_during_write(monkeypatch, signal.SIGINT)
    base = _git(repo, "rev-parse", "HEAD")
    code, out, err = _run(repo, *NOTE, "--commit", lang="zh")
    assert code == 130
    assert "data/tasks.yaml：任务 6：已添加 2024-08-01 的进展记录" in out
    assert "在上面的修改写入之后、提交之前被中断" in err
    assert "git add -A -- data/tasks.yaml && git commit -m '任务 6：2024-08-01 报送进展'" in err
    assert _git(repo, "rev-parse", "HEAD") == base
    assert "联合检查已完成" in (repo / "data" / "tasks.yaml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_sigterm_while_git_commits_reports_the_commit_then_the_interruption(
    repo: Path, tmp_path: Path
) -> None:
    ready, go = tmp_path / "ready", tmp_path / "go"
    wait = f': > "{ready}"\nwhile [ ! -e "{go}" ]; do sleep 0.05; done'
    path = _fake_git(tmp_path / "bin", wait)
    proc = subprocess.Popen(
        [sys.executable, "-m", "safeplan", *NOTE, "--commit", "--root", str(repo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PATH": path, "SAFEPLAN_LANG": "en"},
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():  # the edit is written; git commit has started
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        go.touch()
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    sha = _git(repo, "rev-parse", "--short", "HEAD")
    assert f"(committed as {sha})" in out
    assert "interrupted after the edit above was done (data/tasks.yaml)" in err
    assert "Traceback" not in err
    assert _git(repo, "status", "--porcelain") == ""


# --------------------------------------------------------------------------- #19.9 Ctrl-C


@pytest.mark.parametrize(
    ("lang", "line"), [("en", "interrupted: nothing was written"), ("zh", "已中断：未写入任何内容")]
)
def test_ctrl_c_while_typer_is_imported_is_one_line_and_exit_130(
    tmp_path: Path, lang: str, line: str
) -> None:
    fake = tmp_path / "site" / "typer"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise KeyboardInterrupt\n", encoding="utf-8")
    done = _process("status", env={"PYTHONPATH": str(tmp_path / "site"), "SAFEPLAN_LANG": lang})
    assert done.returncode == 130
    assert done.stderr.strip() == f"safeplan: {line}"
    assert done.stdout == ""


def test_ctrl_c_during_a_command_is_said_in_the_plans_language(
    plan_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safeplan.cli.options import Call

    def stop(_self: Call) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Call, "repo", stop)
    result = CliRunner().invoke(app, ["status", "--root", str(plan_root)])
    assert result.exit_code == 130
    assert result.stderr == "safeplan: 已中断：未写入任何内容\n"


def test_ctrl_c_after_a_report_file_was_written_names_it(
    plan_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safeplan import fsio_output

    real = fsio_output.write_output
    calls: list[Path] = []

    def write(path: Path, *args: object, **kwargs: object) -> None:
        if calls:
            raise KeyboardInterrupt
        calls.append(path)
        real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fsio_output, "write_output", write)
    code, _out, err = _run(plan_root, "report", "weekly", "--as-of", "2026-11-28")
    assert code == 130
    assert "interrupted: " in err and "had been written before it (whole)" in err
    assert calls[0].name in err


def test_ctrl_c_while_a_command_module_loads_is_exit_130(
    plan_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safeplan.cli import group

    def stop(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(group, "_build", stop)
    result = CliRunner().invoke(app, ["status", "--root", str(plan_root)])
    assert result.exit_code == 130
    assert "已中断：未写入任何内容" in result.stderr and "Aborted" not in result.stderr


# --------------------------------------------------------------------------- #18.10 init


#: Loaded into a safeplan process (PYTHONPATH): kill -9 at the N-th hard link made under
#: SAFEPLAN_KILL_ROOT (how every new file of an edit, the journal first, gets its name).
KILL_AT_LINK = """
import os, signal
_root, _at, _n = os.environ.get("SAFEPLAN_KILL_ROOT"), int(os.environ.get("SAFEPLAN_KILL_AT", "0")), [0]
_link = os.link
def link(src, dst, *a, **k):
    if _root and str(dst).startswith(_root):
        _n[0] += 1
        if _n[0] == _at:
            os.kill(os.getpid(), signal.SIGKILL)
    return _link(src, dst, *a, **k)
os.link = link
"""


def _kill_init(tmp_path: Path, at: int) -> Path:
    site = tmp_path / "inject"
    site.mkdir()
    (site / "sitecustomize.py").write_text(KILL_AT_LINK, encoding="utf-8")
    target = tmp_path / "town"
    done = _process(
        "init",
        str(target),
        "--from-text",
        str(BASIC),
        env={
            "PYTHONPATH": str(site),
            "SAFEPLAN_KILL_ROOT": str(target),
            "SAFEPLAN_KILL_AT": str(at),
        },
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    return target


@pytest.mark.slow
def test_an_init_killed_half_way_is_finished_by_recover_with_its_repository(
    tmp_path: Path, runner: CliRunner
) -> None:
    # Killed as the first plan file gets its name: the journal is written, plan/plan.yaml
    # is not, and there is no repository yet.
    target = _kill_init(tmp_path, 2)
    assert (target / ".safeplan-journal.json").exists()
    assert not (target / "plan" / "plan.yaml").exists() and not (target / ".git").exists()
    again = runner.invoke(app, ["init", str(target), "--from-text", str(BASIC), "--lang", "en"])
    assert again.exit_code == 1
    assert f"run 'safeplan recover --root {target}' to finish it" in again.stderr
    # recover finds the journal without plan/plan.yaml, then makes the repository too.
    done = runner.invoke(app, ["recover", "--root", str(target), "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert "the interrupted edit" in done.stdout and "was finished" in done.stdout
    assert "git: made a repository and committed the files as" in done.stdout
    assert _git(target, "log", "--format=%s").startswith("Start the plan: ")
    assert _git(target, "status", "--porcelain") == ""
    assert runner.invoke(app, ["validate", "--root", str(target)]).exit_code == 0


def test_init_again_where_the_files_are_but_no_repository_says_how_to_finish(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "town"
    monkeypatch.setenv("PATH", str(tmp_path / "no-git"))
    first = runner.invoke(app, ["init", str(target), "--from-text", str(BASIC), "--lang", "en"])
    assert first.exit_code == 0, first.output
    assert "git is not installed: no repository was made" in first.stdout
    assert (
        f"to finish, install git and run in {target}: git init && git add -A -- plan/plan.yaml"
        in first.stdout
    )
    monkeypatch.undo()  # git is back (and the test's identity)
    monkeypatch.setenv("PATH", os.environ["PATH"])
    again = runner.invoke(app, ["init", str(target), "--from-text", str(BASIC), "--lang", "en"])
    assert again.exit_code == 1
    assert f"{target} already holds a plan, but it is in no git repository" in again.stderr
    assert "git init && git add -A && git commit -m 'Start the plan'" in again.stderr


def test_init_with_git_ends_with_a_repository_and_its_first_commit(
    tmp_path: Path, runner: CliRunner
) -> None:
    target = tmp_path / "town"
    done = runner.invoke(app, ["init", str(target), "--from-text", str(BASIC), "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert "git: made a repository and committed the files as" in done.stdout
    assert _git(target, "status", "--porcelain") == ""


# --------------------------------------------------------------------------- #18.10 text values


@pytest.mark.parametrize("command", [["init", "{dir}", "--from-text"], ["import", "text"]])
def test_a_control_character_in_the_text_is_refused_where_it_is(
    tmp_path: Path, runner: CliRunner, command: list[str]
) -> None:
    text = BASIC.read_text(encoding="utf-8")
    line_no = next(i for i, line in enumerate(text.split("\n"), 1) if "镇安监站" in line)
    line = text.split("\n")[line_no - 1]
    column = line.index("镇安监站") + 3
    bad = tmp_path / "plan.txt"
    bad.write_text(text.replace("镇安监站", "镇安\x1b]0;PWNED\x07监站", 1), encoding="utf-8")
    target = tmp_path / "town"
    args = [a.replace("{dir}", str(target)) for a in command] + [str(bad)]
    if command[0] == "import":
        args += ["--root", str(target)]
    result = runner.invoke(app, [*args, "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert (
        f"{bad}:{line_no}:{column}: the text holds the control character U+001B"
        in result.stdout + result.stderr
    )
    assert "nothing was written" in result.stderr
    assert not target.exists()


def test_control_characters_are_each_located_and_a_tab_is_fine() -> None:
    from safeplan.importers.plantext.start import control_characters

    found = control_characters("标题\n\t任务\x0c一\r\n二\x9b三\x00", "t.txt")
    assert [(p.line, p.column, p.params["code"]) for p in found] == [
        (2, 4, 0x0C),
        (3, 2, 0x9B),
        (3, 4, 0),
    ]


def test_what_git_left_is_said_with_the_command_that_clears_it() -> None:
    from safeplan.edit.transaction import _left_by_git
    from safeplan.render.i18n import translator
    from safeplan.render.text import render
    from safeplan.repo.git import CommitState

    def said(state: CommitState) -> str:
        left = _left_by_git(state)
        return (
            left if isinstance(left, str) else render(left.template, left.params, translator("en"))
        )

    lock = Path("/plan/.git/index.lock")
    assert said(CommitState(None, None, False, ())) == ""
    assert "'git reset -q -- data/tasks.yaml'" in said(
        CommitState(None, lock, False, ("data/tasks.yaml",))
    )
    assert "/plan/.git/index.lock is still there" in said(CommitState(None, lock, False, ("a",)))
    assert said(CommitState(None, None, False, ("a", "b"))).endswith("run 'git reset -q -- a b'")
    assert "was removed" in said(CommitState("abc1234", None, True, ()))


def test_an_edit_rolled_back_by_ctrl_c_is_not_said_to_be_written(
    plan_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A write that is not held (an importer's apply): Ctrl-C half-way puts every file back,
    # and the interruption's message must not name them as written.
    from safeplan import fsio, fsio_journal
    from safeplan.edit.transaction import EditResult, FileChange, apply

    real = fsio_journal.place  # a batch puts each staged file in place (a new file: exclusively)

    def place(tmp: str, path: Path, *args: object, **kwargs: object) -> None:
        real(tmp, path, *args, **kwargs)  # type: ignore[arg-type]
        if path.name == "b.yaml":
            raise KeyboardInterrupt

    monkeypatch.setattr(fsio_journal, "place", place)
    changes = tuple(
        FileChange(plan_root / "data" / "hazards" / n, f"data/hazards/{n}", None, b"x: 1\n")
        for n in ("a.yaml", "b.yaml")
    )
    mark = len(fsio.WRITTEN)
    with pytest.raises(KeyboardInterrupt):
        apply(EditResult(plan_root, changes, "t", {}, "m", "s"))
    assert not (plan_root / "data" / "hazards" / "a.yaml").exists()
    assert fsio.WRITTEN[mark:] == []


def test_init_in_a_fresh_repository_makes_its_first_commit_unless_files_are_staged(
    tmp_path: Path, runner: CliRunner
) -> None:
    fresh, staged = tmp_path / "fresh", tmp_path / "staged"
    for folder in (fresh, staged):
        folder.mkdir()
        _git(folder, "init", "-q")
    (staged / "notes.txt").write_text("mine\n", encoding="utf-8")
    _git(staged, "add", "notes.txt")
    done = runner.invoke(app, ["init", str(fresh), "--from-text", str(BASIC), "--lang", "en"])
    assert "git: made a repository and committed the files as" in done.stdout
    assert _git(fresh, "status", "--porcelain") == ""
    kept = runner.invoke(app, ["init", str(staged), "--from-text", str(BASIC), "--lang", "en"])
    assert "nothing was committed; commit the files when you are ready" in kept.stdout
    assert _git(staged, "diff", "--cached", "--name-only") == "notes.txt"


def test_a_signal_during_inits_write_lets_it_finish_with_its_commit_then_says_so(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safeplan import fsio_journal

    real = fsio_journal.create
    sent: list[int] = []

    def create(*args: object, **kwargs: object) -> None:
        if not sent:
            sent.append(signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGTERM)
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fsio_journal, "create", create)
    target = tmp_path / "town"
    done = runner.invoke(app, ["init", str(target), "--from-text", str(BASIC), "--lang", "en"])
    assert done.exit_code == 130, done.output
    assert "wrote plan/plan.yaml" in done.stdout
    assert "git: made a repository and committed the files as" in done.stdout
    assert (
        done.stderr
        == "safeplan: interrupted after the above was done: do not run the command again\n"
    )
    assert _git(target, "status", "--porcelain") == ""


def test_a_plan_whose_repository_has_no_commit_is_named_and_recover_style_start_commits(
    tmp_path: Path,
) -> None:
    from safeplan.repo.gitstart import start_repository, unstarted

    root = copy_plan(tmp_path / "plan")
    outside = unstarted(root)
    assert outside is not None and outside.commands.startswith("git init && ")
    _git(root, "init", "-q")
    left = unstarted(root)
    assert left is not None
    assert left.template == "its git repository has no commit yet"
    assert left.commands == "git add -A && git commit -m 'Start the plan'"
    started = start_repository(root, ["plan/plan.yaml", "data/tasks.yaml"], "Start the plan: x")
    assert started.done and started.template.startswith("git: made a repository")
    assert _git(root, "show", "--name-only", "--format=%s", "HEAD").split("\n") == [
        "Start the plan: x",
        "",
        "data/tasks.yaml",
        "plan/plan.yaml",
    ]
    assert unstarted(root) is None
