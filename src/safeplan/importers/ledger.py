"""An existing ledger (台账) into the register: one hazard file per row, or nothing.

A township arrives with its ledger as an Excel/WPS workbook. :func:`import_ledger` reads
it (the sheet with hazards, its heading row under any title rows, merged cells, blank
rows, totals and signature rows), turns each row into a hazard record, checks each
record as ``safeplan validate`` would, and returns what it would do per row and the
files' bytes. It writes nothing: the command wraps the files into one edit, applied
all or nothing, and only when no row has an error.

A row that names a hazard the register already has (its id, or the same enterprise,
title and discovery day) is a conflict, never an overwrite; with ``update`` it brings
the record up to date instead: facts the record lacks are added, registration facts
that differ are corrected with a dated correction (as ``hazard edit`` does), and a
dated fact that differs is refused (history is not rewritten).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from safeplan import vocab
from safeplan.errors import DataError, UsageError
from safeplan.importers import ledger_map as lm
from safeplan.models.ledger import HAZARD_COLUMNS
from safeplan.models.records import HAZARD_ID_RE, WINDOWS_RESERVED_RE, Hazard, Plan
from safeplan.problems import N_, Finding, Fragment, ListOf, Problem

#: Refuse workbooks that unpack to more than this (a zip bomb), and sheets with more rows.
MAX_UNPACKED = 400 * 1024 * 1024
MAX_ROWS = 200_000
#: Rows searched for the heading row (under title and note rows).
HEADING_SEARCH = 30
#: What the record keeps when the ledger does not say who approved an extension, or why.
NOT_IN_LEDGER = "台账未载明"

Action = Literal["create", "update", "unchanged", "skip", "error"]
NewId = Callable[[dt.date, set[str]], str]


@dataclass(frozen=True)
class RowOutcome:
    """What the import does with one row of the sheet."""

    row: int
    action: Action
    id: str | None = None
    title: str | None = None
    rel: str | None = None
    #: Why a row is skipped, or what an update changes: an English template and params.
    template: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


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
    #: (rel, old bytes or None for a new file, new bytes).
    files: tuple[tuple[str, bytes | None, bytes], ...]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    def count(self, action: Action) -> int:
        return sum(1 for r in self.rows if r.action == action)


@dataclass
class _Sheet:
    """A sheet's cells as values, merged cells filled in, by 1-based row and column."""

    name: str
    rows: list[tuple[int, dict[int, object]]]
    names: list[str]


# --------------------------------------------------------------------------- reading a workbook


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def _refuse_file(shown: str, data: bytes) -> None:
    """Say what a file that is not an .xlsx workbook is, and what to do."""
    if data.startswith(_OLE2):
        if _ENCRYPTED in data:
            raise DataError(
                N_(
                    "{path} is protected by a password: open it in Excel or WPS, remove the "
                    "password (文件 → 信息 → 保护工作簿 / 文档加密), save it, and import it again"
                ),
                path=shown,
            )
        raise DataError(
            N_(
                "{path} is an old-format .xls workbook: open it in Excel or WPS and save it "
                "as an .xlsx workbook (另存为 → Excel 工作簿), then import that"
            ),
            path=shown,
        )
    raise DataError(
        N_(
            "{path} is not an .xlsx workbook (it is not a zip file): save the ledger from "
            "Excel or WPS as .xlsx, or give a .csv file"
        ),
        path=shown,
    )


def _read_xlsx(path: Path, shown: str, sheet: str | None) -> list[_Sheet]:
    import warnings

    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    if not zipfile.is_zipfile(path):
        _refuse_file(shown, head)
    try:
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(
            N_("{path} cannot be read as a workbook: {reason}"), path=shown, reason=str(exc)
        ) from None
    if unpacked > MAX_UNPACKED:
        raise DataError(
            N_("{path} unpacks to {size} MB, more than a ledger holds: refused"),
            path=shown,
            size=unpacked // (1024 * 1024),
        )
    if "xl/workbook.xml" not in names:
        raise DataError(
            N_("{path} is a zip file but not an Excel workbook (it has no xl/workbook.xml)"),
            path=shown,
        )
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of styles and extensions it skips
            wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DataError(
            N_(
                "{path} cannot be read as a workbook ({reason}): open it in Excel or WPS and save it again"
            ),
            path=shown,
            reason=f"{type(exc).__name__}: {exc}",
        ) from None
    try:
        sheet_names = list(wb.sheetnames)
        if sheet is not None and sheet not in sheet_names:
            raise UsageError(
                N_("--sheet: {path} has no sheet '{sheet}'; it has {sheets}"),
                path=shown,
                sheet=sheet,
                sheets=ListOf(sheet_names, quoted=True),
            )
        chosen = [sheet] if sheet is not None else sheet_names
        sheets = []
        for name in chosen:
            ws = wb[name]
            if not hasattr(ws, "merged_cells"):  # a chart sheet
                continue
            if (ws.max_row or 0) > MAX_ROWS:
                raise DataError(
                    N_(
                        "sheet '{sheet}' of {path} has {rows} rows, more than safeplan reads ({max})"
                    ),
                    sheet=name,
                    path=shown,
                    rows=ws.max_row,
                    max=MAX_ROWS,
                )
            sheets.append(_cells(ws, name, sheet_names))
        if not sheets:
            raise DataError(N_("{path} has no sheet of cells to read"), path=shown)
        return sheets
    finally:
        wb.close()


