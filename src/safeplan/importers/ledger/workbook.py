"""Reading a ledger's cells: an .xlsx workbook (merged cells filled in) or a CSV file.

What is not a workbook is named with what to do: an old .xls, a password-protected
file, a zip bomb, a sheet with more rows than a ledger has.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeplan.errors import DataError, UsageError
from safeplan.importers.ledger.cells import blank
from safeplan.problems import N_, ListOf

#: Refuse workbooks that unpack to more than this (a zip bomb), and sheets with more rows.
MAX_UNPACKED = 400 * 1024 * 1024
MAX_ROWS = 200_000


@dataclass
class Sheet:
    """A sheet's cells as values, merged cells filled in, by 1-based row and column."""

    name: str
    rows: list[tuple[int, dict[int, object]]]


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
    import warnings

    _check_zip(path, shown)
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
            if hasattr(ws, "merged_cells"):  # not a chart sheet
                sheets.append(_sheet(ws, name, shown))
        if not sheets:
            raise DataError(N_("{path} has no sheet of cells to read"), path=shown)
        return sheets
    finally:
        wb.close()


def _sheet(ws: Any, name: str, shown: str) -> Sheet:
    if (ws.max_row or 0) > MAX_ROWS:
        raise DataError(
            N_("sheet '{sheet}' of {path} has {rows} rows, more than safeplan reads ({max})"),
            sheet=name,
            path=shown,
            rows=ws.max_row,
            max=MAX_ROWS,
        )
    return _cells(ws, name)


def _cells(ws: Any, name: str) -> Sheet:
    rows: dict[int, dict[int, object]] = {}
    for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = {c: v for c, v in enumerate(values, start=1) if not blank(v)}
        if cells:
            rows[r] = cells
    for rng in ws.merged_cells.ranges:
        top = rows.get(rng.min_row, {}).get(rng.min_col)
        if top is None:
            continue
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                rows.setdefault(r, {})[c] = top
    return Sheet(name, sorted(rows.items()))


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
