"""The units with their load, and one unit's tasks and hazards."""

from __future__ import annotations

import datetime as dt

from safeplan.models.views import UnitDetail, UnitList, UnitRow
from safeplan.repo import Repository
from safeplan.status import hazard_status, leads, members, task_involves
from safeplan.views.overview import overview
from safeplan.views.rows import hazard_row, task_row
from safeplan.views.selection import task_states, units_by_name, unknown


def unit_list(repo: Repository, as_of: dt.date) -> UnitList:
    """Every unit with the tasks it leads or co-operates on and its open hazards."""
    loads = {load.name: load for load in overview(repo, as_of).units}
    rows = [
        UnitRow(**dict(loads[u.name]), full_name=u.full_name, members=list(u.members))
        for u in repo.units
    ]
    return UnitList(as_of=as_of, units=rows)


def unit_detail(repo: Repository, name: str, as_of: dt.date) -> UnitDetail:
    """One unit: the tasks it leads, those it co-operates on, and its hazards."""
    by_name = units_by_name(repo)
    unit = by_name.get(name)
    if unit is None:
        raise unknown("unit", name, list(by_name))
    states = task_states(repo.tasks, as_of, repo.plan, repo.enterprises)
    lead = [task_row(t, states[t.number]) for t in repo.tasks if leads(t, name, by_name)]
    coop = [
        task_row(t, states[t.number])
        for t in repo.tasks
        if not leads(t, name, by_name) and task_involves(t, name, by_name)
    ]
    wanted = members(name, by_name)
    hazards = [
        hazard_row(h, hazard_status(h, as_of))
        for h in repo.hazards
        if h.discovered_on <= as_of and h.responsible_unit in wanted
    ]
    return UnitDetail(
        as_of=as_of,
        name=unit.name,
        kind=unit.kind,
        full_name=unit.full_name,
        members=list(unit.members),
        lead_tasks=lead,
        co_tasks=coop,
        hazards=hazards,
        contact=unit.contact,
    )
