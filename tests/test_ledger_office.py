"""``safeplan import ledger`` of ledgers as offices keep them (issue 25) and the streaming
read (issue 18 items 12 and 16): --set and defaults:, headings offices write, what the
ledger does not state, units the plan lacks, messages at the right cell, formulas, limits."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import ledger_maker
from safeplan.cli import app
from safeplan.render.i18n import translator
from test_ledger_import import empty, read

HERE = Path(__file__).resolve().parent
LEDGERS = HERE / "data" / "ledgers"
GOLDEN = LEDGERS / "golden"
TODAY = dt.date(2026, 11, 28)
UPDATE = os.environ.get("SAFEPLAN_UPDATE_GOLDENS") == "1"


MAKE = ledger_maker()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    from safeplan.cli import ledger, session

    monkeypatch.setattr(session, "utc_now", lambda: dt.datetime(2026, 11, 28, 4, tzinfo=dt.UTC))
    # The same ids in the dry run and the write: numbered by how many are taken.
    monkeypatch.setattr(ledger, "_new_id", lambda day, taken: f"HZ-{day:%Y%m%d}-T{len(taken):03d}")


def _args(name: str, given: dict[str, Any], tmp_path: Path) -> list[str]:
    args = ["import", "ledger", name]
    if "map" in given:
        mapping = tmp_path / "map.yaml"
        mapping.write_text(given["map"], encoding="utf-8")
        args += ["--map", str(mapping)]
    for value in given.get("set", []):
        args += ["--set", value]
    if given.get("add_units"):
        args.append("--add-units")
    return args


def _golden(path: Path, text: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize("name", sorted(MAKE.OFFICE))
def test_an_offices_own_ledger_imports_with_a_map_and_set_values(
    name: str, runner: CliRunner, tmp_path: Path, clock: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    given, expected = MAKE.OFFICE[name]
    root = empty(tmp_path)
    units_before = (root / "data/units.yaml").read_text(encoding="utf-8")
    monkeypatch.chdir(LEDGERS)
    args = [*_args(name, given, tmp_path), "--root", str(root)]
    dry = runner.invoke(app, args)
    assert dry.exit_code == 0, dry.stdout
    _golden(GOLDEN / f"{name}.dry-run.txt", dry.stdout)
    assert list((root / "data/hazards").glob("*")) == []
    for row, action in expected.items():
        word = {"create": "新建", "skip": "已跳过"}[action]
        assert re.search(rf"^第 {row} 行：.*{word}", dry.stdout, re.M), (row, dry.stdout)
    done = runner.invoke(app, [*args, "--apply"])
    assert done.exit_code == 0, done.stdout
    records = "".join(
        f"# {p.name}\n{p.read_text(encoding='utf-8')}"
        for p in sorted((root / "data/hazards").glob("*.yaml"))
    )
    units = (root / "data/units.yaml").read_text(encoding="utf-8")
    added = units[len(units_before) :] if units.startswith(units_before) else units
    if added:
        records += f"# data/units.yaml, added\n{added}"
    _golden(GOLDEN / f"{name}.records.yaml", records)
    assert sum(1 for a in expected.values() if a == "create") == len(
        list((root / "data/hazards").glob("*.yaml"))
    )
    checked = runner.invoke(app, ["validate", "--root", str(root), "--as-of", "2026-11-28"])
    assert checked.exit_code == 0, checked.stdout


def test_without_set_the_missing_column_is_named_with_the_option_that_gives_it(
    runner: CliRunner, tmp_path: Path, clock: None
) -> None:
    root = empty(tmp_path)
    done = runner.invoke(
        app, ["import", "ledger", str(LEDGERS / "town-yearly.xlsx"), "--root", str(root)]
    )
    assert done.exit_code == 1
    assert "台账缺少“责任单位”列" in done.stdout and "--set 责任单位=" in done.stdout


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("责任单位", "不是“列名=值”"),
        ("=镇安监站", "不是“列名=值”"),
        ("颜色=红", "“颜色”不是 safeplan 认识的台账列"),
        ("隐患等级=一般", "台账已有这一列（隐患级别，E 列）"),
    ],
)
def test_a_set_value_that_cannot_be_used_is_a_usage_error(
    value: str, words: str, runner: CliRunner, tmp_path: Path, clock: None
) -> None:
    root = empty(tmp_path)
    path = str(LEDGERS / "town-yearly.xlsx")
    done = runner.invoke(app, ["import", "ledger", path, "--set", value, "--root", str(root)])
    assert done.exit_code == 2, done.stdout
    assert words in done.stdout + done.stderr


def test_a_map_file_gives_defaults_and_the_dry_run_says_them(tmp_path: Path) -> None:
    from safeplan.errors import UsageError
    from safeplan.importers.ledger.layout import read_map

    good = tmp_path / "map.yaml"
    good.write_text("defaults:\n  责任单位: 镇安监站\n  发现日期: 2025-03-01\n", encoding="utf-8")
    read_ = read_map(good, "map.yaml")
    assert read_.defaults == {"责任单位": "镇安监站", "发现日期": "2025-03-01"}
    assert read_.columns == {}
    bad = tmp_path / "bad.yaml"
    bad.write_text("defaults:\n  责任单位: [镇安监站]\n", encoding="utf-8")
    with pytest.raises(UsageError):
        read_map(bad, "bad.yaml")
    done = read(
        LEDGERS / "town-yearly.xlsx",
        empty(tmp_path),
        defaults={"责任单位": read_.defaults["责任单位"]},
    )
    assert done.defaults == (("责任单位", "镇安监站"),)
    assert done.errors == 0


def test_what_the_ledger_does_not_state_is_marked_and_warned_per_row(tmp_path: Path) -> None:
    done = read(
        LEDGERS / "department-monthly.xlsx",
        empty(tmp_path),
        defaults={"隐患来源": "部门检查"},
        add_units=True,
    )
    assert done.errors == 0
    first = next(d.decode() for rel, _, d in done.files if "除尘" in d.decode())
    assert "acceptance:\n  on: 2025-11-18\n  by: 台账未载明" in first
    assert "closure:\n  on: 2025-11-25\n  reviewer: 台账未载明" in first
    warned = {(p.line, p.params.get("field")) for p in done.problems if p.severity == "warning"}
    assert {line for line, _ in warned} == {3, 6}
    # The warning is at the cell the row has (the date), and names the one it lacks.
    (closure,) = [p for p in done.problems if p.line == 3 and p.column == 10]
    assert closure.params["field"].code == "closure.reviewer"


def test_a_status_word_never_makes_a_fact(tmp_path: Path) -> None:
    done = read(LEDGERS / "town-yearly.xlsx", empty(tmp_path), defaults={"责任单位": "镇安监站"})
    files = {d.decode() for _, _, d in done.files}
    third = next(t for t in files if "隧道窑" in t)
    assert "rectification:" not in third  # 已整改, but no 完成时间
    fourth = next(t for t in files if "安全出口" in t)
    assert "rectification:\n  on: 2025-10-09" in fourth and "acceptance" not in fourth
    states = [p for p in done.problems if p.code == "ledger-state"]
    assert [(p.line, p.params["problem"].params["word"]) for p in states] == [
        (6, "已整改"),
        (7, "验收合格"),
    ]
    assert all(p.params["heading"] == "整改结果" and p.params["letter"] == "M" for p in states)


def test_notes_offices_write_are_kept_as_notes_and_said_so(tmp_path: Path) -> None:
    done = read(LEDGERS / "town-yearly.xlsx", empty(tmp_path), defaults={"责任单位": "镇安监站"})
    said = {r.row: r.params.get("note") for r in done.rows if r.action == "create"}
    assert said[5] == "县级挂牌督办" and said[6] == "已延期至10月31日"
    second = next(d.decode() for _, _, d in done.files if "液氨" in d.decode())
    assert "notes:\n  - on: 2025-06-12\n    text: 县级挂牌督办" in second
    assert "supervision" not in second  # a note, not a listing
    sixth = next(d.decode() for _, _, d in done.files if "隧道窑" in d.decode())
    assert "extensions" not in sixth


def test_values_offices_write(tmp_path: Path) -> None:
    done = read(LEDGERS / "town-yearly.xlsx", empty(tmp_path), defaults={"责任单位": "镇安监站"})
    texts = [d.decode() for _, _, d in done.files]
    first = next(t for t in texts if "粉尘" in t)
    assert "source: inspection" in first and "level: general" in first  # 镇村排查, 一般事故隐患
    assert "funds: 2万元" in first  # written 2万元 under a 万元 heading
    second = next(t for t in texts if "液氨" in t)
    assert "level: major" in second and "funds: 1.5万元" in second


def test_units_the_plan_lacks_are_listed_once_or_added_in_the_same_edit(
    runner: CliRunner, tmp_path: Path, clock: None
) -> None:
    root = empty(tmp_path)
    done = read(LEDGERS / "department-monthly.xlsx", root, defaults={"隐患来源": "部门检查"})
    units = [p for p in done.problems if p.code == "ledger-unit"]
    assert len(units) == 1 and units[0].line == 3 and units[0].column == 7
    assert not [p for p in done.problems if p.code == "unknown-unit"]
    assert done.files == () or all("units" not in rel for rel, _, _ in done.files)
    added = read(
        LEDGERS / "department-monthly.xlsx", root, defaults={"隐患来源": "部门检查"}, add_units=True
    )
    assert added.adds_units and added.new_units == ("县应急管理局",)
    assert added.files[0][0] == "data/units.yaml"
    assert (
        b"- name: \xe5\x8e\xbf\xe5\xba\x94\xe6\x80\xa5\xe7\xae\xa1\xe7\x90\x86\xe5\xb1\x80\n    kind: agency"
        in added.files[0][2]
    )


def test_a_unit_whose_name_says_no_kind_is_not_added(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["隐患名称", "隐患等级", "隐患来源", "发现日期", "整改时限", "责任单位"])
    ws.append(["配电箱未上锁", "一般", "自查", "2025-01-02", "2025-01-09", "某某公司"])
    path = tmp_path / "l.xlsx"
    wb.save(path)
    done = read(path, empty(tmp_path), add_units=True)
    assert done.errors == 1 and not [f for f in done.files if f[0] == "data/units.yaml"]
    assert "does not say what kind" in done.problems[0].params["problem"].template


def test_a_formula_saved_without_its_value_is_named_a_formula(tmp_path: Path) -> None:
    done = read(LEDGERS / "office-refusals.xlsx", empty(tmp_path))
    (p,) = [p for p in done.problems if p.line == 5]
    assert p.params["heading"] == "隐患内容" and p.column == 2
    assert p.params["problem"].params["formula"] == '=B3&"（复查）"'


def test_a_formula_with_its_value_saved_is_read_as_its_value(tmp_path: Path) -> None:
    import zipfile

    src = LEDGERS / "office-refusals.xlsx"
    path = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b'<c r="B5"><f>B3&amp;"\xef\xbc\x88\xe5\xa4\x8d\xe6\x9f\xa5\xef\xbc\x89"</f><v /></c>',
                    b'<c r="B5" t="str"><f>B3</f><v>\xe5\xa4\x8d\xe6\x9f\xa5</v></c>',
                )
                assert b"<v>" in data
            zout.writestr(item, data)
    done = read(path, empty(tmp_path))
    assert {r.row: r.action for r in done.rows}[5] == "create"


def test_a_sheet_beyond_the_limits_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    from safeplan.errors import DataError
    from safeplan.importers.ledger import workbook

    load = openpyxl.load_workbook

    def never(*_: Any, **__: Any) -> Any:
        raise AssertionError("the workbook was opened before the limits were checked")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    monkeypatch.setattr(workbook, "MAX_CELLS", 20)
    with pytest.raises(DataError) as cells:
        read(LEDGERS / "county-standard.xlsx", empty(tmp_path))
    assert cells.value.params["max"] == 20 and cells.value.params["sheet"] == "隐患台账"
    monkeypatch.setattr(workbook, "MAX_CELLS", 500_000)
    monkeypatch.setattr(workbook, "MAX_ROWS", 3)
    with pytest.raises(DataError) as rows:
        read(LEDGERS / "county-standard.xlsx", empty(tmp_path / "b"))
    assert rows.value.params["max"] == 3
    # --sheet names the sheet to read: another sheet's size does not count.
    monkeypatch.setattr(openpyxl, "load_workbook", load)
    monkeypatch.setattr(workbook, "MAX_ROWS", 4)
    path = LEDGERS / "department-monthly.xlsx"
    (one,) = workbook.read_cells(path, path.name, "填表说明")
    assert one.name == "填表说明"
    with pytest.raises(DataError):
        workbook.read_cells(path, path.name, "11月")


def test_the_workbook_is_read_streaming(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl's path (the fallback of the direct reader) reads in read-only mode: openpyxl
    gives no merged cells there, so the merges come from the sheet's XML (the
    merged-enterprise corpus proves them filled in)."""
    import openpyxl

    from safeplan.importers.ledger import workbook
    from safeplan.importers.ledger.workbook import read_cells

    # The direct reader would read this workbook itself (and conftest's cross-check would
    # open openpyxl behind it): make it decline, so that the fallback alone is measured.
    monkeypatch.setattr(workbook, "_read_fast", lambda *args: None)

    opened: list[dict[str, Any]] = []
    load = openpyxl.load_workbook

    def spy(*args: Any, **kw: Any) -> Any:
        opened.append(kw)
        return load(*args, **kw)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    (sheet,) = read_cells(LEDGERS / "wps-merged.xlsx", "wps-merged.xlsx", None)
    assert opened == [{"read_only": True, "data_only": True}]
    cells = dict(sheet.rows)
    assert cells[4][2] == cells[5][2] == "大井镇鑫源化工有限公司"
    assert cells[3][6] == 45884 and isinstance(cells[5][5], dt.datetime)