def _cells(ws: Any, name: str, names: list[str]) -> _Sheet:
    rows: dict[int, dict[int, object]] = {}
    for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = {c: v for c, v in enumerate(values, start=1) if not lm.blank(v)}
        if cells:
            rows[r] = cells
    for rng in ws.merged_cells.ranges:
        top = rows.get(rng.min_row, {}).get(rng.min_col)
        if top is None:
            continue
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                rows.setdefault(r, {})[c] = top
    return _Sheet(name, sorted(rows.items()), names)


def _read_csv(path: Path, shown: str) -> _Sheet:
    import csv

    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(
            N_(
                "{path} is not UTF-8 text (Excel and WPS save CSV as GBK unless told): save it "
                "as 'CSV UTF-8', or import the .xlsx workbook"
            ),
            path=shown,
        ) from None
    import io

    rows: list[tuple[int, dict[int, object]]] = []
    # A StringIO, not lines: a quoted cell may hold line breaks (整改措施 written in steps).
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for r, values in enumerate(reader, start=1):
            if r > MAX_ROWS:
                raise DataError(
                    N_("{path} has more rows than safeplan reads ({max})"),
                    path=shown,
                    max=MAX_ROWS,
                )
            cells: dict[int, object] = {
                c: v for c, v in enumerate(values, start=1) if not lm.blank(v)
            }
            if cells:
                rows.append((r, cells))
    except csv.Error as exc:
        raise DataError(
            N_(
                "{path}:{line}: not a CSV file safeplan can read ({error}): save it from Excel or WPS as 'CSV UTF-8'"
            ),
            path=shown,
            line=reader.line_num,
            error=str(exc),
        ) from None
    name = path.stem
    return _Sheet(name, rows, [name])


# --------------------------------------------------------------------------- the heading row


@dataclass
class _Layout:
    heading_row: int
    #: column number → (heading as written, key)
    columns: dict[int, tuple[str, str]]
    ignored: list[str]


def _keys_of(cells: Mapping[int, object], index: Mapping[str, str]) -> dict[int, tuple[str, str]]:
    out = {}
    for c, v in cells.items():
        if isinstance(v, str):
            key = index.get(lm.fold(v))
            if key is not None:
                out[c] = (v.strip(), key)
    return out


def _layout(sheet: _Sheet, index: Mapping[str, str]) -> _Layout | None:
    """The heading row: the first with three or more known headings, one of them naming the
    hazard; a second heading row below a merged group heading (整改情况 over 整改完成日期 …)
    is read into it."""
    rows = sheet.rows[:HEADING_SEARCH]
    for i, (r, cells) in enumerate(rows):
        found = _keys_of(cells, index)
        keys = {k for _, k in found.values()}
        if len(found) < 3 or not keys & {"title", "description"}:
            continue
        layout = _Layout(r, found, [])
        if i + 1 < len(rows) and rows[i + 1][0] == r + 1:
            below = _keys_of(rows[i + 1][1], index)
            repeated = {c for c in below if c in found and found[c][0] == below[c][0]}
            new = {c: v for c, v in below.items() if c not in repeated}
            if len(new) >= 2 or (new and repeated):
                for c, v in new.items():
                    layout.columns[c] = v
                layout.heading_row = r + 1
        heads = {c: v for c, v in cells.items() if isinstance(v, str)}
        layout.ignored = [str(v).strip() for c, v in heads.items() if c not in layout.columns]
        return layout
    return None


def column_letter(col: int) -> str:
    """Excel's name of a column: 1 → A, 27 → AA."""
    out = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out or "?"


# --------------------------------------------------------------------------- the import


@dataclass
class _Context:
    shown: str
    layout: _Layout
    by_key: dict[str, tuple[int, str]]
    units: list[str]
    today: dt.date
    problems: list[Problem]
    funds_unit: int | None
    plan: Plan | None


