"""The day view's cache: what a reading command computed from an unchanged plan on a day.

The per-file cache (``repo/cache.py``) spares reading the hazard files; what is left of a
warm ``status`` is working out every hazard's state on the day and building its row. When
the plan is exactly as it was, that work gives exactly what it gave last time, so the view
is kept beside the per-file cache (``overview.json``: one entry, the last view asked for)
under a key of everything it is computed from:

- the hash of the per-file cache's bytes, given only when the hazards are exactly what
  those bytes decode to (``Snapshot.hazards_vouched``): the cache served every hazard file
  as it stands, or this read rewrote it and proved that each file read again decodes back
  from its new entry as it was read (``repo/cache.py``). The bytes hold every file's size,
  mtime, ctime and inode, which no one can predict before the file is written, so a view
  planted in a town's clone never matches;
- the text of plan.yaml, units.yaml, tasks.yaml and plan/criteria.yaml (the plan's rules'
  settings are in plan.yaml), the day read against, the day of the view and its options;
- the count of errors (the only thing a view shows of the problems);
- safeplan's version and the state of the code that computes the view.

- with enterprise records, the hash of the enterprise files' cache, given the same way
  (``Snapshot.enterprises_token``);
The entry is written whole (a temporary file renamed over the old one) and, on reading,
anything that is not exactly this key followed by a view that validates is ignored: the
view is computed again and the entry rewritten. Deleting the folder is always safe.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safeplan.repo.cachefile import CacheWriter
from safeplan.repo.filestamp import code_stamp, digest
from safeplan.repo.layout import CACHE_DIR

if TYPE_CHECKING:  # a warm status reads a kept view without importing the snapshot
    from safeplan.repo.snapshot import Repository

VIEW_FILE = "overview.json"
#: Bumped when what an entry holds changes shape.
FORMAT = 1
#: The modules whose code decides a view (a development checkout's change forgets it).
_VIEW_MODULES = (
    "repo/viewcache.py",
    "repo/cache.py",
    "repo/cache_codec.py",
    "repo/snapshot.py",
    "models/views.py",
    "models/summary.py",
    "models/records.py",
    "status/__init__.py",
    "status/hazards.py",
    "status/tasks.py",
    "status/goals.py",
    "status/units.py",
    "views/overview.py",
    "views/rows.py",
    "views/rates.py",
    "views/selection.py",
    "views/enterprises.py",
    "models/enterprise_views.py",
    "models/enterprises.py",
    "status/enterprises.py",
    "repo/enterprise_cache.py",
    "repo/warm.py",
    "rules/cross.py",
    "rules/register.py",
    "vocab.py",
)


def view_key(repo: Repository, what: str, options: Sequence[str]) -> str | None:
    """The key of the view ``what`` of ``repo`` with ``options`` (the day, the unit…), or
    None when the plan's state cannot be vouched for cheaply (no cache, a file read again)."""
    basis = repo.view_basis()
    return None if basis is None else basis_key(basis, what, options)


def basis_key(basis: list[Any], what: str, options: Sequence[str]) -> str:
    """The key of the view ``what`` with ``options`` of a plan whose state is ``basis``
    (``repo.warm.view_basis``: from a Repository, or kept whole by ``repo/warm.py``)."""
    parts = [what, code_stamp(FORMAT, _VIEW_MODULES), *basis[:4], list(options), *basis[4:]]
    return digest(json.dumps(parts, ensure_ascii=False).encode("utf-8"))


def _path(root: Path) -> Path:
    return root / CACHE_DIR / VIEW_FILE


def read_view(root: Path, key: str) -> bytes | None:
    """The view kept under ``key`` (its JSON), or None."""
    try:
        with open(_path(root), "rb") as fh:
            head = fh.readline()
            if head.rstrip(b"\n") != key.encode("ascii"):
                return None
            return fh.read()
    except OSError:
        return None


def write_view(root: Path, key: str, body: bytes) -> None:
    """Keep ``body`` under ``key`` (the previous entry goes). A view that cannot be kept
    (a read-only checkout, a full disk) is skipped: the answer never depends on it."""
    writer = CacheWriter.open(root, VIEW_FILE)
    if writer is None:
        return
    try:
        writer.write(key.encode("ascii") + b"\n" + body)
    finally:
        writer.discard()
