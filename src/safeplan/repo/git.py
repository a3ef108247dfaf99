"""Git, run in one place: every git command safeplan runs goes through :class:`Git`.

safeplan asks git what a base revision held (``validate --base``, ``--changed-since``),
commits an edit (``--commit``), starts a repository (``init``) and names the data a
report was made from. Each git call has a timeout, and what goes wrong is one of three
safeplan errors, whatever the command: git is missing (:class:`GitMissing`), does not
know who commits (:class:`GitNoIdentity`), or refuses, with git's own message
(:class:`GitFailed`; :class:`GitUntrusted` for a repository owned by someone else). A
command that can do without git catches them and says what it left out.

The base comparison reads only files that differ (one ``git diff`` and one
``git cat-file --batch``), so a plan of 10,000 unchanged hazards costs two subprocesses.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from safeplan.errors import RefusedError, UsageError
from safeplan.problems import N_, Fragment, ListOf

if TYPE_CHECKING:
    from safeplan.models.reports import DataVersion

#: The paths of a plan that hold records.
RECORD_PATHS = ("data/hazards", "data/enterprises", "data/tasks.yaml", "plan/plan.yaml")
#: How long a git query may take (seconds): a repository on a slow disk, not a hang.
TIMEOUT = 60
#: How long a commit may take: it runs the repository's hooks (pre-commit validates).
COMMIT_TIMEOUT = 600
#: How long a commit's subject line may be before it is cut (git's own advice: about 72).
SUBJECT_MAX = 72
#: How long fetching a town's repository may take (a slow network, not a hang).
FETCH_TIMEOUT = 600
#: Given to every git run in a repository safeplan does not trust (a town's clone, read by
#: the county): nothing its own configuration or files name is run or followed. Options on
#: the command line win over the repository's configuration.
UNTRUSTED_OPTIONS = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.symlinks=false",
    "-c", "core.sshCommand=ssh",
    "-c", "core.gitProxy=",
    "-c", "diff.external=",
    "-c", "protocol.ext.allow=never",
    "-c", "submodule.recurse=false",
    "-c", "safe.bareRepository=explicit",
)  # fmt: skip


# --------------------------------------------------------------------------- errors


class GitMissing(UsageError):
    """git is not installed (or not on the PATH)."""

    def __init__(self, context: str) -> None:
        super().__init__(N_("{context} needs git, which is not installed"), context=context)


class GitNoIdentity(RefusedError):
    """git does not know who commits: a commit would fail after the files were written."""

    def __init__(self, context: str) -> None:
        super().__init__(
            N_(
                "{context}: git does not know who you are: set user.name and user.email "
                "(git config user.name …); nothing was written"
            ),
            context=context,
        )


class GitFailed(RefusedError):
    """git refused or failed; ``error`` is git's own message (or that it gave no answer)."""

    def __init__(self, context: str, command: str, error: str | Fragment) -> None:
        super().__init__(
            N_("{context}: git {command} failed: {error}"),
            context=context,
            command=command,
            error=error,
        )
        self.command = command
        self.error = error


class GitUntrusted(RefusedError):
    """git's 'dubious ownership': the repository belongs to another user."""

    def __init__(self, context: str, root: Path) -> None:
        super().__init__(
            N_(
                "{context}: git refuses to work in {root}: the repository is owned by someone "
                "else (git's 'dubious ownership'). If you trust it: git config --global --add "
                "safe.directory {root}"
            ),
            context=context,
            root=str(root),
        )


class CommitState(NamedTuple):
    """What a failed commit left, as git has it afterwards."""

    #: The commit git made before it failed (a short id), or None: nothing was committed.
    sha: str | None
    #: git's lock on the index, if it is still there (safeplan could not remove it).
    lock: Path | None
    #: Whether safeplan removed a lock the failed git left (that git had ended).
    lock_removed: bool
    #: Files of the edit still staged (they could not be unstaged).
    staged: tuple[str, ...]


class CommitFailed(GitFailed):
    """``git commit`` failed; ``state`` says what git had done all the same."""

    def __init__(self, context: str, command: str, error: str | Fragment, state: CommitState):
        super().__init__(context, command, error)
        self.state = state


def dubious(stderr: str) -> bool:
    """git's refusal to work in a repository owned by someone else."""
    return "dubious ownership" in stderr


