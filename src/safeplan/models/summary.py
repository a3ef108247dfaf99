"""What status, listings and reports need of a hazard: small, and cheap to send between processes.

Loading thousands of hazards keeps these, not the full models (which are slower to
ship back from worker processes and bloat memory). ``hazard show`` and the edits read
the full record.
"""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, overload

if TYPE_CHECKING:  # a summary is made from a record, but holding one needs no model
    from safeplan.models.hazards import Acceptance, Closure, Hazard, Rectification


class CycleFacts(NamedTuple):
    """The dates of one rectify → accept → close cycle; ``ended_on`` is its reopening."""

    rectified_on: dt.date | None
    accepted_on: dt.date | None
    accepted: bool
    closed_on: dt.date | None
    ended_on: dt.date | None


class SupervisionFacts(NamedTuple):
    level: str
    by: str
    listed_on: dt.date
    lifted_on: dt.date | None


class DeadlineFact(NamedTuple):
    """A 整改时限 set on a day: by a version of the plan, or by an extension (延期)."""

    on: dt.date
    deadline: dt.date
    extension: bool


class HazardSummary(NamedTuple):
    id: str
    path: str
    title: str
    level: str
    responsible_unit: str
    discovered_on: dt.date
    source: str
    deadline: dt.date | None
    enterprise: str | None
    location: str | None
    cycles: tuple[CycleFacts, ...]
    supervision: tuple[SupervisionFacts, ...]
    reported_regulator_on: dt.date | None
    reported_workers_on: dt.date | None
    former_ids: tuple[str, ...] = ()
    #: Every deadline set, in the order they took force (plans, then extensions).
    deadlines: tuple[DeadlineFact, ...] = ()
    #: The first day the full 五落实 was in place (None: not yet).
    plan_complete_on: dt.date | None = None
    withdrawn_on: dt.date | None = None
    #: 整改资金 of the plan in force, in 元.
    funds: Decimal | None = None
    #: The parts of the 五落实 the plan in force lacks (field names; all of them: no plan).
    plan_gaps: tuple[str, ...] = ()
    industry: str | None = None
    #: The record breaks the closed loop (a closure without acceptance…): not to be counted
    #: as what it claims.
    broken: bool = False
    #: 判定依据 as written: the cross-file rules check it against the criteria catalog.
    basis: str | None = None
    #: The registered enterprise the hazard links (``enterprise.id``), and the credit code
    #: typed with a free-text enterprise: the cross-file rules check both against the register.
    enterprise_id: str | None = None
    credit_code: str | None = None

    def mentions(self, words: Sequence[str], *more: str | None) -> bool:
        """Whether every word (``search_words``) is in the title, the enterprise, the
        location or ``more`` (a description and notes: not in the summary, which workers
        send back and must stay small, so read from the file by whoever searches them)."""
        parts = (self.title, self.enterprise, self.location, *more)
        hay = folded("\n".join(p for p in parts if p))
        return all(w in hay for w in words)

    # The history as loading kept it: status, views and reports read it through these.

    def cycle_on(self, day: dt.date) -> CycleFacts:
        """The cycle in force on ``day``: the first not ended by then (else the last)."""
        for cycle in self.cycles:
            if cycle.ended_on is None or cycle.ended_on > day:
                return cycle
        return self.cycles[-1]

    def deadline_on(self, day: dt.date) -> tuple[dt.date | None, bool]:
        """The deadline in force on ``day`` and whether an extension set it.

        The latest deadline fact dated on or before the day wins; before the first one, the
        first plan's deadline (a plan recorded late still bound the days before it)."""
        chosen = None
        for fact in self.deadlines:
            if fact.on > day:
                break
            chosen = fact
        if chosen is None:
            first = next((f for f in self.deadlines if not f.extension), None)
            return (first.deadline, False) if first else (self.deadline, False)
        return chosen.deadline, chosen.extension

    def original_deadline(self) -> dt.date | None:
        """The deadline the record first set, before any extension."""
        for f in self.deadlines:  # a loop, not next(genexpr): status asks for every hazard
            if not f.extension:
                return f.deadline
        return self.deadline

    def reopened_by(self, day: dt.date) -> int:
        """How many times the hazard was sent back (failed acceptance, closure revoked) by then."""
        if len(self.cycles) == 1 and self.cycles[0].ended_on is None:  # most hazards
            return 0
        return sum(1 for c in self.cycles if c.ended_on is not None and c.ended_on <= day)

    def cycle_days(self) -> set[dt.date]:
        """The days its cycles record: rectified, accepted, closed, reopened."""
        days: set[dt.date | None] = set()
        for c in self.cycles:
            days.update((c.rectified_on, c.accepted_on, c.closed_on, c.ended_on))
        return {d for d in days if d is not None}


# --------------------------------------------------------------------------- shared values

T = TypeVar("T")

#: Equal values that many summaries hold (a day, an amount, the facts of a hazard never
#: rectified), kept once: a plan of 100,000 hazards repeats a few thousand days, a few
#: dozen units and levels, and ``(CycleFacts(None, …),)`` in every open hazard. Kept by
#: type, each under an exact form (``Decimal('1.0')`` equals ``Decimal('1')`` but prints
#: otherwise), so a shared value is the very value the record gave.
_SHARED: dict[type, dict[object, Any]] = {}
#: Past this many kept values of a type its memo starts again: sharing saves memory, it
#: never decides a result.
SHARED_MAX = 1 << 17


def shared(value: T) -> T:
    """The one kept object equal to ``value`` (``value`` itself the first time)."""
    kind = type(value)
    memo = _SHARED.get(kind)
    if memo is None:
        memo = _SHARED[kind] = {}
    key = str(value) if kind is Decimal else value
    kept = memo.get(key)
    if kept is None:
        if len(memo) >= SHARED_MAX:
            memo.clear()
        kept = memo[key] = value
    return kept


