"""Checking the working tree against a base revision: no record deleted, no fact removed."""

from __future__ import annotations

from pathlib import Path

from safeplan.models.records import Hazard, TasksFile
from safeplan.problems import N_, Problem
from safeplan.repo import git
from safeplan.repo.layout import HAZARDS_DIR, TASKS_FILE
from safeplan.repo.parse import file_stem, located, parse_file, parse_text
from safeplan.repo.snapshot import Repository
from safeplan.rules.history import lost_hazard_facts, lost_task_facts
from safeplan.yamlio import YamlProblem, decode


def _base_record(data: bytes, rel: str, model: type[Hazard] | type[TasksFile]) -> object:
    try:
        text = decode(data)
    except YamlProblem:
        return None
    return parse_text(text, rel, model, 2 if model is TasksFile else 0).record


def against_base(repo: Repository, ref: str | None) -> tuple[list[Problem], git.Unavailable | None]:
    """Problems of records deleted or facts removed since ``ref``; or why it was not checked."""
    found = git.compare(repo.root, ref)
    if isinstance(found, git.Unavailable):
        return [], found
    renamed = {old for h in repo.hazards for old in h.former_ids}
    out: list[Problem] = []
    hazards_prefix = HAZARDS_DIR.as_posix() + "/"
    for base in found.files:
        if base.rel.startswith(hazards_prefix) and base.rel.endswith((".yaml", ".yml")):
            out += _hazard(repo.root, base, found.ref, renamed)
        elif base.rel == TASKS_FILE.as_posix() and base.status == "M":
            out += _tasks(repo, base, found.ref)
    return out, None


def _hazard(root: Path, base: git.BaseFile, ref: str, renamed: set[str]) -> list[Problem]:
    record = _base_record(base.data, base.rel, Hazard)
    hazard_id = record.id if isinstance(record, Hazard) else file_stem(base.rel)
    if base.status == "D":
        if hazard_id in renamed:
            return []
        return [
            Problem(
                base.rel,
                1,
                1,
                "record-deleted",
                N_(
                    "hazard {id} is in {ref} but its file is gone: a hazard's record is never "
                    "deleted; put it back (git checkout {ref} -- {path}), then withdraw it if "
                    "it was registered by mistake (safeplan hazard withdraw {id} --reason …)"
                ),
                {"id": hazard_id, "ref": ref, "path": base.rel},
            )
        ]
    if not isinstance(record, Hazard):
        return []  # the base held no valid record: nothing to compare
    parsed = parse_file(root / base.rel, base.rel, Hazard)
    if not isinstance(parsed.record, Hazard):
        return []  # the file's own problems say what is wrong
    return located(lost_hazard_facts(record, parsed.record, ref, base.rel), base.rel, parsed.text)


def _tasks(repo: Repository, base: git.BaseFile, ref: str) -> list[Problem]:
    record = _base_record(base.data, base.rel, TasksFile)
    text = repo.snapshot.texts.get(base.rel, "")
    current = parse_text(text, base.rel, TasksFile, 2).record if text else None
    if not isinstance(record, TasksFile) or not isinstance(current, TasksFile):
        return []  # either side's own problems say what is wrong
    return located(lost_task_facts(record.tasks, current.tasks, ref, base.rel), base.rel, text)
