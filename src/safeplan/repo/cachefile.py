"""The one way a file of ``.safeplan-cache/`` is written (hazards, enterprises, the fmt
memo, the day view). Kept apart from ``repo/cache.py`` so that a command writing the day
view does not import the hazard cache (``tests/test_startup.py``)."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from safeplan.repo.filestamp import digest
from safeplan.repo.layout import CACHE_DIR

#: A temporary file this old was left by a command that was killed while writing.
STALE_TEMP_NS = 3600 * 1_000_000_000


class CacheWriter:
    """A temporary file beside a cache file of ``.safeplan-cache/``, made before the files
    are looked at: its mtime is the filesystem's own 'now', to which every file's
    timestamps are compared. The one way a cache is written (hazards, enterprises, the
    fmt memo, the day view): whole, renamed into place, and never a command's failure."""

    def __init__(self, folder: Path, name: str, fd: int, tmp: str, started: int) -> None:
        self.folder = folder
        self.name = name
        self.fd: int | None = fd
        self.tmp = tmp
        self.started = started

    @classmethod
    def open(cls, root: Path, name: str) -> CacheWriter | None:
        """The writer of ``name`` (``hazards.json`` …; its temporaries are
        ``.hazards-*.tmp``), or None where nothing can be written."""
        folder = root / CACHE_DIR
        try:
            folder.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{name.split('.')[0]}-", suffix=".tmp", dir=folder)
        except OSError:
            return None  # read-only, or no plan folder: work without writing a cache
        try:
            started = os.fstat(fd).st_mtime_ns
            # Readable as the plan's files are (mkstemp makes it private): another user of a
            # shared checkout can use it rather than rebuild it.
            if hasattr(os, "fchmod"):  # not on Windows
                os.fchmod(fd, 0o644)
        except OSError:
            os.close(fd)
            os.unlink(tmp)
            return None
        return cls(folder, name, fd, tmp, started)

    def commit(self, data: dict[str, Any]) -> str | None:
        """Write ``data`` as compact JSON (see ``write``)."""
        try:
            body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except ValueError:
            return None
        return self.write(body)

    def write(self, body: bytes) -> str | None:
        """Write the whole cache, then rename it into place (never half a file): the hash of
        the bytes written (what a whole-plan entry is keyed on, ``repo/warm.py``), or None if
        it could not be (the cache is an optimisation: a command never fails for it)."""
        if self.fd is None:
            return None
        try:
            with os.fdopen(self.fd, "wb") as fh:
                self.fd = None
                fh.write(body)
            os.replace(self.tmp, self.folder / self.name)
            self.tmp = ""
        except OSError:
            return None
        return digest(body)

    def sweep(self) -> None:
        """Remove temporary files that a killed command left (an hour old: not being written)."""
        with contextlib.suppress(OSError), os.scandir(self.folder) as it:
            for entry in it:
                if entry.name.startswith(
                    (".hazards-", ".overview-", ".plan-")
                ) and entry.name.endswith(".tmp"):
                    with contextlib.suppress(OSError):
                        if entry.stat().st_mtime_ns < self.started - STALE_TEMP_NS:
                            os.unlink(entry.path)

    def discard(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None
        if self.tmp:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
            self.tmp = ""
