"""Rules within data/tasks.yaml: numbers once each, a deadline or ongoing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from safeplan.models.records import Task
from safeplan.problems import N_, Finding
from safeplan.rules.each import ItemRule, each_item, listed_twice

_RULES: tuple[ItemRule[Task], ...] = (
    ItemRule(
        lambda t: t.ongoing and t.deadline is not None,
        ("deadline",),
        "ongoing-deadline",
        N_("task {number} is ongoing (长期坚持) and also has a deadline: keep one"),
        lambda t: {"number": t.number},
    ),
    ItemRule(
        lambda t: t.ongoing_after and t.ongoing,
        ("ongoing_after",),
        "ongoing-after-ongoing",
        N_(
            "task {number} is ongoing (长期坚持) and also ongoing after a deadline "
            "(ongoing_after): keep 'ongoing: true' for a task without a first "
            "phase, or a deadline with 'ongoing_after: true'"
        ),
        lambda t: {"number": t.number},
    ),
    ItemRule(
        lambda t: t.ongoing_after and not t.ongoing and t.deadline is None,
        ("ongoing_after",),
        "ongoing-after-no-deadline",
        N_(
            "task {number} is ongoing after its deadline (ongoing_after) but has "
            "no deadline: add the first phase's 'deadline'"
        ),
        lambda t: {"number": t.number},
    ),
    ItemRule(
        lambda t: not t.ongoing and t.deadline is None and not t.ongoing_after,
        (),
        "no-deadline",
        N_("task {number} has no deadline: add 'deadline' or 'ongoing: true'"),
        lambda t: {"number": t.number},
    ),
)


def check_tasks(tasks: Sequence[Task]) -> list[Finding]:
    twice = listed_twice(
        tasks,
        "tasks",
        "number",
        lambda t: t.number,
        "duplicate-task",
        N_("task number {number} is used twice: give each task its own number"),
        lambda t: {"number": t.number},
    )
    return twice + each_item(tasks, "tasks", _RULES)


def check_future_progress(tasks: Sequence[Task], today: dt.date) -> list[Finding]:
    """Progress notes, completions and reopenings dated after today."""
    out: list[Finding] = []

    def future(path: tuple[str | int, ...], field: str, day: dt.date) -> None:
        if day > today:
            out.append(
                Finding(
                    path,
                    "future-date",
                    N_(
                        "'{field}' is {date}, after today ({today}): what is recorded has "
                        "happened; correct the date"
                    ),
                    {"field": field, "date": day, "today": today},
                )
            )

    for i, task in enumerate(tasks):
        for j, note in enumerate(task.progress):
            future(("tasks", i, "progress", j, "on"), f"progress[{j}].on", note.on)
        if task.done is not None:
            future(("tasks", i, "done", "on"), "done.on", task.done.on)
        for j, r in enumerate(task.reopenings):
            future(("tasks", i, "reopenings", j, "on"), f"reopenings[{j}].on", r.on)
    return out
