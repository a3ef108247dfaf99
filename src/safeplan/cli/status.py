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
    json_dump,
    load_repo,
    print_rich,
    problems_note,
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
        errors = sum(1 for p in repo.problems if p.severity == "error")
        if unit is not None and unit not in repo.unit_names():
            raise unknown(s, N_("unit"), unit, repo.unit_names())
        ov = overview(repo.plan, repo.units, repo.tasks, repo.hazards, day, unit)
        if json:
            doc = overview_json(ov, errors)
            doc["unreadable_hazard_files"] = repo.unreadable_hazards
            echo(json_dump(doc))
        else:
            from safeplan.console import status_screen

            screen = status_screen(
                ov, repo.plan, s.tr, errors, unreadable_hazards=len(repo.unreadable_hazards)
            )
            print_rich(screen)
            exit_with(
                1 if errors else 0
            )  # the screen itself says how many problems and what to run
        problems_note(s, errors)
        exit_with(1 if errors else 0)
