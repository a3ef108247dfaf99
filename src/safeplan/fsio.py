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
  by the next edit (``sweep``), or by ``recover``.
- Output files (reports, ledgers, validation reports) are written by one rule,
  ``write_output``: never read first; a device or FIFO written to, never replaced; a
  symbolic link followed; a file safeplan did not write kept unless forced.

Nothing here prints or decides: it raises safeplan errors with what to do.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from safeplan.errors import RefusedError, UsageError
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
    return _write_temp(path, data, mode, sync=False)


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


# --------------------------------------------------------------------------- output files

#: How a command recognises a file it wrote before: given the file's name and the file,
#: open for reading (always a regular file), whether it is one of its outputs.
Recognise = Callable[[str, BinaryIO], bool]

#: The names that stand for a stream this process already holds open.
_STREAMS = re.compile(r"^/(?:dev/(?:stdout|stderr|fd/(?P<fd>\d+))|proc/self/fd/(?P<pfd>\d+))$")


def _stream(path: Path) -> int | None:
    """The descriptor ``path`` names (``/dev/stdout`` is 1), or None: writing there means
    writing to what this process's output already goes to, whatever that is."""
    text = str(path)
    if text == "/dev/stdout":
        return 1
    if text == "/dev/stderr":
        return 2
    m = _STREAMS.match(text)
    if m is None:
        return None
    return int(m["fd"] or m["pfd"])


def write_output(
    path: Path,
    data: bytes,
    shown: str,
    recognise: Recognise,
    force: bool = False,
) -> None:
    """Write an output file (a report, a ledger, a validation report) where the user said.

    The one rule for every output, and the target is never read first:

    - a new name, or a regular file safeplan wrote (``recognise``; any file with ``force``),
      is written atomically (a temporary file beside it, then renamed over it);
    - a regular file safeplan did not write is refused without ``--force``;
    - a symbolic link is followed: the file it points to is written by these rules, the
      link stays; a link to nothing is refused;
    - a character device (``/dev/null``) or a FIFO is written to, never replaced; a FIFO
      nobody reads is refused rather than waited on; ``/dev/stdout`` and ``/dev/fd/N`` are
      the streams this process holds;
    - a block device, a socket or a folder is refused.
    """
    kind, where = _output_target(path, shown, recognise, force)
    if kind == "stream":
        assert isinstance(where, int)
        _write_all(where, data, shown)
    elif kind == "new":
        create(path, data, shown)
    elif kind == "replace":
        assert isinstance(where, Path)
        _replace(where, data, shown)
    else:
        _write_special(path, data, shown)
    if kind != "new":  # ``create`` has noted it already
        WRITTEN.append(shown)


def check_output(path: Path, shown: str, recognise: Recognise, force: bool = False) -> None:
    """Refuse now what ``write_output`` would refuse (a file safeplan did not write, a folder,
    a socket), so that a command stops before its work, and a set of files (the ledger's CSV
    files) is refused before the first of them is written. Writes and opens nothing."""
    _output_target(path, shown, recognise, force)


def _output_target(
    path: Path, shown: str, recognise: Recognise, force: bool
) -> tuple[str, Path | int]:
    """How an output goes to ``path``: ``stream`` (a descriptor this process holds), ``new``,
    ``replace`` (the real path of a regular file) or ``special`` (a FIFO or character device)."""
    fd = _stream(path)
    if fd is not None:
        return "stream", fd
    try:
        st = os.stat(path)  # follows symbolic links
    except FileNotFoundError:
        if os.path.lexists(path):
            raise UsageError(
                N_(
                    "{path} is a symbolic link to a file that does not exist: safeplan does "
                    "not create files through links; name the file itself; nothing was written"
                ),
                path=shown,
            ) from None
        if not path.parent.is_dir():
            raise UsageError(
                N_("{path}: the folder {folder} does not exist: create it first"),
                path=shown,
                folder=str(path.parent),
            ) from None
        return "new", path
    except OSError as exc:
        raise _cannot_write(shown, exc) from None
    if stat.S_ISREG(st.st_mode):
        real = Path(os.path.realpath(path))
        if not force and not _is_ours(real, recognise):
            raise UsageError(
                N_(
                    "{path} already exists and is not a file safeplan wrote: nothing was "
                    "written; choose another name, or add --force to replace it"
                ),
                path=shown,
            )
        return "replace", real
    if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return "special", path
    if stat.S_ISDIR(st.st_mode):
        raise UsageError(
            N_("{path} is a folder: give a file name; nothing was written"), path=shown
        )
    raise UsageError(
        N_(
            "{path} is a block device or a socket: safeplan writes its outputs to files, "
            "FIFOs and character devices such as /dev/null only; nothing was written"
        ),
        path=shown,
    )


def _cannot_write(shown: str, exc: OSError) -> RefusedError:
    return RefusedError(
        N_("cannot write {path} ({reason})"), path=shown, reason=exc.strerror or str(exc)
    )


def _is_ours(path: Path, recognise: Recognise) -> bool:
    """Whether the regular file at ``path`` is an output safeplan wrote: opened without
    following a link or waiting, and looked at only if it is still a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        try:
            return recognise(path.name, fh)
        except Exception:  # a damaged file is simply not recognised
            return False


def _replace(path: Path, data: bytes, shown: str) -> None:
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError as exc:
        raise _cannot_write(shown, exc) from None
    for leftover in stale_temporaries(path):
        leftover.unlink(missing_ok=True)
    try:
        _swap(path, data, mode)
    except OSError as exc:
        raise _cannot_write(shown, exc) from None


def _write_special(path: Path, data: bytes, shown: str) -> None:
    """Write to a character device or a FIFO as it is: no temporary file, no rename, no
    truncation, no read; a FIFO with no reader is refused at once instead of hanging."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise UsageError(
                N_(
                    "{path} is a FIFO that nobody is reading: start the reader first; "
                    "nothing was written"
                ),
                path=shown,
            ) from None
        raise _cannot_write(shown, exc) from None
    try:
        os.set_blocking(fd, True)
        _write_all(fd, data, shown)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes, shown: str) -> None:
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise _cannot_write(shown, exc) from None


def holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file holding exactly ``data`` (so writing it again would
    change nothing); anything else (a device, a FIFO) is never read."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
        return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as fh:
        return stat.S_ISREG(os.fstat(fd).st_mode) and fh.read(len(data) + 1) == data
