"""Terminal screens with rich: they render the view models, and decide nothing.

Record text is always wrapped in ``Text`` (never parsed as markup: a title with
``[...]`` stays as written) and long Chinese cells fold instead of being cut.
Works at 80 columns, with NO_COLOR, and piped (rich emits no control codes then).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from safeplan.models.records import Cycle
from safeplan.models.views import (
    GoalView,
    HazardDetail,
    HazardList,
    HazardRow,
    Overview,
    TaskDetail,
    TaskRow,
    UnitDetail,
    UnitList,
    UnitLoadView,
)
from safeplan.problems import N_, NP_
from safeplan.render.grid import Cell, Col, Grid, width_of
from safeplan.render.i18n import Translator
from safeplan.render.text import inert, param
from safeplan.status import HAZARD_STATES, TASK_STATES

TASK_STATE_STYLES = {
    "done": "green",
    "done_late": "green",
    "overdue": "bold red",
    "due_soon": "yellow",
    "open": "",
    "current": "green",
    "stale": "red",
}
VERDICT_STYLES = {"met": "green", "not_met": "bold red", "not_yet_due": "yellow"}
LOAD_LEGEND = N_("tasks: all / unfinished / overdue; hazards: open / overdue")


def make_console(width: int | None = None) -> Console:
    """A console for stdout; numbers are not auto-highlighted, record text is never markup."""
    return Console(highlight=False, width=width, soft_wrap=False)


def _table(
    *columns: tuple[str, dict[str, Any]], title: str | None = None, caption: str | None = None
) -> Table:
    table = Table(
        title=title,
        caption=caption,
        caption_justify="left",
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        expand=False,
    )
    for header, options in columns:
        table.add_column(header, overflow="fold", **options)
    return table


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def _task_state(row: TaskRow, tr: Translator) -> Text:
    label = tr.label("task status", row.status)
    if row.status == "overdue" and row.days_overdue is not None:
        label += " " + tr(N_("{days} d")).format(days=row.days_overdue)
    elif row.status in ("open", "due_soon") and row.days_left is not None:
        label += " " + tr(N_("{days} d left")).format(days=row.days_left)
    return Text(label, style=TASK_STATE_STYLES.get(row.status, ""))


def _hazard_state(row: HazardRow, tr: Translator) -> list[tuple[str, str]]:
    lines = [(tr.label("hazard state", row.state), "green" if row.state == "closed" else "")]
    if row.overdue and row.days_overdue is not None:
        lines.append((tr(N_("overdue {days}d")).format(days=row.days_overdue), "bold red"))
    return lines


def _deadline(row: TaskRow, tr: Translator) -> str:
    return tr(N_("ongoing")) if row.ongoing else _d(row.deadline)


# --------------------------------------------------------------------------- status


def status_screen(ov: Overview, tr: Translator, tasks_shown: int = 15) -> RenderableType:
    """Where the plan stands: the heading, the late tasks, the hazards, goals and load."""
    parts: list[RenderableType] = _status_heading(ov, tr)
    parts += [Text(), *_late_tasks(ov, tr, tasks_shown)]
    parts += [Text(), *_hazard_figures(ov, tr, tasks_shown)]
    if ov.goals:
        parts += [Text(), goals_table(ov.goals, tr)]
    if ov.units:
        parts += [Text(), units_table(ov.units, tr), Text(tr(LOAD_LEGEND), style="dim")]
    return Group(*parts)


def _status_heading(ov: Overview, tr: Translator) -> list[RenderableType]:
    parts: list[RenderableType] = []
    plan = ov.plan
    title = Text(inert(plan.title) if plan else "safeplan", style="bold")
    title.append("  " + tr(N_("as of {date}")).format(date=ov.as_of.isoformat()), style="")
    if ov.unit:
        title.append("  " + tr(N_("unit: {unit}")).format(unit=ov.unit))
    parts.append(title)
    if plan is not None and not plan.start <= ov.as_of <= plan.end:
        parts.append(
            Text(
                tr(N_("{date} is outside the plan's period ({start} to {end})")).format(
                    date=ov.as_of.isoformat(),
                    start=plan.start.isoformat(),
                    end=plan.end.isoformat(),
                ),
                style="yellow",
            )
        )
    if ov.problems:
        note = NP_(
            "validation found {n} problem: the figures below may be incomplete; "
            "run 'safeplan validate' to see it",
            "validation found {n} problems: the figures below may be incomplete; "
            "run 'safeplan validate' to see them",
            ov.problems,
        )
        parts.append(Text(param(note, tr), style="bold red"))
    return parts


def _late_tasks(ov: Overview, tr: Translator, shown: int) -> list[RenderableType]:
    """The count of tasks by status, and the late ones, most urgent first."""
    counts = ov.tasks.counts
    label = tr(N_("Tasks ({n}):")).format(n=len(ov.tasks.items))
    line = Text(label + ("" if label.endswith("：") else " "), style="bold")
    first = True
    for state in TASK_STATES:
        if not counts.get(state) and state in ("current", "stale"):
            continue
        if not first:
            line.append(" · ")
        first = False
        line.append(
            f"{tr.label('task status', state)} {counts.get(state, 0)}",
            style=TASK_STATE_STYLES[state],
        )
    parts: list[RenderableType] = [line]
    by_number = {row.number: row for row in ov.tasks.items}
    late = [by_number[n] for n in ov.tasks.late]
    if not late:
        return parts
    table = Grid(
        Col(tr(N_("No.")), "right"),
        Col(tr(N_("Task")), flex=1, min_width=16),
        Col(tr(N_("Lead unit"))),
        Col(tr(N_("Deadline"))),
        Col(tr(N_("Status"))),
    )
    for row in late[:shown]:
        table.add_row(
            str(row.number), row.title, row.lead_unit, _deadline(row, tr), _task_state(row, tr)
        )
    parts.append(table)
    if len(late) > shown:
        more = tr(N_("… and {n} more: safeplan task list --status overdue"))
        parts.append(Text(more.format(n=len(late) - shown), style="dim"))
    return parts


def _hazard_figures(ov: Overview, tr: Translator, shown: int) -> list[RenderableType]:
    """Hazards by level and state, and the overdue ones, major and longest overdue first."""
    total = ov.hazards.total
    parts: list[RenderableType] = [Text(tr(N_("Hazards ({n}):")).format(n=total), style="bold")]
    if total:
        counts_table = _table(
            (tr(N_("Level")), {"no_wrap": True}),
            *[(tr.label("hazard state", s), {"justify": "right"}) for s in HAZARD_STATES],
            (tr(N_("overdue")), {"justify": "right", "style": "red"}),
        )
        for level in ("major", "general"):
            row = ov.hazards.counts.get(level)
            if row:
                counts_table.add_row(
                    tr.label("level", level),
                    *[str(row.get(s, 0)) for s in HAZARD_STATES],
                    str(row["overdue"]),
                )
        parts.append(counts_table)
        by_id = {row.id: row for row in ov.hazards.items}
        overdue = [by_id[i] for i in ov.hazards.overdue]
        if overdue:
            parts.append(hazard_table(overdue[:shown], tr, title=tr(N_("Overdue hazards"))))
            if len(overdue) > shown:
                more = tr(N_("… and {n} more: safeplan hazard list --overdue"))
                parts.append(Text(more.format(n=len(overdue) - shown), style="dim"))
    elif not ov.unreadable_hazard_files:
        parts.append(Text(tr(N_("no hazards registered")), style="dim"))
    if ov.unreadable_hazard_files:
        note = NP_(
            "{n} hazard file could not be read and is not counted here or in "
            "the goals: run 'safeplan validate'",
            "{n} hazard files could not be read and are not counted here or in "
            "the goals: run 'safeplan validate'",
            len(ov.unreadable_hazard_files),
        )
        parts.append(Text(param(note, tr), style="bold red"))
    return parts


def goals_table(goals: Sequence[GoalView], tr: Translator) -> Table:
    table = _table(
        (tr(N_("Goal")), {"ratio": 1, "min_width": 16}),
        (tr(N_("Due")), {"no_wrap": True}),
        (tr(N_("Verdict")), {"no_wrap": True}),
        (tr(N_("Detail")), {"ratio": 1, "min_width": 14}),
        title=tr(N_("Goals")),
    )
    for g in goals:
        table.add_row(
            Text(inert(g.title)),
            g.due.isoformat(),
            Text(tr.label("verdict", g.verdict), style=VERDICT_STYLES[g.verdict]),
            Text(inert(goal_detail(g, tr))),
        )
    return table


def goal_detail(g: GoalView, tr: Translator) -> str:
    parts = [tr(N_("{closed} of {total} closed")).format(closed=g.closed, total=g.total)]
    if g.kind == "increment_curbed":
        recent = ", ".join(f"{q}: {n}" for q, n in list(g.per_quarter.items())[-4:])
        parts.append(
            tr(N_("new per quarter {recent}; trend {trend}")).format(
                recent=recent or "—", trend=tr.label("trend", g.trend)
            )
        )
    if g.breaking:
        more = len(g.breaking) - 3
        shown = ", ".join(g.breaking[:3])
        if more > 0:
            shown += tr(N_(" and {n} more")).format(n=more)
        label = N_("breaking: {ids}") if g.verdict == "not_met" else N_("at risk: {ids}")
        parts.append(tr(label).format(ids=shown))
    return tr(N_("; ")).join(parts)


def _load_cells(load: UnitLoadView) -> tuple[str, str, str]:
    return (
        f"{len(load.lead_tasks)} / {load.lead_open} / {load.lead_overdue}",
        f"{len(load.co_tasks)} / {load.co_open} / {load.co_overdue}",
        f"{load.hazards_open} / {load.hazards_overdue}",
    )


def units_table(loads: Sequence[UnitLoadView], tr: Translator) -> Table:
    table = _table(
        (tr(N_("Unit")), {"no_wrap": True}),
        (tr(N_("Lead")), {"justify": "right", "no_wrap": True}),
        (tr(N_("Co-op")), {"justify": "right", "no_wrap": True}),
        (tr(N_("Hazards")), {"justify": "right", "no_wrap": True}),
        title=tr(N_("Load per unit")),
    )
    for load in loads:
        table.add_row(Text(inert(load.name)), *_load_cells(load))
    return table


# --------------------------------------------------------------------------- tasks


def task_table(rows: Sequence[TaskRow], tr: Translator) -> Grid:
    table = Grid(
        Col(tr(N_("No.")), "right"),
        Col(tr(N_("Action"))),
        Col(tr(N_("Task")), flex=2, min_width=16),
        Col(tr(N_("Units")), flex=1, min_width=8),
        Col(tr(N_("Deadline"))),
        Col(tr(N_("Status"))),
    )
    for row in rows:
        table.add_row(
            str(row.number),
            f"（{row.action}）",
            row.title,
            tr.join(row.units),
            _deadline(row, tr),
            _task_state(row, tr),
        )
    return table


def _kv(rows: Sequence[tuple[str, RenderableType | str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold", ratio=1)
    for key, value in rows:
        table.add_row(key, Text(inert(value)) if isinstance(value, str) else value)
    return table


def task_detail(view: TaskDetail, tr: Translator) -> RenderableType:
    rows: list[tuple[str, RenderableType | str]] = [
        (tr(N_("Task")), f"{view.number}．{view.title}"),
        (tr(N_("Action")), f"（{view.action}）{view.action_title or ''}"),
        (tr(N_("Status")), _task_state(view, tr)),
        (tr(N_("Deadline")), _deadline(view, tr)),
        (tr(N_("Lead unit")), view.lead_unit),
        (tr(N_("Co-operating")), tr.join(view.units[1:]) or "—"),
    ]
    if view.check_in:
        rows.append((tr(N_("Check-in")), tr.label("check-in period", view.check_in)))
    if view.done_on:
        rows.append((tr(N_("Done on")), _d(view.done_on)))
    parts: list[RenderableType] = [_kv(rows), Text(), Text(inert(view.text))]
    if view.progress:
        table = _table(
            (tr(N_("Date")), {"no_wrap": True}),
            (tr(N_("Progress")), {"ratio": 1}),
            (tr(N_("Evidence")), {"ratio": 1}),
            title=tr(N_("Progress notes")),
        )
        for note in view.progress:
            table.add_row(
                note.on.isoformat(),
                Text(inert(note.note)),
                Text(inert("\n".join(note.evidence))),
            )
        parts += [Text(), table]
    else:
        parts += [Text(), Text(tr(N_("no progress notes yet")), style="dim")]
    for r in view.reopenings:
        parts.append(
            Text(inert(tr(N_("reopened on {date}: {reason}")).format(date=r.on, reason=r.reason)))
        )
    return Group(*parts)


# --------------------------------------------------------------------------- hazards


def _hazard_columns(tr: Translator) -> tuple[Col, ...]:
    return (
        Col(tr(N_("Id"))),
        Col(tr(N_("Level"))),
        Col(tr(N_("Hazard")), flex=2, min_width=12),
        Col(tr(N_("Unit")), flex=1, min_width=6),
        Col(tr(N_("Deadline"))),
        Col(tr(N_("State"))),
    )


def _hazard_cells(row: HazardRow, tr: Translator) -> tuple[Cell, ...]:
    return (
        row.id,
        tr.label("level", row.level),
        row.title,
        row.responsible_unit,
        _d(row.deadline),
        _hazard_state(row, tr),
    )


def hazard_table(rows: Sequence[HazardRow], tr: Translator, title: str | None = None) -> Grid:
    table = Grid(*_hazard_columns(tr), title=title)
    for row in rows:
        table.add_row(*_hazard_cells(row, tr))
    return table


def hazard_listing(view: HazardList, tr: Translator) -> Grid:
    """Every hazard of a listing, made row by row as the grid draws them (never all held).

    The columns' widths come from one pass over the listing's light texts first."""
    natural = [0] * 6
    labels: dict[tuple[str, str], int] = {}
    for t in view.texts():
        natural[0] = max(natural[0], len(t.id))  # ids are ASCII: never escaped
        natural[2] = max(natural[2], width_of(inert(t.title)))
        natural[3] = max(natural[3], width_of(inert(t.responsible_unit)))
        natural[4] = max(natural[4], width_of(_d(t.deadline)))
        for key in (("level", t.level), ("hazard state", t.state)):
            if key not in labels:
                labels[key] = width_of(tr.label(*key))
        natural[1] = max(natural[1], labels[("level", t.level)])
        state = labels[("hazard state", t.state)]
        if t.days_overdue is not None:
            late = width_of(tr(N_("overdue {days}d")).format(days=t.days_overdue))
            state = max(state, late)
        natural[5] = max(natural[5], state)

    def cells() -> Iterator[tuple[Cell, ...]]:
        for row in view.rows():
            yield _hazard_cells(row, tr)

    return Grid(*_hazard_columns(tr), rows=cells, natural=natural)


def hazard_detail(view: HazardDetail, tr: Translator) -> RenderableType:
    """One hazard in full. Facts dated after the as-of day are shown, marked as not counted yet."""
    h = view.record
    as_of = view.as_of
    known = h.discovered_on <= as_of

    def fact(day: dt.date, text: str) -> Text:
        out = Text(inert(text))
        if day > as_of:
            out.append(
                tr(N_(" (after {date}: not counted yet)")).format(date=as_of.isoformat()),
                style="dim",
            )
        return out

    rows: list[tuple[str, RenderableType | str]] = [
        (tr(N_("Id")), h.id),
        (tr(N_("Hazard")), h.title),
        (tr(N_("Level")), tr.label("level", h.level)),
        (
            tr(N_("State")),
            Text(tr.label("hazard state", view.state, long=True))
            if known
            else Text(tr(N_("not discovered yet on {date}")).format(date=as_of.isoformat()), "dim"),
        ),
    ]
    if known and view.overdue:
        rows.append(
            (
                tr(N_("Overdue")),
                Text(tr(N_("{days} days past the deadline")).format(days=view.days_overdue), "red"),
            )
        )
    elif known and view.days_left is not None:
        rows.append((tr(N_("Days left")), str(view.days_left)))
    if h.description:
        rows.append((tr(N_("Description")), h.description))
    if h.enterprise:
        ent = h.enterprise.name + (
            f"（{h.enterprise.credit_code}）" if h.enterprise.credit_code else ""
        )
        rows.append((tr(N_("Enterprise")), ent))
        if h.enterprise.address:
            rows.append((tr(N_("Address")), h.enterprise.address))
    for key, value in (
        (N_("Industry"), h.industry),
        (N_("Location"), h.location),
        (N_("Discovered on"), fact(h.discovered_on, h.discovered_on.isoformat())),
        (N_("Source"), tr.label("source", h.source)),
        (N_("Found by"), h.found_by),
        (N_("Responsible unit"), h.responsible_unit),
        (N_("Responsible person"), h.responsible_person),
    ):
        if value:
            rows.append((tr(key), value))
    plan = h.rectification_plan
    if plan:
        rows += [
            (tr(N_("Measures")), plan.measures),
            (tr(N_("Funds")), plan.funds),
            (tr(N_("Deadline")), plan.deadline.isoformat()),
            (tr(N_("Plan owner")), plan.responsible_person),
            (tr(N_("Contingency plan")), plan.contingency_plan),
        ]
    if h.rectification:
        r = h.rectification
        rows.append((tr(N_("Rectified on")), fact(r.on, _fact(r.on, r.note))))
    if h.acceptance:
        a = h.acceptance
        result = tr.label("acceptance result", a.result)
        rows.append((tr(N_("Accepted on")), fact(a.on, f"{a.on}  {a.by}  {result}")))
    if h.closure:
        c = h.closure
        rows.append((tr(N_("Closed on")), fact(c.on, f"{c.on}  {c.reviewer}")))
    dr = h.double_report
    reported = [d for d in (dr.regulator_on, dr.workers_on) if d] if dr else []
    rows.append(
        (
            tr(N_("Double report")),
            fact(
                max(reported, default=as_of),
                tr(N_("regulator {regulator}, workers' congress {workers}")).format(
                    regulator=_d(dr.regulator_on if dr else None),
                    workers=_d(dr.workers_on if dr else None),
                ),
            ),
        )
    )
    for s in h.supervision:
        lifted = tr(N_(", lifted {date}")).format(date=s.lifted_on) if s.lifted_on else ""
        level = tr.label("supervision level", s.level)
        rows.append(
            (
                tr(N_("Supervision")),
                fact(s.lifted_on or s.listed_on, f"{level} {s.by} {s.listed_on}{lifted}"),
            ),
        )
    parts: list[RenderableType] = [_kv(rows)]
    for ro in h.reopenings:
        reopened = tr(N_("reopened on {date}: {reason}")).format(date=ro.on, reason=ro.reason)
        parts.append(fact(ro.on, reopened))
        before = _cycle_text(ro.previous, tr)
        if before:
            parts.append(Padding(Text(inert(before), style="dim"), (0, 0, 0, 4)))
    if h.notes:
        table = _table(
            (tr(N_("Date")), {"no_wrap": True}),
            (tr(N_("Note")), {"ratio": 1}),
            title=tr(N_("Notes")),
        )
        for n in h.notes:
            table.add_row(n.on.isoformat(), fact(n.on, n.text))
        parts += [Text(), table]
    return Group(*parts)


def _cycle_text(cycle: Cycle, tr: Translator) -> str:
    """The facts a reopening withdrew, in one line: history is shown, not only kept."""
    out = []
    if cycle.rectification:
        out.append(tr(N_("rectified {date}")).format(date=cycle.rectification.on))
    if cycle.acceptance:
        a = cycle.acceptance
        result = tr.label("acceptance result", a.result)
        out.append(
            tr(N_("accepted {date} by {by} ({result})")).format(date=a.on, by=a.by, result=result)
        )
    if cycle.closure:
        c = cycle.closure
        out.append(tr(N_("closed {date}, reviewed by {by}")).format(date=c.on, by=c.reviewer))
    return tr(N_("; ")).join(out)


def _fact(day: dt.date, note: str | None) -> str:
    return f"{day}  {note}" if note else str(day)


# --------------------------------------------------------------------------- units


def unit_list_table(view: UnitList, tr: Translator) -> Table:
    table = _table(
        (tr(N_("Unit")), {"no_wrap": True}),
        (tr(N_("Kind")), {"no_wrap": True}),
        (tr(N_("Lead")), {"justify": "right", "no_wrap": True}),
        (tr(N_("Co-op")), {"justify": "right", "no_wrap": True}),
        (tr(N_("Hazards")), {"justify": "right", "no_wrap": True}),
        caption=tr(LOAD_LEGEND),
    )
    for u in view.units:
        table.add_row(Text(inert(u.name)), tr.label("unit kind", u.kind), *_load_cells(u))
    return table


def unit_detail(view: UnitDetail, tr: Translator) -> RenderableType:
    rows: list[tuple[str, RenderableType | str]] = [
        (tr(N_("Unit")), view.name),
        (tr(N_("Kind")), tr.label("unit kind", view.kind)),
    ]
    if view.full_name:
        rows.append((tr(N_("Full name")), view.full_name))
    if view.members:
        rows.append((tr(N_("Members")), tr.join(view.members)))
    if view.contact:
        c = view.contact
        rows.append((tr(N_("Contact")), " ".join(x for x in (c.person, c.phone, c.email) if x)))
    parts: list[RenderableType] = [_kv(rows)]
    for title, rows_ in (
        (N_("Tasks as lead ({n})"), view.lead_tasks),
        (N_("Tasks as co-operator ({n})"), view.co_tasks),
    ):
        parts.append(Text())
        parts.append(Text(tr(title).format(n=len(rows_)), style="bold"))
        if rows_:
            parts.append(task_table(rows_, tr))
    parts.append(Text())
    parts.append(Text(tr(N_("Hazards ({n}):")).format(n=len(view.hazards)), style="bold"))
    if view.hazards:
        parts.append(hazard_table(view.hazards, tr))
    return Group(*parts)
