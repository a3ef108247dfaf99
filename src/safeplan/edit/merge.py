"""The git merge driver of hazard files and ``data/tasks.yaml``: both sides' facts, in date order.

Two officers add a note to one hazard on two branches, or one records 双报告 while the
other adds a note: git sees two edits of the same lines and stops. But facts are dated
and only ever appended, so such a conflict has one right answer — every fact of both
sides, in date order. ``merge`` works on the parsed YAML (ruamel round-trip, our side's
document kept, so its comments and key order survive) and leaves a conflict only where
the two sides contradict each other: one field given two different values (two
rectification dates, two titles), or a fact removed on one side and changed on the other.

A conflict is written as git writes one — the lines of each side between ``<<<<<<<``,
``=======`` and ``>>>>>>>`` — around the contradicting lines only, everything else merged;
the markers carry ``(safeplan)`` so that ``validate`` can say where they came from
(``yamlio.conflict``). ``git-setup`` (``configure``) tells git to use the driver.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safeplan import yamlio
from safeplan.errors import UsageError
from safeplan.problems import N_
from safeplan.yamlio.conflict import MARK_OURS, MARK_SPLIT, MARK_THEIRS

#: The driver's name in .gitattributes and .git/config.
DRIVER = "safeplan"
#: What git runs: %O the common ancestor, %A ours (the result goes there), %B theirs,
#: %P the file's path in the repository.
DRIVER_COMMAND = "safeplan merge-file %O %A %B %P"
DRIVER_NAME = "safeplan: facts of both branches, in date order"
#: The files the driver merges (patterns of .gitattributes, from the plan root).
PATTERNS = ("data/hazards/*.yaml", "data/hazards/*.yml", "data/tasks.yaml")
ATTRIBUTES_HEAD = (
    "# safeplan merges the facts two branches added to one hazard or to the tasks "
    "(safeplan git-setup)"
)

_MISSING: Any = object()


@dataclass
class Merged:
    """The merged file's bytes, and the contradictions left in it as conflict markers."""

    data: bytes
    conflicts: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


@dataclass
class _Conflict:
    path: tuple[Any, ...]
    theirs: Any


def merge_files(base: Path, ours: Path, theirs: Path, root: Path) -> Merged:
    """Merge three versions of one file (``base`` may be empty: added on both sides).

    A version that is not YAML safeplan reads (a side that still holds markers, a file
    broken by hand) is merged as git merges text (``git merge-file``, in ``root``)."""
    try:
        a = yamlio.rt_load(ours)
        b = yamlio.rt_load(theirs)
        o = yamlio.rt_load(base).data if base.stat().st_size else None
    except yamlio.YamlProblem:
        return _as_text(base, ours, theirs, root)
    conflicts: list[_Conflict] = []
    a.data = _merge(o, a.data, b.data, (), conflicts)
    ours_text = a.dump()
    if not conflicts:
        return Merged(ours_text)
    for c in conflicts:
        if c.path:
            _put(a.data, c.path, c.theirs)
        else:  # the documents themselves differ in kind: theirs whole against ours
            a.data = c.theirs
    theirs_text = a.dump()
    names = [".".join(str(k) for k in c.path) or "(the whole file)" for c in conflicts]
    return Merged(_marked(ours_text, theirs_text), names)


def _as_text(base: Path, ours: Path, theirs: Path, root: Path) -> Merged:
    from safeplan.repo.git import Git

    labels = ("-L", "ours", "-L", "base", "-L", "theirs")  # git's markers: not safeplan's
    args = ("merge-file", "-p", *labels, str(ours), str(base), str(theirs))
    done = Git(root, "merge-file").run(*args, check=False)
    if done.returncode > 127:  # git's own failure, not a count of conflicts
        from safeplan.repo.git import GitFailed

        raise GitFailed("merge-file", "merge-file", done.message)
    return Merged(done.stdout, ["(the whole file, merged as text)"] if done.returncode else [])


def _date_of(item: Any) -> dt.date | None:
    """The day a fact happened: its first date (``on``, ``listed_on`` …)."""
    if isinstance(item, dt.date):
        return item
    if isinstance(item, Mapping):
        for key in ("on", "listed_on", "regulator_on", "workers_on"):
            value = item.get(key)
            if isinstance(value, dt.date):
                return value
        for value in item.values():
            if isinstance(value, dt.date):
                return value
    return None


def _merge(base: Any, ours: Any, theirs: Any, path: tuple[Any, ...], out: list[_Conflict]) -> Any:
    """``ours`` with ``theirs``' changes since ``base`` (``ours`` changed in place)."""
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    if isinstance(ours, Mapping) and isinstance(theirs, Mapping):
        return _merge_maps(base if isinstance(base, Mapping) else {}, ours, theirs, path, out)
    if isinstance(ours, list) and isinstance(theirs, list):
        merged = _merge_lists(base if isinstance(base, list) else [], ours, theirs, path, out)
        if merged is not None:
            return merged
    out.append(_Conflict(path, theirs))
    return ours


