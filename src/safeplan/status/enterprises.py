"""The duties of the plan (``plan.yaml`` ``duties:``), per enterprise, for a day — pure.

A periodic duty (a principal-led check every quarter, monthly in high-risk sectors) is
**done** when a fact of its kind is dated within the current calendar period, **overdue**
when the last whole period was missed, **due** otherwise; the periods missed are counted
from the day the duty applied (the duty's ``from`` or the enterprise's registration, the
later; a period begun before that day is not counted). A certificate duty is done when
every role it names holds a certificate valid on the day, overdue otherwise. A duty
applies only while the enterprise is operating (在营).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from safeplan.models.enterprises import Certificate, EnterpriseRecord
from safeplan.models.records import Duty
from safeplan.periods import Span, span_of


class DutyState(NamedTuple):
    """One duty of one enterprise on a day."""

    duty: str
    #: ``done``, ``due`` or ``overdue``.
    state: str
    #: The current period's name (``2026-05``, ``2026-Q2``), None for a certificate duty.
    period: str | None
    #: The calendar period kind the enterprise is held to (None: certificates).
    every: str | None
    #: The latest fulfilling fact on or before the day.
    last: dt.date | None
    #: Whole periods missed since the duty applied, oldest first.
    missed: tuple[str, ...]
    #: Periods counted (missed ones included): the denominator of a rate over time.
    counted: int
    #: For a certificate duty: the roles without a valid certificate.
    lacking: tuple[str, ...] = ()


def applies(duty: Duty, ent: EnterpriseRecord, day: dt.date) -> bool:
    """Whether ``duty`` binds ``ent`` on ``day``."""
    if day < duty.from_ or day < ent.registered_on or ent.state_on(day) != "operating":
        return False
    return matches(duty.applies_to, ent)


def matches(target: str, ent: EnterpriseRecord) -> bool:
    """Whether an ``applies_to`` (``all``, ``high_risk``, ``grade:A`` …) names ``ent``."""
    if target == "all":
        return True
    if target == "high_risk":
        return ent.is_high_risk()
    kind, _, code = target.partition(":")
    if kind == "grade":
        return ent.grade == code
    if kind == "flag":
        return code in ent.flags
    if kind == "industry":
        return ent.industry == code
    return False


def every_for(duty: Duty, ent: EnterpriseRecord) -> str | None:
    """The period the enterprise is held to: the high-risk one where it is high-risk."""
    if duty.high_risk_every is not None and ent.is_high_risk():
        return duty.high_risk_every
    return duty.every


#: Periods a year of each kind: a period is numbered ``year * n + part`` so that periods
#: are counted with integers, not walked as dates (2,000 enterprises × 36 months).
_PER_YEAR = {"month": 12, "quarter": 4, "half-year": 2, "year": 1}


def _index(kind: str, day: dt.date) -> int:
    n = _PER_YEAR[kind]
    return day.year * n + (day.month - 1) * n // 12


def _period(kind: str, index: int) -> Span:
    year, part = divmod(index, _PER_YEAR[kind])
    return span_of(kind, dt.date(year, part * 12 // _PER_YEAR[kind] + 1, 1))  # type: ignore[arg-type]


def duty_state(duty: Duty, ent: EnterpriseRecord, day: dt.date) -> DutyState:
    """The state of one duty that applies to ``ent`` on ``day``."""
    if duty.fulfilled_by == "certificate":
        return _certificate_state(duty, ent, day)
    every = every_for(duty, ent)
    assert every is not None  # rules/enterprises.check_duties says so otherwise
    days = [d for d in ent.fact_days(duty.fulfilled_by) if d <= day]
    done = {_index(every, d) for d in days}
    current = _index(every, day)
    start = max(duty.from_, ent.registered_on)
    first = _index(every, start)
    if _period(every, first).start < start:
        first += 1  # a period begun before the duty applied is not counted
    missed: list[str] = []
    counted = 0
    for i in range(first, current):
        if ent.states:
            span = _period(every, i)
            if ent.state_on(span.end) != "operating":
                continue  # not operating at the period's end: nothing was due
        counted += 1
        if i not in done:
            missed.append(_period(every, i).name)
    if current in done:
        state = "done"
    elif (current - 1) in done or not missed or missed[-1] != _period(every, current - 1).name:
        state = "due"
    else:
        state = "overdue"
    name = _period(every, current).name
    return DutyState(duty.id, state, name, every, max(days, default=None), tuple(missed), counted)


def valid_certificates(ent: EnterpriseRecord, day: dt.date) -> list[Certificate]:
    return [c for c in ent.certificates if c.on <= day <= c.valid_until]


def expired_certificates(ent: EnterpriseRecord, day: dt.date) -> list[Certificate]:
    """Certificates expired by ``day`` that no later certificate of the same person and
    role has replaced."""
    valid = {(c.person, c.role) for c in valid_certificates(ent, day)}
    seen: set[tuple[str, str]] = set()
    out: list[Certificate] = []
    for c in sorted(ent.certificates, key=lambda c: c.valid_until, reverse=True):
        key = (c.person, c.role)
        if c.on <= day and c.valid_until < day and key not in valid and key not in seen:
            out.append(c)
        seen.add(key)
    return sorted(out, key=lambda c: (c.valid_until, c.person))


def _certificate_state(duty: Duty, ent: EnterpriseRecord, day: dt.date) -> DutyState:
    valid = valid_certificates(ent, day)
    lacking: list[str] = []
    for role in duty.roles:
        if role == "principal":
            name = ent.principal.name if ent.principal else None
            if not any(c.role == role and (name is None or c.person == name) for c in valid):
                lacking.append(f"{role}:{name or '?'}")
        elif role == "safety_manager":
            people: list[str | None] = [p.name for p in ent.safety_managers] or [None]
            for person in people:
                if not any(
                    c.role == role and (person is None or c.person == person) for c in valid
                ):
                    lacking.append(f"{role}:{person or '?'}")
        else:  # special operators: every certificate they hold must be valid
            lacking += [
                f"{role}:{c.person}" for c in expired_certificates(ent, day) if c.role == role
            ]
    last = max((c.on for c in ent.certificates if c.on <= day), default=None)
    state = "overdue" if lacking else "done"
    return DutyState(duty.id, state, None, None, last, (), 0, tuple(lacking))


#: The states computed last, by (duty, enterprise, day) identity: ``status`` asks for each
#: twice (the tasks' states, then the enterprises section). Kept only while the same
#: objects are asked about (the entry holds them, so their ids are not reused meanwhile).
_MEMO: dict[tuple[int, int, dt.date], tuple[Duty, EnterpriseRecord, DutyState]] = {}
_MEMO_MAX = 50_000


def state_of(duty: Duty, ent: EnterpriseRecord, day: dt.date) -> DutyState:
    """``duty_state``, remembered for the same duty, enterprise and day."""
    key = (id(duty), id(ent), day)
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is duty and hit[1] is ent:
        return hit[2]
    if len(_MEMO) >= _MEMO_MAX:
        _MEMO.clear()
    st = duty_state(duty, ent, day)
    _MEMO[key] = (duty, ent, st)
    return st


def enterprise_duties(
    duties: Sequence[Duty], ent: EnterpriseRecord, day: dt.date
) -> list[DutyState]:
    """The state of every duty that binds ``ent`` on ``day``, in the plan's order."""
    return [state_of(d, ent, day) for d in duties if applies(d, ent, day)]


