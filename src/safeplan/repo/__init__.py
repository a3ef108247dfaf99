"""Reading a plan repository: its layout, one file at a time, and the whole as a Snapshot.

``layout``: where the files are, finding the root · ``listing``: what lies in
data/hazards/ · ``parse``: ONE file → record + problems · ``messages``: schema errors
in words · ``snapshot``: every file read into an immutable Snapshot, then checked
across files into a Repository.

The names below are importable from the package, each imported from its module only when
asked for (PEP 562): a warm ``validate`` answered by ``repo.warm`` must not import the
snapshot, its rules and the criteria catalog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from safeplan.lazy import lazy_names

if TYPE_CHECKING:
    from safeplan.repo.layout import (
        HAZARDS_DIR,
        PLAN_FILE,
        TASKS_FILE,
        UNITS_FILE,
        YAML_SUFFIXES,
        check_hazard_id,
        find_root,
        hazard_ids,
        hazard_path,
        resolve_hazard_id,
    )
    from safeplan.repo.snapshot import Repository, Snapshot, check, load, read_snapshot

_HOMES = {
    **dict.fromkeys(
        (
            "HAZARDS_DIR",
            "PLAN_FILE",
            "TASKS_FILE",
            "UNITS_FILE",
            "YAML_SUFFIXES",
            "check_hazard_id",
            "find_root",
            "hazard_ids",
            "hazard_path",
            "resolve_hazard_id",
        ),
        "layout",
    ),
    **dict.fromkeys(("Repository", "Snapshot", "check", "load", "read_snapshot"), "snapshot"),
}

__all__ = [
    "HAZARDS_DIR",
    "PLAN_FILE",
    "TASKS_FILE",
    "UNITS_FILE",
    "YAML_SUFFIXES",
    "Repository",
    "Snapshot",
    "check",
    "check_hazard_id",
    "find_root",
    "hazard_ids",
    "hazard_path",
    "load",
    "read_snapshot",
    "resolve_hazard_id",
]


__getattr__, __dir__ = lazy_names(__name__, _HOMES, __all__)