def _merge_maps(
    base: Mapping[Any, Any], ours: Any, theirs: Mapping[Any, Any], path: tuple[Any, ...],
    out: list[_Conflict],
) -> Any:  # fmt: skip
    previous: Any = None
    for key, value in theirs.items():
        if key in ours:
            merged = _merge(base.get(key, _MISSING), ours[key], value, (*path, key), out)
            if merged is not ours[key]:
                ours[key] = merged
        elif key not in base:  # added on their side: after the key it follows there
            at = list(ours).index(previous) + 1 if previous in ours else len(ours)
            ours.insert(at, key, value) if hasattr(ours, "insert") else ours.__setitem__(key, value)
        elif base[key] != value:  # removed on our side, changed on theirs
            out.append(_Conflict((*path, key), value))
        previous = key
    for key in [k for k in ours if k not in theirs and k in base]:
        if ours[key] == base[key]:  # removed on their side, unchanged on ours
            del ours[key]
        else:
            out.append(_Conflict((*path, key), _MISSING))
    return ours


def _merge_lists(
    base: Sequence[Any], ours: Any, theirs: Sequence[Any], path: tuple[Any, ...],
    out: list[_Conflict],
) -> Any:  # fmt: skip
    """Facts appended on both sides, in date order (each once); None when a side changed
    or removed a fact of the base instead (then element by element if the lengths agree)."""
    keyed = _keyed(base, ours, theirs)
    if keyed:
        return _merge_keyed(base, ours, theirs, path, out)
    n = len(base)
    if list(ours[:n]) == list(base) and list(theirs[:n]) == list(base):
        added = list(ours[n:])
        added += [item for item in theirs[n:] if item not in added]
        dated = [_date_of(item) for item in added]
        if all(d is not None for d in dated):
            order = sorted(range(len(added)), key=lambda i: (dated[i], i))
            added = [added[i] for i in order]
        del ours[n:]
        ours.extend(added)
        return ours
    if len(ours) == len(theirs) == n:
        for i in range(n):
            merged = _merge(base[i], ours[i], theirs[i], (*path, i), out)
            if merged is not ours[i]:
                ours[i] = merged
        return ours
    return None


def _identity(item: Any) -> Any:
    """What names an entry of a list of records (a task's number)."""
    return item.get("number", _MISSING) if isinstance(item, Mapping) else _MISSING


def _keyed(*lists: Sequence[Any]) -> bool:
    """Whether every entry of the lists is a record named by a number, each once a list."""
    for items in lists:
        names = [_identity(item) for item in items]
        if not items or _MISSING in names or len(set(map(repr, names))) != len(names):
            return False
    return True


def _merge_keyed(
    base: Sequence[Any], ours: Any, theirs: Sequence[Any], path: tuple[Any, ...],
    out: list[_Conflict],
) -> Any:  # fmt: skip
    """Records merged by their number: a task added on one side, progress on the other."""
    old = {repr(_identity(item)): item for item in base}
    mine = {repr(_identity(item)): i for i, item in enumerate(ours)}
    for item in theirs:
        name = repr(_identity(item))
        if name in mine:
            i = mine[name]
            merged = _merge(old.get(name, _MISSING), ours[i], item, (*path, i), out)
            if merged is not ours[i]:
                ours[i] = merged
        elif name not in old:
            ours.append(item)
        elif old[name] != item:  # removed on our side, changed on theirs
            out.append(_Conflict(path, theirs))
            return ours
    gone = [i for name, i in mine.items() if name in old and name not in
            {repr(_identity(t)) for t in theirs}]  # fmt: skip
    for i in sorted(gone, reverse=True):
        if ours[i] == old[repr(_identity(ours[i]))]:
            del ours[i]
        else:
            out.append(_Conflict(path, theirs))
            return ours
    return ours


def _put(data: Any, path: tuple[Any, ...], value: Any) -> None:
    """Set (or, for _MISSING, remove) the value at ``path``."""
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if value is _MISSING:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value


def _marked(ours: bytes, theirs: bytes) -> bytes:
    """The two versions as one text, the lines where they differ between markers."""
    a = ours.decode("utf-8").splitlines(keepends=True)
    b = theirs.decode("utf-8").splitlines(keepends=True)
    newline = "\r\n" if a and a[0].endswith("\r\n") else "\n"
    lines: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines += a[i1:i2]
            continue
        lines += [MARK_OURS + newline, *a[i1:i2], MARK_SPLIT + newline]
        lines += [*b[j1:j2], MARK_THEIRS + newline]
    return "".join(lines).encode("utf-8")


# ------------------------------------------------------------------------- set-up


def attributes(current: str) -> str:
    """.gitattributes with the driver's lines added (those already there kept)."""
    have = {line.split("#")[0].strip() for line in current.splitlines()}
    missing = [f"{p} merge={DRIVER}" for p in PATTERNS if f"{p} merge={DRIVER}" not in have]
    if not missing:
        return current
    head = current if not current or current.endswith("\n") else current + "\n"
    if head:
        head += "\n"
    return head + "\n".join([ATTRIBUTES_HEAD, *missing]) + "\n"


def configure(root: Path, context: str) -> None:
    """Tell the repository's git how to run the driver (.git/config: not versioned, so each
    clone runs this once; ``init`` does it for the repository it makes)."""
    from safeplan.repo.git import Git

    git = Git(root, context)
    if git.toplevel() is None:
        raise UsageError(
            N_("{context}: {root} is not inside a git repository (run 'git init' there)"),
            context=context,
            root=str(root),
        )
    git.run("config", f"merge.{DRIVER}.name", DRIVER_NAME)
    git.run("config", f"merge.{DRIVER}.driver", DRIVER_COMMAND)
