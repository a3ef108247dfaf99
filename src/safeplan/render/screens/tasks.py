"""``safeplan task list`` and ``task show`` (``views/tasks.py``)."""

from __future__ import annotations

from collections.abc import Sequence

from safeplan.models.views import TaskDetail, TaskList, TaskRow
from safeplan.problems import N_
from safeplan.render.grid import Block, Cell, Col, Fields, Grid, Stack, Text, blank
from safeplan.render.i18n import Translator
from safeplan.render.screens.common import (
    date_text,
    task_deadline,
    task_state_cell,
    text_line,
    unit_names,
)


def task_table(rows: Sequence[TaskRow], tr: Translator) -> Grid:
    table = Grid(
        Col(tr(N_("No.")), "right", head=True),
        Col(tr(N_("Action")), head=True),
        Col(tr(N_("Task")), flex=2, min_width=14),
        Col(tr(N_("Units")), flex=1, min_width=8),
        Col(tr(N_("Deadline"))),
        Col(tr(N_("Status")), head=True),
    )
    for row in rows:
        table.add_row(
            str(row.number),
            f"（{row.action}）",
            row.title,
            unit_names(row.units, tr),
            task_deadline(row, tr),
            task_state_cell(row, tr),
        )
    return table


def task_listing(view: TaskList, tr: Translator) -> Grid:
    """``task list``: the table of the tasks its filters keep."""
    return task_table(view.tasks, tr)


def task_detail(view: TaskDetail, tr: Translator) -> Block:
    rows: list[tuple[str, Cell]] = [
        (tr(N_("Task")), f"{view.number}．{view.title}"),
        (tr(N_("Action")), f"（{view.action}）{view.action_title or ''}"),
        (tr(N_("Status")), task_state_cell(view, tr)),
        (tr(N_("Deadline")), task_deadline(view, tr)),
        (tr(N_("Lead unit")), view.lead_unit),
        (tr(N_("Co-operating")), unit_names(view.units[1:], tr) if view.units[1:] else "—"),
    ]
    if view.check_in:
        rows.append((tr(N_("Check-in")), tr.label("check-in period", view.check_in)))
    if view.done_on:
        rows.append((tr(N_("Done on")), date_text(view.done_on)))
    parts: list[Block] = [Fields(rows), blank(), Text(view.text)]
    if view.progress:
        table = Grid(
            Col(tr(N_("Date")), head=True),
            Col(tr(N_("Progress")), flex=1, min_width=12),
            Col(tr(N_("Evidence")), flex=1, min_width=12),
            title=tr(N_("Progress notes")),
        )
        for note in view.progress:
            table.add_row(note.on.isoformat(), note.note, "\n".join(note.evidence))
        parts += [blank(), table]
    else:
        parts += [blank(), text_line(tr(N_("no progress notes yet")), "dim")]
    for r in view.reopenings:
        parts.append(
            Text(
                tr(N_("completion withdrawn on {date}: {reason}")).format(
                    date=r.on, reason=r.reason
                )
            )
        )
    return Stack(*parts)
