"""Nothing lost, nothing half-done: parallel edits, edits killed or signalled at every write
step, and what a base revision in git knew.

Where the process is what is tested (edits in parallel, a process killed or signalled, a
full disk faked in a fresh interpreter, bytes on the command line) safeplan runs as a separate
process (``safeplan_process``); elsewhere it runs in this process (``safeplan``), which is what
``python -m safeplan`` runs, without the second of starting an interpreter each time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import copy_plan
from safeplan.cli import app

REPO = Path(__file__).resolve().parent.parent
STATUS_HAZARDS = REPO / "tests" / "data" / "status" / "hazards"
HZ = "HZ-20240315-A7K2"

#: Injected into a safeplan process through PYTHONPATH: counts the file-system calls that
#: touch the plan (link, replace, rename, unlink), and at the N-th one kills the process
#: (SIGKILL) or signals it (SIGTERM); with N = 0 it writes the count to a file at exit.
FAULTS = """
import os, signal
_root = os.environ.get("SAFEPLAN_FAULT_ROOT")
_at = int(os.environ.get("SAFEPLAN_FAULT_AT", "0"))
_how = os.environ.get("SAFEPLAN_FAULT", "kill")
_n = [0]
def _hit(path):
    if _root and str(path).startswith(_root):
        _n[0] += 1
        if _n[0] == _at:
            os.kill(os.getpid(), signal.SIGKILL if _how == "kill" else signal.SIGTERM)
        if not _at:  # counting (the process ends with os._exit: no atexit)
            with open(os.environ["SAFEPLAN_FAULT_COUNT"], "w") as fh:
                fh.write(str(_n[0]))
for _name in ("link", "replace", "rename", "unlink"):
    _real = getattr(os, _name)
    def _wrap(*args, _real=_real, **kwargs):
        _hit(args[-1] if _real.__name__ in ("link", "replace", "rename") else args[0])
        return _real(*args, **kwargs)
    setattr(os, _name, _wrap)
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    dest = copy_plan(tmp_path / "plan-root")
    for src in STATUS_HAZARDS.glob("*.yaml"):
        shutil.copy(src, dest / "data" / "hazards" / src.name)
    return dest


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFEPLAN_")}
    env.update({"SAFEPLAN_LANG": "en", "SAFEPLAN_AS_OF": "2026-11-28", **extra})
    return env


@dataclass(frozen=True)
class Ran:
    """What a command did: its exit code and outputs (as a finished process has them)."""

    returncode: int
    stdout: str
    stderr: str


