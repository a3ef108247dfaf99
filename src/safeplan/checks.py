"""Rules across fields and records, beyond what the schemas say.

Each check returns Findings at key paths; the loader turns them into located
Problems (the line lookup needs the file's text, which the checks do not).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from safeplan.models import HAZARD_ID_RE, Cycle, Hazard, Plan, Task, Unit
from safeplan.problems import N_, Fragment, Severity

KeyPath = tuple[str | int, ...]


class Finding(NamedTuple):
    path: KeyPath
    code: str
    template: str
    params: dict[str, Any]
    severity: Severity = "error"
    at_key: bool = False


def closest(name: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Closest names, for 'did you mean' hints (also used by the CLI)."""
    choices = list(choices)
    found = difflib.get_close_matches(name, choices, n=n, cutoff=0.4)
    if not found:
        found = [c for c in choices if name and (name in c or c in name)][:n]
    return found


def _suggest(name: str, choices: Iterable[str]) -> str:
    found = closest(name, choices)
    return "、".join(found) if found else "—"


# --------------------------------------------------------------------------- plan


def check_plan(plan: Plan) -> list[Finding]:
    out: list[Finding] = []
    if plan.period.end < plan.period.start:
        out.append(
            Finding(
                ("period", "end"),
                "date-order",
                N_("the period ends ({end}) before it starts ({start}): correct one of the dates"),
                {"end": plan.period.end, "start": plan.period.start},
            )
        )
    seen: set[str] = set()
    for i, action in enumerate(plan.actions):
        if action.numeral in seen:
            out.append(
                Finding(
                    ("actions", i, "numeral"),
                    "duplicate-action",
                    N_("action （{numeral}） is listed twice: remove one"),
                    {"numeral": action.numeral},
                )
            )
        seen.add(action.numeral)
    goal_ids: set[str] = set()
    for i, goal in enumerate(plan.goals):
        if goal.id in goal_ids:
            out.append(
                Finding(
                    ("goals", i, "id"),
                    "duplicate-goal",
                    N_("goal '{id}' is listed twice: give each goal its own id"),
                    {"id": goal.id},
                )
            )
        goal_ids.add(goal.id)
        if goal.kind == "stock_cleared" and goal.discovered_until is None:
            out.append(
                Finding(
                    ("goals", i),
                    "goal-field",
                    N_("goal '{id}' of kind {kind} needs '{field}': add it"),
                    {"id": goal.id, "kind": goal.kind, "field": "discovered_until"},
                )
            )
        if goal.kind == "increment_curbed" and goal.discovered_from is None:
            out.append(
                Finding(
                    ("goals", i),
                    "goal-field",
                    N_("goal '{id}' of kind {kind} needs '{field}': add it"),
                    {"id": goal.id, "kind": goal.kind, "field": "discovered_from"},
                )
            )
    return out


# --------------------------------------------------------------------------- units


def check_units(units: Sequence[Unit]) -> list[Finding]:
    out: list[Finding] = []
    names = [u.name for u in units]
    seen: set[str] = set()
    for i, unit in enumerate(units):
        if unit.name in seen:
            out.append(
                Finding(
                    ("units", i, "name"),
                    "duplicate-unit",
                    N_("unit '{name}' is listed twice: remove one"),
                    {"name": unit.name},
                )
            )
        seen.add(unit.name)
        if unit.kind == "group" and not unit.members:
            out.append(
                Finding(
                    ("units", i, "kind"),
                    "empty-group",
                    N_("group '{name}' has no members: list the units it stands for"),
                    {"name": unit.name},
                )
            )
        if unit.kind != "group" and unit.members:
            out.append(
                Finding(
                    ("units", i, "members"),
                    "members-not-group",
                    N_("unit '{name}' has members but is not a group: set kind: group"),
                    {"name": unit.name},
                    at_key=True,
                )
            )
        for j, member in enumerate(unit.members):
            if member not in names:
                out.append(
                    Finding(
                        ("units", i, "members", j),
                        "unknown-member",
                        N_(
                            "group '{group}' names unknown unit '{name}': add it to "
                            "data/units.yaml or correct it (closest: {closest})"
                        ),
                        {"group": unit.name, "name": member, "closest": _suggest(member, names)},
                    )
                )
    return out


