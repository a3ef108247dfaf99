"""``safeplan task list|show``."""

from __future__ import annotations

from typing import Annotated

import typer

from safeplan.cli.options import READ, Call, command, option
from safeplan.problems import N_

StatusOpt = Annotated[
    str | None,
    option(N_("done, overdue, due_soon, open, current or stale."), "--status", metavar="STATUS"),
]
TaskUnitOpt = Annotated[
    str | None, option(N_("Tasks this unit leads or co-operates on."), "--unit", metavar="UNIT")
]
ActionOpt = Annotated[
    str | None, option(N_("The action's numeral, e.g. 四."), "--action", metavar="NUMERAL")
]
NumbersOpt = Annotated[
    str | None,
    option(
        N_("Only these tasks, by number, separated by commas (e.g. 4,9,11)."),
        "--number",
        metavar="N,N…",
    ),
]
NumberArg = Annotated[
    str, typer.Argument(metavar="N", help=N_("The task's number in the plan (1–21)."))
]


def task_number(value: str) -> int:
    """A task number as typed (full-width digits too)."""
    import unicodedata

    from safeplan.errors import UsageError

    folded = unicodedata.normalize("NFKC", value).strip()
    if not folded.isdigit():
        raise UsageError(
            N_("'{value}' is not a task number: give the task's number, e.g. 8"), value=value
        )
    return int(folded)


def task_numbers(value: str) -> list[int]:
    """``4,9,11`` (or ``4、9、11``, ``4 9 11``) as task numbers."""
    import re

    return [task_number(part) for part in re.split(r"[,，、\s]+", value.strip()) if part]


@command(READ)
def task_list(
    c: Call,
    status: StatusOpt = None,
    unit: TaskUnitOpt = None,
    action: ActionOpt = None,
    number: NumbersOpt = None,
) -> int:
    from safeplan import vocab
    from safeplan.rules.hints import coded
    from safeplan.views.tasks import task_list as view_of

    code = coded(vocab.TASK_STATE, status, "--status") if status is not None else None
    numbers = task_numbers(number) if number is not None else None
    return c.answer(
        lambda repo, day: view_of(repo, day, code, unit, action, numbers), "tasks:task_listing"
    )


@command(READ)
def task_show(c: Call, number: NumberArg) -> int:
    from safeplan.repo import TASKS_FILE
    from safeplan.views.tasks import task_detail

    n = task_number(number)
    repo = c.repo()
    if not any(t.number == n for t in repo.tasks):
        c.refuse_if_broken(repo, TASKS_FILE.as_posix())
    c.show(task_detail(repo, n, c.as_of), "tasks:task_detail")
    return c.finish(repo)
