"""An edit of several files, as one: each file staged beside its target and flushed,
the journal (``.safeplan-journal.json``) written first, then each placed over its
target; ``settle`` finishes or undoes a batch a killed process left (``safeplan
recover``). The single-file writes and the lock are ``fsio``'s."""

from __future__ import annotations

import base64
import contextlib
import errno
import itertools
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from safeplan.errors import RefusedError
from safeplan.fsio import (
    JOURNAL_NAME,
    WRITTEN,
    _as_target,
    _create_exclusive,
    _sync_folder,
    _write_temp,
    create,
    current,
    guard,
    write,
)
from safeplan.problems import N_

# --------------------------------------------------------------------------- a batch


def stage(path: Path, data: bytes, expect: bytes | None) -> str:
    """``data`` into a temporary file beside ``path`` (the mode of the file it replaces),
    not yet synced: the first step of a batch (``edit.apply``), which makes every staged
    file durable at once (``sync_staged``) before any is put in place (``place``). The
    temporary's name; it is removed by the caller on failure, or by the next ``sweep``."""
    try:
        mode = 0o644 if expect is None else path.stat().st_mode & 0o7777
    except OSError as exc:
        raise _as_target(exc, path) from None
    if not hasattr(os, "fchmod"):  # Windows: tempfile's way
        return _write_temp(path, data, mode, sync=False)
    return _stage_temp(path, data, mode)


#: Names of a batch's temporaries: the process id and a count, in 8 hex digits
#: (``.name.<pid><n>.tmp``, the pattern ``sweep`` knows); a name taken is passed over.
_NAMES = itertools.count()


