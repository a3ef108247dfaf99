"""``safeplan validate``: check every file; the command CI runs on pull requests."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from safeplan.cli.options import AS_OF, Call, command, flag
from safeplan.errors import UsageError
from safeplan.problems import N_, ListOf

if TYPE_CHECKING:
    from collections.abc import Sequence

    from safeplan.problems import Problem
    from safeplan.repo import Repository
    from safeplan.repo.warm import Warm

FORMATS = ("text", "json", "github", "gitlab", "junit")

FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="text|json|github|gitlab|junit",
        help=N_(
            "text, json, github (workflow annotations; chosen when GITHUB_ACTIONS=true), "
            "gitlab (a Code Quality report) or junit (JUnit XML)."
        ),
        show_default=False,
    ),
]


BaseOpt = Annotated[
    str | None,
    typer.Option(
        "--base",
        metavar="REF",
        help=N_(
            "The git revision to compare with (in a pull request: its target branch): a "
            "hazard deleted or a fact removed since then is an error. Default: HEAD."
        ),
        show_default=False,
    ),
]
StrictOpt = Annotated[
    bool,
    flag(N_("Count warnings as errors (exit 1 on a warning too)."), "--strict"),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        metavar="FILE",
        help=N_(
            "Write the report to FILE (for a CI job to keep as an artifact); the plain list "
            "still goes to the terminal."
        ),
        show_default=False,
        dir_okay=False,
    ),
]
ForceOpt = Annotated[
    bool,
    flag(
        N_(
            "Replace the --output file even when it is not a report safeplan wrote "
            "(without it, such a file is kept and nothing is written)."
        ),
        "--force",
    ),
]
ChangedOpt = Annotated[
    str | None,
    typer.Option(
        "--changed-since",
        metavar="REF",
        help=N_(
            "List the problems of the files changed since the git revision REF first "
            "(every file is still checked, and every reference across files)."
        ),
        show_default=False,
    ),
]


@command(AS_OF)
def validate(
    c: Call,
    fmt: FormatOpt = None,
    base: BaseOpt = None,
    strict: StrictOpt = False,
    output: OutputOpt = None,
    changed_since: ChangedOpt = None,
    force: ForceOpt = False,
) -> int:
    from safeplan.cli.process import settle_loaded
    from safeplan.problems import Problem
    from safeplan.render.text import render as render_message
    from safeplan.repo.gitbase import Unavailable, compare
    from safeplan.repo.warm import warm_plan

    if fmt is not None and fmt not in FORMATS:
        raise UsageError(
            N_("--format: '{value}' is not one of {choices}"),
            value=fmt,
            choices=ListOf(FORMATS, quoted=True),
        )
    if output is not None and not output.parent.is_dir():
        raise UsageError(
            N_("--output {path}: the folder {folder} does not exist: create it first"),
            path=str(output),
            folder=str(output.parent),
        )
    if output is not None:
        from safeplan import fsio_output
        from safeplan.render.problems import is_validation_report

        fsio_output.check_output(
            output, str(output), is_validation_report, force
        )  # before the work

    # An unchanged plan's problems as the last full read gave them (``repo/warm.py``); the
    # plan is read only when it changed, or when git names a file that differs from the base.
    repo: Repository | Warm | None = warm_plan(c.root, c.as_of) if c.cache else None
    found = compare(c.root, base)
    unavailable = found if isinstance(found, Unavailable) else None
    since_base: list[Problem] = []
    if repo is None or (not isinstance(found, Unavailable) and found.files):
        from safeplan.repo.snapshot import load

        with c.progress(machine_output=fmt not in (None, "text")) as progress:
            whole = load(c.root, today=c.as_of, cache=c.cache, progress=progress)
        settle_loaded()
        repo = whole
        if not isinstance(found, Unavailable) and found.files:
            from safeplan.repo.history import since_base as problems_since

            since_base = problems_since(whole, found)
    from safeplan.render.templates import check_templates

    in_templates, _ = check_templates(c.root / "templates")
    problems = sorted([*repo.problems, *since_base, *in_templates], key=Problem.sort_key)
    if strict:
        problems = [_as_error(p) for p in problems]
    if unavailable is not None:
        c.echo(
            "safeplan: " + render_message(unavailable.template, unavailable.params, c.tr), err=True
        )
    if changed_since is not None:
        problems = _changed_first(c, problems, changed_since)
    on_github = c.session.environ.get("GITHUB_ACTIONS") == "true"
    terminal = "github" if on_github else "text"
    chosen = fmt or terminal
    if output is None:
        typer.echo(_report(chosen, problems, repo, c), nl=False)
    else:
        from safeplan import fsio_output
        from safeplan.render.problems import is_validation_report

        data = _report(chosen, problems, repo, c).encode("utf-8")
        fsio_output.write_output(output, data, str(output), is_validation_report, force)
        typer.echo(_report(terminal, problems, repo, c), nl=False)
    if on_github and c.session.environ.get("GITHUB_STEP_SUMMARY"):
        _step_summary(Path(c.session.environ["GITHUB_STEP_SUMMARY"]), problems, repo, c)
    return 1 if any(p.severity == "error" for p in problems) else 0


def _as_error(p: Problem) -> Problem:
    from safeplan.problems import Problem

    if p.severity == "error":
        return p
    return Problem(p.path, p.line, p.column, p.code, p.template, p.params, "error")


def _changed_first(c: Call, problems: Sequence[Problem], ref: str) -> list[Problem]:
    """The problems of files changed since ``ref`` first, each part in the order of places."""
    from safeplan.problems import NP_
    from safeplan.render.text import param
    from safeplan.repo.gitbase import changed_since

    changed = changed_since(c.root, ref)
    first = [p for p in problems if p.path in changed]
    if first:
        note = NP_(
            "{n} problem is in a file changed since {ref}: it comes first.",
            "{n} problems are in files changed since {ref}: they come first.",
            len(first),
            ref=ref,
        )
        c.echo("safeplan: " + param(note, c.tr), err=True)
    return first + [p for p in problems if p.path not in changed]


def _checked(repo: Repository | Warm) -> list[str]:
    """The files validate read, by their paths from the plan root (a JUnit test case each)."""
    from safeplan.repo import PLAN_FILE, TASKS_FILE, UNITS_FILE
    from safeplan.repo.listing import hazard_entries

    plan_files = [f.as_posix() for f in (PLAN_FILE, UNITS_FILE, TASKS_FILE)]
    entries, _ = hazard_entries(repo.root)
    return [rel for rel in plan_files if (repo.root / rel).is_file()] + [rel for _, rel in entries]


def _report(chosen: str, problems: Sequence[Problem], repo: Repository | Warm, c: Call) -> str:
    from safeplan.render import problems as formats

    if chosen == "junit":
        return formats.format_junit(problems, _checked(repo), c.tr, _prefix(repo))
    if chosen == "gitlab":
        return formats.format_gitlab(problems, repo.files_checked, c.tr, _prefix(repo))
    if chosen == "github":
        return formats.format_github(problems, repo.files_checked, c.tr, _prefix(repo))
    render = formats.format_json if chosen == "json" else formats.format_text
    return render(problems, repo.files_checked, c.tr)


def _prefix(repo: Repository | Warm) -> str:
    from safeplan.repo.gitbase import prefix

    return prefix(repo.root)


def _step_summary(
    path: Path, problems: Sequence[Problem], repo: Repository | Warm, c: Call
) -> None:
    """Append the short table to the step summary, within what GitHub allows for a step."""
    from safeplan.render.problems import STEP_SUMMARY_LIMIT, format_step_summary

    try:
        used = path.stat().st_size
    except FileNotFoundError:
        used = 0
    room = STEP_SUMMARY_LIMIT - used
    if room <= 0:
        return
    text = format_step_summary(problems, repo.files_checked, c.tr, room)
    with path.open("a", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
