"""The load of each responsible unit: the tasks it leads or co-operates on, and its hazards."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from safeplan.models.records import Task, Unit
from safeplan.models.summary import HazardSummary
from safeplan.status.hazards import HazardStatus
from safeplan.status.tasks import TaskStatus


def expand(name: str, units_by_name: Mapping[str, Unit]) -> list[str]:
    """A unit name, or the members a group stands for."""
    unit = units_by_name.get(name)
    if unit is not None and unit.kind == "group":
        return list(unit.members)
    return [name]


def members(name: str, units_by_name: Mapping[str, Unit]) -> set[str]:
    """A unit and, for a group, the units it stands for."""
    return {name, *expand(name, units_by_name)}


def task_involves(task: Task, unit: str, units_by_name: Mapping[str, Unit]) -> bool:
    return any(unit == u or unit in expand(u, units_by_name) for u in task.units)


def leads(task: Task, unit: str, units_by_name: Mapping[str, Unit]) -> bool:
    lead = task.units[0]
    return unit == lead or unit in expand(lead, units_by_name)


@dataclass
class UnitLoad:
    name: str
    kind: str
    lead_tasks: list[int] = field(default_factory=list)
    co_tasks: list[int] = field(default_factory=list)
    lead_open: int = 0
    lead_overdue: int = 0
    co_open: int = 0
    co_overdue: int = 0
    hazards_open: int = 0
    hazards_overdue: int = 0


def unit_loads(
    units: Sequence[Unit],
    tasks: Sequence[Task],
    task_states: Mapping[int, TaskStatus],
    hazards: Sequence[tuple[HazardSummary, HazardStatus]],
) -> list[UnitLoad]:
    """Load per unit; a group counts for each of its members (and is shown itself too)."""
    by_name = {u.name: u for u in units}
    loads = {u.name: UnitLoad(u.name, u.kind) for u in units}

    def credit(name: str, number: int, lead: bool) -> None:
        state = task_states[number].state
        for target in members(name, by_name):
            load = loads.get(target)
            if load is None:
                continue
            if lead:
                if number in load.lead_tasks:
                    continue
                load.lead_tasks.append(number)
            else:
                if number in load.co_tasks or number in load.lead_tasks:
                    continue
                load.co_tasks.append(number)
            # An ongoing task is never done: one reported on lately (current) is unfinished too.
            unfinished = state not in ("done", "done_late")
            if lead:
                load.lead_open += unfinished
                load.lead_overdue += state == "overdue"
            else:
                load.co_open += unfinished
                load.co_overdue += state == "overdue"

    for task in tasks:
        for i, name in enumerate(task.units):
            credit(name, task.number, lead=i == 0)
    for h, st in hazards:
        if not st.known or st.state in ("closed", "withdrawn"):
            continue
        for target in members(h.responsible_unit, by_name):
            load = loads.get(target)
            if load is not None:
                load.hazards_open += 1
                load.hazards_overdue += st.overdue
    return list(loads.values())
