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
RECORD_PATHS = ("data/hazards", "data/tasks.yaml", "plan/plan.yaml")
#: How long a git query may take (seconds): a repository on a slow disk, not a hang.
TIMEOUT = 60
#: How long a commit may take: it runs the repository's hooks (pre-commit validates).
COMMIT_TIMEOUT = 600
#: How long a commit's subject line may be before it is cut (git's own advice: about 72).
SUBJECT_MAX = 72


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


class Git:
    """git in one folder. ``context`` names what asked for it (``--commit``, ``init``): it
    starts every message, so that the reader knows which part of the command it concerns."""

    def __init__(self, root: Path, context: str) -> None:
        self.root = root
        self.context = context

    def run(
        self,
        *args: str,
        check: bool = True,
        stdin: bytes | None = None,
        timeout: float = TIMEOUT,
    ) -> Done:
        """Run ``git args`` in the folder. With ``check``, a failure raises :class:`GitFailed`."""
        try:
            done = subprocess.run(
                ["git", *args],
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
        if self.toplevel() is None:
            raise UsageError(
                N_("{context}: {root} is not inside a git repository (run 'git init' there)"),
                context=self.context,
                root=str(self.root),
            )
        for name, what, abort in self._BUSY:
            found = self.run("rev-parse", "--git-path", name, check=False).text
            if found and (self.root / found).exists():
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
        return self.root / self.run("rev-parse", "--git-path", "index.lock").text

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


# --------------------------------------------------------------------------- a new plan's repository


class Started(NamedTuple):
    """What ``init`` (or ``recover`` of an interrupted ``init``) did with git: a message (an
    English template and its parameters) and whether the plan now has its first commit
    (or is in a repository the user commits to)."""

    template: str
    params: dict[str, object]
    done: bool


def start_repository(root: Path, rels: Sequence[str], message: str) -> Started:
    """``git init`` and a first commit of exactly ``rels`` (the files ``init`` wrote), when
    git can; otherwise exactly what is left to do, with the commands that do it."""
    git = Git(root, "init")
    todo: dict[str, object] = {
        "root": str(root),
        "commands": f"git init && git add -A -- {' '.join(_quoted(r) for r in rels)} "
        f"&& git commit -m {_quoted(message)}",
    }
    try:
        top = git.toplevel()
        if top is not None:
            fresh = git.head() is None and Path(top).resolve() == root.resolve()
            if fresh and not git.run("ls-files", "-z").text:
                # A repository of this folder without a commit or a staged file: the one an
                # interrupted init made (or ``git init`` just before): its first commit.
                return _first_commit(git, rels, message, todo)
            return Started(
                N_(
                    "{root} is inside the git repository {top}: nothing was committed; commit "
                    "the files when you are ready"
                ),
                {"root": str(root), "top": top},
                True,
            )
        git.run("init", "-q")
        return _first_commit(git, rels, message, todo)
    except GitMissing:
        return Started(
            N_(
                "git is not installed: no repository was made (the files are written); to "
                "finish, install git and run in {root}: {commands}"
            ),
            todo,
            False,
        )
    except GitUntrusted as exc:
        return Started(exc.template, exc.params, False)
    except GitFailed as exc:
        if isinstance(exc, CommitFailed) and exc.state.sha is not None:
            return Started(
                N_(
                    "git: made a repository and committed the files as {sha} (git failed "
                    "after the commit: {error})"
                ),
                {"sha": exc.state.sha, "error": exc.error},
                True,
            )
        if exc.command == "init":
            return Started(
                N_(
                    "git init failed ({error}): the files are written, but not in a "
                    "repository; to finish, run in {root}: {commands}"
                ),
                {**todo, "error": exc.error},
                False,
            )
        return Started(
            N_(
                "git commit failed ({error}): the files are written, but not committed; to "
                "finish, run in {root}: {commands}"
            ),
            {**todo, "error": exc.error, "commands": str(todo["commands"]).split("&& ", 1)[1]},
            False,
        )


class Unstarted(NamedTuple):
    """What a folder that holds a plan lacks of git (an English fragment and its
    parameters), and the commands that make it."""

    template: str
    params: dict[str, object]
    commands: str


#: The first commit's message when the user makes it by hand.
_FIRST = "git add -A && git commit -m 'Start the plan'"


def unstarted(root: Path) -> Unstarted | None:
    """Whether the plan in ``root`` lacks a repository or its first commit (None: it has
    both, or git cannot tell): what an interrupted ``init`` leaves."""
    git = Git(root, "init")
    try:
        top = git.toplevel()
        if top is None:
            return Unstarted(N_("it is in no git repository"), {}, "git init && " + _FIRST)
        if git.head() is None and Path(top).resolve() == root.resolve():
            return Unstarted(N_("its git repository has no commit yet"), {}, _FIRST)
    except GitMissing:
        return Unstarted(
            N_("git is not installed, so it is in no repository"),
            {},
            "git init && " + _FIRST + " (once git is installed)",
        )
    except GitFailed:
        return None
    return None


def _first_commit(git: Git, rels: Sequence[str], message: str, todo: dict[str, object]) -> Started:
    if not git.knows_identity():
        return Started(
            N_(
                "git made a repository, but does not know who you are (git config "
                "user.name …, git config user.email …): nothing was committed; to finish, "
                "set them and run in {root}: {commands}"
            ),
            {**todo, "commands": str(todo["commands"]).split("&& ", 1)[1]},
            False,
        )
    sha = git.commit(rels, message)
    return Started(
        N_("git: made a repository and committed the files as {sha}"), {"sha": sha}, True
    )


def _quoted(text: str) -> str:
    """A word as a POSIX shell reads it back (for a command the user copies)."""
    import shlex

    return shlex.quote(text)


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


# --------------------------------------------------------------------------- the base revision


class BaseFile(NamedTuple):
    """A record file as the base revision held it, and what became of it."""

    rel: str
    #: ``D`` deleted since the base, ``M`` changed.
    status: str
    data: bytes


class BaseComparison(NamedTuple):
    ref: str
    files: tuple[BaseFile, ...]


class Unavailable(NamedTuple):
    """Why the base could not be read (outside git, no commit yet): said as a notice."""

    template: str
    params: dict[str, object]


def compare(root: Path, ref: str | None) -> BaseComparison | Unavailable:
    """The record files that differ between ``ref`` (default HEAD) and the working tree.

    Without git, outside a repository or before the first commit, the comparison against
    HEAD is left out with a notice. A base named with ``--base`` is what the caller asked
    to be checked against (a pull request's target in CI): when it cannot be read, that is
    git's own error (:class:`GitMissing`, :class:`GitFailed`, :class:`GitUntrusted`) or a
    usage error saying what to fetch, never a quiet pass."""
    explicit = ref is not None
    ref = ref or "HEAD"
    git = Git(root, f"--base {ref}" if explicit else "--base")
    try:
        unavailable = _base_unavailable(git, ref, explicit)
        if unavailable is not None:
            return unavailable
        diff = git.run(
            "diff",
            "--raw",
            "-z",
            "--abbrev=40",
            "--no-renames",
            "--relative",
            ref,
            "--",
            *RECORD_PATHS,
            check=explicit,
        )
        if not diff.ok:
            return Unavailable(
                N_("git diff failed ({error}): deleted records were not looked for"),
                {"error": diff.stderr.strip()},
            )
        wanted = _changed(diff.stdout)
        blobs = _cat(git, [blob for _, _, blob in wanted]) if wanted else []
    except GitMissing:
        if explicit:
            raise
        return Unavailable(N_("git is not installed: deleted records were not looked for"), {})
    except GitFailed as exc:
        if explicit:
            raise
        return Unavailable(
            N_("git {command} failed ({error}): deleted records were not looked for"),
            {"command": exc.command, "error": exc.error},
        )
    files = tuple(
        BaseFile(rel, status, data)
        for (status, rel, _), data in zip(wanted, blobs, strict=True)
        if data is not None
    )
    if explicit and len(files) != len(wanted):
        raise UsageError(
            N_(
                "--base {ref}: git could not read every file {ref} held (a partial or "
                "shallow clone?): fetch the full history (git fetch --unshallow; in CI, "
                "fetch-depth: 0), then run again"
            ),
            ref=ref,
        )
    return BaseComparison(ref, files)


def _base_unavailable(git: Git, ref: str, explicit: bool) -> Unavailable | None:
    """Why the base cannot be compared with (None when it can)."""
    try:
        top = git.toplevel()
    except GitUntrusted:
        if explicit:
            raise
        return Unavailable(
            N_(
                "git refuses to read {root}: it is owned by someone else (git's 'dubious "
                "ownership'); deleted records were not looked for. If you trust it: "
                "git config --global --add safe.directory {root}"
            ),
            {"root": str(git.root)},
        )
    if top is None:
        if explicit:
            raise UsageError(
                N_("--base {ref}: {root} is not in a git repository"),
                ref=ref,
                root=str(git.root),
            )
        return Unavailable(
            N_("{root} is not in a git repository: deleted records were not looked for"),
            {"root": str(git.root)},
        )
    if not git.has_commit(ref):
        if explicit and _shallow(git):
            raise UsageError(
                N_(
                    "--base {ref}: this clone is shallow and does not hold {ref}: fetch the "
                    "history (git fetch --unshallow origin; in CI, check out with "
                    "fetch-depth: 0), then run again"
                ),
                ref=ref,
            )
        if explicit:
            raise UsageError(
                N_(
                    "--base {ref}: git knows no such revision: check the name (git branch -a "
                    "lists them) or fetch it first (git fetch origin; in CI, check out with "
                    "fetch-depth: 0)"
                ),
                ref=ref,
            )
        return Unavailable(N_("no commit yet: deleted records were not looked for"), {})
    return None


def _shallow(git: Git) -> bool:
    """Whether the repository is a shallow clone (history cut off at some depth)."""
    return git.run("rev-parse", "--is-shallow-repository", check=False).text == "true"


def in_base(root: Path, ref: str, rel: str) -> bool:
    """Whether ``ref`` held a file at ``rel`` (relative to ``root``): a renumbered hazard's
    new file must not have been there."""
    return Git(root, "--base").run("cat-file", "-e", f"{ref}:./{rel}", check=False).ok


def _changed(output: bytes) -> list[tuple[str, str, str]]:
    """(status, path, base blob id) of deleted and changed files, from ``git diff --raw -z``
    (``:old-mode new-mode old-blob new-blob status`` NUL path NUL). The blob id, not the
    path, is what ``cat-file`` is asked for: a path may hold any character, a newline too."""
    parts = output.decode("utf-8", "surrogateescape").split("\0")
    out: list[tuple[str, str, str]] = []
    for meta, rel in zip(parts[0::2], parts[1::2], strict=False):
        fields = meta.split()
        if len(fields) < 5:
            continue
        status = fields[4][:1]
        if status in ("D", "M", "T"):
            out.append(("D" if status == "D" else "M", rel, fields[2]))
    return out


def _cat(git: Git, blobs: Sequence[str]) -> list[bytes | None]:
    """The bytes of each blob (None when git has none such)."""
    query = "".join(f"{blob}\n" for blob in blobs).encode("ascii")
    data = git.run("cat-file", "--batch", stdin=query, check=False).stdout
    out: list[bytes | None] = []
    pos = 0
    for _ in blobs:
        end = data.find(b"\n", pos)
        if end < 0:
            out.append(None)
            continue
        header = data[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] != b"blob":
            out.append(None)
            continue
        size = int(header[2])
        out.append(data[pos : pos + size])
        pos += size + 1
    return out


def changed_since(root: Path, ref: str) -> frozenset[str]:
    """The files (relative to ``root``) that differ from ``ref``: changed, added, deleted
    or not yet known to git. For ``validate --changed-since``, what a reviewer looks at."""
    git = Git(root, "--changed-since")
    if git.toplevel() is None:
        raise UsageError(
            N_("--changed-since {ref}: {root} is not in a git repository"), ref=ref, root=str(root)
        )
    if not git.has_commit(ref):
        raise UsageError(
            N_(
                "--changed-since {ref}: git knows no such revision (fetch it first, e.g. "
                "git fetch origin)"
            ),
            ref=ref,
        )
    diff = git.run("diff", "--name-only", "-z", "--no-renames", "--relative", ref, "--")
    others = git.run("ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    names = (diff.stdout + b"\0" + others.stdout).decode("utf-8", "surrogateescape").split("\0")
    return frozenset(n for n in names if n)


def prefix(root: Path) -> str:
    """The plan root's folder inside its git repository, ending in ``/`` (``""`` at the top,
    or outside git): reports for a forge name files from the repository's top."""
    try:
        done = Git(root, "--format").run("rev-parse", "--show-prefix", check=False)
    except (GitMissing, GitFailed):
        return ""
    return done.text if done.ok else ""