def forget_shared() -> None:
    """Let the memos go once a plan is read: the summaries keep what they share, and a
    long-lived process (``serve``) does not hold the last plan's values."""
    _SHARED.clear()
    _DAYS.clear()


#: Days by their ordinal, as the per-file cache stores them.
_DAYS: dict[int, dt.date] = {}


def day_of(ordinal: int) -> dt.date:
    """``date.fromordinal`` (refusing what it refuses), each day made once: a cache of
    100,000 summaries names a few thousand days."""
    day = _DAYS.get(ordinal) if type(ordinal) is int else None
    if day is None:
        day = dt.date.fromordinal(ordinal)
        if len(_DAYS) >= SHARED_MAX:
            _DAYS.clear()
        _DAYS[ordinal] = day
    return day


@overload
def shared_day(day: dt.date) -> dt.date: ...
@overload
def shared_day(day: None) -> None: ...
@overload
def shared_day(day: dt.date | None) -> dt.date | None: ...
def shared_day(day: dt.date | None) -> dt.date | None:
    return None if day is None else shared(day)


@overload
def shared_text(text: str) -> str: ...
@overload
def shared_text(text: None) -> None: ...
@overload
def shared_text(text: str | None) -> str | None: ...
def shared_text(text: str | None) -> str | None:
    """A repeated text (a unit, a level, an enterprise) kept once; ``sys.intern`` lets it go
    when no summary holds it any more."""
    return None if text is None else sys.intern(text)


def _cycle_facts(
    rect: Rectification | None,
    acc: Acceptance | None,
    closure: Closure | None,
    ended_on: dt.date | None,
) -> CycleFacts:
    return CycleFacts(
        shared_day(rect.on) if rect else None,
        shared_day(acc.on) if acc else None,
        acc is not None and acc.result == "passed",
        shared_day(closure.on) if closure else None,
        shared_day(ended_on),
    )


def deadline_facts(hazard: Hazard) -> tuple[tuple[DeadlineFact, ...], dt.date | None]:
    """The deadlines a hazard was given, oldest first, and when its 五落实 was complete."""
    facts: list[DeadlineFact] = []
    complete_on: dt.date | None = None
    for v in hazard.plan_versions():
        day = hazard.plan_set_on(v)
        facts.append(DeadlineFact(shared_day(day), shared_day(v.deadline), False))
        if complete_on is None and v.complete():
            complete_on = day
    facts.extend(DeadlineFact(shared_day(e.on), shared_day(e.to), True) for e in hazard.extensions)
    # Stable: on one day, a plan takes force before an extension of it.
    facts.sort(key=lambda f: (f.on, f.extension))
    return tuple(facts), complete_on


def folded(text: str) -> str:
    """Text as a search compares it: full-width letters and digits made plain, any case."""
    return unicodedata.normalize("NFKC", text).casefold()


def search_words(text: str) -> tuple[str, ...]:
    """What was typed to find a hazard, as the words that must all be found."""
    return tuple(folded(text).split())


def summarize(hazard: Hazard, path: str, broken: bool = False) -> HazardSummary:
    """What loading keeps of a record; repeated values (days, units, codes, the facts of
    every hazard still open) shared with the other summaries (:func:`shared`), so that
    100,000 of them take a fraction of the memory."""
    cycles = [
        _cycle_facts(
            c.rectification, c.acceptance, c.closure, c.ended_by.on if c.ended_by else None
        )
        for c in hazard.cycles()
    ]
    dr = hazard.double_report
    deadlines, complete_on = deadline_facts(hazard)
    text = shared_text
    day = shared_day
    enterprise = hazard.enterprise
    plan = hazard.rectification_plan
    funds = _funds(hazard)
    return HazardSummary(
        id=hazard.id,
        path=path,
        title=text(hazard.title),
        level=text(hazard.level),
        responsible_unit=text(hazard.responsible_unit),
        discovered_on=day(hazard.discovered_on),
        source=text(hazard.source),
        deadline=day(plan.deadline) if plan else None,
        enterprise=text(enterprise.name) if enterprise else None,
        location=text(hazard.location),
        cycles=shared(tuple(cycles)),
        supervision=shared(
            tuple(
                SupervisionFacts(text(s.level), text(s.by), day(s.listed_on), day(s.lifted_on))
                for s in hazard.supervision
            )
        ),
        reported_regulator_on=day(dr.regulator_on) if dr else None,
        reported_workers_on=day(dr.workers_on) if dr else None,
        former_ids=tuple(hazard.former_ids),
        deadlines=shared(deadlines),
        plan_complete_on=day(complete_on),
        withdrawn_on=day(hazard.withdrawal.on) if hazard.withdrawal else None,
        funds=None if funds is None else shared(funds),
        broken=broken,
        plan_gaps=shared(_plan_gaps(hazard)),
        industry=text(hazard.industry),
        basis=text(hazard.basis),
        enterprise_id=text(enterprise.id) if enterprise else None,
        credit_code=text(enterprise.credit_code) if enterprise else None,
    )


#: The parts of the 五落实 besides the deadline, in the order a message names them.
PLAN_PARTS = ("measures", "funds", "deadline", "responsible_person", "contingency_plan")


def _plan_gaps(hazard: Hazard) -> tuple[str, ...]:
    plan = hazard.rectification_plan
    if plan is None:
        return PLAN_PARTS
    return tuple(k for k in PLAN_PARTS if getattr(plan, k) is None)


def _funds(hazard: Hazard) -> Decimal | None:
    from safeplan.money import parse_amount

    plan = hazard.rectification_plan
    return parse_amount(plan.funds) if plan is not None and plan.funds else None
