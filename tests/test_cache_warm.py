"""The whole-plan entry (``repo/warm.py``): a warm ``validate`` or ``status`` of an
unchanged plan answers from the problems and the view kept by the last full read, without
reading the plan; after any change (a file, the day, the rules, the evidence, a journal, a
damaged entry) the plan is read again, and every answer equals the answer of --no-cache."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import with_status_hazards
from safeplan.cli import app
from safeplan.repo import snapshot, warm
from safeplan.repo.cache import CACHE_DIR

DATA = Path(__file__).resolve().parent / "data"
TODAY = "2026-11-28"
A7K2 = "data/hazards/HZ-20240315-A7K2.yaml"


@pytest.fixture
def root(plan_root: Path) -> Path:
    """The fixture plan with the status hazards (one naming evidence that exists) and a
    broken file, so that errors and warnings go through the entry too."""
    with_status_hazards(plan_root)
    hazards = plan_root / "data" / "hazards"
    for src in (DATA / "invalid" / "closure-without-acceptance" / "data" / "hazards").glob(
        "*.yaml"
    ):
        (hazards / f"BROKEN-{src.name}").write_bytes(src.read_bytes())
    return plan_root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Each full read of a plan (``snapshot._read``), run after run."""
    seen: list[Path] = []
    real = snapshot._read

    def counting(root, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(root)
        return real(root, *args, **kwargs)

    monkeypatch.setattr(snapshot, "_read", counting)
    return seen


def run(root: Path, *args: str, cache_on: bool = True, as_of: str = TODAY) -> tuple[int, str]:
    argv = [*args, "--root", str(root), "--lang", "en", "--as-of", as_of]
    if not cache_on:
        argv.append("--no-cache")
    result = CliRunner().invoke(app, argv, env={"COLUMNS": "160"})
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout


def answers(root: Path, cache_on: bool = True, as_of: str = TODAY) -> list[tuple[int, str]]:
    return [
        run(root, "validate", cache_on=cache_on, as_of=as_of),
        run(root, "validate", "--format", "json", cache_on=cache_on, as_of=as_of),
        run(root, "status", "--json", cache_on=cache_on, as_of=as_of),
        run(root, "status", cache_on=cache_on, as_of=as_of),
    ]


def entries(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR).glob(warm.PREFIX + "*.json"))


def warmed(root: Path, reads: list[Path]) -> list[tuple[int, str]]:
    """Runs until an unchanged plan is answered without a read; that answer."""
    for _ in range(3):
        reads.clear()
        got = answers(root)
        if not reads:
            return got
    raise AssertionError("the plan was read on every run")


def assert_read_again(root: Path, reads: list[Path], as_of: str = TODAY) -> None:
    """The next answer reads the plan, and equals --no-cache's."""
    reads.clear()
    got = answers(root, as_of=as_of)
    assert reads, "served from a whole-plan entry after a change"
    assert got == answers(root, cache_on=False, as_of=as_of)


def test_an_unchanged_plan_is_answered_without_reading_it(root: Path, reads: list[Path]) -> None:
    served = warmed(root, reads)
    assert entries(root)
    assert served == answers(root, cache_on=False)
    assert served[0][0] == 1 and "closure" in served[0][1]  # the broken file is reported
    assert "warning" in served[0][1]


def test_the_run_that_rewrote_the_cache_vouches_for_it(root: Path, reads: list[Path]) -> None:
    warmed(root, reads)
    path = root / A7K2
    path.write_bytes(path.read_bytes().replace("隐患".encode(), "问题".encode(), 1))
    reads.clear()
    first = run(root, "validate")  # reads the changed file, rewrites the cache, keeps it all
    assert reads
    reads.clear()
    assert run(root, "validate") == first
    assert not reads
    assert first == run(root, "validate", cache_on=False)


def test_the_status_after_a_change_is_answered_from_what_the_changed_run_kept(
    root: Path, reads: list[Path]
) -> None:
    """The run that reads a changed file keeps the day view under the cache it proved, so
    the next ``status`` (and each unchanged town of a roll-up) reads nothing."""
    warmed(root, reads)
    path = root / A7K2
    path.write_bytes(path.read_bytes().replace("隐患".encode(), "问题".encode(), 1))
    reads.clear()
    first = [run(root, "status", "--json"), run(root, "status")]
    assert reads == [root]  # the first status read the plan; the second was served
    reads.clear()
    assert [run(root, "status", "--json"), run(root, "status")] == first
    assert not reads
    assert first == [
        run(root, "status", "--json", cache_on=False),
        run(root, "status", cache_on=False),
    ]


