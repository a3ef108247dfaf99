"""An office's enterprise list (Excel or CSV, its own headings) into enterprise files.

The workbook is read, its cells parsed and its headings folded by the ledger importer's
own stages (``importers/ledger``: ``workbook``, ``cells``, ``headings``); this module knows
the headings offices write for an enterprise's fields. All or nothing: any row that cannot
be read is a located problem (``FILE:row:column``) and no file is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from safeplan import vocab, yamlio
from safeplan.edit.context import context
from safeplan.edit.enterprises import NewEnterprise, enterprise_paths, new_enterprise_id, record_of
from safeplan.errors import DataError, UsageError
from safeplan.importers.ledger import cells
from safeplan.importers.ledger.headings import fold
from safeplan.importers.ledger.workbook import Sheet, read_cells, refuse_no_file
from safeplan.models.enterprises import EnterpriseRecord
from safeplan.problems import N_, Problem
from safeplan.repo.layout import ENTERPRISES_DIR
from safeplan.repo.parse import parse_bytes
from safeplan.rules.enterprises import check_against_plan

#: The headings a list may give each field: its label in either language and the words
#: offices use (``vocab.ENTERPRISE_FIELD``, the one list of them).
HEADINGS: dict[str, tuple[str, ...]] = {
    t.code: (t.zh, *t.words, t.en) for t in vocab.ENTERPRISE_FIELD.terms
}
_INDEX = {fold(w): key for key, words in HEADINGS.items() for w in words}
_HEADER_ROWS = 10


def _header(sheet: Sheet) -> tuple[int, dict[int, str]] | None:
    """The row of headings (among the first rows): the first naming the enterprise and
    at least one more field."""
    for r, row in sheet.rows[:_HEADER_ROWS]:
        found = {
            c: _INDEX[fold(str(v))]
            for c, v in row.items()
            if isinstance(v, str) and fold(v) in _INDEX
        }
        if "name" in found.values() and len(found) >= 2:
            return r, found
    return None


def _split(value: str) -> list[str]:
    for sep in "、，,；;/":
        value = value.replace(sep, " ")
    return value.split()


def _row(
    values: Mapping[int, object], columns: Mapping[int, str], on: dt.date
) -> tuple[NewEnterprise, list[tuple[int, str, dict[str, Any]]]]:
    """One row as the fields of a new enterprise, and the problems of its cells."""
    new = NewEnterprise(registered_on=on)
    problems: list[tuple[int, str, dict[str, Any]]] = []
    for col, key in columns.items():
        raw = values.get(col)
        if cells.blank(raw):
            continue
        try:
            if key == "credit_code":
                new.credit_code = cells.credit_code(raw)
            elif key == "industry":
                new.industry = cells.coded(vocab.INDUSTRY, raw)
            elif key == "flags":
                text = cells.text(raw) or ""
                new.flags = [cells.coded(vocab.SCENARIO, w) or "" for w in _split(text)]
            elif key == "registered_on":
                new.registered_on = cells.date(raw)
            elif key == "employees":
                text = cells.text(raw) or ""
                if not text.isdigit():
                    raise cells.CellProblem(N_("'{value}' is not a number of people"), value=text)
                new.employees = int(text)
            elif key == "safety_manager":
                new.safety_managers = _split(cells.text(raw) or "")
            elif key == "phone":
                new.principal_phone = cells.text(raw)
            else:
                setattr(new, key, cells.text(raw))
        except cells.CellProblem as exc:
            problems.append((col, exc.template, exc.params))
    return new, problems


def _table(path: Path, shown: str, sheet: str | None) -> tuple[Sheet, int, dict[int, str]]:
    """The sheet holding the list, its heading row and its columns (column → field);
    refused when no sheet has headings naming the enterprise, or none names the industry."""
    refuse_no_file(path, shown)
    sheets = read_cells(path, shown, sheet)
    found = next(((s, h) for s in sheets if (h := _header(s)) is not None), None)
    if found is None:
        raise UsageError(
            N_(
                "{path}: no row of headings naming the enterprise (企业名称) and another field "
                "was found in its first rows: add the headings"
            ),
            path=shown,
        )
    table, (header_row, columns) = found
    if "industry" not in columns.values():
        raise UsageError(N_("{path}: no column of the industry (监管行业): add one"), path=shown)
    return table, header_row, columns


def _missing(new: NewEnterprise, r: int, columns: dict[int, str], shown: str) -> list[Problem]:
    """A row without the two things every enterprise needs: its name and its industry."""
    if not new.name:
        return [Problem(shown, r, 1, "enterprise-name", N_("the row has no enterprise name"))]
    if not new.industry:
        col = next(c for c, k in columns.items() if k == "industry")
        return [
            Problem(shown, r, col, "enterprise-industry", N_("the row has no industry (监管行业)"))
        ]
    return []


def import_enterprises(
    root: Path, path: Path, shown: str, on: dt.date, sheet: str | None = None
) -> tuple[dict[str, bytes], int]:
    """The new enterprise files (rel → bytes) an office's list gives, and the rows read.

    Refused with every located problem if any row cannot be read or would not validate;
    an enterprise already registered (same id or credit code) is a problem too."""
    table, header_row, columns = _table(path, shown, sheet)
    plan = context(root).plan
    existing = enterprise_paths(root)
    taken = {k.casefold() for k in existing}
    out: dict[str, bytes] = {}
    problems: list[Problem] = []
    rows = 0
    for r, values in table.rows:
        if r <= header_row or cells.totals_row(values.values()):
            continue
        new, cell_problems = _row(values, columns, on)
        for col, template, params in cell_problems:
            problems.append(Problem(shown, r, col, "enterprise-cell", template, params))
        if cell_problems:
            continue
        missing = _missing(new, r, columns, shown)
        if missing:
            problems += missing
            continue
        rows += 1
        ent_id = new.credit_code or new_enterprise_id(new.registered_on or on, sorted(taken))
        if ent_id.casefold() in taken:
            problems.append(
                Problem(
                    shown,
                    r,
                    1,
                    "enterprise-exists",
                    N_("{id} is already registered or listed twice: one row an enterprise"),
                    {"id": ent_id},
                )
            )
            continue
        taken.add(ent_id.casefold())
        rel = f"{ENTERPRISES_DIR.as_posix()}/{ent_id}.yaml"
        try:
            data = yamlio.rt_dump_new(record_of(new, ent_id))
        except UsageError as exc:
            problems.append(Problem(shown, r, 1, "enterprise-row", exc.template, exc.params))
            continue
        parsed = parse_bytes(data, rel, EnterpriseRecord)
        if not isinstance(parsed.record, EnterpriseRecord):
            problems += [
                Problem(shown, r, 1, p.code, p.template, p.params) for p in parsed.problems
            ]
            continue
        found_grade = check_against_plan(parsed.record, plan)
        if found_grade:
            col = next(c for c, k in columns.items() if k == "grade")
            problems += [Problem(shown, r, col, f.code, f.template, f.params) for f in found_grade]
            continue
        out[rel] = data
    if problems:
        raise DataError(
            N_("{path}: rows that cannot be read, so no enterprise was imported"),
            problems,
            path=shown,
        )
    return out, rows