# --------------------------------------------------------------------------- the runner


class Done(NamedTuple):
    """What one git command did: its exit code, its output (bytes) and its message."""

    returncode: int
    stdout: bytes
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def text(self) -> str:
        """The output as text, without the newline at its end."""
        return self.stdout.decode("utf-8", "surrogateescape").strip()

    @property
    def message(self) -> str:
        """What git said about a failure (its error output, else its output)."""
        return self.stderr.strip() or self.text or "?"


def _why(done: Done) -> str | Fragment:
    """git's own message; when it said nothing (killed), how it ended."""
    if done.stderr.strip() or done.text:
        return done.message
    if done.returncode < 0 or done.returncode > 128:
        signal = -done.returncode if done.returncode < 0 else done.returncode - 128
        return Fragment(N_("git was killed (signal {signal}) without a word"), {"signal": signal})
    return Fragment(N_("git ended with exit code {code} without a word"), {"code": done.returncode})


class LogEntry(NamedTuple):
    """One commit in a record's history: who changed it, when, and what (its subject)."""

    sha: str
    author: str
    when: str
    subject: str


class SyncResult(NamedTuple):
    """What pulling and pushing did: ``ok``, the files in conflict, git's own words."""

    ok: bool
    conflicts: list[str]
    message: str


class Git:
    """git in one folder. ``context`` names what asked for it (``--commit``, ``init``): it
    starts every message, so that the reader knows which part of the command it concerns."""

    def __init__(self, root: Path, context: str, untrusted: bool = False) -> None:
        self.root = root
        self.context = context
        #: The repository is another's (a town's clone): git runs with
        #: :data:`UNTRUSTED_OPTIONS`.
        self.untrusted = untrusted
        self._index_lock: Path | None = None

    def run(
        self,
        *args: str,
        check: bool = True,
        stdin: bytes | None = None,
        timeout: float = TIMEOUT,
    ) -> Done:
        """Run ``git args`` in the folder. With ``check``, a failure raises :class:`GitFailed`."""
        options = UNTRUSTED_OPTIONS if self.untrusted else ()
        try:
            done = subprocess.run(
                ["git", *options, *args],
                cwd=self.root,
                input=stdin if stdin is not None else b"",
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except FileNotFoundError as exc:
            if exc.filename not in (None, "git"):  # the folder, not git, is missing
                raise GitFailed(self.context, args[0], f"{exc.strerror}: {exc.filename}") from None
            raise GitMissing(self.context) from None
        except subprocess.TimeoutExpired:
            raise GitFailed(
                self.context,
                args[0],
                Fragment(N_("no answer within {seconds} seconds"), {"seconds": str(timeout)}),
            ) from None
        except OSError as exc:
            raise GitFailed(self.context, args[0], exc.strerror or str(exc)) from None
        result = Done(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))
        if check and not result.ok:
            if dubious(result.stderr):
                raise GitUntrusted(self.context, self.root)
            raise GitFailed(self.context, args[0], _why(result))
        return result

    def toplevel(self) -> str | None:
        """The top folder of the repository holding the folder (None outside git)."""
        top = self.run("rev-parse", "--show-toplevel", check=False)
        if top.ok:
            return top.text
        if dubious(top.stderr):
            raise GitUntrusted(self.context, self.root)
        return None

    def has_commit(self, ref: str) -> bool:
        """Whether ``ref`` names a commit git has."""
        return self.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False).ok

    def knows_identity(self) -> bool:
        """Whether git knows who commits (user.name and user.email, or their variables)."""
        return self.run("var", "GIT_COMMITTER_IDENT", check=False).ok

    def short_head(self) -> str:
        return self.run("rev-parse", "--short", "HEAD").text

    # ----------------------------------------------------------------------- for serve

    def identity(self) -> tuple[str, str] | None:
        """The name and e-mail git commits as (None when it does not know)."""
        done = self.run("var", "GIT_COMMITTER_IDENT", check=False)
        if not done.ok or "<" not in done.text:
            return None
        name, _, rest = done.text.partition("<")
        return name.strip(), rest.partition(">")[0].strip()

    def set_identity(self, name: str, email: str) -> None:
        """Keep who commits in the repository's own configuration (``safeplan serve`` asks
        the officer once; a terminal user's global configuration is left alone)."""
        self.run("config", "--local", "user.name", name)
        self.run("config", "--local", "user.email", email)

    def file_log(self, rel: str, limit: int = 200) -> list[LogEntry]:
        """The commits that changed ``rel`` (following renames), newest first."""
        done = self.run(
            "log", f"-{limit}", "--follow", "-z", "--format=%h%x1f%an%x1f%aI%x1f%s", "--", rel,
            check=False,
        )  # fmt: skip
        if not done.ok:
            return []
        out = []
        for record in done.stdout.decode("utf-8", "replace").split("\0"):
            parts = record.strip("\n").split("\x1f")
            if len(parts) == 4:
                out.append(LogEntry(*parts))
        return out

    def remotes(self) -> list[str]:
        done = self.run("remote", check=False)
        return [r for r in done.text.splitlines() if r.strip()] if done.ok else []

    def sync(self) -> SyncResult:
        """Pull (a merge, never a rebase: the merge driver joins most records) and push.
        A conflict is aborted, so that the files stay as they were, and named."""
        pulled = self.run("pull", "--no-rebase", "--no-edit", timeout=COMMIT_TIMEOUT, check=False)
        if not pulled.ok:
            conflicted = self.run("diff", "--name-only", "--diff-filter=U", check=False)
            files = [f for f in conflicted.text.splitlines() if f.strip()]
            if files:
                self.run("merge", "--abort", check=False)
                return SyncResult(False, files, pulled.message)
            return SyncResult(False, [], pulled.message)
        pushed = self.run("push", timeout=COMMIT_TIMEOUT, check=False)
        if not pushed.ok:
            return SyncResult(False, [], pushed.message)
        return SyncResult(True, [], pulled.message)

    # ----------------------------------------------------------------------- committing

    #: A git operation in progress, by the file it keeps in the git folder: a commit now
    #: would conclude the user's merge (as a two-parent commit) or their rebase step.
    _BUSY = (
        ("MERGE_HEAD", N_("a merge"), "git merge --abort"),
        ("CHERRY_PICK_HEAD", N_("a cherry-pick"), "git cherry-pick --abort"),
        ("REVERT_HEAD", N_("a revert"), "git revert --abort"),
        ("rebase-merge", N_("a rebase"), "git rebase --abort"),
        ("rebase-apply", N_("a rebase"), "git rebase --abort"),
    )

    def check_can_commit(self) -> None:
        """Before anything is written: a repository, nothing in progress or staged, and an
        identity, so that a refusal changes nothing."""
        paths = self._git_paths()
        if paths is None:
            raise UsageError(
                N_("{context}: {root} is not inside a git repository (run 'git init' there)"),
                context=self.context,
                root=str(self.root),
            )
        for name, what, abort in self._BUSY:
            if paths[name].exists():
                raise RefusedError(
                    N_(
                        "{context}: {what} is in progress in this repository: finish it, or "
                        "abort it ({abort}), or leave out {context}; nothing was written"
                    ),
                    context=self.context,
                    what=Fragment(what),
                    abort=abort,
                )
        lock = self.index_lock()
        if lock.exists():
            raise RefusedError(
                N_(
                    "{context}: git's index is locked ({lock}): another git command is running, "
                    "or one was stopped and left the lock; once no git command is running, "
                    "remove it, or leave out {context}; nothing was written"
                ),
                context=self.context,
                lock=str(lock),
            )
        if self.detached():
            raise RefusedError(
                N_(
                    "{context}: HEAD is detached (not on a branch), so the commit would belong "
                    "to no branch and be easy to lose: switch to a branch first (git switch "
                    "BRANCH, or git switch -c NEW-BRANCH to keep working here), or leave out "
                    "{context}; nothing was written"
                ),
                context=self.context,
            )
        names = self.run("diff", "--cached", "--name-only", "-z").text.split("\0")
        names = [n for n in names if n.strip()]
        if names:
            raise RefusedError(
                N_(
                    "{context}: other changes are already staged ({files}): commit or unstage "
                    "them first, or leave out {context}; nothing was written"
                ),
                context=self.context,
                files=ListOf(names[:5] + (["…"] if len(names) > 5 else [])),
            )
        if not self.knows_identity():
            raise GitNoIdentity(self.context)

    def check_clean(self, rels: Sequence[str]) -> None:
        """Before the write: the files to be committed must have no uncommitted changes."""
        status = self.run("status", "--porcelain", "--", *rels).stdout.decode("utf-8", "replace")
        dirty = [line[3:] for line in status.splitlines() if line.strip()]
        if dirty:
            raise RefusedError(
                N_(
                    "{context}: {files} already has uncommitted changes, which would go into "
                    "the same commit: commit them first, or leave out {context}; nothing was "
                    "written"
                ),
                context=self.context,
                files=ListOf(dirty),
            )

    def commit(self, rels: Sequence[str], message: str) -> str:
        """Commit exactly ``rels`` (added, changed or deleted); the short id of the commit.

        When git fails (a hook refuses, or git is killed), :class:`CommitFailed` says what
        git had actually done by then (:meth:`aftermath`): whether the commit was made, and
        what it left. Putting the files back, when no commit holds them, is the caller's,
        who wrote them."""
        before = self.head()
        lock = self.index_lock()
        had_lock = lock.exists()
        try:
            self.run("add", "--all", "--", *rels)
            self.run("commit", "-q", "-m", commit_text(message), timeout=COMMIT_TIMEOUT)
        except GitFailed as exc:
            state = self.aftermath(rels, before, lock, had_lock)
            raise CommitFailed(self.context, exc.command, exc.error, state) from None
        return self.short_head()

    def head(self) -> str | None:
        """The commit HEAD names (None before the first commit)."""
        done = self.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
        return done.text if done.ok and done.text else None

    def index_lock(self) -> Path:
        """git's lock on the index: while it exists, every git command that stages fails."""
        if self._index_lock is None:
            self._index_lock = self.root / self.run("rev-parse", "--git-path", "index.lock").text
        return self._index_lock

    def _git_paths(self) -> dict[str, Path] | None:
        """Where git keeps the files of an operation in progress (``_BUSY``) and its index
        lock, asked in one ``rev-parse`` with the work tree's top (None: not inside one):
        a commit's checks are one git process, not seven."""
        names = [name for name, _, _ in self._BUSY] + ["index.lock"]
        asked = [arg for name in names for arg in ("--git-path", name)]
        done = self.run("rev-parse", "--show-toplevel", *asked, check=False)
        if not done.ok:
            if dubious(done.stderr):
                raise GitUntrusted(self.context, self.root)
            return None
        lines = done.text.splitlines()[1:]
        if len(lines) != len(names):  # not what rev-parse answers: ask one by one
            lines = [self.run("rev-parse", "--git-path", name).text for name in names]
        paths = {name: self.root / found for name, found in zip(names, lines, strict=True)}
        self._index_lock = paths["index.lock"]
        return paths

    def detached(self) -> bool:
        """Whether HEAD is detached (names a commit, not a branch)."""
        return not self.run("symbolic-ref", "--quiet", "HEAD", check=False).ok

    def aftermath(
        self, rels: Sequence[str], before: str | None, lock: Path, had_lock: bool
    ) -> CommitState:
        """What a failed ``git add``/``git commit`` of ``rels`` actually did: a git killed
        after it wrote the commit has committed (HEAD moved to a commit that holds the
        files as they are now), one killed earlier may have left its lock and the index
        staged. The lock is removed when it appeared during this commit (the git that took
        it has ended), then ``rels`` are unstaged (or, if committed, the index is brought
        level with the commit), so that safeplan leaves nothing staged."""
        after = self.head()
        sha = None
        if after is not None and after != before and self._holds(after, rels):
            sha = self.run("rev-parse", "--short", after, check=False).text or after[:7]
        removed = False
        if not had_lock and lock.exists():
            try:
                lock.unlink()
                removed = True
            except OSError:
                pass
        if not lock.exists():
            if after is None:
                self.run("rm", "-q", "-r", "--cached", "--ignore-unmatch", "--", *rels, check=False)
            else:
                self.run("reset", "-q", "--", *rels, check=False)
        staged = self.run("diff", "--cached", "--name-only", "-z", "--", *rels, check=False)
        names = tuple(n for n in staged.text.split("\0") if n.strip()) if staged.ok else ()
        if after is None:  # before the first commit everything in the index is "staged"
            listed = self.run("ls-files", "-z", "--", *rels, check=False)
            names = tuple(n for n in listed.text.split("\0") if n.strip()) if listed.ok else ()
        return CommitState(sha, lock if lock.exists() else None, removed, names)

    def _holds(self, commit: str, rels: Sequence[str]) -> bool:
        """Whether ``commit`` holds each of ``rels`` as the working tree has it now (a file
        that is gone is absent from the commit)."""
        for rel in rels:
            path = self.root / rel
            in_commit = self.run(
                "rev-parse", "--verify", "--quiet", f"{commit}:./{rel}", check=False
            )
            if not path.exists():
                if in_commit.ok:
                    return False
                continue
            here = self.run("hash-object", "--", rel, check=False)
            if not (in_commit.ok and here.ok and in_commit.text == here.text):
                return False
        return True


