"""``safeplan status``: one screen that answers "where do we stand"."""

from __future__ import annotations

from typing import Annotated

import typer

from safeplan.cli import app
from safeplan.cli.common import (
    AsOfOpt,
    JsonOpt,
    LangOpt,
    RootOpt,
    echo,
    exit_with,
    finish,
    json_dump,
    load_repo,
    print_rich,
    session,
    unknown,
)
from safeplan.problems import N_

UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit",
        metavar="UNIT",
        help="Only what this unit leads, co-operates on or is responsible for.",
    ),
]


@app.command()
def status(
    as_of: AsOfOpt = None,
    unit: UnitOpt = None,
    json: JsonOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """Tasks by status, hazards by state and level, the plan's goals, and the load per unit.

    Exit 0, or 1 when the data has validation problems (what can be shown is shown).
    """
    with session(root, lang) as s:
        from safeplan.status import overview, overview_json

        day = s.as_of(as_of)
        repo = load_repo(s)
        if unit is not None and unit not in repo.unit_names():
            raise unknown(s, N_("unit"), unit, repo.unit_names())
        ov = overview(repo.plan, repo.units, repo.tasks, repo.hazards, day, unit)
        if json:
            doc = overview_json(ov, repo.errors)
            doc["unreadable_hazard_files"] = repo.unreadable_hazards
            echo(json_dump(doc))
        else:
            from safeplan.console import status_screen

            unreadable = len(repo.unreadable_hazards)
            print_rich(
                status_screen(ov, repo.plan, s.tr, repo.errors, unreadable_hazards=unreadable)
            )
            exit_with(1 if repo.errors else 0)  # the screen says how many problems, and what to run
        finish(s, repo)
