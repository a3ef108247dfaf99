"""The guarded atomic write: the one place that creates, replaces or removes a record file.

- Every write checks that the file still holds what the edit read (the "changed on
  disk" guard), and replaces it atomically: a temporary file in the same folder,
  flushed to disk, then renamed over the old one. A new file is created exclusively (a
  hard link, which fails if the name is taken): two registrations of one id never both
  "succeed".
- Edits of one plan are serialised by a lock file (in the repository's ``.git`` folder,
  or in the temporary folder outside git), held from the first read to the last write,
  so two edits run one after the other or one is refused — never both with one lost.
- An edit of several files is journaled first (``.safeplan-journal.json``): if the
  process is killed half-way, the journal says what to finish or undo
  (``safeplan recover``), and ``validate`` reports it.
- A temporary file left by an interrupted write (``.HZ-….yaml.x1y2.tmp``) is removed
  by the next write of that file.

Nothing here prints or decides: it raises safeplan errors with what to do.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import json
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from safeplan.errors import RefusedError
from safeplan.problems import N_

JOURNAL_NAME = ".safeplan-journal.json"
#: Every file this process has created, replaced or removed, in order (as the caller named
#: it): an interruption (Ctrl-C) reports what was written before it, and nothing else.
WRITTEN: list[str] = []
#: How long an edit waits for another to finish before it is refused (seconds).
LOCK_TIMEOUT = 10.0
#: A temporary file of ours: ``.<name>.<random>.tmp`` beside ``<name>``.
TEMP_RE = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{6,}\.tmp$")


def current(path: Path) -> bytes | None:
    """What the file holds now, or None when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def guard(path: Path, expect: bytes | None, rel: str | None = None) -> None:
    """Refuse unless ``path`` holds ``expect`` (None: it must not exist)."""
    if current(path) == expect:
        return
    shown = rel or str(path)
    if expect is None:
        raise RefusedError(N_("{path} already exists: nothing was written"), path=shown)
    raise RefusedError(
        N_("{path} changed on disk while safeplan was editing it: run the command again"),
        path=shown,
    )


def writable(path: Path, rel: str) -> None:
    """Refuse to edit a file its owner made read-only (rather than replace it anyway)."""
    if path.exists() and not os.access(path, os.W_OK):
        raise RefusedError(
            N_(
                "{path} is read-only: safeplan does not edit it; make it writable "
                "(chmod u+w) if it should change; nothing was written"
            ),
            path=rel,
        )


def stale_temporaries(path: Path) -> list[Path]:
    """Temporary files an interrupted write of ``path`` left beside it."""
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    return [
        path.parent / n
        for n in names
        if (m := TEMP_RE.match(n)) is not None and m["name"] == path.name
    ]


def _as_target(exc: OSError, path: Path) -> OSError:
    """The error with the file the user named, not the hidden temporary beside it."""
    return OSError(exc.errno, exc.strerror, str(path))


def _write_temp(path: Path, data: bytes, mode: int) -> str:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _as_target(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _as_target(exc, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _sync_folder(folder: Path) -> None:
    """Make a rename or a new name durable (where the platform allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write(path: Path, data: bytes, expect: bytes | None, rel: str | None = None) -> None:
    """Write ``data`` to ``path`` atomically, if it still holds ``expect``.

    ``expect`` None creates the file, and fails if it exists by then (exclusive).
    """
    guard(path, expect, rel)
    for leftover in stale_temporaries(path):
        leftover.unlink(missing_ok=True)
    if expect is None:
        create(path, data, rel)
        return
    tmp = _write_temp(path, data, path.stat().st_mode & 0o7777)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _as_target(exc, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    WRITTEN.append(rel or str(path))


def create(path: Path, data: bytes, rel: str | None = None) -> None:
    """Create ``path`` with ``data``, complete or not at all, never over an existing file."""
    tmp = _write_temp(path, data, 0o644)
    try:
        try:
            os.link(tmp, path)  # fails if the name is taken: exclusive and atomic
        except FileExistsError:
            raise RefusedError(
                N_("{path} already exists: nothing was written"), path=rel or str(path)
            ) from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
                raise
            _create_exclusive(path, data, rel)  # a file system without hard links
    finally:
        Path(tmp).unlink(missing_ok=True)
    _sync_folder(path.parent)
    WRITTEN.append(rel or str(path))


def _create_exclusive(path: Path, data: bytes, rel: str | None) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise RefusedError(
            N_("{path} already exists: nothing was written"), path=rel or str(path)
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def remove(path: Path, expect: bytes, rel: str | None = None) -> None:
    """Remove ``path`` if it still holds ``expect``."""
    guard(path, expect, rel)
    path.unlink()
    _sync_folder(path.parent)
    WRITTEN.append(rel or str(path))


# --------------------------------------------------------------------------- the lock


def lock_path(root: Path) -> Path:
    """Where the edit lock of a plan lives: in the git folder of its repository when there is
    one, else in the system's temporary folder (named after the plan's path): never in the
    plan itself, where it would show up as a file nobody wrote."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git / f"safeplan-{_slug(root, folder)}.lock"
        if dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
            with contextlib.suppress(OSError, ValueError):
                line = dot_git.read_text(encoding="utf-8").strip()
                if line.startswith("gitdir:"):
                    git_dir = (folder / line[len("gitdir:") :].strip()).resolve()
                    if git_dir.is_dir():
                        return git_dir / f"safeplan-{_slug(root, folder)}.lock"
            break
    import hashlib

    digest = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return Path(tempfile.gettempdir()) / f"safeplan-{digest[:16]}.lock"


def _slug(root: Path, top: Path) -> str:
    """One lock per plan root, also when a repository holds several plans."""
    rel = root.relative_to(top).as_posix()
    return "root" if rel == "." else re.sub(r"[^A-Za-z0-9]+", "-", rel).strip("-") or "root"


@contextlib.contextmanager
def locked(root: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the plan's edit lock (re-entrant within this process)."""
    from filelock import FileLock, Timeout

    path = lock_path(root)
    lock = FileLock(path, is_singleton=True)
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise RefusedError(
            N_(
                "another safeplan edit is running on {root} (it holds {lock}): nothing was "
                "written; run the command again when it has finished"
            ),
            root=str(root),
            lock=str(path),
        ) from None
    except OSError as exc:
        raise RefusedError(
            N_("cannot lock {root} for editing ({reason}): nothing was written"),
            root=str(root),
            reason=exc.strerror or str(exc),
        ) from None
    try:
        yield
    finally:
        lock.release()


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
