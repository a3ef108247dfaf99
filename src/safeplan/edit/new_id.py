"""Giving a hazard a new id: its file, its id and every mention of it, in one edit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from safeplan.edit.context import (
    check_hazard_bytes,
    context,
    hazard_file,
    hazard_findings,
    invalid,
    load_hazard,
)
from safeplan.edit.hazards import HAZARD_ORDER
from safeplan.edit.transaction import EditResult, FileChange
from safeplan.errors import RefusedError, UsageError
from safeplan.models.fields import mention_pattern
from safeplan.models.records import TasksFile
from safeplan.problems import N_
from safeplan.repo import TASKS_FILE, check_hazard_id, hazard_ids
from safeplan.repo.parse import load_model, load_round_trip, parse_bytes
from safeplan.yamlio import rt_append


def renumber(root: Path, old_id: str, new_id: str, write: bool = True) -> EditResult:
    """Give a hazard a new id: rename its file, change its id and every mention of it.

    Mentions are replaced in the hazard's own text and in data/tasks.yaml; evidence
    paths that name an existing file are left alone (the file keeps its name).
    """
    path, rel = hazard_file(root, old_id)
    check_hazard_id(new_id)
    if new_id == old_id:
        raise UsageError(N_("the new id is the same as the old one: nothing to do"))
    check_id_free(root, new_id, but=old_id)
    ctx = context(root)
    hazard, text = load_hazard(path, rel)
    criteria = ctx.criteria
    before = hazard_findings(hazard, new_id, ctx.unit_names, criteria)
    rt = load_round_trip(path, rel, text)
    rt.data["id"] = new_id
    mentions = _replace_mentions(rt.data, old_id, new_id, root, skip=("id", "former_ids"))
    rt_append(rt.data, "former_ids", old_id, HAZARD_ORDER)
    new_path = path.with_name(f"{new_id}{path.suffix}")
    new_rel = new_path.relative_to(root).as_posix()
    new_bytes = rt.dump()
    check_hazard_bytes(new_bytes, new_rel, new_id, ctx.unit_names, before, criteria)
    changes = [
        FileChange(path, rel, rt.original, None),
        FileChange(new_path, new_rel, None, new_bytes),
    ]
    tasks_path = root / TASKS_FILE
    if tasks_path.is_file():
        _tasks_file, tasks_text = load_model(root, TASKS_FILE, TasksFile, strip=2)
        if old_id in tasks_text:
            trt = load_round_trip(tasks_path, TASKS_FILE.as_posix(), tasks_text)
            n = _replace_mentions(trt.data, old_id, new_id, root)
            if n:
                mentions += n
                tbytes = trt.dump()
                parsed = parse_bytes(tbytes, TASKS_FILE.as_posix(), TasksFile, 2)
                if parsed.record is None:
                    raise invalid(TASKS_FILE.as_posix(), parsed.problems)
                changes.append(FileChange(tasks_path, TASKS_FILE.as_posix(), trt.original, tbytes))
    said = {"path": rel, "new_path": new_rel, "mentions": mentions}
    done = ctx.change("renumbered", old=old_id, new=new_id, **said)
    return done.of_files(root, tuple(changes), new_id, write)


def _replace_mentions(node: Any, old: str, new: str, root: Path, skip: Sequence[str] = ()) -> int:
    """Replace whole mentions of ``old`` by ``new`` in every text value under ``node``, in place.

    Evidence paths that name an existing file are left alone (the file keeps its name).
    """
    pattern = mention_pattern(old)
    count = 0
    if isinstance(node, dict):
        items: Iterable[tuple[Any, Any]] = [(k, v) for k, v in node.items() if k not in skip]
    elif isinstance(node, list):
        items = list(enumerate(node))
    else:
        return 0
    for key, value in items:
        if isinstance(value, str):
            if _names_a_file(root, value):
                continue
            if value == old:
                node[key] = type(value)(new)
                count += 1
            elif pattern is not None and pattern.search(value):
                node[key] = type(value)(pattern.sub(new, value))
                count += 1
        else:
            count += _replace_mentions(value, old, new, root)
    return count


def _names_a_file(root: Path, value: str) -> bool:
    """Whether a text value is the path of a file in the plan (an evidence file keeps its name)."""
    if "\n" in value or len(value.encode("utf-8", "surrogateescape")) > 255:
        return False
    try:
        return (root / value).exists()
    except (OSError, ValueError):
        return False


def check_id_free(root: Path, hazard_id: str, but: str | None = None) -> None:
    """Refuse an id that another hazard has, also when the two differ only in case (a
    checkout on Windows or macOS would keep one file of the two)."""
    folded = hazard_id.casefold()
    for taken in hazard_ids(root):
        if taken == but:
            continue
        if taken == hazard_id:
            raise RefusedError(
                N_("a hazard with id {id} already exists: choose another id"), id=hazard_id
            )
        if taken.casefold() == folded:
            raise RefusedError(
                N_(
                    "a hazard with id {other} already exists, which differs from {id} only in "
                    "case: Windows and macOS would keep one file of the two; choose another id"
                ),
                id=hazard_id,
                other=taken,
            )
