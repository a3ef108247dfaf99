"""The write guards, one at a time: atomic writes, exclusive creation, 'changed on disk',
the edit lock, the journal, and all-or-nothing edits."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from safeplan import edit, fsio, fsio_journal
from safeplan.edit import EditResult, FileChange
from safeplan.errors import RefusedError


def test_atomic_write_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o640)
    fsio.write(path, b"new\n", b"old\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]  # no temporary file left


def test_atomic_write_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"theirs\n")
    with pytest.raises(RefusedError, match="changed on disk"):
        fsio.write(path, b"ours\n", b"what we read\n")
    assert path.read_bytes() == b"theirs\n"


def test_a_new_file_is_created_exclusively(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "HZ-1.yaml"
    fsio.write(path, b"first\n", None)
    assert path.read_bytes() == b"first\n"
    with pytest.raises(RefusedError, match="already exists"):
        fsio.write(path, b"second\n", None)
    # Someone creates the file between the check and the write: still refused, not replaced.
    other = tmp_path / "HZ-2.yaml"
    real_guard = fsio.guard

    def guard_then_race(p: Path, expect: bytes | None, rel: str | None = None) -> None:
        real_guard(p, expect, rel)
        p.write_bytes(b"theirs\n")

    monkeypatch.setattr(fsio, "guard", guard_then_race)
    with pytest.raises(RefusedError, match="already exists"):
        fsio.write(other, b"ours\n", None)
    assert other.read_bytes() == b"theirs\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["HZ-1.yaml", "HZ-2.yaml"]


def test_atomic_remove_refuses_a_changed_file(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"changed\n")
    with pytest.raises(RefusedError, match="changed on disk"):
        fsio_journal.remove(path, b"read\n")
    assert path.exists()


def test_a_write_removes_the_temporary_files_an_interrupted_write_left(tmp_path: Path) -> None:
    path = tmp_path / "HZ-1.yaml"
    path.write_bytes(b"old\n")
    leftover = tmp_path / ".HZ-1.yaml.ab12cd34.tmp"
    leftover.write_bytes(b"half")
    other = tmp_path / ".HZ-10.yaml.ab12cd34.tmp"
    other.write_bytes(b"another file's")
    assert fsio.stale_temporaries(path) == [leftover]
    fsio.write(path, b"new\n", b"old\n")
    assert not leftover.exists() and other.exists()


def _result(root: Path, *changes: FileChange) -> EditResult:
    return EditResult(root, changes, "{path}", {"path": "x"}, "commit", "subject")


def test_apply_checks_every_file_before_writing_any(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_bytes(b"a\n")
    second.write_bytes(b"changed by someone\n")
    result = _result(
        tmp_path,
        FileChange(first, "a.yaml", b"a\n", b"A\n"),
        FileChange(second, "b.yaml", b"b\n", b"B\n"),
    )
    with pytest.raises(RefusedError, match="changed on disk"):
        edit.apply(result)
    assert first.read_bytes() == b"a\n"  # nothing written, not even the first file
    assert second.read_bytes() == b"changed by someone\n"


def _renumbering(root: Path) -> tuple[EditResult, dict[str, bytes | None], dict[str, bytes | None]]:
    """A three-file edit as renumber makes it: old file removed, new created, tasks rewritten."""
    (root / "HZ-1.yaml").write_bytes(b"id: HZ-1\n")
    (root / "tasks.yaml").write_bytes(b"see HZ-1\n")
    result = _result(
        root,
        FileChange(root / "HZ-1.yaml", "HZ-1.yaml", b"id: HZ-1\n", None),
        FileChange(root / "HZ-2.yaml", "HZ-2.yaml", None, b"id: HZ-2\n"),
        FileChange(root / "tasks.yaml", "tasks.yaml", b"see HZ-1\n", b"see HZ-2\n"),
    )
    before = {"HZ-1.yaml": b"id: HZ-1\n", "HZ-2.yaml": None, "tasks.yaml": b"see HZ-1\n"}
    after = {"HZ-1.yaml": None, "HZ-2.yaml": b"id: HZ-2\n", "tasks.yaml": b"see HZ-2\n"}
    return result, before, after


def _state(root: Path, names: list[str]) -> dict[str, bytes | None]:
    return {n: fsio.current(root / n) for n in names}


@pytest.mark.parametrize("fail_at", range(4))
def test_a_failure_at_any_step_of_a_multi_file_edit_leaves_every_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    """Inject a failure at each file-system step (create, replace, remove, and the journal)."""
    result, before, after = _renumbering(tmp_path)
    calls = {"n": 0}
    real_link, real_replace, real_unlink = os.link, os.replace, Path.unlink

    def step() -> None:
        calls["n"] += 1
        if calls["n"] == fail_at + 2:  # the journal's own creation is step 1
            raise OSError(28, "No space left on device")

    def link(src: str, dst: str) -> None:
        step()
        real_link(src, dst)

    def replace(src: str, dst: str) -> None:
        step()
        real_replace(src, dst)

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name in ("HZ-1.yaml",):
            step()
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(Path, "unlink", unlink)
    names = list(before)
    try:
        edit.apply(result)
    except OSError:
        assert _state(tmp_path, names) == before
    else:
        assert fail_at == 3  # there are three steps after the journal: the fourth never comes
        assert _state(tmp_path, names) == after
    assert not (tmp_path / fsio.JOURNAL_NAME).exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_killed_multi_file_edit_is_finished_or_undone_from_its_journal(tmp_path: Path) -> None:
    result, before, after = _renumbering(tmp_path)
    steps = tuple(fsio_journal.Step(c.rel, c.old, c.new) for c in result.changes)
    fsio_journal.write_journal(tmp_path, fsio_journal.Journal("hazard HZ-1 → HZ-2", steps))
    fsio.create(tmp_path / "HZ-2.yaml", b"id: HZ-2\n")  # ... and then the process was killed
    with pytest.raises(RefusedError, match="interrupted"):
        edit.apply(_result(tmp_path, FileChange(tmp_path / "x.yaml", "x.yaml", None, b"x\n")))
    undone = edit.transaction.recover(tmp_path, undo=True)
    assert _state(tmp_path, list(before)) == before
    assert "undone" in undone.template
    fsio_journal.write_journal(tmp_path, fsio_journal.Journal("hazard HZ-1 → HZ-2", steps))
    edit.transaction.recover(tmp_path)
    assert _state(tmp_path, list(after)) == after
    assert not (tmp_path / fsio.JOURNAL_NAME).exists()
    with pytest.raises(RefusedError, match="nothing to do"):
        edit.transaction.recover(tmp_path)


def test_a_read_only_file_is_not_edited(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a\n")
    os.chmod(path, 0o444)
    if os.access(path, os.W_OK):
        pytest.skip("this user may write read-only files (root)")
    with pytest.raises(RefusedError, match="read-only"):
        edit.apply(_result(tmp_path, FileChange(path, "a.yaml", b"a\n", b"A\n")))
    assert path.read_bytes() == b"a\n"


def test_the_lock_serialises_edits_and_refuses_after_its_wait(tmp_path: Path) -> None:
    order: list[str] = []
    holding = threading.Event()

    def hold() -> None:
        with fsio.locked(tmp_path):
            holding.set()
            time.sleep(0.4)
            order.append("first")

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait()
    with (
        pytest.raises(RefusedError, match="another safeplan edit is running"),
        fsio.locked(tmp_path, timeout=0.05),
    ):
        pass
    with fsio.locked(tmp_path, timeout=5):
        order.append("second")
    thread.join()
    assert order == ["first", "second"]
    with fsio.locked(tmp_path), fsio.locked(tmp_path):  # re-entrant in one process
        pass


def test_the_lock_lives_outside_the_plan(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert not fsio.lock_path(plain).is_relative_to(plain)
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "town").mkdir()
    assert fsio.lock_path(repo) == repo / ".git" / "safeplan-root.lock"
    assert fsio.lock_path(repo / "town") == repo / ".git" / "safeplan-town.lock"


def test_a_failed_write_names_the_file_not_its_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "HZ-1.yaml"
    target.write_bytes(b"old")

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", str(tmp_path / ".HZ-1.yaml.x.tmp"))

    monkeypatch.setattr(fsio.tempfile, "mkstemp", refuse)
    with pytest.raises(OSError) as caught:
        fsio.write(target, b"new", b"old")
    assert caught.value.filename == str(target)
    assert target.read_bytes() == b"old"


def test_a_batch_lists_and_syncs_each_folder_once_and_before_the_journal_is_cleared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 5,000-file import was quadratic (a folder listing and a folder fsync per file), then
    slow (an fsync per file): now one listing and one folder sync per folder, the bytes of
    every file made durable at once (one syncfs) before the first is put in place, and all
    of it before the journal goes."""
    hazards = tmp_path / "data" / "hazards"
    hazards.mkdir(parents=True)
    leftover = hazards / ".HZ-3.yaml.ab12cd34.tmp"
    leftover.write_bytes(b"half")
    events: list[str] = []
    real_fsync, real_listdir, real_clear = os.fsync, os.listdir, fsio_journal.clear_journal
    real_link, real_staged = os.link, fsio_journal.sync_staged

    def fsync(fd: int) -> None:
        events.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    def listdir(path: Any) -> list[str]:
        events.append(f"list {Path(path).name}")
        return real_listdir(path)

    def clear(root: Path) -> None:
        events.append("clear")
        real_clear(root)

    def link(src: str, dst: str) -> None:
        events.append("link")
        real_link(src, dst)

    def staged(temps: list[str]) -> None:
        events.append(f"sync {len(temps)} staged")
        assert all(
            Path(t).read_bytes() == Path(t).name[1:].split(".tmp")[0][:-9].encode() for t in temps
        )
        real_staged(temps)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "listdir", listdir)
    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(fsio_journal, "clear_journal", clear)
    monkeypatch.setattr(fsio_journal, "sync_staged", staged)
    names = [f"HZ-{i}.yaml" for i in range(1, 21)]
    result = _result(
        tmp_path,
        *(FileChange(hazards / n, f"data/hazards/{n}", None, n.encode()) for n in names),
    )
    events.clear()
    edit.apply(result)
    monkeypatch.undo()
    assert sorted(p.name for p in hazards.iterdir()) == sorted(names)  # leftover swept
    start = events.index("file")
    assert events[start : start + 3] == ["file", "link", "dir"]  # the journal's creation
    writes = events[start + 3 :]
    assert events.count("list hazards") <= 2  # the sweep, and one listing for the batch
    assert writes.count("sync 20 staged") == 1
    if fsio_journal._syncfs() is not None:
        assert "file" not in writes  # no fsync a file: one syncfs for the batch
    assert writes.index("sync 20 staged") < writes.index("link")  # durable before in place
    assert writes.count("link") == 20
    last_link = max(i for i, e in enumerate(writes) if e == "link")
    assert writes.count("dir") == 2  # the hazards folder once, the root after clearing
    assert last_link < writes.index("dir") < writes.index("clear")


