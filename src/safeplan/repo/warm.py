"""The whole-plan entry: what reading and checking an unchanged plan gave, kept whole.

The per-file caches (``repo/cache.py``, ``repo/enterprise_cache.py``) spare parsing the
files; a warm read still rebuilt every hazard's summary from its entry and ran the rules
across files, to arrive at the same problems as last time. When every file is as it was,
this module answers without either: :func:`warm_plan` checks each entry's stamp against
the file as it is now (size, times, inode; the hash of the text within ``RACY_NS`` of the
cache's making; the day of the latest fact; the evidence it names), reading the entries
as JSON but rebuilding nothing, and then looks up the plan's problems under a key of
everything they are computed from:

- the hash of each per-file cache's bytes that vouches for every file (then the records
  are exactly what those bytes decode to: ``CacheRead.vouched``);
- the text of plan.yaml, units.yaml, tasks.yaml and plan/criteria.yaml (missing: said so);
- the day read against;
- safeplan's version and the size and mtime of every file of the package (a change to
  any rule forgets every entry).

What depends on more is looked at on every run or keeps an entry from being used: the
evidence files that tasks.yaml names (each must still exist, as when the entry was made),
an interrupted edit's journal, temporary files left beside the plan's files, anything in
data/hazards/ or data/enterprises/ that is not a record: with any of these the plan is
read in full. A file of one entry per key (``plan-<key>.json``, the newest few kept) is
written whole and renamed into place; anything unexpected in it is ignored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeplan import __version__
from safeplan.problems import Problem
from safeplan.repo.filestamp import (
    RACY_NS,
    digest,
    folders_unchanged,
    read_cache_json,
    rules_stamp,
)
from safeplan.repo.layout import (
    CACHE_DIR,
    ENTERPRISE_CACHE_FILE,
    HAZARD_CACHE_FILE,
    PLAN_FILE,
    TASKS_FILE,
    UNITS_FILE,
    outside_root,
)
from safeplan.yamlio import YamlProblem, read_text

#: Bumped when what an entry holds changes shape.
FORMAT = 1
#: The entries kept (one a day asked about, or a command's own day).
KEEP = 4
PREFIX = "plan-"
_CRITERIA = "plan/criteria.yaml"
_FIXED = (PLAN_FILE.as_posix(), UNITS_FILE.as_posix(), TASKS_FILE.as_posix(), _CRITERIA)


@dataclass(frozen=True)
class Warm:
    """An unchanged plan's answer, as the full read gave it: every problem (sorted), how
    many files were checked, and what a kept day view is keyed on (``repo/viewcache``)."""

    root: Path
    problems: tuple[Problem, ...]
    files_checked: int
    #: ``Repository.view_basis()`` of the read this stands for.
    view_basis: list[Any]
    #: Whether plan.yaml gave a plan (a roll-up counts no town without one).
    plan_read: bool = True

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


_PACKAGE_STAMP: list[str] = []


def package_stamp() -> str:
    """safeplan's version and the size and mtime of every file of the package: any change
    of code or shipped data (the 判定标准 catalog) forgets every whole-plan entry."""
    if not _PACKAGE_STAMP:
        base = Path(__file__).resolve().parent.parent
        parts = [str(FORMAT), __version__]
        for folder, dirs, names in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                try:
                    st = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                parts.append(f"{folder[len(str(base)) :]}/{name}:{st.st_size}.{st.st_mtime_ns}")
        _PACKAGE_STAMP.append(digest("\n".join(parts).encode("utf-8", "surrogateescape")))
    return _PACKAGE_STAMP[0]


# --------------------------------------------------------------------------- the key


def _fixed_texts(root: Path) -> list[list[str | None]] | None:
    """The fixed files' texts' hashes (None for a missing one), or None when one is not
    plainly readable inside the root (the full read says what is wrong)."""
    out: list[list[str | None]] = []
    for rel in _FIXED:
        path = root / rel
        if not path.is_file():
            if os.path.lexists(path):
                return None
            out.append([rel, None])
            continue
        if outside_root(root, rel) is not None:
            return None
        try:
            text = read_text(path)
        except (OSError, YamlProblem):
            return None
        out.append([rel, digest(text.encode("utf-8", "surrogatepass"))])
    return out


def _key(
    hazards: str, enterprises: str | None, today: dt.date | None, fixed: list[list[str | None]]
) -> str:
    parts = [
        package_stamp(),
        hazards,
        enterprises,
        None if today is None else today.isoformat(),
        fixed,
    ]
    return digest(json.dumps(parts, ensure_ascii=False).encode("utf-8"))


def _quiet(root: Path) -> bool:
    """Nothing lies about that the full read would report besides the records: no
    interrupted edit, no temporary file left, nothing in the record folders but records."""
    from safeplan.fsio import JOURNAL_NAME
    from safeplan.repo.listing import leftover_temporaries

    return not os.path.lexists(root / JOURNAL_NAME) and not leftover_temporaries(root)


# --------------------------------------------------------------------------- vouching


def _cache_bytes(root: Path, name: str) -> tuple[dict[str, Any], str] | None:
    try:
        data, token = read_cache_json(root / CACHE_DIR / name, keep=True)
    except (OSError, ValueError, RecursionError):
        return None
    if (
        not isinstance(data, dict)
        or data.get("stamp") != rules_stamp()
        or type(data.get("started")) is not int
        or not isinstance(data.get("files"), dict)
    ):
        return None
    return data, token


def _stat(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


#: One file as a vouch sees it: its path, its path in the plan, the cache's entry for it,
#: and its stat (as stored).
Found = tuple[str, str, dict[str, Any], list[int]]


def vouch_hazards(
    root: Path, entries: Sequence[tuple[str, str]], today: dt.date | None
) -> str | None:
    """The hash of the hazard cache when it would serve every file in ``entries`` as it
    stands (``repo.cache._serve``'s tests, on the stored JSON, no summary rebuilt); None
    when any file would be read again."""
    return _vouch(root, HAZARD_CACHE_FILE, entries, today, _hazard_serves)


def _hazard_serves(found: Found, started: int, day: int | None) -> bool:
    """A hazard file within ``RACY_NS`` of the cache's making still has the hashed text;
    its latest fact is not after the day; the evidence it names is where it was."""
    path, rel, raw, key = found
    if max(key[1], key[2]) + RACY_NS > started:
        try:
            if digest(read_text(path).encode("utf-8", "surrogatepass")) != raw.get("h"):
                return False
        except (OSError, YamlProblem):
            return False
    latest = raw.get("t")
    if latest is not None and (type(latest) is not int or (day is not None and latest > day)):
        return False
    evidence = raw.get("e")
    if type(evidence) is not list:
        return False
    if evidence:
        inside = path[: len(path) - len(rel)]
        if not folders_unchanged(raw.get("d"), inside, started):
            return all(type(t) is str and os.path.exists(inside + t) for t in evidence)
    return True


def vouch_enterprises(
    root: Path, entries: Sequence[tuple[str, str]], today: dt.date | None
) -> str | None:
    """The same of the enterprise files' cache (``repo.enterprise_cache``): its hash when it
    would serve every file, none of them within ``RACY_NS`` of its making, without a read."""
    return _vouch(root, ENTERPRISE_CACHE_FILE, entries, today, _enterprise_serves)


def _enterprise_serves(found: Found, started: int, day: int | None) -> bool:
    _, _, raw, key = found
    latest = raw.get("t")
    return (
        max(key[1], key[2]) + RACY_NS <= started
        and type(latest) is int
        and (day is None or latest <= day)
    )


def _vouch(
    root: Path,
    name: str,
    entries: Sequence[tuple[str, str]],
    today: dt.date | None,
    serves: Callable[[Found, int, int | None], bool],
) -> str | None:
    """The per-file cache ``name``'s hash when it holds exactly ``entries``, each stat as
    stored and each file one it ``serves`` (given when the cache was made, and ``today``
    as an ordinal); else None (a file would be read again)."""
    loaded = _cache_bytes(root, name)
    if loaded is None:
        return None
    data, token = loaded
    files = data["files"]
    if len(files) != len(entries):
        return None
    started: int = data["started"]
    day = None if today is None else today.toordinal()
    for path, rel in entries:
        raw = files.get(rel)
        if type(raw) is not dict:
            return None
        key = _stat(path)
        if key is None or raw.get("k") != key or not serves((path, rel, raw, key), started, day):
            return None
    return token


# --------------------------------------------------------------------------- the entry


def _file(root: Path, key: str) -> Path:
    return root / CACHE_DIR / f"{PREFIX}{key}.json"


def warm_plan(root: Path, today: dt.date | None) -> Warm | None:
    """The plan's problems as the full read would give them, when every file is as it was
    when they were kept (see the module); None: read the plan."""
    from safeplan.repo.listing import enterprise_entries, hazard_entries

    fixed = _fixed_texts(root)
    if fixed is None or not _quiet(root):
        return None
    entries, folder = hazard_entries(root)
    ents, ent_folder = enterprise_entries(root)
    if folder or ent_folder:
        return None
    hazards = vouch_hazards(root, entries, today) if entries else "no-hazard-files"
    if hazards is None:
        return None
    enterprises = None
    if ents:
        enterprises = vouch_enterprises(root, ents, today)
        if enterprises is None:
            return None
    key = _key(hazards, enterprises, today, fixed)
    try:
        with open(_file(root, key), "rb") as fh:
            data = json.load(fh)
        return _decode(root, data, key, today, hazards, enterprises)
    except (OSError, ValueError, RecursionError, TypeError, KeyError, IndexError):
        return None


def _decode(
    root: Path,
    data: Any,
    key: str,
    today: dt.date | None,
    hazards: str,
    enterprises: str | None,
) -> Warm | None:
    from safeplan.repo.problem_codec import _Bad, _dec_problem

    if type(data) is not dict or data.get("key") != key:
        return None
    evidence = data["task_evidence"]
    if type(evidence) is not list or any(type(e) is not str for e in evidence):
        return None
    inside = os.path.normpath(root) + os.sep
    for target in evidence:
        if not os.path.exists(inside + target):
            return None  # a file a task names is gone: the full read says where
    try:
        problems = tuple(_dec_problem(p[1:], _path_of(p)) for p in data["problems"])
    except _Bad:
        return None
    checked = data["files_checked"]
    basis = data["view"]
    plan_read = data["plan"]
    if (
        type(checked) is not int
        or type(basis) is not list
        or len(basis) != 4
        or type(plan_read) is not bool
    ):
        return None
    enterprise_paths, errors, units_read, texts = basis
    view_basis = [
        hazards,
        enterprises,
        enterprise_paths,
        None if today is None else today.isoformat(),
        errors,
        units_read,
        texts,
    ]
    return Warm(root, problems, checked, view_basis, plan_read)


def _path_of(p: Any) -> str:
    if type(p) is not list or not p or type(p[0]) is not str:
        raise ValueError("not a stored problem")
    path: str = p[0]
    return path


def view_basis(
    hazards: str | None,
    enterprises: str | None,
    has_enterprises: bool,
    enterprise_paths: Sequence[str],
    today: dt.date | None,
    errors: int,
    units_read: bool,
    texts: dict[str, str],
) -> list[Any] | None:
    """What a day view of the plan is computed from, besides the view's own options
    (``repo/viewcache.view_key``); None when the records cannot be vouched for."""
    if hazards is None or (has_enterprises and enterprises is None):
        return None
    return [
        hazards,
        enterprises if has_enterprises else None,
        list(enterprise_paths),
        None if today is None else today.isoformat(),
        errors,
        units_read,
        sorted([rel, digest(text.encode("utf-8", "surrogatepass"))] for rel, text in texts.items()),
    ]


def keep_plan(
    root: Path,
    basis: list[Any] | None,
    today: dt.date | None,
    texts: dict[str, str],
    task_evidence: Sequence[str],
    problems: Sequence[Problem],
    files_checked: int,
    plan_read: bool,
) -> None:
    """Keep what the full read of an unchanged plan gave (``load`` calls this when the
    caches vouch for every record; ``basis``: :func:`view_basis` with the hazard cache's
    vouching hash). ``texts``: the fixed files' texts the read used; a file whose text is
    not that any more, or anything :func:`warm_plan` would refuse, keeps nothing."""
    from safeplan.repo.parse import missing_evidence, names_file
    from safeplan.repo.problem_codec import _enc_problem, _Uncacheable

    if basis is None:
        return
    fixed = _fixed_texts(root)
    if fixed is None or not _quiet(root):
        return
    for rel, hashed in fixed:
        assert rel is not None
        text = texts.get(rel)
        if (text is None) != (hashed is None):
            return  # read, but not as its text (or not read): the full read decides
        if text is not None and digest(text.encode("utf-8", "surrogatepass")) != hashed:
            return  # changed since it was read
    if missing_evidence([((), e) for e in task_evidence], str(root)):
        return
    # What missing_evidence looked at (the files named, inside the root), as the hazard
    # cache keeps a record's: looked at again on every warm run, without the parser.
    inside = os.path.normpath(root) + os.sep
    targets = sorted(
        {
            target[len(inside) :]
            for target in (os.path.normpath(inside + e) for e in task_evidence if names_file(e))
            if target.startswith(inside)
        }
    )
    key = _key(basis[0], basis[1], today, fixed)
    path = _file(root, key)
    if path.exists():
        return
    try:
        stored = [[p.path, *_enc_problem(p)] for p in problems]
    except _Uncacheable:
        return
    body = {
        "key": key,
        "files_checked": files_checked,
        "plan": plan_read,
        "task_evidence": targets,
        "problems": stored,
        # enterprise paths, errors, units read, the fixed texts' hashes (viewcache)
        "view": [basis[2], basis[4], basis[5], basis[6]],
    }
    _write(root, path, json.dumps(body, ensure_ascii=False, separators=(",", ":")))


def _write(root: Path, path: Path, text: str) -> None:
    """Written whole and renamed into place (``CacheWriter``); the oldest entries beyond
    ``KEEP`` go. A cache that cannot be written is skipped: the answer never depends on it."""
    from safeplan.repo.cachefile import CacheWriter

    writer = CacheWriter.open(root, path.name)
    if writer is None:
        return
    try:
        if writer.write(text.encode("utf-8")) is None:
            return
        kept = []
        with os.scandir(root / CACHE_DIR) as it:
            for entry in it:
                if entry.name.startswith(PREFIX) and entry.name.endswith(".json"):
                    kept.append((entry.stat().st_mtime_ns, entry.path))
        for _, old in sorted(kept, reverse=True)[KEEP:]:
            with contextlib.suppress(OSError):
                os.unlink(old)
    except OSError:
        pass
    finally:
        writer.discard()
