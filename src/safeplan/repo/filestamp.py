"""What tells the caches (``repo.cache``, ``repo.fmtcache``) that a file or their code changed.

Both caches trust an entry only while the file's stat and the code that made the entry are
as they were; this is the one place that says how those are taken.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from safeplan import __version__


def code_stamp(fmt: int, modules: Iterable[str]) -> str:
    """The cache format, safeplan's version and the size and mtime of the ``modules`` (paths
    below the package) whose change must forget every entry (a development checkout)."""
    base = Path(__file__).resolve().parent.parent
    parts = [str(fmt), __version__]
    for rel in modules:
        try:
            st = os.stat(base / rel)
            parts.append(f"{st.st_size}.{st.st_mtime_ns}")
        except OSError:
            parts.append("-")
    return ":".join(parts)


def stat_key(path: Path | str) -> list[int] | None:
    """What identifies a file's version without reading it: size, mtime_ns, ctime_ns, inode."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def digest(data: bytes) -> str:
    """The hash that confirms a file whose timestamps are too close to trust."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
