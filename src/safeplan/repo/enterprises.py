"""Reading the enterprise files, ``data/enterprises/<ID>.yaml``: each on its own, with the
rules within a record located in its text.

Enterprises are few beside hazards (a town has hundreds, not tens of thousands), so they
are read in this process with the fast loader, without workers; unchanged files come from
their own per-file cache (``repo/enterprise_cache.py``) when the command uses the cache.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from safeplan.problems import Problem
from safeplan.repo.layout import CACHE_DIR, ENTERPRISE_CACHE_FILE
from safeplan.repo.listing import enterprise_entries
from safeplan.repo.parse import file_stem, located, parse_file, text_digest
from safeplan.rules.enterprises import check_enterprise

if TYPE_CHECKING:  # imported when there is an enterprise file to read
    from safeplan.models.enterprises import EnterpriseRecord


def read_enterprises(
    root: Path, today: dt.date | None, cache: bool = False
) -> tuple[tuple[EnterpriseRecord, ...], tuple[str, ...], list[Problem], int, str | None]:
    """The valid enterprise records (file-name order), their files, every problem, how
    many files were read (``cache``: unchanged files without problems from the per-file
    cache, ``repo/enterprise_cache.py``), and the token of a cache that served them all."""
    entries, problems = enterprise_entries(root)
    if not entries:  # no enterprise: nothing to read, and no cache to import or keep
        if cache:
            with contextlib.suppress(OSError):
                os.unlink(root / CACHE_DIR / ENTERPRISE_CACHE_FILE)
        return (), (), problems, 0, None
    from safeplan.models.enterprises import EnterpriseRecord

    def read_one(path: str, rel: str) -> tuple[EnterpriseRecord | None, list[Problem], str | None]:
        parsed = parse_file(path, rel, EnterpriseRecord)
        found = list(parsed.problems)
        record = parsed.record
        if not isinstance(record, EnterpriseRecord):
            return None, found, None
        checked = check_enterprise(record, file_stem(rel), today)
        if checked:
            found.extend(located(checked, rel, parsed.text))
        return record, found, text_digest(parsed.text) if parsed.text else None

    if cache:
        from safeplan.repo.enterprise_cache import read_with_cache

        results, token = read_with_cache(root, entries, today, read_one)
    else:
        results, token = [read_one(path, rel)[:2] for path, rel in entries], None
    records: list[EnterpriseRecord] = []
    rels: list[str] = []
    for (_, rel), (record, found) in zip(entries, results, strict=True):
        problems.extend(found)
        if record is not None:
            records.append(record)
            rels.append(rel)
    return tuple(records), tuple(rels), problems, len(entries), token
