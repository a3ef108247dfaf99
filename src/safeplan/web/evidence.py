"""Evidence uploaded with a fact (photos before and after, a scanned acceptance form).

Stored in the repository beside the record, a folder per hazard
(``data/evidence/<HAZARD-ID>/``; a task's in ``data/evidence/task-<N>/``), under names
made here from the date, the verb and a number (what the browser calls the file is never
used), checked by content (JPEG, PNG or PDF), limited in size and number. The files become
part of the edit itself (new files of its ``EditResult``): written atomically with the
record, journaled, and committed with it; a refusal writes none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from safeplan.errors import UsageError
from safeplan.problems import N_

if TYPE_CHECKING:
    from safeplan.edit.transaction import EditResult, FileChange

EVIDENCE_DIR = "data/evidence"
#: At most this many files with one fact, each at most this many bytes.
MAX_FILES = 6
MAX_BYTES = 10 * 1024 * 1024

#: What a file's first bytes say it is → the suffix it is stored with.
_MAGIC = (
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"%PDF-", "pdf"),
)
#: The suffixes served back, and their content types.
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name the browser gave (shown in messages only) and its bytes."""

    name: str
    data: bytes


def kind_of(data: bytes) -> str | None:
    """JPEG, PNG or PDF by content, or None."""
    for magic, suffix in _MAGIC:
        if data.startswith(magic):
            return suffix
    return None


def check_uploads(uploads: Sequence[Upload]) -> list[str]:
    """The suffix of each upload; refused (nothing kept) if any is too big, of another
    kind, or if there are too many."""
    if len(uploads) > MAX_FILES:
        raise UsageError(
            N_("--evidence: at most {n} files with one fact; nothing was written"), n=MAX_FILES
        )
    kinds = []
    for u in uploads:
        if len(u.data) > MAX_BYTES:
            raise UsageError(
                N_("--evidence: {name} is larger than {mb} MB; nothing was written"),
                name=u.name,
                mb=MAX_BYTES // (1024 * 1024),
            )
        kind = kind_of(u.data)
        if kind is None:
            raise UsageError(
                N_(
                    "--evidence: {name} is not a JPEG or PNG photo or a PDF (by its content); "
                    "nothing was written"
                ),
                name=u.name,
            )
        kinds.append(kind)
    return kinds


def folder_of(subject: str, task: bool = False) -> str:
    """The evidence folder of a record, from the plan root (the id is checked first)."""
    if task:
        return f"{EVIDENCE_DIR}/task-{int(subject)}"
    from safeplan.repo.layout import check_hazard_id

    return f"{EVIDENCE_DIR}/{check_hazard_id(subject)}"


def plan_files(
    root: Path, folder: str, day: dt.date, verb: str, uploads: Sequence[Upload]
) -> list[FileChange]:
    """New files for the uploads, named ``<day>-<verb>-<n>.<suffix>`` after those there."""
    from safeplan.edit.transaction import FileChange

    kinds = check_uploads(uploads)
    out: list[FileChange] = []
    n = 1
    for upload, kind in zip(uploads, kinds, strict=True):
        while True:
            rel = f"{folder}/{day.isoformat()}-{verb}-{n}.{kind}"
            n += 1
            if not (root / rel).exists() and not (root / rel).is_symlink():
                break
        out.append(FileChange(root / rel, rel, None, upload.data))
    return out


def with_files(result: EditResult, files: Sequence[FileChange]) -> EditResult:
    """The edit and its evidence files, written (and committed) together."""
    from dataclasses import replace

    return replace(result, changes=(*files, *result.changes))


def served(root: Path, rel: str) -> tuple[Path, str] | None:
    """An evidence file asked for by the browser: only a file in the evidence folder, of
    a kind served, inside the plan (no link out); else None."""
    from safeplan.repo.layout import outside_root

    parts = rel.split("/")
    if len(parts) != 4 or "/".join(parts[:2]) != EVIDENCE_DIR:
        return None
    if any(p in ("", ".", "..") or "\\" in p or ":" in p for p in parts):
        return None
    suffix = parts[-1].rpartition(".")[2].lower()
    if suffix not in CONTENT_TYPES:
        return None
    path = root / rel
    if outside_root(root, rel) is not None or path.is_symlink() or not path.is_file():
        return None
    return path, CONTENT_TYPES[suffix]
