"""Reading a ledger's cells: an .xlsx workbook, streamed (merged cells filled in, a formula
saved without its value kept as a formula), or a CSV file. An .xlsx workbook is read by
``sheetxml``'s direct reader; what it does not read as openpyxl would, openpyxl reads.

What is not a workbook is named with what to do: an old .xls, a password-protected
file, a zip bomb, a sheet with more rows than a ledger has.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeplan.errors import DataError, SafeplanError, UsageError
from safeplan.importers.ledger.cells import blank
from safeplan.importers.ledger.sheetxml import (
    SheetXml,
    Unsupported,
    fill_merged,
    parse_xml,
    read_sheets,
    too_big,
)
from safeplan.problems import N_, ListOf

#: Refuse workbooks that unpack to more than this (a zip bomb), and sheets with more rows
#: or cells with a value (a ledger of 10,000 hazards in 50 columns holds 500,000); both
#: readers apply them.
MAX_UNPACKED = 400 * 1024 * 1024
MAX_ROWS = 100_000
MAX_CELLS = 500_000


@dataclass
class Sheet:
    """A sheet's cells as values, merged cells filled in, by 1-based row and column."""

    name: str
    rows: list[tuple[int, dict[int, object]]]


def refuse_no_file(path: Path, shown: str) -> None:
    """A workbook or .csv file named on the command line that is not there, or is a folder:
    a usage error in the reader's language before anything is read (the ledger import and
    the enterprise list import)."""
    if path.is_dir():
        raise UsageError(
            N_("{path} is a folder: give the workbook (.xlsx) or .csv file"), path=shown
        )
    if not path.is_file():
        raise UsageError(N_("{path}: no such file"), path=shown)


def read_cells(path: Path, shown: str, sheet: str | None) -> list[Sheet]:
    """The sheets of a workbook (only ``sheet`` when given), or the one of a .csv file."""
    if path.suffix.lower() == ".csv":
        return [_read_csv(path, shown)]
    return _read_xlsx(path, shown, sheet)


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


def _check_zip(path: Path, shown: str) -> None:
    """Refuse what openpyxl should not open: no zip, a zip bomb, a zip but no workbook."""
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


def _read_xlsx(path: Path, shown: str, sheet: str | None) -> list[Sheet]:
    """The sheets, streamed: by ``sheetxml``'s direct reader when it reads the workbook,
    else by openpyxl in read-only mode (its values, its dates), after one pass over each
    sheet's XML that counts the cells against the limits and finds what read-only mode
    does not give (merged ranges, formulas saved without a value)."""
    _check_zip(path, shown)
    # Before openpyxl opens it (which, for a sheet saved without its dimension, reads the
    # whole sheet once): each sheet to read counted against the limits.
    try:
        with zipfile.ZipFile(path) as zf:
            members = _sheet_members(zf)
            if sheet is not None and members and sheet not in members:
                _no_such_sheet(shown, sheet, list(members))
            fast = _read_fast(zf, path, members, sheet, shown)
            if fast is not None:
                return fast
            extras = {
                name: _scan_xml(zf, member, name, shown)
                for name, member in members.items()
                if sheet is None or name == sheet
            }
    except SafeplanError:
        raise
    except Exception as exc:  # broken XML, a cell reference that is none: named
        raise _damaged(shown, exc) from None
    return _read_openpyxl(path, shown, sheet, extras)


def _read_fast(
    zf: zipfile.ZipFile, path: Path, members: dict[str, str], sheet: str | None, shown: str
) -> list[Sheet] | None:
    """The sheets by the direct reader, or None where openpyxl is to read them (not an
    .xlsx, or something the direct reader does not read as openpyxl would). A sheet
    beyond the limits, or XML that is not well formed, is refused here as openpyxl's
    path refuses it."""
    if path.suffix.lower() != ".xlsx" or not members:
        return None
    chosen = [sheet] if sheet is not None else list(members)
    try:
        read = read_sheets(zf, members, chosen, shown, (MAX_ROWS, MAX_CELLS))
        sheets = [Sheet(name, rows) for name, rows in read]
    except Unsupported:
        return None
    if not sheets:
        raise DataError(N_("{path} has no sheet of cells to read"), path=shown)
    return sheets


def _read_openpyxl(
    path: Path, shown: str, sheet: str | None, extras: dict[str, SheetXml]
) -> list[Sheet]:
    """The sheets read by openpyxl (read-only), with what the pass over the XML found."""
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of styles and extensions it skips
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _damaged(shown, exc) from None
    try:
        sheet_names = list(wb.sheetnames)
        if sheet is not None and sheet not in sheet_names:
            _no_such_sheet(shown, sheet, sheet_names)
        chosen = [sheet] if sheet is not None else sheet_names
        sheets = []
        for name in chosen:
            ws = wb[name]
            if not hasattr(ws, "iter_rows"):  # a chart sheet
                continue
            try:
                sheets.append(_cells(ws, name, extras.get(name) or SheetXml(), shown))
            except SafeplanError:
                raise
            except Exception as exc:  # a damaged sheet: named, never a traceback
                raise _damaged(shown, exc) from None
        if not sheets:
            raise DataError(N_("{path} has no sheet of cells to read"), path=shown)
        return sheets
    finally:
        wb.close()


