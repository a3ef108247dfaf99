"""Registering a hazard, and its id. Hazard ids: readable to officials, and safe when two people add hazards on two branches.

An id is ``HZ-<discovered YYYYMMDD>-<4 characters>``, e.g. ``HZ-20240315-A7K2``:

- the date says when the hazard was found, so a list of ids sorts by discovery and an
  official reading ``HZ-20240315-…`` on paper knows which inspection it came from;
- the four characters are random, drawn from 31 letters and digits that cannot be
  misread (no 0/O, 1/I/L), so an id can be read out on the phone or copied by hand.

Sequential numbers (HZ-0042) collide as soon as two people each add "the next" hazard on
their own branch — both get HZ-0042, and the merge silently holds two different hazards
under one id (Doorstop's users hit exactly this: doorstop issue #233). With random
suffixes two branches choose the same id only with odds of about one in 923,521 per pair of
hazards found on the same day; and even then the collision is not silent: the id is the
file name, so git reports an add/add conflict on ``data/hazards/<ID>.yaml``, and
``safeplan validate`` reports duplicate ids anyway. ``safeplan hazard renumber`` fixes one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.scalarstring import SingleQuotedScalarString

from safeplan import vocab, yamlio
from safeplan.edit.context import check_hazard_bytes, check_unit, compact, context
from safeplan.edit.new_form import NEW_FORM, PLAN_FIELDS, REQUIRED, typed
from safeplan.edit.new_id import check_id_free
from safeplan.edit.subjects import subject
from safeplan.edit.transaction import EditResult, FileChange, apply
from safeplan.errors import UsageError
from safeplan.models.fields import typed_credit_code
from safeplan.problems import N_, Coded, ListOf
from safeplan.repo import HAZARDS_DIR, check_hazard_id
from safeplan.repo.layout import TakenIds
from safeplan.rules.hints import coded
from safeplan.schema import modeline

#: Digits and capitals without 0, O, 1, I and L.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SUFFIX_LENGTH = 4
PREFIX = "HZ"

#: Picks one character of a string; ``secrets.choice`` unless a test injects its own.
Choice = Callable[[str], str]

#: The random source used when none is passed (tests may replace it).
default_choice: Choice = secrets.choice


def new_hazard_id(
    discovered: dt.date,
    taken: Container[str] = (),
    choice: Choice | None = None,
    attempts: int = 1000,
) -> str:
    """A fresh id for a hazard discovered on ``discovered``, not in ``taken``."""
    choice = choice or default_choice
    for _ in range(attempts):
        suffix = "".join(choice(ALPHABET) for _ in range(SUFFIX_LENGTH))
        candidate = f"{PREFIX}-{discovered:%Y%m%d}-{suffix}"
        if candidate not in taken and candidate.casefold() not in taken:
            return candidate
    raise RuntimeError("no free hazard id found")  # 923,521 ids a day: not reachable in practice


@dataclass
class NewHazard:
    """The fields of ``hazard new``; ``None`` is 'not given'."""

    title: str | None = None
    level: str | None = None
    responsible_unit: str | None = None
    source: str | None = None
    discovered_on: dt.date | None = None
    description: str | None = None
    basis: str | None = None
    industry: str | None = None
    enterprise: str | None = None
    credit_code: str | None = None
    enterprise_address: str | None = None
    location: str | None = None
    found_by: str | None = None
    responsible_person: str | None = None
    measures: str | None = None
    funds: str | None = None
    deadline: dt.date | None = None
    plan_person: str | None = None
    contingency_plan: str | None = None
    id: str | None = None
    note: str | None = None


def filled_in(values: Mapping[str, str | None], today: dt.date) -> NewHazard:
    """The new hazard a filled-in form of ``hazard new`` gives (``values`` by attribute; None:
    left empty), each field read as ``new_form.NEW_FORM`` types it.

    The discovery day is today unless given; each date is read in the form's order, so a
    form and the command refuse the same first mistake."""
    new = NewHazard()
    for f in NEW_FORM:
        setattr(new, f.attr, typed(f, values.get(f.attr), today))
    return new


def plan_due(new: NewHazard, days: int) -> dt.date | None:
    """The last day a major hazard's 五落实 may follow its registration (None: not major,
    or not yet known when it was found)."""
    if vocab.LEVEL.lookup(new.level or "") != "major" or new.discovered_on is None:
        return None
    return new.discovered_on + dt.timedelta(days=days)


def plan_late(new: NewHazard, today: dt.date | None, days: int) -> bool:
    """A major hazard registered after its 五落实 was due (found more than ``days`` before
    ``today``, as ``rules.register.check_plan_deadline`` counts): the plan cannot follow,
    or the next ``validate`` fails on the record just written."""
    due = plan_due(new, days)
    return today is not None and due is not None and today > due


def missing_fields(new: NewHazard, today: dt.date | None = None, days: int = 7) -> list[str]:
    """The fields still needed, in the order a person would be asked for them.

    A general hazard needs its deadline (整改时限): without one it could never be overdue.
    A major hazard's plan may follow, within ``days`` of its discovery; part of a plan
    given now needs its deadline. Registered past those days (``today`` given), the whole
    五落实 is needed now."""
    out = [f for f in REQUIRED if _blank(getattr(new, f))]
    level = vocab.LEVEL.lookup(new.level or "")
    part_of_plan = any(not _blank(getattr(new, f)) for f in PLAN_FIELDS)
    if plan_late(new, today, days):
        out += [f for f in PLAN_FIELDS if _blank(getattr(new, f))]
    elif (level == "general" or part_of_plan) and new.deadline is None:
        out.append("deadline")
    return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def new_hazard(
    root: Path,
    new: NewHazard,
    choice: Choice | None = None,
    write: bool = True,
    today: dt.date | None = None,
) -> EditResult:
    """Register a hazard: allocate its id and write ``data/hazards/<ID>.yaml``.

    With ``today``, a major hazard registered past its 五落实 days needs the whole plan."""
    ctx = context(root)
    missing = missing_fields(new, today, ctx.plan.rules.plan_within_days)
    if missing:
        raise UsageError(
            N_("a new hazard needs {fields}: give them as options"), fields=ListOf(missing)
        )
    assert new.title and new.level and new.responsible_unit and new.source and new.discovered_on
    level = coded(vocab.LEVEL, new.level, "--level")
    source = coded(vocab.SOURCE, new.source, "--source")
    unit = new.responsible_unit.strip()
    check_unit(unit, ctx.unit_names)
    if new.id is not None:
        hazard_id = check_hazard_id(new.id)
        check_id_free(root, hazard_id)
    else:
        hazard_id = new_hazard_id(new.discovered_on, TakenIds(root), choice)
    record = compact(
        id=hazard_id,
        title=new.title,
        description=new.description,
        level=level,
        basis=new.basis,
        industry=new.industry,
        enterprise=_enterprise(new),
        location=new.location,
        discovered_on=new.discovered_on,
        source=source,
        found_by=new.found_by,
        responsible_unit=unit,
        responsible_person=new.responsible_person,
        rectification_plan=_plan(new),
        notes=[] if _blank(new.note) else [{"on": new.discovered_on, "text": new.note}],
    )
    # The first line tells an editor where the file's schema is (safeplan schema writes it).
    first_line = modeline(f"{HAZARDS_DIR.as_posix()}/{hazard_id}.yaml").encode()
    data = first_line + yamlio.rt_dump_new(record)
    path = root / HAZARDS_DIR / f"{hazard_id}.yaml"
    rel = path.relative_to(root).as_posix()
    check_hazard_bytes(data, rel, hazard_id, ctx.unit_names, (), ctx.criteria)
    result = EditResult(
        root,
        (FileChange(path, rel, None, data),),
        _registered(level, new),
        {
            "path": rel,
            "id": hazard_id,
            "level": Coded("level", level),
            "title": new.title,
            "days": ctx.plan.rules.plan_within_days,
        },
        subject(ctx.language, "registered", id=hazard_id, title=new.title),
        hazard_id,
    )
    return apply(result) if write else result


def _enterprise(new: NewHazard) -> dict[str, Any] | None:
    """The enterprise as the record writes it: its code quoted, in capitals."""
    if _blank(new.enterprise):
        if not (_blank(new.credit_code) and _blank(new.enterprise_address)):
            raise UsageError(N_("--credit-code and --enterprise-address need --enterprise NAME"))
        return None
    code = SingleQuotedScalarString(typed_credit_code(new.credit_code)) if new.credit_code else None
    return compact(name=new.enterprise, credit_code=code, address=new.enterprise_address)


def _plan(new: NewHazard) -> dict[str, Any] | None:
    """The 五落实 given, if its deadline is (``missing_fields`` asks for it otherwise)."""
    if new.deadline is None:
        return None
    return compact(
        measures=new.measures,
        funds=new.funds,
        deadline=new.deadline,
        responsible_person=new.plan_person,
        contingency_plan=new.contingency_plan,
    )


def _registered(level: str, new: NewHazard) -> str:
    """What registering says: a major hazard whose 五落实 is to come says when it is due."""
    if level == "major" and any(_blank(getattr(new, f)) for f in PLAN_FIELDS):
        return N_(
            "{path}: registered {id}, a {level} hazard: {title}; its rectification plan "
            "(五落实) is still to come: record it within {days} days with 'safeplan hazard "
            "plan {id}'"
        )
    return N_("{path}: registered {id}, a {level} hazard: {title}")
