"""The task listing and one task in full."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from safeplan.models.views import TaskDetail, TaskList
from safeplan.repo import Repository
from safeplan.status import task_involves
from safeplan.views.rows import task_row
from safeplan.views.selection import (
    check_action,
    check_unit,
    no_task,
    task_states,
    units_by_name,
)


def task_list(
    repo: Repository,
    as_of: dt.date,
    status: str | None = None,
    unit: str | None = None,
    action: str | None = None,
    numbers: Sequence[int] | None = None,
) -> TaskList:
    """The plan's tasks on a day, filtered by status code, unit, action numeral and numbers
    (a number the plan does not have is refused, as ``task show`` refuses it)."""
    check_unit(repo, unit)
    for n in numbers or ():
        if not any(t.number == n for t in repo.tasks):
            raise no_task(n, repo.tasks)
    action = check_action(repo.plan, action)
    by_name = units_by_name(repo)
    states = task_states(repo.tasks, as_of, repo.plan, repo.enterprises)
    rows = [
        task_row(t, states[t.number])
        for t in repo.tasks
        if (status is None or states[t.number].state == status)
        and (unit is None or task_involves(t, unit, by_name))
        and (action is None or t.action == action)
        and (numbers is None or t.number in numbers)
    ]
    return TaskList(as_of=as_of, tasks=rows)


def task_detail(repo: Repository, number: int, as_of: dt.date) -> TaskDetail:
    """One task in full: its text, status, progress notes, completion and reopenings."""
    task = next((t for t in repo.tasks if t.number == number), None)
    if task is None:
        raise no_task(number, repo.tasks)
    st = task_states([task], as_of, repo.plan, repo.enterprises)[task.number]
    plan = repo.plan
    action_title = (
        next((a.title for a in plan.actions if a.numeral == task.action), None) if plan else None
    )
    return TaskDetail(
        as_of=as_of,
        **dict(task_row(task, st)),
        text=task.text,
        progress=list(task.progress),
        done=task.done,
        reopenings=list(task.reopenings),
        action_title=action_title,
        check_in=task.check_in if task.ongoing or task.ongoing_after else None,
    )
