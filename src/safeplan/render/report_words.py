"""What a report says in words, in the reader's language: days, periods and titles,
numbers and rates, provenance, the figures' and events' labels (``Words``) and the
sign-off line's labels, shared by the templates, the Word report and the county's."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING

from safeplan.models.reports import HazardEvent, IndustryRow, Rate, Report, TaskEvent
from safeplan.models.rollup import CountyReport
from safeplan.models.views import GoalView, HazardRow, Rates, TaskRow
from safeplan.problems import N_, NP_
from safeplan.render.i18n import Translator
from safeplan.render.text import param
from safeplan.vocab import Lang

if TYPE_CHECKING:
    pass


_MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)
_QUARTERS = (N_("Q1 {year}"), N_("Q2 {year}"), N_("Q3 {year}"), N_("Q4 {year}"))
_TITLES = {
    "week": N_("{series}: weekly report"),
    "month": N_("{series}: monthly report"),
    "quarter": N_("{series}: quarterly report"),
}


# --------------------------------------------------------------------------- words


def day_text(day: dt.date, tr: Translator, year: bool = True) -> str:
    """``2026年11月29日`` / ``November 29, 2026``; without the year: ``11月29日``."""
    month = tr(_MONTHS[day.month - 1])
    if year:
        return tr(N_("{month_name} {day}, {year}")).format(
            month_name=month, day=day.day, year=day.year
        )
    return tr(N_("{month_name} {day}")).format(month_name=month, day=day.day)


def period_text(view: Report | CountyReport, tr: Translator) -> str:
    """``2026年第48周（11月23日—11月29日）``, ``2026年11月``, ``2026年第四季度``."""
    p = view.period
    if p.kind == "week":
        same = p.start.year == p.end.year == p.year
        days = tr(N_(" ({start} – {end})")).format(
            start=day_text(p.start, tr, year=not same), end=day_text(p.end, tr, year=not same)
        )
        return tr(N_("Week {week} of {year}")).format(week=p.number, year=p.year) + days
    if p.kind == "month":
        month = tr(_MONTHS[p.number - 1])
        return tr(N_("{month_name} {year}")).format(month_name=month, year=p.year)
    return tr(_QUARTERS[p.number - 1]).format(year=p.year)


def title_text(view: Report, tr: Translator) -> str:
    """《大井镇安全生产治本攻坚三年行动周报》."""
    series = view.series or (view.plan.title if view.plan else "safeplan")
    return tr(_TITLES[view.period.kind]).format(series=series)


_DOC_TITLES = {
    "week": N_("{series} weekly work report ({period})"),
    "month": N_("{series} monthly work report ({period})"),
    "quarter": N_("{series} quarterly work report ({period})"),
}


def short_period_text(view: Report, tr: Translator) -> str:
    """``2026年第47周``, ``2026年11月``, ``2026年第四季度``: the period as a title names it."""
    p = view.period
    if p.kind == "week":
        return tr(N_("Week {week} of {year}")).format(week=p.number, year=p.year)
    if p.kind == "month":
        month = tr(_MONTHS[p.number - 1])
        return tr(N_("{month_name} {year}")).format(month_name=month, year=p.year)
    return tr(_QUARTERS[p.number - 1]).format(year=p.year)


def document_title(view: Report, tr: Translator) -> str:
    """``大井镇安全生产治本攻坚三年行动工作周报（2026年第47周）``: the title of the report as a
    公文 attachment, without 《》 (a document does not quote its own title), with its period."""
    series = view.series or (view.plan.title if view.plan else "")
    return tr(_DOC_TITLES[view.period.kind]).format(
        series=series, period=short_period_text(view, tr)
    )


#: A blank between a Chinese character and a digit, either way round (``逾期 966 天``).
_CJK_DIGIT = re.compile(
    r"(?<=[\u3400-\u9fff\uff08\uff09\u3001\uff1a\uff0c\u201c\u201d])[ \u00a0]+(?=[0-9])"
    r"|(?<=[0-9%])[ \u00a0]+(?=[\u3400-\u9fff\uff08\uff09])"
)


def join_numbers(text: str, lang: Lang) -> str:
    """Numbers joined to their measure words, as official Chinese text writes them
    (``2项``, ``逾期966天``): the documents' rule (HTML, Word, PDF). The screens and the
    Markdown keep a blank either side, which reads better in a terminal."""
    return _CJK_DIGIT.sub("", text) if lang == "zh" else text


def provenance_text(view: Report) -> str:
    """What made the document, for its properties (never its printed text):
    ``safeplan 0.1.0; data: git commit 6afcda175dce``."""
    data = view.data
    if data.commit is None:
        source = "data: not in a git repository"
    else:
        source = f"data: git commit {data.commit}"
        if data.modified:
            source += ", with changes not committed"
    return f"safeplan {view.version}; {source}"


def percent_text(r: Rate | Decimal | None) -> str:
    """``62.5%`` (a ``Rate`` or a rate of ``Rates``); ``—`` when nothing was found."""
    value = r.percent if isinstance(r, Rate) else r
    return "—" if value is None else f"{value}%"


def wan_text(amount: Decimal) -> str:
    """元 as 万元 with two decimals: 452500 → 45.25."""
    return f"{(amount / 10000).quantize(Decimal('0.01'))}"


_FIGURE_LABELS = {
    "found": N_("Found in the period"),
    "rectified": N_("Rectified in the period"),
    "accepted": N_("Accepted in the period"),
    "failed": N_("Failed acceptance in the period"),
    "closed": N_("Closed (销号) in the period"),
    "extended": N_("Extended (延期) in the period"),
    "reopened": N_("Reopened after closure in the period"),
    "withdrawn": N_("Withdrawn (撤销) in the period"),
    "open": N_("Not closed at the end"),
    "overdue": N_("Overdue at the end"),
}
_EVENTS = {
    "registered": N_("hazard registered"),
    "rectified": N_("rectification done"),
    "accepted": N_("acceptance passed"),
    "failed": N_("acceptance failed"),
    "closed": N_("closed (销号)"),
    "extended": N_("deadline extended"),
    "reopened": N_("reopened after closure"),
    "withdrawn": N_("withdrawn (撤销)"),
}


class Words:
    """What the templates say about a report's rows, in the reader's language (the same
    wordings as the screens where there is one: ``render.screens``)."""

    def __init__(self, view: Report, tr: Translator) -> None:
        self.view = view
        self.tr = tr

    def figure_label(self, name: str) -> str:
        return self.tr(_FIGURE_LABELS[name])

    def event_label(self, e: HazardEvent) -> str:
        """What happened, in a word (延期), without the dates of an extension."""
        return self.tr(_EVENTS[e.kind])

    def event_text(self, e: HazardEvent) -> str:
        text = self.tr(_EVENTS[e.kind])
        if e.kind == "extended" and e.deadline_to is not None:
            old = e.deadline_from.isoformat() if e.deadline_from else "—"
            text = self.tr(N_("extended from {old} to {new}")).format(
                old=old, new=e.deadline_to.isoformat()
            )
        return text

    def task_event(self, e: TaskEvent) -> str:
        if e.kind == "done":
            done = self.tr(N_("task done"))
            return (
                done if not e.note else self.tr(N_("{what}: {note}")).format(what=done, note=e.note)
            )
        if e.by:
            return self.tr(N_("{note} ({by})")).format(note=e.note or "", by=e.by)
        return e.note or ""

    def task_state(self, row: TaskRow) -> str:
        from safeplan.render.screens.common import task_state_text

        return task_state_text(row, self.tr)

    def hazard_state(self, row: HazardRow) -> str:
        """The state, then overdue or days left and what else a reader must know, in a line."""
        return self.tr(N_("; ")).join(self.hazard_lines(row))

    def hazard_lines(self, row: HazardRow) -> list[str]:
        """The state, then overdue or days left and what else a reader must know."""
        tr = self.tr
        if row.invalid:
            return [tr(N_("invalid record"))]
        lines = [tr.label("hazard state", row.state)]
        if row.overdue and row.days_overdue is not None:
            lines.append(
                str(param(NP_("overdue {n} day", "overdue {n} days", row.days_overdue), tr))
            )
        elif row.days_left is not None:
            lines.append(str(param(NP_("{n} day left", "{n} days left", row.days_left), tr)))
        if row.rectified_late_days is not None:
            late = NP_("rectified {n} day late", "rectified {n} days late", row.rectified_late_days)
            lines.append(str(param(late, tr)))
        return lines

    def deadline_text(self, row: HazardRow) -> str:
        if row.deadline is None:
            return "—"
        if row.extended and row.original_deadline is not None:
            return self.tr(N_("{deadline} (extended; first {original})")).format(
                deadline=row.deadline.isoformat(), original=row.original_deadline.isoformat()
            )
        return row.deadline.isoformat()

    def deadline_note(self, row: HazardRow) -> str:
        """``(extended; first 2026-09-30)`` under a deadline an extension set."""
        if not row.extended or row.original_deadline is None:
            return ""
        return self.tr(N_("(extended; first {original})")).format(
            original=row.original_deadline.isoformat()
        )

    def supervision_text(self, row: HazardRow) -> str:
        if not row.supervised or row.supervision_level is None:
            return "—"
        return self.tr.label("supervision level", row.supervision_level)

    def supervision_levels(self, counts: dict[str, int]) -> str:
        """`` (county 1, city 1)`` / ``（县级 1 项、市级 1 项）``, or nothing."""
        if not counts:
            return ""
        items = [
            self.tr(N_("{level} {n}")).format(level=self.tr.label("supervision level", code), n=n)
            for code, n in counts.items()
        ]
        return self.tr(N_(" ({levels})")).format(levels=self.tr.join(items))

    def rate_label(self, name: str) -> str:
        from safeplan.render.screens.common import RATES

        return self.tr(RATES[name][0])

    def rate_cell(self, r: Rates, name: str) -> str:
        from safeplan.render.screens.common import rate_cell

        return rate_cell(r, name, self.tr)

    def funds_text(self, row: IndustryRow) -> str:
        """整改资金 in 万元; unknown is not zero: 未填报 when no hazard records it, and how
        many do not beside a sum of those that do."""
        if not row.funds_reported and row.funds_missing:
            return self.tr(N_("not reported"))
        amount = wan_text(row.funds)
        if row.funds_missing:
            return self.tr(N_("{amount} ({n} not reported)")).format(
                amount=amount, n=row.funds_missing
            )
        return amount

    def problems_note(self) -> str:
        """The warning atop a report whose data has problems: the county reads it, so it
        names no tool (记录待核实), unlike the status screen."""
        note = NP_(
            "Records to be verified: {n} problem found in the data, so the figures below "
            "may be incomplete.",
            "Records to be verified: {n} problems found in the data, so the figures below "
            "may be incomplete.",
            self.view.overview.problems,
        )
        return str(param(note, self.tr))

    def goal_detail(self, g: GoalView) -> str:
        from safeplan.render.screens.overview import goal_detail

        return goal_detail(g, self.tr)

    def sign_labels(self) -> dict[str, str]:
        return sign_labels(self.tr)

    def footer(self) -> str:
        tr, view = self.tr, self.view
        data = view.data
        if data.commit is None:
            source = tr(N_("data: not in a git repository"))
        elif data.modified:
            source = tr(N_("data: git commit {commit}, with changes not committed")).format(
                commit=data.commit
            )
        else:
            source = tr(N_("data: git commit {commit}")).format(commit=data.commit)
        parts = [
            tr(N_("Period: {period}")).format(period=period_text(view, tr)),
            tr(N_("as of {date}")).format(date=view.as_of.isoformat()),
            tr(N_("safeplan {version}")).format(version=view.version),
            source,
        ]
        return tr(N_("; ")).join(parts)


def sign_labels(tr: Translator) -> dict[str, str]:
    """The words of the 附件 label, the 落款 and the 填报 line (a town's report, a county's)."""
    return {
        "attachment": tr(N_("Attachment")),
        "unit": tr(N_("Reporting unit (seal)")),
        "filled_by": tr(N_("Filled in by")),
        "reviewer": tr(N_("Reviewed by")),
        "phone": tr(N_("Phone")),
        "date": tr(N_("Date filled in")),
    }