def safeplan(root: Path, *args: str) -> Ran:
    """Run a command in this process, as ``safeplan ... --root ROOT`` would."""
    env = {"SAFEPLAN_LANG": "en", "SAFEPLAN_AS_OF": "2026-11-28"}
    result = CliRunner().invoke(app, [*args, "--root", str(root)], env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a crash is a crash, not exit code 1
    return Ran(result.exit_code, result.stdout, result.stderr)


def safeplan_process(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command as its own process (``python -m safeplan``)."""
    return subprocess.run(
        [sys.executable, "-m", "safeplan", *args, "--root", str(root)],
        capture_output=True,
        text=True,
        env=env or _env(),
        check=False,
    )


def in_parallel(root: Path, commands: list[list[str]]) -> list[tuple[int, str, str]]:
    """Start every command at once; their exit codes and outputs."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "safeplan", *args, "--root", str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for args in commands
    ]
    out = []
    for p in procs:
        stdout, stderr = p.communicate()
        out.append((p.returncode, stdout, stderr))
    return out


def _files(root: Path) -> dict[str, bytes]:
    """The plan's files (not git's, nor the cache of parsed files that reading commands keep)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts and ".safeplan-cache" not in p.parts
    }


# --------------------------------------------------------------------------- in parallel


@pytest.mark.slow
def test_parallel_notes_on_one_hazard_are_all_kept(root: Path) -> None:
    results = in_parallel(
        root, [["hazard", "note", HZ, f"并发备注 {i}", "--on", "2024-08-01"] for i in range(12)]
    )
    text = (root / "data" / "hazards" / f"{HZ}.yaml").read_text(encoding="utf-8")
    for i, (code, _out, err) in enumerate(results):
        if code == 0:
            assert f"并发备注 {i}" in text  # every edit that said it wrote is there
        else:
            assert code == 1 and "another safeplan edit is running" in err, err
    assert sum(code == 0 for code, _, _ in results) >= 10
    assert safeplan(root, "validate").returncode == 0


@pytest.mark.slow
def test_parallel_progress_notes_on_the_tasks_file_are_all_kept(root: Path) -> None:
    results = in_parallel(
        root,
        [["task", "progress", str(8 + i % 3), f"进展 {i}", "--on", "2024-08-01"] for i in range(8)],
    )
    codes = [code for code, _, _ in results]
    text = (root / "data" / "tasks.yaml").read_text(encoding="utf-8")
    assert codes == [0] * 8
    assert all(f"进展 {i}" in text for i in range(8))


@pytest.mark.slow
def test_two_registrations_of_one_id_never_both_succeed(root: Path) -> None:
    outcomes = in_parallel(
        root,
        [
            [
                "hazard",
                "new",
                "--id",
                "HZ-SAME",
                "--title",
                f"登记 {i}",
                "--level",
                "general",
                "--unit",
                "镇安监站",
                "--source",
                "inspection",
                "--discovered",
                "2024-05-01",
                "--deadline",
                "2024-06-01",
                "--measures",
                "整改",
                "--funds",
                "1000元",
                "--plan-person",
                "张三",
                "--contingency",
                "停用",
            ]
            for i in range(6)
        ],
    )
    winners = [i for i, (code, _, _) in enumerate(outcomes) if code == 0]
    assert len(winners) == 1
    for code, _out, err in (o for i, o in enumerate(outcomes) if i not in winners):
        # a loser is refused, saying why: never a crash, never a second file
        assert code == 1, err
        assert "already exists" in err or "another safeplan edit is running" in err, err
    text = (root / "data" / "hazards" / "HZ-SAME.yaml").read_text(encoding="utf-8")
    assert f"title: 登记 {winners[0]}\n" in text


# --------------------------------------------------------------------------- interrupted


def _renumber_steps(root: Path, tmp: Path) -> int:
    """How many plan file-system calls an uninterrupted renumbering makes."""
    probe = tmp / "probe"
    shutil.copytree(root, probe)
    count = tmp / "count"
    env = _env(
        PYTHONPATH=str(tmp / "faults"),
        SAFEPLAN_FAULT_ROOT=str(probe),
        SAFEPLAN_FAULT_COUNT=str(count),
    )
    done = safeplan_process(probe, "hazard", "renumber", HZ, "HZ-20240315-NEW2", env=env)
    assert done.returncode == 0, done.stderr
    return int(count.read_text())


@pytest.mark.slow
@pytest.mark.parametrize("how", ["kill", "term"])
def test_a_renumbering_interrupted_at_any_step_loses_nothing(
    root: Path, tmp_path: Path, how: str
) -> None:
    (tmp_path / "faults").mkdir()
    (tmp_path / "faults" / "sitecustomize.py").write_text(FAULTS, encoding="utf-8")
    # A task that mentions the hazard, so that the renumbering changes three files.
    done = safeplan(root, "task", "progress", "8", f"录入 {HZ}", "--on", "2024-08-01")
    assert done.returncode == 0, done.stderr
    before = _files(root)
    steps = _renumber_steps(root, tmp_path)
    assert steps >= 4
    finished = None
    for at in range(1, steps + 1):
        case = tmp_path / f"at{at}"
        shutil.copytree(root, case)
        env = _env(
            PYTHONPATH=str(tmp_path / "faults"),
            SAFEPLAN_FAULT_ROOT=str(case),
            SAFEPLAN_FAULT_AT=str(at),
            SAFEPLAN_FAULT=how,
        )
        safeplan_process(case, "hazard", "renumber", HZ, "HZ-20240315-NEW2", env=env)
        now = {k: v for k, v in _files(case).items() if not k.endswith(".tmp")}
        if now == {k.replace(str(root), str(case)): v for k, v in before.items()}:
            continue  # the old state
        check = safeplan(case, "validate")
        if "interrupted half-way" in check.stdout:
            assert how == "kill"  # a SIGTERM waits for the writes to be done
            assert "safeplan recover" in check.stdout
            assert check.returncode == 1
            recovered = safeplan(case, "recover")
            assert recovered.returncode == 0, recovered.stderr
            now = {k: v for k, v in _files(case).items() if not k.endswith(".tmp")}
        finished = finished or now
        assert now == finished  # the new state, every time
        assert f"data/hazards/{HZ}.yaml" not in now
        assert "data/hazards/HZ-20240315-NEW2.yaml" in now
        assert "录入 HZ-20240315-NEW2" in now["data/tasks.yaml"].decode("utf-8")
        assert safeplan(case, "validate").returncode == 0


# --------------------------------------------------------------------------- against git


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
        },
    ).stdout


@pytest.fixture
def repo(root: Path) -> Path:
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "the plan")
    return root


def test_a_deleted_file_is_caught_whatever_its_name_holds(repo: Path) -> None:
    # The base's bytes are asked of git by blob id: a newline in a path cannot shift them.
    hazards = repo / "data" / "hazards"
    odd = hazards / "copy\nof it.yaml"
    odd.write_bytes((hazards / f"{HZ}.yaml").read_bytes())
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "an odd name")
    odd.unlink()
    (hazards / f"{HZ}.yaml").unlink()
    result = safeplan(repo, "validate")
    assert result.returncode == 1
    assert result.stdout.count(f"hazard {HZ} is in HEAD but its file is gone") == 2, result.stdout


def test_a_deleted_hazard_is_caught_against_head_and_against_a_base(repo: Path) -> None:
    (repo / "data" / "hazards" / f"{HZ}.yaml").unlink()
    result = safeplan(repo, "validate")
    assert result.returncode == 1
    assert (
        f"data/hazards/{HZ}.yaml:1:1: hazard {HZ} is in HEAD but its file is gone" in result.stdout
    )
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "delete it")
    assert safeplan(repo, "validate").returncode == 0  # HEAD no longer has it …
    base = safeplan(repo, "validate", "--base", "HEAD~1")  # … the pull request's base does
    assert base.returncode == 1 and f"hazard {HZ} is in HEAD~1" in base.stdout
    shutil.rmtree(repo / "data" / "hazards")
    everything = safeplan(repo, "validate", "--base", "HEAD~1")
    assert everything.stdout.count("but its file is gone") == 3


def test_a_removed_fact_is_caught_but_a_reopening_is_not_a_loss(repo: Path) -> None:
    path = repo / "data" / "hazards" / f"{HZ}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  note: 已增设排水泵\n", ""), encoding="utf-8")
    lost = safeplan(repo, "validate")
    assert lost.returncode == 1
    assert (
        "the rectification (整改) of 2024-06-20 recorded in HEAD is no longer in the record"
        in lost.stdout
    )
    path.write_text(text, encoding="utf-8")
    done = safeplan(repo, "hazard", "reopen", HZ, "--reason", "复查发现故障", "--on", "2024-09-01")
    assert done.returncode == 0, done.stderr
    assert safeplan(repo, "validate").returncode == 0  # the cycle moved under reopenings


def test_a_renumbering_is_not_a_deletion(repo: Path) -> None:
    done = safeplan(repo, "hazard", "renumber", HZ, "HZ-20240315-NEW2")
    assert done.returncode == 0, done.stderr
    assert safeplan(repo, "validate").returncode == 0
    text = (repo / "data" / "hazards" / "HZ-20240315-NEW2.yaml").read_text(encoding="utf-8")
    assert f"former_ids: [{HZ}]\n" in text


def test_a_task_s_progress_removed_is_caught(repo: Path) -> None:
    for day, text in (("2024-08-01", "录入数据"), ("2024-09-01", "复核数据")):
        done = safeplan(repo, "task", "progress", "8", text, "--on", day, "--commit")
        assert done.returncode == 0, done.stderr + _git(repo, "status")
    tasks = repo / "data" / "tasks.yaml"
    tasks.write_text(
        tasks.read_text(encoding="utf-8").replace(
            "      - on: 2024-08-01\n        note: 录入数据\n", ""
        ),
        encoding="utf-8",
    )
    result = safeplan(repo, "validate")
    assert (
        "the progress note of 2024-08-01 recorded in HEAD is no longer in the record"
        in result.stdout
    )


def test_outside_git_the_check_is_skipped_with_a_notice(root: Path) -> None:
    result = safeplan(root, "validate")
    assert result.returncode == 0
    assert "is not in a git repository: deleted records were not looked for" in result.stderr
    bad = safeplan(root, "validate", "--base", "main")
    assert bad.returncode == 2 and "not in a git repository" in bad.stderr


def test_commit_is_refused_during_a_merge_and_a_failing_hook_restores_the_file(repo: Path) -> None:
    git_dir = repo / ".git"
    (git_dir / "MERGE_HEAD").write_text(_git(repo, "rev-parse", "HEAD"), encoding="utf-8")
    before = _files(repo)
    busy = safeplan(repo, "hazard", "note", HZ, "备注", "--on", "2024-08-01", "--commit")
    assert busy.returncode == 1 and "a merge is in progress" in busy.stderr
    assert _files(repo) == before
    (git_dir / "MERGE_HEAD").unlink()
    hook = git_dir / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho refused by the hook >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    refused = safeplan(repo, "hazard", "note", HZ, "备注", "--on", "2024-08-01", "--commit")
    assert refused.returncode == 1
    assert "the files were put back as they were" in refused.stderr
    assert _files(repo) == before
    assert _git(repo, "status", "--porcelain") == ""


# --------------------------------------------------------------------------- ids and hostile input


@pytest.mark.parametrize("bad", ["CON", "nul", "aux", "COM1", "LPT1", "con.txt", "HZ-1.", "HZ-1\n"])
def test_ids_that_cannot_be_checked_out_everywhere_are_refused(root: Path, bad: str) -> None:
    for args in (
        [
            "hazard",
            "new",
            "--id",
            bad,
            "--title",
            "x",
            "--level",
            "general",
            "--unit",
            "镇安监站",
            "--source",
            "inspection",
        ],
        ["hazard", "renumber", HZ, bad],
    ):
        result = safeplan(root, *args)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_ids_that_differ_only_in_case_are_refused_and_reported(root: Path) -> None:
    refused = safeplan(root, "hazard", "renumber", "HZ-20230910-K8WE", HZ.lower())
    assert refused.returncode == 1 and "differs from" in refused.stderr
    hazards = root / "data" / "hazards"
    record = (hazards / f"{HZ}.yaml").read_text(encoding="utf-8").replace(HZ, "hz-20240315-a7k2")
    (hazards / "hz-20240315-a7k2.yaml").write_text(record.replace("井下", "井上"), encoding="utf-8")
    result = safeplan(root, "validate")
    assert result.returncode == 1
    # The files are read in name order: the lower-case one comes second and is the one named.
    assert (
        "data/hazards/hz-20240315-a7k2.yaml:2:5: hazard id 'hz-20240315-a7k2' differs from "
        "'HZ-20240315-A7K2' (data/hazards/HZ-20240315-A7K2.yaml) only in case" in result.stdout
    ), result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--as-of", "0001-01-01"],
        ["task", "list", "--as-of", "0001-01-01"],
        ["unit", "list", "--as-of", "0001-01-01"],
        ["unit", "show", "镇安监站", "--as-of", "9999-12-31"],
    ],
)
def test_days_out_of_range_are_usage_errors(root: Path, args: list[str]) -> None:
    result = safeplan(root, *args)
    assert result.returncode == 2
    assert "is outside the dates safeplan works with" in result.stderr


def test_a_deadline_of_9999_is_an_error_not_a_crash(root: Path) -> None:
    path = root / "data" / "hazards" / f"{HZ}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2024-06-30", "9999-12-31"), encoding="utf-8"
    )
    for args in (["validate"], ["status"], ["unit", "list"], ["hazard", "list"]):
        result = safeplan(root, *args)
        assert result.returncode == 1, (args, result.stderr)
        assert "internal error" not in result.stderr + result.stdout


def test_a_root_name_too_long_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "safeplan", "status", "--root", str(tmp_path / ("x" * 300))],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert result.returncode == 2
    assert "File name too long" in result.stderr


def test_terminal_escapes_in_a_record_are_refused_and_shown_inert(root: Path) -> None:
    path = root / "data" / "hazards" / f"{HZ}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("title: 井下主排水泵房排水能力不足", 'title: "\\e[2J\\e]0;OWNED\\a井下"'),
        encoding="utf-8",
    )
    check = safeplan(root, "validate")
    assert check.returncode == 1
    assert "holds the control character U+001B" in check.stdout
    for args in (["hazard", "list", "--as-of", "2025-01-01"], ["hazard", "show", HZ], ["status"]):
        out = safeplan(root, *args)
        assert "\x1b" not in out.stdout + out.stderr and "\x07" not in out.stdout + out.stderr
    # Invisible characters are allowed in a record, and shown for what they are.
    path.write_text(text.replace("title: 井下", "title: \u200c井下"), encoding="utf-8")
    assert safeplan(root, "validate").returncode == 0
    assert "\\u200c井下" in safeplan(root, "hazard", "show", HZ).stdout
    listed = json.loads(safeplan(root, "hazard", "list", "--json", "--as-of", "2025-01-01").stdout)
    assert any(h["title"].startswith("\u200c井下") for h in listed["hazards"])  # JSON keeps it


def test_text_round_trips_exactly_from_the_command_line_to_json(root: Path) -> None:
    for text in ("  两端有空格  ", "两行\n备注\n", "a\x85b", "10:30", "~", "y", "2024-03-05"):
        done = safeplan(root, "hazard", "note", HZ, text, "--on", "2024-08-01")
        assert done.returncode == 0, done.stderr
        shown = json.loads(safeplan(root, "hazard", "show", HZ, "--json").stdout)
        assert shown["record"]["notes"][-1]["text"] == text
    assert safeplan(root, "validate").returncode == 0


@pytest.mark.parametrize("value", [" ", "\u200b", "\t "])
def test_blank_values_on_the_command_line_are_usage_errors(root: Path, value: str) -> None:
    before = _files(root)
    for args in (["hazard", "note", HZ, value], ["hazard", "close", HZ, "--by", value]):
        result = safeplan(root, *args)
        assert result.returncode == 2 and "must not be empty" in result.stderr, args
    assert _files(root) == before


def test_invalid_utf8_on_the_command_line_is_a_usage_error(root: Path) -> None:
    result = subprocess.run(
        [
            sys.executable.encode(),
            b"-m",
            b"safeplan",
            b"hazard",
            b"note",
            HZ.encode(),
            b"a\xffb",
            b"--root",
            str(root).encode(),
        ],
        capture_output=True,
        env=_env(),
        check=False,
    )
    assert result.returncode == 2
    assert b"not valid UTF-8" in result.stderr


def test_a_full_disk_changes_nothing(root: Path, tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "sitecustomize.py").write_text(
        "import os\n_real = os.fsync\n"
        "def fsync(fd):\n    raise OSError(28, 'No space left on device')\nos.fsync = fsync\n",
        encoding="utf-8",
    )
    before = _files(root)
    result = safeplan_process(
        root, "hazard", "note", HZ, "备注", env=_env(PYTHONPATH=str(tmp_path / "full"))
    )
    assert result.returncode == 1
    assert "No space left on device; nothing was changed" in result.stderr
    assert _files(root) == before
