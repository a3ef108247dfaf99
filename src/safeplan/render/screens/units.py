"""``safeplan unit list`` and ``unit show`` (``views/units.py``)."""

from __future__ import annotations

from safeplan.models.views import UnitDetail, UnitList
from safeplan.problems import N_
from safeplan.render.grid import Block, Cell, Col, Fields, Grid, Stack, blank
from safeplan.render.i18n import Translator
from safeplan.render.screens.common import (
    LOAD_LEGEND,
    load_cells,
    load_cols,
    text_line,
    unit_names,
)
from safeplan.render.screens.hazards import hazard_table
from safeplan.render.screens.tasks import task_table


def unit_list_table(view: UnitList, tr: Translator) -> Grid:
    table = Grid(
        Col(tr(N_("Unit")), head=True),
        Col(tr(N_("Kind"))),
        *load_cols(tr),
        caption=tr(LOAD_LEGEND),
    )
    for u in view.units:
        table.add_row(u.name, tr.label("unit kind", u.kind), *load_cells(u))
    return table


def unit_detail(view: UnitDetail, tr: Translator) -> Block:
    rows: list[tuple[str, Cell]] = [
        (tr(N_("Unit")), view.name),
        (tr(N_("Kind")), tr.label("unit kind", view.kind)),
    ]
    if view.full_name:
        rows.append((tr(N_("Full name")), view.full_name))
    if view.members:
        rows.append((tr(N_("Members")), unit_names(view.members, tr)))
    if view.contact:
        c = view.contact
        rows.append((tr(N_("Contact")), "  ".join(x for x in (c.person, c.phone, c.email) if x)))
    parts: list[Block] = [Fields(rows)]
    for title, rows_ in (
        (N_("Tasks as lead ({n})"), view.lead_tasks),
        (N_("Tasks as co-operator ({n})"), view.co_tasks),
    ):
        parts += [blank(), text_line(tr(title).format(n=len(rows_)), "bold")]
        if rows_:
            parts.append(task_table(rows_, tr))
    parts += [blank(), text_line(tr(N_("Hazards ({n}):")).format(n=len(view.hazards)), "bold")]
    if view.hazards:
        parts.append(hazard_table(view.hazards, tr))
    return Stack(*parts)
