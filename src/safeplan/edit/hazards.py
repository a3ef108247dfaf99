"""The closed loop of one hazard, as edits to its file: rectify → accept → close, reopen,
supervision (挂牌督办), the double report (双报告), notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from safeplan import vocab, yamlio
from safeplan.edit.context import (
    Change,
    Context,
    check_hazard_bytes,
    compact,
    context,
    evidence_list,
    hazard_file,
    hazard_findings,
    load_hazard,
)
from safeplan.edit.transaction import EditResult
from safeplan.errors import RefusedError, UsageError
from safeplan.models.hazards import DoubleReport, Hazard, Supervision
from safeplan.problems import N_, Coded, Fragment, ListOf
from safeplan.repo.parse import load_round_trip
from safeplan.rules.hints import coded

#: Key orders of the records, as the models list their fields: new keys go where they belong.
HAZARD_ORDER = tuple(Hazard.model_fields)
SUPERVISION_ORDER = tuple(Supervision.model_fields)
DOUBLE_REPORT_ORDER = tuple(DoubleReport.model_fields)


HazardChange = Callable[[Hazard, Any, Context], Change]


def need(value: str | None, option: str) -> str:
    """A text that must be given (it is kept exactly as typed)."""
    if value is None or not value.strip():
        raise UsageError(N_("{option} must not be empty"), option=option)
    return value


def edit_hazard(root: Path, hazard_id: str, change: HazardChange, write: bool) -> EditResult:
    """Read a hazard, change it in place, check the result, and write it (or not)."""
    path, rel = hazard_file(root, hazard_id)
    ctx = context(root)
    hazard, text = load_hazard(path, rel)
    criteria = ctx.criteria
    before = hazard_findings(hazard, path.stem, ctx.unit_names, criteria)
    rt = load_round_trip(path, rel, text)
    done = change(hazard, rt.data, ctx)
    new = rt.dump()
    check_hazard_bytes(new, rel, path.stem, ctx.unit_names, before, criteria)
    return done.of_file(root, (path, rel), (rt.original, new), hazard.id, write)


def refuse_withdrawn(h: Hazard, what: str) -> None:
    """A withdrawn hazard was registered by mistake: nothing more happens to it."""
    if h.withdrawal is not None:
        raise RefusedError(
            N_("{id} was withdrawn (撤销) on {on}: {what} is refused"),
            id=h.id,
            on=h.withdrawal.on,
            what=Fragment(what),
        )


def refuse_closed(hazard: Hazard, what: str) -> None:
    if hazard.closure is not None:
        raise RefusedError(
            N_(
                "{id} is closed (销号 on {on}): {what} is refused; reopen it first with "
                "'safeplan hazard reopen {id} --reason …'"
            ),
            id=hazard.id,
            on=hazard.closure.on,
            what=Fragment(what),
        )


def refuse_settled(h: Hazard, what: str) -> None:
    """Withdrawn or closed: nothing more happens to the hazard (until it is reopened)."""
    refuse_withdrawn(h, what)
    refuse_closed(h, what)


def rectify(
    root: Path,
    hazard_id: str,
    on: dt.date,
    note: str | None = None,
    evidence: Sequence[str] = (),
    write: bool = True,
) -> EditResult:
    """Record the rectification (整改). After a failed acceptance, this starts a new cycle."""

    def change(h: Hazard, data: Any, ctx: Context) -> Change:
        refuse_settled(h, N_("recording a rectification"))
        ctx.refuse_before_start(on)
        acc = h.acceptance
        if h.rectification is not None and (acc is None or acc.result == "passed"):
            raise RefusedError(
                N_(
                    "{id} was already rectified on {on}: record the acceptance next "
                    "('safeplan hazard accept {id} --by …'), or correct the date in the file"
                ),
                id=h.id,
                on=h.rectification.on,
            )
        if acc is not None and acc.result == "failed":
            # The failed cycle becomes history; the new rectification starts the next one.
            reason = "验收不合格，重新整改" if ctx.language == "zh" else "acceptance failed"
            _move_cycle(data, on, reason, None)
        record = compact(on=on, note=note, evidence=evidence_list(evidence))
        yamlio.rt_set(data, "rectification", record, HAZARD_ORDER)
        return ctx.change("rectified", id=h.id, on=on)

    return edit_hazard(root, hazard_id, change, write)


def accept(
    root: Path,
    hazard_id: str,
    on: dt.date,
    by: str,
    result: str = "passed",
    note: str | None = None,
    evidence: Sequence[str] = (),
    write: bool = True,
) -> EditResult:
    """Record the acceptance (验收) of the rectification, passed or failed."""
    result = coded(vocab.ACCEPTANCE, result, "--result")
    need(by, "--by")

    def change(h: Hazard, data: Any, ctx: Context) -> Change:
        refuse_settled(h, N_("recording an acceptance"))
        ctx.refuse_before_start(on)
        if h.rectification is None:
            raise RefusedError(
                N_(
                    "{id} has no rectification (整改) yet: record it first with "
                    "'safeplan hazard rectify {id} --on DATE'"
                ),
                id=h.id,
            )
        if h.acceptance is not None:
            raise RefusedError(
                N_(
                    "{id} already has an acceptance (验收) on {on} ({result}): "
                    "correct it in the file if it is wrong"
                ),
                id=h.id,
                on=h.acceptance.on,
                result=h.acceptance.result,
            )
        record = compact(on=on, by=by, result=result, note=note, evidence=evidence_list(evidence))
        yamlio.rt_set(data, "acceptance", record, HAZARD_ORDER)
        said = Coded("acceptance result", result)
        key = "accepted" if result == "passed" else "failed"
        return ctx.change(key, id=h.id, on=on, by=by, result=said)

    return edit_hazard(root, hazard_id, change, write)


def refuse_closing(h: Hazard, double_report_required: bool) -> None:
    """Closure (销号) closes the loop: rectified, accepted (passed) and, for a major hazard,
    reported twice (双报告) unless the plan relaxes that; else a refusal saying what is next."""
    if h.closure is not None:
        raise RefusedError(
            N_("{id} is already closed (销号 on {on} by {reviewer}): nothing to do"),
            id=h.id,
            on=h.closure.on,
            reviewer=h.closure.reviewer,
        )
    if h.rectification is None:
        raise RefusedError(
            N_(
                "{id} cannot be closed: it has no rectification (整改). Record it first "
                "('safeplan hazard rectify {id} --on DATE'), then the acceptance"
            ),
            id=h.id,
        )
    if h.acceptance is None:
        raise RefusedError(
            N_(
                "{id} cannot be closed: it has not been accepted (验收). Record the "
                "acceptance first ('safeplan hazard accept {id} --on DATE --by NAME')"
            ),
            id=h.id,
        )
    if h.acceptance.result != "passed":
        raise RefusedError(
            N_(
                "{id} cannot be closed: its acceptance on {on} failed. Rectify again "
                "('safeplan hazard rectify {id}') and have it accepted"
            ),
            id=h.id,
            on=h.acceptance.on,
        )
    dr = h.double_report
    if (
        h.level == "major"
        and double_report_required
        and (dr is None or dr.regulator_on is None or dr.workers_on is None)
    ):
        raise RefusedError(
            N_(
                "{id} is a major hazard and cannot be closed without the double report "
                "(双报告) to the regulator and to the workers' congress: record it first "
                "('safeplan hazard report {id} --regulator DATE --workers DATE'), or set "
                "rules.close_requires_double_report: false in plan/plan.yaml"
            ),
            id=h.id,
        )


def close(
    root: Path,
    hazard_id: str,
    on: dt.date,
    reviewer: str,
    note: str | None = None,
    write: bool = True,
) -> EditResult:
    """Record the closure (销号): only after rectification, a passed acceptance and 双报告."""
    need(reviewer, "--by")

    def change(h: Hazard, data: Any, ctx: Context) -> Change:
        refuse_withdrawn(h, N_("closing it"))
        ctx.refuse_before_start(on)
        refuse_closing(h, ctx.plan.rules.close_requires_double_report)
        yamlio.rt_set(data, "closure", compact(on=on, reviewer=reviewer, note=note), HAZARD_ORDER)
        return ctx.change("closed", id=h.id, on=on, reviewer=reviewer)

    return edit_hazard(root, hazard_id, change, write)


def _move_cycle(data: Any, on: dt.date, reason: str, by: str | None) -> None:
    """Move the current rectification/acceptance/closure into a new reopenings entry."""
    previous: dict[str, Any] = {}
    for key in ("rectification", "acceptance", "closure"):
        if key in data:
            value = yamlio.rt_delete(data, key)
            if value is not None:
                previous[key] = value
    entry = compact(on=on, reason=reason, by=by)
    entry["previous"] = previous
    yamlio.rt_append(data, "reopenings", entry, HAZARD_ORDER)


def reopen(
    root: Path,
    hazard_id: str,
    on: dt.date,
    reason: str,
    by: str | None = None,
    write: bool = True,
) -> EditResult:
    """Reopen a closed hazard: its cycle moves into ``reopenings`` (history is never deleted)."""
    need(reason, "--reason")

    def change(h: Hazard, data: Any, ctx: Context) -> Change:
        refuse_withdrawn(h, N_("reopening it"))
        ctx.refuse_before_start(on)
        failed = h.acceptance is not None and h.acceptance.result == "failed"
        if h.closure is None and not failed:
            raise RefusedError(
                N_("{id} is not closed, so there is nothing to reopen"),
                id=h.id,
            )
        _move_cycle(data, on, reason, by)
        # a closure is revoked (撤销销号); a failed acceptance is rectified again (重新整改)
        key = "revoked" if h.closure is not None else "again"
        return ctx.change(key, id=h.id, on=on, reason=reason)

    return edit_hazard(root, hazard_id, change, write)


def supervise(
    root: Path,
    hazard_id: str,
    level: str,
    by: str,
    on: dt.date,
    write: bool = True,
) -> EditResult:
    """List the hazard for supervision (挂牌督办) by a level of government."""
    level = coded(vocab.SUPERVISION_LEVEL, level, "--level")
    need(by, "--by")

    def change(h: Hazard, data: Any, ctx: Context) -> Change:
        refuse_settled(h, N_("listing it for supervision"))
        ctx.refuse_before_start(on)
        for s in h.supervision:
            if s.level == level and s.lifted_on is None:
                raise RefusedError(
                    N_("{id} is already listed for supervision at {level} by {by} since {on}"),
                    id=h.id,
                    level=Coded("supervision level", level),
                    by=s.by,
                    on=s.listed_on,
                )
        yamlio.rt_append(
            data, "supervision", {"level": level, "by": by, "listed_on": on}, HAZARD_ORDER
        )
        listed = Coded("supervision level", level)
        return ctx.change("supervised", id=h.id, level=listed, by=by, on=on)

    return edit_hazard(root, hazard_id, change, write)


def lift_supervision(
    root: Path,
    hazard_id: str,
    on: dt.date,
    level: str | None = None,
    write: bool = True,
) -> EditResult:
    """Lift a listing for supervision (摘牌)."""
    wanted = coded(vocab.SUPERVISION_LEVEL, level, "--level") if level is not None else None

    def change(h: Hazard, data: Any, ctx: Context) -> Change:
        active = [
            i
            for i, s in enumerate(h.supervision)
            if s.lifted_on is None and (wanted is None or s.level == wanted)
        ]
        if not active:
            raise RefusedError(
                N_("{id} has no listing for supervision in force{at}: nothing to lift"),
                id=h.id,
                at=Fragment(N_(" ({level})"), {"level": Coded("supervision level", wanted)})
                if wanted
                else "",
            )
        if len(active) > 1:
            raise UsageError(
                N_(
                    "{id} is listed for supervision at several levels ({levels}): choose one with --level"
                ),
                id=h.id,
                levels=ListOf(Coded("supervision level", h.supervision[i].level) for i in active),
            )
        i = active[0]
        item = data["supervision"][i]
        yamlio.rt_set(item, "lifted_on", on, SUPERVISION_ORDER)
        lifted = Coded("supervision level", h.supervision[i].level)
        return ctx.change("lifted", id=h.id, level=lifted, on=on)

    return edit_hazard(root, hazard_id, change, write)


def report(
    root: Path,
    hazard_id: str,
    regulator: dt.date | None = None,
    workers: dt.date | None = None,
    write: bool = True,
) -> EditResult:
    """Record the double report (双报告): to the regulator and to the workers' congress."""
    if regulator is None and workers is None:
        raise UsageError(
            N_("give --regulator DATE, --workers DATE or both (双报告: the two reports' dates)")
        )

    def change(h: Hazard, data: Any, ctx: Context) -> Change:
        refuse_withdrawn(h, N_("a double report"))
        for day, option in ((regulator, "--regulator"), (workers, "--workers")):
            if day is not None:
                ctx.refuse_before_start(day, option)
        current, updates = _report_updates(h, regulator, workers)
        node = data.get("double_report")
        if node is None:
            yamlio.rt_set(data, "double_report", updates, HAZARD_ORDER)
        else:
            for key, value in updates.items():
                yamlio.rt_set(node, key, value, DOUBLE_REPORT_ORDER)
        regulator_on = updates.get("regulator_on", current["regulator_on"])
        workers_on = updates.get("workers_on", current["workers_on"])
        return ctx.change(
            "double_report", id=h.id, regulator=regulator_on or "—", workers=workers_on or "—"
        )

    return edit_hazard(root, hazard_id, change, write)


