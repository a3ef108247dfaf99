"""What a base revision held: the files git would show as deleted or changed since then.

A validator that reads only what is there cannot see a deleted record, so ``validate``
compares the working tree with a base revision (``--base REF``; HEAD by default). Only
files that differ are read from git (one ``git diff`` and one ``git cat-file --batch``),
so a plan of 10,000 unchanged hazards costs two subprocesses.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from safeplan.errors import UsageError
from safeplan.problems import N_

#: The paths of a plan that hold records.
RECORD_PATHS = ("data/hazards", "data/tasks.yaml")


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
    params: dict[str, str]


def _git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, check=False)


def dubious(stderr: bytes) -> bool:
    """git's refusal to work in a repository owned by someone else."""
    return b"dubious ownership" in stderr


def compare(root: Path, ref: str | None) -> BaseComparison | Unavailable:
    """The record files that differ between ``ref`` (default HEAD) and the working tree."""
    explicit = ref is not None
    ref = ref or "HEAD"
    try:
        top = _git(root, "rev-parse", "--show-toplevel")
    except FileNotFoundError:
        return Unavailable(N_("git is not installed: deleted records were not looked for"), {})
    if top.returncode != 0:
        if dubious(top.stderr):
            return Unavailable(
                N_(
                    "git refuses to read {root}: it is owned by someone else (git's 'dubious "
                    "ownership'); deleted records were not looked for. If you trust it: "
                    "git config --global --add safe.directory {root}"
                ),
                {"root": str(root)},
            )
        if explicit:
            raise UsageError(
                N_("--base {ref}: {root} is not in a git repository"), ref=ref, root=str(root)
            )
        return Unavailable(
            N_("{root} is not in a git repository: deleted records were not looked for"),
            {"root": str(root)},
        )
    verify = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if verify.returncode != 0:
        if explicit:
            raise UsageError(
                N_(
                    "--base {ref}: git knows no such revision (fetch it first, e.g. git fetch origin)"
                ),
                ref=ref,
            )
        return Unavailable(N_("no commit yet: deleted records were not looked for"), {})
    diff = _git(
        root,
        "diff",
        "--raw",
        "-z",
        "--abbrev=40",
        "--no-renames",
        "--relative",
        ref,
        "--",
        *RECORD_PATHS,
    )
    if diff.returncode != 0:
        return Unavailable(
            N_("git diff failed ({error}): deleted records were not looked for"),
            {"error": diff.stderr.decode("utf-8", "replace").strip()},
        )
    wanted = _changed(diff.stdout)
    if not wanted:
        return BaseComparison(ref, ())
    blobs = _cat(root, [blob for _, _, blob in wanted])
    files = tuple(
        BaseFile(rel, status, data)
        for (status, rel, _), data in zip(wanted, blobs, strict=True)
        if data is not None
    )
    return BaseComparison(ref, files)


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


def _cat(root: Path, blobs: Sequence[str]) -> list[bytes | None]:
    """The bytes of each blob (None when git has none such)."""
    query = "".join(f"{blob}\n" for blob in blobs).encode("ascii")
    done = _git(root, "cat-file", "--batch", stdin=query)
    data = done.stdout
    out: list[bytes | None] = []
    pos = 0
    for _ in blobs:
        end = data.index(b"\n", pos)
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
    try:
        top = _git(root, "rev-parse", "--show-toplevel")
    except FileNotFoundError:
        raise UsageError(N_("--changed-since needs git, which is not installed")) from None
    if top.returncode != 0:
        raise UsageError(
            N_("--changed-since {ref}: {root} is not in a git repository"), ref=ref, root=str(root)
        )
    verify = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if verify.returncode != 0:
        raise UsageError(
            N_(
                "--changed-since {ref}: git knows no such revision (fetch it first, e.g. "
                "git fetch origin)"
            ),
            ref=ref,
        )
    diff = _git(root, "diff", "--name-only", "-z", "--no-renames", "--relative", ref, "--")
    others = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    names = (diff.stdout + b"\0" + others.stdout).decode("utf-8", "surrogateescape").split("\0")
    return frozenset(n for n in names if n)


def prefix(root: Path) -> str:
    """The plan root's folder inside its git repository, ending in ``/`` (``""`` at the top,
    or outside git): reports for a forge name files from the repository's top."""
    try:
        done = _git(root, "rev-parse", "--show-prefix")
    except FileNotFoundError:
        return ""
    return done.stdout.decode("utf-8", "surrogateescape").strip() if done.returncode == 0 else ""
