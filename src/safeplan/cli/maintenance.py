"""``safeplan recover``: finish or undo an edit that an interruption left half-done."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from safeplan.cli.options import Call, command, flag
from safeplan.problems import N_

UndoOpt = Annotated[
    bool,
    flag(N_("Put every file back as it was before the edit."), "--undo"),
]


@command()
def recover(c: Call, undo: UndoOpt = False) -> int:
    from safeplan.edit.transaction import recover as finish
    from safeplan.render.text import render

    result = finish(_root(c), undo)
    c.echo(render(result.template, result.params, c.tr))
    if result.start_repository:  # an interrupted init: its repository and first commit too
        from safeplan.repo.gitstart import start_repository

        started = start_repository(c.root, result.rels, result.commit_message)
        c.echo(render(started.template, started.params, c.tr))
    return 0


def _root(c: Call) -> Path:
    """The plan root; or, for an ``init`` interrupted before plan/plan.yaml was written, the
    folder (given, or this one or one above) that holds the interrupted edit's journal."""
    from safeplan import fsio
    from safeplan.errors import UsageError

    try:
        return c.root
    except UsageError:
        s = c.session
        given = s.root_option or (
            Path(s.environ["SAFEPLAN_ROOT"]) if s.environ.get("SAFEPLAN_ROOT") else None
        )
        start = (given or Path.cwd()).expanduser().resolve()
        for folder in (start,) if given is not None else (start, *start.parents):
            if (folder / fsio.JOURNAL_NAME).is_file():
                return folder
        raise