# --------------------------------------------------------------------------- tasks


def check_tasks(
    tasks: Sequence[Task], action_numerals: Sequence[str], unit_names: Sequence[str]
) -> list[Finding]:
    out: list[Finding] = []
    numbers: set[int] = set()
    for i, task in enumerate(tasks):
        if task.number in numbers:
            out.append(
                Finding(
                    ("tasks", i, "number"),
                    "duplicate-task",
                    N_("task number {number} is used twice: give each task its own number"),
                    {"number": task.number},
                )
            )
        numbers.add(task.number)
        if task.action not in action_numerals:
            out.append(
                Finding(
                    ("tasks", i, "action"),
                    "unknown-action",
                    N_(
                        "task {number} belongs to action （{action}）, which plan/plan.yaml "
                        "does not have: use one of {actions}, or add the action to the plan"
                    ),
                    {
                        "number": task.number,
                        "action": task.action,
                        "actions": "、".join(dict.fromkeys(action_numerals)),
                    },
                )
            )
        for j, unit in enumerate(task.units):
            if unit not in unit_names:
                out.append(
                    Finding(
                        ("tasks", i, "units", j),
                        "unknown-unit",
                        N_(
                            "unknown unit '{name}': add it to data/units.yaml or correct it "
                            "(closest: {closest})"
                        ),
                        {"name": unit, "closest": _suggest(unit, unit_names)},
                    )
                )
        if task.ongoing and task.deadline is not None:
            out.append(
                Finding(
                    ("tasks", i, "deadline"),
                    "ongoing-deadline",
                    N_("task {number} is ongoing (长期坚持) and also has a deadline: keep one"),
                    {"number": task.number},
                )
            )
        if not task.ongoing and task.deadline is None:
            out.append(
                Finding(
                    ("tasks", i),
                    "no-deadline",
                    N_("task {number} has no deadline: add 'deadline' or 'ongoing: true'"),
                    {"number": task.number},
                )
            )
    return out


# --------------------------------------------------------------------------- hazards


def _order(
    out: list[Finding],
    path: KeyPath,
    later: dt.date | None,
    earlier: dt.date | None,
    what_later: str,
    what_earlier: str,
) -> None:
    if later is not None and earlier is not None and later < earlier:
        out.append(
            Finding(
                path,
                "date-order",
                N_("{later} ({later_on}) is dated before {earlier} ({earlier_on}): correct one"),
                {
                    "later": Fragment(what_later),
                    "later_on": later,
                    "earlier": Fragment(what_earlier),
                    "earlier_on": earlier,
                },
            )
        )


def _check_cycle(out: list[Finding], base: KeyPath, cycle: Cycle, discovered: dt.date) -> None:
    rect, acc, clo = cycle.rectification, cycle.acceptance, cycle.closure
    _order(
        out,
        (*base, "rectification", "on"),
        rect.on if rect else None,
        discovered,
        N_("rectification"),
        N_("discovery"),
    )
    _order(
        out,
        (*base, "acceptance", "on"),
        acc.on if acc else None,
        rect.on if rect else None,
        N_("acceptance"),
        N_("rectification"),
    )
    _order(
        out,
        (*base, "closure", "on"),
        clo.on if clo else None,
        acc.on if acc else None,
        N_("closure"),
        N_("acceptance"),
    )
    if acc is not None and rect is None:
        out.append(
            Finding(
                (*base, "acceptance"),
                "accept-unrectified",
                N_("acceptance is recorded but no rectification: record the rectification first"),
                {},
                at_key=True,
            )
        )
    if clo is not None and acc is None:
        out.append(
            Finding(
                (*base, "closure"),
                "close-unaccepted",
                N_(
                    "closure (销号) is recorded without an acceptance (验收): record the acceptance"
                ),
                {},
                at_key=True,
            )
        )
    if clo is not None and acc is not None and acc.result == "failed":
        out.append(
            Finding(
                (*base, "closure"),
                "close-failed",
                N_("closure (销号) follows a failed acceptance: rectify and accept again first"),
                {},
                at_key=True,
            )
        )


