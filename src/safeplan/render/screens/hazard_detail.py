"""``safeplan hazard show``: one hazard in full, with its history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from safeplan import vocab
from safeplan.models.hazard_views import CitedCriterion, CycleView, HazardDetail, HazardHistory
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
    blank,
    styled,
)
from safeplan.render.i18n import Translator
from safeplan.render.screens.common import date_text as _d
from safeplan.render.screens.common import field_label as _field
from safeplan.render.text import param

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
    rows += _registration_rows(view, label, fact, tr)
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
        missing = tr(N_("not yet complete (“五落实”不到位): 'safeplan hazard plan {id}'"))
        rows.append((label("rectification_plan"), styled(missing.format(id=h.id), "red")))
    return rows


def _reopenings(history: HazardHistory, fact: Fact, tr: Translator) -> list[Block]:
    """Each earlier cycle: the reopening that ended it, and what it had (dim)."""
    parts: list[Block] = []
    cycles = history.cycles
    for k, cycle in enumerate(history.earlier_cycles()):
        assert cycle.reopened_on is not None and cycle.reopened_reason is not None
        on = cycle.reopened_on
        if cycle.closure is not None:
            text = tr(N_("closure revoked on {date}: {reason}")).format(
                date=on, reason=cycle.reopened_reason
            )
        else:
            text = _rectified_again(cycle, cycles[k + 1], tr)
        parts.append(Text(*fact(on, text)))
        before = _cycle_text(cycle, tr)
        if before:
            parts.append(Text([("dim", before)], indent=4))
    return parts


def _rectified_again(cycle: CycleView, following: CycleView, tr: Translator) -> str:
    """``2026-11-12 验收不合格，2026-11-14 重新整改完成``: a failed acceptance and what came of
    it. A new rectification after a failed acceptance starts the next cycle on its own day;
    a reopening recorded by itself (``hazard reopen``) says from when, and why."""
    on = cycle.reopened_on
    acc = cycle.acceptance
    failed = acc.on if acc is not None and acc.result == "failed" else None
    again = following.rectification
    if again is not None and again.on == on:
        text = tr(N_("rectified again on {date}")).format(date=again.on)
    else:
        text = tr(N_("to be rectified again from {date} ({reason})")).format(
            date=on, reason=cycle.reopened_reason
        )
    if failed is None:
        return text
    return tr(N_("{date} acceptance failed, {then}")).format(date=failed, then=text)


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
        now = _corrected(tr, c.field, c.to)
        if c.reason is not None:
            now = tr(N_("{value} (reason: {reason})")).format(value=now, reason=c.reason)
        table.add_row(
            c.on.isoformat(), label(c.field), _corrected(tr, c.field, c.from_), now, c.by or "—"
        )
    return [blank(), table]


def _corrected(tr: Translator, field: str, value: str | None) -> str:
    """A corrected value as the screen shows it: a level or a source by its label."""
    if value is None:
        return "—"
    vocabulary = {"level": vocab.LEVEL, "source": vocab.SOURCE}.get(field)
    if vocabulary is not None and value in vocabulary:
        return tr.label(vocabulary, value)
    return value


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


def _criterion(c: CitedCriterion) -> str:
    """应急管理部令第10号 第三条第（二）项《工贸企业…》：特种作业人员未持证上岗."""
    head = f"{c.number} {c.where}".strip() + f"《{c.title}》"
    detail = c.item_title or c.article_title
    return f"{head}：{detail}" if detail else head


def _registration_rows(view: HazardDetail, label: Label, fact: Fact, tr: Translator) -> list[_Row]:
    h = view.record
    rows: list[_Row] = []
    if h.former_ids:
        rows.append((label("former_ids"), tr.join(h.former_ids)))
    if h.ledger_no:
        rows.append((label("ledger_no"), h.ledger_no))
    if h.description:
        rows.append((label("description"), h.description))
    if h.basis:
        rows.append((label("basis"), h.basis))
        if view.criterion is not None:
            rows.append((tr(N_("Criterion")), _criterion(view.criterion)))
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