def test_without_syncfs_a_batch_fsyncs_each_file_before_any_is_put_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the C library has no syncfs (not Linux), every staged file is fsynced, still
    all of them before the first rename."""
    events: list[str] = []
    real_fsync, real_link = os.fsync, os.link

    def fsync(fd: int) -> None:
        events.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    def link(src: str, dst: str) -> None:
        events.append("link")
        real_link(src, dst)

    monkeypatch.setattr(fsio_journal, "_SYNCFS", [None])
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "link", link)
    names = [f"HZ-{i}.yaml" for i in range(1, 6)]
    result = _result(tmp_path, *(FileChange(tmp_path / n, n, None, n.encode()) for n in names))
    edit.apply(result)
    writes = events[events.index("file") + 3 :]  # after the journal's file, link and folder
    assert writes[:5] == ["file"] * 5 and writes[5:10] == ["link"] * 5
    assert _state(tmp_path, names) == {n: n.encode() for n in names}


def test_a_batch_whose_sync_fails_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """syncfs reports a write error (a full or failing disk): no file is put in place, no
    temporary stays, the journal goes."""
    result, before, _after = _renumbering(tmp_path)

    def failing(fd: int) -> int:
        import ctypes

        ctypes.set_errno(28)
        return -1

    monkeypatch.setattr(fsio_journal, "_SYNCFS", [failing])
    with pytest.raises(OSError, match="No space left on device"):
        edit.apply(result)
    assert _state(tmp_path, list(before)) == before
    assert not (tmp_path / fsio.JOURNAL_NAME).exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("undo", [False, True])
@pytest.mark.parametrize("killed_at", ["sync", "place"])
def test_a_batch_killed_between_its_steps_is_finished_or_undone_by_recover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, killed_at: str, undo: bool
) -> None:
    """Killed after the files were staged but before they were synced (none in place), or
    after some were put in place: the journal is there, ``recover`` removes the staged
    temporaries and brings every file to its new state (or, with --undo, its old one)."""
    root = tmp_path
    (root / "tasks.yaml").write_bytes(b"old tasks\n")
    names = [f"HZ-{i}.yaml" for i in range(1, 6)]
    result = _result(
        root,
        *(FileChange(root / n, n, None, n.encode()) for n in names),
        FileChange(root / "tasks.yaml", "tasks.yaml", b"old tasks\n", b"new tasks\n"),
    )
    before = {**dict.fromkeys(names), "tasks.yaml": b"old tasks\n"}
    after = {**{n: n.encode() for n in names}, "tasks.yaml": b"new tasks\n"}
    placed = {"n": 0}
    real_place = fsio_journal.place

    def killed(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt  # stands for the kill: nothing after it runs

    def place_then_killed(*args: Any, **kwargs: Any) -> None:
        placed["n"] += 1
        if placed["n"] == 3:
            raise KeyboardInterrupt
        real_place(*args, **kwargs)

    if killed_at == "sync":
        monkeypatch.setattr(fsio_journal, "sync_staged", killed)
    else:
        monkeypatch.setattr(fsio_journal, "place", place_then_killed)
    monkeypatch.setattr(
        fsio_journal, "clear_journal", lambda root: None
    )  # killed: no cleanup either
    monkeypatch.setattr(fsio_journal, "settle", lambda *a, **k: None)
    monkeypatch.setattr(Path, "unlink", lambda self, missing_ok=False: None)  # nor tidying
    with pytest.raises(KeyboardInterrupt):
        edit.apply(result)
    monkeypatch.undo()
    assert (root / fsio.JOURNAL_NAME).exists()
    assert [p for p in root.iterdir() if p.name.endswith(".tmp")]  # staged, never placed
    state = _state(root, list(before))
    assert state == (before if killed_at == "sync" else {**before, **dict(list(after.items())[:2])})
    edit.transaction.recover(root, undo=undo)
    assert _state(root, list(before)) == (before if undo else after)
    assert not (root / fsio.JOURNAL_NAME).exists()
    assert not [p for p in root.iterdir() if p.name.endswith(".tmp")]


def test_a_crash_before_the_batch_s_folder_sync_is_finished_by_recover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after the renames but before the folders are synced: the journal is still
    there, and ``recover`` brings every file to its new state."""
    result, _before, after = _renumbering(tmp_path)

    def killed(paths: Any) -> None:
        raise KeyboardInterrupt  # stands for the kill: nothing after it runs

    monkeypatch.setattr(fsio, "sync_folders", killed)
    monkeypatch.setattr(
        fsio_journal, "clear_journal", lambda root: None
    )  # killed: no cleanup either
    monkeypatch.setattr(fsio_journal, "settle", lambda *a, **k: None)
    with pytest.raises(KeyboardInterrupt):
        edit.apply(result)
    assert (tmp_path / fsio.JOURNAL_NAME).exists()
    monkeypatch.undo()
    edit.transaction.recover(tmp_path)
    assert _state(tmp_path, list(after)) == after
    assert not (tmp_path / fsio.JOURNAL_NAME).exists()


