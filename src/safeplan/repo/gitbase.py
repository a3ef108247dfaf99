"""The base revision: what a file held there, and what changed since (``validate --base``).

Reads only files that differ (one ``git diff`` and one ``git cat-file --batch``), so a plan
of 10,000 unchanged hazards costs two subprocesses; through the one runner
(:class:`safeplan.repo.git.Git`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from safeplan.errors import UsageError
from safeplan.problems import N_
from safeplan.repo.git import RECORD_PATHS, Git, GitFailed, GitMissing, GitUntrusted


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