def _same_size_edit(path: Path) -> None:
    """Change the text without changing the size, and put the mtime back."""
    st = path.stat()
    text = path.read_bytes()
    changed = text.replace("隐患".encode(), "问题".encode(), 1)
    assert changed != text and len(changed) == len(text)
    path.write_bytes(changed)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def _new_file(root: Path) -> None:
    src = root / A7K2
    text = src.read_text("utf-8").replace("HZ-20240315-A7K2", "HZ-20240315-NEW1")
    (root / "data" / "hazards" / "HZ-20240315-NEW1.yaml").write_text(text, "utf-8")


def _plan_rule(root: Path) -> None:
    path = root / "plan" / "plan.yaml"
    path.write_text(path.read_text("utf-8") + "\n# a comment: the text changed\n", "utf-8")


def _tasks(root: Path) -> None:
    path = root / "data" / "tasks.yaml"
    path.write_text(path.read_text("utf-8") + "\n", "utf-8")


def _journal(root: Path) -> None:
    from safeplan.fsio import JOURNAL_NAME

    (root / JOURNAL_NAME).write_text("{}", "utf-8")


def _leftover(root: Path) -> None:
    (root / "data" / ".units.yaml.abc123.tmp").write_text("x", "utf-8")


def _damaged_entry(root: Path) -> None:
    for path in entries(root):
        path.write_bytes(path.read_bytes()[:100])


def _forged_entry(root: Path) -> None:
    """An entry that names no problem: the key inside it must match its name and content."""
    for path in entries(root):
        data = json.loads(path.read_text("utf-8"))
        data["key"] = "0" * 32
        path.write_text(json.dumps(data), "utf-8")


CHANGES = {
    "a file changed in the same tick, same size": lambda root: _same_size_edit(root / A7K2),
    "a new file": _new_file,
    "a deleted file": lambda root: (root / A7K2).unlink(),
    "the evidence a record names is gone": lambda root: (
        root / "evidence" / "HZ-20240315-A7K2" / "rectified.pdf"
    ).unlink(),
    "plan.yaml changed": _plan_rule,
    "tasks.yaml changed": _tasks,
    "an interrupted edit's journal": _journal,
    "a temporary file left": _leftover,
    "a damaged entry": _damaged_entry,
    "a forged entry": _forged_entry,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_each_change_reads_the_plan_again(root: Path, reads: list[Path], change: str) -> None:
    warmed(root, reads)
    CHANGES[change](root)
    assert_read_again(root, reads)


def test_another_day_reads_the_plan_again(root: Path, reads: list[Path]) -> None:
    warmed(root, reads)
    assert_read_again(root, reads, as_of="2024-07-01")  # facts after the day are said


def test_changed_rules_forget_every_entry(
    root: Path, reads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    warmed(root, reads)
    monkeypatch.setattr(warm, "_PACKAGE_STAMP", ["another build of safeplan"])
    assert_read_again(root, reads)


def test_evidence_a_task_names_is_looked_at_on_every_run(root: Path, reads: list[Path]) -> None:
    path = root / "data" / "tasks.yaml"
    text = path.read_text("utf-8")
    marker = "    progress: []\n"
    assert marker in text
    (root / "evidence" / "task.pdf").write_bytes(b"%PDF")
    note = (
        "    progress:\n      - on: 2024-05-01\n        note: 检查\n"
        "        evidence: [evidence/task.pdf]\n"
    )
    path.write_text(text.replace(marker, note, 1), "utf-8")
    served = warmed(root, reads)
    assert "task.pdf" not in served[0][1]
    (root / "evidence" / "task.pdf").unlink()
    assert_read_again(root, reads)
    assert "task.pdf" in run(root, "validate")[1]


def test_a_deletion_against_git_is_still_found(root: Path, reads: list[Path]) -> None:
    """validate compares with git on every run; a difference reads the plan for it."""
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "commit", "-qm", "plan"], cwd=root, check=True)
    (root / A7K2).unlink()
    answers(root)
    answers(root)  # the whole-plan entry is kept, and served to status
    reads.clear()
    served = answers(root)
    assert len(reads) == 2  # validate's two runs: git names a file that differs from HEAD
    assert "HZ-20240315-A7K2" in served[0][1]
    assert served == answers(root, cache_on=False)


