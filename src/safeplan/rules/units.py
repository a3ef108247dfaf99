"""Rules within data/units.yaml: names once each, groups and their members."""

from __future__ import annotations

from collections.abc import Sequence

from safeplan.models.records import Unit
from safeplan.problems import N_, Finding, ListOf
from safeplan.rules.each import ItemRule, each_item, listed_twice
from safeplan.rules.hints import closest

_RULES: tuple[ItemRule[Unit], ...] = (
    ItemRule(
        lambda u: u.kind == "group" and not u.members,
        ("kind",),
        "empty-group",
        N_("group '{name}' has no members: list the units it stands for"),
        lambda u: {"name": u.name},
    ),
    ItemRule(
        lambda u: u.kind != "group" and bool(u.members),
        ("members",),
        "members-not-group",
        N_("unit '{name}' has members but is not a group: set kind: group"),
        lambda u: {"name": u.name},
        at_key=True,
    ),
)


def check_units(units: Sequence[Unit]) -> list[Finding]:
    names = [u.name for u in units]
    out = listed_twice(
        units,
        "units",
        "name",
        lambda u: u.name,
        "duplicate-unit",
        N_("unit '{name}' is listed twice: remove one"),
        lambda u: {"name": u.name},
    )
    out += each_item(units, "units", _RULES)
    for i, unit in enumerate(units):
        out += [
            Finding(
                ("units", i, "members", j),
                "unknown-member",
                N_(
                    "group '{group}' names unknown unit '{name}': add it to "
                    "data/units.yaml or correct it (closest: {closest})"
                ),
                {"group": unit.name, "name": member, "closest": ListOf(closest(member, names))},
            )
            for j, member in enumerate(unit.members)
            if member not in names
        ]
    return out
