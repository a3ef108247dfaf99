"""The per-file cache: what reading each hazard file gave, kept until the file changes.

An unchanged plan then costs a directory listing, a stat of each file and reading one
JSON file, instead of parsing and validating every record. What is kept per file is
exactly what ``parse_hazard`` returns (summary, the file's own problems, what cross-file
rules need), keyed by the file's size, mtime_ns, ctime_ns and inode. Whatever depends on
more than the file is not kept but decided again on every read: facts after ``--as-of``
(the record's latest day is kept) and evidence naming files that do not exist (the
names are kept). Rules across files and against git always run on the assembled snapshot.

Trust is earned, never assumed:

- a file whose timestamps lie within :data:`RACY_NS` of the moment the cache was built
  could have changed again without its mtime moving (a coarse clock, a write in the same
  tick): it is served only if the hash of its text still matches;
- the cache is plain JSON (never pickle: another process could plant the file), checked
  field by field on load; anything unexpected (corrupt, truncated, another format or
  version of safeplan, another build of the rules) discards the whole cache;
- it is written to a temporary file and renamed over the old one, so a reader sees a whole
  cache or the previous one; two commands writing at once each write a whole file. A cache
  that cannot be written (a read-only checkout, a full disk) is skipped silently: the
  command's answer never depends on it.

The folder is ``.safeplan-cache/`` in the plan root (git-ignored by the .gitignore that
``init`` writes); deleting it is always safe: the next command reads every file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from decimal import InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

from safeplan.repo.cache_codec import Key, _decode_entry, _encode_entry
from safeplan.repo.cachefile import CacheWriter
from safeplan.repo.filestamp import HAZARD_CACHE_FORMAT, read_cache_json, rules_stamp
from safeplan.repo.filestamp import RACY_NS as RACY_NS
from safeplan.repo.filestamp import folders_unchanged as _folders_unchanged
from safeplan.repo.hazardfile import VOLATILE_CODES, HazardFile
from safeplan.repo.layout import CACHE_DIR as CACHE_DIR
from safeplan.repo.layout import HAZARD_CACHE_FILE
from safeplan.repo.parse import text_digest
from safeplan.repo.problem_codec import _Bad, _enc_problem, _Uncacheable
from safeplan.yamlio import YamlProblem, read_text

#: The cache's folder in the plan root and its file (``repo/layout.py``: a command that reads
#: no hazard file sees whether a cache is there without importing this module).
CACHE_FILE = HAZARD_CACHE_FILE
#: Bumped when what an entry holds changes shape (``repo/filestamp.py``).
FORMAT = HAZARD_CACHE_FORMAT

Parse = Callable[[Sequence[tuple[str, str]]], list[HazardFile]]


class CacheRead(NamedTuple):
    """Every hazard file's result, and what vouches for all of them at once."""

    results: list[HazardFile]
    #: The hash of the cache file when it served every result as it stands (nothing read
    #: again, nothing to rewrite): the results are then exactly what those bytes decode
    #: to, so a view computed from them may be kept under this token (``repo/viewcache``).
    token: str | None
    #: The hash of the cache file's bytes when the results are exactly what those bytes
    #: decode to: ``token``, or, when this read rewrote the cache, the hash of what it
    #: wrote, if every result read again round-trips through its entry and none of them
    #: has a problem that depends on the day or on other files. The plan's whole-plan
    #: entry (``repo/warm.py``) keys on it, so the run after a change can be served.
    vouched: str | None = None


#: A rewrite vouches for what it wrote only when at most this share of the files (or this
#: many) was read again: each is decoded once more to prove it round-trips, which a cold
#: read of 10,000 files would pay with 0.1 s.
VOUCH_SHARE = 0.1
VOUCH_FEW = 100


def cache_path(root: Path) -> Path:
    return root / CACHE_DIR / CACHE_FILE


def _stamp() -> str:
    """safeplan's version and the state of the code that makes an entry."""
    return rules_stamp()


# --------------------------------------------------------------------------- reading


