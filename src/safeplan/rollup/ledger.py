"""The county's ledger (台账): each town's own ledger (``views.ledger``), one after another,
each row naming its town; the cover's counts are the towns' covers added up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from safeplan.models.ledger import Ledger, LedgerCover, LedgerHazardRow, LedgerTaskRow
from safeplan.models.rollup import CountyFile
from safeplan.rollup.load import TownLoad
from safeplan.rollup.picture import sum_rates
from safeplan.views.ledger import ledger


def county_ledger(
    county: CountyFile, loads: Iterable[TownLoad], as_of: dt.date
) -> tuple[Ledger, list[str]]:
    """The ledger of the towns that can be read, and the names of those that cannot."""
    hazards: list[LedgerHazardRow] = []
    tasks: list[LedgerTaskRow] = []
    covers: list[LedgerCover] = []
    missing: list[str] = []
    for load in loads:
        if load.repo is None:
            missing.append(load.town.name)
            continue
        town = ledger(load.repo, as_of)
        name = load.town.name
        for row in town.hazards:
            hazards.append(row.model_copy(update={"number": len(hazards) + 1, "town": name}))
        for t in town.tasks:
            tasks.append(t.model_copy(update={"town": name}))
        covers.append(
            town.cover.model_copy(
                update={"left_out": [f"{name}: {f}" for f in town.cover.left_out]}
            )
        )
    cover = LedgerCover(
        title=county.name,
        issuer=None,
        as_of=as_of,
        hazards=_levels(c.hazards for c in covers),
        hazards_total=sum(c.hazards_total for c in covers),
        overdue=sum(c.overdue for c in covers),
        plan_missing=sum(c.plan_missing for c in covers),
        withdrawn=sum(c.withdrawn for c in covers),
        invalid=sum(c.invalid for c in covers),
        tasks=_add(c.tasks for c in covers),
        problems=sum(c.problems for c in covers),
        left_out=[f for c in covers for f in c.left_out] + [f"{m}: …" for m in missing],
        rates=sum_rates(c.rates for c in covers),
    )
    view = Ledger(
        cover=cover,
        hazards=hazards,
        tasks=tasks,
        show_basis=any(r.basis for r in hazards),
        show_town=True,
    )
    return view, missing


def _add(parts: Iterable[dict[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in parts:
        for k, v in part.items():
            out[k] = out.get(k, 0) + v
    return out


def _levels(parts: Iterable[dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for part in parts:
        for level, states in part.items():
            out[level] = _add([out.get(level, {}), states])
    return out
