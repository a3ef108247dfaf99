"""Rules within one hazard record: its id and file name, the 五落实, the order of its dates."""

from __future__ import annotations

import datetime as dt

from safeplan.models.records import HAZARD_ID_RE, Cycle, Hazard
from safeplan.problems import N_, Finding, Fragment, KeyPath


def _order(
    out: list[Finding],
    path: KeyPath,
    later: dt.date | None,
    earlier: dt.date | None,
    what_later: str,
    what_earlier: str,
) -> None:
    if later is not None and earlier is not None and later < earlier:
        out.append(
            Finding(
                path,
                "date-order",
                N_("{later} ({later_on}) is dated before {earlier} ({earlier_on}): correct one"),
                {
                    "later": Fragment(what_later),
                    "later_on": later,
                    "earlier": Fragment(what_earlier),
                    "earlier_on": earlier,
                },
            )
        )


def _check_cycle(out: list[Finding], base: KeyPath, cycle: Cycle, discovered: dt.date) -> None:
    rect, acc, clo = cycle.rectification, cycle.acceptance, cycle.closure
    _order(
        out,
        (*base, "rectification", "on"),
        rect.on if rect else None,
        discovered,
        N_("rectification"),
        N_("discovery"),
    )
    _order(
        out,
        (*base, "acceptance", "on"),
        acc.on if acc else None,
        rect.on if rect else None,
        N_("acceptance"),
        N_("rectification"),
    )
    _order(
        out,
        (*base, "closure", "on"),
        clo.on if clo else None,
        acc.on if acc else None,
        N_("closure"),
        N_("acceptance"),
    )
    if acc is not None and rect is None:
        out.append(
            Finding(
                (*base, "acceptance"),
                "accept-unrectified",
                N_("acceptance is recorded but no rectification: record the rectification first"),
                {},
                at_key=True,
            )
        )
    if clo is not None and acc is None:
        out.append(
            Finding(
                (*base, "closure"),
                "close-unaccepted",
                N_(
                    "closure (销号) is recorded without an acceptance (验收): record the acceptance"
                ),
                {},
                at_key=True,
            )
        )
    if clo is not None and acc is not None and acc.result == "failed":
        out.append(
            Finding(
                (*base, "closure"),
                "close-failed",
                N_("closure (销号) follows a failed acceptance: rectify and accept again first"),
                {},
                at_key=True,
            )
        )


def _id_finding(hazard_id: str, file_stem: str) -> list[Finding]:
    if hazard_id == file_stem:
        return []
    return [
        Finding(
            ("id",),
            "id-file-name",
            N_("id '{id}' differs from the file name '{stem}': rename the file or the id"),
            {"id": hazard_id, "stem": file_stem},
        )
    ]


#: Sections of a hazard record that hold fields: written with nothing under them, they
#: are most likely a fact whose lines were deleted by mistake.
SECTIONS = (
    "enterprise",
    "rectification_plan",
    "rectification",
    "acceptance",
    "closure",
    "double_report",
)


def check_empty_sections(data: object) -> list[Finding]:
    """A section written with nothing under it (``rectification:`` and no fields)."""
    if not isinstance(data, dict):
        return []
    return [
        Finding(
            (key,),
            "empty-section",
            N_(
                "'{field}' has nothing under it: write its fields indented below it, or "
                "remove the line (were its lines deleted by mistake?)"
            ),
            {"field": key},
            at_key=True,
        )
        for key in SECTIONS
        if key in data and data[key] is None
    ]


def check_hazard_data(data: object, file_stem: str) -> list[Finding]:
    """The id check on a record that failed its schema, so that one run shows it too.

    Only a well-formed id is checked: a malformed one already has its schema problem.
    """
    if not isinstance(data, dict):
        return []
    hazard_id = data.get("id")
    if isinstance(hazard_id, str) and HAZARD_ID_RE.match(hazard_id):
        return _id_finding(hazard_id, file_stem)
    return []