def test_only_the_newest_entries_are_kept(root: Path, reads: list[Path]) -> None:
    for day in ("2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30"):
        for _ in range(2):
            run(root, "validate", as_of=day)
    assert len(entries(root)) == warm.KEEP


def test_no_cache_neither_reads_nor_writes_an_entry(root: Path, reads: list[Path]) -> None:
    for _ in range(3):
        answers(root, cache_on=False)
    assert not entries(root)


def test_a_warm_county_reads_no_unchanged_town(
    tmp_path: Path, root: Path, reads: list[Path]
) -> None:
    county = tmp_path / "county"
    county.mkdir()
    for name in ("t1", "t2"):
        shutil.copytree(root, county / "towns" / name, ignore=shutil.ignore_patterns(CACHE_DIR))
    (county / "county.yaml").write_text(
        'name: 宁城县\ncode: "150425000000"\ntowns:\n'
        '  - name: 大井镇\n    code: "150425100000"\n    path: towns/t1\n'
        '  - name: 小井镇\n    code: "150425200000"\n    path: towns/t2\n',
        encoding="utf-8",
    )

    def county_answers(cache_on: bool = True) -> list[tuple[int, str]]:
        return [run(county, "rollup", "status", *a, cache_on=cache_on) for a in ([], ["--json"])]

    for _ in range(3):
        county_answers()
    reads.clear()
    served = county_answers()
    assert reads == []
    assert served == county_answers(cache_on=False)
    assert "小井镇" in served[0][1]
    # One town changes: it alone is read, and the picture equals a fresh one.
    path = county / "towns" / "t2" / "data/hazards/HZ-20241102-Q3TF.yaml"
    path.write_text(path.read_text("utf-8").replace("level: major", "level: general"), "utf-8")
    reads.clear()
    changed = county_answers()
    assert set(reads) == {county / "towns" / "t2"}
    assert changed != served
    assert changed == county_answers(cache_on=False)


def test_evidence_that_comes_back_is_not_missing_any_more(root: Path, reads: list[Path]) -> None:
    """A file read again for its missing evidence never vouches for the rewritten cache: its
    warning depends on other files, so once the evidence is back the warning goes."""
    pdf = root / "evidence" / "HZ-20240315-A7K2" / "rectified.pdf"
    warmed(root, reads)
    pdf.unlink()
    for _ in range(2):
        assert "rectified.pdf" in run(root, "validate")[1]
    pdf.write_bytes(b"%PDF")
    got = answers(root)
    assert "rectified.pdf" not in got[0][1]
    assert got == answers(root, cache_on=False)
    assert warmed(root, reads) == got


def test_the_check_and_the_read_after_it_decode_a_cache_file_once(tmp_path: Path) -> None:
    from safeplan.repo import filestamp

    path = tmp_path / "hazards.json"
    path.write_text('{"a": 1}', "utf-8")
    first = filestamp.read_cache_json(path, keep=True)
    taken = filestamp.read_cache_json(path)
    assert taken[0] is first[0]  # the same object: decoded once
    again = filestamp.read_cache_json(path)
    assert again[0] == first[0] and again[0] is not first[0]  # taken: not held any more
    filestamp.read_cache_json(path, keep=True)
    path.write_text('{"a": 22}', "utf-8")  # another size: decoded again
    assert filestamp.read_cache_json(path) == ({"a": 22}, filestamp.digest(b'{"a": 22}'))


@pytest.mark.parametrize(
    ("stat", "latest", "serves"),
    [
        ([10, 100, 100, 1], 739000, True),  # made well before the cache, its facts by the day
        ([10, 100, 9_000_000_000, 1], 739000, False),  # changed within RACY_NS of the cache
        ([10, 100, 100, 1], 739001, False),  # a fact after the day
        ([10, 100, 100, 1], None, False),  # no day of its latest fact stored
        ([10, 100, 100, 1], "739000", False),  # a forged day
    ],
)
def test_an_enterprise_entry_is_vouched_for_only_when_it_would_be_served(
    stat: list[int], latest: object, serves: bool
) -> None:
    """The enterprise cache is vouched for without reading a file: a racy file, or a
    stored day that is missing, forged or after the day asked, sends the plan to be read."""
    found = ("/p/data/enterprises/QY.yaml", "data/enterprises/QY.yaml", {"t": latest}, stat)
    assert warm._enterprise_serves(found, 10_000_000_000, 739000) is serves