#: How far behind a duty state is, worst first.
STATE_ORDER = {"overdue": 0, "due": 1, "done": 2}


class DutyTally(NamedTuple):
    """One duty over the enterprises it binds on a day."""

    duty: str
    task: int
    total: int
    done: int
    overdue: int


def duty_tallies(
    duties: Sequence[Duty], enterprises: Sequence[EnterpriseRecord], day: dt.date
) -> list[DutyTally]:
    out = []
    for d in duties:
        states = [state_of(d, e, day).state for e in enterprises if applies(d, e, day)]
        out.append(
            DutyTally(d.id, d.task, len(states), states.count("done"), states.count("overdue"))
        )
    return out


def duty_task_states(
    duties: Sequence[Duty], enterprises: Sequence[EnterpriseRecord], day: dt.date
) -> dict[int, str]:
    """The state of each task tied to duties: ``overdue`` when an enterprise is behind on
    one of its duties, ``current`` when none is (tasks whose duties bind no enterprise on
    the day keep the state their progress notes give)."""
    by_task: dict[int, list[DutyTally]] = {}
    for t in duty_tallies(duties, enterprises, day):
        by_task.setdefault(t.task, []).append(t)
    return {
        task: "overdue" if any(t.overdue for t in tallies) else "current"
        for task, tallies in by_task.items()
        if any(t.total for t in tallies)
    }
