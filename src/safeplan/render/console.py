"""Terminal screens: they render the view models into blocks, and decide nothing.

A screen is a :class:`~safeplan.render.grid.Block` (grids, fields, paragraphs) that
gives its lines for a width; ``cli/output.py`` writes them. Record text is never markup
and never acts on the terminal (control characters are shown escaped); it folds as
Chinese is typeset, and a listing whose columns cannot fit side by side stacks each
row instead of dropping or cutting a column. Works at 60 columns and up, with
NO_COLOR, and piped (no control codes, no folding unless COLUMNS is set).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence

from safeplan.models.records import Hazard
from safeplan.models.views import (
    CycleView,
    GoalView,
    HazardDetail,
    HazardHistory,
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
from safeplan.render.grid import (
    Block,
    Cell,
    Col,
    Fields,
    Grid,
    Paragraph,
    Run,
    Stack,
    Text,
    Words,
    blank,
    ready,
    styled,
    widest_word,
    width_of,
)
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
VERDICT_STYLES = {"met": "green", "not_met": "bold red", "not_yet_due": "yellow", "no_data": "dim"}
LOAD_LEGEND = N_("tasks: all / unfinished / overdue; hazards: open / overdue")


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def _field(tr: Translator, code: str) -> str:
    """A record field's one label (``vocab.FIELD``), capitalised as a heading."""
    text = tr.label("field", code)
    return text[:1].upper() + text[1:]


def _units(units: Sequence[str], tr: Translator) -> list[Paragraph]:
    """Unit names as a list that breaks between names, never inside one (镇综合执法局)."""
    sep = tr.join(["", ""])
    last = len(units) - 1
    return [Words([[("", u + (sep if k < last else ""))] for k, u in enumerate(units)])]


def task_state_text(row: TaskRow, tr: Translator) -> str:
    """A task's status with its days: 逾期 93 天, 进行中 剩 91 天, 逾期完成 5 天."""
    if row.status == "overdue" and row.days_overdue is not None:
        return str(param(NP_("overdue {n} day", "overdue {n} days", row.days_overdue), tr))
    if row.status == "done_late" and row.days_late is not None:
        return str(param(NP_("done {n} day late", "done {n} days late", row.days_late), tr))
    label = tr.label("task status", row.status)
    if row.status in ("open", "due_soon") and row.days_left is not None:
        left = NP_("{state}, {n} day left", "{state}, {n} days left", row.days_left, state=label)
        return str(param(left, tr))
    return label


def _task_state(row: TaskRow, tr: Translator) -> list[Paragraph]:
    return styled(task_state_text(row, tr), TASK_STATE_STYLES.get(row.status, ""))


def state_lines(
    tr: Translator,
    state: str,
    days_overdue: int | None = None,
    rectified_late_days: int | None = None,
    plan_missing: bool = False,
    invalid: bool = False,
) -> list[tuple[str, str]]:
    """A hazard's state cell: the state, then what a reader must also know, a line each
    (text, style). An extension (延期) is said under the deadline (``deadline_cell``)."""
    if invalid:
        return [(tr(N_("invalid record")), "bold red")]
    style = "green" if state == "closed" else "dim" if state == "withdrawn" else ""
    lines = [(tr.label("hazard state", state), style)]
    if days_overdue is not None:
        late = NP_("overdue {n} day", "overdue {n} days", days_overdue)
        lines.append((str(param(late, tr)), "bold red"))
    if rectified_late_days is not None:
        late = NP_("rectified {n} day late", "rectified {n} days late", rectified_late_days)
        lines.append((str(param(late, tr)), "yellow"))
    if plan_missing:
        lines.append((tr(N_("no plan (五落实) yet")), "red"))
    return lines


def _state_cell(lines: list[tuple[str, str]]) -> list[Paragraph]:
    return [[(style, text)] for text, style in lines]


def deadline_cell(deadline: dt.date | None, extended: bool, state: str, tr: Translator) -> Cell:
    """A hazard's deadline in force; under it 已延期 when an extension set it (the first
    deadline is in ``hazard show``)."""
    if not extended or state in ("closed", "withdrawn"):
        return _d(deadline)
    return [[("", _d(deadline))], [("yellow", tr(N_("extended")))]]


def _hazard_state(row: HazardRow, tr: Translator) -> list[Paragraph]:
    return _state_cell(
        state_lines(
            tr,
            row.state,
            row.days_overdue if row.overdue else None,
            row.rectified_late_days,
            row.plan_missing,
            row.invalid,
        )
    )


