"""A task's progress, completion and reopening, edited in place in data/tasks.yaml.

Only the one task changes; the other tasks stay byte for byte.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from safeplan import yamlio
from safeplan.edit.context import (
    Change,
    Context,
    check_unit,
    compact,
    context,
    evidence_list,
    invalid,
    new_errors,
)
from safeplan.edit.hazards import need
from safeplan.edit.transaction import EditResult, FileChange, apply
from safeplan.errors import RefusedError, UsageError
from safeplan.models.records import Task, TasksFile
from safeplan.problems import N_, Coded, Finding
from safeplan.repo import TASKS_FILE
from safeplan.repo.parse import load_model, load_round_trip, located, parse_bytes
from safeplan.rules.cross import check_task_references
from safeplan.rules.hints import no_task
from safeplan.rules.tasks import check_tasks

TASK_ORDER = tuple(Task.model_fields)


TaskChange = Callable[[Task, Any, Context], Change]


def _task_findings(tasks: Sequence[Task], index: int, ctx: Context) -> list[Finding]:
    """The rules the edited task must pass (the other tasks' problems are not the edit's)."""
    numerals = [a.numeral for a in ctx.plan.actions]
    found = check_tasks(tasks) + check_task_references(tasks, numerals, ctx.unit_names)
    return [f for f in found if f.path[1] == index]


def edit_task(root: Path, number: int, change: TaskChange, write: bool) -> EditResult:
    """Read data/tasks.yaml, change one task in place, check the result, write it (or not)."""
    ctx = context(root)
    rel = TASKS_FILE.as_posix()
    path = root / TASKS_FILE
    tasks_file, text = load_model(root, TASKS_FILE, TasksFile, strip=2)
    numbers = [t.number for t in tasks_file.tasks]
    if number not in numbers:
        raise no_task(number, tasks_file.tasks)
    index = numbers.index(number)
    task = tasks_file.tasks[index]
    before = _task_findings(tasks_file.tasks, index, ctx)
    rt = load_round_trip(path, rel, text)
    node = rt.data["tasks"][index]  # the same text as tasks_file: the same task at index
    done = change(task, node, ctx)
    new = rt.dump()
    parsed = parse_bytes(new, rel, TasksFile, strip=2)
    if not isinstance(parsed.record, TasksFile):
        raise invalid(rel, parsed.problems)
    errors = new_errors(before, _task_findings(parsed.record.tasks, index, ctx))
    if errors:
        raise invalid(rel, located(errors, rel, parsed.text))
    return done.of_file(root, (path, rel), (rt.original, new), str(number), write, number=number)


def task_progress(
    root: Path,
    number: int,
    text: str,
    on: dt.date,
    by: str | None = None,
    evidence: Sequence[str] = (),
    write: bool = True,
) -> EditResult:
    """Add a dated progress note to a task."""
    need(text, "TEXT")

    def change(t: Task, node: Any, ctx: Context) -> Change:
        ctx.refuse_before_start(on)
        entry = compact(on=on, note=text, by=by, evidence=evidence_list(evidence))
        yamlio.rt_append(node, "progress", entry, TASK_ORDER)
        return ctx.change("progress", number=t.number, on=on)

    return edit_task(root, number, change, write)


def task_done(
    root: Path,
    number: int,
    on: dt.date,
    note: str | None = None,
    evidence: Sequence[str] = (),
    write: bool = True,
) -> EditResult:
    """Record that a task is done (完成)."""

    def change(t: Task, node: Any, ctx: Context) -> Change:
        if t.ongoing:
            raise RefusedError(
                N_(
                    "task {number} is ongoing (长期坚持): it is never done once and for all; "
                    "record what was done with 'safeplan task progress {number} TEXT'"
                ),
                number=t.number,
            )
        ctx.refuse_before_start(on)
        if t.done is not None:
            raise RefusedError(
                N_(
                    "task {number} is already done (on {on}): nothing to do; to withdraw it, "
                    "'safeplan task reopen {number} --reason …'"
                ),
                number=t.number,
                on=t.done.on,
            )
        entry = compact(on=on, note=note, evidence=evidence_list(evidence))
        yamlio.rt_set(node, "done", entry, TASK_ORDER)
        if t.ongoing_after:  # the first phase is done: the check-ins begin
            period = Coded("check-in period", t.check_in)
            return ctx.change("done_ongoing", number=t.number, on=on, period=period)
        return ctx.change("done", number=t.number, on=on)

    return edit_task(root, number, change, write)


def task_reopen(
    root: Path,
    number: int,
    on: dt.date,
    reason: str,
    write: bool = True,
) -> EditResult:
    """Withdraw a task's completion: it moves into ``reopenings`` (history is kept)."""
    need(reason, "--reason")

    def change(t: Task, node: Any, ctx: Context) -> Change:
        if t.done is None:
            raise RefusedError(
                N_("task {number} is not done, so there is nothing to reopen"), number=t.number
            )
        ctx.refuse_before_start(on)
        previous = node["done"]
        yamlio.rt_set(node, "done", None, TASK_ORDER)
        entry = {"on": on, "reason": reason, "previous": previous}
        yamlio.rt_append(node, "reopenings", entry, TASK_ORDER)
        return ctx.change("undone", number=t.number, on=on, reason=reason)

    return edit_task(root, number, change, write)