class _RowError(Exception):
    pass


def _problem(
    ctx: _Context,
    row: int,
    key: str | None,
    template: str,
    params: Mapping[str, Any],
    severity: Literal["error", "warning"] = "error",
    code: str = "ledger-cell",
) -> None:
    """A problem at a row and a column, named by its heading (and column letter)."""
    col, heading = ctx.by_key.get(key or "", (0, ""))
    if not col:
        col, heading = ctx.by_key.get("title", ctx.by_key.get("description", (1, "")))
    ctx.problems.append(
        Problem(
            ctx.shown,
            row,
            col,
            code,
            N_("{heading} (column {letter}): {problem}"),
            {
                "heading": heading or "?",
                "letter": column_letter(col),
                "problem": Fragment(template, dict(params)),
            },
            severity,
        )
    )


def _index(
    gettexts: Iterable[Callable[[str], str]], mapping: Mapping[str, str] | None
) -> dict[str, str]:
    index = lm.heading_index(list(gettexts))
    for heading, target in (mapping or {}).items():
        key = target if target in lm.KINDS else index.get(lm.fold(target))
        if key is None:
            raise UsageError(
                N_(
                    "--map: '{target}' (for the heading '{heading}') is not a ledger column: use "
                    "one of {keys}, or a heading safeplan knows (隐患名称, 整改时限 …)"
                ),
                target=target,
                heading=heading,
                keys=ListOf(sorted(lm.KINDS)),
            )
        index[lm.fold(heading)] = key
    return index


def read_map(path: Path, shown: str) -> tuple[dict[str, str], str | None]:
    """A mapping file: ``columns: {heading as written: column or known heading}`` and an
    optional ``sheet:``."""
    from safeplan.yamlio import YamlProblem, load_fast, read_text

    try:
        data = load_fast(read_text(path))
    except OSError as exc:
        raise UsageError(
            N_("--map: cannot read {path}: {reason}"), path=shown, reason=exc.strerror or str(exc)
        ) from None
    except YamlProblem as exc:
        raise UsageError(
            N_("--map: {path}:{line}:{column}: {reason}"),
            path=shown,
            line=exc.line,
            column=exc.column,
            reason=Fragment(exc.template, exc.params),
        ) from None
    columns = data.get("columns") if isinstance(data, dict) else None
    sheet = data.get("sheet") if isinstance(data, dict) else None
    if (
        not isinstance(columns, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items())
        or (sheet is not None and not isinstance(sheet, str))
    ):
        raise UsageError(
            N_(
                "--map: {path} must hold 'columns:', each line a heading of the ledger and the "
                "column it is (隐患内容: title, or 隐患内容: 隐患名称), and may name the 'sheet:'"
            ),
            path=shown,
        )
    return {str(k): str(v) for k, v in columns.items()}, sheet


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
) -> LedgerImport:
    """Read a ledger and plan its hazard files (nothing is written).

    ``new_id`` allocates an id for a row without a usable one (the edit layer's); ``today``
    is the day facts may not be dated after; ``gettexts`` translate the ledger's own
    headings in each language to recognise."""
    from safeplan.repo import load

    if path.is_dir():
        raise UsageError(
            N_("{path} is a folder: give the workbook (.xlsx) or .csv file"), path=shown
        )
    if not path.is_file():
        raise UsageError(N_("{path}: no such file"), path=shown)
    index = _index(gettexts, mapping)
    grids = (
        [_read_csv(path, shown)]
        if path.suffix.lower() == ".csv"
        else _read_xlsx(path, shown, sheet)
    )
    # Without --sheet, the first sheet with a heading row (a cover sheet is passed over).
    grid, layout = grids[0], None
    for candidate in grids:
        layout = _layout(candidate, index)
        if layout is not None:
            grid = candidate
            break
    if layout is None:
        raise DataError(
            N_(
                "no heading row found in sheet '{sheet}' of {path}: safeplan looks in the first "
                "{n} rows for headings such as 隐患名称, 隐患等级, 发现日期; name the sheet with "
                "--sheet, or the headings with --map"
            ),
            sheet=grid.name,
            path=shown,
            n=HEADING_SEARCH,
        )
    repo = load(root, today=today)
    if repo.unreadable_hazards:
        # A row is matched against the register to find its hazard: against one that
        # cannot be read, it would be registered a second time.
        from safeplan.rules.hints import FIX_FIRST

        bad = repo.unreadable_hazards
        found = [p for p in repo.problems if p.path in bad and p.severity == "error"]
        raise DataError(FIX_FIRST, found, path=ListOf(list(bad)))
    units = repo.unit_names()
    by_key: dict[str, tuple[int, str]] = {}
    for c, (heading, key) in sorted(layout.columns.items()):
        by_key.setdefault(key, (c, heading))
    if "responsible_person" in by_key and "plan_person" not in by_key:
        # 责任人 alone means the rectification's person (整改责任人).
        by_key["plan_person"] = by_key.pop("responsible_person")
        layout.columns[by_key["plan_person"][0]] = (by_key["plan_person"][1], "plan_person")
    funds_col = by_key.get("funds")
    ctx = _Context(
        shown,
        layout,
        by_key,
        units,
        today,
        [],
        lm.funds_unit(funds_col[1]) if funds_col else None,
        repo.plan,
    )
    _missing_columns(ctx)
    taken = {i.casefold() for i in _ids(root)}
    registered: dict[tuple[object, ...], Any] = {
        (h.enterprise, h.title, h.discovered_on): h for h in repo.hazards
    }
    by_id = {h.id.casefold(): h for h in repo.hazards}
    outcomes: list[RowOutcome] = []
    files: list[tuple[str, bytes | None, bytes]] = []
    seen_ids: dict[str, int] = {}
    seen_keys: dict[tuple[object, ...], int] = {}
    if not any(p.severity == "error" for p in ctx.problems):
        for r, cells in grid.rows:
            if r <= layout.heading_row:
                continue
            outcome, planned = _one_row(
                ctx, r, cells, new_id, taken, registered, by_id, seen_ids, seen_keys, root, update
            )
            outcomes.append(outcome)
            if planned is not None:
                files.append(planned)
    problems = sorted(ctx.problems, key=lambda p: (p.line, p.column))
    return LedgerImport(
        shown,
        grid.name,
        layout.heading_row,
        tuple(v for _, v in sorted(layout.columns.items())),
        tuple(layout.ignored),
        tuple(outcomes),
        tuple(problems),
        tuple(files),
    )


