"""The direct .xlsx reader (importers/ledger/sheetxml.py) gives the same cells as openpyxl,
cell by cell and type by type, on every workbook of tests/data and on generated ones with
every kind of cell a ledger holds; what it does not read falls back to openpyxl; hostile
workbooks are refused as on openpyxl's path."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest

from safeplan.errors import DataError
from safeplan.importers.ledger import sheetxml, workbook
from safeplan.importers.ledger.workbook import Sheet, read_cells

DATA = Path(__file__).resolve().parent / "data"


def _typed(sheets: list[Sheet]) -> list[tuple[str, list[tuple[int, dict[int, Any]]]]]:
    """Sheets with each value's type beside it (1 == True and a date == its datetime in
    Python: the readers must agree on the type too)."""
    return [
        (s.name, [(r, {c: (type(v).__name__, v) for c, v in cells.items()}) for r, cells in s.rows])
        for s in sheets
    ]


def _both(path: Path, sheet: str | None = None) -> tuple[list[Sheet] | None, list[Sheet]]:
    """The direct reader's sheets (None: it fell back) and openpyxl's path's."""
    shown = str(path)
    with zipfile.ZipFile(path) as zf:
        members = workbook._sheet_members(zf)
        fast = workbook._read_fast(zf, path, members, sheet, shown)
        extras = {
            n: workbook._scan_xml(zf, m, n, shown)
            for n, m in members.items()
            if sheet is None or n == sheet
        }
    return fast, workbook._read_openpyxl(path, shown, sheet, extras)


def _same(path: Path) -> None:
    fast, slow = _both(path)
    assert fast is not None, f"{path.name}: the direct reader fell back to openpyxl"
    assert _typed(fast) == _typed(slow)


CORPUS = sorted(DATA.rglob("*.xlsx"))


def test_the_corpus_has_workbooks() -> None:
    assert len(CORPUS) >= 10


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_workbook_of_tests_data_reads_as_openpyxl_reads_it(path: Path) -> None:
    _same(path)


def test_the_workbooks_the_ledger_tests_build(tmp_path: Path) -> None:
    from conftest import ledger_maker

    made = ledger_maker().make(tmp_path)
    assert made
    for path in made:
        _same(path)


def _every_kind(path: Path, options: dict[str, Any] | None = None) -> None:
    """A workbook (XlsxWriter, as safeplan exports) with every kind of cell a ledger holds."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), options or {})
    ws = book.add_worksheet("台账")
    fmts = {
        "iso": book.add_format({"num_format": "yyyy-mm-dd"}),
        "zh": book.add_format({"num_format": 'yyyy"年"m"月"d"日"'}),
        "builtin": book.add_format({"num_format": 14}),
        "time": book.add_format({"num_format": "h:mm"}),
        "stamp": book.add_format({"num_format": "yyyy/m/d h:mm"}),
        "money": book.add_format({"num_format": '#,##0.00"万元"'}),
        "pct": book.add_format({"num_format": "0.0%"}),
        "red": book.add_format({"num_format": "[Red]0.00"}),
        "bold": book.add_format({"bold": True}),
    }
    ws.write_row(0, 0, ["序号", "隐患内容", "发现日期", "资金", "是否"])
    ws.write_number(1, 0, 1)
    ws.write_string(1, 1, "  配电箱未接地  ")
    ws.write_datetime(1, 2, dt.datetime(2026, 3, 5), fmts["iso"])
    ws.write_number(1, 3, 2.5, fmts["money"])
    ws.write_boolean(1, 4, True)
    ws.write_number(2, 0, 2.0)
    ws.write_rich_string(2, 1, "消防通道", fmts["bold"], "堵塞", "（二楼）")
    ws.write_datetime(2, 2, dt.datetime(2026, 3, 6, 14, 30), fmts["stamp"])
    ws.write_number(2, 3, 0.125, fmts["pct"])
    ws.write_boolean(2, 4, False)
    ws.write_number(3, 0, 1e21)
    ws.write_string(3, 1, "_x000D_ 与 x005F_ 字样")
    ws.write_datetime(3, 2, dt.datetime(1900, 1, 15), fmts["zh"])
    ws.write_number(3, 3, -3.0, fmts["red"])
    ws.write_formula(3, 4, "=1/0", None, "#DIV/0!")
    ws.write_datetime(4, 2, dt.datetime(2026, 1, 1, 8, 15), fmts["time"])
    ws.write_number(4, 3, 46000, fmts["builtin"])
    ws.write_formula(4, 4, "=A2+A3", None, 3)
    ws.write_formula(5, 4, '="整改"&"完成"', None, "整改完成")
    ws.write_formula(6, 4, "=SUM(A2:A4)", None, "")  # no value saved
    ws.write_string(7, 1, "/")
    ws.write_string(7, 3, "46000")
    ws.merge_range(8, 0, 10, 0, "镇安监站", None)
    ws.merge_range(8, 1, 8, 3, 4.5, None)
    ws.write_string(20000, 2, "far below")
    ws.write_string(5, 300, "far right")
    book.add_worksheet("说明").write_string(0, 0, "填表说明")
    hidden = book.add_worksheet("隐藏")
    hidden.write_number(0, 0, 7)
    hidden.hide()
    book.close()


@pytest.mark.parametrize(
    "options",
    [{}, {"constant_memory": True}, {"date_1904": True}, {"strings_to_numbers": False}],
    ids=["shared-strings", "inline-strings", "date-1904", "default"],
)
def test_every_kind_of_cell_reads_as_openpyxl_reads_it(
    tmp_path: Path, options: dict[str, Any]
) -> None:
    path = tmp_path / "every-kind.xlsx"
    _every_kind(path, options)
    _same(path)
    fast, _ = _both(path, sheet="说明")
    assert fast is not None and [s.name for s in fast] == ["说明"]
    by_row = dict(read_cells(path, "x.xlsx", "台账")[0].rows)
    assert by_row[2][4] == 2.5 and by_row[4][5] == "#DIV/0!"
    assert str(by_row[7][5]) == "=SUM(A2:A4)"
    assert by_row[11][1] == "镇安监站" and by_row[9][4] == 4.5


def test_an_openpyxl_written_workbook_with_its_own_kinds(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "台账"
    ws["A1"] = "日期"
    ws["A2"] = dt.date(2026, 2, 3)
    ws["A3"] = dt.datetime(2026, 2, 3, 9, 5)
    ws["A4"] = dt.time(9, 30)
    ws["B2"] = "=A2+1"  # a formula openpyxl writes without a value
    ws["C2"] = 3.25
    ws["D2"] = False
    ws.merge_cells("E2:E4")
    ws["E2"] = "合并"
    path = tmp_path / "openpyxl.xlsx"
    wb.save(path)
    _same(path)


def test_what_the_direct_reader_does_not_read_falls_back_to_openpyxl(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "duration.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet()
    ws.write_number(0, 0, 1.5, book.add_format({"num_format": "[h]:mm:ss"}))
    book.close()
    fast, slow = _both(path)
    assert fast is None
    assert read_cells(path, "duration.xlsx", None)[0].rows == slow[0].rows
    assert slow[0].rows == [(1, {1: dt.timedelta(days=1.5)})]
    # Not .xlsx (a macro workbook): openpyxl reads it.
    xlsm = tmp_path / "macro.xlsm"
    xlsm.write_bytes((DATA / "ledgers" / "duplicate.xlsx").read_bytes())
    assert _both(xlsm)[0] is None
    assert _typed(read_cells(xlsm, "m", None)) == _typed(
        read_cells(DATA / "ledgers" / "duplicate.xlsx", "m", None)
    )


def _rewrite(src: Path, dst: Path, change: dict[str, bytes]) -> None:
    """A copy of a workbook with some of its parts replaced."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, change.get(item.filename, zin.read(item.filename)))


