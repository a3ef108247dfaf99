"""Checking the working tree against a base revision: no record deleted, no fact removed,
no registration fact or plan task changed without a record of the change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from safeplan import yamlio
from safeplan.models.enterprises import EnterpriseRecord
from safeplan.models.fields import mention_pattern
from safeplan.models.hazards import Hazard
from safeplan.models.records import Plan, TasksFile
from safeplan.problems import N_, Fragment, Problem
from safeplan.repo import gitbase as git
from safeplan.repo.layout import ENTERPRISES_DIR, HAZARDS_DIR, PLAN_FILE, TASKS_FILE
from safeplan.repo.parse import Parsed, file_stem, located, parse_file, parse_text
from safeplan.repo.snapshot import Repository
from safeplan.rules.history import (
    lost_enterprise_facts,
    lost_hazard_facts,
    lost_raw_facts,
    lost_task_facts,
)
from safeplan.rules.revisions import differences, unrecorded
from safeplan.yamlio import YamlProblem, decode

_DELETED = N_(
    "hazard {id} is in {ref} but its file is gone: a hazard's record is never "
    "deleted; put it back (git checkout {ref} -- {path}), then withdraw it if "
    "it was registered by mistake (safeplan hazard withdraw {id} --reason …)"
)


def _base_parsed(data: bytes, rel: str, model: type[Hazard | TasksFile | Plan]) -> Parsed | None:
    try:
        text = decode(data)
    except YamlProblem:
        return None
    return parse_text(text, rel, model, 2 if model is TasksFile else 0)


def against_base(repo: Repository, ref: str | None) -> tuple[list[Problem], git.Unavailable | None]:
    """Problems of records deleted or facts removed since ``ref``; or why it was not checked."""
    found = git.compare(repo.root, ref)
    if isinstance(found, git.Unavailable):
        return [], found
    return since_base(repo, found), None


def since_base(repo: Repository, found: git.BaseComparison) -> list[Problem]:
    """The problems of what ``git.compare`` found to differ from the base (a caller that
    compares first reads the plan only when something differs: a warm ``validate``)."""
    renamed = {old: h.path for h in repo.hazards for old in h.former_ids}
    out: list[Problem] = []
    hazards_prefix = HAZARDS_DIR.as_posix() + "/"
    enterprises_prefix = ENTERPRISES_DIR.as_posix() + "/"
    plan_files: dict[str, git.BaseFile] = {}
    for base in found.files:
        if base.rel.startswith(hazards_prefix) and base.rel.endswith((".yaml", ".yml")):
            out += _hazard(repo.root, base, found.ref, renamed)
        elif base.rel.startswith(enterprises_prefix) and base.rel.endswith((".yaml", ".yml")):
            out += _enterprise(repo.root, base, found.ref)
        elif base.rel in (TASKS_FILE.as_posix(), PLAN_FILE.as_posix()) and base.status == "M":
            plan_files[base.rel] = base
    if plan_files:
        out += _plan(repo, plan_files, found.ref)
    return out


def _hazard(root: Path, base: git.BaseFile, ref: str, renamed: dict[str, str]) -> list[Problem]:
    parsed_base = _base_parsed(base.data, base.rel, Hazard)
    record = parsed_base.record if parsed_base is not None else None
    hazard_id = record.id if isinstance(record, Hazard) else file_stem(base.rel)
    if base.status == "D":
        if hazard_id in renamed:
            return _renumbered(root, base, record, hazard_id, renamed[hazard_id], ref)
        return [
            Problem(
                base.rel,
                1,
                1,
                "record-deleted",
                _DELETED,
                {"id": hazard_id, "ref": ref, "path": base.rel},
            )
        ]
    if not isinstance(record, Hazard):
        return []  # the base held no valid record: nothing to compare
    parsed = parse_file(root / base.rel, base.rel, Hazard)
    if not isinstance(parsed.record, Hazard):
        # The file's own problems say what is wrong with it; the facts it lost are said
        # too, from its raw data, so that one run tells everything (a dropped fact does
        # not hide behind a bad date).
        if parsed.data is None or parsed_base is None:
            return []
        lost = lost_raw_facts(parsed_base.data, parsed.data, ref, base.rel)
        return located(lost, base.rel, parsed.text)
    return located(lost_hazard_facts(record, parsed.record, ref, base.rel), base.rel, parsed.text)


def _enterprise(root: Path, base: git.BaseFile, ref: str) -> list[Problem]:
    """An enterprise file: never deleted (a closed enterprise keeps its file), its facts
    kept, its registration corrected only with a record."""
    if base.status == "D":
        return [
            Problem(
                base.rel,
                1,
                1,
                "record-deleted",
                N_(
                    "enterprise {id} is in {ref} but its file is gone: an enterprise's record "
                    "is never deleted; put it back (git checkout {ref} -- {path}), then record "
                    "its state (safeplan enterprise close {id})"
                ),
                {"id": file_stem(base.rel), "ref": ref, "path": base.rel},
            )
        ]
    try:
        base_data = yamlio.load_fast(decode(base.data))
    except YamlProblem:
        return []
    parsed = parse_file(root / base.rel, base.rel, EnterpriseRecord)
    if parsed.data is None:
        return []
    found = lost_enterprise_facts(base_data, parsed.data, ref, base.rel)
    return located(found, base.rel, parsed.text)


def _renumbered(
    root: Path, base: git.BaseFile, record: object, old_id: str, new_rel: str, ref: str
) -> list[Problem]:
    """A deleted hazard file whose id another names in ``former_ids`` passes only if that
    is a renumber: the other file is new since the base, the old id is its last former id,
    and it holds every fact the old file held."""
    parsed = parse_file(root / new_rel, new_rel, Hazard)
    new = parsed.record
    why = None
    if git.in_base(root, ref, new_rel):
        why = N_("{new_path} was already in {ref}, so it was not made by renumbering {id}")
    elif isinstance(new, Hazard) and (not new.former_ids or new.former_ids[-1] != old_id):
        why = N_("{id} is not the last of the former ids of {new_path}")
    problems: list[Problem] = []
    if isinstance(record, Hazard) and isinstance(new, Hazard) and why is None:
        lost = lost_hazard_facts(record, _as_before(new, old_id), ref, base.rel)
        problems = located(lost, new_rel, parsed.text)
        if problems:
            why = N_("{new_path} does not hold every fact {id} held (below)")
    if why is None:
        return []
    params = {"id": old_id, "ref": ref, "path": base.rel, "new_path": new_rel}
    return [
        Problem(
            base.rel,
            1,
            1,
            "record-deleted",
            N_(
                "hazard {id} is in {ref} but its file is gone, and naming it in former_ids is "
                "not a renumber: {why}; put it back (git checkout {ref} -- {path}) and renumber "
                "with 'safeplan hazard renumber', which moves the whole record"
            ),
            {**params, "why": Fragment(why, params)},
        ),
        *problems,
    ]


def _as_before(new: Hazard, old_id: str) -> Hazard:
    """The renumbered record as it read before: its id and the mentions of it in text put
    back (``hazard renumber`` renames those too), so that its facts compare with the old."""
    pattern = mention_pattern(new.id)

    def back(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: v if k == "former_ids" else back(v) for k, v in node.items()}
        if isinstance(node, list):
            return [back(v) for v in node]
        if isinstance(node, str):
            if node == new.id:
                return old_id
            return pattern.sub(old_id, node) if pattern is not None else node
        return node

    return Hazard.model_validate(
        back(new.model_dump(mode="json", by_alias=True, exclude_none=True))
    )


def _plan(repo: Repository, changed: dict[str, git.BaseFile], ref: str) -> list[Problem]:
    """Tasks: facts kept, and the plan's tasks, deadlines, units, goals and rules changed
    only by a recorded revision."""
    tasks_rel, plan_rel = TASKS_FILE.as_posix(), PLAN_FILE.as_posix()
    texts = repo.snapshot.texts
    current_tasks = _current(texts.get(tasks_rel, ""), tasks_rel, TasksFile)
    current_plan = _current(texts.get(plan_rel, ""), plan_rel, Plan)
    base_tasks: TasksFile | None = current_tasks if isinstance(current_tasks, TasksFile) else None
    base_plan: Plan | None = current_plan if isinstance(current_plan, Plan) else None
    out: list[Problem] = []
    if tasks_rel in changed:
        parsed = _base_parsed(changed[tasks_rel].data, tasks_rel, TasksFile)
        base_tasks = parsed.record if parsed and isinstance(parsed.record, TasksFile) else None
        text = texts.get(tasks_rel, "")
        if base_tasks is not None and isinstance(current_tasks, TasksFile):
            found = lost_task_facts(base_tasks.tasks, current_tasks.tasks, ref, tasks_rel)
            out += located(found, tasks_rel, text)
        elif parsed is not None and parsed.data is not None and text:
            raw = _current_data(text, tasks_rel, TasksFile)
            if raw is not None:
                out += located(lost_raw_facts(parsed.data, raw, ref, tasks_rel), tasks_rel, text)
    if plan_rel in changed:
        parsed = _base_parsed(changed[plan_rel].data, plan_rel, Plan)
        base_plan = parsed.record if parsed and isinstance(parsed.record, Plan) else None
    if not isinstance(current_tasks, TasksFile) or base_tasks is None:
        return out  # either side's own problems say what is wrong
    plan = current_plan if isinstance(current_plan, Plan) else None
    diffs = differences(base_plan, base_tasks.tasks, plan, current_tasks.tasks, tasks_rel, plan_rel)
    kept = frozenset(
        str(t.number) for t in base_tasks.tasks if t.progress or t.done or t.reopenings
    )
    for rel, finding in unrecorded(diffs, base_plan, plan, ref, skip=kept):
        out += located([finding], rel, texts.get(rel, ""))
    return out


def _current(text: str, rel: str, model: type[TasksFile | Plan]) -> object:
    if not text:
        return None
    return parse_text(text, rel, model, 2 if model is TasksFile else 0).record


def _current_data(text: str, rel: str, model: type[TasksFile | Plan]) -> object:
    return parse_text(text, rel, model, 2 if model is TasksFile else 0).data