def task_revise(
    root: Path,
    number: int,
    on: dt.date,
    reason: str,
    deadline: dt.date | None = None,
    units: Sequence[str] | None = None,
    by: str | None = None,
    document: str | None = None,
    write: bool = True,
) -> EditResult:
    """Revise a task's deadline or units, and record the revision (dated, with its reason
    and what changed from what) under ``revisions`` in plan/plan.yaml: the one way, besides
    a revised text, that ``validate --base`` accepts such a change."""
    from safeplan.rules.revisions import task_value

    need(reason, "--reason")
    if deadline is None and not units:
        raise UsageError(N_("give --deadline DATE or --units UNITS (or both)"))
    items: list[dict[str, Any]] = []

    def change(t: Task, node: Any, ctx: Context) -> Change:
        ctx.refuse_before_start(on)
        before = {"deadline": task_value(t, "deadline"), "units": task_value(t, "units")}
        if deadline is not None:
            for key in ("ongoing", "check_in"):
                if key in node:
                    yamlio.rt_delete(node, key)
            yamlio.rt_set(node, "deadline", deadline, TASK_ORDER)
        if units:
            for name in units:
                check_unit(name, ctx.unit_names)
            yamlio.rt_set(node, "units", list(units), TASK_ORDER)
        after = t.model_copy(
            update={
                **({"deadline": deadline, "ongoing": False} if deadline is not None else {}),
                **({"units": list(units)} if units else {}),
            }
        )
        for field in ("deadline", "units"):
            if before[field] != task_value(after, field):
                items.append(
                    {
                        "task": t.number,
                        "field": field,
                        "from": before[field],
                        "to": task_value(after, field),
                    }
                )
        if not items:
            raise RefusedError(
                N_("task {number} already says this: nothing to change"), number=t.number
            )
        return ctx.change("revised", number=t.number, on=on, reason=reason)

    tasks_result = edit_task(root, number, change, write=False)
    revision = compact(on=on, reason=reason, by=by, document=document)
    revision["changes"] = items
    result = _with_revision(root, tasks_result, revision)
    return apply(result) if write else result


def _with_revision(root: Path, tasks_result: EditResult, revision: dict[str, Any]) -> EditResult:
    """The tasks' edit, and plan/plan.yaml with ``revision`` appended to its revisions
    (refused when it would be dated before the last one, or break the plan)."""
    from safeplan.models.records import Plan
    from safeplan.repo import PLAN_FILE

    on = revision["on"]
    plan_rel = PLAN_FILE.as_posix()
    plan_record, plan_text = load_model(root, PLAN_FILE, Plan)
    if plan_record.revisions and on < plan_record.revisions[-1].on:
        raise RefusedError(
            N_("the plan's last revision is dated {last}: give --on {last} or later"),
            last=plan_record.revisions[-1].on,
        )
    rt = load_round_trip(root / PLAN_FILE, plan_rel, plan_text)
    yamlio.rt_append(rt.data, "revisions", revision, tuple(Plan.model_fields))
    new = rt.dump()
    parsed = parse_bytes(new, plan_rel, Plan)
    if not isinstance(parsed.record, Plan):
        raise invalid(plan_rel, parsed.problems)
    return EditResult(
        root,
        (*tasks_result.changes, FileChange(root / PLAN_FILE, plan_rel, rt.original, new)),
        tasks_result.template,
        tasks_result.params,
        tasks_result.commit_message,
        tasks_result.subject,
    )
