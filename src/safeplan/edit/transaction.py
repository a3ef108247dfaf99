"""An edit as a value (the bytes before and after each file), and writing it all or nothing.

``apply`` holds the plan's edit lock, refuses while an interrupted edit is unfinished,
and writes each file atomically. An edit of several files (a renumbering) is journaled
first and done in an order that never loses the record: new files are created first,
changed files rewritten next, files removed last; if anything fails every file is put
back, and if the process is killed the journal says how to finish (``safeplan
recover``) or undo it (``--undo``), and ``validate`` reports it meanwhile.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safeplan import fsio, fsio_journal
from safeplan.errors import RefusedError
from safeplan.problems import N_, Fragment, ListOf
from safeplan.repo.layout import EDITED_FOLDERS, confine_all

if TYPE_CHECKING:
    from safeplan.repo.git import CommitState, Git


@dataclass(frozen=True)
class FileChange:
    """One file an edit changes: ``old`` None means created, ``new`` None means removed."""

    path: Path
    rel: str
    old: bytes | None
    new: bytes | None


@dataclass(frozen=True)
class EditResult:
    """What an edit did (or, for a dry run, would do)."""

    root: Path
    changes: tuple[FileChange, ...]
    #: One line saying what changed: an English template with its parameters.
    template: str
    params: dict[str, Any]
    #: The git commit message for ``--commit``.
    commit_message: str
    #: The hazard id or task number the edit was about.
    subject: str
    written: bool = False
    #: ``init``'s files: a repository and its first commit follow them (also after an
    #: interruption, when ``recover`` finishes the files).
    start_repository: bool = False

    @property
    def rels(self) -> list[str]:
        return [c.rel for c in self.changes]

    def diff(self) -> str:
        """The unified diff of every changed file, as git would show it."""
        out: list[str] = []
        for c in self.changes:
            a = f"a/{c.rel}" if c.old is not None else "/dev/null"
            b = f"b/{c.rel}" if c.new is not None else "/dev/null"
            if _binary(c.old) or _binary(c.new):  # an evidence photo written with the record
                out.append(f"Binary files {a} and {b} differ\n")
                continue
            out.extend(difflib.unified_diff(_lines(c.old), _lines(c.new), a, b))
        return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def _binary(data: bytes | None) -> bool:
    """Bytes a diff cannot show as lines (git says "Binary files … differ" for them too)."""
    if data is None:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return True
    return b"\0" in data


def _lines(data: bytes | None) -> list[str]:
    if data is None:
        return []
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    return text.splitlines(keepends=True)


def refuse_if_interrupted(root: Path) -> None:
    """No edit starts while an earlier one is half-done: it would build on a broken state."""
    journal = fsio_journal.read_journal(root)
    if journal is not None:
        raise RefusedError(
            N_(
                "an earlier edit was interrupted and not finished ({summary}): run "
                "'safeplan recover' to finish it, or 'safeplan recover --undo' to undo it; "
                "nothing was written"
            ),
            summary=journal.summary,
        )


def _ordered(changes: tuple[FileChange, ...]) -> list[FileChange]:
    """Creations first, rewrites next, removals last: the record always exists somewhere."""
    rank = {True: 0, False: 1}
    return sorted(changes, key=lambda c: 2 if c.new is None else rank[c.old is None])


def apply(result: EditResult) -> EditResult:
    """Write an edit's changes: each atomically, all or (rolled back) none."""
    with fsio.locked(result.root):
        refuse_if_interrupted(result.root)
        fsio.sweep(result.root, EDITED_FOLDERS)  # what an earlier kill left behind
        confine_all(result.root, result.rels)  # never written through a link out of the plan
        for c in result.changes:
            fsio.guard(c.path, c.old, c.rel)
            if c.old is not None:
                fsio.writable(c.path, c.rel)
        steps = tuple(fsio_journal.Step(c.rel, c.old, c.new) for c in result.changes)
        journaled = len(steps) > 1
        mark = len(fsio.WRITTEN)
        if journaled:
            after = "git-init" if result.start_repository else ""
            fsio_journal.write_journal(
                result.root, fsio_journal.Journal(result.commit_message, steps, after)
            )
        done: list[FileChange] = []
        paths = [c.path for c in result.changes]
        staged: dict[str, str] = {}
        try:
            # One listing per folder for leftovers, and each folder synced once after the
            # batch: a 5,000-file import costs linear time, and the journal is cleared only
            # after the sync.
            for leftover in fsio.stale_beside(paths):
                leftover.unlink(missing_ok=True)
            if journaled:
                _write_batch(_ordered(result.changes), staged, done)
            else:
                for c in result.changes:
                    _write_one(c)
                    done.append(c)
            fsio.sync_folders(paths)
        except BaseException:
            for tmp in staged.values():  # written but never put in place
                Path(tmp).unlink(missing_ok=True)
            fsio_journal.settle(
                result.root, [fsio_journal.Step(c.rel, c.old, c.new) for c in done], forward=False
            )
            if journaled:
                fsio_journal.clear_journal(result.root)
            del fsio.WRITTEN[mark:]  # put back: an interruption says nothing was written
            raise
        if journaled:
            fsio_journal.clear_journal(result.root)
    return replace(result, written=True)


def _write_one(c: FileChange) -> None:
    """One file of an edit, its bytes fsynced before its rename."""
    if c.new is None:
        assert c.old is not None
        fsio_journal.remove(c.path, c.old, c.rel, sync=False)
    else:
        c.path.parent.mkdir(parents=True, exist_ok=True)
        fsio.write(c.path, c.new, c.old, c.rel, tidy=False, sync=False)


