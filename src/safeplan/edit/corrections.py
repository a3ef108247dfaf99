"""Corrections a register needs without rewriting history: 延期 (extend), the 五落实 added or
revised (plan), registration facts corrected (edit), and withdrawal (撤销).

Each leaves a dated record of what it changed: an extension keeps the deadline it
replaced, a plan revision the previous plan, a correction the old value. The original
facts are never overwritten without a trace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml.scalarstring import SingleQuotedScalarString

from safeplan import vocab, yamlio
from safeplan.edit.context import Change, Context, check_unit, compact
from safeplan.edit.hazards import (
    HAZARD_ORDER,
    edit_hazard,
    need,
    refuse_settled,
    refuse_withdrawn,
)
from safeplan.edit.new_form import PLAN_OPTIONS, REGISTRATION_OPTIONS, PlanFields
from safeplan.edit.transaction import EditResult
from safeplan.errors import RefusedError, UsageError
from safeplan.models.fields import typed_credit_code
from safeplan.models.hazards import (
    CORRECTABLE_FIELDS,
    EDIT_OPTIONS,
    REASONED_FIELDS,
    REGISTRATION_FIELDS,
    Enterprise,
    Hazard,
    RectificationPlan,
)
from safeplan.models.summary import summarize
from safeplan.problems import N_, Coded, ListOf
from safeplan.rules.hints import coded
from safeplan.status import deadline_on

PLAN_ORDER = tuple(RectificationPlan.model_fields)
ENTERPRISE_ORDER = tuple(Enterprise.model_fields)


def _refuse_before_discovery(h: Hazard, on: dt.date, ctx: Context) -> None:
    ctx.refuse_before_start(on)
    if on < h.discovered_on:
        raise RefusedError(
            N_("{on} is before {id} was found ({found}): give a later --on"),
            on=on,
            id=h.id,
            found=h.discovered_on,
        )


def withdraw(
    root: Path,
    hazard_id: str,
    on: dt.date,
    reason: str,
    by: str | None,
    write: bool = True,
) -> EditResult:
    """Withdraw a hazard registered by mistake (撤销): its file and history are kept."""
    need(reason, "--reason")

    def change(h: Hazard, data: Any, ctx: Context) -> Change:
        refuse_withdrawn(h, N_("withdrawing it again"))
        if h.closure is not None:
            raise RefusedError(
                N_(
                    "{id} was closed (销号) on {on}: a closed hazard was real, so it cannot be "
                    "withdrawn; reopen it first if the closure was the mistake"
                ),
                id=h.id,
                on=h.closure.on,
            )
        if h.level == "major" and (by is None or not by.strip()):
            raise UsageError(
                N_("withdrawing a major hazard needs --by NAME: the person who decided it")
            )
        _refuse_before_discovery(h, on, ctx)
        yamlio.rt_set(data, "withdrawal", compact(on=on, reason=reason, by=by), HAZARD_ORDER)
        return ctx.change("withdrawn", id=h.id, on=on, reason=reason)

    return edit_hazard(root, hazard_id, change, write)


def extend(
    root: Path,
    hazard_id: str,
    to: dt.date,
    reason: str,
    approved_by: str,
    on: dt.date,
    write: bool = True,
) -> EditResult:
    """Record an extension (延期): from ``on``, the deadline in force is ``to``."""
    need(reason, "--reason")
    need(approved_by, "--approved-by")

    def change(h: Hazard, data: Any, ctx: Context) -> Change:
        refuse_settled(h, N_("an extension"))
        _refuse_before_discovery(h, on, ctx)
        current, _ = deadline_on(summarize(h, ""), on)
        if current is None:
            raise RefusedError(
                N_(
                    "{id} has no rectification deadline (整改时限) to extend: set one with "
                    "'safeplan hazard plan {id} --deadline DATE'"
                ),
                id=h.id,
            )
        if to <= current:
            raise RefusedError(
                N_(
                    "--to {to} is not after the deadline in force on {on} ({deadline}): an "
                    "extension gives more time"
                ),
                to=to,
                on=on,
                deadline=current,
            )
        if h.extensions and on < h.extensions[-1].on:
            raise RefusedError(
                N_("{id} already has an extension dated {last}: give --on {last} or later"),
                id=h.id,
                last=h.extensions[-1].on,
            )
        entry = {"on": on, "from": current, "to": to, "reason": reason, "approved_by": approved_by}
        yamlio.rt_append(data, "extensions", entry, HAZARD_ORDER)
        return ctx.change("extended", id=h.id, old=current, new=to, by=approved_by, on=on)

    return edit_hazard(root, hazard_id, change, write)


def plan(
    root: Path,
    hazard_id: str,
    given: PlanFields,
    on: dt.date,
    by: str | None = None,
    reason: str | None = None,
    write: bool = True,
) -> EditResult:
    """Add the 五落实, or revise it: the previous plan is kept under ``plan_revisions``."""
    values = given.given()
    if not values:
        raise UsageError(
            N_("give at least one of {options}"), options=ListOf(list(PLAN_OPTIONS.values()))
        )
    for key, value in values.items():
        if isinstance(value, str):
            need(value, PLAN_OPTIONS[key])

    def change(h: Hazard, data: Any, ctx: Context) -> Change:
        refuse_settled(h, N_("a rectification plan"))
        _refuse_before_discovery(h, on, ctx)
        if h.rectification_plan is None:
            return _first_plan(h, data, values, on, ctx)
        return _revise_plan(h, h.rectification_plan, data, values, on, by, reason, ctx)

    return edit_hazard(root, hazard_id, change, write)


def _first_plan(h: Hazard, data: Any, values: dict[str, Any], on: dt.date, ctx: Context) -> Change:
    if "deadline" not in values:
        raise UsageError(N_("a first rectification plan needs --deadline DATE (整改时限)"))
    yamlio.rt_set(data, "rectification_plan", compact(on=on, **values), HAZARD_ORDER)
    return ctx.change("plan", id=h.id, on=on, fields=_labels(values))


def _revise_plan(
    h: Hazard,
    old: RectificationPlan,
    data: Any,
    values: dict[str, Any],
    on: dt.date,
    by: str | None,
    reason: str | None,
    ctx: Context,
) -> Change:
    """The plan in force moves under ``plan_revisions``; the new one keeps what is not given."""
    changed = {k: v for k, v in values.items() if getattr(old, k) != v}
    if not changed:
        raise RefusedError(N_("{id}: the plan already says this: nothing to change"), id=h.id)
    if old.on is not None and on < old.on:
        raise RefusedError(
            N_("the plan in force was set on {set}: give --on {set} or later"), set=old.on
        )
    previous = yamlio.rt_delete(data, "rectification_plan")
    revision = compact(on=on, by=by, reason=reason)
    revision["previous"] = previous
    yamlio.rt_append(data, "plan_revisions", revision, HAZARD_ORDER)
    merged = compact(on=on, **{k: getattr(old, k) for k in PLAN_ORDER if k != "on"})
    merged.update(changed)
    yamlio.rt_set(
        data,
        "rectification_plan",
        {k: merged[k] for k in PLAN_ORDER if k in merged},
        HAZARD_ORDER,
    )
    return ctx.change("plan_revised", id=h.id, on=on, fields=_labels(changed))


def _labels(values: dict[str, Any]) -> ListOf:
    return ListOf([Coded("field", f"rectification_plan.{k}") for k in values])


#: What a ledger may correct (dotted: ``enterprise.name``); ``hazard edit`` corrects every
#: registration fact, the level, source and discovery day too.
CORRECTABLE = CORRECTABLE_FIELDS


def edit_registration(
    root: Path,
    hazard_id: str,
    values: dict[str, str],
    on: dt.date,
    by: str | None = None,
    write: bool = True,
    reason: str | None = None,
) -> EditResult:
    """Correct registration facts; each change leaves a dated correction (from → to)."""
    if not values:
        raise UsageError(
            N_("give at least one of {options}"), options=ListOf(list(EDIT_OPTIONS.values()))
        )
    if reason is not None:
        need(reason, "--reason")
    values = typed_registration(values)

    def change(h: Hazard, data: Any, ctx: Context) -> Change:
        refuse_withdrawn(h, N_("correcting it"))
        _refuse_before_discovery(h, on, ctx)
        if "responsible_unit" in values:
            check_unit(values["responsible_unit"], ctx.unit_names)
        if reason is None:
            for key in REASONED_FIELDS:
                if key in values and values[key] != h.registration_value(key):
                    raise UsageError(
                        N_(
                            "a change of {field} needs --reason TEXT: why it changed (a "
                            "changed 判定依据, usually)"
                        ),
                        field=Coded("field", key),
                    )
        done = correct_registration(h, data, values, on, by, reason)
        if not done:
            raise RefusedError(N_("{id} already says this: nothing to change"), id=h.id)
        fields = ListOf([Coded("field", k) for k in done])
        return ctx.change("corrected", id=h.id, on=on, fields=fields)

    return edit_hazard(root, hazard_id, change, write)


def registration_values(typed: Mapping[str, str | None]) -> dict[str, str]:
    """What was typed for a correction (by record key; None: not given), as the record
    holds it: a level or source as its code, a discovery day as a date."""
    from safeplan.edit.typed import parse_date

    out: dict[str, str] = {}
    for key, option in REGISTRATION_OPTIONS.items():
        value = typed.get(key)
        if value is None:
            continue
        if key == "level":
            value = coded(vocab.LEVEL, value, option)
        elif key == "source":
            value = coded(vocab.SOURCE, value, option)
        elif key == "discovered_on":
            value = parse_date(value, option).isoformat()
        out[key] = value
    return out


def typed_registration(values: Mapping[str, str]) -> dict[str, str]:
    """Registration facts as registration reads them: a unit name without blanks around it,
    a credit code in capitals."""
    out = dict(values)
    if "responsible_unit" in out:
        out["responsible_unit"] = out["responsible_unit"].strip()
    if "enterprise.credit_code" in out:
        out["enterprise.credit_code"] = typed_credit_code(out["enterprise.credit_code"])
    return out


def correct_registration(
    h: Hazard,
    data: Any,
    values: Mapping[str, str],
    on: dt.date,
    by: str | None = None,
    reason: str | None = None,
) -> list[str]:
    """Correct registration facts in a record's round-trip ``data``: the one way to do it.

    Each fact that differs is set, and a dated correction (from → to) keeps the old value.
    ``hazard edit`` and ``import ledger --update`` both correct through here, so they
    refuse the same things the same way. Returns the fields changed, in record order."""
    done: list[str] = []
    for key in REGISTRATION_FIELDS:
        if key not in values:
            continue
        value = values[key]
        old = h.registration_value(key)
        if old == value:
            continue
        _put(data, key, value)
        entry = {"on": on, "by": by, "field": key, "from": old, "to": value, "reason": reason}
        yamlio.rt_append(data, "corrections", compact(**entry), HAZARD_ORDER)
        done.append(key)
    return done


def _put(data: Any, key: str, value: str) -> None:
    if key == "discovered_on":
        yamlio.rt_set(data, key, dt.date.fromisoformat(value), HAZARD_ORDER)
        return
    if not key.startswith("enterprise."):
        yamlio.rt_set(data, key, value, HAZARD_ORDER)
        return
    field = key.split(".", 1)[1]
    stored: Any = SingleQuotedScalarString(value) if field == "credit_code" else value
    node = data.get("enterprise")
    if node is None:
        if field != "name":
            raise UsageError(N_("--credit-code needs --enterprise NAME: the record has none"))
        yamlio.rt_set(data, "enterprise", {"name": stored}, HAZARD_ORDER)
    else:
        yamlio.rt_set(node, field, stored, ENTERPRISE_ORDER)