def check_hazard(hazard: Hazard, file_stem: str) -> list[Finding]:
    """The rules within one hazard record: its id and file name, 五落实, dates in order."""
    out = _id_finding(hazard.id, file_stem)
    if hazard.level == "major" and hazard.rectification_plan is None:
        out.append(
            Finding(
                ("level",),
                "no-plan",
                N_(
                    "major hazard without a rectification plan (五落实): add rectification_plan "
                    "with measures, funds, deadline, responsible_person and contingency_plan"
                ),
                {},
                at_key=True,
            )
        )
    plan = hazard.rectification_plan
    if plan is not None:
        _order(
            out,
            ("rectification_plan", "deadline"),
            plan.deadline,
            hazard.discovered_on,
            N_("the rectification deadline"),
            N_("discovery"),
        )
    current = Cycle(
        rectification=hazard.rectification, acceptance=hazard.acceptance, closure=hazard.closure
    )
    _check_cycle(out, (), current, hazard.discovered_on)
    previous_end: dt.date = hazard.discovered_on
    for i, reopening in enumerate(hazard.reopenings):
        _check_cycle(out, ("reopenings", i, "previous"), reopening.previous, hazard.discovered_on)
        closed = reopening.previous.closure
        _order(
            out,
            ("reopenings", i, "on"),
            reopening.on,
            closed.on if closed else previous_end,
            N_("the reopening"),
            N_("the closure it reopens") if closed else N_("the previous event"),
        )
        previous_end = reopening.on
    if hazard.reopenings:
        last = hazard.reopenings[-1].on
        rect = hazard.rectification
        _order(
            out,
            ("rectification", "on"),
            rect.on if rect else None,
            last,
            N_("rectification"),
            N_("the last reopening"),
        )
    dr = hazard.double_report
    for key, day, what in (
        ("regulator_on", dr.regulator_on if dr else None, N_("the report to the regulator")),
        ("workers_on", dr.workers_on if dr else None, N_("the report to the workers' congress")),
    ):
        _order(out, ("double_report", key), day, hazard.discovered_on, what, N_("discovery"))
    for i, sup in enumerate(hazard.supervision):
        _order(
            out,
            ("supervision", i, "listed_on"),
            sup.listed_on,
            hazard.discovered_on,
            N_("listing it for supervision"),
            N_("discovery"),
        )
    for i, note in enumerate(hazard.notes):
        _order(
            out, ("notes", i, "on"), note.on, hazard.discovered_on, N_("a note"), N_("discovery")
        )
    for i, sup in enumerate(hazard.supervision):
        _order(
            out,
            ("supervision", i, "lifted_on"),
            sup.lifted_on,
            sup.listed_on,
            N_("lifting the supervision"),
            N_("listing it"),
        )
    return out


_FUTURE = N_(
    "'{field}' is {date}, after today ({today}): what is recorded has happened; correct the date"
)


def _future(path: KeyPath, field: str, day: dt.date | None, today: dt.date) -> list[Finding]:
    if day is None or day <= today:
        return []
    return [Finding(path, "future-date", _FUTURE, {"field": field, "date": day, "today": today})]


def check_future_facts(hazard: Hazard, today: dt.date) -> list[Finding]:
    """Facts dated after today (a deadline may lie ahead; a rectification may not)."""
    out = _future(("discovered_on",), "discovered_on", hazard.discovered_on, today)

    def cycle(base: KeyPath, c: Cycle | Hazard) -> None:
        for key in ("rectification", "acceptance", "closure"):
            fact = getattr(c, key)
            if fact is not None:
                name = ".".join(str(p) for p in (*base, key, "on"))
                out.extend(_future((*base, key, "on"), name, fact.on, today))

    cycle((), hazard)
    for i, r in enumerate(hazard.reopenings):
        out.extend(_future(("reopenings", i, "on"), f"reopenings[{i}].on", r.on, today))
        cycle(("reopenings", i, "previous"), r.previous)
    for i, sup in enumerate(hazard.supervision):
        for key in ("listed_on", "lifted_on"):
            out.extend(
                _future(
                    ("supervision", i, key), f"supervision[{i}].{key}", getattr(sup, key), today
                )
            )
    if hazard.double_report is not None:
        for key in ("regulator_on", "workers_on"):
            out.extend(
                _future(
                    ("double_report", key),
                    f"double_report.{key}",
                    getattr(hazard.double_report, key),
                    today,
                )
            )
    for i, note in enumerate(hazard.notes):
        out.extend(_future(("notes", i, "on"), f"notes[{i}].on", note.on, today))
    return out
