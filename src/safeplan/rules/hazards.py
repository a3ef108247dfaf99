"""Rules within one hazard record: its id and file name, the 五落实, the order of its dates."""

from __future__ import annotations

import datetime as dt

from safeplan.models.fields import HAZARD_ID_RE
from safeplan.models.hazards import Cycle, CycleOf, Hazard
from safeplan.problems import N_, Finding, Fragment, KeyPath
from safeplan.rules.criteria import BASIS_MISSING

#: Findings after which a hazard's state is not to be believed: a listing marks it invalid
#: rather than showing it as closed.
BROKEN_LOOP = frozenset(("accept-unrectified", "close-unaccepted", "close-failed"))


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


def _check_cycle(
    out: list[Finding], base: KeyPath, cycle: Cycle | CycleOf, discovered: dt.date
) -> None:
    rect, acc, clo = cycle.rectification, cycle.acceptance, cycle.closure
    # The closed loop's steps in order, each dated no earlier than the one before it.
    earlier: dt.date | None = discovered
    what_earlier = N_("discovery")
    for key, on, what in (
        ("rectification", rect.on if rect else None, N_("rectification")),
        ("acceptance", acc.on if acc else None, N_("acceptance")),
        ("closure", clo.on if clo else None, N_("closure")),
    ):
        _order(out, (*base, key, "on"), on, earlier, what, what_earlier)
        earlier, what_earlier = on, what
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
    _check_plan(out, hazard)
    _check_plan_history(out, hazard)
    _check_extensions(out, hazard)
    _check_withdrawal(out, hazard)
    if hazard.level == "general" and hazard.double_report is not None:
        out.append(
            Finding(
                ("double_report",),
                "double-report-general",
                N_(
                    "a double report (双报告) is recorded for a general hazard: it is for major "
                    "hazards; check the level, or remove the double report"
                ),
                {},
                at_key=True,
                severity="warning",
            )
        )
    if hazard.level == "major" and hazard.basis is None and hazard.withdrawal is None:
        out.append(
            Finding(
                ("level",),
                BASIS_MISSING,
                N_(
                    "a major hazard without its 判定依据 (basis): cite the 判定标准 item that "
                    "makes it major, e.g. basis: 应急管理部令第10号第三条第（二）项 "
                    "('safeplan criteria list' shows the catalog)"
                ),
                {},
                severity="warning",
            )
        )
    for i, c in enumerate(hazard.corrections):
        _after_discovery(out, hazard, ("corrections", i, "on"), c.on, N_("a correction"))
    _check_cycles(out, hazard)
    _check_dated_facts(out, hazard)
    return out


def _after_discovery(
    out: list[Finding], hazard: Hazard, path: KeyPath, day: dt.date | None, what: str
) -> None:
    _order(out, path, day, hazard.discovered_on, what, N_("discovery"))


def _check_plan(out: list[Finding], hazard: Hazard) -> None:
    """A general hazard has a deadline; every version of the plan is dated after discovery."""
    if hazard.rectification_plan is None and hazard.level == "general":
        out.append(
            Finding(
                ("level",),
                "no-deadline",
                N_(
                    "the hazard has no rectification deadline (整改时限), so it can never be "
                    "overdue: add rectification_plan with its deadline ('safeplan hazard plan "
                    "{id} --deadline DATE')"
                ),
                {"id": hazard.id},
                at_key=True,
                severity="warning",
            )
        )
    for base, version in hazard.plan_versions_at():
        _after_discovery(
            out, hazard, (*base, "deadline"), version.deadline, N_("the rectification deadline")
        )
        _after_discovery(out, hazard, (*base, "on"), version.on, N_("the plan"))


