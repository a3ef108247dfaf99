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

import contextlib
import datetime as dt
import json
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

from safeplan.models.summary import CycleFacts, DeadlineFact, HazardSummary, SupervisionFacts
from safeplan.problems import Coded, Fragment, ListOf, Plural, Problem
from safeplan.repo.filestamp import code_stamp, digest
from safeplan.repo.hazardfile import VOLATILE_CODES, HazardFile
from safeplan.repo.layout import CACHE_DIR as CACHE_DIR
from safeplan.repo.layout import HAZARD_CACHE_FILE
from safeplan.repo.parse import text_digest
from safeplan.rules.cross import HazardRef
from safeplan.yamlio import YamlProblem, read_text

#: The cache's folder in the plan root and its file (``repo/layout.py``: a command that reads
#: no hazard file sees whether a cache is there without importing this module).
CACHE_FILE = HAZARD_CACHE_FILE
#: Bumped when what an entry holds changes shape.
FORMAT = 4
#: Timestamps this close to the cache's making may hide a second change: check the hash.
RACY_NS = 2_000_000_000
#: A temporary file this old was left by a command that was killed while writing.
STALE_TEMP_NS = 3600 * 1_000_000_000

#: The modules whose code decides an entry: their timestamps are part of the key, so a
#: development checkout whose rules changed does not serve results of the old rules.
_RULE_MODULES = (
    "repo/parse.py",
    "repo/hazardfile.py",
    "repo/cache.py",
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

Key = tuple[int, int, int, int]
Parse = Callable[[Sequence[tuple[str, str]]], list[HazardFile]]


class CacheRead(NamedTuple):
    """Every hazard file's result, and what vouches for all of them at once."""

    results: list[HazardFile]
    #: The hash of the cache file when it served every result as it stands (nothing read
    #: again, nothing to rewrite): the results are then exactly what those bytes decode
    #: to, so a view computed from them may be kept under this token (``repo/viewcache``).
    token: str | None


class _Bad(Exception):
    """The cache file is not what this safeplan wrote: ignore all of it."""


class _Uncacheable(Exception):
    """A result holds a value the cache cannot store: read the file again next time."""


def cache_path(root: Path) -> Path:
    return root / CACHE_DIR / CACHE_FILE


def _stamp() -> str:
    """safeplan's version and the state of the code that makes an entry."""
    return code_stamp(FORMAT, _RULE_MODULES)


# --------------------------------------------------------------------------- reading


def read_with_cache(
    root: Path, entries: Sequence[tuple[str, str]], today: dt.date | None, parse: Parse
) -> CacheRead:
    """Every hazard file's result, in the order of ``entries``: unchanged files from the
    cache, the others through ``parse``; the cache is then rewritten if anything changed."""
    stamp = _stamp()
    store, token = _load(root, stamp)
    writer = _Writer.open(root)  # before the stats: its time bounds what may be racy
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
        if writer is not None and stale:
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
                    continue
            writer.commit({"stamp": stamp, "started": writer.started, "files": files})
        return CacheRead(done, None if stale else token)
    finally:
        if writer is not None:
            writer.discard()


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
        with open(cache_path(root), "rb") as fh:
            raw = fh.read()
        data = json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return None, None
    if (
        not isinstance(data, dict)
        or data.get("stamp") != stamp
        or not isinstance(data.get("started"), int)
        or not isinstance(data.get("files"), dict)
    ):
        return None, None
    return data, digest(raw)


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


def _folders_unchanged(stamps: Any, inside: str, started: int) -> bool:
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


def _folder_stamps(path: str, rel: str, targets: Sequence[str]) -> list[list[Any]] | None:
    """The folders of the evidence files, stamped, if every file is there now and is a
    plain file (a link's target could vanish without its folder changing); else None."""
    inside = path[: len(path) - len(rel)]
    folders: dict[str, list[Any]] = {}
    for target in targets:
        folder = os.path.dirname(target)
        if folder not in folders:
            try:
                st = os.stat(inside + folder)  # before the files: a later change shows
            except OSError:
                return None
            folders[folder] = [folder, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    for target in targets:
        try:
            if not stat.S_ISREG(os.lstat(inside + target).st_mode):
                return None
        except OSError:
            return None
    return list(folders.values())


class _Writer:
    """A temporary file beside the cache, made before the files are looked at: its mtime is
    the filesystem's own 'now', to which every file's timestamps are compared."""

    def __init__(self, folder: Path, fd: int, tmp: str, started: int) -> None:
        self.folder = folder
        self.fd: int | None = fd
        self.tmp = tmp
        self.started = started

    @classmethod
    def open(cls, root: Path) -> _Writer | None:
        folder = root / CACHE_DIR
        try:
            folder.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".hazards-", suffix=".tmp", dir=folder)
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
        return cls(folder, fd, tmp, started)

    def commit(self, data: dict[str, Any]) -> None:
        """Write the whole cache, then rename it into place (never half a file)."""
        if self.fd is None:
            return
        try:
            body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            with os.fdopen(self.fd, "wb") as fh:
                self.fd = None
                fh.write(body)
            os.replace(self.tmp, self.folder / CACHE_FILE)
            self.tmp = ""
        except (OSError, ValueError):
            return  # the cache is an optimisation: a command never fails for it
        self._sweep()

    def _sweep(self) -> None:
        """Remove temporary files that a killed command left (an hour old: not being written)."""
        with contextlib.suppress(OSError), os.scandir(self.folder) as it:
            for entry in it:
                if entry.name.startswith((".hazards-", ".overview-")) and entry.name.endswith(
                    ".tmp"
                ):
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


# --------------------------------------------------------------------------- encoding


def _encode_entry(key: Key, rel: str, r: HazardFile, path: str = "") -> dict[str, Any]:
    if r.digest is None or any(p.code == "unreadable" for p in r.problems):
        raise _Uncacheable  # nothing read, or a problem that a chmod (not a write) can fix
    if any(p.path != rel for p in r.problems) or (r.summary and r.summary.path != rel):
        raise _Uncacheable  # the entry stores its own path once
    if r.summary is not None and r.ref != HazardRef(rel, r.summary.id, r.summary.responsible_unit):
        raise _Uncacheable  # the reference is rebuilt from the summary
    evidence = [t for t in map(os.path.normpath, r.evidence) if not t.startswith("..")]
    entry = {
        "k": list(key),
        "h": r.digest,
        "s": None if r.summary is None else _enc_summary(r.summary),
        "p": [_enc_problem(p) for p in r.problems if p.code not in VOLATILE_CODES],
        "r": None if r.ref is None or r.summary is not None else [r.ref.id, r.ref.unit],
        "t": None if r.latest is None else r.latest.toordinal(),
        "e": evidence,
    }
    if evidence and path:
        stamps = _folder_stamps(path, rel, evidence)
        if stamps is not None:
            entry["d"] = stamps
    return entry


def _decode_entry(raw: dict[str, Any], rel: str) -> HazardFile:
    summary = raw["s"]
    ref = raw["r"]
    latest = raw["t"]
    evidence = raw["e"]  # strings, or os.path.exists refuses them (TypeError)
    if type(evidence) is not list:
        raise _Bad
    problems = raw["p"]
    if summary is not None:
        hazard = _dec_summary(summary, rel)
        # A valid record's reference is its id and unit: not stored twice.
        reference: HazardRef | None = HazardRef(rel, hazard.id, hazard.responsible_unit)
    else:
        hazard = None
        reference = (
            None if ref is None else HazardRef(rel, _opt_str(_list(ref)[0]), _opt_str(ref[1]))
        )
    return HazardFile(
        hazard,
        [_dec_problem(p, rel) for p in _list(problems)] if problems else [],
        reference,
        _str(raw["h"]),
        None if latest is None else _date(latest),
        tuple(evidence),
    )


def _list(x: Any) -> list[Any]:
    if not isinstance(x, list):
        raise _Bad
    return x


def _str(x: Any) -> str:
    if not isinstance(x, str):
        raise _Bad
    return x


def _opt_str(x: Any) -> str | None:
    return None if x is None else _str(x)


def _bool(x: Any) -> bool:
    if not isinstance(x, bool):
        raise _Bad
    return x


def _int(x: Any) -> int:
    if not isinstance(x, int) or isinstance(x, bool):
        raise _Bad
    return x


def _date(x: Any) -> dt.date:
    return dt.date.fromordinal(_int(x))


def _d(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


def _enc_summary(s: HazardSummary) -> list[Any]:
    return [
        s.id,
        s.title,
        s.level,
        s.responsible_unit,
        _d(s.discovered_on),
        s.source,
        _d(s.deadline),
        s.enterprise,
        s.location,
        [
            [_d(c.rectified_on), _d(c.accepted_on), c.accepted, _d(c.closed_on), _d(c.ended_on)]
            for c in s.cycles
        ],
        [[v.level, v.by, _d(v.listed_on), _d(v.lifted_on)] for v in s.supervision],
        _d(s.reported_regulator_on),
        _d(s.reported_workers_on),
        list(s.former_ids),
        [[_d(f.on), _d(f.deadline), f.extension] for f in s.deadlines],
        _d(s.plan_complete_on),
        _d(s.withdrawn_on),
        None if s.funds is None else str(s.funds),
        list(s.plan_gaps),
        s.industry,
        s.broken,
        s.basis,
        s.enterprise_id,
        s.credit_code,
    ]


def _dec_summary(x: Any, rel: str) -> HazardSummary:
    """A stored summary, every field's type checked (inline: this runs 10,000 times).

    ``date.fromordinal`` refuses anything but an int in range; strings are checked with
    ``type(v) is str``; a wrong shape raises ``ValueError`` in the unpacking."""
    day = dt.date.fromordinal
    (
        id_,
        title,
        level,
        unit,
        discovered,
        source,
        deadline,
        enterprise,
        location,
        cycles,
        supervision,
        regulator,
        workers,
        former,
        deadlines,
        complete,
        withdrawn,
        funds,
        gaps,
        industry,
        broken,
        basis,
        enterprise_id,
        credit_code,
    ) = x
    if not (
        type(id_) is type(title) is type(level) is type(unit) is type(source) is str
        and (enterprise is None or type(enterprise) is str)
        and (location is None or type(location) is str)
        and (industry is None or type(industry) is str)
        and type(broken) is bool
        and (basis is None or type(basis) is str)
        and (enterprise_id is None or type(enterprise_id) is str)
        and (credit_code is None or type(credit_code) is str)
        and type(former) is type(gaps) is type(cycles) is type(supervision) is list
        and type(deadlines) is list
        and (funds is None or type(funds) is str)
    ):
        raise _Bad
    # Most records have no former ids and a whole 五落实: the loops are skipped.
    if former and not all(type(v) is str for v in former):
        raise _Bad
    if gaps and not all(type(v) is str for v in gaps):
        raise _Bad
    return HazardSummary(
        id_,
        rel,
        title,
        level,
        unit,
        day(discovered),
        source,
        None if deadline is None else day(deadline),
        enterprise,
        location,
        _dec_cycles(cycles),
        _dec_supervision(supervision) if supervision else (),
        None if regulator is None else day(regulator),
        None if workers is None else day(workers),
        tuple(former),
        _dec_deadlines(deadlines),
        None if complete is None else day(complete),
        None if withdrawn is None else day(withdrawn),
        None if funds is None else Decimal(funds),
        tuple(gaps),
        industry,
        broken,
        basis,
        enterprise_id,
        credit_code,
    )


def _day_or_none(v: Any) -> dt.date | None:
    return None if v is None else dt.date.fromordinal(v)


def _dec_cycles(cycles: list[Any]) -> tuple[CycleFacts, ...]:
    day = dt.date.fromordinal
    out = []
    for a, b, accepted, c, d in cycles:
        if type(accepted) is not bool:
            raise _Bad
        out.append(
            CycleFacts(
                None if a is None else day(a),
                None if b is None else day(b),
                accepted,
                None if c is None else day(c),
                None if d is None else day(d),
            )
        )
    return tuple(out)


def _dec_supervision(supervision: list[Any]) -> tuple[SupervisionFacts, ...]:
    out = []
    for lvl, by, listed, lifted in supervision:
        if type(lvl) is not str or type(by) is not str:
            raise _Bad
        out.append(SupervisionFacts(lvl, by, dt.date.fromordinal(listed), _day_or_none(lifted)))
    return tuple(out)


def _dec_deadlines(deadlines: list[Any]) -> tuple[DeadlineFact, ...]:
    day = dt.date.fromordinal
    out = []
    for on, to, extension in deadlines:
        if type(extension) is not bool:
            raise _Bad
        out.append(DeadlineFact(day(on), day(to), extension))
    return tuple(out)


def _enc_problem(p: Problem) -> list[Any]:
    return [p.line, p.column, p.code, p.template, _enc_params(p.params), p.severity]


def _dec_problem(x: Any, rel: str) -> Problem:
    line, column, code, template, params, severity = _list(x)
    if severity not in ("error", "warning"):
        raise _Bad
    return Problem(
        rel, _int(line), _int(column), _str(code), _str(template), _dec_params(params), severity
    )


def _enc_params(params: dict[str, Any]) -> dict[str, Any]:
    return {_key_str(k): _enc(v) for k, v in params.items()}


def _key_str(k: Any) -> str:
    if not isinstance(k, str):
        raise _Uncacheable
    return k


def _dec_params(x: Any) -> dict[str, Any]:
    if not isinstance(x, dict):
        raise _Bad
    return {_str(k): _dec(v) for k, v in x.items()}


def _enc(v: Any) -> Any:
    """A message parameter as JSON: plain values as they are, the others tagged."""
    if v is None or isinstance(v, (str, bool, int)):
        return v
    if isinstance(v, float):
        return {"f": repr(v)}
    if isinstance(v, dt.datetime):
        raise _Uncacheable
    if isinstance(v, dt.date):
        return {"d": v.toordinal()}
    if isinstance(v, Decimal):
        return {"D": str(v)}
    if isinstance(v, Coded):
        return {"C": [v.vocabulary, v.code]}
    if isinstance(v, Fragment):
        return {"F": [v.template, _enc_params(v.params)]}
    if isinstance(v, ListOf):
        return {"L": [[_enc(i) for i in v.items], v.quoted, v.empty]}
    if isinstance(v, Plural):
        return {"P": [v.singular, v.plural, v.n, _enc_params(v.params)]}
    if isinstance(v, tuple):
        return {"t": [_enc(i) for i in v]}
    if isinstance(v, list):
        return {"l": [_enc(i) for i in v]}
    raise _Uncacheable


def _dec(x: Any) -> Any:
    if x is None or isinstance(x, (str, bool, int)):
        return x
    if not isinstance(x, dict) or len(x) != 1:
        raise _Bad
    ((tag, body),) = x.items()
    if tag == "f":
        return float(_str(body))
    if tag == "d":
        return _date(body)
    if tag == "D":
        return Decimal(_str(body))
    if tag == "C":
        a, b = _list(body)
        return Coded(_str(a), _str(b))
    if tag == "F":
        a, b = _list(body)
        return Fragment(_str(a), _dec_params(b))
    if tag == "L":
        items, quoted, empty = _list(body)
        return ListOf([_dec(i) for i in _list(items)], _bool(quoted), _str(empty))
    if tag == "P":
        a, b, n, params = _list(body)
        return Plural(_str(a), _str(b), _int(n), _dec_params(params))
    if tag == "t":
        return tuple(_dec(i) for i in _list(body))
    if tag == "l":
        return [_dec(i) for i in _list(body)]
    raise _Bad
