"""Where a plan repository keeps its files, and finding its root."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from safeplan.errors import RefusedError, UsageError
from safeplan.problems import N_

PLAN_FILE = Path("plan/plan.yaml")
UNITS_FILE = Path("data/units.yaml")
TASKS_FILE = Path("data/tasks.yaml")
HAZARDS_DIR = Path("data/hazards")
ENTERPRISES_DIR = Path("data/enterprises")
YAML_SUFFIXES = (".yaml", ".yml")
#: The per-file caches' folder in the plan root (the .gitignore ``init`` writes names it).
CACHE_DIR = ".safeplan-cache"
#: The hazard files' cache in it (``repo/cache.py``).
HAZARD_CACHE_FILE = "hazards.json"
#: The enterprise files' cache in it (``repo/enterprise_cache.py``).
ENTERPRISE_CACHE_FILE = "enterprises.json"
#: The folders edits write in (from the root): where an interrupted write may have left a
#: temporary file (``.tasks.yaml.x1y2z3.tmp``) for ``validate`` to name and the next edit
#: or ``recover`` to remove.
EDITED_FOLDERS = ("", "plan", "data", HAZARDS_DIR.as_posix(), ENTERPRISES_DIR.as_posix())


def find_root(start: Path, override: Path | None = None) -> Path:
    """The plan root: ``override`` if given, else the nearest ancestor with plan/plan.yaml."""
    try:
        return _find_root(start, override)
    except OSError as exc:  # a name too long, a folder that cannot be read
        raise UsageError(
            N_("cannot use {root} as the plan root: {reason}"),
            root=str(override if override is not None else start),
            reason=exc.strerror or str(exc),
        ) from None


def nearest_holding(start: Path, name: str | Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds the file ``name`` (a plan's root
    holds plan/plan.yaml, a county's county.yaml), or None."""
    for folder in (start, *start.parents):
        if (folder / name).is_file():
            return folder
    return None


def _find_root(start: Path, override: Path | None) -> Path:
    if override is not None:
        root = override.expanduser().resolve()
        if not (root / PLAN_FILE).is_file():
            raise UsageError(
                N_(
                    "{root} is not a plan root: it has no plan/plan.yaml (see the README for the files)"
                ),
                root=str(root),
            )
        return root
    here = start.resolve()
    found = nearest_holding(here, PLAN_FILE)
    if found is not None:
        return found
    raise UsageError(
        N_(
            "no plan found: neither {start} nor a folder above it has plan/plan.yaml; "
            "go to the plan's folder, or use --root or SAFEPLAN_ROOT"
        ),
        start=str(here),
    )


def check_hazard_id(hazard_id: str) -> str:
    """Refuse ids that are not safe as file names on every system (``../../etc/passwd``,
    ``CON``, ``HZ-1.``) — the id is the file name."""
    from safeplan.models.fields import HAZARD_ID_RE, WINDOWS_RESERVED_RE  # the models' own

    if not HAZARD_ID_RE.fullmatch(hazard_id):
        raise UsageError(
            N_(
                "'{id}' is not a hazard id: ids use letters, digits, '.', '_' and '-', "
                "start with a letter or digit and do not end with '.'"
            ),
            id=hazard_id,
        )
    if WINDOWS_RESERVED_RE.match(hazard_id):
        raise UsageError(
            N_(
                "'{id}' cannot be a hazard id: Windows reserves the name for a device, so "
                "the file could not be checked out there; choose another id"
            ),
            id=hazard_id,
        )
    return hazard_id


def outside_root(root: Path, rel: str) -> Path | None:
    """Where a file of the plan really is when symbolic links (the file's, or a folder's on
    the way, ``data/hazards`` among them) lead outside the plan root; None when inside.

    The one rule for every read and write of the plan's files: ``validate`` reports such a
    file or folder, ``hazard show`` does not read it, and no edit writes through it. A
    pull request must not be able to make safeplan read or overwrite a file elsewhere.
    """
    try:
        real = (root / rel).resolve()
        return None if real.is_relative_to(root.resolve()) else real
    except (OSError, RuntimeError):  # a loop of links: not inside, as far as anyone can tell
        return root / rel


def confine(root: Path, rel: str) -> None:
    """Refuse to read or write ``rel`` when it leads outside the plan root (``outside_root``)."""
    real = outside_root(root, rel)
    if real is not None:
        raise RefusedError(
            N_(
                "{path} leads through a symbolic link to {target}, outside the plan root: "
                "safeplan neither reads nor writes it; copy the file into the plan instead"
            ),
            path=rel,
            target=str(real),
        )


