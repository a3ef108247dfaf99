"""A row's record checked as ``safeplan validate`` would check its file, and that file's bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from safeplan.importers.ledger.common import HAZARD_ORDER, column_of, record_findings
from safeplan.importers.ledger.layout import Context, problem
from safeplan.models.hazards import Hazard


def ordered(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record's keys in the order a hazard file writes them, empty ones left out."""
    out = {k: record[k] for k in HAZARD_ORDER if k in record and record[k] is not None}
    if "extensions" in out:
        out["extensions"] = [
            {k: e[k] for k in ("on", "from", "to", "reason", "approved_by")}
            for e in out["extensions"]
        ]
    return out


#: Findings whose key path is not the cell to fix (no deadline is found at the level).
_CODE_COLUMNS = {"no-deadline": "deadline"}


class Checked(dict[str, Any]):
    """A record that passed the checks, with the data they passed (``plain``: dates as
    text, as its file reads back), so the read-back need not make it again."""

    plain: dict[str, Any]
    #: Its file's bytes when the direct writer made them (``file_bytes``), which read back
    #: as the record by construction (``yamlio.emit.dump_direct``).
    direct: bytes | None = None


def checked(ctx: Context, r: int, record: dict[str, Any]) -> dict[str, Any] | None:
    """The record, checked as validate would check its file; None (with problems) when it
    fails.

    The record is checked as data; its file is written (``file_bytes``) only when the
    import writes it (a dry run never does), and a failing one only to place its problems
    on a line."""
    from pydantic import ValidationError

    rel = f"data/hazards/{record['id']}.yaml"
    plain = _plain(record)
    try:
        hazard = Hazard.model_validate(plain)
    except ValidationError as exc:
        from safeplan.repo.messages import error_to_problem
        from safeplan.yamlio import Locator

        locator = Locator(_file(rel, record).decode())
        for err in exc.errors():
            p = error_to_problem(err, rel, locator, 0, Hazard, record)
            problem(ctx, r, column_of(err["loc"]), p.template, p.params)
        return None
    ok = True
    # Units the plan lacks are said once for the ledger (importer), not in every row.
    units = [*ctx.units, *ctx.new_units]
    for f in record_findings(hazard, units, ctx.today, ctx.plan):
        if f.code == "id-file-name":
            continue
        key = _CODE_COLUMNS.get(f.code) or column_of(f.path)
        problem(ctx, r, key, f.template, f.params, f.severity, code=f.code, near="title")
        ok = ok and f.severity != "error"
    if not ok:
        return None
    out = Checked(record)
    out.plain = plain
    return out


def file_bytes(record: dict[str, Any]) -> bytes:
    """A checked record's new file, as 'hazard new' writes it."""
    return _file(f"data/hazards/{record['id']}.yaml", record)


def reads_back(data: bytes, record: dict[str, Any]) -> bool:
    """Whether the file written for a checked record reads back as that record's data
    (what the checks passed), so the edit need not check it a second time.

    The very bytes the direct writer made for the record do, by that writer's
    construction: parsing them again was a tenth of a 5,000-row ``--apply``. Any other
    bytes (ruamel's, or bytes changed since) are read back and compared."""
    if isinstance(record, Checked) and record.direct is not None and record.direct is data:
        return True
    from safeplan import yamlio
    from safeplan.yamlio import YamlProblem

    try:
        read = yamlio.load_fast(yamlio.decode(data))
    except YamlProblem:
        return False
    plain = record.plain if isinstance(record, Checked) else _plain(record)
    return bool(read == plain)


def _file(rel: str, record: dict[str, Any]) -> bytes:
    """The hazard file's bytes, as 'hazard new' writes them; a checked record keeps them
    when the direct writer made them (``Checked.direct``)."""
    data, direct = _file_made(rel, record)
    if direct and isinstance(record, Checked):
        record.direct = data
    return data


def _file_made(rel: str, record: dict[str, Any]) -> tuple[bytes, bool]:
    """The hazard file's bytes, as 'hazard new' writes them (the credit code in quotes, so
    that no YAML reader takes it for a number), and whether the direct writer made them."""
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    from safeplan.schema import modeline
    from safeplan.yamlio.emit import dump_direct
    from safeplan.yamlio.roundtrip import rt_dump_new

    written = dict(record)
    ent = written.get("enterprise")
    if ent and ent.get("credit_code"):
        written["enterprise"] = {**ent, "credit_code": SingleQuotedScalarString(ent["credit_code"])}
    direct = dump_direct(written)
    body = direct if direct is not None else rt_dump_new(written)
    return modeline(rel).encode() + body, direct is not None


def _plain(value: Any) -> Any:
    """Record data as the file reads back: dates as text (the records parse text)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
