"""A task's status on a day, from its deadline, completions and progress notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from safeplan.models.records import Task
from safeplan.periods import MONTHS, add_months

TaskState = Literal["done", "done_late", "overdue", "due_soon", "open", "current", "stale"]
#: The order in which task states are counted and shown.
TASK_STATES: tuple[TaskState, ...] = (
    "overdue",
    "due_soon",
    "open",
    "stale",
    "current",
    "done_late",
    "done",
)
#: The states of a finished task.
DONE_STATES: frozenset[str] = frozenset(("done", "done_late"))


@dataclass(frozen=True, slots=True)
class TaskStatus:
    number: int
    state: TaskState
    deadline: dt.date | None
    ongoing: bool
    done_on: dt.date | None
    last_progress_on: dt.date | None
    #: Days past the deadline (overdue) or left until it (open, due soon); None otherwise.
    days_overdue: int | None = None
    days_left: int | None = None
    #: Done after the deadline (逾期完成), by so many days.
    days_late: int | None = None


def task_done_on(task: Task, as_of: dt.date) -> dt.date | None:
    """The completion in force on ``as_of``, counting completions a reopening later withdrew."""
    for reopening in task.reopenings:
        prev = reopening.previous
        if prev is not None and prev.on <= as_of < reopening.on:
            return prev.on
    if task.done is not None and task.done.on <= as_of:
        return task.done.on
    return None


def task_status(task: Task, as_of: dt.date, due_soon_days: int = 30) -> TaskStatus:
    last = max((n.on for n in task.progress if n.on <= as_of), default=None)
    done_on = task_done_on(task, as_of)

    def status(state: TaskState, **extra: dt.date | int | None) -> TaskStatus:
        return TaskStatus(
            task.number,
            state,
            task.deadline,
            task.ongoing,
            done_on,
            last,
            **extra,  # type: ignore[arg-type]
        )

    if done_on is not None and task.ongoing_after and not task.ongoing:
        # The first phase is done: from then on, check-ins (the completion counts as one).
        start = add_months(as_of, -MONTHS[task.check_in])
        latest = done_on if last is None else max(last, done_on)
        late = None
        if task.deadline is not None and done_on > task.deadline:
            late = (done_on - task.deadline).days
        return status("current" if latest > start else "stale", days_late=late)
    if done_on is not None:
        if task.deadline is not None and not task.ongoing and done_on > task.deadline:
            return status("done_late", days_late=(done_on - task.deadline).days)
        return status("done")
    if task.ongoing or task.deadline is None:
        start = add_months(as_of, -MONTHS[task.check_in])
        return status("current" if last is not None and last > start else "stale")
    delta = (task.deadline - as_of).days
    if delta < 0:
        return status("overdue", days_overdue=-delta)
    return status("due_soon" if delta <= due_soon_days else "open", days_left=delta)