def _write_batch(changes: list[FileChange], staged: dict[str, str], done: list[FileChange]) -> None:
    """A journaled edit's files: every new content staged beside its file, made durable at
    once (one ``syncfs``, not an fsync a file: they were most of a 5,000-row import), then
    each renamed into place, then the removals. Nothing is renamed before its bytes are on
    disk, and the journal (written and synced before this) lets ``recover`` finish or undo
    a kill at any point. ``staged`` (rel → temporary) and ``done`` say where a failure left
    off, for the caller to put back."""
    writes = [c for c in changes if c.new is not None]
    for folder in dict.fromkeys(c.path.parent for c in writes):  # once a folder, not a file
        folder.mkdir(parents=True, exist_ok=True)
    for c in writes:
        assert c.new is not None
        staged[c.rel] = fsio_journal.stage(c.path, c.new, c.old)
    fsio_journal.sync_staged(list(staged.values()))
    for c in writes:
        assert c.new is not None
        fsio_journal.place(staged.pop(c.rel), c.path, c.new, c.old, c.rel)
        done.append(c)
    for c in changes:
        if c.new is None:
            _write_one(c)
            done.append(c)


def revert(result: EditResult) -> None:
    """Undo a written edit (used when a commit after the write fails)."""
    with fsio.locked(result.root):
        fsio_journal.settle(
            result.root,
            [fsio_journal.Step(c.rel, c.old, c.new) for c in reversed(result.changes)],
            forward=False,
        )


@dataclass(frozen=True)
class Committed:
    """A written edit's commit: its short id, and what to tell the user when git failed
    after it had made the commit (an English template and its parameters)."""

    sha: str
    notice: str | None = None
    params: dict[str, Any] | None = None
    #: git left something for the user to clear (its lock, a staged file).
    left: bool = False


def commit(git: Git, result: EditResult) -> Committed:
    """Commit what the edit wrote, and when git fails, say what it actually did.

    A commit git made before it failed (killed after writing it) holds the edit: the
    files are kept and the user is told not to run the command again. Otherwise no commit
    holds them and they are put back as they were. Either way safeplan leaves nothing of
    the edit staged, and says what git left that it could not clear (its lock)."""
    from safeplan.repo.git import CommitFailed, CommitState, GitFailed

    try:
        return Committed(git.commit(result.rels, result.commit_message))
    except GitFailed as exc:
        # CommitFailed knows what git did; any other failure came before `git add`.
        state = exc.state if isinstance(exc, CommitFailed) else CommitState(None, None, False, ())
        left = _left_by_git(state)
        if state.sha is not None:
            return Committed(
                state.sha,
                N_(
                    "--commit: git failed ({error}) after it had made the commit {sha}: the "
                    "commit holds the edit, so the files were kept; do not run the command "
                    "again{left}"
                ),
                {"error": exc.error, "sha": state.sha, "left": left},
                left=state.lock is not None or bool(state.staged),
            )
        revert(result)
        raise RefusedError(
            N_(
                "--commit: the commit failed ({error}); no commit holds the edit, so the "
                "files were put back as they were and nothing was committed{left}"
            ),
            error=exc.error,
            left=left,
        ) from None


def _left_by_git(state: CommitState) -> Fragment | str:
    """What a failed git left in the repository, said after the outcome ('' if nothing)."""
    if state.lock is not None:
        return Fragment(
            N_(
                "; git's lock {lock} is still there, so the index could not be reset: once "
                "no git command is running, remove it and run 'git reset -q -- {files}'"
            ),
            {"lock": str(state.lock), "files": " ".join(state.staged) or "."},
        )
    if state.staged:
        return Fragment(
            N_("; {files} could not be unstaged: run 'git reset -q -- {command}'"),
            {"files": ListOf(list(state.staged)), "command": " ".join(state.staged)},
        )
    if state.lock_removed:
        return Fragment(
            N_("; the lock git left behind was removed (the git that took it had ended)"), {}
        )
    return ""


def recover(root: Path, undo: bool = False) -> EditResult:
    """Finish (or undo) the edit an interruption left half-done, from its journal."""
    with fsio.locked(root):
        swept = fsio.sweep(root, EDITED_FOLDERS)
        journal = fsio_journal.read_journal(root)
        if journal is None and swept:
            return EditResult(
                root,
                (),
                N_("removed {files}, left by an interrupted write; no edit was half-done"),
                {"files": ListOf(swept)},
                "recover: temporary files",
                "recover",
            )
        if journal is None:
            raise RefusedError(N_("no interrupted edit to recover: nothing to do"))
        changes = tuple(
            FileChange(root / s.rel, s.rel, fsio.current(root / s.rel), s.old if undo else s.new)
            for s in journal.steps
        )
        fsio_journal.settle(root, journal.steps, forward=not undo)
        fsio_journal.clear_journal(root)
    template = (
        N_("the interrupted edit ({summary}) was undone: every file is as it was before it")
        if undo
        else N_("the interrupted edit ({summary}) was finished")
    )
    return EditResult(
        root,
        changes,
        template,
        {"summary": journal.summary},
        journal.summary
        if journal.after == "git-init"
        else f"recover: {'undo' if undo else 'finish'} {journal.summary}",
        "recover",
        written=True,
        start_repository=journal.after == "git-init" and not undo,
    )