def _ids(root: Path) -> list[str]:
    from safeplan.repo import hazard_ids

    return hazard_ids(root)


#: The columns a hazard cannot do without, and what the record needs them for.
REQUIRED = ("level", "source", "discovered_on", "responsible_unit")


def _missing_columns(ctx: _Context) -> None:
    for key in REQUIRED:
        if key not in ctx.by_key and not (key == "title" and "description" in ctx.by_key):
            ctx.problems.append(
                Problem(
                    ctx.shown,
                    ctx.layout.heading_row,
                    1,
                    "ledger-column",
                    N_(
                        "the ledger has no column for {field}, which every hazard needs: add "
                        "the column, or name it with --map (e.g. '排查时间: 发现日期')"
                    ),
                    {"field": _Coded(key)},
                )
            )
    if ctx.layout.ignored:
        ctx.problems.append(
            Problem(
                ctx.shown,
                ctx.layout.heading_row,
                1,
                "ledger-ignored",
                N_(
                    "columns not read (safeplan has no field for them; name them with --map): {headings}"
                ),
                {"headings": ListOf(ctx.layout.ignored, quoted=True)},
                "warning",
            )
        )


def _Coded(key: str) -> Any:
    """A column key shown as the field's label in the reader's language."""
    from safeplan.problems import Coded

    fields = {c.key: c.field for c in HAZARD_COLUMNS if c.field}
    code = fields.get(key) or (lm.IMPORT_ONLY[key].field if key in lm.IMPORT_ONLY else key)
    return Coded("field", code)


# --------------------------------------------------------------------------- one row


class _Row:
    """Typed access to one row's cells; each reading problem is recorded once."""

    def __init__(self, ctx: _Context, row: int, cells: Mapping[int, object]) -> None:
        self.ctx = ctx
        self.row = row
        self.cells = cells
        self.failed = False
        #: Columns whose cell could not be read (said once, not again as 'empty').
        self.bad: set[str] = set()

    def raw(self, key: str) -> object:
        col = self.ctx.by_key.get(key)
        return self.cells.get(col[0]) if col else None

    def _read(self, key: str, reader: Callable[[object], Any]) -> Any:
        value = self.raw(key)
        try:
            return reader(value)
        except lm.CellWarning as exc:
            _problem(self.ctx, self.row, key, exc.template, exc.params, "warning")
            return None
        except lm.CellProblem as exc:
            _problem(self.ctx, self.row, key, exc.template, exc.params)
            self.failed = True
            self.bad.add(key)
            return None

    def text(self, key: str) -> str | None:
        return self._read(key, lm.text)  # type: ignore[no-any-return]

    def date(self, key: str) -> dt.date | None:
        return self._read(key, lm.date)  # type: ignore[no-any-return]

    def coded(self, key: str, vocabulary: vocab.Vocabulary) -> str | None:
        return self._read(key, lambda v: lm.coded(vocabulary, v))  # type: ignore[no-any-return]

    def need(self, key: str, value: object, template: str, **params: Any) -> None:
        if value is None and key not in self.bad:
            _problem(self.ctx, self.row, key, template, params)
            self.failed = True


