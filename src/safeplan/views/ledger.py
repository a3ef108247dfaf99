"""The ledger (台账) of a day: every hazard and task as a row, and the cover's counts.

The ledger shows the picture of the as-of day, as every other output does: hazards
found later are left out, and so are facts dated after the day (a rectification
recorded next week is not in this week's ledger). States and counts come from the same
functions as ``safeplan status``. A ledger needs more of a hazard than the summaries
that loading keeps (measures, the acceptor, the reviewer): :class:`LedgerKeep` makes it
from each full record in the pass that reads and validates the file (``load(keep=…)``),
so that no file is read twice; a repository read without it (the web's, a county's
towns) has its hazards' files read for it here, once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from safeplan.criteria.catalog import Catalog, Resolved
from safeplan.models.hazards import Hazard
from safeplan.models.ledger import (
    DoubleReportCell,
    ExtensionCell,
    FailedAcceptanceCell,
    Ledger,
    LedgerCover,
    LedgerHazardRow,
    LedgerTaskRow,
    SupervisionCell,
)
from safeplan.models.reports import Signature
from safeplan.models.summary import HazardSummary
from safeplan.repo import Repository
from safeplan.status import HAZARD_STATES, HazardStatus, StatusCache
from safeplan.views.criteria import repo_catalog
from safeplan.views.overview import overview
from safeplan.views.selection import task_states


class HazardFacts(NamedTuple):
    """What the ledger shows of a hazard on a day beyond its summary: small, made from the
    full record where it is read (a worker sends it back beside the summary)."""

    description: str | None
    measures: str | None
    funds: Decimal | None
    deadline: dt.date | None
    extensions: list[ExtensionCell]
    plan_person: str | None
    contingency_plan: str | None
    rectified_on: dt.date | None
    accepted_on: dt.date | None
    accepted_by: str | None
    acceptance_result: str | None
    failed_acceptances: list[FailedAcceptanceCell]
    closed_on: dt.date | None
    reviewer: str | None
    supervision: SupervisionCell | None
    double_report: DoubleReportCell | None


def hazard_facts(hazard: Hazard, day: dt.date) -> HazardFacts:
    """The ledger's facts of one full record on ``day`` (facts dated after it left out).

    Kept for every hazard until the ledger is written: the values a register repeats
    (people, days, amounts, the usual 预案) are shared as the summaries' are."""
    from safeplan.models.summary import shared, shared_day, shared_text
    from safeplan.money import parse_amount

    plan = hazard.plan_on(day)
    rect, acc, clo = hazard.cycle_on(day)
    text, on = shared_text, shared_day
    funds = parse_amount(plan.funds) if plan and plan.funds else None
    return HazardFacts(
        description=hazard.description,
        measures=text(plan.measures) if plan else None,
        funds=None if funds is None else shared(funds),
        deadline=on(plan.deadline) if plan else None,
        extensions=_extensions(hazard, day),
        plan_person=text(plan.responsible_person) if plan else None,
        contingency_plan=text(plan.contingency_plan) if plan else None,
        rectified_on=on(rect.on) if rect else None,
        accepted_on=on(acc.on) if acc else None,
        accepted_by=text(acc.by) if acc else None,
        acceptance_result=text(acc.result) if acc else None,
        failed_acceptances=_failed_acceptances(hazard, day),
        closed_on=on(clo.on) if clo else None,
        reviewer=text(clo.reviewer) if clo else None,
        supervision=_supervision(hazard, day),
        double_report=_double_report(hazard, day),
    )


@dataclass(frozen=True)
class LedgerKeep:
    """The keeper of the ledger of ``day`` (``repo.load(keep=LedgerKeep(day))``): each valid
    record's :class:`HazardFacts`, made in the pass that reads it. Equal for the same day,
    so that :func:`ledger` knows whether a repository was read for its day."""

    day: dt.date

    def __call__(self, hazard: Hazard) -> HazardFacts:
        return hazard_facts(hazard, self.day)


def read_facts(
    root: Path, hazards: Sequence[HazardSummary], day: dt.date
) -> Iterator[HazardFacts | None]:
    """Each summary's facts read from its file, in order, for a repository read without
    :class:`LedgerKeep` (None when the file changed and no longer reads: the ledger then
    leaves it out, and validate says why)."""
    from pydantic import ValidationError

    from safeplan.yamlio import YamlProblem, load_fast, read_text

    for h in hazards:
        try:
            record = Hazard.model_validate(load_fast(read_text(root / h.path)))
        except (OSError, YamlProblem, ValidationError):
            yield None
        else:
            yield hazard_facts(record, day)


