"""Enterprises and their duties for a day: the rows of ``enterprise list``, one
enterprise's detail, and the duty figures of ``status``, the reports and the ledger.

One function builds each figure; every output renders what it returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from safeplan.models.enterprise_views import (
    CertificateRow,
    DutiesView,
    DutyCell,
    DutyFigure,
    EnterpriseDetail,
    EnterpriseList,
    EnterpriseRow,
    Rate,
)
from safeplan.models.enterprises import EnterpriseRecord
from safeplan.models.records import Duty
from safeplan.models.views import same_named
from safeplan.periods import Span
from safeplan.repo import Repository
from safeplan.rules.hints import unknown
from safeplan.status.enterprises import (
    STATE_ORDER,
    applies,
    enterprise_duties,
    expired_certificates,
)


@dataclass
class Filters:
    """What ``enterprise list`` narrows to (codes; None: any)."""

    industry: str | None = None
    grade: str | None = None
    village: str | None = None
    high_risk: bool | None = None
    state: str | None = None
    #: Only those behind on a duty (any duty, or the one named).
    behind: bool = False
    duty: str | None = None
    words: list[str] = field(default_factory=list)


def _duties(repo: Repository) -> list[Duty]:
    return list(repo.plan.duties) if repo.plan is not None else []


def _certificates(ent: EnterpriseRecord, day: dt.date) -> list[CertificateRow]:
    return [
        CertificateRow(
            enterprise=ent.id,
            name=ent.name,
            **same_named(c, "person role number valid_until"),
        )
        for c in expired_certificates(ent, day)
    ]


def enterprise_row(ent: EnterpriseRecord, duties: Sequence[Duty], day: dt.date) -> EnterpriseRow:
    """One enterprise and the state of each duty that binds it on ``day``."""
    by_id = {d.id: d for d in duties}
    cells = [
        DutyCell(
            **same_named(s, "duty state period every last counted"),
            task=by_id[s.duty].task,
            title=by_id[s.duty].title,
            missed=list(s.missed),
            lacking=list(s.lacking),
        )
        for s in enterprise_duties(duties, ent, day)
    ]
    return EnterpriseRow(
        **same_named(ent, "id name credit_code village industry grade"),
        high_risk=ent.is_high_risk(),
        flags=list(ent.flags),
        state=ent.state_on(day),
        principal=ent.principal.name if ent.principal else None,
        duties=cells,
        behind=sum(1 for c in cells if c.state == "overdue"),
        missed=sum(len(c.missed) for c in cells),
        expired=_certificates(ent, day),
    )


def enterprise_rows(repo: Repository, day: dt.date) -> list[EnterpriseRow]:
    """Every enterprise registered by ``day``, in file-name order."""
    duties = _duties(repo)
    return [enterprise_row(e, duties, day) for e in repo.enterprises if e.registered_on <= day]


def _keep(row: EnterpriseRow, f: Filters) -> bool:
    if f.industry is not None and row.industry != f.industry:
        return False
    if f.grade is not None and row.grade != f.grade:
        return False
    if f.village is not None and row.village != f.village:
        return False
    if f.high_risk is not None and row.high_risk != f.high_risk:
        return False
    if f.state is not None and row.state != f.state:
        return False
    if f.behind or f.duty is not None:
        cells = [c for c in row.duties if f.duty is None or c.duty == f.duty]
        if f.behind and not any(c.state == "overdue" for c in cells):
            return False
        if not f.behind and not cells:
            return False
    text = " ".join(x for x in (row.id, row.name, row.village or "", row.principal or "") if x)
    return all(w in text for w in f.words)


def enterprise_list(
    repo: Repository, day: dt.date, filters: Filters | None = None
) -> EnterpriseList:
    rows = enterprise_rows(repo, day)
    if filters is not None:
        rows = [r for r in rows if _keep(r, filters)]
    return EnterpriseList(as_of=day, enterprises=rows)


def enterprise_ids(repo: Repository) -> list[str]:
    return [e.id for e in repo.enterprises]


def find_enterprise(repo: Repository, typed: str) -> EnterpriseRecord:
    """An enterprise by id, credit code (any case) or exact name."""
    from safeplan.models.fields import typed_credit_code

    code = typed_credit_code(typed)
    for e in repo.enterprises:
        if typed in (e.id, e.name) or code in (e.id, e.credit_code):
            return e
    raise unknown("enterprise", typed, enterprise_ids(repo) + [e.name for e in repo.enterprises])


def enterprise_detail(repo: Repository, typed: str, day: dt.date) -> EnterpriseDetail:
    ent = find_enterprise(repo, typed)
    return EnterpriseDetail(
        as_of=day, enterprise=enterprise_row(ent, _duties(repo), day), record=ent
    )


def _rates(rows: Iterable[tuple[str, bool]]) -> list[Rate]:
    done: dict[str, int] = {}
    total: dict[str, int] = {}
    for key, ok in rows:
        total[key] = total.get(key, 0) + 1
        done[key] = done.get(key, 0) + int(ok)
    return [Rate(key=k, done=done[k], total=total[k]) for k in sorted(total)]


def duty_figure(duty: Duty, rows: Sequence[EnterpriseRow]) -> DutyFigure:
    """One duty over the enterprises it binds (those whose row has a cell for it)."""
    pairs = [(r, c) for r in rows for c in r.duties if c.duty == duty.id]
    states = [c.state for _, c in pairs]
    return DutyFigure(
        duty=duty.id,
        **same_named(duty, "task title fulfilled_by applies_to"),
        total=len(pairs),
        done=states.count("done"),
        due=states.count("due"),
        overdue=states.count("overdue"),
        every=sorted({c.every for _, c in pairs if c.every is not None}),
        by_industry=_rates((r.industry, c.state == "done") for r, c in pairs),
        by_grade=_rates((r.grade or "—", c.state == "done") for r, c in pairs),
        by_village=_rates((r.village or "—", c.state == "done") for r, c in pairs),
    )


def worst_first(rows: Iterable[EnterpriseRow]) -> list[EnterpriseRow]:
    """Enterprises behind on a duty, the furthest behind first."""
    behind = [r for r in rows if r.behind]
    return sorted(behind, key=lambda r: (-r.behind, -r.missed, r.id))


def duties_view(repo: Repository, day: dt.date) -> DutiesView:
    """The duties section of ``status`` and the reports."""
    rows = [r for r in enterprise_rows(repo, day) if r.state != "deregistered"]
    return DutiesView(
        as_of=day,
        duties=[duty_figure(d, rows) for d in _duties(repo)],
        behind=worst_first(rows),
        expired=[c for r in rows for c in r.expired],
        enterprises=len(rows),
        high_risk=sum(1 for r in rows if r.high_risk),
    )


def unchecked_high_risk(repo: Repository, span: Span) -> list[EnterpriseRow]:
    """High-risk enterprises operating at the end of ``span`` with no principal-led check
    dated within it (the reports' list)."""
    duties = _duties(repo)
    out = []
    for e in repo.enterprises:
        if e.registered_on > span.end or e.state_on(span.end) != "operating":
            continue
        if not e.is_high_risk():
            continue
        if any(span.start <= d <= span.end for d in e.fact_days("check")):
            continue
        out.append(enterprise_row(e, duties, span.end))
    return out


def binds(repo: Repository, duty: Duty, day: dt.date) -> list[EnterpriseRecord]:
    return [e for e in repo.enterprises if applies(duty, e, day)]


__all__ = ["STATE_ORDER", "Filters"]