def _heading_rows(path: Path, sheet: str, row: int) -> list[dict[int, object]]:
    from safeplan.importers.ledger.workbook import read_cells

    (found,) = read_cells(path, path.name, sheet)
    cells = dict(found.rows)
    return [cells.get(row, {}), cells.get(row - 1, {})]


_LETTER = re.compile(r"（([A-Z]+) 列）")


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _refusals() -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = [(n, {}) for n in sorted(MAKE.EXPECTED)]
    out += [(n, {}) for n in ("town-yearly.xlsx", "department-monthly.xlsx")]
    out.append(("wps-merged.xlsx", {"mapping": {"隐患问题描述": "隐患名称"}}))
    out.append(("department-monthly.xlsx", {"defaults": {"隐患来源": "部门检查"}}))
    return out


@pytest.mark.parametrize(("name", "kw"), _refusals())
def test_every_refusal_names_the_heading_at_its_column_letter(
    name: str, kw: dict[str, Any], tmp_path: Path
) -> None:
    from safeplan.render.problems import format_line

    path = LEDGERS / name
    done = read(path, empty(tmp_path), **kw)
    heads = _heading_rows(path, done.sheet, done.heading_row)
    from safeplan.importers.ledger.workbook import read_cells

    (grid,) = read_cells(path, path.name, done.sheet)
    rows = dict(grid.rows)
    tr = translator("zh")
    checked = 0
    for p in done.problems:
        line = format_line(p, tr)
        for m in _LETTER.finditer(line):
            col = _column(m.group(1))
            before = line[: m.start()]
            named = [str(h[col]).strip() for h in heads if col in h]
            assert any(before.endswith(h) for h in named), (line, named)
            checked += 1
        first = _LETTER.search(line)
        if first and p.severity == "error" and "（--set" not in line:
            # The location is the cell the message names first; one said to be empty is.
            assert p.column == _column(first.group(1)), line
            if line[first.end() :].startswith("：为空") or "没有日期" in line[first.end() :][:8]:
                assert p.column not in rows.get(p.line, {}), line
    if any(p.severity == "error" for p in done.problems):
        assert checked or all(p.code == "ledger-column" for p in done.problems)