def _no_such_sheet(shown: str, sheet: str, names: list[str]) -> None:
    raise UsageError(
        N_("--sheet: {path} has no sheet '{sheet}'; it has {sheets}"),
        path=shown,
        sheet=sheet,
        sheets=ListOf(names, quoted=True),
    )


def _sheet_members(zf: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's name and its XML file in the zip (from the workbook and its
    relationships); empty when they cannot be read (openpyxl then says what is wrong)."""
    from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]

    try:
        book = fromstring(zf.read("xl/workbook.xml"))
        rels = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # a damaged workbook: openpyxl names it
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        if "worksheet" in rel.get("Type", ""):
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[rel.get("Id", "")] = member
    out = {}
    for elem in book.iter():
        if elem.tag.rsplit("}", 1)[-1] == "sheet":
            rid = next((v for k, v in elem.attrib.items() if k.rsplit("}", 1)[-1] == "id"), "")
            if rid in targets:
                out[elem.get("name", "")] = targets[rid]
    return out


def _damaged(shown: str, exc: Exception) -> DataError:
    return DataError(
        N_(
            "{path} cannot be read as a workbook ({reason}): open it in Excel or WPS and save it again"
        ),
        path=shown,
        reason=f"{type(exc).__name__}: {exc}",
    )


@dataclass
class _Scan:
    """Where the pass over a sheet's XML is: counts, and the cell being read."""

    rows: int = 0
    cells: int = 0
    valued: bool = False
    ref: str = ""
    formula: str | None = None
    #: "f" or "v" while inside one (its text is gathered), else "".
    inside: str = ""


def _scan_xml(zf: zipfile.ZipFile, member: str | None, name: str, shown: str) -> SheetXml:
    """Count the cells with a value (refusing a sheet beyond the limits before any is kept),
    and note merged ranges and formulas without a saved value.

    One expat pass with handlers, no tree built (a sheet of 500,000 cells in a second or
    two); a document type declaration is refused, as defusedxml refuses it, so no entity
    is ever expanded."""
    from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

    found = SheetXml()
    if not member:
        return found
    member = member.lstrip("/")
    if member not in zf.namelist():
        return found
    state = _Scan()
    formula_text: list[str] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        tag = tag.rsplit(":", 1)[-1]
        if tag == "c":
            state.valued, state.ref, state.formula = False, attrs.get("r", ""), None
        elif tag == "is":
            state.valued = True
        elif tag in ("v", "f"):
            state.inside = tag
            formula_text.clear()
        elif tag == "row":
            state.rows += 1
            if state.rows > MAX_ROWS:
                raise too_big(name, shown, N_("rows"), MAX_ROWS)
        elif tag == "mergeCell" and attrs.get("ref"):
            bounds = range_boundaries(attrs["ref"])
            if None not in bounds:
                min_col, min_row, max_col, max_row = (int(b or 0) for b in bounds)
                found.merged.append((min_row, min_col, max_row, max_col))

    def end(tag: str) -> None:
        tag = tag.rsplit(":", 1)[-1]
        if tag == "f":
            state.formula, state.inside = "".join(formula_text), ""
        elif tag == "v":
            # openpyxl writes a formula's missing value as an empty <v/>: no value
            state.valued, state.inside = state.valued or bool("".join(formula_text)), ""
        elif tag == "c":
            if state.valued:
                state.cells += 1
                if state.cells > MAX_CELLS:
                    raise too_big(name, shown, N_("cells with a value"), MAX_CELLS)
            elif state.formula is not None and state.ref:
                r, c = coordinate_to_tuple(state.ref)
                found.formulas[(r, c)] = "=" + state.formula

    def text(data: str) -> None:
        if state.inside:
            formula_text.append(data)

    with zf.open(member) as fh:
        parse_xml(start, end, text, fh, namespaces=False)
    return found


def _cells(ws: Any, name: str, extra: SheetXml, shown: str) -> Sheet:
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # a sheet's saved dimension may be wrong (some writers say A1)
    rows: dict[int, dict[int, object]] = {}
    for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = {c: v for c, v in enumerate(values, start=1) if not blank(v)}
        if cells:
            rows[r] = cells
    return Sheet(name, fill_merged(rows, extra, name, shown, MAX_CELLS))


def _read_csv(path: Path, shown: str) -> Sheet:
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
            cells: dict[int, object] = {c: v for c, v in enumerate(values, start=1) if not blank(v)}
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
    return Sheet(name, rows)
