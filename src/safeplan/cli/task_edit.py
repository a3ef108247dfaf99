"""``safeplan task progress|done|reopen|revise``: a task's progress and completion, edited in
place, and a revision of its deadline or units (recorded in plan/plan.yaml)."""

from __future__ import annotations

from typing import Annotated

import typer

from safeplan.cli.editing import on_date
from safeplan.cli.options import EDIT, EVIDENCE, Call, NoteOpt, OnOpt, command, option
from safeplan.cli.task import NumberArg, task_number
from safeplan.problems import N_

TextArg = Annotated[str, typer.Argument(help=N_("What was done."), show_default=False)]
ByOpt = Annotated[str | None, option(N_("Who reports it."), "--by", metavar="NAME")]
ReasonOpt = Annotated[str, option(N_("Why it is not done after all."), "--reason")]


@command(EDIT, EVIDENCE)
def task_progress(
    c: Call, number: NumberArg, text: TextArg, on: OnOpt = None, by: ByOpt = None
) -> None:
    from safeplan import edit

    n, day = task_number(number), on_date(c.session, on)
    c.edit(lambda: edit.task_progress(c.root, n, text, day, by, c.evidence, write=False))


@command(EDIT, EVIDENCE)
def task_done(c: Call, number: NumberArg, on: OnOpt = None, note: NoteOpt = None) -> None:
    from safeplan import edit

    n, day = task_number(number), on_date(c.session, on)
    c.edit(lambda: edit.task_done(c.root, n, day, note, c.evidence, write=False))


@command(EDIT)
def task_reopen(c: Call, number: NumberArg, reason: ReasonOpt, on: OnOpt = None) -> None:
    from safeplan import edit

    n, day = task_number(number), on_date(c.session, on)
    c.edit(lambda: edit.task_reopen(c.root, n, day, reason, write=False))


@command(EDIT)
def task_revise(
    c: Call,
    number: NumberArg,
    reason: Annotated[
        str, option(N_("Why the plan changes (e.g. the notice that revised it)."), "--reason")
    ],
    deadline: Annotated[
        str | None, option(N_("The new deadline (完成时限)."), "--deadline", metavar="DATE")
    ] = None,
    units: Annotated[
        str | None,
        option(
            N_("The new responsible units, the lead unit first, separated by 、 or commas."),
            "--units",
            metavar="UNITS",
        ),
    ] = None,
    document: Annotated[
        str | None, option(N_("The document that revised it (文号)."), "--document")
    ] = None,
    by: Annotated[str | None, option(N_("Who revised it."), "--by", metavar="NAME")] = None,
    on: OnOpt = None,
) -> None:
    import re

    from safeplan import edit
    from safeplan.cli.editing import optional_date

    n, day = task_number(number), on_date(c.session, on)
    new_deadline = optional_date(deadline, "--deadline")
    names = [u.strip() for u in re.split(r"[、,，;；]", units)] if units is not None else None
    names = [u for u in names if u] if names is not None else None
    c.edit(
        lambda: edit.task_revise(
            c.root, n, day, reason, new_deadline, names, by, document, write=False
        )
    )
