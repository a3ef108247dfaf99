"""``safeplan hazard new|rectify|accept|close|reopen|supervise|report|note|renumber``,
and the corrections ``extend|plan|edit|withdraw``.

The closed loop of a hazard as edits to its file. Each command computes the edit in the
core (``safeplan.edit``), then prints its diff (``--dry-run``) or writes it, optionally
commits it, and ends with one line saying what changed.
"""

from __future__ import annotations

import inspect
import sys
import typing
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from safeplan.cli.editing import on_date, optional_fact_date
from safeplan.cli.options import (
    EDIT,
    EVIDENCE,
    Call,
    NoteOpt,
    OnOpt,
    argument,
    command,
    flag,
    opt,
)
from safeplan.cli.session import Session
from safeplan.cli.typed import parse_date
from safeplan.edit.new_form import BY_ATTR, CORRECTIONS, NEW_FORM, PLAN_PARTS
from safeplan.errors import UsageError
from safeplan.problems import N_, ListOf

if TYPE_CHECKING:
    from safeplan.edit import NewHazard

IdArg = Annotated[
    str,
    argument(N_("The hazard id, e.g. HZ-20240315-A7K2."), "ID"),
]


def interactive() -> bool:
    """Prompt for missing fields only on a terminal (tests replace this)."""
    return sys.stdin.isatty()


def _ask(s: Session, new: NewHazard, name: str, unit_names: list[str]) -> None:
    from safeplan import edit, vocab
    from safeplan.render.text import render
    from safeplan.rules.hints import coded

    f = BY_ATTR[name]
    assert f.ask is not None  # every field a new hazard may need has its question
    label = s.tr(f.ask)
    while True:
        answer = typer.prompt(label, prompt_suffix="：" if s.tr.lang == "zh" else ": ").strip()
        try:
            value: Any = answer
            if f.kind in ("date", "fact_date"):
                value = parse_date(answer, f.option)
            elif name == "level":
                coded(vocab.LEVEL, answer, f.option)
            elif name == "source":
                coded(vocab.SOURCE, answer, f.option)
            elif name == "responsible_unit":
                edit.check_unit(answer, unit_names)
            setattr(new, name, value)
            return
        except UsageError as exc:
            typer.echo(render(exc.template, exc.params, s.tr), err=True)