def _id_finding(hazard_id: str, file_stem: str) -> list[Finding]:
    if hazard_id == file_stem:
        return []
    return [
        Finding(
            ("id",),
            "id-file-name",
            N_("id '{id}' differs from the file name '{stem}': rename the file or the id"),
            {"id": hazard_id, "stem": file_stem},
        )
    ]


def _unit_finding(unit: str, unit_names: Sequence[str]) -> list[Finding]:
    if unit in unit_names:
        return []
    return [
        Finding(
            ("responsible_unit",),
            "unknown-unit",
            N_(
                "unknown unit '{name}': add it to data/units.yaml or correct it "
                "(closest: {closest})"
            ),
            {"name": unit, "closest": _suggest(unit, unit_names)},
        )
    ]


def check_hazard_data(data: object, file_stem: str, unit_names: Sequence[str]) -> list[Finding]:
    """The reference checks on a record that failed its schema, so that one run shows them too.

    Only values that are themselves well formed are checked: a malformed id or unit
    already has its schema problem.
    """
    if not isinstance(data, dict):
        return []
    hazard_id, unit = data.get("id"), data.get("responsible_unit")
    out: list[Finding] = []
    if isinstance(hazard_id, str) and HAZARD_ID_RE.match(hazard_id):
        out += _id_finding(hazard_id, file_stem)
    if isinstance(unit, str) and unit.strip():
        out += _unit_finding(unit, unit_names)
    return out


def check_hazard(hazard: Hazard, file_stem: str, unit_names: Sequence[str]) -> list[Finding]:
    out = _id_finding(hazard.id, file_stem) + _unit_finding(hazard.responsible_unit, unit_names)
    if hazard.level == "major" and hazard.rectification_plan is None:
        out.append(
            Finding(
                ("level",),
                "no-plan",
                N_(
                    "major hazard without a rectification plan (五落实): add rectification_plan "
                    "with measures, funds, deadline, responsible_person and contingency_plan"
                ),
                {},
                at_key=True,
            )
        )
    plan = hazard.rectification_plan
    if plan is not None:
        _order(
            out,
            ("rectification_plan", "deadline"),
            plan.deadline,
            hazard.discovered_on,
            N_("the rectification deadline"),
            N_("discovery"),
        )
    current = Cycle(
        rectification=hazard.rectification, acceptance=hazard.acceptance, closure=hazard.closure
    )
    _check_cycle(out, (), current, hazard.discovered_on)
    previous_end: dt.date = hazard.discovered_on
    for i, reopening in enumerate(hazard.reopenings):
        _check_cycle(out, ("reopenings", i, "previous"), reopening.previous, hazard.discovered_on)
        closed = reopening.previous.closure
        _order(
            out,
            ("reopenings", i, "on"),
            reopening.on,
            closed.on if closed else previous_end,
            N_("the reopening"),
            N_("the closure it reopens") if closed else N_("the previous event"),
        )
        previous_end = reopening.on
    if hazard.reopenings:
        last = hazard.reopenings[-1].on
        rect = hazard.rectification
        _order(
            out,
            ("rectification", "on"),
            rect.on if rect else None,
            last,
            N_("rectification"),
            N_("the last reopening"),
        )
    dr = hazard.double_report
    for key, day, what in (
        ("regulator_on", dr.regulator_on if dr else None, N_("the report to the regulator")),
        ("workers_on", dr.workers_on if dr else None, N_("the report to the workers' congress")),
    ):
        _order(out, ("double_report", key), day, hazard.discovered_on, what, N_("discovery"))
    for i, sup in enumerate(hazard.supervision):
        _order(
            out,
            ("supervision", i, "listed_on"),
            sup.listed_on,
            hazard.discovered_on,
            N_("listing it for supervision"),
            N_("discovery"),
        )
    for i, note in enumerate(hazard.notes):
        _order(
            out, ("notes", i, "on"), note.on, hazard.discovered_on, N_("a note"), N_("discovery")
        )
    for i, sup in enumerate(hazard.supervision):
        _order(
            out,
            ("supervision", i, "lifted_on"),
            sup.lifted_on,
            sup.listed_on,
            N_("lifting the supervision"),
            N_("listing it"),
        )
    return out