def _deadline(row: TaskRow, tr: Translator) -> str:
    return tr(N_("ongoing")) if row.ongoing else _d(row.deadline)


def _line(text: str, style: str = "") -> Text:
    return Text([(style, text)])


# --------------------------------------------------------------------------- status


def status_screen(ov: Overview, tr: Translator, tasks_shown: int = 15) -> Block:
    """Where the plan stands: the heading, the late tasks, the hazards, goals and load."""
    parts: list[Block] = _status_heading(ov, tr)
    parts += [blank(), *_late_tasks(ov, tr, tasks_shown)]
    parts += [blank(), *_hazard_figures(ov, tr, tasks_shown)]
    if ov.goals:
        parts += [blank(), goals_table(ov.goals, tr)]
    if ov.units:
        parts += [blank(), units_table(ov.units, tr), _line(tr(LOAD_LEGEND), "dim")]
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
        parts.append(_line(outside, "yellow"))
    if ov.problems:
        note = NP_(
            "validation found {n} problem: the figures below may be incomplete; "
            "run 'safeplan validate' to see it",
            "validation found {n} problems: the figures below may be incomplete; "
            "run 'safeplan validate' to see them",
            ov.problems,
        )
        parts.append(_line(str(param(note, tr)), "bold red"))
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
    for row in late[:shown]:
        table.add_row(
            str(row.number), row.title, row.lead_unit, _deadline(row, tr), _task_state(row, tr)
        )
    parts.append(table)
    if len(late) > shown:
        more = tr(N_("… and {n} more: safeplan task list --status overdue"))
        parts.append(_line(more.format(n=len(late) - shown), "dim"))
    return parts


def _hazard_figures(ov: Overview, tr: Translator, shown: int) -> list[Block]:
    """Hazards by level and state, and the overdue ones, major and longest overdue first."""
    total = ov.hazards.total
    parts: list[Block] = [_line(tr(N_("Hazards ({n}):")).format(n=total), "bold")]
    if total:
        counted = ov.hazards.counts
        # A column of zeros says nothing: 待重新整改 and 记录有误 only when some hazard is.
        shown_states = [
            s
            for s in (*HAZARD_STATES, "invalid")
            if s not in ("failed", "invalid") or any(row.get(s) for row in counted.values())
        ]
        counts_table = Grid(
            Col(_field(tr, "level"), head=True),
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
        by_id = {row.id: row for row in ov.hazards.items}
        overdue = [by_id[i] for i in ov.hazards.overdue]
        if overdue:
            parts.append(hazard_table(overdue[:shown], tr, title=tr(N_("Overdue hazards"))))
            if len(overdue) > shown:
                more = tr(N_("… and {n} more: safeplan hazard list --overdue"))
                parts.append(_line(more.format(n=len(overdue) - shown), "dim"))
    elif not ov.unreadable_hazard_files and not ov.hazards.withdrawn:
        parts.append(_line(tr(N_("no hazards registered")), "dim"))
    for ids, template, style in (
        (ov.hazards.plan_missing, N_("no 五落实 yet (major hazards): {ids}"), "red"),
        (ov.hazards.invalid, N_("invalid records, not counted as their state: {ids}"), "bold red"),
        ([r.id for r in ov.hazards.withdrawn], N_("withdrawn (撤销), not counted: {ids}"), "dim"),
    ):
        if ids:
            parts.append(_line(tr(template).format(ids=_ids(ids, tr)), style))
    if ov.unreadable_hazard_files:
        note = NP_(
            "{n} hazard file could not be read and is not counted here or in "
            "the goals: run 'safeplan validate'",
            "{n} hazard files could not be read and are not counted here or in "
            "the goals: run 'safeplan validate'",
            len(ov.unreadable_hazard_files),
        )
        parts.append(_line(str(param(note, tr)), "bold red"))
    return parts


def _ids(ids: Sequence[str], tr: Translator, shown: int = 5) -> str:
    text = tr.join(ids[:shown])
    if len(ids) > shown:
        text += tr(N_(" and {n} more")).format(n=len(ids) - shown)
    return text


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
        parts.append(tr(label).format(ids=_ids(g.breaking, tr, 3)))
    return tr(N_("; ")).join(parts)


def _load_cells(load: UnitLoadView) -> tuple[str, str, str]:
    return (
        f"{len(load.lead_tasks)} / {load.lead_open} / {load.lead_overdue}",
        f"{len(load.co_tasks)} / {load.co_open} / {load.co_overdue}",
        f"{load.hazards_open} / {load.hazards_overdue}",
    )


def units_table(loads: Sequence[UnitLoadView], tr: Translator) -> Grid:
    table = Grid(
        Col(tr(N_("Unit")), head=True),
        Col(tr(N_("Lead")), "right"),
        Col(tr(N_("Co-op")), "right"),
        Col(tr(N_("Hazards")), "right"),
        title=tr(N_("Load per unit")),
    )
    for load in loads:
        table.add_row(load.name, *_load_cells(load))
    return table


# --------------------------------------------------------------------------- tasks


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
            _units(row.units, tr),
            _deadline(row, tr),
            _task_state(row, tr),
        )
    return table