def confine_all(root: Path, rels: Sequence[str]) -> None:
    """``confine`` for each of many files, each folder resolved once: an edit of 5,000 new
    files resolved the plan root and its hazards folder 10,000 times. A file that is
    itself a symbolic link (or named ``.``/``..``) is resolved in full, as ``confine`` does."""
    top: Path | None = None
    inside: dict[Path, bool] = {}
    for rel in rels:
        path = root / rel
        if path.name in ("", ".", "..") or path.is_symlink():
            confine(root, rel)
            continue
        folder = path.parent
        ok = inside.get(folder)
        if ok is None:
            try:
                top = top or root.resolve()
                ok = folder.resolve().is_relative_to(top)
            except (OSError, RuntimeError):
                ok = False
            inside[folder] = ok
        if not ok:
            confine(root, rel)  # says where it leads


def hazard_path(root: Path, hazard_id: str) -> Path:
    """The file of a hazard id (``.yaml``, or ``.yml`` when that is what exists)."""
    check_hazard_id(hazard_id)
    for suffix in YAML_SUFFIXES:
        path = root / HAZARDS_DIR / f"{hazard_id}{suffix}"
        if path.exists():
            return path
    return root / HAZARDS_DIR / f"{hazard_id}.yaml"


def hazard_ids(root: Path) -> list[str]:
    """The ids of the hazard files present, by file name (for 'closest' hints and new ids)."""
    folder = root / HAZARDS_DIR
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(
        os.path.splitext(n)[0] for n in names if n.endswith(YAML_SUFFIXES) and not n.startswith(".")
    )


def _file_exists(root: Path, hazard_id: str) -> bool:
    folder = f"{root}{os.sep}{HAZARDS_DIR}{os.sep}"
    return any(os.path.lexists(f"{folder}{hazard_id}{suffix}") for suffix in YAML_SUFFIXES)


def exact_hazard_id(root: Path, text: str) -> bool:
    """Whether ``text`` is the id of a hazard file, by that file's existence alone.

    A stat or two, not a listing of the folder (100,000 names). The id written in other
    case must not exist too: on a case-insensitive disk (Windows, macOS) it always does,
    so there the answer comes from the listing, which knows the file's real name."""
    if not text or text.startswith(".") or "/" in text or os.sep in text or "\0" in text:
        return False
    if not _file_exists(root, text):
        return False
    other = text.swapcase()
    return other == text or not _file_exists(root, other)


class TakenIds:
    """The ids taken, asked one at a time by the existence of their file (for ``hazard
    new``'s candidates): any case of the id counts, as a checkout on Windows would keep
    one file of two that differ only in case."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __contains__(self, hazard_id: object) -> bool:
        if not isinstance(hazard_id, str) or not hazard_id or "/" in hazard_id:
            return False
        variants = {hazard_id, hazard_id.upper(), hazard_id.lower()}
        return any(_file_exists(self.root, v) for v in variants)


def not_a_file(path: Path, rel: str) -> UsageError | None:
    """What stands where a hazard's file should be, when it is not a file (a folder, a pipe)."""
    import stat

    try:
        mode = path.lstat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        return None
    kind = N_("a folder") if stat.S_ISDIR(mode) else N_("a pipe, socket or device")
    from safeplan.problems import Fragment

    return UsageError(
        N_("{path} is {kind}, not a hazard's record: move it out of data/hazards/"),
        path=rel,
        kind=Fragment(kind),
    )


#: Dashes an input method or a word processor may put in an id: all read as '-'.
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―－﹣−"})


def resolve_hazard_id(root: Path, typed: str) -> str:
    """The hazard id a person meant: the id itself, or in lower case, with full-width
    characters or dashes, or only its end (``A7K2``, ``20240315-A7K2``) when that names
    one hazard. Several matches: a usage error listing them."""
    import unicodedata

    from safeplan.problems import ListOf

    text = unicodedata.normalize("NFKC", typed).strip().translate(_DASHES)
    if exact_hazard_id(root, text):
        return text
    ids = hazard_ids(root)
    if text in ids:
        return text
    wanted = text.upper()
    exact = [i for i in ids if i.upper() == wanted]
    if len(exact) == 1:
        return exact[0]
    matches = exact or [
        i for i in ids if i.upper().endswith(wanted) and i.upper()[: -len(wanted)].endswith("-")
    ]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise UsageError(
            N_("'{typed}' matches {n} hazards: {ids}; type more of the id"),
            typed=typed,
            n=len(matches),
            ids=ListOf(matches[:10]),
        )
    return text
