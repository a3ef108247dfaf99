"""``safeplan unit list|show``."""

from __future__ import annotations

from typing import Annotated

import typer

from safeplan.cli.options import READ, Call, command
from safeplan.problems import N_

NameArg = Annotated[
    str, typer.Argument(help=N_("The unit's name as the plan writes it, e.g. 镇安监站."))
]


@command(READ)
def unit_list(c: Call) -> int:
    from safeplan.views.units import unit_list as view_of

    return c.answer(view_of, "units:unit_list_table")


@command(READ)
def unit_show(c: Call, name: NameArg) -> int:
    from safeplan.repo import UNITS_FILE
    from safeplan.views.units import unit_detail

    repo = c.repo()
    if name not in repo.unit_names():
        c.refuse_if_broken(repo, UNITS_FILE.as_posix())
    c.show(unit_detail(repo, name, c.as_of), "units:unit_detail")
    return c.finish(repo)
