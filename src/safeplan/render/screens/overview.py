"""``safeplan status``: where the plan stands on a day (``views/overview.py``)."""

from __future__ import annotations

from collections.abc import Sequence

from safeplan.models.views import GoalView, Overview, Rates, TaskRow, UnitLoadView
from safeplan.problems import N_, NP_
from safeplan.render.grid import Block, Col, Grid, Run, Stack, Text, Words, blank, styled
from safeplan.render.i18n import Translator
from safeplan.render.screens.common import (
    LOAD_LEGEND,
    RATES_DEFINITION,
    TASK_STATE_STYLES,
    VERDICT_STYLES,
    field_label,
    ids_text,
    load_cells,
    load_cols,
    rates_texts,
    task_deadline,
    task_state_cell,
    text_line,
)
from safeplan.render.screens.hazards import hazard_table
from safeplan.render.text import param
from safeplan.status import HAZARD_STATES, TASK_STATES


def status_screen(ov: Overview, tr: Translator, tasks_shown: int = 15) -> Block:
    """Where the plan stands: the heading, the late tasks, the hazards, goals and load."""
    parts: list[Block] = _status_heading(ov, tr)
    parts += [blank(), *_late_tasks(ov, tr, tasks_shown)]
    parts += [blank(), *_hazard_figures(ov, tr, tasks_shown)]
    if ov.goals:
        parts += [blank(), goals_table(ov.goals, tr)]
    if ov.units:
        parts += [blank(), units_table(ov.units, tr), text_line(tr(LOAD_LEGEND), "dim")]
    if ov.enterprises is not None:
        from safeplan.render.screens.enterprises import duties_section

        parts += [blank(), duties_section(ov.enterprises, tr)]
    return Stack(*parts)


def _status_heading(ov: Overview, tr: Translator) -> list[Block]:
    plan = ov.plan
    items: list[list[Run]] = [[("bold", plan.title if plan else "safeplan")]]
    items.append([("", "  " + tr(N_("as of {date}")).format(date=ov.as_of.isoformat()))])
    if ov.unit:
        items.append([("", "  " + tr(N_("unit: {unit}")).format(unit=ov.unit))])
    parts: list[Block] = [Text(Words(items))]
    if plan is not None and not plan.start <= ov.as_of <= plan.end:
        outside = tr(N_("{date} is outside the plan's period ({start} to {end})")).format(
            date=ov.as_of.isoformat(), start=plan.start.isoformat(), end=plan.end.isoformat()
        )
        parts.append(text_line(outside, "yellow"))
    if ov.problems:
        note = NP_(
            "validation found {n} problem: the figures below may be incomplete; "
            "run 'safeplan validate' to see it",
            "validation found {n} problems: the figures below may be incomplete; "
            "run 'safeplan validate' to see them",
            ov.problems,
        )
        parts.append(text_line(str(param(note, tr)), "bold red"))
    return parts


def _counts_line(title: str, counts: Sequence[tuple[str, str]]) -> Text:
    """``重点任务（21 项）：逾期 18 · 即将到期 0 · …``: it breaks between the counts only."""
    label = title + ("" if title.endswith("：") else " ")
    items: list[list[Run]] = [[("bold", label)]]
    for k, (text, style) in enumerate(counts):
        items.append([(style, text), ("", " · " if k < len(counts) - 1 else "")])
    return Text(Words(items))


def _late_tasks(ov: Overview, tr: Translator, shown: int) -> list[Block]:
    """The count of tasks by status, and the late ones, most urgent first."""
    counts = ov.tasks.counts
    figures = [
        (f"{tr.label('task status', state)} {counts.get(state, 0)}", TASK_STATE_STYLES[state])
        for state in TASK_STATES
        if counts.get(state) or state not in ("current", "stale", "done_late")
    ]
    title = tr(N_("Tasks ({n}):")).format(n=len(ov.tasks.items))
    parts: list[Block] = [_counts_line(title, figures)]
    by_number = {row.number: row for row in ov.tasks.items}
    late = [by_number[n] for n in ov.tasks.late]
    if not late:
        return parts
    table = Grid(
        Col(tr(N_("No.")), "right", head=True),
        Col(tr(N_("Task")), flex=1, min_width=14),
        Col(tr(N_("Lead unit"))),
        Col(tr(N_("Deadline"))),
        Col(tr(N_("Status")), head=True),
    )
    kept, hidden = fit_late(late, shown)
    for row in kept:
        table.add_row(
            str(row.number),
            row.title,
            row.lead_unit,
            task_deadline(row, tr),
            task_state_cell(row, tr),
        )
    parts.append(table)
    if hidden:
        more = tr(N_("… and {n} more overdue, not shown: safeplan task list --number {numbers}"))
        numbers = ",".join(str(row.number) for row in hidden)
        parts.append(text_line(more.format(n=len(hidden), numbers=numbers), "dim"))
    return parts


#: Overdue tasks a status screen shows however many tasks are due soon or stale.
OVERDUE_ALWAYS_SHOWN = 5


def fit_late(late: Sequence[TaskRow], shown: int) -> tuple[list[TaskRow], list[TaskRow]]:
    """The late rows a screen of about ``shown`` rows keeps, and those it leaves to the hint.

    Tasks due soon and stale ongoing ones need action now: they are always shown. Overdue
    tasks fill the rest, longest overdue first, and at least the first few are shown
    whatever the rest; the hidden ones are the overdue tasks least overdue, which the hint
    lists by number (exactly those)."""
    urgent = [row for row in late if row.status != "overdue"]
    overdue = [row for row in late if row.status == "overdue"]
    room = max(shown - len(urgent), min(shown, OVERDUE_ALWAYS_SHOWN))
    keep = {row.number for row in (*urgent, *overdue[:room])}
    return [row for row in late if row.number in keep], overdue[room:]