def _check_cycles(out: list[Finding], hazard: Hazard) -> None:
    """Each rectify → accept → close cycle in order; each reopening after what it ends."""
    cycles = hazard.cycles()
    current = cycles.pop()
    _check_cycle(out, current.at, current, hazard.discovered_on)
    previous_end: dt.date = hazard.discovered_on
    for c in cycles:
        assert c.ended_by is not None  # every cycle but the current one ends in a reopening
        _check_cycle(out, c.at, c, hazard.discovered_on)
        _order(
            out,
            (*c.at[:2], "on"),
            c.ended_by.on,
            c.closure.on if c.closure else previous_end,
            N_("the reopening"),
            N_("the closure it reopens") if c.closure else N_("the previous event"),
        )
        previous_end = c.ended_by.on
    if hazard.reopenings:
        rect = hazard.rectification
        _order(
            out,
            ("rectification", "on"),
            rect.on if rect else None,
            hazard.reopenings[-1].on,
            N_("rectification"),
            N_("the last reopening"),
        )


def _check_dated_facts(out: list[Finding], hazard: Hazard) -> None:
    """The double report, listings and notes come after discovery; a lifting after its listing."""
    dr = hazard.double_report
    for key, day, what in (
        ("regulator_on", dr.regulator_on if dr else None, N_("the report to the regulator")),
        ("workers_on", dr.workers_on if dr else None, N_("the report to the workers' congress")),
    ):
        _after_discovery(out, hazard, ("double_report", key), day, what)
    for i, sup in enumerate(hazard.supervision):
        _after_discovery(
            out,
            hazard,
            ("supervision", i, "listed_on"),
            sup.listed_on,
            N_("listing it for supervision"),
        )
    for i, note in enumerate(hazard.notes):
        _after_discovery(out, hazard, ("notes", i, "on"), note.on, N_("a note"))
    for i, sup in enumerate(hazard.supervision):
        _order(
            out,
            ("supervision", i, "lifted_on"),
            sup.lifted_on,
            sup.listed_on,
            N_("lifting the supervision"),
            N_("listing it"),
        )


def _check_plan_history(out: list[Finding], hazard: Hazard) -> None:
    """Each revision replaced the plan in force: dated in order, after the plan it replaced."""
    before = hazard.discovered_on
    for i, r in enumerate(hazard.plan_revisions):
        _order(
            out,
            ("plan_revisions", i, "on"),
            r.on,
            r.previous.on or before,
            N_("the plan revision"),
            N_("the plan it replaces"),
        )
        before = r.on
    plan = hazard.rectification_plan
    if hazard.plan_revisions and plan is not None:
        _order(
            out,
            ("rectification_plan", "on"),
            plan.on,
            hazard.plan_revisions[-1].on,
            N_("the plan in force"),
            N_("the last plan revision"),
        )


def _check_extensions(out: list[Finding], hazard: Hazard) -> None:
    """An extension postpones the deadline it replaces, while the hazard is still open."""
    for i, e in enumerate(hazard.extensions):
        _order(
            out,
            ("extensions", i, "on"),
            e.on,
            hazard.discovered_on,
            N_("the extension"),
            N_("discovery"),
        )
        if e.to <= e.from_:
            out.append(
                Finding(
                    ("extensions", i, "to"),
                    "extension-not-later",
                    N_(
                        "the extension moves the deadline from {old} to {new}, which is not "
                        "later: an extension (延期) gives more time; correct 'to'"
                    ),
                    {"old": e.from_, "new": e.to},
                )
            )
        if i and e.on < hazard.extensions[i - 1].on:
            _order(
                out,
                ("extensions", i, "on"),
                e.on,
                hazard.extensions[i - 1].on,
                N_("the extension"),
                N_("the extension before it"),
            )
        if hazard.closure is not None and not hazard.reopenings and e.on > hazard.closure.on:
            out.append(
                Finding(
                    ("extensions", i, "on"),
                    "extension-after-closure",
                    N_(
                        "the extension ({on}) is dated after the closure ({closed}): a closed "
                        "hazard has no deadline left to extend; correct the date"
                    ),
                    {"on": e.on, "closed": hazard.closure.on},
                )
            )