def _sheet_xml(rows: str, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData>{extra}</worksheet>"
    ).encode()


def _one_sheet_book(tmp_path: Path) -> Path:
    import xlsxwriter

    path = tmp_path / "base.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("台账").write_string(0, 0, "x")
    book.close()
    return path


def test_rows_and_cells_out_of_order_and_cells_without_a_reference(tmp_path: Path) -> None:
    base = _one_sheet_book(tmp_path)
    member = "xl/worksheets/sheet1.xml"
    cases = {
        "no-refs": '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>2</v></c></row>'
        '<row r="3"><c><v>3</v></c><c r="D3"><v>4</v></c></row>',
        "rows-backwards": '<row r="2"><c r="A2"><v>2</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>',
        "cells-backwards": '<row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c></row>',
        "phonetic": '<row r="1"><c r="A1" t="inlineStr"><is><r><t>漢</t></r>'
        '<rPh sb="0" eb="1"><t>かん</t></rPh></is></c></row>',
    }
    for name, rows in cases.items():
        path = tmp_path / f"{name}.xlsx"
        _rewrite(base, path, {member: _sheet_xml(rows)})
        fast, slow = _both(path)
        if name in ("no-refs", "phonetic"):
            assert fast is not None and _typed(fast) == _typed(slow), name
        else:
            assert fast is None, name  # openpyxl's own way with such rows
        assert _typed(read_cells(path, name, None)) == _typed(slow), name


def test_an_entity_declaration_is_refused_never_expanded(tmp_path: Path) -> None:
    base = _one_sheet_book(tmp_path)
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    path = tmp_path / "entities.xlsx"
    _rewrite(base, path, {"xl/worksheets/sheet1.xml": bomb})
    with pytest.raises(DataError) as err:
        read_cells(path, "entities.xlsx", None)
    assert "document type declaration" in str(err.value.params)


def test_a_merged_range_of_the_whole_sheet_is_refused_not_filled(tmp_path: Path) -> None:
    base = _one_sheet_book(tmp_path)
    path = tmp_path / "merged.xlsx"
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>全表</t></is></c></row>'
    _rewrite(
        base,
        path,
        {
            "xl/worksheets/sheet1.xml": _sheet_xml(
                rows, '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
            )
        },
    )
    with pytest.raises(DataError) as err:
        read_cells(path, "merged.xlsx", None)
    assert err.value.params["max"] == workbook.MAX_CELLS