def _skip(cells: Mapping[int, object], ctx: _Context) -> str | None:
    known = {c for c in ctx.layout.columns}
    if lm.totals_row(cells.values()):
        return N_("a totals row: skipped")
    if lm.footer_row(cells):
        return N_("a signature or note line under the table: skipped")
    if not any(c in known for c in cells):
        return N_("nothing under the ledger's headings: skipped")
    return None


def _one_row(
    ctx: _Context,
    r: int,
    cells: Mapping[int, object],
    new_id: NewId,
    taken: set[str],
    registered: Mapping[tuple[object, ...], Any],
    by_id: Mapping[str, Any],
    seen_ids: dict[str, int],
    seen_keys: dict[tuple[object, ...], int],
    root: Path,
    update: bool,
) -> tuple[RowOutcome, tuple[str, bytes | None, bytes] | None]:
    why = _skip(cells, ctx)
    if why is not None:
        return RowOutcome(r, "skip", template=why), None
    row = _Row(ctx, r, cells)
    record, ledger_number = _record(row)
    title = record.get("title")
    if row.failed or record.get("discovered_on") is None:
        return RowOutcome(r, "error", title=title), None
    ent = record.get("enterprise", {}).get("name") if record.get("enterprise") else None
    key = (ent, title, record["discovered_on"])
    given = record.get("id")
    earlier = seen_keys.get(key) or (seen_ids.get(given.casefold()) if given else None)
    if earlier is not None:
        _problem(
            ctx,
            r,
            "id" if given and given.casefold() in seen_ids else "title",
            N_(
                "the same hazard as row {row} (the same id, or the same enterprise, title and "
                "discovery day): remove one of the two rows"
            ),
            {"row": earlier},
            code="ledger-duplicate",
        )
        return RowOutcome(r, "error", given, title), None
    seen_keys[key] = r
    if given:
        seen_ids[given.casefold()] = r
    existing = (by_id.get(given.casefold()) if given else None) or registered.get(key)
    if existing is None and given and given.casefold() in taken:
        existing = _Unreadable(given)
    if existing is not None:
        if not update:
            _problem(
                ctx,
                r,
                "id" if given and existing.id.casefold() == given.casefold() else "title",
                N_(
                    "the register already has this hazard: {id} ({path}), with {why}; nothing "
                    "is overwritten: remove the row, or import with --update to bring the "
                    "record up to date from the ledger"
                ),
                {
                    "id": existing.id,
                    "path": existing.path,
                    "why": Fragment(
                        N_("the same id")
                        if given and existing.id.casefold() == given.casefold()
                        else N_("the same enterprise, title and discovery day")
                    ),
                },
                code="ledger-conflict",
            )
            return RowOutcome(r, "error", existing.id, title), None
        from safeplan.importers.ledger_update import update_record

        return update_record(ctx_problem(ctx, r), root, existing, record, ctx.today, r, ctx.plan)
    hazard_id = given if given else new_id(record["discovered_on"], taken)
    taken.add(hazard_id.casefold())
    record["id"] = hazard_id
    if ledger_number:
        record["ledger_no"] = ledger_number
    data = _checked(ctx, r, _ordered(record))
    rel = f"data/hazards/{hazard_id}.yaml"
    if data is None:
        return RowOutcome(r, "error", hazard_id, title), None
    return RowOutcome(r, "create", hazard_id, title, rel), (rel, None, data)


class _Unreadable:
    """A hazard file whose id is taken but which does not read: a conflict all the same."""

    def __init__(self, hazard_id: str) -> None:
        self.id = hazard_id
        self.path = f"data/hazards/{hazard_id}.yaml"


def ctx_problem(ctx: _Context, r: int) -> Callable[..., None]:
    """A reporter of problems at row ``r`` (for the update, in its own module)."""

    def report(
        key: str | None,
        template: str,
        params: Mapping[str, Any],
        severity: Literal["error", "warning"] = "error",
    ) -> None:
        _problem(ctx, r, key, template, params, severity)

    return report


