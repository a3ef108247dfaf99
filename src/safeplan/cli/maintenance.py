"""``safeplan recover``: finish or undo an edit that an interruption left half-done."""

from __future__ import annotations

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

    result = finish(c.root, undo)
    c.echo(render(result.template, result.params, c.tr))
    return 0
