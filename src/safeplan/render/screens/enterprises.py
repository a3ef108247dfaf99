"""``safeplan enterprise list|show|duties`` and the enterprises section of ``status``
(``views/enterprises.py``)."""

from __future__ import annotations

from collections.abc import Sequence

from safeplan.models.enterprise_views import (
    CertificateRow,
    DutiesView,
    DutyCell,
    DutyFigure,
    EnterpriseDetail,
    EnterpriseList,
    EnterpriseRow,
)
from safeplan.models.rollup import DutyTotals
from safeplan.problems import N_
from safeplan.render.grid import Block, Cell, Col, Fields, Grid, Stack, Text, blank
from safeplan.render.i18n import Translator
from safeplan.render.screens.common import date_text, text_line

_STYLE = {"overdue": "red", "due": "yellow", "done": "green"}


def duty_text(cell: DutyCell, tr: Translator) -> str:
    """``任务6 逾期（漏2期）``: a duty's state on one line."""
    text = tr(N_("task {task} {state}")).format(
        task=cell.task, state=tr.label("duty state", cell.state)
    )
    if cell.missed:
        text += tr(N_(" ({n} missed)")).format(n=len(cell.missed))
    return text


def _duties_cell(row: EnterpriseRow, tr: Translator) -> str:
    return (
        "；".join(duty_text(c, tr) for c in row.duties)
        if tr.lang == "zh"
        else "; ".join(duty_text(c, tr) for c in row.duties)
    )


def enterprise_table(rows: Sequence[EnterpriseRow], tr: Translator) -> Grid:
    table = Grid(
        Col(tr(N_("Enterprise id")), head=True),
        Col(tr(N_("Name")), flex=2, head=True),
        Col(tr(N_("Village"))),
        Col(tr(N_("Industry"))),
        Col(tr(N_("High-risk"))),
        Col(tr(N_("Grade"))),
        Col(tr(N_("State"))),
        Col(tr(N_("Duties")), flex=3),
    )
    for r in rows:
        table.add_row(
            r.id,
            r.name,
            r.village or "—",
            tr.label("industry", r.industry),
            tr(N_("yes")) if r.high_risk else "—",
            r.grade or "—",
            tr.label("enterprise state", r.state),
            _duties_cell(r, tr) or "—",
        )
    return table


def enterprise_listing(view: EnterpriseList, tr: Translator) -> Grid:
    """``enterprise list``: the table of the enterprises its filters keep."""
    return enterprise_table(view.enterprises, tr)


def certificate_table(rows: Sequence[CertificateRow], tr: Translator) -> Grid:
    table = Grid(
        Col(tr(N_("Name")), flex=2, head=True),
        Col(tr(N_("Person"))),
        Col(tr(N_("Role"))),
        Col(tr(N_("Certificate number"))),
        Col(tr(N_("Valid until"))),
    )
    for c in rows:
        table.add_row(
            c.name,
            c.person,
            tr.label("certificate role", c.role),
            c.number or "—",
            date_text(c.valid_until),
        )
    return table


