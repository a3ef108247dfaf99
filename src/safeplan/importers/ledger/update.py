"""``import ledger --update``: a hazard the register has, brought up to date from its row.

Only what a careful person would do by hand: facts the record lacks are added (the
rectification, the acceptance, the closure, a listing, the double report, parts of the
五落实, a later deadline as an extension); registration facts that differ are
corrected and the old value kept as a dated correction (as ``hazard edit`` does); a
dated fact the record already has is never overwritten — a difference there is an
error to resolve by hand, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safeplan import yamlio
from safeplan.edit.corrections import correct_registration
from safeplan.errors import SafeplanError
from safeplan.importers.ledger.common import (
    HAZARD_ORDER,
    NOT_IN_LEDGER,
    RowOutcome,
    column_of,
    record_findings,
)
from safeplan.models.hazards import (
    CORRECTABLE_FIELDS,
    FIXED_FIELDS,
    DoubleReport,
    Hazard,
    RectificationPlan,
)
from safeplan.models.records import Plan
from safeplan.problems import N_, Coded, ListOf

Report = Callable[..., None]

PLAN_ORDER = tuple(RectificationPlan.model_fields)
DOUBLE_REPORT_ORDER = tuple(DoubleReport.model_fields)


def _new(record: Mapping[str, Any], key: str) -> Any:
    if key.startswith("enterprise."):
        ent = record.get("enterprise") or {}
        return ent.get(key.split(".", 1)[1])
    return record.get(key)


def _differs(report: Report, key: str, old: object, new: object, hid: str) -> None:
    report(
        column_of(key.split(".")),
        N_(
            "{id} records {old} here, the ledger {new}: a recorded fact is not overwritten "
            "from a ledger; correct the ledger, or the record ('safeplan hazard …' or by hand)"
        ),
        {"id": hid, "old": str(old), "new": str(new)},
    )


def update_record(
    report: Report,
    root: Path,
    existing: Any,
    record: dict[str, Any],
    today: dt.date,
    row: int,
    plan: Plan | None,
) -> tuple[RowOutcome, tuple[str, bytes | None, bytes] | None]:
    """The existing hazard's file changed to hold what the row adds (or an error)."""
    rel = existing.path
    title = record.get("title")
    read = _read(report, root, rel)
    if read is None:
        return RowOutcome(row, "error", existing.id, title), None
    rt, hazard = read
    u = _Update(report, rt.data, hazard, record, today)
    if _change(u):
        return RowOutcome(row, "error", hazard.id, title), None
    if not u.changed:
        return RowOutcome(row, "unchanged", hazard.id, title, rel), None
    new_bytes = rt.dump()
    if not _still_valid(report, hazard, new_bytes, rel, today, plan):
        return RowOutcome(row, "error", hazard.id, title), None
    fields = list(dict.fromkeys(u.changed))
    return (
        RowOutcome(
            row,
            "update",
            hazard.id,
            title,
            rel,
            N_("adds or corrects {fields}"),
            {"fields": ListOf(fields)},
        ),
        (rel, rt.original, new_bytes),
    )


def _read(report: Report, root: Path, rel: str) -> tuple[yamlio.RoundTrip, Hazard] | None:
    from pydantic import ValidationError

    from safeplan.yamlio import YamlProblem

    try:
        rt = yamlio.rt_load(root / rel)
        return rt, Hazard.model_validate(yamlio.load_fast(yamlio.decode(rt.original)))
    except (OSError, YamlProblem, ValidationError):
        report(
            "id",
            N_("{path} cannot be read: fix it first (safeplan validate), then import again"),
            {"path": rel},
        )
        return None


@dataclass
class _Update:
    """One row brought into one hazard's file: what every step reads (the record, the row,
    the day), where it writes (the round-trip ``data``) and what it says (``report``, and
    the fields ``changed``)."""

    report: Report
    data: Any
    hazard: Hazard
    record: Mapping[str, Any]
    today: dt.date
    changed: list[Any] = field(default_factory=list)