def read_with_cache(
    root: Path, entries: Sequence[tuple[str, str]], today: dt.date | None, parse: Parse
) -> CacheRead:
    """Every hazard file's result, in the order of ``entries``: unchanged files from the
    cache, the others through ``parse``; the cache is then rewritten if anything changed."""
    stamp = _stamp()
    store, token = _load(root, stamp)
    writer = CacheWriter.open(root, CACHE_FILE)  # before the stats: it bounds what may be racy
    try:
        keys: list[Key | None] = []
        results: list[HazardFile | None] = []
        missed: list[int] = []
        raw_of = store.get("files", {}) if store else {}
        started = store.get("started", 0) if store else 0
        for i, (path, rel) in enumerate(entries):
            key = _key(path)
            keys.append(key)
            hit = None
            if key is not None and rel in raw_of:
                hit = _serve(raw_of[rel], key, started, path, rel, today)
            if hit is None:
                missed.append(i)
            results.append(hit)
        if missed:
            fresh = parse([entries[i] for i in missed])
            for i, result in zip(missed, fresh, strict=True):
                results[i] = result
        done = [r for r in results if r is not None]
        assert len(done) == len(entries)
        rels = {rel for _, rel in entries}
        stale = store is None or bool(missed) or any(rel not in rels for rel in raw_of)
        vouched = None if stale else token
        if writer is not None and stale:
            provable = len(missed) <= max(VOUCH_SHARE * len(entries), VOUCH_FEW)
            fresh_set = set(missed)
            files: dict[str, Any] = {}
            for (path, rel), key, result, i in zip(
                entries, keys, done, range(len(done)), strict=True
            ):
                if key is None:
                    continue
                if i not in missed and rel in raw_of:
                    files[rel] = raw_of[rel]
                    continue
                try:
                    files[rel] = _encode_entry(key, rel, result, path)
                except _Uncacheable:
                    provable = False
                    continue
                if provable and i in fresh_set:
                    provable = _round_trips(files[rel], rel, result)
            written = writer.commit({"stamp": stamp, "started": writer.started, "files": files})
            if written is not None:
                writer.sweep()
            if provable and len(files) == len(entries):
                vouched = written
        return CacheRead(done, None if stale else token, vouched)
    finally:
        if writer is not None:
            writer.discard()


def _round_trips(entry: dict[str, Any], rel: str, result: HazardFile) -> bool:
    """Whether a later run serving ``entry`` gets exactly ``result`` (problems with their
    parameters; evidence aside, which is decided on every read): then what this run made
    of the results holds for the bytes written. A result with a problem of the day or of
    other files (``VOLATILE_CODES``, not stored) never does."""
    if any(p.code in VOLATILE_CODES for p in result.problems):
        return False
    try:
        again = _decode_entry(json.loads(json.dumps(entry)), rel)
    except (_Bad, TypeError, ValueError, KeyError, IndexError, OverflowError, InvalidOperation):
        return False
    if again._replace(evidence=()) != result._replace(evidence=(), kept=None):
        return False
    try:  # Problem's == leaves the parameters out: compare what the cache keeps of them
        return [(p._key(), _enc_problem(p)) for p in again.problems] == [
            (p._key(), _enc_problem(p)) for p in result.problems
        ]
    except _Uncacheable:
        return False


def _key(path: str) -> Key | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _load(root: Path, stamp: str) -> tuple[dict[str, Any] | None, str | None]:
    """The cache as stored, if it is this safeplan's and whole (None otherwise), and the
    hash of its bytes."""
    try:
        data, token = read_cache_json(cache_path(root))
    except (OSError, ValueError, RecursionError):
        return None, None
    if (
        not isinstance(data, dict)
        or data.get("stamp") != stamp
        or not isinstance(data.get("started"), int)
        or not isinstance(data.get("files"), dict)
    ):
        return None, None
    return data, token


def _serve(
    raw: Any, key: Key, started: int, path: str, rel: str, today: dt.date | None
) -> HazardFile | None:
    """The stored result of one file, if it still holds for the file as it is now."""
    try:
        if not isinstance(raw, dict) or raw.get("k") != list(key):
            return None
        result = _decode_entry(raw, rel)
    except (_Bad, TypeError, ValueError, KeyError, IndexError, OverflowError, InvalidOperation):
        return None
    if max(key[1], key[2]) + RACY_NS > started:
        try:
            if text_digest(read_text(path)) != result.digest:
                return None
        except (OSError, YamlProblem):
            return None
    if today is not None and result.latest is not None and result.latest > today:
        return None  # a fact after the day: the file says where, so read it
    if result.evidence:
        # Stored normalised, inside the root (what missing_evidence would check): a file
        # named as evidence that is missing now is said with its place, so read the file.
        inside = path[: len(path) - len(rel)]
        try:
            if not _folders_unchanged(raw.get("d"), inside, started):
                exists = os.path.exists
                for target in result.evidence:
                    if not exists(inside + target):
                        return None
        except TypeError:
            return None  # not a string: not this safeplan's cache
    return result
