"""What the editing commands share: --dry-run, --commit, the dates of facts, and the line that ends them."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from safeplan.cli.options import parse_date
from safeplan.cli.session import Session, echo
from safeplan.errors import RefusedError, UsageError
from safeplan.problems import N_, ListOf

if TYPE_CHECKING:
    import datetime as dt

    from safeplan.edit import EditResult


def on_date(s: Session, value: str | None, option: str = "--on") -> dt.date:
    """The date of a fact; by default today in the plan's time zone, never after it."""
    if value is None:
        return s.today()
    return _not_future(s, parse_date(value, option), option)


def optional_date(value: str | None, option: str) -> dt.date | None:
    """A date that may lie ahead (a deadline)."""
    return parse_date(value, option) if value is not None else None


def optional_fact_date(s: Session, value: str | None, option: str) -> dt.date | None:
    """The date of a fact, if given: never after today (2042 typed for 2024 is caught)."""
    return None if value is None else _not_future(s, parse_date(value, option), option)


def _not_future(s: Session, day: dt.date, option: str) -> dt.date:
    today = s.today()
    if day > today:
        raise UsageError(
            N_(
                "{option}: {date} is after today ({today}); what is recorded has happened, "
                "so check the date"
            ),
            option=option,
            date=day.isoformat(),
            today=today.isoformat(),
        )
    return day


def run(s: Session, edit: Callable[[], EditResult], dry_run: bool, commit: bool) -> EditResult:
    """Run one edit: compute it, then diff (--dry-run) or write, commit, and say what changed.

    ``edit`` computes the change without writing it; every check (git's included) runs
    before the write, so that a refusal leaves every file as it was.
    """
    from safeplan.edit import apply
    from safeplan.render.text import render

    if dry_run and commit:
        raise UsageError(N_("--dry-run and --commit do not go together: choose one"))
    git = _Git(s.root) if commit else None
    result = edit()
    if dry_run:
        typer.echo(result.diff(), nl=False)
        echo(
            s.tr(N_("dry run, nothing was written: {change}")).format(
                change=render(result.template, result.params, s.tr)
            )
        )
        return result
    if git is not None:
        git.check_paths(result.rels)
    result = apply(result)
    line = render(result.template, result.params, s.tr)
    if git is not None:
        sha = git.commit(result)
        line += s.tr(N_(" (committed as {sha})")).format(sha=sha)
    echo(line)
    return result


class _Git:
    """``--commit``: checked before anything is written, so that a refusal changes nothing."""

    def __init__(self, root: Path) -> None:
        self.root = root
        top = self._run("rev-parse", "--show-toplevel", check=False)
        if top.returncode != 0:
            raise UsageError(
                N_("--commit: {root} is not inside a git repository (run 'git init' there)"),
                root=str(root),
            )
        staged = self._run("diff", "--cached", "--name-only", check=False)
        if staged.returncode != 0:
            raise RefusedError(
                N_("--commit: git failed: {error}"), error=staged.stderr.strip() or "?"
            )
        names = [n for n in staged.stdout.splitlines() if n.strip()]
        if names:
            raise RefusedError(
                N_(
                    "--commit: other changes are already staged ({files}): commit or unstage "
                    "them first, or leave out --commit; nothing was written"
                ),
                files=ListOf(names[:5] + (["…"] if len(names) > 5 else [])),
            )
        ident = self._run("var", "GIT_COMMITTER_IDENT", check=False)
        if ident.returncode != 0:
            raise RefusedError(
                N_(
                    "--commit: git does not know who you are: set user.name and user.email "
                    "(git config user.name …); nothing was written"
                )
            )

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        try:
            done = subprocess.run(
                ["git", *args], cwd=self.root, capture_output=True, text=True, check=False
            )
        except FileNotFoundError:
            raise UsageError(N_("--commit needs git, which is not installed")) from None
        if check and done.returncode != 0:
            raise RefusedError(
                N_("--commit: git {command} failed: {error}"),
                command=args[0],
                error=done.stderr.strip() or done.stdout.strip(),
            )
        return done

    def check_paths(self, rels: Sequence[str]) -> None:
        """Before the write: the files to be committed must have no uncommitted changes."""
        status = self._run("status", "--porcelain", "--", *rels)
        dirty = [line[3:] for line in status.stdout.splitlines() if line.strip()]
        if dirty:
            raise RefusedError(
                N_(
                    "--commit: {files} already has uncommitted changes, which would go into "
                    "the same commit: commit them first, or leave out --commit; nothing was written"
                ),
                files=ListOf(dirty),
            )

    def commit(self, result: EditResult) -> str:
        from safeplan.edit import revert

        rels = result.rels
        try:
            self._run("add", "--", *rels)
            self._run("commit", "-q", "-m", result.commit_message)
        except RefusedError:
            # Leave things as they were: the file as before, nothing staged.
            self._run("reset", "-q", "--", *rels, check=False)
            revert(result)
            raise
        return self._run("rev-parse", "--short", "HEAD").stdout.strip()