def test_a_unit_one_character_from_the_plans_is_not_added(tmp_path: Path) -> None:
    done = read(
        LEDGERS / "town-yearly.xlsx",
        empty(tmp_path),
        defaults={"责任单位": "镇安监占"},
        add_units=True,
    )
    (p,) = [p for p in done.problems if p.code == "ledger-unit"]
    assert p.params["problem"].params == {"name": "镇安监占", "unit": "镇安监站"}
    assert p.params["heading"] == "责任单位" and p.params["value"] == "镇安监占"
    assert not [f for f in done.files if f[0] == "data/units.yaml"]


def test_update_keeps_a_person_corrected_since_the_ledger_said_nothing(tmp_path: Path) -> None:
    from safeplan import fsio

    root = empty(tmp_path)
    kw: dict[str, Any] = {"defaults": {"隐患来源": "部门检查"}, "add_units": True}
    first = read(LEDGERS / "department-monthly.xlsx", root, **kw)
    for rel, _, data in first.files:
        fsio.write(root / rel, data, fsio.current(root / rel), rel)
    (closed,) = [p for p in (root / "data/hazards").glob("*.yaml") if "除尘" in p.read_text()]
    text = closed.read_text(encoding="utf-8")
    closed.write_text(text.replace("reviewer: 台账未载明", "reviewer: 镇安监站 站长"), "utf-8")
    again = read(LEDGERS / "department-monthly.xlsx", root, update=True, **kw)
    assert again.errors == 0, [p.params for p in again.problems if p.severity == "error"]
    assert {r.row: r.action for r in again.rows}[3] == "unchanged"


