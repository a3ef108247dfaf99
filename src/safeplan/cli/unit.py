"""``safeplan unit list|show``."""

from __future__ import annotations

from typing import Annotated

import typer

from safeplan.cli.apps import unit_app
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
    refuse_if_broken,
    session,
    stamped,
    unknown,
)
from safeplan.problems import N_


@unit_app.command("list")
def unit_list(
    as_of: AsOfOpt = None,
    json: JsonOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """List the responsible units with their load (a group counts for each of its members)."""
    with session(root, lang) as s:
        from safeplan.status import overview, unit_json

        day = s.as_of(as_of)
        repo = load_repo(s)
        ov = overview(repo.plan, repo.units, repo.tasks, repo.hazards, day)
        loads = {load.name: load for load in ov.units}
        if json:
            doc = {
                **stamped(day),
                "units": [
                    {
                        **unit_json(loads[u.name]),
                        "full_name": u.full_name,
                        "members": list(u.members),
                    }
                    for u in repo.units
                ],
            }
            echo(json_dump(doc))
        else:
            from safeplan.console import unit_list_table

            print_rich(unit_list_table(repo.units, loads, s.tr))
        finish(s, repo)


@unit_app.command("show")
def unit_show(
    name: Annotated[
        str, typer.Argument(help="The unit's name as the plan writes it, e.g. 镇安监站.")
    ],
    as_of: AsOfOpt = None,
    json: JsonOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """Show one unit: the tasks it leads and co-operates on, and its hazards."""
    with session(root, lang) as s:
        from safeplan.status import (
            expand,
            hazard_json,
            hazard_status,
            task_json,
            task_status,
        )

        day = s.as_of(as_of)
        repo = load_repo(s)
        by_name = {u.name: u for u in repo.units}
        unit = by_name.get(name)
        if unit is None:
            refuse_if_broken(repo, "data/units.yaml")
            raise unknown(s, N_("unit"), name, list(by_name))
        due_soon = repo.plan.rules.due_soon_days if repo.plan else 30

        def involves(names: list[str]) -> bool:
            return any(name == n or name in expand(n, by_name) for n in names)

        lead = [(t, task_status(t, day, due_soon)) for t in repo.tasks if involves(t.units[:1])]
        coop = [
            (t, task_status(t, day, due_soon))
            for t in repo.tasks
            if not involves(t.units[:1]) and involves(t.units[1:])
        ]
        members = {name, *expand(name, by_name)}
        hazards = [
            (h, hazard_status(h, day))
            for h in repo.hazards
            if h.discovered_on <= day and h.responsible_unit in members
        ]
        if json:
            doc = {
                **stamped(day),
                "name": unit.name,
                "kind": unit.kind,
                "full_name": unit.full_name,
                "members": list(unit.members),
                "lead_tasks": [task_json(t, st) for t, st in lead],
                "co_tasks": [task_json(t, st) for t, st in coop],
                "hazards": [hazard_json(h, st) for h, st in hazards],
            }
            echo(json_dump(doc))
        else:
            from safeplan.console import unit_detail

            print_rich(unit_detail(unit, lead, coop, hazards, s.tr))
        finish(s, repo)