def test_a_batch_is_refused_when_a_file_or_its_folder_leads_out_of_the_plan(
    tmp_path: Path,
) -> None:
    """Each folder of a batch is resolved once (``confine_all``), and still no file is
    written through a link: not into a folder that is a link outside, not over a file that
    is one, and nothing of the batch is written either way."""
    root, outside = tmp_path / "plan", tmp_path / "elsewhere"
    (root / "data").mkdir(parents=True)
    outside.mkdir()
    (root / "data" / "hazards").symlink_to(outside, target_is_directory=True)
    (root / "tasks").mkdir()
    names = ["HZ-1.yaml", "HZ-2.yaml"]
    into_link = _result(
        root,
        FileChange(root / "tasks" / "a.yaml", "tasks/a.yaml", None, b"a\n"),
        *(FileChange(root / "data/hazards" / n, f"data/hazards/{n}", None, b"x\n") for n in names),
    )
    with pytest.raises(RefusedError, match="outside the plan root"):
        edit.apply(into_link)
    (outside / "target.yaml").write_bytes(b"theirs\n")
    (root / "tasks" / "b.yaml").symlink_to(outside / "target.yaml")
    over_link = _result(
        root,
        FileChange(root / "tasks" / "a.yaml", "tasks/a.yaml", None, b"a\n"),
        FileChange(root / "tasks" / "b.yaml", "tasks/b.yaml", b"theirs\n", b"ours\n"),
    )
    with pytest.raises(RefusedError, match="outside the plan root"):
        edit.apply(over_link)
    assert sorted(p.name for p in outside.iterdir()) == ["target.yaml"]
    assert (outside / "target.yaml").read_bytes() == b"theirs\n"
    assert sorted(p.name for p in (root / "tasks").iterdir()) == ["b.yaml"]
    fine = _result(
        root,
        *(FileChange(root / "tasks" / n, f"tasks/{n}", None, b"x\n") for n in names),
    )
    edit.apply(fine)
    assert sorted(p.name for p in (root / "tasks").iterdir()) == [
        "HZ-1.yaml",
        "HZ-2.yaml",
        "b.yaml",
    ]


def test_a_staged_temporary_passes_over_a_name_taken_and_keeps_the_files_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Temporaries are named by the process and a count: a leftover of that name is left
    alone (the next name is taken), the name is one ``sweep`` knows, and the mode is the
    replaced file's."""
    import itertools

    target = tmp_path / "HZ-1.yaml"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    monkeypatch.setattr(fsio_journal, "_NAMES", itertools.count(7))
    taken = tmp_path / f".HZ-1.yaml.{os.getpid() & 0xFFFF:04x}0007.tmp"
    taken.write_bytes(b"someone's")
    tmp = fsio_journal.stage(target, b"new\n", b"old\n")
    assert Path(tmp).name == f".HZ-1.yaml.{os.getpid() & 0xFFFF:04x}0008.tmp"
    assert fsio.TEMP_RE.match(Path(tmp).name)
    assert Path(tmp).read_bytes() == b"new\n" and taken.read_bytes() == b"someone's"
    assert stat.S_IMODE(os.stat(tmp).st_mode) == 0o640
    fresh = fsio_journal.stage(tmp_path / "HZ-2.yaml", b"x", None)
    assert stat.S_IMODE(os.stat(fresh).st_mode) == 0o644
