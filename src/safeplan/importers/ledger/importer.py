"""The ledger import run stage by stage: read the cells, find the layout, map each row, check
its record; a row the register already has is a conflict, or with ``update`` brought up to
date (``importers.ledger.update``). Nothing is written.

A row that names a hazard the register already has (its id, or the same enterprise,
title and discovery day) is a conflict, never an overwrite; with ``update`` it brings
the record up to date instead: facts the record lacks are added, registration facts
that differ are corrected with a dated correction (as ``hazard edit`` does), and a
dated fact that differs is refused (history is not rewritten).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safeplan.errors import DataError
from safeplan.importers.ledger import headings
from safeplan.importers.ledger.check import checked, file_bytes, ordered, reads_back
from safeplan.importers.ledger.common import Action, RowOutcome
from safeplan.importers.ledger.layout import (
    Context,
    at_row,
    column_index,
    columns_by_key,
    find_layout,
    missing_columns,
    problem,
    resolve_defaults,
)
from safeplan.importers.ledger.row import Row, record_of, skip_reason
from safeplan.importers.ledger.update import update_record
from safeplan.importers.ledger.workbook import read_cells, refuse_no_file
from safeplan.problems import N_, Fragment, ListOf, Problem

if TYPE_CHECKING:
    from safeplan.edit import EditResult

NewId = Callable[[dt.date, set[str]], str]
#: A planned file: (rel, old bytes or None for a new file, new bytes).
Planned = tuple[str, bytes | None, bytes]
#: A planned file before its bytes are made: a new hazard's checked record stays data until
#: the import writes it (a dry run never dumps it).
Pending = tuple[str, bytes | None, bytes | dict[str, Any]]


@dataclass(frozen=True)
class LedgerImport:
    """A ledger read: the sheet, its columns, each row's outcome, the problems, the files."""

    shown: str
    sheet: str
    heading_row: int
    #: (heading as written, column key) of every column read.
    columns: tuple[tuple[str, str], ...]
    ignored: tuple[str, ...]
    rows: tuple[RowOutcome, ...]
    problems: tuple[Problem, ...]
    #: (rel, old bytes or None for a new file, new bytes or a new hazard's checked record).
    planned: tuple[Pending, ...]
    #: Values given for the whole sheet (``--set``, ``defaults:``): (heading, value).
    defaults: tuple[tuple[str, str], ...] = ()
    #: Units the ledger names that the plan lacks, and whether the import adds them.
    new_units: tuple[str, ...] = ()
    adds_units: bool = False

    @cached_property
    def files(self) -> tuple[Planned, ...]:
        """(rel, old bytes or None for a new file, new bytes): each new hazard's file made
        when first asked for."""
        return tuple(
            (rel, old, new if isinstance(new, bytes) else file_bytes(new))
            for rel, old, new in self.planned
        )

    @property
    def file_count(self) -> int:
        """How many files the import writes (without making them)."""
        return len(self.planned)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    def count(self, action: Action) -> int:
        return sum(1 for r in self.rows if r.action == action)


