"""A form for every hazard and task verb of the command line, as data: its fields and the
edit it calls.

Each form's fields are the command's options (a refusal that names ``--by`` is shown
beside the field ``by``), and each builds the same call to ``safeplan.edit`` as the
command does (``cli/hazard_edit.py``, ``cli/task_edit.py``), with ``write=False``: the
page previews the result, and writing goes through the same transaction, lock and journal.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from safeplan.problems import N_

if TYPE_CHECKING:  # the edits are imported when a form is sent, not when a page is shown
    from safeplan.edit import NewHazard
    from safeplan.edit.transaction import EditResult

from safeplan.edit.new_form import BY_ATTR, CORRECTIONS, NEW_FORM, PLAN_PARTS, REGISTRATION_OPTIONS
from safeplan.web.forms_base import BY, FILES, NOTE, ON, Field, Request, Verb, _verbs


def _rectify(r: Request) -> EditResult:
    from safeplan import edit

    day = r.fact_day()
    return edit.rectify(r.root, r.subject, day, r.get("note"), r.evidence, write=False)


def _accept(r: Request) -> EditResult:
    from safeplan import edit

    day = r.fact_day()
    by = r.need("by", "--by")
    result = r.get("result") or "passed"
    return edit.accept(r.root, r.subject, day, by, result, r.get("note"), r.evidence, write=False)


def _close(r: Request) -> EditResult:
    from safeplan import edit

    day = r.fact_day()
    return edit.close(r.root, r.subject, day, r.need("by", "--by"), r.get("note"), write=False)


def _reopen(r: Request) -> EditResult:
    from safeplan import edit

    day = r.fact_day()
    reason = r.need("reason", "--reason")
    return edit.reopen(r.root, r.subject, day, reason, r.get("by"), write=False)


def _supervise(r: Request) -> EditResult:
    from safeplan import edit

    day = r.fact_day()
    level, by = r.need("level", "--level"), r.need("by", "--by")
    return edit.supervise(r.root, r.subject, level, by, day, write=False)


def _lift(r: Request) -> EditResult:
    from safeplan import edit

    day = r.fact_day()
    return edit.lift_supervision(r.root, r.subject, day, r.get("level"), write=False)


def _report(r: Request) -> EditResult:
    from safeplan import edit
    from safeplan.edit.typed import not_future, parse_date

    def day(name: str, option: str) -> dt.date | None:
        value = r.get(name)
        return None if value is None else not_future(parse_date(value, option), option, r.today)

    reg, wrk = day("regulator", "--regulator"), day("workers", "--workers")
    return edit.report(r.root, r.subject, reg, wrk, write=False)


def _note(r: Request) -> EditResult:
    from safeplan import edit

    day = r.fact_day()
    return edit.note(r.root, r.subject, r.need("text", "TEXT"), day, r.get("by"), write=False)


def _extend(r: Request) -> EditResult:
    from safeplan import edit
    from safeplan.edit.typed import parse_date

    day = r.fact_day()
    to = parse_date(r.need("to", "--to"), "--to")
    reason, approved = r.need("reason", "--reason"), r.need("approved_by", "--approved-by")
    return edit.extend(r.root, r.subject, to, reason, approved, day, write=False)


def _plan(r: Request) -> EditResult:
    from safeplan import edit
    from safeplan.edit.new_form import plan_given

    day = r.fact_day()
    given = plan_given({p.attr: r.get(_field_name(p.field.option)) for p in PLAN_PARTS})
    return edit.plan(r.root, r.subject, given, day, r.get("by"), r.get("reason"), write=False)


def _correct(r: Request) -> EditResult:
    from safeplan import edit
    from safeplan.edit.corrections import registration_values

    day = r.fact_day()
    typed = {key: r.get(_field_name(option)) for key, option in REGISTRATION_OPTIONS.items()}
    values = registration_values(typed)
    return edit.edit_registration(
        r.root, r.subject, values, day, r.get("by"), write=False, reason=r.get("reason")
    )


def _withdraw(r: Request) -> EditResult:
    from safeplan import edit

    day = r.fact_day()
    return edit.withdraw(
        r.root, r.subject, day, r.need("reason", "--reason"), r.get("by"), write=False
    )


def _field_name(option: str) -> str:
    """The form field of an option: ``--found-by`` → ``found_by``."""
    return option.lstrip("-").replace("-", "_")


def _registration_fields() -> tuple[Field, ...]:
    """The facts ``hazard edit`` corrects, in the order a correction names them."""

    of = {k.key: k for k in CORRECTIONS}
    return tuple(
        Field(_field_name(option), option, of[key].label, of[key].kind, vocab=of[key].vocab)
        for key, option in REGISTRATION_OPTIONS.items()
    )


HAZARD_VERBS = _verbs(
    "hazard",
    Verb(
        "plan",
        N_("五落实 (rectification plan)"),
        (
            *(
                Field(_field_name(p.field.option), p.field.option, p.label, p.field.kind)
                for p in PLAN_PARTS
            ),
            ON,
            BY,
            Field("reason", "--reason", N_("Why it is revised")),
        ),
        _plan,
    ),
    Verb(
        "report",
        N_("双报告 (double report)"),
        (
            Field("regulator", "--regulator", N_("Reported to the regulator on"), "date"),
            Field("workers", "--workers", N_("Reported to the workers' congress on"), "date"),
        ),
        _report,
    ),
    Verb(
        "supervise",
        N_("挂牌督办 (listed supervision)"),
        (
            Field("level", "--level", N_("Level"), "choice", True, "supervision level"),
            Field("by", "--by", N_("Listed by (office)"), required=True),
            ON,
        ),
        _supervise,
    ),
    Verb(
        "lift",
        N_("摘牌 (supervision lifted)"),
        (Field("level", "--level", N_("Level"), "choice", False, "supervision level"), ON),
        _lift,
        command="hazard supervise --lift",
    ),
    Verb(
        "rectify",
        N_("整改 (rectification done)"),
        (ON, NOTE, FILES),
        _rectify,
    ),
    Verb(
        "accept",
        N_("验收 (acceptance)"),
        (
            Field("by", "--by", N_("Accepted by (验收人/单位)"), required=True),
            Field("result", "--result", N_("Result"), "choice", True, "acceptance result"),
            ON,
            NOTE,
            FILES,
        ),
        _accept,
    ),
    Verb(
        "close",
        N_("销号 (closure)"),
        (Field("by", "--by", N_("Reviewer (审核把关)"), required=True), ON, NOTE),
        _close,
    ),
    Verb(
        "extend",
        N_("延期 (extension)"),
        (
            Field("to", "--to", N_("New deadline"), "date", True),
            Field("reason", "--reason", N_("Why more time is needed"), "area", True),
            Field("approved_by", "--approved-by", N_("Approved by"), required=True),
            ON,
        ),
        _extend,
    ),
    Verb(
        "withdraw",
        N_("撤销登记 (withdrawal)"),
        (
            Field("reason", "--reason", N_("Why it was registered by mistake"), "area", True),
            BY,
            ON,
        ),
        _withdraw,
    ),
    Verb(
        "edit",
        N_("更正 (correction)"),
        (*_registration_fields(), Field("reason", "--reason", N_("Why")), ON, BY),
        _correct,
    ),
    Verb(
        "note",
        N_("备注 (note)"),
        (Field("text", "TEXT", N_("Note (备注)"), "area", True), ON, BY),
        _note,
    ),
    Verb(
        "reopen",
        N_("撤销销号 (reopen)"),
        (Field("reason", "--reason", N_("Why it is reopened"), "area", True), ON, BY),
        _reopen,
    ),
)


# --------------------------------------------------------------------------- registering

#: The page's fields: those of the form ``hazard new`` offers on a page, named as its options.
NEW_FIELDS: tuple[Field, ...] = tuple(
    Field(
        _field_name(f.option),
        f.option,
        f.label,
        f.kind,
        f.need == "always" and f.kind != "fact_date",
        f.vocab,
    )
    for f in NEW_FORM
    if f.label is not None
)


def _filled_in(r: Request) -> NewHazard:
    """The new hazard the sent form gives: the same reading as the command's."""
    from safeplan.edit.register import filled_in

    return filled_in({f.attr: r.get(_field_name(f.option)) for f in NEW_FORM}, r.today)


