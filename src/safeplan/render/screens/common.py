"""What every screen shares: the styles of states, dates, labels, cells of a state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from safeplan.models.views import Rates, TaskRow, UnitLoadView
from safeplan.problems import N_, NP_
from safeplan.render.grid import Cell, Col, Paragraph, Text, Words, styled
from safeplan.render.i18n import Translator
from safeplan.render.text import param

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
#: What the rates count, stated under every table that shows them (``views.rates``).
RATES_DEFINITION = N_(
    "Rectification rate = rectified (awaiting acceptance, accepted or closed) ÷ found; "
    "a failed acceptance counts as not rectified. Closure rate = closed ÷ found. "
    "Withdrawn hazards are not counted."
)


def percent_text(value: Decimal | None) -> str:
    """``62.5%``; ``—`` when nothing was found."""
    return "—" if value is None else f"{value}%"


#: The rates (``models.views.Rates``), in the order shown: label, and the fields of the
#: rate, of what it counts and of what it divides by.
RATES = {
    "rectification": (N_("Rectification rate"), "rectification_rate", "rectified", "found"),
    "closure": (N_("Closure rate"), "closure_rate", "closed", "found"),
    "major": (
        N_("Major hazards' rectification rate"),
        "major_rectification_rate",
        "major_rectified",
        "major_found",
    ),
}


def rate_cell(r: Rates, name: str, tr: Translator) -> str:
    """``62.5%（5/8）``: a rate, and what it divides."""
    _, rate, part, whole = RATES[name]
    return tr(N_("{rate} ({part}/{whole})")).format(
        rate=percent_text(getattr(r, rate)), part=getattr(r, part), whole=getattr(r, whole)
    )


def rates_texts(r: Rates, tr: Translator) -> list[str]:
    """整改率 60.0%（6/10）, 销号率 40.0%（4/10）, 重大隐患整改率 50.0%（1/2）."""
    return [f"{tr(label)} {rate_cell(r, name, tr)}" for name, (label, *_) in RATES.items()]


def date_text(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def field_label(tr: Translator, code: str) -> str:
    """A record field's one label (``vocab.FIELD``), capitalised as a heading."""
    text = tr.label("field", code)
    return text[:1].upper() + text[1:]


def unit_names(units: Sequence[str], tr: Translator) -> list[Paragraph]:
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


def task_state_cell(row: TaskRow, tr: Translator) -> list[Paragraph]:
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


def styled_lines(lines: list[tuple[str, str]]) -> list[Paragraph]:
    return [[(style, text)] for text, style in lines]


def deadline_cell(deadline: dt.date | None, extended: bool, state: str, tr: Translator) -> Cell:
    """A hazard's deadline in force; under it 已延期 when an extension set it (the first
    deadline is in ``hazard show``)."""
    if not extended or state in ("closed", "withdrawn"):
        return date_text(deadline)
    return [[("", date_text(deadline))], [("yellow", tr(N_("extended")))]]


def task_deadline(row: TaskRow, tr: Translator) -> str:
    if row.ongoing_after and not row.ongoing:
        return tr(N_("{date}, then ongoing")).format(date=date_text(row.deadline))
    return tr(N_("ongoing")) if row.ongoing else date_text(row.deadline)


def text_line(text: str, style: str = "") -> Text:
    return Text([(style, text)])


def ids_text(ids: Sequence[str], tr: Translator, shown: int = 5) -> str:
    text = tr.join(ids[:shown])
    if len(ids) > shown:
        text += tr(N_(" and {n} more")).format(n=len(ids) - shown)
    return text


def figure_cols(tr: Translator, *headings: str) -> list[Col]:
    """Columns of figures (counts, rates): right-aligned, headed by these msgids."""
    return [Col(tr(h), "right") for h in headings]


def load_cols(tr: Translator) -> list[Col]:
    """The columns of :func:`load_cells` (``LOAD_LEGEND`` says what they hold)."""
    return figure_cols(tr, N_("Lead"), N_("Co-op"), N_("Hazards"))


def load_cells(load: UnitLoadView) -> tuple[str, str, str]:
    return (
        f"{len(load.lead_tasks)} / {load.lead_open} / {load.lead_overdue}",
        f"{len(load.co_tasks)} / {load.co_open} / {load.co_overdue}",
        f"{load.hazards_open} / {load.hazards_overdue}",
    )