def _change(u: _Update) -> bool:
    """Bring ``data`` up to date from the row; True if a difference is an error."""
    failed = False
    for step in _STEPS:
        failed |= step(u)
    for note in u.record.get("notes", []):
        if note["text"] not in {n.text for n in u.hazard.notes}:
            yamlio.rt_append(u.data, "notes", {"on": u.today, "text": note["text"]}, HAZARD_ORDER)
            u.changed.append(Coded("field", "notes"))
    return failed


def _cycle(u: _Update) -> bool:
    """The rectification, acceptance and closure the record lacks; one it has must agree."""
    failed = False
    for key in ("rectification", "acceptance", "closure"):
        new = u.record.get(key)
        old = getattr(u.hazard, key)
        if new is None:
            continue
        if old is None:
            yamlio.rt_set(u.data, key, new, HAZARD_ORDER)
            u.changed.append(Coded("field", key))
            continue
        for part, value in new.items():
            was = getattr(old, part)
            if was is None and part in ("note",):
                continue
            if value == NOT_IN_LEDGER:
                continue  # the ledger does not say; the record may (corrected since)
            if was != value:
                _differs(u.report, f"{key}.{part}", was, value, u.hazard.id)
                failed = True
    return failed


def _still_valid(
    report: Report, hazard: Hazard, new_bytes: bytes, rel: str, today: dt.date, plan: Plan | None
) -> bool:
    """The updated record reads, and the change brings no new error into it."""
    from pydantic import ValidationError

    from safeplan.yamlio import YamlProblem

    try:
        after = Hazard.model_validate(yamlio.load_fast(yamlio.decode(new_bytes)))
    except (YamlProblem, ValidationError) as exc:
        report(
            "id",
            N_("the update would leave {path} invalid ({reason}): nothing is written"),
            {"path": rel, "reason": str(exc)[:200]},
        )
        return False
    # The unit was checked with the row; here, what the change itself introduces.
    before = {
        (f.code, f.template)
        for f in record_findings(hazard, [hazard.responsible_unit], today, plan)
    }
    ok = True
    for f in record_findings(after, [after.responsible_unit], today, plan):
        if (f.code, f.template) in before or f.code == "id-file-name":
            continue
        report(column_of(f.path), f.template, f.params, f.severity)
        ok = ok and f.severity != "error"
    return ok


def _fixed(u: _Update) -> bool:
    """A fact that decides what the hazard is differs: an error, never a correction."""
    failed = False
    for key in FIXED_FIELDS:
        new = u.record.get(key)
        if new is not None and new != getattr(u.hazard, key):
            _differs(u.report, key, getattr(u.hazard, key), new, u.hazard.id)
            failed = True
    return failed


def _correct(u: _Update) -> bool:
    """Registration facts that differ, corrected as ``hazard edit`` corrects them."""
    values = {k: v for k in CORRECTABLE_FIELDS if (v := _new(u.record, k)) is not None}
    try:
        done = correct_registration(u.hazard, u.data, values, u.today)
    except SafeplanError as exc:
        u.report(column_of(("enterprise", "credit_code")), exc.template, exc.params)
        return True
    u.changed.extend(Coded("field", k) for k in done)
    return False


def _plan(u: _Update) -> bool:
    """Parts of the 五落实 the plan lacks; a part it has is revised with 'hazard plan' only."""

    def conflict(part: str, was: object, value: object) -> None:
        u.report(
            column_of(("rectification_plan", part)),
            N_(
                "{id}'s rectification plan says {old}, the ledger {new}: revise the plan with "
                "'safeplan hazard plan {id}' (the old plan is kept), or correct the ledger"
            ),
            {"id": u.hazard.id, "old": str(was), "new": str(value)},
        )

    new = {k: v for k, v in (u.record.get("rectification_plan") or {}).items()}
    old = u.hazard.rectification_plan
    if old is not None:
        new.pop("on", None)
    return _fill(u.data, "rectification_plan", old, new or None, PLAN_ORDER, u.changed, conflict)