def import_ledger(
    path: Path,
    shown: str,
    root: Path,
    today: dt.date,
    new_id: NewId,
    gettexts: Sequence[Callable[[str], str]] = (),
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    update: bool = False,
    defaults: Mapping[str, str] | None = None,
    add_units: bool = False,
) -> LedgerImport:
    """Read a ledger and plan its hazard files (nothing is written).

    ``new_id`` allocates an id for a row without a usable one (the edit layer's); ``today``
    is the day facts may not be dated after; ``gettexts`` translate the ledger's own
    headings in each language to recognise; ``defaults`` give a value for the whole sheet
    to columns the ledger lacks (``--set``); with ``add_units``, the units rows name that
    the plan lacks are added to data/units.yaml in the same edit."""
    from safeplan.repo import load

    refuse_no_file(path, shown)
    index = column_index(gettexts, mapping)
    grid, layout = find_layout(read_cells(path, shown, sheet), index, shown)
    repo = load(root, today=today)
    _refuse_unreadable(repo)
    by_key = columns_by_key(layout)
    given = resolve_defaults(defaults or {}, index, by_key)
    funds_col = by_key.get("funds")
    ctx = Context(
        shown,
        layout,
        by_key,
        repo.unit_names(),
        today,
        [],
        headings.funds_unit(funds_col[1]) if funds_col else None,
        repo.plan,
        given,
        add_units=add_units,
    )
    missing_columns(ctx)
    register = _Register.of(root, repo.hazards, new_id, update)
    outcomes: list[RowOutcome] = []
    files: list[Pending] = []
    if not any(p.severity == "error" for p in ctx.problems):
        for r, cells in grid.rows:
            if r <= layout.heading_row:
                continue
            outcome, planned = _one_row(ctx, r, cells, register)
            outcomes.append(outcome)
            if planned is not None:
                files.append(planned)
    if ctx.new_units:
        units_file = _new_units(ctx, root, add_units)
        if units_file is not None:
            files.insert(0, units_file)
    return LedgerImport(
        shown,
        grid.name,
        layout.heading_row,
        tuple(v for _, v in sorted(layout.columns.items())),
        tuple(layout.ignored),
        tuple(outcomes),
        tuple(sorted(ctx.problems, key=lambda p: (p.line, p.column))),
        tuple(files),
        tuple((h, v) for h, v in given.values()),
        tuple(ctx.new_units),
        add_units and bool(ctx.new_units),
    )


def _refuse_unreadable(repo: Any) -> None:
    """A row is matched against the register to find its hazard: against one that cannot
    be read, it would be registered a second time."""
    if repo.unreadable_hazards:
        from safeplan.rules.hints import FIX_FIRST

        bad = repo.unreadable_hazards
        found = [p for p in repo.problems if p.path in bad and p.severity == "error"]
        raise DataError(FIX_FIRST, found, path=ListOf(list(bad)))