def _with_options(
    after: str, options: Iterable[tuple[str, str, str, str]]
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command the options of a form of the core (name, help, option, metavar), after
    its parameter ``after``: the signature ``command`` reads. The command takes them as
    ``**typed``."""

    def decorate(fn: Callable[..., None]) -> Callable[..., None]:
        hints = typing.get_type_hints(fn, include_extras=True)
        own = [p for p in inspect.signature(fn).parameters.values() if p.kind != p.VAR_KEYWORD]
        at = [p.name for p in own].index(after) + 1
        keyword = inspect.Parameter.KEYWORD_ONLY
        added = [
            inspect.Parameter(
                name, keyword, annotation=Annotated[str | None, opt(*text)], default=None
            )
            for name, *text in options
        ]
        params = [
            *(p.replace(annotation=hints[p.name]) for p in own[:at]),
            *added,
            *(p.replace(kind=keyword, annotation=hints[p.name]) for p in own[at:]),
        ]
        fn.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        fn.__annotations__ = {p.name: p.annotation for p in params}
        return fn

    return decorate


@command(EDIT)
@_with_options("c", ((f.attr, f.help, f.option, f.metavar) for f in NEW_FORM))
def hazard_new(c: Call, **typed: str | None) -> None:
    from safeplan import edit
    from safeplan.edit.register import filled_in

    new = filled_in(typed, c.today())
    _complete(c, new)
    c.edit(lambda: edit.new_hazard(c.root, new, write=False, today=c.today()))


def _complete(c: Call, new: NewHazard) -> None:
    """Ask for the fields a new hazard needs on a terminal; elsewhere, name the options.

    A major hazard registered past its 五落实 days needs the plan now: on a terminal it is
    asked for with a word that it is late; elsewhere the options are named."""
    from safeplan import edit
    from safeplan.edit.context import context

    today = c.today()
    days = context(c.root).plan.rules.plan_within_days
    missing = edit.missing_fields(new, today, days)
    if missing and interactive():
        unit_names = edit.unit_names(c.root)
        warned = False
        while missing:
            if not warned and missing[0] in edit.PLAN_FIELDS and edit.plan_late(new, today, days):
                c.echo(_late(c, new, days, N_(
                    "this major hazard was found on {found}: its rectification plan (五落实) "
                    "was due by {due} ({days} days after), so it is late: enter it now"
                )), err=True)  # fmt: skip
                warned = True
            _ask(c.session, new, missing[0], unit_names)
            missing = edit.missing_fields(new, today, days)
    if missing and edit.plan_late(new, today, days) and missing[0] in edit.PLAN_FIELDS:
        raise UsageError(
            N_(
                "a major hazard found on {found} is registered after its rectification plan "
                "(五落实) was due ({due}, {days} days after), so it is late and cannot follow: "
                "give {options} now; nothing was written"
            ),
            **_late_params(new, days),
            options=ListOf(BY_ATTR[m].option for m in missing),
        )
    if missing:
        raise UsageError(
            N_("a new hazard needs {options}: give them as options"),
            options=ListOf(BY_ATTR[m].option for m in missing),
        )


def _late_params(new: NewHazard, days: int) -> dict[str, Any]:
    from safeplan import edit

    return {"found": new.discovered_on, "due": edit.plan_due(new, days), "days": days}


def _late(c: Call, new: NewHazard, days: int, template: str) -> str:
    from safeplan.render.text import render

    return render(template, _late_params(new, days), c.tr)


@command(EDIT, EVIDENCE)
def hazard_rectify(c: Call, hazard_id: IdArg, on: OnOpt = None, note: NoteOpt = None) -> None:
    from safeplan import edit

    hazard_id = c.hazard_id(hazard_id)
    day = on_date(c.session, on)
    c.edit(lambda: edit.rectify(c.root, hazard_id, day, note, c.evidence, write=False))


ResultOpt = Annotated[
    str, typer.Option("--result", metavar="passed|failed", help=N_("passed or failed."))
]


@command(EDIT, EVIDENCE)
def hazard_accept(
    c: Call,
    hazard_id: IdArg,
    by: Annotated[str, opt(N_("Who accepted it (验收人/单位)."), "--by", "NAME")],
    on: OnOpt = None,
    result: ResultOpt = "passed",
    note: NoteOpt = None,
) -> None:
    from safeplan import edit

    hazard_id = c.hazard_id(hazard_id)
    day = on_date(c.session, on)
    c.edit(lambda: edit.accept(c.root, hazard_id, day, by, result, note, c.evidence, write=False))


@command(EDIT)
def hazard_close(
    c: Call,
    hazard_id: IdArg,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            "--reviewer",
            metavar="NAME",
            help=N_("The reviewer who signs the closure off (审核把关)."),
            show_default=False,
        ),
    ],
    on: OnOpt = None,
    note: NoteOpt = None,
) -> None:
    from safeplan import edit

    hazard_id = c.hazard_id(hazard_id)
    day = on_date(c.session, on)
    c.edit(lambda: edit.close(c.root, hazard_id, day, by, note, write=False))


@command(EDIT)
def hazard_reopen(
    c: Call,
    hazard_id: IdArg,
    reason: Annotated[str, opt(N_("Why it is reopened."), "--reason")],
    on: OnOpt = None,
    by: Annotated[str | None, opt(N_("Who reopened it."), "--by", "NAME")] = None,
) -> None:
    from safeplan import edit

    hazard_id = c.hazard_id(hazard_id)
    day = on_date(c.session, on)
    c.edit(lambda: edit.reopen(c.root, hazard_id, day, reason, by, write=False))


@command(EDIT)
def hazard_supervise(
    c: Call,
    hazard_id: IdArg,
    level: Annotated[
        str | None,
        opt(N_("省级, 市级, 县级 or 镇级 (or province, city, county, town)."), "--level", "LEVEL"),
    ] = None,
    by: Annotated[
        str | None, opt(N_("The office that lists it, e.g. 县安委办."), "--by", "ORG")
    ] = None,
    on: OnOpt = None,
    lift: Annotated[
        bool, flag(N_("Lift the listing (摘牌) instead of listing it."), "--lift")
    ] = False,
) -> None:
    from safeplan import edit

    hazard_id = c.hazard_id(hazard_id)
    day = on_date(c.session, on)
    if lift:
        if by is not None:
            raise UsageError(N_("--lift takes --on and, if needed, --level; not --by"))
        c.edit(lambda: edit.lift_supervision(c.root, hazard_id, day, level, write=False))
        return
    if level is None or by is None:
        raise UsageError(
            N_("listing for supervision needs --level and --by (or --lift to lift it)")
        )
    c.edit(lambda: edit.supervise(c.root, hazard_id, level, by, day, write=False))


@command(EDIT)
def hazard_report(
    c: Call,
    hazard_id: IdArg,
    regulator: Annotated[
        str | None,
        opt(N_("Reported to the regulator on (YYYY-MM-DD)."), "--regulator", "DATE"),
    ] = None,
    workers: Annotated[
        str | None,
        opt(
            N_("Reported to the workers' congress (职工大会/职代会) on (YYYY-MM-DD)."),
            "--workers",
            "DATE",
        ),
    ] = None,
) -> None:
    from safeplan import edit

    hazard_id = c.hazard_id(hazard_id)
    reg = optional_fact_date(c.session, regulator, "--regulator")
    wrk = optional_fact_date(c.session, workers, "--workers")
    c.edit(lambda: edit.report(c.root, hazard_id, reg, wrk, write=False))


@command(EDIT)
def hazard_note(
    c: Call,
    hazard_id: IdArg,
    text: Annotated[str, typer.Argument(help=N_("The note."), show_default=False)],
    on: OnOpt = None,
    by: Annotated[str | None, opt(N_("Who wrote it."), "--by", "NAME")] = None,
) -> None:
    from safeplan import edit

    hazard_id = c.hazard_id(hazard_id)
    day = on_date(c.session, on)
    c.edit(lambda: edit.note(c.root, hazard_id, text, day, by, write=False))


@command(EDIT)
def hazard_renumber(
    c: Call,
    old: Annotated[str, argument(N_("The current id."), "OLD")],
    new: Annotated[str, argument(N_("The new id."), "NEW")],
) -> None:
    from safeplan import edit

    old = c.hazard_id(old)
    c.edit(lambda: edit.renumber(c.root, old, new, write=False))


ToOpt = Annotated[
    str,
    typer.Option("--to", metavar="DATE", help=N_("The new deadline."), show_default=False),
]


@command(EDIT)
def hazard_extend(
    c: Call,
    hazard_id: IdArg,
    to: ToOpt,
    reason: Annotated[str, opt(N_("Why more time is needed."), "--reason")],
    approved_by: Annotated[
        str, opt(N_("Who approved the extension (批准人/单位)."), "--approved-by", "NAME")
    ],
    on: OnOpt = None,
) -> None:
    from safeplan import edit

    hazard_id = c.hazard_id(hazard_id)
    day = on_date(c.session, on)
    new_deadline = parse_date(to, "--to")
    c.edit(
        lambda: edit.extend(c.root, hazard_id, new_deadline, reason, approved_by, day, write=False)
    )


@command(EDIT)
@_with_options("hazard_id", ((p.attr, p.help, p.field.option, p.field.metavar) for p in PLAN_PARTS))
def hazard_plan(
    c: Call,
    hazard_id: IdArg,
    on: OnOpt = None,
    by: Annotated[str | None, opt(N_("Who set or revised the plan."), "--by", "NAME")] = None,
    reason: Annotated[str | None, opt(N_("Why the plan is revised."), "--reason")] = None,
    **typed: str | None,
) -> None:
    from safeplan import edit
    from safeplan.edit.new_form import plan_given

    hazard_id = c.hazard_id(hazard_id)
    day = on_date(c.session, on)
    given = plan_given(typed)
    c.edit(lambda: edit.plan(c.root, hazard_id, given, day, by, reason, write=False))


@command(EDIT)
@_with_options(
    "hazard_id", ((k.field.attr, k.help, k.field.option, k.field.metavar) for k in CORRECTIONS)
)
def hazard_edit(
    c: Call,
    hazard_id: IdArg,
    reason: Annotated[
        str | None,
        opt(N_("Why (required for a change of level: a changed 判定依据, usually)."), "--reason"),
    ] = None,
    on: OnOpt = None,
    by: Annotated[str | None, opt(N_("Who made the correction."), "--by", "NAME")] = None,
    **typed: str | None,
) -> None:
    from safeplan import edit
    from safeplan.edit.corrections import registration_values

    hazard_id = c.hazard_id(hazard_id)
    day = on_date(c.session, on)
    values = registration_values({k.key: typed[k.field.attr] for k in CORRECTIONS})
    c.edit(
        lambda: edit.edit_registration(
            c.root, hazard_id, values, day, by, write=False, reason=reason
        )
    )


@command(EDIT)
def hazard_withdraw(
    c: Call,
    hazard_id: IdArg,
    reason: Annotated[
        str, opt(N_("Why it was registered by mistake (a duplicate, a false report)."), "--reason")
    ],
    by: Annotated[
        str | None, opt(N_("Who decided it (required for a major hazard)."), "--by", "NAME")
    ] = None,
    on: OnOpt = None,
) -> None:
    from safeplan import edit

    hazard_id = c.hazard_id(hazard_id)
    day = on_date(c.session, on)
    c.edit(lambda: edit.withdraw(c.root, hazard_id, day, reason, by, write=False))
