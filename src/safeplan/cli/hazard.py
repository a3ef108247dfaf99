"""``safeplan hazard list|show``."""

from __future__ import annotations

from typing import Annotated

import typer

from safeplan.cli.options import READ, Call, command, flag, option
from safeplan.problems import N_

StateOpt = Annotated[
    str | None,
    option(
        N_("open, failed, rectified, accepted, closed or withdrawn (also 待整改, 已销号 …)."),
        "--state",
        metavar="STATE",
    ),
]
OverdueOpt = Annotated[bool, flag(N_("Only hazards open past their deadline."), "--overdue")]
LevelOpt = Annotated[str | None, option(N_("major or general."), "--level", metavar="LEVEL")]
UnitOpt = Annotated[str | None, option(N_("The responsible unit."), "--unit", metavar="UNIT")]
SearchOpt = Annotated[
    str | None,
    option(
        N_(
            "Words to find in the title, enterprise, location, description or notes "
            "(every word must be found), e.g. 深基坑 or 百佳 消防."
        ),
        "--search",
        metavar="TEXT",
    ),
]
EnterpriseOpt = Annotated[
    str | None,
    option(N_("The enterprise, or part of its name."), "--enterprise", metavar="NAME"),
]
SourceOpt = Annotated[
    str | None,
    option(
        N_(
            "How it was found: self-check, inspection, public-report, higher-inspection (also 自查, 举报 …)."
        ),
        "--source",
        metavar="SOURCE",
    ),
]
IndustryOpt = Annotated[
    str | None,
    option(N_("The industry (行业领域), or part of it."), "--industry", metavar="TEXT"),
]
IdArg = Annotated[str, typer.Argument(metavar="ID", help=N_("The hazard's id (its file name)."))]


@command(READ)
def hazard_list(
    c: Call,
    state: StateOpt = None,
    overdue: OverdueOpt = False,
    level: LevelOpt = None,
    unit: UnitOpt = None,
    search: SearchOpt = None,
    enterprise: EnterpriseOpt = None,
    source: SourceOpt = None,
    industry: IndustryOpt = None,
) -> int:
    from safeplan import vocab
    from safeplan.rules.hints import coded
    from safeplan.views.hazards import hazard_list as view_of

    if state is not None and vocab.TASK_STATE.lookup(state) == "overdue":
        from safeplan.errors import UsageError

        raise UsageError(
            N_(
                "--state: '{value}' is not a state of the closed loop: for overdue hazards use --overdue"
            ),
            value=state,
        )
    state_code = coded(vocab.HAZARD_STATE, state, "--state") if state is not None else None
    level_code = coded(vocab.LEVEL, level, "--level") if level is not None else None
    source_code = coded(vocab.SOURCE, source, "--source") if source is not None else None
    repo = c.repo()
    view = view_of(
        repo,
        c.as_of,
        state_code,
        overdue,
        level_code,
        unit,
        search,
        enterprise,
        source_code,
        industry,
    )
    if c.json:
        from safeplan.cli.output import stream_json

        stream_json(view, "hazards", view.rows())
    elif view.count:
        from safeplan.render.screens.hazards import hazard_listing

        c.print(hazard_listing(view, c.tr))
    else:
        c.echo(c.tr(N_("no hazards match")))
    return c.finish(repo)


@command(READ)
def hazard_show(c: Call, hazard_id: IdArg) -> int:
    from safeplan.errors import DataError
    from safeplan.repo import check_hazard_id, hazard_ids, hazard_path
    from safeplan.repo.hazardfile import load_hazard
    from safeplan.repo.layout import not_a_file
    from safeplan.rules.hints import FIX_FIRST, unknown
    from safeplan.views.hazards import hazard_detail

    day = c.as_of
    hazard_id = c.hazard_id(hazard_id)
    check_hazard_id(hazard_id)
    path = hazard_path(c.root, hazard_id)
    rel = path.relative_to(c.root).as_posix()
    odd = not_a_file(path, rel)
    if odd is not None:
        raise odd
    if not path.is_file():
        raise unknown("hazard", hazard_id, hazard_ids(c.root))
    hazard, problems = load_hazard(c.root, rel)
    if hazard is None:
        raise DataError(FIX_FIRST, problems, path=rel)
    from safeplan.repo.snapshot import local_criteria
    from safeplan.rules.hazards import BROKEN_LOOP

    broken = any(p.code in BROKEN_LOOP for p in problems)
    view = hazard_detail(hazard, rel, day, broken, local_criteria(c.root))
    if c.json:
        c.emit(view)
    else:
        from safeplan.render.screens.hazard_detail import hazard_detail as screen

        c.print(screen(view, c.tr))
    return 0