def _record(row: _Row) -> tuple[dict[str, Any], str | None]:
    """A row as a hazard record's data (plain, in no particular order), and the ledger's
    own number when it cannot be the id."""
    ctx = row.ctx
    out: dict[str, Any] = {}
    ledger_number = None
    given = row.text("id")
    if given is not None:
        if HAZARD_ID_RE.match(given) and not WINDOWS_RESERVED_RE.match(given):
            out["id"] = given
        else:
            ledger_number = given
    title = row.text("title")
    description = row.text("description")
    if title is None and description is not None:
        title = _first_sentence(description)
        if title == description:
            description = None
    row.need(
        "title", title, N_("the row has no 隐患名称 (nor a 隐患描述 to take it from): fill it in")
    )
    out["title"] = title
    if description is not None:
        out["description"] = description
    level = row.coded("level", vocab.LEVEL)
    source = row.coded("source", vocab.SOURCE)
    discovered = row.date("discovered_on")
    unit = row.text("responsible_unit")
    if "level" in ctx.by_key:
        row.need("level", level, N_("empty: write 重大事故隐患 or 一般隐患"))
    if "source" in ctx.by_key:
        row.need("source", source, N_("empty: write 企业自查, 部门检查, 群众举报 or 上级检查"))
    if "discovered_on" in ctx.by_key:
        row.need("discovered_on", discovered, N_("empty: every hazard has the day it was found"))
    if "responsible_unit" in ctx.by_key:
        row.need(
            "responsible_unit",
            unit,
            N_("empty: name the unit responsible, as data/units.yaml writes it"),
        )
    if unit is not None and unit not in ctx.units:
        from safeplan.rules.hints import closest

        _problem(
            ctx,
            row.row,
            "responsible_unit",
            N_(
                "'{name}' is not a unit of data/units.yaml (closest: {closest}): write the unit "
                "as the plan writes it, or add it to data/units.yaml"
            ),
            {"name": unit, "closest": ListOf(closest(unit, ctx.units))},
        )
        row.failed = True
    out.update(level=level, source=source, discovered_on=discovered, responsible_unit=unit)
    for key, name in (
        ("basis", "basis"),
        ("industry", "industry"),
        ("location", "location"),
        ("found_by", "found_by"),
        ("responsible_person", "responsible_person"),
    ):
        value = row.text(key)
        if value is not None:
            out[name] = value
    enterprise = row.text("enterprise")
    code = row._read("credit_code", lm.credit_code)
    address = row.text("enterprise_address")
    if enterprise is not None:
        out["enterprise"] = _compact(name=enterprise, credit_code=code, address=address)
    elif code is not None or address is not None:
        row.need(
            "enterprise",
            None,
            N_("the row has a credit code or address but no 企业名称: fill it in"),
        )
    _plan(row, out)
    _cycle(row, out)
    _supervision(row, out)
    _double_report(row, out)
    notes = row.text("notes")
    if notes is not None and discovered is not None:
        out["notes"] = [{"on": discovered, "text": notes}]
    _state(row, out)
    return out, ledger_number


def _first_sentence(text: str) -> str:
    for mark in ("。", "；", ";", "\n"):
        head = text.split(mark, 1)[0].strip()
        if head and head != text:
            return head
    return text


