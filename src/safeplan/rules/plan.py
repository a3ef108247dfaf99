"""Rules within plan/plan.yaml."""

from __future__ import annotations

from safeplan.models.records import Goal, Plan
from safeplan.problems import N_, Finding
from safeplan.rules.each import ItemRule, each_item, listed_twice


def known_time_zone(name: str) -> bool:
    """Whether the zone database (the system's, or the tzdata package) knows ``name``."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


#: The field a goal of each kind needs to be evaluated.
_GOAL_NEEDS = {"stock_cleared": "discovered_until", "increment_curbed": "discovered_from"}


def _goal_lacks(goal: Goal) -> str | None:
    field = _GOAL_NEEDS.get(goal.kind)
    return field if field is not None and getattr(goal, field) is None else None


_GOAL_RULES: tuple[ItemRule[Goal], ...] = (
    ItemRule(
        lambda g: _goal_lacks(g) is not None,
        (),
        "goal-field",
        N_("goal '{id}' of kind {kind} needs '{field}': add it"),
        lambda g: {"id": g.id, "kind": g.kind, "field": _goal_lacks(g)},
    ),
)


def check_plan(plan: Plan) -> list[Finding]:
    out: list[Finding] = []
    if not known_time_zone(plan.timezone):
        out.append(
            Finding(
                ("timezone",),
                "unknown-timezone",
                N_("unknown time zone '{tz}': use a name like Asia/Shanghai"),
                {"tz": plan.timezone},
            )
        )
    if plan.period.end < plan.period.start:
        out.append(
            Finding(
                ("period", "end"),
                "date-order",
                N_("the period ends ({end}) before it starts ({start}): correct one of the dates"),
                {"end": plan.period.end, "start": plan.period.start},
            )
        )
    out += listed_twice(
        plan.actions,
        "actions",
        "numeral",
        lambda a: a.numeral,
        "duplicate-action",
        N_("action （{numeral}） is listed twice: remove one"),
        lambda a: {"numeral": a.numeral},
    )
    out += listed_twice(
        plan.goals,
        "goals",
        "id",
        lambda g: g.id,
        "duplicate-goal",
        N_("goal '{id}' is listed twice: give each goal its own id"),
        lambda g: {"id": g.id},
    )
    out += each_item(plan.goals, "goals", _GOAL_RULES)
    return out
