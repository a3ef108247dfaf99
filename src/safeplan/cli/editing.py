"""What the editing commands share: --dry-run, --commit, the dates of facts, and the line that ends them."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import typer

from safeplan.cli.session import Session, echo
from safeplan.cli.typed import parse_date
from safeplan.errors import RefusedError, UsageError
from safeplan.problems import N_

if TYPE_CHECKING:
    import datetime as dt

    from safeplan.edit import EditResult
    from safeplan.repo.git import Git


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
    from safeplan import fsio
    from safeplan.edit import apply
    from safeplan.render.text import render
    from safeplan.repo.git import Git

    if dry_run and commit:
        raise UsageError(N_("--dry-run and --commit do not go together: choose one"))
    git = Git(s.root, "--commit") if commit else None
    if git is not None:
        git.check_can_commit()
    # The lock is held from the first read to the commit: a second edit waits, then
    # reads what this one wrote.
    with fsio.locked(s.root):
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
            git.check_clean(result.rels)
        with deferred_signals():
            result = apply(result)
        line = render(result.template, result.params, s.tr)
        if git is not None:
            line += s.tr(N_(" (committed as {sha})")).format(sha=_commit(git, result))
    echo(line)
    return result


def _commit(git: Git, result: EditResult) -> str:
    """Commit what the edit wrote; if git refuses (a hook, say), put the files back."""
    from safeplan.edit import revert
    from safeplan.repo.git import GitFailed

    try:
        return git.commit(result.rels, result.commit_message)
    except GitFailed as exc:
        revert(result)
        raise RefusedError(
            N_(
                "--commit: the commit failed ({error}), perhaps refused by a hook; the "
                "files were put back as they were and nothing was committed"
            ),
            error=exc.error,
        ) from None


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Ctrl-C or SIGTERM (what `timeout` and CI cancellation send) during the writes of an
    edit takes effect when they are done: the files are left whole, never half-edited.
    (kill -9 cannot be deferred: the journal covers that.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def note(signum: int, _frame: object) -> None:
        caught.append(signum)

    previous = {sig: signal.signal(sig, note) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if caught:
        raise KeyboardInterrupt