def test_the_limits_hold_on_the_direct_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = _one_sheet_book(tmp_path)
    path = tmp_path / "rows.xlsx"
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 31))
    _rewrite(base, path, {"xl/worksheets/sheet1.xml": _sheet_xml(rows)})
    monkeypatch.setattr(workbook, "MAX_ROWS", 20)
    with pytest.raises(DataError) as err:
        read_cells(path, "rows.xlsx", None)
    assert err.value.params["max"] == 20
    monkeypatch.setattr(workbook, "MAX_ROWS", 100)
    monkeypatch.setattr(workbook, "MAX_CELLS", 25)
    with pytest.raises(DataError) as err:
        read_cells(path, "rows.xlsx", None)
    assert err.value.params["max"] == 25
    monkeypatch.setattr(workbook, "MAX_CELLS", 100)
    assert len(read_cells(path, "rows.xlsx", None)[0].rows) == 30


def test_the_date_format_rule_is_openpyxls() -> None:
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    formats = [
        *BUILTIN_FORMATS.values(),
        'yyyy"年"m"月"d"日"',
        "[$-804]yyyy/m/d",
        "[Red]0.00",
        '"day"0',
        "0_d",
        r"\d0",
        "[h]:mm",
        "[mm]:ss",
        "yyyy-mm-dd;@",
        "@",
    ]
    for fmt in formats:
        assert sheetxml.is_date_format(fmt) == is_date_format(fmt), fmt
        assert sheetxml.is_timedelta_format(fmt) == is_timedelta_format(fmt), fmt
    for num, fmt in BUILTIN_FORMATS.items():
        assert (num in sheetxml.BUILTIN_DATES) == is_date_format(fmt), num


def test_a_part_the_direct_reader_cannot_read_is_left_to_openpyxl(tmp_path: Path) -> None:
    """A style sheet it cannot make sense of: openpyxl reads the workbook (or names it as
    damaged), exactly as before the direct reader."""
    base = _one_sheet_book(tmp_path)
    with zipfile.ZipFile(base) as zf:
        styles = zf.read("xl/styles.xml").decode()
    path = tmp_path / "styles.xlsx"
    head, cell_xfs = styles.split("<cellXfs", 1)
    broken = head + "<cellXfs" + cell_xfs.replace('numFmtId="0"', 'numFmtId="x"', 1)
    assert broken != styles
    _rewrite(base, path, {"xl/styles.xml": broken.encode()})
    with zipfile.ZipFile(path) as zf:
        members = workbook._sheet_members(zf)
        assert workbook._read_fast(zf, path, members, None, "s") is None
    try:
        slow = workbook._read_openpyxl(path, "s", None, {})
    except DataError:
        with pytest.raises(DataError):
            read_cells(path, "s", None)
    else:
        assert _typed(read_cells(path, "s", None)) == _typed(slow)


def test_the_suites_cross_check_fails_when_the_readers_disagree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """conftest's autouse check (every workbook a test reads, read by openpyxl too, its
    cells kept per workbook) is not vacuous: a direct reader that reads one value wrong,
    one value as another type (1 and True are equal in Python), or one row fewer fails the
    test, also for a workbook whose openpyxl cells the check already holds, and also where
    the reader would turn an exception into a refusal (a DataError) that a test expects."""
    import xlsxwriter

    from conftest import xlsx_cross_check

    path = tmp_path / "agree.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    sheet.write_string(0, 0, "隐患")
    sheet.write_number(1, 0, 1)
    book.close()
    checked = workbook._read_fast  # the autouse fixture's cross-checked reader
    assert _typed(read_cells(path, "agree.xlsx", None))  # they agree; openpyxl's cells kept
    direct = checked.direct

    def wrong_value(*args: Any) -> Any:
        sheets = direct(*args)
        sheets[0].rows[0][1][1] = "隐 患"
        return sheets

    def wrong_type(*args: Any) -> Any:
        sheets = direct(*args)
        sheets[0].rows[1][1][1] = True
        return sheets

    def row_lost(*args: Any) -> Any:
        sheets = direct(*args)
        del sheets[0].rows[1]
        return sheets

    for broken in (wrong_value, wrong_type, row_lost):
        monkeypatch.setattr(workbook, "_read_fast", xlsx_cross_check(broken))
        with pytest.raises(pytest.fail.Exception, match=r"the \.xlsx readers disagree"):
            read_cells(path, "agree.xlsx", None)
        # A workbook the check has not seen yet: openpyxl reads it, and the check fails too.
        other = tmp_path / f"{broken.__name__}-other.xlsx"
        book = xlsxwriter.Workbook(str(other))
        sheet = book.add_worksheet(broken.__name__)
        sheet.write_string(0, 0, "隐患")
        sheet.write_number(1, 0, 1)
        book.close()
        with pytest.raises(pytest.fail.Exception, match=r"the \.xlsx readers disagree"):
            read_cells(other, "other.xlsx", None)
    monkeypatch.setattr(workbook, "_read_fast", checked)
    assert _typed(read_cells(path, "agree.xlsx", None))
