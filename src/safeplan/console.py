"""Terminal screens with rich: formatting only, no decisions.

Record text is always wrapped in ``Text`` (never parsed as markup: a title with
``[...]`` stays as written) and long Chinese cells fold instead of being cut.
Works at 80 columns, with NO_COLOR, and piped (rich emits no control codes then).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rich import box
from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from safeplan.models import Cycle, Hazard, HazardSummary, Plan, Task, Unit
from safeplan.problems import N_
from safeplan.status import (
    HAZARD_STATES,
    TASK_STATES,
    GoalResult,
    HazardStatus,
    Overview,
    TaskStatus,
    UnitLoad,
)

Tr = Callable[[str], str]

TASK_STATE_LABELS = {
    "done": N_("done"),
    "overdue": N_("overdue"),
    "due_soon": N_("due soon"),
    "open": N_("open"),
    "current": N_("current"),
    "stale": N_("stale"),
}
TASK_STATE_STYLES = {
    "done": "green",
    "overdue": "bold red",
    "due_soon": "yellow",
    "open": "",
    "current": "green",
    "stale": "red",
}
HAZARD_STATE_LABELS = {
    "open": N_("open, to rectify"),
    "rectified": N_("rectified, awaiting acceptance"),
    "accepted": N_("accepted, awaiting closure"),
    "closed": N_("closed"),
}
HAZARD_STATE_SHORT = {
    "open": N_("to rectify"),
    "rectified": N_("to accept"),
    "accepted": N_("to close"),
    "closed": N_("closed"),
}
LEVEL_LABELS = {"major": N_("major"), "general": N_("general")}
SOURCE_LABELS = {
    "self-check": N_("self-check"),
    "inspection": N_("inspection"),
    "public-report": N_("public report"),
    "higher-inspection": N_("higher-level inspection"),
}
VERDICT_LABELS = {"met": N_("met"), "not_met": N_("not met"), "not_yet_due": N_("not yet due")}
VERDICT_STYLES = {"met": "green", "not_met": "bold red", "not_yet_due": "yellow"}
TREND_LABELS = {
    "falling": N_("falling"),
    "flat": N_("flat"),
    "rising": N_("rising"),
    "unknown": N_("too early to tell"),
}
CHECK_IN_LABELS = {
    "month": N_("monthly"),
    "quarter": N_("quarterly"),
    "half-year": N_("half-yearly"),
    "year": N_("yearly"),
}
LOAD_LEGEND = N_("tasks: all / unfinished / overdue; hazards: open / overdue")
KIND_LABELS = {
    "station": N_("station"),
    "office": N_("office"),
    "agency": N_("agency"),
    "institution": N_("institution"),
    "committee": N_("committee"),
    "group": N_("group"),
}


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


@dataclass(frozen=True)
class Col:
    header: str
    justify: Literal["left", "right"] = "left"
    #: Share of the width left over by the other columns; 0 keeps the column's natural width.
    flex: int = 0
    min_width: int = 6


Line = tuple[str, str]  # text and style of one line of a cell


class Grid:
    """A plain table for listings that may run to thousands of rows.

    rich's Table measures and wraps every cell through its layout engine: 10,000
    hazards took ten seconds. Here widths are counted once (CJK-aware, with
    ``rich.cells``), only the flexible columns fold, and rows become segments
    directly. It looks like the other tables (bold header, a rule under it).
    """

    GAP = "   "

    def __init__(self, *columns: Col, title: str | None = None, caption: str | None = None) -> None:
        self.columns = columns
        self.title = title
        self.caption = caption
        self.rows: list[list[list[Line]]] = []

    def add_row(self, *cells: str | Text | list[Line]) -> None:
        self.rows.append([c if isinstance(c, list) else _cell_lines(c) for c in cells])

    def _widths(self, width: int) -> list[int]:
        natural = [cell_len(c.header) for c in self.columns]
        for row in self.rows:
            for i, lines in enumerate(row):
                for text, _style in lines:
                    n = cell_len(text)
                    if n > natural[i]:
                        natural[i] = n
        flex = [i for i, c in enumerate(self.columns) if c.flex]
        fixed = sum(w for i, w in enumerate(natural) if i not in flex)
        room = width - fixed - len(self.GAP) * (len(self.columns) - 1)
        if not flex or sum(natural[i] for i in flex) <= room:
            return natural
        shares = sum(self.columns[i].flex for i in flex)
        widths = list(natural)
        for i in flex:
            share = max(self.columns[i].min_width, room * self.columns[i].flex // shares)
            widths[i] = min(natural[i], share)
        return widths

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self._widths(options.max_width)
        styles: dict[str, Style] = {}

        def style(name: str) -> Style:
            if name not in styles:
                styles[name] = console.get_style(name, default="")
            return styles[name]

        gap = Segment(self.GAP)
        newline = Segment.line()
        if self.title:
            yield Segment(self.title, style("bold"))
            yield newline
        header = [[(c.header, "bold")] for c in self.columns]
        for row in [header, *self.rows]:
            cells = []
            for i, lines in enumerate(row):
                if self.columns[i].flex:
                    lines = [(part, st) for text, st in lines for part in fold(text, widths[i])]
                cells.append(lines)
            height = max(len(lines) for lines in cells)
            for n in range(height):
                line: list[Segment] = []
                for i, lines in enumerate(cells):
                    text, st = lines[n] if n < len(lines) else ("", "")
                    pad = Segment(" " * max(0, widths[i] - cell_len(text)))
                    cell = Segment(text, style(st))
                    line += [pad, cell] if self.columns[i].justify == "right" else [cell, pad]
                    line.append(gap)
                while line and not line[-1].text.strip():
                    line.pop()  # no trailing blanks: piped output stays clean
                yield from line
                yield newline
            if row is header:
                total = sum(widths) + len(self.GAP) * (len(widths) - 1)
                yield Segment("─" * total)
                yield newline
        if self.caption:
            yield Segment(self.caption, style("dim"))
            yield newline


#: Characters that Chinese typesetting never puts at the start of a line (禁则).
_NO_LINE_START = frozenset("，。、；：？！）」』》〉】”’…%,.;:?!)]}")


def fold(text: str, width: int) -> list[str]:
    """Fold text to a width in cells; punctuation such as 。 is not left to start a line."""
    lines = chop_cells(text, width) or [""]
    for n in range(1, len(lines)):
        line = lines[n]
        if line and line[0] in _NO_LINE_START and len(lines[n - 1]) > 1:
            lines[n - 1], lines[n] = lines[n - 1][:-1], lines[n - 1][-1] + line
    if any(cell_len(line) > width for line in lines):  # a carried character made one too long
        out: list[str] = []
        for line in lines:
            out.extend(chop_cells(line, width) if cell_len(line) > width else [line])
        return out
    return lines


def _cell_lines(value: str | Text) -> list[Line]:
    if isinstance(value, str):
        return [(line, "") for line in value.split("\n")]
    out: list[Line] = []
    for line in value.split("\n"):
        st = line.spans[0].style if line.spans else line.style
        out.append((line.plain, str(st) if st else ""))
    return out


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def _task_state(st: TaskStatus, tr: Tr) -> Text:
    label = tr(TASK_STATE_LABELS[st.state])
    if st.state == "overdue" and st.days_overdue is not None:
        label += " " + tr(N_("{days} d")).format(days=st.days_overdue)
    elif st.state in ("open", "due_soon") and st.days_left is not None:
        label += " " + tr(N_("{days} d left")).format(days=st.days_left)
    return Text(label, style=TASK_STATE_STYLES[st.state])


def _hazard_state(st: HazardStatus, tr: Tr) -> list[Line]:
    lines = [(tr(HAZARD_STATE_SHORT[st.state]), "green" if st.state == "closed" else "")]
    if st.overdue and st.days_overdue is not None:
        lines.append((tr(N_("overdue {days}d")).format(days=st.days_overdue), "bold red"))
    return lines


def _deadline(task: Task, tr: Tr) -> str:
    return tr(N_("ongoing")) if task.ongoing else _d(task.deadline)


# --------------------------------------------------------------------------- status


def status_screen(
    ov: Overview,
    plan: Plan | None,
    tr: Tr,
    problems: int,
    tasks_shown: int = 15,
    unreadable_hazards: int = 0,
) -> RenderableType:
    parts: list[RenderableType] = []
    title = Text(plan.title if plan else "safeplan", style="bold")
    title.append("  " + tr(N_("as of {date}")).format(date=ov.as_of.isoformat()), style="")
    if ov.unit_filter:
        title.append("  " + tr(N_("unit: {unit}")).format(unit=ov.unit_filter))
    parts.append(title)
    if plan is not None and not plan.period.start <= ov.as_of <= plan.period.end:
        parts.append(
            Text(
                tr(N_("{date} is outside the plan's period ({start} to {end})")).format(
                    date=ov.as_of.isoformat(),
                    start=plan.period.start.isoformat(),
                    end=plan.period.end.isoformat(),
                ),
                style="yellow",
            )
        )
    if problems:
        parts.append(
            Text(
                tr(
                    N_(
                        "validation found {n} problem(s): the figures below may be incomplete; "
                        "run 'safeplan validate' to see them"
                    )
                ).format(n=problems),
                style="bold red",
            )
        )

    # Tasks
    counts = ov.task_counts()
    label = tr(N_("Tasks ({n}):")).format(n=len(ov.tasks))
    line = Text(label + ("" if label.endswith("：") else " "), style="bold")
    first = True
    for state in TASK_STATES:
        if not counts[state] and state in ("current", "stale"):
            continue
        if not first:
            line.append(" · ")
        first = False
        line.append(
            f"{tr(TASK_STATE_LABELS[state])} {counts[state]}", style=TASK_STATE_STYLES[state]
        )
    parts.append(Text())
    parts.append(line)
    late = [(t, s) for t, s in ov.tasks if s.state in ("overdue", "stale", "due_soon")]
    late.sort(key=lambda ts: (TASK_STATES.index(ts[1].state), -(ts[1].days_overdue or 0)))
    if late:
        table = Grid(
            Col(tr(N_("No.")), "right"),
            Col(tr(N_("Task")), flex=1, min_width=16),
            Col(tr(N_("Lead unit"))),
            Col(tr(N_("Deadline"))),
            Col(tr(N_("Status"))),
        )
        for task, st in late[:tasks_shown]:
            table.add_row(
                str(task.number),
                task.title,
                task.units[0],
                _deadline(task, tr),
                _task_state(st, tr),
            )
        parts.append(table)
        if len(late) > tasks_shown:
            parts.append(
                Text(
                    tr(N_("… and {n} more: safeplan task list --status overdue")).format(
                        n=len(late) - tasks_shown
                    ),
                    style="dim",
                )
            )

    # Hazards
    parts.append(Text())
    hc = ov.hazard_counts()
    total = sum(sum(row[s] for s in HAZARD_STATES) for row in hc.values())
    parts.append(Text(tr(N_("Hazards ({n}):")).format(n=total), style="bold"))
    if total:
        counts_table = _table(
            (tr(N_("Level")), {"no_wrap": True}),
            *[(tr(HAZARD_STATE_SHORT[s]), {"justify": "right"}) for s in HAZARD_STATES],
            (tr(N_("overdue")), {"justify": "right", "style": "red"}),
        )
        for level in ("major", "general"):
            row = hc.get(level)
            if row:
                counts_table.add_row(
                    tr(LEVEL_LABELS[level]),
                    *[str(row[s]) for s in HAZARD_STATES],
                    str(row["overdue"]),
                )
        parts.append(counts_table)
        overdue = [(h, s) for h, s in ov.hazards if s.overdue]
        overdue.sort(key=lambda hs: (hs[0].level != "major", -(hs[1].days_overdue or 0)))
        if overdue:
            parts.append(hazard_table(overdue[:tasks_shown], tr, title=tr(N_("Overdue hazards"))))
            if len(overdue) > tasks_shown:
                parts.append(
                    Text(
                        tr(N_("… and {n} more: safeplan hazard list --overdue")).format(
                            n=len(overdue) - tasks_shown
                        ),
                        style="dim",
                    )
                )
    elif not unreadable_hazards:
        parts.append(Text(tr(N_("no hazards registered")), style="dim"))
    if unreadable_hazards:
        parts.append(
            Text(
                tr(
                    N_(
                        "{n} hazard file(s) could not be read and are not counted here or in "
                        "the goals: run 'safeplan validate'"
                    )
                ).format(n=unreadable_hazards),
                style="bold red",
            )
        )

    # Goals
    if ov.goals:
        parts.append(Text())
        parts.append(goals_table(ov.goals, tr))

    # Units
    if ov.units:
        parts.append(Text())
        parts.append(units_table(ov.units, tr))
        parts.append(Text(tr(LOAD_LEGEND), style="dim"))
    return Group(*parts)


def goals_table(goals: Sequence[GoalResult], tr: Tr) -> Table:
    table = _table(
        (tr(N_("Goal")), {"ratio": 1, "min_width": 16}),
        (tr(N_("Due")), {"no_wrap": True}),
        (tr(N_("Verdict")), {"no_wrap": True}),
        (tr(N_("Detail")), {"ratio": 1, "min_width": 14}),
        title=tr(N_("Goals")),
    )
    for g in goals:
        table.add_row(
            Text(g.title),
            g.due.isoformat(),
            Text(tr(VERDICT_LABELS[g.verdict]), style=VERDICT_STYLES[g.verdict]),
            Text(goal_detail(g, tr)),
        )
    return table


def goal_detail(g: GoalResult, tr: Tr) -> str:
    parts = [tr(N_("{closed} of {total} closed")).format(closed=g.closed, total=g.total)]
    if g.kind == "increment_curbed":
        recent = ", ".join(f"{q}: {n}" for q, n in g.per_quarter[-4:])
        parts.append(
            tr(N_("new per quarter {recent}; trend {trend}")).format(
                recent=recent or "—", trend=tr(TREND_LABELS[g.trend])
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


def units_table(loads: Sequence[UnitLoad], tr: Tr) -> Table:
    table = _table(
        (tr(N_("Unit")), {"no_wrap": True}),
        (tr(N_("Lead")), {"justify": "right", "no_wrap": True}),
        (tr(N_("Co-op")), {"justify": "right", "no_wrap": True}),
        (tr(N_("Hazards")), {"justify": "right", "no_wrap": True}),
        title=tr(N_("Load per unit")),
    )
    for load in loads:
        table.add_row(
            Text(load.name),
            f"{len(load.lead_tasks)} / {load.lead_open} / {load.lead_overdue}",
            f"{len(load.co_tasks)} / {load.co_open} / {load.co_overdue}",
            f"{load.hazards_open} / {load.hazards_overdue}",
        )
    return table


# --------------------------------------------------------------------------- tasks


def task_table(rows: Sequence[tuple[Task, TaskStatus]], tr: Tr) -> Grid:
    table = Grid(
        Col(tr(N_("No.")), "right"),
        Col(tr(N_("Action"))),
        Col(tr(N_("Task")), flex=2, min_width=16),
        Col(tr(N_("Units")), flex=1, min_width=8),
        Col(tr(N_("Deadline"))),
        Col(tr(N_("Status"))),
    )
    for task, st in rows:
        table.add_row(
            str(task.number),
            f"（{task.action}）",
            task.title,
            "、".join(task.units),
            _deadline(task, tr),
            _task_state(st, tr),
        )
    return table


def _kv(rows: Sequence[tuple[str, RenderableType | str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold", ratio=1)
    for key, value in rows:
        table.add_row(key, Text(value) if isinstance(value, str) else value)
    return table


def task_detail(task: Task, st: TaskStatus, plan: Plan | None, tr: Tr) -> RenderableType:
    action_title = ""
    if plan is not None:
        action_title = next((a.title for a in plan.actions if a.numeral == task.action), "")
    rows: list[tuple[str, RenderableType | str]] = [
        (tr(N_("Task")), f"{task.number}．{task.title}"),
        (tr(N_("Action")), f"（{task.action}）{action_title}"),
        (tr(N_("Status")), _task_state(st, tr)),
        (tr(N_("Deadline")), _deadline(task, tr)),
        (tr(N_("Lead unit")), task.units[0]),
        (tr(N_("Co-operating")), "、".join(task.units[1:]) or "—"),
    ]
    if task.ongoing:
        rows.append((tr(N_("Check-in")), tr(CHECK_IN_LABELS[task.check_in])))
    if st.done_on:
        rows.append((tr(N_("Done on")), _d(st.done_on)))
    parts: list[RenderableType] = [_kv(rows), Text(), Text(task.text)]
    if task.progress:
        table = _table(
            (tr(N_("Date")), {"no_wrap": True}),
            (tr(N_("Progress")), {"ratio": 1}),
            (tr(N_("Evidence")), {"ratio": 1}),
            title=tr(N_("Progress notes")),
        )
        for note in task.progress:
            table.add_row(note.on.isoformat(), Text(note.note), Text("\n".join(note.evidence)))
        parts += [Text(), table]
    else:
        parts += [Text(), Text(tr(N_("no progress notes yet")), style="dim")]
    for r in task.reopenings:
        parts.append(
            Text(tr(N_("reopened on {date}: {reason}")).format(date=r.on, reason=r.reason))
        )
    return Group(*parts)


# --------------------------------------------------------------------------- hazards


def hazard_table(
    rows: Sequence[tuple[HazardSummary, HazardStatus]], tr: Tr, title: str | None = None
) -> Grid:
    table = Grid(
        Col(tr(N_("Id"))),
        Col(tr(N_("Level"))),
        Col(tr(N_("Hazard")), flex=2, min_width=12),
        Col(tr(N_("Unit")), flex=1, min_width=6),
        Col(tr(N_("Deadline"))),
        Col(tr(N_("State"))),
        title=title,
    )
    levels = {level: tr(label) for level, label in LEVEL_LABELS.items()}
    for h, st in rows:
        table.add_row(
            h.id,
            levels.get(h.level, h.level),
            h.title,
            h.responsible_unit,
            _d(h.deadline),
            _hazard_state(st, tr),
        )
    return table


def hazard_detail(h: Hazard, st: HazardStatus, as_of: dt.date, tr: Tr) -> RenderableType:
    """One hazard in full. Facts dated after the as-of day are shown, marked as not counted yet."""

    def fact(day: dt.date, text: str) -> Text:
        out = Text(text)
        if day > as_of:
            out.append(
                tr(N_(" (after {date}: not counted yet)")).format(date=as_of.isoformat()),
                style="dim",
            )
        return out

    rows: list[tuple[str, RenderableType | str]] = [
        (tr(N_("Id")), h.id),
        (tr(N_("Hazard")), h.title),
        (tr(N_("Level")), tr(LEVEL_LABELS[h.level])),
        (
            tr(N_("State")),
            Text(tr(HAZARD_STATE_LABELS[st.state]))
            if st.known
            else Text(tr(N_("not discovered yet on {date}")).format(date=as_of.isoformat()), "dim"),
        ),
    ]
    if st.known and st.overdue:
        rows.append(
            (
                tr(N_("Overdue")),
                Text(tr(N_("{days} days past the deadline")).format(days=st.days_overdue), "red"),
            )
        )
    elif st.known and st.days_left is not None:
        rows.append((tr(N_("Days left")), str(st.days_left)))
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
        (N_("Source"), tr(SOURCE_LABELS[h.source])),
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
        result = tr(N_("passed")) if a.result == "passed" else tr(N_("failed"))
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
        rows.append(
            (
                tr(N_("Supervision")),
                fact(s.lifted_on or s.listed_on, f"{s.level} {s.by} {s.listed_on}{lifted}"),
            ),
        )
    parts: list[RenderableType] = [_kv(rows)]
    for ro in h.reopenings:
        reopened = tr(N_("reopened on {date}: {reason}")).format(date=ro.on, reason=ro.reason)
        parts.append(fact(ro.on, reopened))
        before = _cycle_text(ro.previous, tr)
        if before:
            parts.append(Padding(Text(before, style="dim"), (0, 0, 0, 4)))
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


def _cycle_text(cycle: Cycle, tr: Tr) -> str:
    """The facts a reopening withdrew, in one line: history is shown, not only kept."""
    out = []
    if cycle.rectification:
        out.append(tr(N_("rectified {date}")).format(date=cycle.rectification.on))
    if cycle.acceptance:
        a = cycle.acceptance
        result = tr(N_("passed")) if a.result == "passed" else tr(N_("failed"))
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


def unit_list_table(units: Sequence[Unit], loads: dict[str, UnitLoad], tr: Tr) -> Table:
    table = _table(
        (tr(N_("Unit")), {"no_wrap": True}),
        (tr(N_("Kind")), {"no_wrap": True}),
        (tr(N_("Lead")), {"justify": "right", "no_wrap": True}),
        (tr(N_("Co-op")), {"justify": "right", "no_wrap": True}),
        (tr(N_("Hazards")), {"justify": "right", "no_wrap": True}),
        caption=tr(LOAD_LEGEND),
    )
    for u in units:
        load = loads[u.name]
        table.add_row(
            Text(u.name),
            tr(KIND_LABELS[u.kind]),
            f"{len(load.lead_tasks)} / {load.lead_open} / {load.lead_overdue}",
            f"{len(load.co_tasks)} / {load.co_open} / {load.co_overdue}",
            f"{load.hazards_open} / {load.hazards_overdue}",
        )
    return table


def unit_detail(
    unit: Unit,
    lead: Sequence[tuple[Task, TaskStatus]],
    coop: Sequence[tuple[Task, TaskStatus]],
    hazards: Sequence[tuple[HazardSummary, HazardStatus]],
    tr: Tr,
) -> RenderableType:
    rows: list[tuple[str, RenderableType | str]] = [
        (tr(N_("Unit")), unit.name),
        (tr(N_("Kind")), tr(KIND_LABELS[unit.kind])),
    ]
    if unit.full_name:
        rows.append((tr(N_("Full name")), unit.full_name))
    if unit.members:
        rows.append((tr(N_("Members")), "、".join(unit.members)))
    if unit.contact:
        contact = " ".join(
            x for x in (unit.contact.person, unit.contact.phone, unit.contact.email) if x
        )
        rows.append((tr(N_("Contact")), contact))
    parts: list[RenderableType] = [_kv(rows)]
    for title, rows_ in (
        (N_("Tasks as lead ({n})"), lead),
        (N_("Tasks as co-operator ({n})"), coop),
    ):
        parts.append(Text())
        parts.append(Text(tr(title).format(n=len(rows_)), style="bold"))
        if rows_:
            parts.append(task_table(rows_, tr))
    parts.append(Text())
    parts.append(Text(tr(N_("Hazards ({n}):")).format(n=len(hazards)), style="bold"))
    if hazards:
        parts.append(hazard_table(hazards, tr))
    return Group(*parts)
