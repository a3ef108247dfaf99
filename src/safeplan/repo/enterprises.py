"""Reading the enterprise files, ``data/enterprises/<ID>.yaml``: each on its own, with the
rules within a record located in its text.

Enterprises are few beside hazards (a town has hundreds, not tens of thousands), so they
are read in this process with the fast loader, without workers or the per-file cache.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from safeplan.models.enterprises import EnterpriseRecord
from safeplan.problems import Problem
from safeplan.repo.listing import enterprise_entries
from safeplan.repo.parse import file_stem, located, parse_file
from safeplan.rules.enterprises import check_enterprise


def read_enterprises(
    root: Path, today: dt.date | None
) -> tuple[tuple[EnterpriseRecord, ...], tuple[str, ...], list[Problem], int]:
    """The valid enterprise records (file-name order), their files, every problem, and how
    many files were read."""
    entries, problems = enterprise_entries(root)
    records: list[EnterpriseRecord] = []
    rels: list[str] = []
    for path, rel in entries:
        parsed = parse_file(path, rel, EnterpriseRecord)
        problems.extend(parsed.problems)
        record = parsed.record
        if isinstance(record, EnterpriseRecord):
            found = check_enterprise(record, file_stem(rel), today)
            if found:
                problems.extend(located(found, rel, parsed.text))
            records.append(record)
            rels.append(rel)
    return tuple(records), tuple(rels), problems, len(entries)