def _stage_temp(path: Path, data: bytes, mode: int) -> str:
    """``data`` in a new temporary beside ``path``, opened at once by name (tempfile's
    mkstemp spent a fifth of a 5,000-file batch drawing random names in Python)."""
    folder = os.fspath(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(1000):
        tag = f"{os.getpid() & 0xFFFF:04x}{next(_NAMES) & 0xFFFF:04x}"  # 8, as mkstemp's
        tmp = os.path.join(folder, f".{path.name}.{tag}.tmp")
        try:
            fd = os.open(tmp, flags, 0o600)
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise _as_target(exc, path) from None
    else:
        raise _as_target(OSError(errno.EEXIST, os.strerror(errno.EEXIST)), path)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fchmod(fd, mode)
    except OSError as exc:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise _as_target(exc, path) from None
    except BaseException:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    os.close(fd)
    return tmp


def sync_staged(temps: Sequence[str]) -> None:
    """Make the bytes of every staged temporary durable before the first is renamed into
    place: one ``syncfs`` of each file system they are on (Linux), else an fsync of each.

    One file's fsync waits for a journal commit of the file system (about 6 ms here): a
    5,000-row import spent most of its time in them. ``syncfs`` commits once for all, and
    reports a write error (Linux ≥ 5.8) as fsync does: the batch fails, nothing renamed."""
    if not temps:
        return
    syncfs = _syncfs()
    if syncfs is None:
        for tmp in temps:
            _fsync_path(tmp)
        return
    devices: dict[int, str] = {}
    for tmp in temps:
        devices.setdefault(os.stat(tmp).st_dev, tmp)
    for tmp in devices.values():
        fd = os.open(tmp, os.O_RDONLY)
        try:
            if syncfs(fd) != 0:
                err = _c_errno()
                raise OSError(err, os.strerror(err), tmp)
        finally:
            os.close(fd)


def _fsync_path(name: str) -> None:
    fd = os.open(name, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_SYNCFS: list[Callable[[int], int] | None] = []


def _syncfs() -> Callable[[int], int] | None:
    """The C library's ``syncfs`` (Linux; Python has no binding), or None elsewhere."""
    if not _SYNCFS:
        found: Callable[[int], int] | None = None
        if sys.platform.startswith("linux"):
            with contextlib.suppress(OSError, AttributeError):
                import ctypes

                found = ctypes.CDLL(None, use_errno=True).syncfs
        _SYNCFS.append(found)
    return _SYNCFS[0]


def _c_errno() -> int:
    """The errno a failed C library call set (``syncfs``)."""
    import ctypes

    return ctypes.get_errno() or errno.EIO


def place(tmp: str, path: Path, data: bytes, expect: bytes | None, rel: str | None = None) -> None:
    """Put a staged, synced temporary in place of ``path`` if it still holds ``expect``: a
    new file exclusively (a hard link, which fails if the name is taken), a changed one by
    rename. The folder is synced by the caller, once for the batch (``sync_folders``)."""
    shown = rel or str(path)
    try:
        guard(path, expect, rel)
        if expect is not None:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise _as_target(exc, path) from None
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise RefusedError(
                    N_("{path} already exists: nothing was written"), path=shown
                ) from None
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
                    raise _as_target(exc, path) from None
                _create_exclusive(path, data, rel)  # a file system without hard links
    finally:
        Path(tmp).unlink(missing_ok=True)
    WRITTEN.append(shown)


def remove(path: Path, expect: bytes, rel: str | None = None, *, sync: bool = True) -> None:
    """Remove ``path`` if it still holds ``expect``."""
    guard(path, expect, rel)
    path.unlink()
    if sync:
        _sync_folder(path.parent)
    WRITTEN.append(rel or str(path))


# --------------------------------------------------------------------------- the journal


class Step(NamedTuple):
    """One file of a multi-file edit: what it held before and holds after (None: absent)."""

    rel: str
    old: bytes | None
    new: bytes | None


class Journal(NamedTuple):
    """An edit of several files, written down before the first of them is touched."""

    summary: str
    steps: tuple[Step, ...]
    #: What follows the files: ``"git-init"`` for ``init`` (a repository and its first
    #: commit, which ``recover`` makes too).
    after: str = ""


def _encode(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def _decode(text: Any) -> bytes | None:
    return None if text is None else base64.b64decode(str(text))


def write_journal(root: Path, journal: Journal) -> None:
    doc = {
        "format": 1,
        "summary": journal.summary,
        **({"after": journal.after} if journal.after else {}),
        "steps": [
            {"path": s.rel, "old": _encode(s.old), "new": _encode(s.new)} for s in journal.steps
        ],
    }
    data = (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    path = root / JOURNAL_NAME
    if path.exists():
        raise RefusedError(
            N_(
                "an earlier edit was interrupted and not finished ({journal}): run "
                "'safeplan recover' to finish it, or 'safeplan recover --undo' to undo it"
            ),
            journal=JOURNAL_NAME,
        )
    create(path, data, JOURNAL_NAME)


def read_journal(root: Path) -> Journal | None:
    """The interrupted edit's journal, or None; a journal that cannot be read is refused."""
    path = root / JOURNAL_NAME
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        steps = tuple(
            Step(str(s["path"]), _decode(s["old"]), _decode(s["new"])) for s in doc["steps"]
        )
        return Journal(str(doc.get("summary", "")), steps, str(doc.get("after", "")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RefusedError(
            N_("{journal} cannot be read ({reason}): look at it, then remove it by hand"),
            journal=JOURNAL_NAME,
            reason=str(exc),
        ) from None


def clear_journal(root: Path) -> None:
    (root / JOURNAL_NAME).unlink(missing_ok=True)
    _sync_folder(root)


def settle(root: Path, steps: Sequence[Step], forward: bool) -> None:
    """Bring every file of a journaled edit to its new state (or its old one): idempotent."""
    for step in steps:
        want = step.new if forward else step.old
        path = root / step.rel
        now = current(path)
        if now == want:
            continue
        if want is None:
            path.unlink(missing_ok=True)
        elif now is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            create(path, want, step.rel)
        else:
            write(path, want, now, step.rel)