def _hazard_figures(ov: Overview, tr: Translator, shown: int) -> list[Block]:
    """Hazards by level and state, and the overdue ones, major and longest overdue first."""
    total = ov.hazards.total
    parts: list[Block] = [text_line(tr(N_("Hazards ({n}):")).format(n=total), "bold")]
    if total:
        counted = ov.hazards.counts
        # A column of zeros says nothing: 待重新整改 and 记录有误 only when some hazard is.
        shown_states = [
            s
            for s in (*HAZARD_STATES, "invalid")
            if s not in ("failed", "invalid") or any(row.get(s) for row in counted.values())
        ]
        counts_table = Grid(
            Col(field_label(tr, "level"), head=True),
            *[
                Col(
                    tr(N_("invalid record")) if s == "invalid" else tr.label("hazard state", s),
                    "right",
                )
                for s in shown_states
            ],
            Col(tr(N_("overdue")), "right", style="red"),
        )
        for level in ("major", "general"):
            row = counted.get(level)
            if row and sum(row.get(s, 0) for s in shown_states):
                counts_table.add_row(
                    tr.label("level", level),
                    *[str(row.get(s, 0)) for s in shown_states],
                    str(row["overdue"]),
                )
        parts.append(counts_table)
        parts += rates_lines(ov.hazards.rates, tr)
        by_id = {row.id: row for row in ov.hazards.items}
        overdue = [by_id[i] for i in ov.hazards.overdue]
        if overdue:
            parts.append(hazard_table(overdue[:shown], tr, title=tr(N_("Overdue hazards"))))
            if len(overdue) > shown:
                more = tr(
                    N_(
                        "… and {n} more overdue, not shown; all {total}: safeplan hazard list --overdue"
                    )
                )
                hidden = len(overdue) - shown
                parts.append(text_line(more.format(n=hidden, total=len(overdue)), "dim"))
    elif not ov.unreadable_hazard_files and not ov.hazards.withdrawn:
        parts.append(text_line(tr(N_("no hazards registered")), "dim"))
    for ids, template, style in (
        (ov.hazards.plan_missing, N_("no 五落实 yet (major hazards): {ids}"), "red"),
        (ov.hazards.invalid, N_("invalid records, not counted as their state: {ids}"), "bold red"),
        ([r.id for r in ov.hazards.withdrawn], N_("withdrawn (撤销), not counted: {ids}"), "dim"),
    ):
        if ids:
            parts.append(text_line(tr(template).format(ids=ids_text(ids, tr)), style))
    if ov.unreadable_hazard_files:
        note = NP_(
            "{n} hazard file could not be read and is not counted here or in "
            "the goals: run 'safeplan validate'",
            "{n} hazard files could not be read and are not counted here or in "
            "the goals: run 'safeplan validate'",
            len(ov.unreadable_hazard_files),
        )
        parts.append(text_line(str(param(note, tr)), "bold red"))
    return parts


def rates_lines(r: Rates, tr: Translator) -> list[Block]:
    """``整改率 60.0%（6/10） · 销号率 …``, and under it what each rate counts."""
    line = _counts_line(tr(N_("Rates:")), [(text, "") for text in rates_texts(r, tr)])
    return [line, text_line(tr(RATES_DEFINITION), "dim")]


def goals_table(goals: Sequence[GoalView], tr: Translator) -> Grid:
    table = Grid(
        Col(tr(N_("Goal")), flex=1, min_width=16, head=True),
        Col(tr(N_("Due"))),
        Col(tr(N_("Verdict")), head=True),
        Col(tr(N_("Detail")), flex=1, min_width=14),
        title=tr(N_("Goals")),
    )
    for g in goals:
        table.add_row(
            g.title,
            g.due.isoformat(),
            styled(tr.label("verdict", g.verdict), VERDICT_STYLES[g.verdict]),
            goal_detail(g, tr),
        )
    return table


def goal_detail(g: GoalView, tr: Translator) -> str:
    if g.verdict == "no_data":
        level = tr.label("level", g.level)
        if g.kind == "stock_cleared" and g.discovered_until is not None:
            return tr(N_("no {level} hazards found by {date} are registered")).format(
                level=level, date=g.discovered_until.isoformat()
            )
        return tr(N_("no {level} hazards registered")).format(level=level)
    parts = [tr(N_("{closed} of {total} closed")).format(closed=g.closed, total=g.total)]
    if g.kind == "increment_curbed":
        recent = tr.join(
            tr(N_("{quarter}: {n}")).format(quarter=q, n=n)
            for q, n in list(g.per_quarter.items())[-4:]
        )
        parts.append(
            tr(N_("new per quarter {recent}; trend {trend}")).format(
                recent=recent or "—", trend=tr.label("trend", g.trend)
            )
        )
    if g.breaking:
        label = N_("breaking: {ids}") if g.verdict == "not_met" else N_("at risk: {ids}")
        parts.append(tr(label).format(ids=ids_text(g.breaking, tr, 3)))
    return tr(N_("; ")).join(parts)


def units_table(loads: Sequence[UnitLoadView], tr: Translator) -> Grid:
    table = Grid(
        Col(tr(N_("Unit")), head=True),
        *load_cols(tr),
        title=tr(N_("Load per unit")),
    )
    for load in loads:
        table.add_row(load.name, *load_cells(load))
    return table