def missing_new(r: Request) -> list[str]:
    """The form fields a new hazard still needs (``edit.missing_fields``), by field name."""
    from safeplan import edit
    from safeplan.edit.context import context

    new = _filled_in(r)
    days = context(r.root).plan.rules.plan_within_days
    return [_field_name(BY_ATTR[m].option) for m in edit.missing_fields(new, r.today, days)]


def register(r: Request) -> EditResult:
    from safeplan import edit

    return edit.new_hazard(r.root, _filled_in(r), write=False, today=r.today)


NEW_HAZARD = Verb("new", N_("登记 (register a hazard)"), NEW_FIELDS, register, "hazard new")


# --------------------------------------------------------------------------- tasks


def _progress(r: Request) -> EditResult:
    from safeplan import edit

    day = r.fact_day()
    text = r.need("text", "TEXT")
    return edit.task_progress(
        r.root, int(r.subject), text, day, r.get("by"), r.evidence, write=False
    )


def _done(r: Request) -> EditResult:
    from safeplan import edit

    day = r.fact_day()
    return edit.task_done(r.root, int(r.subject), day, r.get("note"), r.evidence, write=False)


TASK_VERBS = _verbs(
    "task",
    Verb(
        "progress",
        N_("进展 (progress)"),
        (Field("text", "TEXT", N_("What was done"), "area", True), ON, BY, FILES),
        _progress,
    ),
    Verb(
        "done",
        N_("完成 (done)"),
        (ON, NOTE, FILES),
        _done,
    ),
)