def commit_text(message: str) -> str:
    """A commit message whose first line stays a subject: a long reason or note typed on
    the command line is cut there with '…' and kept whole in the body."""
    subject, _, rest = message.partition("\n")
    subject = " ".join(subject.split())  # control characters and runs of blanks
    if len(subject) <= SUBJECT_MAX:
        return subject + ("\n" + rest if rest else "")
    return subject[: SUBJECT_MAX - 1] + "…\n\n" + message


# --------------------------------------------------------------------------- the data's version


def data_version(root: Path) -> DataVersion:
    """The last git commit of the plan's files, and whether they have changes since (git is
    asked, never required: outside a repository, or without git, the report says so)."""
    from safeplan.models.reports import DataVersion

    git = Git(root, "report")
    paths = ("--", "plan", "data")
    try:
        commit = git.run("log", "-1", "--format=%H", *paths, check=False)
        if not commit.ok or not commit.text:
            return DataVersion()
        status = git.run("status", "--porcelain", "--untracked-files=all", *paths, check=False)
    except (GitMissing, GitFailed):
        return DataVersion()
    return DataVersion(commit=commit.text[:12], modified=status.ok and bool(status.text))


# --------------------------------------------------------------------------- towns' clones


def town_clone(url: str, dest: Path, ref: str | None) -> str:
    """Clone a town's repository into ``dest`` (which must not exist): the last commit of
    ``ref`` (a branch or tag; None: the remote's default branch) only, no submodules, no
    hooks, symbolic links checked out as plain files. The full id of the commit."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    git = Git(dest.parent, "rollup fetch", untrusted=True)
    branch = ("--branch", ref) if ref else ()
    git.run(
        "clone", "--quiet", "--depth", "1", "--no-recurse-submodules", "--no-tags",
        "-c", "core.symlinks=false", *branch, "--", url, dest.name,
        timeout=FETCH_TIMEOUT,
    )  # fmt: skip
    return Git(dest, "rollup fetch", untrusted=True).run("rev-parse", "HEAD").text


def town_update(dest: Path, url: str, ref: str | None) -> str:
    """Bring a town's clone to the last commit of ``ref`` (None: the remote's default
    branch): fetched, then checked out over whatever is there (the clone is read-only:
    nothing in it is anyone's work). The full id of the commit."""
    git = Git(dest, "rollup fetch", untrusted=True)
    git.run(
        "fetch", "--quiet", "--depth", "1", "--no-tags", "--no-recurse-submodules",
        "--", url, ref or "HEAD",
        timeout=FETCH_TIMEOUT,
    )  # fmt: skip
    git.run("checkout", "--quiet", "--force", "--detach", "FETCH_HEAD")
    git.run("clean", "--quiet", "-d", "--force", "-x", "--exclude=.safeplan-cache/")
    return git.run("rev-parse", "HEAD").text


def town_commit(root: Path) -> str | None:
    """The commit a town's folder has checked out (None: not a git repository, or git is
    missing), asked with the untrusted options: a town's own folder is not ours either."""
    git = Git(root, "rollup", untrusted=True)
    try:
        done = git.run("rev-parse", "--show-prefix", "HEAD^{commit}", check=False)
    except (GitMissing, GitFailed):
        return None
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    # A folder inside another repository (the county's own) has no commit of its own.
    if not done.ok or len(lines) != 2 or lines[0]:
        return None
    return lines[1].strip() or None
