"""What the editing commands share: --dry-run, --commit, the dates of facts, and the line that ends them."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NoReturn

import typer

from safeplan.cli.session import Session, echo
from safeplan.cli.typed import parse_date
from safeplan.errors import RefusedError, UsageError
from safeplan.problems import N_

if TYPE_CHECKING:
    import datetime as dt

    from safeplan.edit import EditResult
    from safeplan.edit.transaction import Committed
    from safeplan.repo.git import Git


def on_date(s: Session, value: str | None, option: str = "--on") -> dt.date:
    """The date of a fact; by default today in the plan's time zone, never after it."""
    from safeplan.edit.typed import fact_date

    return fact_date(value, option, s.today())


def optional_date(value: str | None, option: str) -> dt.date | None:
    """A date that may lie ahead (a deadline)."""
    return parse_date(value, option) if value is not None else None


def optional_fact_date(s: Session, value: str | None, option: str) -> dt.date | None:
    """The date of a fact, if given: never after today (2042 typed for 2024 is caught)."""
    from safeplan.edit.typed import not_future

    return None if value is None else not_future(parse_date(value, option), option, s.today())


def run(s: Session, edit: Callable[[], EditResult], dry_run: bool, commit: bool) -> EditResult:
    """Run one edit: compute it, then diff (--dry-run) or write, commit, and say what changed.

    ``edit`` computes the change without writing it; every check (git's included) runs
    before the write, so that a refusal leaves every file as it was. Ctrl-C or SIGTERM
    during the write and the commit takes effect after them, and the command says what
    was done before it stops (exit 130): a rerun would record a note twice.
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
    notice: str | None = None
    committed = left = False
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
        with deferred_signals() as caught:
            result = apply(result)
            line = render(result.template, result.params, s.tr)
            if git is not None and not caught:  # interrupted during the write: stop there
                done = _commit(s, git, result, caught)
                committed = True
                line += s.tr(N_(" (committed as {sha})")).format(sha=done.sha)
                if done.notice is not None:
                    notice = render(done.notice, done.params or {}, s.tr)
                    left = done.left
    echo(line)
    if notice is not None:
        echo(f"safeplan: {notice}", err=True)
    if caught:
        _stopped(s, result, uncommitted=git is not None and not committed)
    if left:
        raise typer.Exit(1)
    return result


def _commit(s: Session, git: Git, result: EditResult, caught: list[int]) -> Committed:
    """Commit the written edit (``edit.transaction.commit`` says what a failing git did).
    When git died of the Ctrl-C that also reached safeplan, its refusal is the message
    and the exit is an interruption's."""
    from safeplan.cli.session import EXIT_INTERRUPTED
    from safeplan.edit.transaction import commit
    from safeplan.render.text import render

    try:
        return commit(git, result)
    except RefusedError as exc:
        if not caught:
            raise
        echo(f"safeplan: {render(exc.template, exc.params, s.tr)}", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _stopped(s: Session, result: EditResult, uncommitted: bool) -> NoReturn:
    """The command was interrupted after its edit was written (and, unless said, committed):
    say so, so that nobody runs it again, and stop with exit 130."""
    from safeplan.cli.session import EXIT_INTERRUPTED
    from safeplan.problems import ListOf
    from safeplan.render.text import render

    if uncommitted:
        import shlex

        from safeplan.repo.git import commit_text

        subject = commit_text(result.commit_message).partition("\n")[0]
        files = " ".join(shlex.quote(rel) for rel in result.rels)
        message = render(
            N_(
                "interrupted after the edit above was written, before it was committed: "
                "commit it with {command}; do not run the command again"
            ),
            {"command": f"git add -A -- {files} && git commit -m {shlex.quote(subject)}"},
            s.tr,
        )
    else:
        message = render(
            N_("interrupted after the edit above was done ({files}): do not run the command again"),
            {"files": ListOf(result.rels)},
            s.tr,
        )
    echo(f"safeplan: {message}", err=True)
    raise typer.Exit(EXIT_INTERRUPTED)


@contextlib.contextmanager
def deferred_signals() -> Iterator[list[int]]:
    """Ctrl-C or SIGTERM (what `timeout` and CI cancellation send) during the writes of an
    edit takes effect when they are done: the files are left whole, never half-edited.
    The signals caught are in the list it gives: the caller says what was done, then
    stops. (kill -9 cannot be deferred: the journal covers that.)"""
    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return

    def note(signum: int, _frame: object) -> None:
        caught.append(signum)

    previous = {sig: signal.signal(sig, note) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield caught
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