def _check_withdrawal(out: list[Finding], hazard: Hazard) -> None:
    w = hazard.withdrawal
    if w is None:
        return
    _order(
        out, ("withdrawal", "on"), w.on, hazard.discovered_on, N_("the withdrawal"), N_("discovery")
    )
    if hazard.level == "major" and w.by is None:
        out.append(
            Finding(
                ("withdrawal",),
                "withdrawal-by",
                N_(
                    "a major hazard is withdrawn (撤销) without saying by whom: add 'by' under "
                    "'withdrawal' (the person who decided it)"
                ),
                {},
                at_key=True,
            )
        )
    if hazard.closure is not None:
        out.append(
            Finding(
                ("withdrawal",),
                "withdrawal-closed",
                N_(
                    "the hazard is both closed (销号) and withdrawn (撤销): a withdrawal is for a "
                    "hazard registered by mistake; keep one of them"
                ),
                {},
                at_key=True,
            )
        )


_FUTURE = N_(
    "'{field}' is {date}, after today ({today}): what is recorded has happened; correct the date"
)


def dated_facts(hazard: Hazard) -> list[tuple[KeyPath, str, dt.date]]:
    """Every dated fact of the record: where it is, the field as a message names it, its day.

    Read once per file: the latest day is what the per-file cache keeps (a later day
    cannot make the record 'future'), and those after today are the problems."""
    out: list[tuple[KeyPath, str, dt.date]] = [
        (("discovered_on",), "discovered_on", hazard.discovered_on)
    ]

    def cycle(c: CycleOf) -> None:
        for key in ("rectification", "acceptance", "closure"):
            fact = getattr(c, key)
            if fact is not None:
                name = ".".join(str(p) for p in (*c.at, key, "on"))
                out.append(((*c.at, key, "on"), name, fact.on))

    cycles = hazard.cycles()
    cycle(cycles.pop())
    for i, c in enumerate(cycles):
        assert c.ended_by is not None  # every cycle but the current one ends in a reopening
        out.append((("reopenings", i, "on"), f"reopenings[{i}].on", c.ended_by.on))
        cycle(c)
    for i, sup in enumerate(hazard.supervision):
        out.append((("supervision", i, "listed_on"), f"supervision[{i}].listed_on", sup.listed_on))
        if sup.lifted_on is not None:
            out.append(
                (("supervision", i, "lifted_on"), f"supervision[{i}].lifted_on", sup.lifted_on)
            )
    report = hazard.double_report
    if report is not None:
        for key, day in (("regulator_on", report.regulator_on), ("workers_on", report.workers_on)):
            if day is not None:
                out.append((("double_report", key), f"double_report.{key}", day))
    for i, note in enumerate(hazard.notes):
        out.append((("notes", i, "on"), f"notes[{i}].on", note.on))
    for key in ("extensions", "plan_revisions", "corrections"):
        for i, fact in enumerate(getattr(hazard, key)):
            out.append(((key, i, "on"), f"{key}[{i}].on", fact.on))
    if hazard.withdrawal is not None:
        out.append((("withdrawal", "on"), "withdrawal.on", hazard.withdrawal.on))
    plan = hazard.rectification_plan
    if plan is not None and plan.on is not None:
        out.append((("rectification_plan", "on"), "rectification_plan.on", plan.on))
    return out


def future_facts(facts: list[tuple[KeyPath, str, dt.date]], today: dt.date) -> list[Finding]:
    """The dated facts after today, as findings."""
    return [
        Finding(path, "future-date", _FUTURE, {"field": name, "date": day, "today": today})
        for path, name, day in facts
        if day > today
    ]


def check_future_facts(hazard: Hazard, today: dt.date) -> list[Finding]:
    """Facts dated after today (a deadline may lie ahead; a rectification may not)."""
    return future_facts(dated_facts(hazard), today)
