"""Output files (reports, ledgers, validation reports), written by one rule,
``write_output``: never read first; a device or FIFO written to, never replaced; a
symbolic link followed; a file safeplan did not write kept unless forced."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from safeplan.errors import RefusedError, UsageError
from safeplan.fsio import (
    WRITTEN,
    _swap,
    create,
    stale_temporaries,
)
from safeplan.problems import N_

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
