"""A new plan's repository: ``init``'s ``git init`` and first commit, or what is left to do.

What ``init`` (and ``recover`` of an interrupted ``init``) does with git, through the one
runner (:class:`safeplan.repo.git.Git`); when git cannot finish, the exact commands that do.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from safeplan.problems import N_
from safeplan.repo.git import CommitFailed, Git, GitFailed, GitMissing, GitUntrusted


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
