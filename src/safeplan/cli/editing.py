"""What the editing commands share: --dry-run, --commit, the dates of facts, and the line that ends them."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
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
    from safeplan import fsio
    from safeplan.edit import apply
    from safeplan.render.text import render

    if dry_run and commit:
        raise UsageError(N_("--dry-run and --commit do not go together: choose one"))
    git = _Git(s.root) if commit else None
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
            git.check_paths(result.rels)
        with deferred_signals():
            result = apply(result)
        line = render(result.template, result.params, s.tr)
        if git is not None:
            sha = git.commit(result)
            line += s.tr(N_(" (committed as {sha})")).format(sha=sha)
    echo(line)
    return result


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


class _Git:
    """``--commit``: checked before anything is written, so that a refusal changes nothing."""

    def __init__(self, root: Path) -> None:
        self.root = root
        top = self._run("rev-parse", "--show-toplevel", check=False)
        if top.returncode != 0:
            if "dubious ownership" in top.stderr:
                raise RefusedError(
                    N_(
                        "--commit: git refuses to work in {root}: the repository is owned by "
                        "someone else (git's 'dubious ownership'). If you trust it: git config "
                        "--global --add safe.directory {root}; nothing was written"
                    ),
                    root=str(root),
                )
            raise UsageError(
                N_("--commit: {root} is not inside a git repository (run 'git init' there)"),
                root=str(root),
            )
        self._refuse_if_busy()
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

    #: A git operation in progress, by the file it keeps in the git folder: a commit now
    #: would conclude the user's merge (as a two-parent commit) or their rebase step.
    _BUSY = (
        ("MERGE_HEAD", N_("a merge"), "git merge --abort"),
        ("CHERRY_PICK_HEAD", N_("a cherry-pick"), "git cherry-pick --abort"),
        ("REVERT_HEAD", N_("a revert"), "git revert --abort"),
        ("rebase-merge", N_("a rebase"), "git rebase --abort"),
        ("rebase-apply", N_("a rebase"), "git rebase --abort"),
    )

    def _refuse_if_busy(self) -> None:
        from safeplan.problems import Fragment

        for name, what, abort in self._BUSY:
            found = self._run("rev-parse", "--git-path", name, check=False).stdout.strip()
            if found and (self.root / found).exists():
                raise RefusedError(
                    N_(
                        "--commit: {what} is in progress in this repository: finish it, or "
                        "abort it ({abort}), or leave out --commit; nothing was written"
                    ),
                    what=Fragment(what),
                    abort=abort,
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
            self._run("add", "--all", "--", *rels)
            self._run("commit", "-q", "-m", commit_text(result.commit_message))
        except RefusedError as exc:
            # Leave things as they were: the file as before, nothing staged.
            self._run("reset", "-q", "--", *rels, check=False)
            revert(result)
            raise RefusedError(
                N_(
                    "--commit: the commit failed ({error}), perhaps refused by a hook; the "
                    "files were put back as they were and nothing was committed"
                ),
                error=exc.params.get("error", "?"),
            ) from None
        return self._run("rev-parse", "--short", "HEAD").stdout.strip()


#: How long a commit's subject line may be before it is cut (git's own advice: about 72).
SUBJECT_MAX = 72


def commit_text(message: str) -> str:
    """A commit message whose first line stays a subject: a long reason or note typed on
    the command line is cut there with '…' and kept whole in the body."""
    subject, _, rest = message.partition("\n")
    subject = " ".join(subject.split())  # control characters and runs of blanks
    if len(subject) <= SUBJECT_MAX:
        return subject + ("\n" + rest if rest else "")
    return subject[: SUBJECT_MAX - 1] + "…\n\n" + message
