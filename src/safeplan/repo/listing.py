"""Which files in data/hazards/ are hazard records, and what else lies there."""

from __future__ import annotations

import os
import re
from pathlib import Path

from safeplan.fsio import TEMP_RE
from safeplan.problems import N_, Problem
from safeplan.repo.layout import (
    EDITED_FOLDERS,
    ENTERPRISES_DIR,
    HAZARDS_DIR,
    YAML_SUFFIXES,
    outside_root,
)
from safeplan.rules.hints import OUTSIDE_ROOT

_MISNAMED = re.compile(r"^(?P<stem>[^/]+?)\.(?:ya?ml)(?:\.[A-Za-z0-9]+)*$", re.IGNORECASE)


def _not_yaml(rel: str, name: str, names: set[str]) -> Problem:
    """A file in data/hazards/ that is not read: an error if it looks like a misnamed record.

    Notepad saves 'HZ-….yaml.txt', some tools write '.YAML': such a hazard would silently
    drop out of the register, so it blocks; anything else (a photo, notes) only warns.
    """
    m = _MISNAMED.match(name)
    if m and m.group("stem") + ".yaml" in names:
        return Problem(
            rel,
            1,
            1,
            "copy",
            N_("a copy of {name} (a backup or a merge leftover?): not read; remove it"),
            {"name": m.group("stem") + ".yaml"},
            severity="warning",
        )
    if m:
        return Problem(
            rel,
            1,
            1,
            "misnamed",
            N_(
                "looks like a hazard record but is not named .yaml, so it is not read: rename it to {name}"
            ),
            {"name": m.group("stem") + ".yaml"},
        )
    return Problem(
        rel,
        1,
        1,
        "not-yaml",
        N_(
            "not a YAML file (.yaml): skipped; if it is a hazard record, rename it to end in "
            ".yaml, otherwise move it out of data/hazards/"
        ),
        severity="warning",
    )


def _leftover(rel: str, name: str) -> Problem:
    return Problem(
        rel,
        1,
        1,
        "leftover-temporary",
        N_(
            "a temporary file left by an interrupted write of {name}: {name} itself is as it "
            "was before that write; delete this file (the next edit of {name} removes it)"
        ),
        {"name": name},
        severity="warning",
    )


def leftover_temporaries(root: Path) -> list[Problem]:
    """Temporary files an interrupted write left beside the plan's other files (those in
    data/hazards/ are named by ``hazard_entries``)."""
    found: list[Problem] = []
    for folder in EDITED_FOLDERS:
        if folder in (HAZARDS_DIR.as_posix(), ENTERPRISES_DIR.as_posix()):
            continue
        try:
            names = sorted(os.listdir(root / folder))
        except OSError:
            continue
        for name in names:
            left = TEMP_RE.match(name)
            if left is not None:
                found.append(_leftover(f"{folder}/{name}" if folder else name, left["name"]))
    return found


def hazard_entries(root: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """The hazard files to load (path, relative name) and problems with the folder itself.

    Paths stay text: 10,000 Path objects cost a quarter of a second.
    """
    rel_folder = HAZARDS_DIR.as_posix()
    listed = _list_folder(root)
    if isinstance(listed, Problem):
        return [], [listed]
    if listed is None:
        return [], []
    return _records(root, rel_folder, listed)


def _list_folder(root: Path) -> list[os.DirEntry[str]] | Problem | None:
    """The entries of data/hazards/ by name, the problem with the folder, or None if absent."""
    folder = root / HAZARDS_DIR
    rel_folder = HAZARDS_DIR.as_posix()
    if not folder.is_dir():
        if folder.exists() or folder.is_symlink():
            return Problem(
                rel_folder,
                1,
                1,
                "not-a-folder",
                N_("{path} must be a folder of hazard files: move this file away"),
                {"path": rel_folder},
            )
        return None
    real_folder = outside_root(root, rel_folder)
    if real_folder is not None:
        return Problem(
            rel_folder, 1, 1, "symlink-outside", OUTSIDE_ROOT, {"target": str(real_folder)}
        )
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError as exc:
        return Problem(
            rel_folder,
            1,
            1,
            "unlistable",
            N_(
                "cannot list the hazard files ({reason}): let safeplan read the folder "
                "(chmod u+rx {path})"
            ),
            {"reason": exc.strerror or str(exc), "path": rel_folder},
        )


def _not_a_record(
    entry: os.DirEntry[str], rel: str, names: set[str], real_root: Path
) -> Problem | None:
    """Why an entry of data/hazards/ is not read as a hazard record (None: it is one)."""
    if not entry.name.endswith(YAML_SUFFIXES):
        return _not_yaml(rel, entry.name, names)
    if entry.is_symlink():
        try:
            target = Path(entry.path).resolve(strict=True)
        except (OSError, RuntimeError):
            return Problem(rel, 1, 1, "bad-symlink", N_("broken symbolic link: remove it"))
        if not target.is_relative_to(real_root):
            return Problem(rel, 1, 1, "symlink-outside", OUTSIDE_ROOT, {"target": str(target)})
    if not entry.is_file():
        return Problem(
            rel, 1, 1, "not-a-file", N_("not a regular file: skipped"), severity="warning"
        )
    return None


def enterprise_entries(root: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """The enterprise files to load (path, relative name), and what else lies beside them:
    the same rules as data/hazards/ (a file not named .yaml is said, a link out refused)."""
    rel_folder = ENTERPRISES_DIR.as_posix()
    folder = root / ENTERPRISES_DIR
    if not folder.is_dir():
        return [], []
    real = outside_root(root, rel_folder)
    if real is not None:
        return [], [
            Problem(rel_folder, 1, 1, "symlink-outside", OUTSIDE_ROOT, {"target": str(real)})
        ]
    try:
        with os.scandir(folder) as it:
            listed = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        return [], [
            Problem(
                rel_folder,
                1,
                1,
                "unlistable",
                N_("cannot list the files of {path} ({reason}): let safeplan read the folder"),
                {"reason": exc.strerror or str(exc), "path": rel_folder},
            )
        ]
    return _records(root, rel_folder, listed)


def _records(
    root: Path, rel_folder: str, listed: list[os.DirEntry[str]]
) -> tuple[list[tuple[str, str]], list[Problem]]:
    """The entries of a record folder read as records, and why the others are not: one rule
    for data/hazards/ and data/enterprises/."""
    out: list[tuple[str, str]] = []
    problems: list[Problem] = []
    names = {e.name for e in listed}
    real_root = root.resolve()
    for entry in listed:
        rel = f"{rel_folder}/{entry.name}"
        if entry.name.startswith("."):  # hidden: said only if a write left it behind
            left = TEMP_RE.match(entry.name)
            if left is not None:
                problems.append(_leftover(rel, left["name"]))
            continue
        problem = _not_a_record(entry, rel, names, real_root)
        if problem is None:
            out.append((entry.path, rel))
        else:
            problems.append(problem)
    return out, problems
