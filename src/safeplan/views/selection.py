"""Choosing what a view is about: a unit, an action, a task; the tasks' statuses on a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from safeplan.models.records import Plan, Task, Unit
from safeplan.repo import Repository
from safeplan.rules.hints import no_task, unknown
from safeplan.status import TaskStatus, task_status

if TYPE_CHECKING:
    from safeplan.models.enterprises import EnterpriseRecord

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
    tasks: Sequence[Task],
    as_of: dt.date,
    plan: Plan | None,
    enterprises: Sequence[EnterpriseRecord] = (),
) -> Mapping[int, TaskStatus]:
    """Each task's status; a task tied to duties of enterprises (``duties:`` in plan.yaml)
    takes its state from them, not from progress notes."""
    days = due_soon_days(plan)
    out = {t.number: task_status(t, as_of, days) for t in tasks}
    if plan is not None and plan.duties and enterprises:
        from dataclasses import replace

        from safeplan.status.enterprises import duty_task_states

        for number, state in duty_task_states(plan.duties, enterprises, as_of).items():
            if number in out:
                out[number] = replace(out[number], state=state, days_overdue=None, days_left=None)  # type: ignore[arg-type]
    return out
