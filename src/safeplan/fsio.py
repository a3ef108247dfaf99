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
  (``safeplan recover``), and ``validate`` reports it (``fsio_journal``).
- A temporary file left by an interrupted write (``.HZ-….yaml.x1y2.tmp``) is removed
  by the next edit (``sweep``), or by ``recover``.
- Output files (reports, ledgers, validation reports) are written by one rule,
  ``write_output``: never read first; a device or FIFO written to, never replaced; a
  symbolic link followed; a file safeplan did not write kept unless forced (``fsio_output``).

Nothing here prints or decides: it raises safeplan errors with what to do.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

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


def stale_beside(paths: Sequence[Path]) -> list[Path]:
    """Temporary files interrupted writes of any of ``paths`` left: one listing per folder,
    however many files a transaction writes there (listing the folder once per file made a
    5,000-row import quadratic)."""
    wanted: dict[Path, set[str]] = {}
    for path in paths:
        wanted.setdefault(path.parent, set()).add(path.name)
    found: list[Path] = []
    for folder, names in wanted.items():
        try:
            listed = os.listdir(folder)
        except OSError:
            continue
        found.extend(
            folder / n for n in listed if (m := TEMP_RE.match(n)) is not None and m["name"] in names
        )
    return found


def sync_folders(paths: Sequence[Path]) -> None:
    """Make the renames and new names of a batch of writes durable: each folder synced once,
    after all of them (``write``/``create``/``remove`` with ``sync=False``). A journaled edit
    calls this before it clears its journal, so a crash before it is finished by ``recover``."""
    for folder in dict.fromkeys(p.parent for p in paths):
        _sync_folder(folder)


def sweep(root: Path, folders: Sequence[str]) -> list[str]:
    """Remove the temporary files interrupted writes left in ``folders`` of ``root`` (their
    paths from the root). Called under the edit lock, when no write of the plan is running:
    every such file is a leftover, never a write in progress."""
    removed: list[str] = []
    for folder in folders:
        try:
            names = sorted(os.listdir(root / folder))
        except OSError:
            continue
        for name in names:
            if TEMP_RE.match(name) is not None and (root / folder / name).is_file():
                with contextlib.suppress(FileNotFoundError):
                    (root / folder / name).unlink()
                    removed.append(f"{folder}/{name}" if folder else name)
    return removed


def _as_target(exc: OSError, path: Path) -> OSError:
    """The error with the file the user named, not the hidden temporary beside it."""
    return OSError(exc.errno, exc.strerror, str(path))


def _write_temp(path: Path, data: bytes, mode: int, *, sync: bool = True) -> str:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _as_target(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if sync:
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


def write(
    path: Path,
    data: bytes,
    expect: bytes | None,
    rel: str | None = None,
    *,
    tidy: bool = True,
    sync: bool = True,
) -> None:
    """Write ``data`` to ``path`` atomically, if it still holds ``expect``.

    ``expect`` None creates the file, and fails if it exists by then (exclusive). The file's
    bytes are always fsynced before the rename; a batch (``edit.apply``) passes ``tidy=False``
    when it has removed stale temporaries itself (``stale_beside``) and ``sync=False`` when it
    syncs the folders once at the end (``sync_folders``).
    """
    guard(path, expect, rel)
    if tidy:
        for leftover in stale_temporaries(path):
            leftover.unlink(missing_ok=True)
    if expect is None:
        create(path, data, rel, sync=sync)
        return
    try:
        _swap(path, data, path.stat().st_mode & 0o7777, sync=sync)
    except OSError as exc:
        raise _as_target(exc, path) from None
    WRITTEN.append(rel or str(path))


def _swap(path: Path, data: bytes, mode: int, *, sync: bool = True) -> None:
    """``data`` into a temporary file beside ``path``, renamed over it, the folder synced:
    the one atomic replacement (the temporary file never outlives a failure)."""
    tmp = _write_temp(path, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if sync:
        _sync_folder(path.parent)


def create(path: Path, data: bytes, rel: str | None = None, *, sync: bool = True) -> None:
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
    if sync:
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
