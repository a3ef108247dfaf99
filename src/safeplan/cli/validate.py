"""``safeplan validate``: check every file; the command CI runs on pull requests."""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated

import typer

from safeplan.cli import app
from safeplan.cli.common import LangOpt, RootOpt, exit_with, session


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


@app.command()
def validate(
    root: RootOpt = None,
    lang: LangOpt = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            metavar="text|json|github",
            help="text, json, or github (workflow annotations; chosen when GITHUB_ACTIONS=true).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check every file of the plan and report ALL problems as path:line:column: message.

    Exit 0 when there are no errors (warnings allowed), 1 when there are, 2 on bad usage.
    """
    with session(root, lang) as s:
        from safeplan import problems as P
        from safeplan.store import load

        repo = load(s.root)
        chosen = fmt or (
            Format.github if os.environ.get("GITHUB_ACTIONS") == "true" else Format.text
        )
        render = {
            Format.text: P.format_text,
            Format.json: P.format_json,
            Format.github: P.format_github,
        }
        typer.echo(render[chosen](repo.problems, repo.files_checked, s.tr), nl=False)
        exit_with(0 if repo.ok else 1)
