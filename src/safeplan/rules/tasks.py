"""Rules within data/tasks.yaml: numbers once each, a deadline or ongoing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from safeplan.models.records import Task
from safeplan.problems import N_, Finding


def check_tasks(tasks: Sequence[Task]) -> list[Finding]:
    out: list[Finding] = []
    numbers: set[int] = set()
    for i, task in enumerate(tasks):
        if task.number in numbers:
            out.append(
                Finding(
                    ("tasks", i, "number"),
                    "duplicate-task",
                    N_("task number {number} is used twice: give each task its own number"),
                    {"number": task.number},
                )
            )
        numbers.add(task.number)
        if task.ongoing and task.deadline is not None:
            out.append(
                Finding(
                    ("tasks", i, "deadline"),
                    "ongoing-deadline",
                    N_("task {number} is ongoing (长期坚持) and also has a deadline: keep one"),
                    {"number": task.number},
                )
            )
        if task.ongoing_after and task.ongoing:
            out.append(
                Finding(
                    ("tasks", i, "ongoing_after"),
                    "ongoing-after-ongoing",
                    N_(
                        "task {number} is ongoing (长期坚持) and also ongoing after a deadline "
                        "(ongoing_after): keep 'ongoing: true' for a task without a first "
                        "phase, or a deadline with 'ongoing_after: true'"
                    ),
                    {"number": task.number},
                )
            )
        elif task.ongoing_after and task.deadline is None:
            out.append(
                Finding(
                    ("tasks", i, "ongoing_after"),
                    "ongoing-after-no-deadline",
                    N_(
                        "task {number} is ongoing after its deadline (ongoing_after) but has "
                        "no deadline: add the first phase's 'deadline'"
                    ),
                    {"number": task.number},
                )
            )
        if not task.ongoing and task.deadline is None and not task.ongoing_after:
            out.append(
                Finding(
                    ("tasks", i),
                    "no-deadline",
                    N_("task {number} has no deadline: add 'deadline' or 'ongoing: true'"),
                    {"number": task.number},
                )
            )
    return out


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
