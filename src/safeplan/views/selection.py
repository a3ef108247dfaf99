"""Choosing what a view is about: a unit, an action, a task; the tasks' statuses on a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from safeplan.models.records import Plan, Task, Unit
from safeplan.repo import Repository
from safeplan.rules.hints import no_task, unknown
from safeplan.status import TaskStatus, task_status

__all__ = ["no_task", "unknown"]


def units_by_name(repo: Repository) -> dict[str, Unit]:
    return {u.name: u for u in repo.units}


def check_unit(repo: Repository, name: str | None) -> str | None:
    if name is not None and name not in units_by_name(repo):
        raise unknown("unit", name, repo.unit_names())
    return name


def check_action(plan: Plan | None, numeral: str | None) -> str | None:
    if numeral is None:
        return None
    numerals = [a.numeral for a in plan.actions] if plan else []
    numeral = numeral.strip("（）() ")
    if numeral not in numerals:
        raise unknown("action", numeral, numerals)
    return numeral


def due_soon_days(plan: Plan | None) -> int:
    return plan.rules.due_soon_days if plan else 30


def task_states(
    tasks: Sequence[Task], as_of: dt.date, plan: Plan | None
) -> Mapping[int, TaskStatus]:
    days = due_soon_days(plan)
    return {t.number: task_status(t, as_of, days) for t in tasks}