def task_detail(view: TaskDetail, tr: Translator) -> Block:
    rows: list[tuple[str, Cell]] = [
        (tr(N_("Task")), f"{view.number}．{view.title}"),
        (tr(N_("Action")), f"（{view.action}）{view.action_title or ''}"),
        (tr(N_("Status")), _task_state(view, tr)),
        (tr(N_("Deadline")), _deadline(view, tr)),
        (tr(N_("Lead unit")), view.lead_unit),
        (tr(N_("Co-operating")), _units(view.units[1:], tr) if view.units[1:] else "—"),
    ]
    if view.check_in:
        rows.append((tr(N_("Check-in")), tr.label("check-in period", view.check_in)))
    if view.done_on:
        rows.append((tr(N_("Done on")), _d(view.done_on)))
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
        parts += [blank(), _line(tr(N_("no progress notes yet")), "dim")]
    for r in view.reopenings:
        parts.append(
            Text(
                tr(N_("completion withdrawn on {date}: {reason}")).format(
                    date=r.on, reason=r.reason
                )
            )
        )
    return Stack(*parts)


# --------------------------------------------------------------------------- hazards


def _hazard_columns(tr: Translator) -> tuple[Col, ...]:
    return (
        Col(_field(tr, "id"), head=True),
        Col(_field(tr, "level"), head=True),
        Col(_field(tr, "title"), flex=1, min_width=12),
        Col(_field(tr, "responsible_unit")),
        Col(_field(tr, "rectification_plan.deadline")),
        Col(tr(N_("State")), head=True),
    )


def _hazard_cells(row: HazardRow, tr: Translator) -> tuple[Cell, ...]:
    return (
        row.id,
        tr.label("level", row.level),
        row.title,
        row.responsible_unit,
        deadline_cell(row.deadline, row.extended, row.state, tr),
        _hazard_state(row, tr),
    )


def hazard_table(rows: Sequence[HazardRow], tr: Translator, title: str | None = None) -> Grid:
    table = Grid(*_hazard_columns(tr), title=title)
    for row in rows:
        table.add_row(*_hazard_cells(row, tr))
    return table


_Shape = tuple[str, int | None, int | None, bool, bool]


def hazard_listing(view: HazardList, tr: Translator) -> Grid:
    """Every hazard of a listing, made row by row as the grid draws them (never all held).

    The columns' widths come from one pass over the listing's light texts first; a
    state cell is made once for each shape of state (there are few)."""
    natural = [0] * 6
    least = [0] * 6  # the title's widest word: an id in a title is not cut either
    extended = width_of(tr(N_("extended")))
    levels: dict[str, int] = {}
    cells_of: dict[_Shape, list[Paragraph]] = {}
    widths: dict[_Shape, int] = {}

    def state_cell(shape: _Shape) -> list[Paragraph]:
        cell = cells_of.get(shape)
        if cell is None:
            lines = state_lines(tr, *shape)
            widths[shape] = max(width_of(text) for text, _ in lines)
            cell = cells_of[shape] = ready(_state_cell(lines))
        return cell

    for t in view.texts():
        natural[0] = max(natural[0], len(t.id))  # ids are ASCII: never escaped
        natural[2] = max(natural[2], width_of(inert(t.title)))
        least[2] = max(least[2], widest_word(t.title))
        natural[3] = max(natural[3], width_of(inert(t.responsible_unit)))
        natural[4] = max(natural[4], width_of(_d(t.deadline)), extended if t.extended else 0)
        w = levels.get(t.level)
        if w is None:
            w = levels[t.level] = width_of(tr.label("level", t.level))
        natural[1] = max(natural[1], w)
        shape = (t.state, t.days_overdue, t.rectified_late_days, t.plan_missing, t.invalid)
        if shape not in widths:
            state_cell(shape)
        natural[5] = max(natural[5], widths[shape])

    def cells() -> Iterator[tuple[Cell, ...]]:
        for row in view.rows():
            shape: _Shape = (
                row.state,
                row.days_overdue if row.overdue else None,
                row.rectified_late_days,
                row.plan_missing,
                row.invalid,
            )
            yield (
                row.id,
                tr.label("level", row.level),
                row.title,
                row.responsible_unit,
                deadline_cell(row.deadline, row.extended, row.state, tr),
                state_cell(shape),
            )

    return Grid(*_hazard_columns(tr), rows=cells, natural=natural, least=least)