def enterprise_detail(view: EnterpriseDetail, tr: Translator) -> Block:
    r, e = view.enterprise, view.record
    rows: list[tuple[str, Cell]] = [
        (tr(N_("Enterprise id")), r.id),
        (tr(N_("Name")), r.name),
    ]
    if e.credit_code:
        rows.append((tr(N_("Credit code")), e.credit_code))
    for label, value in (
        (N_("Address"), e.address),
        (N_("Village"), e.village),
        (N_("Department"), e.department),
    ):
        if value:
            rows.append((tr(label), value))
    industry = tr.label("industry", r.industry)
    rows.append((tr(N_("Industry")), industry))
    high = tr(N_("yes")) if r.high_risk else tr(N_("no"))
    if e.high_risk is not None:
        high += tr(N_(" (set by hand: {reason})")).format(reason=e.high_risk.reason)
    rows.append((tr(N_("High-risk")), high))
    if r.grade:
        rows.append((tr(N_("Grade")), r.grade))
    if r.flags:
        rows.append((tr(N_("Scenarios")), tr.join(tr.label("scenario", f) for f in r.flags)))
    if e.principal:
        rows.append(
            (tr(N_("Principal")), " ".join(x for x in (e.principal.name, e.principal.phone) if x))
        )
    if e.safety_managers:
        rows.append(
            (
                tr(N_("Safety managers")),
                tr.join(" ".join(x for x in (p.name, p.phone) if x) for p in e.safety_managers),
            )
        )
    if e.employees is not None:
        rows.append((tr(N_("Employees")), str(e.employees)))
    rows.append((tr(N_("Registered")), date_text(e.registered_on)))
    rows.append((tr(N_("State")), tr.label("enterprise state", r.state)))
    parts: list[Block] = [Fields(rows)]
    if r.duties:
        parts += [blank(), text_line(tr(N_("Duties")), "bold"), duty_table(r.duties, tr)]
    facts: list[tuple[str, list[tuple[object, str | None, str | None]]]] = [
        (N_("Checks led by the principal ({n})"), [(c.on, c.led_by, c.note) for c in e.checks]),
        (N_("Drills ({n})"), [(d.on, d.kind, d.note) for d in e.drills]),
        (N_("Trainings ({n})"), [(t.on, t.topic, t.note) for t in e.trainings]),
        (
            N_("Certificates ({n})"),
            [
                (
                    c.on,
                    f"{c.person} {tr.label('certificate role', c.role)}",
                    tr(N_("valid until {day}")).format(day=c.valid_until),
                )
                for c in e.certificates
            ],
        ),
        (N_("Town inspections ({n})"), [(i.on, i.by, i.findings) for i in e.inspections]),
    ]
    for title, items in facts:
        if not items:
            continue
        parts += [blank(), text_line(tr(title).format(n=len(items)), "bold")]
        parts.append(
            Fields([(str(on), " ".join(x for x in (a, b) if x) or "—") for on, a, b in items])
        )
    if r.expired:
        parts += [blank(), text_line(tr(N_("Expired certificates")), "bold")]
        parts.append(certificate_table(r.expired, tr))
    return Stack(*parts)


def duty_table(cells: Sequence[DutyCell], tr: Translator) -> Grid:
    table = Grid(
        Col(tr(N_("Task")), "right"),
        Col(tr(N_("Duty")), flex=2, head=True),
        Col(tr(N_("Period"))),
        Col(tr(N_("State")), style=""),
        Col(tr(N_("Last"))),
        Col(tr(N_("Missed")), flex=1),
    )
    for c in cells:
        missed = tr.join(c.missed) if c.missed else "—"
        if c.lacking:
            missed = tr.join(_lacking(x, tr) for x in c.lacking)
        table.add_row(
            str(c.task),
            c.title,
            c.period or "—",
            tr.label("duty state", c.state),
            date_text(c.last) if c.last else "—",
            missed,
        )
    return table


def _lacking(item: str, tr: Translator) -> str:
    role, _, person = item.partition(":")
    return tr(N_("{role} {person}: no valid certificate")).format(
        role=tr.label("certificate role", role), person=person
    )


def figure_line(f: DutyFigure | DutyTotals, tr: Translator) -> str:
    """``任务6 主要负责人带队检查：31家中28家本期已完成，逾期2家``."""
    return tr(
        N_("task {task} {title}: {done} of {total} done this period, {overdue} behind")
    ).format(task=f.task, title=f.title, done=f.done, total=f.total, overdue=f.overdue)


def duties_section(view: DutiesView, tr: Translator, shown: int = 10) -> Block:
    """The enterprises section of ``status``: each duty's figure, who is behind (worst
    first), certificates expired."""
    parts: list[Block] = [
        text_line(
            tr(N_("Enterprises ({n}, {high} high-risk)")).format(
                n=view.enterprises, high=view.high_risk
            ),
            "bold",
        )
    ]
    for f in view.duties:
        parts.append(Text(figure_line(f, tr), indent=2))
    if view.behind:
        parts += [
            blank(),
            text_line(tr(N_("Behind on a duty ({n}), worst first:")).format(n=len(view.behind))),
            enterprise_table(view.behind[:shown], tr),
        ]
        if len(view.behind) > shown:
            parts.append(
                text_line(
                    tr(N_("… and {n} more: safeplan enterprise list --behind")).format(
                        n=len(view.behind) - shown
                    )
                )
            )
    if view.expired:
        parts += [
            blank(),
            text_line(tr(N_("Expired certificates ({n}):")).format(n=len(view.expired))),
            certificate_table(view.expired, tr),
        ]
    return Stack(*parts)


def duties_listing(view: DutiesView, tr: Translator) -> Block:
    """``enterprise duties`` (and its page): the section of ``status`` with every enterprise
    behind listed, not the first ten."""
    return duties_section(view, tr, shown=len(view.behind))