def test_a_closure_without_its_reviewer_is_warned_at_the_empty_cell(tmp_path: Path) -> None:
    done = read(LEDGERS / "office-refusals.xlsx", empty(tmp_path))
    (p,) = [p for p in done.problems if p.line == 8 and p.code == "ledger-cell"]
    assert p.severity == "warning" and (p.params["heading"], p.params["letter"]) == ("审核人", "J")
    assert p.column == 10
    have = p.params["problem"].params["have"].params
    assert (have["heading"], have["letter"], have["value"]) == ("销号日期", "I", "2024-03-18")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'<c r="B5">', b'<c r="NOT-A-CELL">'),  # a cell reference that is none
        (b"</sheetData>", b"</sheetDat>"),  # XML that does not parse
        (b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet'),  # entities: refused
    ],
)
def test_a_damaged_sheet_is_named_never_a_traceback(old: bytes, new: bytes, tmp_path: Path) -> None:
    import zipfile

    from safeplan.errors import DataError

    path = tmp_path / "damaged.xlsx"
    with (
        zipfile.ZipFile(LEDGERS / "office-refusals.xlsx") as zin,
        zipfile.ZipFile(path, "w") as zout,
    ):
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new, 1)
            zout.writestr(item, data)
    with pytest.raises(DataError) as refused:
        read(path, empty(tmp_path))
    assert refused.value.params["path"] == "damaged.xlsx"