Fact = Callable[[dt.date, str], list[Paragraph]]
Label = Callable[[str], str]
_Row = tuple[str, Cell]


def hazard_detail(view: HazardDetail, tr: Translator) -> Block:
    """One hazard in full. Facts dated after the as-of day are shown, marked as not counted yet."""
    h = view.record
    as_of = view.as_of
    known = h.discovered_on <= as_of

    def fact(day: dt.date, text: str, style: str = "") -> list[Paragraph]:
        runs: list[Run] = [(style, text)]
        if day > as_of:
            later = tr(N_(" (after {date}: not counted yet)")).format(date=as_of.isoformat())
            runs.append(("dim", later))
        return [runs]

    def label(code: str) -> str:
        return _field(tr, code)

    rows = _state_rows(view, known, label, tr)
    history = view.history
    if history.withdrawal:
        w = history.withdrawal
        who = f"  {w.by}" if w.by else ""
        rows.append((label("withdrawal"), fact(w.on, f"{w.on}{who}  {w.reason}")))
    rows += _registration_rows(h, label, fact, tr)
    rows += _plan_rows(view, label, tr)
    for e in history.extensions:
        text = tr(N_("{on}: {old} → {new}, approved by {by}: {reason}")).format(
            on=e.on, old=e.from_, new=e.to, by=e.approved_by, reason=e.reason
        )
        rows.append((label("extensions"), fact(e.on, text)))
    rows += _cycle_rows(history.current_cycle(), label, fact, tr)
    rows += _report_rows(h.level, history, label, fact, tr, as_of)
    parts: list[Block] = [Fields(rows)]
    parts += _reopenings(history, fact, tr)
    parts += _revisions(history, fact, tr)
    parts += _corrections(history, label, tr)
    parts += _notes(history, label, fact, tr)
    return Stack(*parts)


def _state_rows(view: HazardDetail, known: bool, label: Label, tr: Translator) -> list[_Row]:
    """What the hazard is and where it stands on the day: late, rectified late, no 五落实."""
    h, as_of = view.record, view.as_of
    state: Cell
    if not known:
        state = styled(tr(N_("not discovered yet on {date}")).format(date=as_of.isoformat()), "dim")
    elif view.invalid:
        state = styled(
            tr(N_("invalid record: it breaks the closed loop; run 'safeplan validate'")),
            "bold red",
        )
    else:
        state = tr.label("hazard state", view.state, long=True)
    rows: list[_Row] = [
        (label("id"), h.id),
        (label("title"), h.title),
        (label("level"), tr.label("level", h.level)),
        (tr(N_("State")), state),
    ]
    if known and view.overdue and view.days_overdue is not None:
        late = NP_("{n} day past the deadline", "{n} days past the deadline", view.days_overdue)
        rows.append((tr(N_("Overdue")), styled(str(param(late, tr)), "red")))
    elif known and view.days_left is not None:
        rows.append((tr(N_("Days left")), str(view.days_left)))
    if known and view.rectified_late_days is not None:
        late = NP_(
            "rectified {n} day after the deadline",
            "rectified {n} days after the deadline",
            view.rectified_late_days,
        )
        rows.append((tr(N_("Rectified late")), styled(str(param(late, tr)), "yellow")))
    if known and view.plan_missing:
        missing = tr(N_("not yet complete (五落实未落实): 'safeplan hazard plan {id}'"))
        rows.append((label("rectification_plan"), styled(missing.format(id=h.id), "red")))
    return rows