@dataclass
class _Register:
    """The hazards a row is matched against, and the ids and rows seen so far."""

    root: Path
    new_id: NewId
    update: bool
    #: Every hazard id taken, casefolded (those of unreadable files too).
    taken: set[str]
    #: (enterprise, title, discovery day) → hazard.
    registered: dict[tuple[object, ...], Any]
    #: casefolded id → hazard.
    by_id: dict[str, Any]
    seen_ids: dict[str, int] = field(default_factory=dict)
    #: (enterprise, title, discovery day) → the row and the id it gave (casefolded), if any.
    seen_keys: dict[tuple[object, ...], tuple[int, str | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, root: Path, hazards: Sequence[Any], new_id: NewId, update: bool) -> _Register:
        from safeplan.repo import hazard_ids

        return cls(
            root,
            new_id,
            update,
            {i.casefold() for i in hazard_ids(root)},
            {(h.enterprise, h.title, h.discovered_on): h for h in hazards},
            {h.id.casefold(): h for h in hazards},
        )


def _one_row(
    ctx: Context, r: int, cells: Mapping[int, object], register: _Register
) -> tuple[RowOutcome, Pending | None]:
    why = skip_reason(cells, ctx)
    if why is not None:
        return RowOutcome(r, "skip", template=why), None
    row = Row(ctx, r, cells)
    record, ledger_number = record_of(row)
    title = record.get("title")
    if row.failed or record.get("discovered_on") is None:
        return RowOutcome(r, "error", title=title), None
    if record.get("responsible_unit") in ctx.new_units and not ctx.add_units:
        return RowOutcome(r, "error", title=title), None  # said once, for the whole ledger
    ent = record.get("enterprise", {}).get("name") if record.get("enterprise") else None
    key = (ent, title, record["discovered_on"])
    given = record.get("id")
    if _seen_before(ctx, r, register, key, given):
        return RowOutcome(r, "error", given, title), None
    existing = (register.by_id.get(given.casefold()) if given else None) or register.registered.get(
        key
    )
    if existing is None and given and given.casefold() in register.taken:
        existing = _Unreadable(given)
    if existing is not None:
        if not register.update:
            _conflict(ctx, r, existing, given)
            return RowOutcome(r, "error", existing.id, title), None
        return update_record(
            at_row(ctx, r), register.root, existing, record, ctx.today, r, ctx.plan
        )
    hazard_id = given if given else register.new_id(record["discovered_on"], register.taken)
    register.taken.add(hazard_id.casefold())
    record["id"] = hazard_id
    if ledger_number:
        record["ledger_no"] = ledger_number
    data = checked(ctx, r, ordered(record))
    rel = f"data/hazards/{hazard_id}.yaml"
    if data is None:
        return RowOutcome(r, "error", hazard_id, title), None
    if record.get("notes") and "notes" in ctx.by_key:
        return RowOutcome(
            r,
            "create",
            hazard_id,
            title,
            rel,
            N_("{heading} kept as a note, not read into a fact: '{note}'"),
            {"heading": ctx.by_key["notes"][1], "note": record["notes"][0]["text"]},
        ), (rel, None, data)
    return RowOutcome(r, "create", hazard_id, title, rel), (rel, None, data)


def _seen_before(
    ctx: Context, r: int, register: _Register, key: tuple[object, ...], given: str | None
) -> bool:
    """Whether an earlier row of the ledger is the same hazard (said as a problem); else
    the row is remembered for those below it. Two rows with the same enterprise, title
    and day but ids of their own are two hazards (a register has such pairs: the same
    fault found in two places on one inspection)."""
    folded = given.casefold() if given else None
    same_key = register.seen_keys.get(key)
    earlier = (
        same_key[0]
        if same_key is not None and (same_key[1] is None or folded is None or same_key[1] == folded)
        else None
    ) or (register.seen_ids.get(folded) if folded else None)
    if earlier is not None:
        problem(
            ctx,
            r,
            "id" if given and given.casefold() in register.seen_ids else "title",
            N_(
                "the same hazard as row {row} (the same id, or the same enterprise, title and "
                "discovery day): remove one of the two rows"
            ),
            {"row": earlier},
            code="ledger-duplicate",
        )
        return True
    register.seen_keys.setdefault(key, (r, folded))
    if folded:
        register.seen_ids[folded] = r
    return False


def _conflict(ctx: Context, r: int, existing: Any, given: str | None) -> None:
    """A row of a hazard the register has, imported without ``--update``: nothing is
    overwritten."""
    same_id = bool(given) and existing.id.casefold() == (given or "").casefold()
    problem(
        ctx,
        r,
        "id" if same_id else "title",
        N_(
            "the register already has this hazard: {id} ({path}), with {why}; nothing "
            "is overwritten: remove the row, or import with --update to bring the "
            "record up to date from the ledger"
        ),
        {
            "id": existing.id,
            "path": existing.path,
            "why": Fragment(
                N_("the same id") if same_id else N_("the same enterprise, title and discovery day")
            ),
        },
        code="ledger-conflict",
    )


class _Unreadable:
    """A hazard file whose id is taken but which does not read: a conflict all the same."""

    def __init__(self, hazard_id: str) -> None:
        self.id = hazard_id
        self.path = f"data/hazards/{hazard_id}.yaml"


def _new_units(ctx: Context, root: Path, add: bool) -> Planned | None:
    """The units rows name that the plan lacks: listed once (not an error a row), and with
    ``add`` written into data/units.yaml in the same edit, each with the kind its name
    says (局 an agency, 站 or 所 a station …)."""
    from safeplan import vocab, yamlio
    from safeplan.repo import UNITS_FILE
    from safeplan.rules.hints import closest

    first = min(rows[0] for rows in ctx.new_units.values())
    names = list(ctx.new_units)
    if not add:
        problem(
            ctx,
            first,
            "responsible_unit",
            N_(
                "the ledger names units data/units.yaml does not have: {units}; add them in "
                "the same edit with --add-units, or write each as the plan writes it "
                "(closest: {closest})"
            ),
            {
                "units": ListOf(
                    [
                        Fragment(N_("'{name}' (rows {rows})"), {"name": n, "rows": ListOf(r)})
                        for n, r in ctx.new_units.items()
                    ]
                ),
                "closest": ListOf(sorted({c for n in names for c in closest(n, ctx.units)})),
            },
            code="ledger-unit",
        )
        return None
    kinds = {}
    for name in names:
        typo = next((u for u in ctx.units if _one_apart(name, u)), None)
        if typo is not None:
            problem(
                ctx,
                ctx.new_units[name][0],
                "responsible_unit",
                N_(
                    "'{name}' is one character from '{unit}' of data/units.yaml: a typing "
                    "mistake is not added as a new unit; write '{unit}' (or add '{name}' to "
                    "data/units.yaml by hand if it is another unit)"
                ),
                {"name": name, "unit": typo},
                code="ledger-unit",
            )
            continue
        kind = _kind_of(name, vocab.UNIT_KIND)
        if kind is None:
            problem(
                ctx,
                ctx.new_units[name][0],
                "responsible_unit",
                N_(
                    "'{name}' is not a unit of data/units.yaml, and its name does not say what "
                    "kind of unit it is (站, 所, 办, 局, 中心, 委): add it to data/units.yaml by hand"
                ),
                {"name": name},
                code="ledger-unit",
            )
            continue
        kinds[name] = kind
    if len(kinds) < len(names):
        return None
    rt = yamlio.rt_load(root / UNITS_FILE)
    for name, kind in kinds.items():
        yamlio.rt_append(rt.data, "units", {"name": name, "kind": kind})
    return UNITS_FILE.as_posix(), rt.original, rt.dump()


def _one_apart(a: str, b: str) -> bool:
    """Two names of one length that differ in one character (镇安监占, 镇安监站)."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _kind_of(name: str, kinds: Any) -> str | None:
    """A unit's kind from the end of its name (县应急管理局: an agency), or None."""
    best: tuple[int, str] | None = None
    for term in kinds.terms:
        if term.code == "group":
            continue
        for word in (term.zh, *term.words):
            if word and name.endswith(word) and (best is None or len(word) > best[0]):
                best = (len(word), term.code)
    return best[1] if best else None


def new_id(day: dt.date, taken: set[str]) -> str:
    """An id for a row that has none: the edit layer allocates it, as for ``hazard new``."""
    from safeplan.edit import new_hazard_id

    return new_hazard_id(day, taken)


def as_edit(root: Path, done: LedgerImport) -> EditResult:
    """The planned files as one edit, each checked as every edit is before it is written.

    A new hazard's record was checked as data (``checked``) with the same rules: its file
    is checked again in full only if it does not read back as that record."""
    from safeplan.edit import EditResult, FileChange, unit_names
    from safeplan.edit.context import check_hazard_bytes

    names = [*unit_names(root), *(done.new_units if done.adds_units else ())]
    changes = []
    for (rel, old, new), (_, _, planned) in zip(done.files, done.planned, strict=True):
        stem = Path(rel).stem
        if old is None and not (isinstance(planned, dict) and reads_back(new, planned)):
            check_hazard_bytes(new, rel, stem, names, ())
        changes.append(FileChange(root / rel, rel, old, new))
    if not changes:
        raise DataError(N_("nothing to write"))
    return EditResult(
        root=root,
        changes=tuple(changes),
        template=N_("imported {files} from {path}"),
        params={"files": len(changes), "path": done.shown},
        commit_message=f"import ledger: {len(changes)} hazard files from {Path(done.shown).name}",
        subject=done.shown,
    )
