"""``safeplan hazard list`` and the tables of hazards in other screens (``views/hazards.py``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from safeplan.models.views import HazardList, HazardRow
from safeplan.problems import N_
from safeplan.render.grid import Cell, Col, Grid, Paragraph, ready, widest_word
from safeplan.render.i18n import Translator
from safeplan.render.screens.common import (
    date_text,
    deadline_cell,
    field_label,
    state_lines,
    styled_lines,
)
from safeplan.render.text import inert
from safeplan.render.width import cell_width

_Shape = tuple[str, int | None, int | None, bool, bool]


def _shape(row: HazardRow) -> _Shape:
    """What a row's state cell says (``state_lines``): few rows differ in it."""
    overdue = row.days_overdue if row.overdue else None
    return (row.state, overdue, row.rectified_late_days, row.plan_missing, row.invalid)


def _hazard_columns(tr: Translator) -> tuple[Col, ...]:
    return (
        Col(field_label(tr, "id"), head=True),
        Col(field_label(tr, "level"), head=True),
        Col(field_label(tr, "title"), flex=1, min_width=12),
        Col(field_label(tr, "responsible_unit")),
        Col(field_label(tr, "rectification_plan.deadline")),
        Col(tr(N_("State")), head=True),
    )


def _hazard_cells(row: HazardRow, tr: Translator, state: list[Paragraph]) -> tuple[Cell, ...]:
    return (
        row.id,
        tr.label("level", row.level),
        row.title,
        row.responsible_unit,
        deadline_cell(row.deadline, row.extended, row.state, tr),
        state,
    )


def hazard_table(rows: Sequence[HazardRow], tr: Translator, title: str | None = None) -> Grid:
    table = Grid(*_hazard_columns(tr), title=title)
    for row in rows:
        table.add_row(*_hazard_cells(row, tr, styled_lines(state_lines(tr, *_shape(row)))))
    return table


def hazard_listing(view: HazardList, tr: Translator) -> Grid:
    """Every hazard of a listing, made row by row as the grid draws them (never all held).

    The columns' widths come from one pass over the listing's light texts first; a
    state cell is made once for each shape of state (there are few)."""
    natural = [0] * 6
    least = [0] * 6  # the title's widest word: an id in a title is not cut either
    extended = cell_width(tr(N_("extended")))
    levels: dict[str, int] = {}
    cells_of: dict[_Shape, list[Paragraph]] = {}
    widths: dict[_Shape, int] = {}

    def state_cell(shape: _Shape) -> list[Paragraph]:
        cell = cells_of.get(shape)
        if cell is None:
            lines = state_lines(tr, *shape)
            widths[shape] = max(cell_width(text) for text, _ in lines)
            cell = cells_of[shape] = ready(styled_lines(lines))
        return cell

    for t in view.texts():
        natural[0] = max(natural[0], len(t.id))  # ids are ASCII: never escaped
        natural[2] = max(natural[2], cell_width(inert(t.title)))
        least[2] = max(least[2], widest_word(t.title))
        natural[3] = max(natural[3], cell_width(inert(t.responsible_unit)))
        natural[4] = max(
            natural[4], cell_width(date_text(t.deadline)), extended if t.extended else 0
        )
        w = levels.get(t.level)
        if w is None:
            w = levels[t.level] = cell_width(tr.label("level", t.level))
        natural[1] = max(natural[1], w)
        shape = (t.state, t.days_overdue, t.rectified_late_days, t.plan_missing, t.invalid)
        if shape not in widths:
            state_cell(shape)
        natural[5] = max(natural[5], widths[shape])

    def cells() -> Iterator[tuple[Cell, ...]]:
        for row in view.rows():
            yield _hazard_cells(row, tr, state_cell(_shape(row)))

    return Grid(*_hazard_columns(tr), rows=cells, natural=natural, least=least)
