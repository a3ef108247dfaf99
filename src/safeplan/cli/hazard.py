"""``safeplan hazard list|show``."""

from __future__ import annotations

from typing import Annotated

import typer

from safeplan.cli.apps import hazard_app
from safeplan.cli.common import (
    AsOfOpt,
    JsonOpt,
    LangOpt,
    RootOpt,
    echo,
    finish,
    json_dump,
    load_repo,
    print_rich,
    session,
    stamped,
    unknown,
)
from safeplan.errors import UsageError
from safeplan.problems import N_

STATES = ("open", "rectified", "accepted", "closed")
LEVELS = ("major", "general")
#: The words on the Chinese screens, accepted as filter values too.
STATE_WORDS = {"待整改": "open", "待验收": "rectified", "待销号": "accepted", "已销号": "closed"}
LEVEL_WORDS = {"重大": "major", "一般": "general"}


@hazard_app.command("list")
def hazard_list(
    state: Annotated[
        str | None,
        typer.Option("--state", metavar="STATE", help="open, rectified, accepted or closed."),
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only hazards open past their deadline.")
    ] = False,
    level: Annotated[
        str | None, typer.Option("--level", metavar="LEVEL", help="major or general.")
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", metavar="UNIT", help="The responsible unit.")
    ] = None,
    as_of: AsOfOpt = None,
    json: JsonOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """List registered hazards with their state as of a day (hazards found later are left out)."""
    with session(root, lang) as s:
        from safeplan.status import expand, hazard_json, hazard_status

        state = STATE_WORDS.get(state, state) if state else state
        level = LEVEL_WORDS.get(level, level) if level else level
        for option, value, choices, words in (
            ("--state", state, STATES, STATE_WORDS),
            ("--level", level, LEVELS, LEVEL_WORDS),
        ):
            if value is not None and value not in choices:
                raise UsageError(
                    N_("{option}: '{value}' is not one of {choices}"),
                    option=option,
                    value=value,
                    choices=", ".join(choices) + " (" + "、".join(words) + ")",
                )
        day = s.as_of(as_of)
        repo = load_repo(s)
        by_name = {u.name: u for u in repo.units}
        if unit is not None and unit not in by_name:
            raise unknown(s, N_("unit"), unit, list(by_name))
        members = {unit, *expand(unit, by_name)} if unit else set()
        rows = [(h, hazard_status(h, day)) for h in repo.hazards if h.discovered_on <= day]
        rows = [
            (h, st)
            for h, st in rows
            if (state is None or st.state == state)
            and (not overdue or st.overdue)
            and (level is None or h.level == level)
            and (unit is None or h.responsible_unit in members)
        ]
        rows.sort(key=lambda hs: (hs[0].discovered_on, hs[0].id))
        if json:
            doc = {
                **stamped(day),
                "hazards": [hazard_json(h, st) for h, st in rows],
            }
            echo(json_dump(doc))
        else:
            from safeplan.console import hazard_table

            if rows:
                print_rich(hazard_table(rows, s.tr))
            else:
                echo(s.tr(N_("no hazards match")))
        finish(s, repo)


@hazard_app.command("show")
def hazard_show(
    hazard_id: Annotated[
        str, typer.Argument(metavar="ID", help="The hazard's id (its file name).")
    ],
    as_of: AsOfOpt = None,
    json: JsonOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """Show one hazard in full, with its state as of a day."""
    with session(root, lang) as s:
        from safeplan.errors import DataError
        from safeplan.models import summarize
        from safeplan.status import hazard_json, hazard_status
        from safeplan.store import check_hazard_id, hazard_ids, hazard_path, load_hazard

        day = s.as_of(as_of)
        check_hazard_id(hazard_id)
        if not hazard_path(s.root, hazard_id).is_file():
            raise unknown(s, N_("hazard"), hazard_id, hazard_ids(s.root))
        hazard, rel, problems = load_hazard(s.root, hazard_id)
        if hazard is None:
            raise DataError(N_("{path} has problems: fix them first"), problems, path=rel)
        summary = summarize(hazard, rel)
        st = hazard_status(summary, day)
        if json:
            doc = {
                **stamped(day),
                **hazard_json(summary, st),
                "record": hazard.model_dump(mode="json", exclude_none=True),
            }
            echo(json_dump(doc))
        else:
            from safeplan.console import hazard_detail

            print_rich(hazard_detail(hazard, st, day, s.tr))
