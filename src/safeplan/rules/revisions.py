"""The plan's tasks, deadlines, units, goals and rules change only by a recorded revision.

A revision is a dated, reasoned entry under ``revisions:`` in plan/plan.yaml that names
what it changed (``import text --apply`` of a revised text and ``task revise`` write one).
Against a base, every difference in those that no revision added since the base names is
an error: a task deleted, or a deadline moved, by hand would otherwise pass unseen (and
drop out of the overdue list). :func:`differences` is the one comparison: the check and
the edits that write revisions both use it, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from safeplan import vocab
from safeplan.models.records import Goal, Plan, RevisedItem, Revision, Rules, Task
from safeplan.problems import N_, Coded, Finding, Fragment

#: The fields of a task that only a revision changes (``vocab.TASK_FIELD``). ``deadline``
#: stands for the deadline, ``ongoing`` and ``check_in`` together (one 完成时限 in the text).
TASK_FIELDS = vocab.TASK_FIELD.codes


class Difference(NamedTuple):
    """One thing the plan says differently from a base: ``kind`` is task, goal or rule;
    ``field`` None is the whole task or goal (added or removed)."""

    kind: str
    name: str
    field: str | None
    was: str | None
    now: str | None
    #: Where it is now: the file and the key path (for the error's line).
    rel: str
    at: tuple[str | int, ...]


def _deadline(t: Task) -> str:
    if t.ongoing:
        return f"ongoing ({t.check_in})"
    return "—" if t.deadline is None else t.deadline.isoformat()


def task_value(t: Task, field: str) -> str:
    """A task's field as a revision names it."""
    if field == "deadline":
        return _deadline(t)
    if field == "units":
        return "、".join(t.units)
    return str(getattr(t, field))


def _at(t: Task, i: int, field: str) -> tuple[str | int, ...]:
    """Where a task's changed field is in data/tasks.yaml."""
    if field != "deadline":
        return ("tasks", i, field)
    if t.deadline is not None:
        return ("tasks", i, "deadline")
    return ("tasks", i, "ongoing") if t.ongoing else ("tasks", i)


def differences(
    base_plan: Plan | None,
    base_tasks: Sequence[Task],
    plan: Plan | None,
    tasks: Sequence[Task],
    tasks_rel: str,
    plan_rel: str,
) -> list[Difference]:
    """What the plan's tasks, goals and rules say differently from the base, in file order."""
    out: list[Difference] = []
    now = {t.number: (i, t) for i, t in enumerate(tasks)}
    old = {t.number: t for t in base_tasks}
    for t in base_tasks:
        if t.number not in now:
            out.append(
                Difference("task", str(t.number), None, t.title, None, tasks_rel, ("tasks",))
            )
    for number, (i, t) in now.items():
        was = old.get(number)
        if was is None:
            out.append(
                Difference("task", str(number), None, None, t.title, tasks_rel, ("tasks", i))
            )
            continue
        for field in TASK_FIELDS:
            a, b = task_value(was, field), task_value(t, field)
            if a != b:
                out.append(
                    Difference("task", str(number), field, a, b, tasks_rel, _at(t, i, field))
                )
    if base_plan is None or plan is None:
        return out
    goals = {g.id: (i, g) for i, g in enumerate(plan.goals)}
    old_goals = {g.id: g for g in base_plan.goals}
    for g in base_plan.goals:
        if g.id not in goals:
            out.append(Difference("goal", g.id, None, g.title, None, plan_rel, ("goals",)))
    for gid, (i, g) in goals.items():
        was_goal = old_goals.get(gid)
        if was_goal is None:
            out.append(Difference("goal", gid, None, None, g.title, plan_rel, ("goals", i)))
            continue
        for name in Goal.model_fields:
            a, b = getattr(was_goal, name), getattr(g, name)
            if a != b:
                where: tuple[str | int, ...] = ("goals", i, name) if b is not None else ("goals", i)
                out.append(Difference("goal", gid, name, _text(a), _text(b), plan_rel, where))
    for name in Rules.model_fields:
        a_rule, b_rule = getattr(base_plan.rules, name), getattr(plan.rules, name)
        if a_rule != b_rule:
            rule_at: tuple[str | int, ...] = (
                ("rules", name) if name in _set_rules(plan) else ("rules",)
            )
            out.append(
                Difference("rule", name, None, _text(a_rule), _text(b_rule), plan_rel, rule_at)
            )
    return out


