"""``safeplan hazard new|rectify|accept|close|reopen|supervise|report|note|renumber``.

The closed loop of a hazard as edits to its file. Each command computes the edit in the
core (``safeplan.edit``), then prints its diff (``--dry-run``) or writes it, optionally
commits it, and ends with one line saying what changed.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from safeplan.cli.apps import hazard_app
from safeplan.cli.common import METAVARS, LangOpt, RootOpt, Session, parse_date, session
from safeplan.cli.editing import (
    CommitOpt,
    DryRunOpt,
    EvidenceOpt,
    on_date,
    optional_date,
    optional_fact_date,
    run,
)
from safeplan.errors import UsageError
from safeplan.problems import N_, render

if TYPE_CHECKING:
    from safeplan.edit import NewHazard

IdArg = Annotated[
    str,
    typer.Argument(metavar="ID", help="The hazard id, e.g. HZ-20240315-A7K2.", show_default=False),
]
OnOpt = Annotated[
    str | None,
    typer.Option(
        "--on", metavar="DATE", help="The date (YYYY-MM-DD). Default: today.", show_default=False
    ),
]
NoteOpt = Annotated[
    str | None, typer.Option("--note", metavar="TEXT", help="A note.", show_default=False)
]


def _opt(help_text: str, *names: str) -> Any:
    metavar = METAVARS.get(names[0]) if names else None
    return typer.Option(*names, help=help_text, show_default=False, metavar=metavar)


def interactive() -> bool:
    """Prompt for missing fields only on a terminal (tests replace this)."""
    return sys.stdin.isatty()


#: What ``hazard new`` asks for, by field: (option, prompt label).
_FIELDS: dict[str, tuple[str, str]] = {
    "title": ("--title", N_("Title (隐患名称)")),
    "level": ("--level", N_("Level: major (重大) or general (一般)")),
    "responsible_unit": ("--unit", N_("Responsible unit (责任单位), as the plan writes it")),
    "source": (
        "--source",
        N_(
            "Source: self-check (排查), inspection (检查), public-report (举报), higher-inspection (上级检查)"
        ),
    ),
    "discovered_on": ("--discovered", N_("Discovered on (YYYY-MM-DD)")),
    "measures": ("--measures", N_("Rectification measures (整改措施)")),
    "funds": ("--funds", N_("Funds (整改资金), e.g. 45万元")),
    "deadline": ("--deadline", N_("Rectification deadline (整改时限, YYYY-MM-DD)")),
    "plan_person": ("--plan-person", N_("Person responsible for the rectification (责任人)")),
    "contingency_plan": ("--contingency", N_("Contingency plan (应急预案)")),
}


def _ask(s: Session, new: NewHazard, name: str, unit_names: list[str]) -> None:
    from safeplan import edit

    label = s.tr(_FIELDS[name][1])
    while True:
        answer = typer.prompt(label).strip()
        try:
            value: Any = answer
            if name in ("discovered_on", "deadline"):
                value = parse_date(answer, _FIELDS[name][0])
            elif name == "level" and answer not in edit.LEVELS:
                raise UsageError(
                    N_("--level must be major (重大) or general (一般), not '{value}'"),
                    value=answer,
                )
            elif name == "source" and answer not in edit.SOURCES:
                raise UsageError(
                    N_("--source must be one of {choices}, not '{value}'"),
                    choices=", ".join(edit.SOURCES),
                    value=answer,
                )
            elif name == "responsible_unit":
                edit.check_unit(answer, unit_names)
            setattr(new, name, value)
            return
        except UsageError as exc:
            typer.echo(render(exc.template, exc.params, s.tr), err=True)


@hazard_app.command("new")
def hazard_new(
    title: Annotated[str | None, _opt("The hazard, in a line (隐患名称).", "--title")] = None,
    level: Annotated[str | None, _opt("major (重大) or general (一般).", "--level")] = None,
    unit: Annotated[
        str | None, _opt("The responsible unit (责任单位), as the plan writes it.", "--unit")
    ] = None,
    source: Annotated[
        str | None,
        _opt(
            "How it was found: self-check (排查), inspection (检查), public-report (举报), "
            "higher-inspection (上级检查).",
            "--source",
        ),
    ] = None,
    discovered: Annotated[
        str | None, _opt("Discovered on (YYYY-MM-DD). Default: today.", "--discovered")
    ] = None,
    description: Annotated[str | None, _opt("A longer description.", "--description")] = None,
    industry: Annotated[
        str | None, _opt("The industry (行业领域), e.g. 煤矿.", "--industry")
    ] = None,
    enterprise: Annotated[str | None, _opt("The enterprise's name.", "--enterprise")] = None,
    credit_code: Annotated[
        str | None, _opt("The enterprise's 统一社会信用代码 (18 characters).", "--credit-code")
    ] = None,
    enterprise_address: Annotated[
        str | None, _opt("The enterprise's address.", "--enterprise-address")
    ] = None,
    location: Annotated[str | None, _opt("Where the hazard is.", "--location")] = None,
    found_by: Annotated[str | None, _opt("Who found it.", "--found-by")] = None,
    person: Annotated[str | None, _opt("The responsible person at the unit.", "--person")] = None,
    measures: Annotated[
        str | None, _opt("五落实: the rectification measures (措施).", "--measures")
    ] = None,
    funds: Annotated[str | None, _opt("五落实: the funds (资金), e.g. 45万元.", "--funds")] = None,
    deadline: Annotated[
        str | None, _opt("五落实: the rectification deadline (时限, YYYY-MM-DD).", "--deadline")
    ] = None,
    plan_person: Annotated[
        str | None,
        _opt("五落实: the person responsible for the rectification (责任).", "--plan-person"),
    ] = None,
    contingency: Annotated[
        str | None, _opt("五落实: the contingency plan (预案).", "--contingency")
    ] = None,
    hazard_id: Annotated[
        str | None, _opt("Use this id instead of allocating one (e.g. when importing).", "--id")
    ] = None,
    note: Annotated[str | None, _opt("A first note, dated the discovery day.", "--note")] = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """Register a hazard: allocate its id and write data/hazards/<ID>.yaml.

    A major hazard needs its rectification plan (五落实): --measures, --funds, --deadline,
    --plan-person and --contingency. On a terminal, what is missing is asked for; otherwise
    a missing field is an error (exit 2).
    """
    with session(root, lang) as s:
        from safeplan import edit

        new = edit.NewHazard(
            title=title,
            level=level,
            responsible_unit=unit,
            source=source,
            discovered_on=on_date(s, discovered, "--discovered"),
            description=description,
            industry=industry,
            enterprise=enterprise,
            credit_code=credit_code,
            enterprise_address=enterprise_address,
            location=location,
            found_by=found_by,
            responsible_person=person,
            measures=measures,
            funds=funds,
            deadline=optional_date(deadline, "--deadline"),
            plan_person=plan_person,
            contingency_plan=contingency,
            id=hazard_id,
            notes=[note] if note else [],
        )
        missing = edit.missing_fields(new)
        if missing and interactive():
            unit_names = edit.unit_names(s.root)
            while missing:
                _ask(s, new, missing[0], unit_names)
                missing = edit.missing_fields(new)
        if missing:
            raise UsageError(
                N_("a new hazard needs {options}: give them as options"),
                options=", ".join(_FIELDS[m][0] for m in missing),
            )
        run(s, lambda: edit.new_hazard(s.root, new, write=False), dry_run, commit)


@hazard_app.command("rectify")
def hazard_rectify(
    hazard_id: IdArg,
    on: OnOpt = None,
    note: NoteOpt = None,
    evidence: EvidenceOpt = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """Record the rectification (整改) as done. After a failed acceptance, a new cycle starts."""
    with session(root, lang) as s:
        from safeplan import edit

        day = on_date(s, on)
        run(
            s,
            lambda: edit.rectify(s.root, hazard_id, day, note, evidence or [], write=False),
            dry_run,
            commit,
        )


@hazard_app.command("accept")
def hazard_accept(
    hazard_id: IdArg,
    by: Annotated[str, _opt("Who accepted it (验收人/单位).", "--by")],
    on: OnOpt = None,
    result: Annotated[
        str, typer.Option("--result", metavar="passed|failed", help="passed or failed.")
    ] = "passed",
    note: NoteOpt = None,
    evidence: EvidenceOpt = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """Record the acceptance (验收) of the rectification: passed, or failed."""
    with session(root, lang) as s:
        from safeplan import edit

        day = on_date(s, on)
        run(
            s,
            lambda: edit.accept(
                s.root, hazard_id, day, by, result, note, evidence or [], write=False
            ),
            dry_run,
            commit,
        )


@hazard_app.command("close")
def hazard_close(
    hazard_id: IdArg,
    by: Annotated[
        str, _opt("The reviewer who signs the closure off (审核把关).", "--by", "--reviewer")
    ],
    on: OnOpt = None,
    note: NoteOpt = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """Close the hazard (销号). Refused unless it is rectified and accepted and, for a major
    hazard, double-reported (双报告) — a rule plan.yaml can relax."""
    with session(root, lang) as s:
        from safeplan import edit

        day = on_date(s, on)
        run(s, lambda: edit.close(s.root, hazard_id, day, by, note, write=False), dry_run, commit)


@hazard_app.command("reopen")
def hazard_reopen(
    hazard_id: IdArg,
    reason: Annotated[str, _opt("Why it is reopened.", "--reason")],
    on: OnOpt = None,
    by: Annotated[str | None, _opt("Who reopened it.", "--by")] = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """Reopen a closed hazard (or one whose acceptance failed). Its rectification, acceptance
    and closure move into 'reopenings': history is never deleted."""
    with session(root, lang) as s:
        from safeplan import edit

        day = on_date(s, on)
        run(
            s, lambda: edit.reopen(s.root, hazard_id, day, reason, by, write=False), dry_run, commit
        )


@hazard_app.command("supervise")
def hazard_supervise(
    hazard_id: IdArg,
    level: Annotated[
        str | None,
        _opt("省级, 市级, 县级 or 镇级 (or province, city, county, town).", "--level"),
    ] = None,
    by: Annotated[str | None, _opt("The office that lists it, e.g. 县安委办.", "--by")] = None,
    on: OnOpt = None,
    lift: Annotated[
        bool, typer.Option("--lift", help="Lift the listing (摘牌) instead of listing it.")
    ] = False,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """List the hazard for supervision (挂牌督办): --level L --by ORG; or --lift it."""
    with session(root, lang) as s:
        from safeplan import edit

        day = on_date(s, on)
        if lift:
            if by is not None:
                raise UsageError(N_("--lift takes --on and, if needed, --level; not --by"))
            run(
                s,
                lambda: edit.lift_supervision(s.root, hazard_id, day, level, write=False),
                dry_run,
                commit,
            )
            return
        if level is None or by is None:
            raise UsageError(
                N_("listing for supervision needs --level and --by (or --lift to lift it)")
            )
        run(
            s,
            lambda: edit.supervise(s.root, hazard_id, level, by, day, write=False),
            dry_run,
            commit,
        )


@hazard_app.command("report")
def hazard_report(
    hazard_id: IdArg,
    regulator: Annotated[
        str | None, _opt("Reported to the regulator on (YYYY-MM-DD).", "--regulator")
    ] = None,
    workers: Annotated[
        str | None,
        _opt("Reported to the workers' congress (职工大会/职代会) on (YYYY-MM-DD).", "--workers"),
    ] = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """Record the double report (双报告) of a major hazard: to the regulator and to the
    workers' congress."""
    with session(root, lang) as s:
        from safeplan import edit

        reg = optional_fact_date(s, regulator, "--regulator")
        wrk = optional_fact_date(s, workers, "--workers")
        run(s, lambda: edit.report(s.root, hazard_id, reg, wrk, write=False), dry_run, commit)


@hazard_app.command("note")
def hazard_note(
    hazard_id: IdArg,
    text: Annotated[str, typer.Argument(help="The note.", show_default=False)],
    on: OnOpt = None,
    by: Annotated[str | None, _opt("Who wrote it.", "--by")] = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """Add a dated note to a hazard."""
    with session(root, lang) as s:
        from safeplan import edit

        day = on_date(s, on)
        run(s, lambda: edit.note(s.root, hazard_id, text, day, by, write=False), dry_run, commit)


@hazard_app.command("renumber")
def hazard_renumber(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The current id.", show_default=False)],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The new id.", show_default=False)],
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """Give a hazard a new id: renames its file, changes its id and the mentions of it
    (e.g. after two branches both added the same id)."""
    with session(root, lang) as s:
        from safeplan import edit

        run(s, lambda: edit.renumber(s.root, old, new, write=False), dry_run, commit)
