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

    repo = c.repo()
    view = view_of(repo, c.as_of)
    if c.json:
        c.emit(view)
    else:
        from safeplan.render.screens.units import unit_list_table

        c.print(unit_list_table(view, c.tr))
    return c.finish(repo)


@command(READ)
def unit_show(c: Call, name: NameArg) -> int:
    from safeplan.repo import UNITS_FILE
    from safeplan.views.units import unit_detail

    repo = c.repo()
    if name not in repo.unit_names():
        c.refuse_if_broken(repo, UNITS_FILE.as_posix())
    view = unit_detail(repo, name, c.as_of)
    if c.json:
        c.emit(view)
    else:
        from safeplan.render.screens.units import unit_detail as screen

        c.print(screen(view, c.tr))
    return c.finish(repo)
