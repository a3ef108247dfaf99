"""``safeplan task progress|done|reopen``: a task's progress and completion, edited in place.

Only the one task changes in data/tasks.yaml; the other tasks stay byte for byte.
"""

from __future__ import annotations

from typing import Annotated

import typer

from safeplan.cli.apps import task_app
from safeplan.cli.common import LangOpt, RootOpt, session
from safeplan.cli.editing import CommitOpt, DryRunOpt, EvidenceOpt, on_date, run

NumberArg = Annotated[
    int, typer.Argument(metavar="N", help="The task's number in the plan (1–21).")
]
OnOpt = Annotated[
    str | None,
    typer.Option(
        "--on", metavar="DATE", help="The date (YYYY-MM-DD). Default: today.", show_default=False
    ),
]


@task_app.command("progress")
def task_progress(
    number: NumberArg,
    text: Annotated[str, typer.Argument(help="What was done.", show_default=False)],
    on: OnOpt = None,
    by: Annotated[
        str | None, typer.Option("--by", metavar="NAME", help="Who reports it.", show_default=False)
    ] = None,
    evidence: EvidenceOpt = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """Add a dated progress note to a task (for ongoing tasks, the periodic check-in)."""
    with session(root, lang) as s:
        from safeplan import edit

        day = on_date(s, on)
        run(
            s,
            lambda: edit.task_progress(s.root, number, text, day, by, evidence or [], write=False),
            dry_run,
            commit,
        )


@task_app.command("done")
def task_done(
    number: NumberArg,
    on: OnOpt = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="A note.", show_default=False)
    ] = None,
    evidence: EvidenceOpt = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """Record that a task is done (完成)."""
    with session(root, lang) as s:
        from safeplan import edit

        day = on_date(s, on)
        run(
            s,
            lambda: edit.task_done(s.root, number, day, note, evidence or [], write=False),
            dry_run,
            commit,
        )


@task_app.command("reopen")
def task_reopen(
    number: NumberArg,
    reason: Annotated[
        str, typer.Option("--reason", metavar="TEXT", help="Why it is not done after all.")
    ],
    on: OnOpt = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """Withdraw a task's completion; it is kept under 'reopenings' (history is never deleted)."""
    with session(root, lang) as s:
        from safeplan import edit

        day = on_date(s, on)
        run(
            s,
            lambda: edit.task_reopen(s.root, number, day, reason, write=False),
            dry_run,
            commit,
        )
