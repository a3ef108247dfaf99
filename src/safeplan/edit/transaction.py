"""An edit as a value (the bytes before and after each file), and writing it all or nothing."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from safeplan import fsio


@dataclass(frozen=True)
class FileChange:
    """One file an edit changes: ``old`` None means created, ``new`` None means removed."""

    path: Path
    rel: str
    old: bytes | None
    new: bytes | None


@dataclass(frozen=True)
class EditResult:
    """What an edit did (or, for a dry run, would do)."""

    changes: tuple[FileChange, ...]
    #: One line saying what changed: an English template with its parameters.
    template: str
    params: dict[str, Any]
    #: The git commit message for ``--commit``.
    commit_message: str
    #: The hazard id or task number the edit was about.
    subject: str
    written: bool = False

    @property
    def rels(self) -> list[str]:
        return [c.rel for c in self.changes]

    def diff(self) -> str:
        """The unified diff of every changed file, as git would show it."""
        out: list[str] = []
        for c in self.changes:
            a = f"a/{c.rel}" if c.old is not None else "/dev/null"
            b = f"b/{c.rel}" if c.new is not None else "/dev/null"
            out.extend(difflib.unified_diff(_lines(c.old), _lines(c.new), a, b))
        return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def _lines(data: bytes | None) -> list[str]:
    if data is None:
        return []
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    return text.splitlines(keepends=True)


def apply(result: EditResult) -> EditResult:
    """Write an edit's changes: each atomically, all or (rolled back) none."""
    for c in result.changes:
        fsio.guard(c.path, c.old, c.rel)
    done: list[FileChange] = []
    try:
        for c in result.changes:
            if c.new is None:
                assert c.old is not None
                fsio.remove(c.path, c.old, c.rel)
            else:
                c.path.parent.mkdir(parents=True, exist_ok=True)
                fsio.write(c.path, c.new, c.old, c.rel)
            done.append(c)
    except BaseException:
        for c in reversed(done):
            if c.old is None:
                c.path.unlink(missing_ok=True)
            else:
                fsio.write(c.path, c.old, fsio.current(c.path), c.rel)
        raise
    return replace(result, written=True)


def revert(result: EditResult) -> None:
    """Undo a written edit (used when a commit after the write fails)."""
    for c in reversed(result.changes):
        now = fsio.current(c.path)
        if c.old is None:
            if c.new is not None and now == c.new:
                c.path.unlink()
        else:
            fsio.write(c.path, c.old, now, c.rel)
