"""Which files ``fmt`` found already in the canonical layout, kept until they change.

Proving a file canonical takes a ruamel.yaml round-trip (~6 ms a file); most files of a
plan stay canonical between two ``fmt --check`` runs. A file whose size, mtime_ns,
ctime_ns and inode are those it had when it was proven canonical is canonical still; one
whose timestamps lie within :data:`cache.RACY_NS` of the proof is served only if the hash
of its bytes matches (a write in the same clock tick). Everything else is round-tripped.

Each entry keeps the moment its proof began (the filesystem's own clock: the mtime of the
memo's temporary file, made after the proofs and so no earlier than them).

The memo sits beside the hazard cache (``.safeplan-cache/canonical.json``), is plain JSON
checked on load, written whole and renamed into place, and ignored when it is damaged or
from another build of the layout code (its stamp). Deleting it is always safe.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from safeplan.repo.cachefile import CacheWriter
from safeplan.repo.filestamp import RACY_NS, code_stamp, digest
from safeplan.repo.filestamp import stat_key as stat_key  # cli/fmt keys files as the memo does
from safeplan.repo.layout import CACHE_DIR

MEMO_FILE = "canonical.json"
FORMAT = 1
#: The code that decides the layout: a change of it (a development checkout) forgets all.
_LAYOUT_MODULES = (
    "yamlio/canonical.py",
    "yamlio/emit.py",
    "yamlio/roundtrip.py",
    "models/records.py",
)


def _stamp() -> str:
    return code_stamp(FORMAT, _LAYOUT_MODULES)


def _load(root: Path) -> dict[str, Any]:
    """rel → [size, mtime_ns, ctime_ns, inode, hash, when the proof began] as stored."""
    try:
        with open(root / CACHE_DIR / MEMO_FILE, "rb") as fh:
            data = json.loads(fh.read())
    except (OSError, ValueError, RecursionError):
        return {}
    if (
        not isinstance(data, dict)
        or data.get("stamp") != _stamp()
        or not isinstance(data.get("files"), dict)
    ):
        return {}
    files: dict[str, Any] = data["files"]
    return files


def known_canonical(root: Path, files: Sequence[tuple[Path, str]]) -> set[str]:
    """The files (by ``rel``) proven canonical and unchanged since."""
    stored = _load(root)
    out: set[str] = set()
    for path, rel in files:
        entry = stored.get(rel)
        if type(entry) is not list or len(entry) != 6 or type(entry[5]) is not int:
            continue
        key = stat_key(path)
        if key is None or key != entry[:4]:
            continue
        if max(key[1], key[2]) + RACY_NS > entry[5]:
            try:
                if digest(path.read_bytes()) != entry[4]:
                    continue
            except OSError:
                continue
        out.add(rel)
    return out


def remember_canonical(
    root: Path, proven: Iterable[tuple[str, list[int], bytes]], checked: Iterable[str]
) -> None:
    """Keep the files proven canonical now: (rel, the key taken before reading, bytes).

    Of the files ``checked`` now, only those ``proven`` stay; the entries of files not
    checked (served from the memo, or not named this time) are kept as they were, each
    with the moment of its own proof. Nothing new: the memo is left as it is. A memo that
    cannot be written is skipped: the answer of ``fmt`` never depends on it."""
    stored = _load(root)
    looked = set(checked)
    files = {rel: entry for rel, entry in stored.items() if rel not in looked}
    proven = list(proven)
    if not proven and len(files) == len(stored):
        return
    writer = CacheWriter.open(root, MEMO_FILE)
    if writer is None:
        return
    try:
        files.update((rel, [*key, digest(data), writer.started]) for rel, key, data in proven)
        writer.commit({"stamp": _stamp(), "files": files})
    finally:
        writer.discard()