def _compact(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _plan(row: _Row, out: dict[str, Any]) -> None:
    measures = row.text("measures")
    funds = row._read("funds", lambda v: lm.funds(v, row.ctx.funds_unit))
    deadline = row.date("deadline")
    person = row.text("plan_person")
    contingency = row.text("contingency_plan")
    plan_on = row.date("plan_on")
    extended = row.date("extended_to")
    if deadline is None and any(v is not None for v in (measures, funds, person, contingency)):
        row.need(
            "deadline",
            None,
            N_(
                "empty, but the row has other parts of the rectification plan (五落实): a plan needs its 整改时限"
            ),
        )
        return
    if deadline is None:
        if extended is not None:
            row.need(
                "deadline", None, N_("empty, but the row has 延期至: give the deadline it extends")
            )
        return
    out["rectification_plan"] = _compact(
        on=plan_on,
        measures=measures,
        funds=funds,
        deadline=deadline,
        responsible_person=person,
        contingency_plan=contingency,
    )
    if extended is None:
        return
    if extended <= deadline:
        _problem(
            row.ctx,
            row.row,
            "extended_to",
            N_(
                "{to} is not after the 整改时限 ({deadline}): an extension (延期) gives more time; correct one of them"
            ),
            {"to": extended, "deadline": deadline},
        )
        row.failed = True
        return
    on = row.date("extension_on")
    reason = row.text("extension_reason")
    approved = row.text("extension_approved_by")
    if on is None:
        # The ledger does not say when the extension was approved: before the deadline
        # it extends ran out, or the hazard would have been overdue, so on that day.
        on = min(deadline, row.ctx.today)
    if reason is None or approved is None:
        _problem(
            row.ctx,
            row.row,
            "extended_to",
            N_(
                "the ledger does not say why the deadline was extended or who approved it: "
                "the extension is recorded with '{placeholder}' there; correct it in the "
                "hazard's file when you know"
            ),
            {"placeholder": NOT_IN_LEDGER},
            "warning",
        )
    out["extensions"] = [
        {
            "on": max(on, out.get("discovered_on") or on),
            "from": deadline,
            "to": extended,
            "reason": reason or NOT_IN_LEDGER,
            "approved_by": approved or NOT_IN_LEDGER,
        }
    ]


def _cycle(row: _Row, out: dict[str, Any]) -> None:
    rectified = row.date("rectified_on")
    accepted = row.date("accepted_on")
    accepted_by = row.text("accepted_by")
    result = row.coded("acceptance_result", vocab.ACCEPTANCE)
    closed = row.date("closed_on")
    reviewer = row.text("reviewer")
    if rectified is not None:
        out["rectification"] = _compact(on=rectified, note=row.text("rectification_note"))
    if accepted is not None:
        row.need(
            "accepted_by",
            accepted_by,
            N_("empty, but the row has a 验收日期: an acceptance names who accepted it"),
        )
        out["acceptance"] = _compact(
            on=accepted, by=accepted_by, result=result or "passed", note=row.text("acceptance_note")
        )
    elif result is not None or accepted_by is not None:
        row.need("accepted_on", None, N_("empty, but the row has an acceptance: give its date"))
    if closed is not None:
        row.need(
            "reviewer",
            reviewer,
            N_("empty, but the row has a 销号日期: a closure names who reviewed it (审核人)"),
        )
        out["closure"] = _compact(on=closed, reviewer=reviewer, note=row.text("closure_note"))
    elif reviewer is not None:
        row.need(
            "closed_on", None, N_("empty, but the row has a reviewer (审核人): give the 销号日期")
        )


def _supervision(row: _Row, out: dict[str, Any]) -> None:
    parts = (
        row.coded("supervision_level", vocab.SUPERVISION_LEVEL),
        row.text("supervision_by"),
        row.date("supervision_listed_on"),
    )
    lifted = row.date("supervision_lifted_on")
    if all(p is not None for p in parts):
        out["supervision"] = [
            _compact(level=parts[0], by=parts[1], listed_on=parts[2], lifted_on=lifted)
        ]
        return
    if any(p is not None for p in parts):
        row.need(
            "supervision_listed_on",
            None,
            N_(
                "a listing for supervision needs its level (督办级别), who listed it (督办单位) and the day (挂牌日期): fill in the rest"
            ),
        )
        return
    value = row._read("supervision", lm.supervision)
    if value is not None:
        out["supervision"] = [
            _compact(
                level=value.level, by=value.by, listed_on=value.listed_on, lifted_on=value.lifted_on
            )
        ]


def _double_report(row: _Row, out: dict[str, Any]) -> None:
    regulator = row.date("regulator_on")
    workers = row.date("workers_on")
    if regulator is None and workers is None:
        found = row._read("double_report", lm.double_report)
        if found is not None:
            regulator, workers = found
    if regulator is not None or workers is not None:
        out["double_report"] = _compact(regulator_on=regulator, workers_on=workers)


def _state(row: _Row, out: dict[str, Any]) -> None:
    """The ledger's 状态 is computed by safeplan; say so when the dates tell otherwise."""
    word = lm.text(row.raw("state"))
    if word is None:
        return
    claimed = vocab.HAZARD_STATE.lookup(word.split("（")[0].split("(")[0])
    if claimed is None:
        return
    facts = (
        "closed"
        if "closure" in out
        else "accepted"
        if out.get("acceptance", {}).get("result") == "passed"
        else "failed"
        if "acceptance" in out
        else "rectified"
        if "rectification" in out
        else "open"
    )
    if claimed not in (facts, "withdrawn"):
        from safeplan.problems import Coded

        _problem(
            row.ctx,
            row.row,
            "state",
            N_(
                "says {claimed}, but the row's dates make it {state}: safeplan computes the "
                "state from the dates (整改完成日期, 验收日期, 销号日期); check them"
            ),
            {"claimed": Coded("hazard state", claimed), "state": Coded("hazard state", facts)},
            "warning",
            code="ledger-state",
        )


# --------------------------------------------------------------------------- the record checked

#: Which column a key path of the record is reported at.
_PATH_KEYS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("enterprise", "credit_code"), "credit_code"),
    (("enterprise", "address"), "enterprise_address"),
    (("enterprise",), "enterprise"),
    (("rectification_plan", "measures"), "measures"),
    (("rectification_plan", "funds"), "funds"),
    (("rectification_plan", "responsible_person"), "plan_person"),
    (("rectification_plan", "contingency_plan"), "contingency_plan"),
    (("rectification_plan",), "deadline"),
    (("extensions",), "extended_to"),
    (("rectification",), "rectified_on"),
    (("acceptance", "by"), "accepted_by"),
    (("acceptance", "result"), "acceptance_result"),
    (("acceptance",), "accepted_on"),
    (("closure", "reviewer"), "reviewer"),
    (("closure",), "closed_on"),
    (("supervision",), "supervision"),
    (("double_report",), "double_report"),
    (("notes",), "notes"),
)


