"""The write guards, one at a time: atomic writes, 'changed on disk', and all-or-nothing edits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from safeplan import edit, fsio
from safeplan.edit import EditResult, FileChange
from safeplan.errors import RefusedError


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_atomic_write_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o640)
    fsio.write(path, b"new\n", b"old\n")
    assert path.read_bytes() == b"new\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert _leftovers(tmp_path) == []


def test_atomic_write_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"someone else's edit\n")
    with pytest.raises(RefusedError, match="changed on disk"):
        fsio.write(path, b"ours\n", b"what we read\n")
    assert path.read_bytes() == b"someone else's edit\n"
    assert _leftovers(tmp_path) == []


def test_atomic_write_of_a_new_file_refuses_if_one_appeared(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    path.write_bytes(b"theirs\n")
    with pytest.raises(RefusedError):
        fsio.write(path, b"ours\n", None)
    assert path.read_bytes() == b"theirs\n"


def test_atomic_remove_refuses_a_changed_file(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"changed\n")
    with pytest.raises(RefusedError):
        fsio.remove(path, b"read\n")
    assert path.exists()


def _result(*changes: FileChange) -> EditResult:
    return EditResult(changes, "{path}", {"path": "x"}, "commit", "subject")


def test_apply_checks_every_file_before_writing_any(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """apply's own guard, with atomic_write's check switched off."""
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_bytes(b"a\n")
    second.write_bytes(b"changed by someone\n")

    def unchecked(path: Path, data: bytes, expect: bytes | None, rel: str | None = None) -> None:
        path.write_bytes(data)

    monkeypatch.setattr(fsio, "write", unchecked)
    result = _result(
        FileChange(first, "a.yaml", b"a\n", b"A\n"),
        FileChange(second, "b.yaml", b"b\n", b"B\n"),
    )
    with pytest.raises(RefusedError, match="changed on disk"):
        edit.apply(result)
    assert first.read_bytes() == b"a\n"  # nothing written, not even the first file
    assert second.read_bytes() == b"changed by someone\n"


def test_apply_rolls_back_when_a_later_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A renumber writes the new file, then removes the old: if that fails, both are as before."""
    old, new = tmp_path / "HZ-1.yaml", tmp_path / "HZ-2.yaml"
    old.write_bytes(b"id: HZ-1\n")

    def failing_remove(path: Path, expect: bytes, rel: str | None = None) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(fsio, "remove", failing_remove)
    result = _result(
        FileChange(new, "HZ-2.yaml", None, b"id: HZ-2\n"),
        FileChange(old, "HZ-1.yaml", b"id: HZ-1\n", None),
    )
    with pytest.raises(OSError, match="disk full"):
        edit.apply(result)
    assert not new.exists()
    assert old.read_bytes() == b"id: HZ-1\n"


def test_apply_rolls_back_a_rewritten_file_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_bytes(b"a\n")
    second.write_bytes(b"b\n")
    real = fsio.write
    calls = []

    def fail_on_second(
        path: Path, data: bytes, expect: bytes | None, rel: str | None = None
    ) -> None:
        calls.append(path.name)
        if path == second and data == b"B\n":
            raise OSError("no space")
        real(path, data, expect, rel)

    monkeypatch.setattr(fsio, "write", fail_on_second)
    result = _result(
        FileChange(first, "a.yaml", b"a\n", b"A\n"),
        FileChange(second, "b.yaml", b"b\n", b"B\n"),
    )
    with pytest.raises(OSError):
        edit.apply(result)
    assert (first.read_bytes(), second.read_bytes()) == (b"a\n", b"b\n")
    assert calls == ["a.yaml", "b.yaml", "a.yaml"]  # the first file was written, then restored