def _supervision(hazard: Hazard, day: dt.date) -> SupervisionCell | None:
    """The listing in force on the day, else the last one listed by then (shown lifted)."""
    listed = [s for s in hazard.supervision if s.listed_on <= day]
    if not listed:
        return None
    in_force = [s for s in listed if s.lifted_on is None or s.lifted_on > day]
    s = (in_force or listed)[-1]
    lifted = s.lifted_on if s.lifted_on is not None and s.lifted_on <= day else None
    return SupervisionCell(s.level, s.by, s.listed_on, lifted)


def _double_report(hazard: Hazard, day: dt.date) -> DoubleReportCell | None:
    dr = hazard.double_report
    if dr is None:
        return None
    regulator = dr.regulator_on if dr.regulator_on and dr.regulator_on <= day else None
    workers = dr.workers_on if dr.workers_on and dr.workers_on <= day else None
    if regulator is None and workers is None:
        return None
    return DoubleReportCell(regulator, workers)


def _extensions(hazard: Hazard, day: dt.date) -> list[ExtensionCell]:
    """The extensions granted by the day, oldest first: what ``import ledger`` needs to
    record each again with its day, reason and approver."""
    return [
        ExtensionCell(e.on, e.to, e.reason, e.approved_by) for e in hazard.extensions if e.on <= day
    ]


def _failed_acceptances(hazard: Hazard, day: dt.date) -> list[FailedAcceptanceCell]:
    """Earlier cycles that ended in a failed acceptance by the day (a closure revoked is
    another story, not a failed acceptance)."""
    out = []
    for c in hazard.cycles():
        acc, reopened = c.acceptance, c.ended_by
        if reopened is None or reopened.on > day or acc is None or acc.result != "failed":
            continue
        rect = c.rectification
        out.append(
            FailedAcceptanceCell(
                rect.on if rect else None,
                acc.on,
                acc.by,
                acc.note,
                reopened.on,
                reopened.reason,
            )
        )
    return out


#: The fields every row sets, given to each row (a set of its own for each would be two
#: kilobytes a row, 200 MB in a register of 100,000 hazards). A set, not a frozenset:
#: ``model_copy`` copies and updates it, as a county's ledger does.
_ROW_FIELDS = set(LedgerHazardRow.model_fields) - {"town"}  # as model_construct counted them


def hazard_ledger_row(
    number: int,
    hazard: HazardSummary,
    facts: HazardFacts,
    st: HazardStatus,
    criterion: str | None = None,
) -> LedgerHazardRow:
    """One hazard as the ledger shows it on the day of ``facts`` and ``st`` (``criterion``:
    the document and item its basis cites, as :func:`criterion_label` reads them)."""
    f = facts
    return LedgerHazardRow.from_fields(
        {  # in the order of the model's fields: --json keeps it
            "number": number,
            "id": hazard.id,
            "town": None,
            "enterprise": hazard.enterprise,
            "credit_code": hazard.credit_code,
            "industry": hazard.industry,
            "location": hazard.location,
            "title": hazard.title,
            "description": f.description,
            "level": hazard.level,
            "source": hazard.source,
            "discovered_on": hazard.discovered_on,
            "basis": hazard.basis,
            "criterion": criterion,
            "measures": f.measures,
            "funds": f.funds,
            "deadline": f.deadline,
            "extended_to": st.deadline if st.extended else None,
            "extensions": f.extensions,
            "responsible_unit": hazard.responsible_unit,
            "plan_person": f.plan_person,
            "contingency_plan": f.contingency_plan,
            "rectified_on": f.rectified_on,
            "accepted_on": f.accepted_on,
            "accepted_by": f.accepted_by,
            "acceptance_result": f.acceptance_result,
            "failed_acceptances": f.failed_acceptances,
            "closed_on": f.closed_on,
            "reviewer": f.reviewer,
            "supervision": f.supervision,
            "double_report": f.double_report,
            "state": st.state,
            "overdue": st.overdue,
            "days_overdue": st.days_overdue,
            "invalid": st.invalid,
        },
        _ROW_FIELDS,
    )


def criterion_label(cat: Catalog, memo: dict[str, str | None], basis: str | None) -> str | None:
    """The catalog's normalised citation of a basis (``应急管理部令第10号 第五条第（三）项``),
    None when there is none or the catalog cannot place it (``validate`` says why);
    ``memo`` keeps each basis read once, as registers repeat them."""
    if not basis:
        return None
    if basis not in memo:
        r = cat.resolve(basis)
        memo[basis] = r.label() if isinstance(r, Resolved) else None
    return memo[basis]


