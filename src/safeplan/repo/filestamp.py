"""What tells the caches (``repo.cache``, ``repo.fmtcache``) that a file or their code changed.

Both caches trust an entry only while the file's stat and the code that made the entry are
as they were; this is the one place that says how those are taken.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

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


# --------------------------------------------------------------------------- the per-file caches
# (here, not in repo/cache.py, so that the whole-plan entry, repo/warm.py, checks the stamps
# without importing the hazard pipeline)

#: Bumped when what an entry of the hazard cache holds changes shape.
HAZARD_CACHE_FORMAT = 4
#: Timestamps this close to the cache's making may hide a second change: check the hash.
RACY_NS = 2_000_000_000
#: The modules whose code decides an entry: their timestamps are part of the key, so a
#: development checkout whose rules changed does not serve results of the old rules.
RULE_MODULES = (
    "repo/parse.py",
    "repo/hazardfile.py",
    "repo/cache.py",
    "repo/cache_codec.py",
    "repo/problem_codec.py",
    "repo/filestamp.py",
    "rules/hazards.py",
    "models/records.py",
    "models/hazards.py",
    "models/summary.py",
    "vocab.py",
    # and those of the enterprise files' cache (repo/enterprise_cache.py)
    "repo/enterprises.py",
    "repo/enterprise_cache.py",
    "rules/enterprises.py",
    "models/enterprises.py",
)


def rules_stamp() -> str:
    """safeplan's version and the state of the code that makes a per-file entry."""
    return code_stamp(HAZARD_CACHE_FORMAT, RULE_MODULES)


def folders_unchanged(stamps: Any, inside: str, started: int) -> bool:
    """Whether every folder holding the entry's evidence is as it was when the cache saw
    all of the evidence there: one stat a folder instead of one a file.

    A folder's mtime and ctime move whenever a name in it is added, removed or renamed (and
    the ctime when the mtime is set back); its inode changes if it is replaced. A stamp within :data:`RACY_NS` of the cache's making could
    hide a change in the same tick: then each file is looked at."""
    if not stamps or type(stamps) is not list:
        return False
    try:
        for folder, mtime, ctime, ino in stamps:
            if (
                type(mtime) is not int
                or type(ctime) is not int
                or max(mtime, ctime) + RACY_NS > started
            ):
                return False
            st = os.stat(inside + folder)
            if st.st_mtime_ns != mtime or st.st_ctime_ns != ctime or st.st_ino != ino:
                return False
    except (OSError, TypeError, ValueError):
        return False  # gone, or not this safeplan's stamps: look at each file
    return True


#: The last cache files decoded in this process: path → (stat, JSON, hash of the bytes).
_DECODED: dict[str, tuple[tuple[int, int, int, int], Any, str]] = {}
_DECODED_KEEP = 2


def read_cache_json(path: Path, keep: bool = False) -> tuple[Any, str]:
    """A cache file's JSON and the hash of its bytes (``OSError``/``ValueError`` as
    ``open``/``json.loads`` raise them). The whole-plan check (``repo/warm.py``) decodes the
    per-file caches before a full read that falls back on them: the second decoding of the
    same file (same size, times and inode) is the first one's: ``keep`` (the check) keeps
    what it decoded, the next read without it takes it (so a long-lived process, a server,
    holds no decoded cache). The pair is consistent whatever happens to the file meanwhile:
    the JSON is what those bytes decode to."""
    import json

    name = str(path)
    with open(name, "rb") as fh:
        st = os.fstat(fh.fileno())
        stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        known = _DECODED.get(name) if keep else _DECODED.pop(name, None)
        if known is not None and known[0] == stamp:
            return known[1], known[2]
        raw = fh.read()
    data = json.loads(raw)
    token = digest(raw)
    if not keep:
        return data, token
    _DECODED.pop(name, None)
    _DECODED[name] = (stamp, data, token)
    while len(_DECODED) > _DECODED_KEEP:
        del _DECODED[next(iter(_DECODED))]
    return data, token
