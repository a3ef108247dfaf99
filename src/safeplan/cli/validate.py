"""``safeplan validate``: check every file; the command CI runs on pull requests."""

from __future__ import annotations

from typing import Annotated

import typer

from safeplan.cli.options import AS_OF, Call, command
from safeplan.errors import UsageError
from safeplan.problems import N_, ListOf

FORMATS = ("text", "json", "github")

FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="text|json|github",
        help=N_("text, json, or github (workflow annotations; chosen when GITHUB_ACTIONS=true)."),
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


@command(AS_OF)
def validate(c: Call, fmt: FormatOpt = None, base: BaseOpt = None) -> int:
    from safeplan.problems import Problem
    from safeplan.render import problems as formats
    from safeplan.render.text import render as render_message
    from safeplan.repo import load
    from safeplan.repo.history import against_base

    if fmt is not None and fmt not in FORMATS:
        raise UsageError(
            N_("--format: '{value}' is not one of {choices}"),
            value=fmt,
            choices=ListOf(FORMATS, quoted=True),
        )
    repo = load(c.root, today=c.as_of)
    since_base, unavailable = against_base(repo, base)
    problems = sorted([*repo.problems, *since_base], key=Problem.sort_key)
    if unavailable is not None:
        c.echo(
            "safeplan: " + render_message(unavailable.template, unavailable.params, c.tr), err=True
        )
    chosen = fmt or ("github" if c.session.environ.get("GITHUB_ACTIONS") == "true" else "text")
    render = {
        "text": formats.format_text,
        "json": formats.format_json,
        "github": formats.format_github,
    }[chosen]
    typer.echo(render(problems, repo.files_checked, c.tr), nl=False)
    return 1 if any(p.severity == "error" for p in problems) else 0
