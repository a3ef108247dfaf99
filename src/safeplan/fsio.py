"""The guarded atomic write: the one place that replaces, creates or removes a record file.

Every write checks that the file still holds what the edit read (the "changed on
disk" guard) and replaces it atomically: a temporary file in the same folder, flushed
to disk, then renamed over the old one. On any failure the temporary file is removed
and the old file is untouched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from safeplan.errors import RefusedError
from safeplan.problems import N_


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


def write(path: Path, data: bytes, expect: bytes | None, rel: str | None = None) -> None:
    """Write ``data`` to ``path`` atomically, if it still holds ``expect``."""
    guard(path, expect, rel)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        mode = path.stat().st_mode & 0o7777 if expect is not None else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove(path: Path, expect: bytes, rel: str | None = None) -> None:
    """Remove ``path`` if it still holds ``expect``."""
    guard(path, expect, rel)
    path.unlink()