def column_of(path: Sequence[str | int]) -> str:
    names = tuple(p for p in path if isinstance(p, str))
    for prefix, key in _PATH_KEYS:
        if names[: len(prefix)] == prefix:
            return key
    return names[0] if names else "title"


HAZARD_ORDER = tuple(Hazard.model_fields)


def _ordered(record: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: record[k] for k in HAZARD_ORDER if k in record and record[k] is not None}
    if "extensions" in out:
        out["extensions"] = [
            {k: e[k] for k in ("on", "from", "to", "reason", "approved_by")}
            for e in out["extensions"]
        ]
    return out


def record_findings(
    hazard: Hazard, units: Sequence[str], today: dt.date, plan: Plan | None
) -> list[Finding]:
    """What ``safeplan validate`` would say of the record (within it, its unit, its dates,
    the plan's rules: its start, the days allowed for the 五落实)."""
    from safeplan.models.records import Rules
    from safeplan.models.summary import summarize
    from safeplan.rules.cross import unknown_unit
    from safeplan.rules.hazards import check_future_facts, check_hazard
    from safeplan.rules.register import check_hazards_before_start

    out = check_hazard(hazard, hazard.id) + check_future_facts(hazard, today)
    if hazard.responsible_unit not in units:
        out.append(unknown_unit(("responsible_unit",), hazard.responsible_unit, units))
    summary = summarize(hazard, "")
    days = (plan.rules if plan is not None else Rules()).plan_within_days
    out += _plan_in_time(summary, today, days)
    if plan is not None:
        out += [f.finding for f in check_hazards_before_start([summary], plan)]
    return out


def _plan_in_time(summary: Any, today: dt.date, days: int) -> list[Finding]:
    if (
        summary.level != "major"
        or not summary.plan_gaps
        or (today - summary.discovered_on).days <= days
    ):
        return []
    from safeplan.problems import Coded

    return [
        Finding(
            ("rectification_plan",),
            "no-plan",
            N_(
                "a major hazard found on {found} needs its full rectification plan (五落实): the "
                "row lacks {missing}; fill them in"
            ),
            {
                "found": summary.discovered_on,
                "missing": ListOf(
                    [Coded("field", f"rectification_plan.{k}") for k in summary.plan_gaps]
                ),
            },
        )
    ]


def _checked(ctx: _Context, r: int, record: dict[str, Any]) -> bytes | None:
    """The record's file, checked as validate would; None (with problems) when it fails."""
    from pydantic import ValidationError
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    from safeplan.repo.messages import error_to_problem
    from safeplan.schema import modeline
    from safeplan.yamlio import Locator, rt_dump_new

    rel = f"data/hazards/{record['id']}.yaml"
    written = dict(record)
    ent = written.get("enterprise")
    if ent and ent.get("credit_code"):
        # As 'hazard new' writes it: in quotes, so no YAML reader takes it for a number.
        written["enterprise"] = {**ent, "credit_code": SingleQuotedScalarString(ent["credit_code"])}
    data = modeline(rel).encode() + rt_dump_new(written)
    try:
        hazard = Hazard.model_validate(_plain(record))
    except ValidationError as exc:
        locator = Locator(data.decode())
        for err in exc.errors():
            p = error_to_problem(err, rel, locator, 0, Hazard, record)
            _problem(ctx, r, column_of(err["loc"]), p.template, p.params)
        return None
    ok = True
    for f in record_findings(hazard, ctx.units, ctx.today, ctx.plan):
        if f.code == "id-file-name":
            continue
        _problem(ctx, r, column_of(f.path), f.template, f.params, f.severity, code=f.code)
        ok = ok and f.severity != "error"
    return data if ok else None


def _plain(value: Any) -> Any:
    """Record data as the file reads back: dates as text (the records parse text)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
