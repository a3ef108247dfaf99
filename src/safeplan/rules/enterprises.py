"""Rules within one enterprise record, and across the enterprises and the plan.

Within: the id is the file name, and the credit code where there is one; facts in date
order and not after today; a certificate valid after it was issued. Across: the grade
is one of plan.yaml's, no two enterprises share a credit code, the hazards a check or
inspection names are registered, and the plan's duties name what exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from safeplan import vocab
from safeplan.models.records import Duty, Plan
from safeplan.models.summary import HazardSummary, folded
from safeplan.problems import N_, Finding, ListOf
from safeplan.rules.cross import FileFinding
from safeplan.rules.hints import closest

if TYPE_CHECKING:  # the plan's duties are checked without the enterprise record's models
    from safeplan.models.enterprises import EnterpriseRecord

_FUTURE = N_("{field} is {date}, after today ({today}): a fact cannot be dated in the future")


def check_enterprise(ent: EnterpriseRecord, stem: str, today: dt.date | None) -> list[Finding]:
    """The rules within one enterprise record."""
    out: list[Finding] = []
    if ent.id != stem:
        out.append(
            Finding(
                ("id",),
                "id-mismatch",
                N_("id '{id}' differs from the file name '{stem}': rename the file or the id"),
                {"id": ent.id, "stem": stem},
            )
        )
    if ent.credit_code is not None and ent.id != ent.credit_code:
        out.append(
            Finding(
                ("id",),
                "enterprise-id",
                N_(
                    "an enterprise with a credit code has it as its id: rename {id} to "
                    "{code} (file and id)"
                ),
                {"id": ent.id, "code": ent.credit_code},
                severity="warning",
            )
        )
    last: dt.date | None = None
    for i, s in enumerate(ent.states):
        if last is not None and s.on < last:
            out.append(
                Finding(
                    ("states", i, "on"),
                    "date-order",
                    N_("the state changes are not in date order: {on} comes after {last}"),
                    {"on": s.on, "last": last},
                )
            )
        last = s.on
    for i, c in enumerate(ent.certificates):
        if c.valid_until < c.on:
            out.append(
                Finding(
                    ("certificates", i, "valid_until"),
                    "date-order",
                    N_("the certificate is valid until {until}, before it was issued ({on})"),
                    {"until": c.valid_until, "on": c.on},
                )
            )
    if today is not None:
        out += check_future_facts(ent, today)
    return out


def check_future_facts(ent: EnterpriseRecord, today: dt.date) -> list[Finding]:
    """Facts dated after today (a certificate's validity may lie ahead; a check may not)."""
    from safeplan.models.enterprises import FACT_KEYS

    out: list[Finding] = []
    days: list[tuple[str, int, dt.date]] = [("states", i, s.on) for i, s in enumerate(ent.states)]
    for key in FACT_KEYS:
        days += [(key, i, f.on) for i, f in enumerate(getattr(ent, key))]
    if ent.registered_on > today:
        out.append(
            Finding(
                ("registered_on",),
                "future-date",
                _FUTURE,
                {"field": "registered_on", "date": ent.registered_on, "today": today},
            )
        )
    for key, i, day in days:
        if day > today:
            out.append(
                Finding(
                    (key, i, "on"),
                    "future-date",
                    _FUTURE,
                    {"field": f"{key}[{i}].on", "date": day, "today": today},
                )
            )
    return out


def check_against_plan(ent: EnterpriseRecord, plan: Plan) -> list[Finding]:
    """The enterprise's grade is one of the plan's scale."""
    codes = [g.code for g in plan.grades]
    if ent.grade is not None and ent.grade not in codes:
        if not codes:
            return [
                Finding(
                    ("grade",),
                    "unknown-grade",
                    N_(
                        "grade '{grade}' but plan/plan.yaml declares no grades: add the scale "
                        "under 'grades:' there"
                    ),
                    {"grade": ent.grade},
                )
            ]
        return [
            Finding(
                ("grade",),
                "unknown-grade",
                N_("grade '{grade}' is not one of plan/plan.yaml's grades ({grades})"),
                {"grade": ent.grade, "grades": ListOf(codes)},
            )
        ]
    return []


def check_hazard_links(ent: EnterpriseRecord, hazard_ids: set[str]) -> list[Finding]:
    """Hazards a check or inspection names that are not registered."""
    out: list[Finding] = []
    for key in ("checks", "inspections"):
        for i, fact in enumerate(getattr(ent, key)):
            for j, hid in enumerate(fact.hazards):
                if hid not in hazard_ids:
                    out.append(
                        Finding(
                            (key, i, "hazards", j),
                            "unknown-hazard",
                            N_("no hazard '{id}' is registered: register it, or correct the id"),
                            {"id": hid},
                            severity="warning",
                        )
                    )
    return out


def check_hazard_enterprises(
    hazards: Iterable[HazardSummary], ents: Sequence[EnterpriseRecord], paths: Sequence[str]
) -> list[FileFinding]:
    """Hazards against the register: a linked id names a registered enterprise (an error:
    the link is the hazard's enterprise); a free-text credit code registered under another
    name is a warning (one of the names is wrong, and ``enterprise link`` would link it)."""
    out: list[FileFinding] = []
    by_id = {e.id: e for e in ents}
    by_code = {e.credit_code: (e, p) for e, p in zip(ents, paths, strict=True) if e.credit_code}
    for h in hazards:
        if h.enterprise_id is not None:
            if h.enterprise_id not in by_id:
                out.append(FileFinding(h.path, _unknown_enterprise(h.enterprise_id, ents)))
            continue
        if h.credit_code is None or h.credit_code not in by_code:
            continue
        ent, rel = by_code[h.credit_code]
        if h.enterprise is not None and _same_name(h.enterprise, ent.name):
            continue
        out.append(
            FileFinding(
                h.path,
                Finding(
                    ("enterprise", "credit_code"),
                    "enterprise-name-differs",
                    N_(
                        "credit code {code} is registered as {registered} ({path}), but this "
                        "hazard names it {name}: correct one of the names; 'safeplan "
                        "enterprise link' links the hazard to it"
                    ),
                    {
                        "code": h.credit_code,
                        "registered": ent.name,
                        "path": rel,
                        "name": h.enterprise or "",
                    },
                    severity="warning",
                ),
            )
        )
    return out


def _unknown_enterprise(eid: str, ents: Sequence[EnterpriseRecord]) -> Finding:
    if not ents:
        return Finding(
            ("enterprise", "id"),
            "unknown-enterprise",
            N_(
                "enterprise {id} is not registered (the plan has no data/enterprises/): "
                "register it with 'safeplan enterprise new', or remove the id"
            ),
            {"id": eid},
        )
    names = {e.name: e.id for e in ents}
    # An id typed wrong is near an id; a name typed as the id is near a name.
    near = closest(eid, [e.id for e in ents]) + [f"{names[n]} {n}" for n in closest(eid, names)]
    return Finding(
        ("enterprise", "id"),
        "unknown-enterprise",
        N_(
            "enterprise {id} is not registered in data/enterprises/: correct the id "
            "(closest: {closest}) or register it with 'safeplan enterprise new'"
        ),
        {"id": eid, "closest": ListOf(list(dict.fromkeys(near))[:3])},
    )


def _same_name(a: str, b: str) -> bool:
    """Names as an office types them: full-width and half-width, spaces aside."""
    return "".join(folded(a).split()) == "".join(folded(b).split())


def duplicate_credit_codes(ents: Iterable[EnterpriseRecord]) -> dict[str, list[str]]:
    """Credit codes held by more than one enterprise: code → ids."""
    seen: dict[str, list[str]] = {}
    for e in ents:
        if e.credit_code:
            seen.setdefault(e.credit_code, []).append(e.id)
    return {k: v for k, v in seen.items() if len(v) > 1}


def check_duties(duties: Sequence[Duty], grades: Sequence[str]) -> list[Finding]:
    """The plan's duties: one id each, a target that exists, a period where one is needed."""
    out: list[Finding] = []
    seen: set[str] = set()
    for i, d in enumerate(duties):
        if d.id in seen:
            out.append(
                Finding(
                    ("duties", i, "id"),
                    "duplicate-duty",
                    N_("duty id '{id}' is used twice: give each duty its own id"),
                    {"id": d.id},
                )
            )
        seen.add(d.id)
        if not applies_to_ok(d.applies_to, grades):
            out.append(
                Finding(
                    ("duties", i, "applies_to"),
                    "duty-applies-to",
                    N_(
                        "applies_to '{value}' is not all, high_risk, grade:<one of the plan's "
                        "grades>, flag:<scenario> or industry:<industry>"
                    ),
                    {"value": d.applies_to},
                )
            )
        if d.fulfilled_by != "certificate" and d.every is None:
            out.append(
                Finding(
                    ("duties", i),
                    "duty-every",
                    N_("duty '{id}' needs 'every:' (month, quarter, half-year or year)"),
                    {"id": d.id},
                )
            )
        if d.fulfilled_by == "certificate" and not d.roles:
            out.append(
                Finding(
                    ("duties", i),
                    "duty-roles",
                    N_("duty '{id}' is fulfilled by certificates: name the 'roles:' that need one"),
                    {"id": d.id},
                )
            )
    return out


def applies_to_ok(value: str, grades: Sequence[str]) -> bool:
    if value in ("all", "high_risk"):
        return True
    kind, _, code = value.partition(":")
    if kind == "grade":
        return code in grades
    if kind == "flag":
        return code in vocab.SCENARIO
    if kind == "industry":
        return code in vocab.INDUSTRY
    return False