def _fill(
    data: Any,
    key: str,
    old: Any,
    new: Mapping[str, Any] | None,
    order: tuple[str, ...],
    changed: list[Any],
    conflict: Callable[[str, object, object], None],
) -> bool:
    """A section the record lacks is added; parts it lacks are added; a part it has and the
    ledger says otherwise is a conflict (True), never overwritten."""
    if new is None:
        return False
    if old is None:
        yamlio.rt_set(data, key, dict(new), HAZARD_ORDER)
        changed.append(Coded("field", key))
        return False
    failed = False
    for part, value in new.items():
        was = getattr(old, part)
        if was is None:
            yamlio.rt_set(data[key], part, value, order)
            changed.append(Coded("field", f"{key}.{part}"))
        elif was != value:
            conflict(part, was, value)
            failed = True
    return failed


def _extension(u: _Update) -> bool:
    """The extensions the record lacks (a deadline it does not reach yet), in order."""
    have = {e.to for e in u.hazard.extensions}
    base = u.hazard.deadline_in_force()
    last_on = u.hazard.extensions[-1].on if u.hazard.extensions else None
    for wanted in u.record.get("extensions") or []:
        ext = dict(wanted)
        if ext["to"] in have:
            continue
        if base is not None and ext["to"] <= base:
            u.report(
                "extended_to",
                N_(
                    "{id}'s deadline in force is {deadline}, later than the ledger's {to}: correct the ledger"
                ),
                {"id": u.hazard.id, "deadline": base, "to": ext["to"]},
            )
            return True
        if base is not None:
            ext["from"] = base
        if last_on is not None and ext["on"] < last_on:
            ext["on"] = last_on
        yamlio.rt_append(u.data, "extensions", ext, HAZARD_ORDER)
        u.changed.append(Coded("field", "extensions"))
        base, last_on = ext["to"], ext["on"]
    return False


def _failed(u: _Update) -> bool:
    """Failed acceptances the record lacks: history is not rewritten by an update (the
    cycles would have to be re-cut), so a difference is said, and nothing is written."""
    wanted = [r["previous"]["acceptance"]["on"] for r in u.record.get("reopenings") or []]
    have = [
        c.acceptance.on
        for c in u.hazard.cycles()
        if c.ended_by is not None and c.acceptance and c.acceptance.result == "failed"
    ]
    if not wanted or wanted == have:
        return False
    u.report(
        "failed_acceptances",
        N_(
            "{id} records failed acceptances on {have}, the ledger on {wanted}: an update does "
            "not rewrite a hazard's cycles; record them with 'safeplan hazard accept {id} "
            "--result failed' and 'safeplan hazard rectify', or correct the ledger"
        ),
        {"id": u.hazard.id, "have": ListOf(have) if have else "—", "wanted": ListOf(wanted)},
    )
    return True


def _supervision(u: _Update) -> bool:
    for new in u.record.get("supervision", []):
        same = [
            (i, s)
            for i, s in enumerate(u.hazard.supervision)
            if s.level == new["level"] and s.listed_on == new["listed_on"]
        ]
        if not same:
            yamlio.rt_append(u.data, "supervision", new, HAZARD_ORDER)
            u.changed.append(Coded("field", "supervision"))
        elif new.get("lifted_on") and same[0][1].lifted_on is None:
            yamlio.rt_set(u.data["supervision"][same[0][0]], "lifted_on", new["lifted_on"])
            u.changed.append(Coded("field", "supervision.lifted_on"))
    return False


def _double_report(u: _Update) -> bool:
    def conflict(part: str, was: object, value: object) -> None:
        _differs(u.report, f"double_report.{part}", was, value, u.hazard.id)

    new, old = u.record.get("double_report"), u.hazard.double_report
    return _fill(u.data, "double_report", old, new, DOUBLE_REPORT_ORDER, u.changed, conflict)


#: What ``_change`` does, in order: each step adds what the record lacks, and says whether
#: a difference is an error (every step runs, so every difference is said).
_STEPS: tuple[Callable[[_Update], bool], ...] = (
    _fixed,
    _correct,
    _plan,
    _extension,
    _failed,
    _cycle,
    _supervision,
    _double_report,
)
