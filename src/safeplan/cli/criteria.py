"""``safeplan criteria list|show``: the 判定标准 catalog a major hazard's basis cites."""

from __future__ import annotations

from typing import Annotated

import typer

from safeplan.cli.options import READ, Call, command
from safeplan.problems import N_

DocArg = Annotated[
    str,
    typer.Argument(
        help=N_("The document's number, title or id, e.g. 应急管理部令第10号 or mem-10.")
    ),
]


@command(READ)
def criteria_list(c: Call) -> int:
    from safeplan.views.criteria import criteria_list as view_of

    return c.answer(view_of, "criteria:criteria_table")


@command(READ)
def criteria_show(c: Call, document: DocArg) -> int:
    from safeplan.views.criteria import criterion_detail

    return c.answer(
        lambda repo, day: criterion_detail(repo, document, day), "criteria:criterion_detail"
    )
