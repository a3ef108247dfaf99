"""Rules within plan/plan.yaml."""

from __future__ import annotations

from safeplan.models.records import Plan
from safeplan.problems import N_, Finding


def known_time_zone(name: str) -> bool:
    """Whether the zone database (the system's, or the tzdata package) knows ``name``."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


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
        needed = {"stock_cleared": "discovered_until", "increment_curbed": "discovered_from"}
        field = needed.get(goal.kind)
        if field is not None and getattr(goal, field) is None:
            out.append(
                Finding(
                    ("goals", i),
                    "goal-field",
                    N_("goal '{id}' of kind {kind} needs '{field}': add it"),
                    {"id": goal.id, "kind": goal.kind, "field": field},
                )
            )
    return out