def _report_updates(
    h: Hazard, regulator: dt.date | None, workers: dt.date | None
) -> tuple[dict[str, dt.date | None], dict[str, dt.date]]:
    """The report dates recorded, and those to add; a recorded one is never changed."""
    dr = h.double_report
    current = {
        "regulator_on": dr.regulator_on if dr else None,
        "workers_on": dr.workers_on if dr else None,
    }
    wanted = {"regulator_on": regulator, "workers_on": workers}
    updates: dict[str, dt.date] = {}
    for key, value in wanted.items():
        if value is None or current[key] == value:
            continue
        if current[key] is not None:
            raise RefusedError(
                N_(
                    "{id}: the report {what} is already recorded on {on}: correct it in "
                    "the file if it is wrong"
                ),
                id=h.id,
                what=Fragment(_REPORT_LABEL[key]),
                on=current[key],
            )
        updates[key] = value
    if not updates:
        raise RefusedError(
            N_("{id}: the double report (双报告) is already recorded with these dates"),
            id=h.id,
        )
    return current, updates


_REPORT_LABEL = {
    "regulator_on": N_("to the regulator"),
    "workers_on": N_("to the workers' congress"),
}


def note(
    root: Path,
    hazard_id: str,
    text: str,
    on: dt.date,
    by: str | None = None,
    write: bool = True,
) -> EditResult:
    """Add a dated note to a hazard."""
    need(text, "TEXT")

    def change(h: Hazard, data: Any, ctx: Context) -> Change:
        ctx.refuse_before_start(on)
        yamlio.rt_append(data, "notes", compact(on=on, text=text, by=by), HAZARD_ORDER)
        return ctx.change("note", id=h.id, on=on)

    return edit_hazard(root, hazard_id, change, write)