def _reopenings(history: HazardHistory, fact: Fact, tr: Translator) -> list[Block]:
    """Each earlier cycle: the reopening that ended it, and what it had (dim)."""
    parts: list[Block] = []
    for cycle in history.earlier_cycles():
        assert cycle.reopened_on is not None and cycle.reopened_reason is not None
        what = (
            N_("closure revoked on {date}: {reason}")
            if cycle.closure is not None
            else N_("rectify again from {date}: {reason}")
        )
        on = cycle.reopened_on
        parts.append(Text(*fact(on, tr(what).format(date=on, reason=cycle.reopened_reason))))
        before = _cycle_text(cycle, tr)
        if before:
            parts.append(Text([("dim", before)], indent=4))
    return parts


def _revisions(history: HazardHistory, fact: Fact, tr: Translator) -> list[Block]:
    parts: list[Block] = []
    for version in history.revised_plans():
        assert version.revised_on is not None
        revised = tr(N_("plan revised on {date}; before: deadline {deadline}")).format(
            date=version.revised_on, deadline=version.plan.deadline
        )
        by_why = (version.revised_by, version.revised_reason)
        extra = "".join(tr(N_("; ")) + x for x in by_why if x)
        parts.append(Text(*fact(version.revised_on, revised + extra)))
    return parts


def _corrections(history: HazardHistory, label: Label, tr: Translator) -> list[Block]:
    if not history.corrections:
        return []
    table = Grid(
        Col(tr(N_("Date")), head=True),
        Col(tr(N_("Field")), head=True),
        Col(tr(N_("Was")), flex=1, min_width=10),
        Col(tr(N_("Now")), flex=1, min_width=10),
        Col(tr(N_("Corrected by"))),
        title=label("corrections"),
    )
    for c in history.corrections:
        table.add_row(c.on.isoformat(), label(c.field), c.from_ or "—", c.to or "—", c.by or "—")
    return [blank(), table]


def _notes(history: HazardHistory, label: Label, fact: Fact, tr: Translator) -> list[Block]:
    if not history.notes:
        return []
    table = Grid(
        Col(tr(N_("Date")), head=True),
        Col(tr(N_("Note")), flex=1, min_width=12),
        Col(tr(N_("Noted by"))),
        title=label("notes"),
    )
    for n in history.notes:
        table.add_row(n.on.isoformat(), fact(n.on, n.text), n.by or "—")
    return [blank(), table]


def _registration_rows(h: Hazard, label: Label, fact: Fact, tr: Translator) -> list[_Row]:
    rows: list[_Row] = []
    if h.former_ids:
        rows.append((label("former_ids"), tr.join(h.former_ids)))
    if h.ledger_no:
        rows.append((label("ledger_no"), h.ledger_no))
    if h.description:
        rows.append((label("description"), h.description))
    if h.basis:
        rows.append((label("basis"), h.basis))
    if h.enterprise:
        rows.append((label("enterprise.name"), h.enterprise.name))
        if h.enterprise.credit_code:
            rows.append((label("enterprise.credit_code"), h.enterprise.credit_code))
        if h.enterprise.address:
            rows.append((label("enterprise.address"), h.enterprise.address))
    for key, value in (
        ("industry", h.industry),
        ("location", h.location),
        ("discovered_on", fact(h.discovered_on, h.discovered_on.isoformat())),
        ("source", tr.label("source", h.source)),
        ("found_by", h.found_by),
        ("responsible_unit", h.responsible_unit),
        ("responsible_person", h.responsible_person),
    ):
        if value:
            rows.append((label(key), value))
    return rows


def _plan_rows(view: HazardDetail, label: Label, tr: Translator) -> list[_Row]:
    plan = view.history.plan_in_force()
    rows: list[_Row] = []
    if plan is None:
        return rows
    deadline = plan.deadline.isoformat()
    if view.extended and view.deadline is not None:
        deadline = tr(N_("extended to {date} (first set: {first})")).format(
            date=view.deadline, first=view.original_deadline or plan.deadline
        )
    elif view.deadline is not None and view.deadline != plan.deadline:
        deadline = tr(N_("{date} in force on {day}; now {now}")).format(
            date=view.deadline, day=view.as_of, now=plan.deadline
        )
    rows.append((label("rectification_plan.deadline"), deadline))
    funds = plan.funds
    if funds and view.funds is not None:
        from safeplan.money import format_yuan

        shown = format_yuan(view.funds)
        funds = funds if shown == funds.strip() else f"{funds}（{view.funds:,f}元）"
    for key, value in (
        ("rectification_plan.measures", plan.measures),
        ("rectification_plan.funds", funds),
        ("rectification_plan.responsible_person", plan.responsible_person),
        ("rectification_plan.contingency_plan", plan.contingency_plan),
        ("rectification_plan.on", plan.on.isoformat() if plan.on else None),
    ):
        if value:
            rows.append((label(key), value))
    return rows