def _last_progress(
    task_progress: Iterable[tuple[dt.date, str]], day: dt.date
) -> tuple[dt.date, str] | None:
    best: tuple[dt.date, str] | None = None
    for on, note in task_progress:
        if on <= day and (best is None or on >= best[0]):
            best = (on, note)
    return best


def ledger(repo: Repository, as_of: dt.date) -> Ledger:
    """The ledger of ``as_of``: hazards found by then (withdrawn ones counted on the cover
    only), in order of discovery; the plan's tasks in its order. The cover's counts are
    ``safeplan status``'s own (``overview``), so the two never disagree."""
    cache = StatusCache()
    figures = _figures(repo, as_of, cache)  # before the rows: status's rows are let go first
    known = sorted(
        (h for h in repo.hazards if h.discovered_on <= as_of), key=lambda h: (h.discovered_on, h.id)
    )
    rows: list[LedgerHazardRow] = []
    cat = repo_catalog(repo)
    memo: dict[str, str | None] = {}
    # Named by file: a file that does not read, one that repeats another's id (dropped when
    # the register was checked), one that changed and no longer reads.
    kept = {h.path for h in repo.hazards}
    left_out = [rel for rel in repo.unreadable_hazards if rel]
    left_out += [h.path for h in repo.snapshot.hazards if h.path not in kept]
    snapshot = repo.snapshot
    if snapshot.keep == LedgerKeep(as_of):  # read once, for this day
        facts: Iterable[object] = map(snapshot.kept.get, (h.path for h in known))
    else:
        facts = read_facts(repo.root, known, as_of)
    for h, fact in zip(known, facts, strict=True):
        st = cache.get(h, as_of)
        if not isinstance(fact, HazardFacts):
            left_out.append(h.path)
            continue
        if st.state == "withdrawn":
            continue
        label = criterion_label(cat, memo, h.basis) if h.level == "major" else None
        rows.append(hazard_ledger_row(len(rows) + 1, h, fact, st, label))

    states = task_states(repo.tasks, as_of, repo.plan, repo.enterprises)
    tasks: list[LedgerTaskRow] = []
    for t in repo.tasks:
        tst = states[t.number]
        last = _last_progress(((n.on, n.note) for n in t.progress), as_of)
        tasks.append(
            LedgerTaskRow.model_construct(
                number=t.number,
                action=t.action,
                title=t.title,
                deadline=t.deadline,
                ongoing=t.ongoing,
                lead_unit=t.units[0],
                co_units=list(t.units[1:]),
                last_progress_on=last[0] if last else None,
                last_progress=last[1] if last else None,
                done_on=tst.done_on,
                status=tst.state,
            )
        )
    plan = repo.plan
    cover = LedgerCover(
        title=plan.title if plan else "",
        issuer=plan.issuer if plan else None,
        as_of=as_of,
        hazards_total=len(rows),
        problems=repo.errors,
        left_out=sorted({PurePosixPath(rel).name for rel in left_out}),
        **figures,
        **Signature.of(plan).model_dump(),
    )
    return Ledger(
        cover=cover,
        hazards=rows,
        tasks=tasks,
        show_basis=any(r.basis for r in rows),
        enterprises=_enterprises(repo, as_of),
    )


def _figures(repo: Repository, as_of: dt.date, cache: StatusCache) -> dict[str, Any]:
    """The cover's counts, ``safeplan status``'s own (``overview``, sharing ``cache``), so
    the two never disagree. Only the counts are kept: status's row of every hazard (0.3 to
    1 KiB each) is let go before the ledger makes its own rows."""
    ov = overview(repo, as_of, cache=cache)
    h_ov = ov.hazards
    return {
        "hazards": {
            level: {s: by_state[s] for s in HAZARD_STATES}
            for level, by_state in h_ov.counts.items()
        },
        "overdue": len(h_ov.overdue),
        "plan_missing": len(h_ov.plan_missing),
        "withdrawn": len(h_ov.withdrawn),
        "invalid": len(h_ov.invalid),
        "tasks": dict(ov.tasks.counts),
        "rates": h_ov.rates,
    }


def _enterprises(repo: Repository, as_of: dt.date) -> object:
    """The enterprise sheet's rows (``enterprise list``'s), only for a plan with enterprises."""
    if not repo.enterprises:
        return None
    from safeplan.views.enterprises import enterprise_rows

    return enterprise_rows(repo, as_of)