def _set_rules(plan: Plan) -> set[str]:
    return set(plan.rules.model_fields_set)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def item_of(d: Difference) -> dict[str, Any]:
    """The ``changes:`` entry of a revision that records ``d``."""
    item: dict[str, Any] = {d.kind: int(d.name) if d.kind == "task" else d.name}
    if d.field is not None:
        item["field"] = d.field
    if d.was is not None:
        item["from"] = d.was
    if d.now is not None:
        item["to"] = d.now
    return item


def _covers(item: RevisedItem, d: Difference) -> bool:
    subject = {"task": item.task, "goal": item.goal, "rule": item.rule}[d.kind]
    if subject is None or str(subject) != d.name:
        return False
    return item.field is None or item.field == d.field


def new_revisions(base: Plan | None, plan: Plan | None) -> list[Revision]:
    """The revisions ``plan`` records that ``base`` did not."""
    if plan is None:
        return []
    had = {r.model_dump_json() for r in base.revisions} if base is not None else set()
    return [r for r in plan.revisions if r.model_dump_json() not in had]


_HOW = N_(
    "the plan's tasks, deadlines, units, goals and rules change only by a revised text "
    "(safeplan import text --apply) or a dated, reasoned entry under revisions: in "
    "plan/plan.yaml"
)
_UNRECORDED = {
    "task-removed": N_(
        "task {name} ({was}) was in {ref} and is gone, with no revision recorded: {how}; "
        "put it back (git show {ref}:{path}), or record the revision (task: {name})"
    ),
    "task-added": N_(
        "task {name} ({now}) is new since {ref}, with no revision recorded: {how} (task: {name})"
    ),
    "task-field": N_(
        "task {name}: {field} changed since {ref} from '{was}' to '{now}' with no revision "
        "recorded: put it back, or record it with '{command}' ({how})"
    ),
    "goal-removed": N_(
        "goal {name} ({was}) was in {ref} and is gone, with no revision recorded: {how}; put "
        "it back (git show {ref}:{path}), or record the revision (goal: {name})"
    ),
    "goal-added": N_(
        "goal {name} ({now}) is new since {ref}, with no revision recorded: {how} (goal: {name})"
    ),
    "goal-field": N_(
        "goal {name}: {field} changed since {ref} from '{was}' to '{now}' with no revision "
        "recorded: put it back, or record it ({how}; goal: {name}, field: {field})"
    ),
    "rule": N_(
        "rules: {name} changed since {ref} from '{was}' to '{now}' with no revision "
        "recorded: put it back, or record it ({how}; rule: {name})"
    ),
}


def _kind(d: Difference) -> str:
    if d.kind == "goal":
        if d.field is not None:
            return "goal-field"
        return "goal-removed" if d.now is None else "goal-added"
    if d.kind != "task":
        return d.kind
    if d.field is not None:
        return "task-field"
    return "task-removed" if d.now is None else "task-added"


def unrecorded(
    diffs: Sequence[Difference],
    base_plan: Plan | None,
    plan: Plan | None,
    ref: str,
    skip: frozenset[str] = frozenset(),
) -> list[tuple[str, Finding]]:
    """The differences no new revision names, as (file, finding). ``skip``: tasks whose
    removal is reported already (a task with its work recorded is never deleted)."""
    revised = [i for r in new_revisions(base_plan, plan) for i in r.changes]
    out: list[tuple[str, Finding]] = []
    for d in diffs:
        if any(_covers(i, d) for i in revised):
            continue
        if d.kind == "task" and d.field is None and d.now is None and d.name in skip:
            continue
        params: dict[str, Any] = {
            "name": d.name,
            "ref": ref,
            "path": d.rel,
            "was": d.was if d.was is not None else "—",
            "now": d.now if d.now is not None else "—",
            "how": Fragment(_HOW),
        }
        if d.kind == "goal" and d.field is not None:
            params["field"] = d.field
        elif d.field is not None:
            params["field"] = Coded("task field", d.field)
            params["command"] = f"safeplan task revise {d.name} --{d.field} … --reason …"
        out.append((d.rel, Finding(d.at, "unrecorded-revision", _UNRECORDED[_kind(d)], params)))
    return out