def _cycle_rows(h: CycleView, label: Label, fact: Fact, tr: Translator) -> list[_Row]:
    rows: list[_Row] = []
    if h.rectification:
        r = h.rectification
        rows.append((label("rectification.on"), fact(r.on, _fact(r.on, r.note))))
        rows += _evidence_rows(r.evidence, label)
    if h.acceptance:
        a = h.acceptance
        result = tr.label("acceptance result", a.result)
        runs = fact(a.on, f"{a.on}  {a.by}  ")[0]
        assert isinstance(runs, list)
        runs.insert(1, ("bold red" if a.result == "failed" else "", result))
        rows.append((label("acceptance.on"), [runs]))
        if a.note:
            rows.append((label("acceptance.note"), a.note))
        rows += _evidence_rows(a.evidence, label)
    if h.closure:
        c = h.closure
        rows.append(
            (label("closure.on"), fact(c.on, _fact(c.on, f"{c.reviewer}  {c.note or ''}".strip())))
        )
    return rows


def _evidence_rows(evidence: Sequence[str], label: Label) -> list[_Row]:
    return [(label("rectification.evidence"), e) for e in evidence]


def _report_rows(
    level: str, h: HazardHistory, label: Label, fact: Fact, tr: Translator, as_of: dt.date
) -> list[_Row]:
    rows: list[_Row] = []
    dr = h.double_report
    if level == "major" or dr is not None:
        reported = [d for d in (dr.regulator_on, dr.workers_on) if d] if dr else []
        text = tr(N_("regulator {regulator}; workers' congress {workers}")).format(
            regulator=_d(dr.regulator_on if dr else None),
            workers=_d(dr.workers_on if dr else None),
        )
        rows.append((label("double_report"), fact(max(reported, default=as_of), text)))
    for s in h.supervision:
        text = tr(N_("{level}, {by}, listed {date}")).format(
            level=tr.label("supervision level", s.level), by=s.by, date=s.listed_on
        )
        if s.lifted_on:
            text += tr(N_(", lifted {date}")).format(date=s.lifted_on)
        rows.append((label("supervision"), fact(s.lifted_on or s.listed_on, text)))
    return rows


def _cycle_text(cycle: CycleView, tr: Translator) -> str:
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
        if a.note:
            out.append(a.note)
    if cycle.closure:
        c = cycle.closure
        out.append(tr(N_("closed {date}, reviewed by {by}")).format(date=c.on, by=c.reviewer))
    return tr(N_("; ")).join(out)


def _fact(day: dt.date, note: str | None) -> str:
    return f"{day}  {note}" if note else str(day)


# --------------------------------------------------------------------------- units


def unit_list_table(view: UnitList, tr: Translator) -> Grid:
    table = Grid(
        Col(tr(N_("Unit")), head=True),
        Col(tr(N_("Kind"))),
        Col(tr(N_("Lead")), "right"),
        Col(tr(N_("Co-op")), "right"),
        Col(tr(N_("Hazards")), "right"),
        caption=tr(LOAD_LEGEND),
    )
    for u in view.units:
        table.add_row(u.name, tr.label("unit kind", u.kind), *_load_cells(u))
    return table


def unit_detail(view: UnitDetail, tr: Translator) -> Block:
    rows: list[_Row] = [
        (tr(N_("Unit")), view.name),
        (tr(N_("Kind")), tr.label("unit kind", view.kind)),
    ]
    if view.full_name:
        rows.append((tr(N_("Full name")), view.full_name))
    if view.members:
        rows.append((tr(N_("Members")), _units(view.members, tr)))
    if view.contact:
        c = view.contact
        rows.append((tr(N_("Contact")), "  ".join(x for x in (c.person, c.phone, c.email) if x)))
    parts: list[Block] = [Fields(rows)]
    for title, rows_ in (
        (N_("Tasks as lead ({n})"), view.lead_tasks),
        (N_("Tasks as co-operator ({n})"), view.co_tasks),
    ):
        parts += [blank(), _line(tr(title).format(n=len(rows_)), "bold")]
        if rows_:
            parts.append(task_table(rows_, tr))
    parts += [blank(), _line(tr(N_("Hazards ({n}):")).format(n=len(view.hazards)), "bold")]
    if view.hazards:
        parts.append(hazard_table(view.hazards, tr))
    return Stack(*parts)
