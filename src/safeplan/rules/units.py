"""Rules within data/units.yaml: names once each, groups and their members."""

from __future__ import annotations

from collections.abc import Sequence

from safeplan.models.records import Unit
from safeplan.problems import N_, Finding, ListOf
from safeplan.rules.hints import closest


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
                        {
                            "group": unit.name,
                            "name": member,
                            "closest": ListOf(closest(member, names)),
                        },
                    )
                )
    return out
