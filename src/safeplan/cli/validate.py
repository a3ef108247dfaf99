"""``safeplan validate``: check every file; the command CI runs on pull requests."""

from __future__ import annotations

from typing import Annotated

import typer

from safeplan.cli.options import Call, command
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


@command()
def validate(c: Call, fmt: FormatOpt = None) -> int:
    from safeplan.render import problems as formats
    from safeplan.repo import load

    if fmt is not None and fmt not in FORMATS:
        raise UsageError(
            N_("--format: '{value}' is not one of {choices}"),
            value=fmt,
            choices=ListOf(FORMATS, quoted=True),
        )
    repo = load(c.root)
    chosen = fmt or ("github" if c.session.environ.get("GITHUB_ACTIONS") == "true" else "text")
    render = {
        "text": formats.format_text,
        "json": formats.format_json,
        "github": formats.format_github,
    }[chosen]
    typer.echo(render(repo.problems, repo.files_checked, c.tr), nl=False)
    return 0 if repo.ok else 1
