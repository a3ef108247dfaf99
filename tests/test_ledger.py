"""The ledger (台账) exported: its sheets and cells, the same bytes for the same day, CSV, and
the round trip export → import into an empty plan → export."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import copy_plan
from safeplan.cli import app

HERE = Path(__file__).resolve().parent
LEDGERS = HERE / "data" / "ledgers"
AS_OF = "2026-11-28"
#: The good workbooks of the corpus: together, a register with every kind of fact.
GOOD = (
    "county-standard.xlsx",
    "town-variant-headings.xlsx",
    "merged-enterprise.xlsx",
    "cover-and-two-row-heading.xlsx",
)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is 2026-11-28 in the town (the facts of the corpus lie before it)."""
    from safeplan.cli import session

    monkeypatch.setattr(session, "utc_now", lambda: dt.datetime(2026, 11, 28, 4, tzinfo=dt.UTC))


def invoke(runner: CliRunner, root: Path, *args: str) -> Any:
    return runner.invoke(app, [*args, "--root", str(root)])


def empty_plan(tmp_path: Path, name: str) -> Path:
    """A plan root with the shipped plan, units and tasks, and no hazards."""
    root = copy_plan(tmp_path / name)
    for f in (root / "data" / "hazards").glob("*"):
        f.unlink()
    return root


@pytest.fixture(scope="module")
def register_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan with hazards of every kind: imported from the corpus, one with an extension,
    supervision and the double report (closed-loop.xlsx, its bad row fixed). Built once per
    module (eight imports); each test gets its own copy (``register``)."""
    import openpyxl

    from safeplan.cli import session

    tmp_path = tmp_path_factory.mktemp("register")
    runner = CliRunner()
    root = empty_plan(tmp_path, "register")
    fixed = tmp_path / "closed-loop-fixed.xlsx"
    wb = openpyxl.load_workbook(LEDGERS / "closed-loop.xlsx")
    ws = wb.active
    assert ws is not None
    ws["Q5"] = "镇安监站 王五"  # the acceptor the corpus leaves out on purpose
    wb.save(fixed)
    with pytest.MonkeyPatch.context() as patch:  # the clock fixture's day
        patch.setattr(session, "utc_now", lambda: dt.datetime(2026, 11, 28, 4, tzinfo=dt.UTC))
        for name in (*GOOD, fixed):
            path = name if isinstance(name, Path) else LEDGERS / name
            done = invoke(runner, root, "import", "ledger", str(path), "--apply")
            assert done.exit_code == 0, done.stdout + done.stderr
    return root


@pytest.fixture
def register(register_template: Path, tmp_path: Path, clock: None) -> Path:
    """This test's own copy of the register."""
    return Path(shutil.copytree(register_template, tmp_path / "register"))


def withdraw_one(runner: CliRunner, root: Path) -> None:
    done = invoke(
        runner,
        root,
        "hazard",
        "withdraw",
        "DJ-2025-004",
        "--reason",
        "重复登记",
        "--on",
        "2025-06-05",
    )
    assert done.exit_code == 0, done.stdout + done.stderr


def cells(path: Path) -> dict[str, list[list[object]]]:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return {name: [list(r) for r in wb[name].iter_rows(values_only=True)] for name in wb.sheetnames}


def table(sheet: list[list[object]]) -> list[list[object]]:
    """A sheet's rows under its headings, up to the line under the table."""
    return [r for r in sheet[3:] if isinstance(r[0], int)]


def export(runner: CliRunner, root: Path, out: Path, *extra: str) -> Any:
    done = invoke(runner, root, "export", "ledger", "--as-of", AS_OF, "--out", str(out), *extra)
    assert done.exit_code == 0, done.stdout + done.stderr
    return done


def test_the_workbook_has_a_cover_the_hazards_and_the_tasks(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    withdraw_one(runner, register)
    out = tmp_path / "台账.xlsx"
    done = export(runner, register, out)
    assert "16 项隐患" in done.stdout and "21 项任务" in done.stdout
    sheets = cells(out)
    assert list(sheets) == ["封面", "隐患台账", "重点任务"]
    hazards = sheets["隐患台账"]
    assert hazards[0][0] == "隐患排查治理台账"
    heads = hazards[2]
    assert heads[:4] == ["序号", "隐患编号", "隐患名称", "企业名称"]
    for h in ("判定依据", "整改资金（万元）", "延期至", "应急预案/临时管控措施", "验收结论", "审核人",
              "挂牌督办", "双报告", "状态", "是否逾期"):  # fmt: skip
        assert h in heads, h
    rows = {r[heads.index("隐患名称")]: dict(zip(heads, r, strict=True)) for r in table(hazards)}
    assert "安全出口锁闭" not in rows  # withdrawn: on the cover only
    coal = rows["井下主排水泵房排水能力不足"]
    assert coal["隐患等级"] == "重大事故隐患" and coal["隐患来源"] == "企业自查"
    assert coal["发现日期"] == dt.datetime(2024, 3, 15)  # a real date cell
    assert coal["整改资金（万元）"] == 45 and coal["状态"] == "已销号" and coal["是否逾期"] == "否"
    assert coal["统一社会信用代码"] == "91150425MA0N4XKJ2U"
    station = rows["加油站油罐区防雷设施失效"]
    assert station["延期至"] == dt.datetime(2024, 6, 30)
    assert station["整改时限"] == dt.datetime(2024, 5, 31)
    assert station["挂牌督办"] == "县级：县安委办，2024-04-10挂牌，2024-07-05摘牌"
    assert station["双报告"] == "监管部门 2024-04-03；职工大会或职工代表大会 2024-04-05"
    assert station["判定依据"] == "应急管理部令第4号 第四条"
    assert rows["筒型储库人工清库无专项方案"]["验收结论"] == "不合格"
    assert rows["筒型储库人工清库无专项方案"]["状态"] == "验收不合格，待重新整改"
    assert rows["粉尘作业场所电气设备非防爆"]["整改资金（万元）"] == 0.8
    assert rows["粉尘作业场所电气设备非防爆"]["是否逾期"] == "是"
    assert [r[0] for r in table(hazards)] == list(range(1, len(rows) + 1))
    # Under each table, the 填报 line (the unit defaults to the plan's issuer).
    assert hazards[-1][0].startswith("填报单位（盖章）：大井镇人民政府")
    cover = {r[0]: r[1] for r in sheets["封面"][3:]}
    assert cover["列入台账的隐患"] == 16
    assert cover["已撤销登记（误登记），不列入台账"] == 1
    # The rates as status computes them, with what they count; no tool named on the cover.
    assert cover["整改率"].endswith(f"/{cover['列入台账的隐患']}）")
    assert {"销号率", "重大隐患整改率", "指标口径", "记录待核实（闭环记录有误）"} <= set(cover)
    assert not any("safeplan" in str(k) + str(v) for k, v in cover.items())
    assert cover["统计截至"] == dt.datetime(2026, 11, 28)
    tasks = sheets["重点任务"]
    assert tasks[2] == ["序号", "行动", "任务", "完成时限", "牵头单位", "配合单位", "最近进展",
                        "完成日期", "状态"]  # fmt: skip
    assert len(table(tasks)) == 21


def test_the_sheet_is_set_up_for_the_screen_and_for_a4_landscape(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    import openpyxl

    out = tmp_path / "l.xlsx"
    export(runner, register, out)
    ws = openpyxl.load_workbook(out)["隐患台账"]
    assert ws.freeze_panes == "D4"
    assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A3:")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    # Printed: the title rows and headings on every page; 序号, 隐患编号 and 隐患名称 on the
    # pages to the right; the town and the day in the header; page N of M in the footer.
    assert ws.print_title_rows == "$1:$3"
    assert ws.print_title_cols == "$A:$C"
    assert ws.print_area.startswith("'隐患台账'!$A$1:")
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws.oddHeader.left.text == "大井镇人民政府"
    assert ws.oddHeader.right.text == "统计截至 2026-11-28"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (2, 0)
    last = int(ws.print_area.rsplit("$", 1)[1])
    assert str(ws.cell(last, 1).value).startswith("填报单位（盖章）：")
    tasks = openpyxl.load_workbook(out)["重点任务"]
    # One page wide (1 is the default, left out of the file).
    assert tasks.sheet_properties.pageSetUpPr.fitToPage
    assert (tasks.page_setup.fitToWidth or 1, tasks.page_setup.fitToHeight) == (1, 0)
    assert tasks.print_title_rows == "$1:$3"
    # Widths fit Chinese text: the title column is wider than the level column.
    widths = {c: ws.column_dimensions[c].width for c in ("A", "B", "C", "I")}
    assert widths["C"] > widths["I"] > widths["A"]
    assert ws["C4"].alignment.wrap_text
    assert ws["K4"].number_format == "yyyy-mm-dd"
    # A row as tall as its longest wrapped cell.
    assert ws.row_dimensions[4].height and ws.row_dimensions[4].height > 15


def test_the_same_data_and_day_give_the_same_bytes(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    export(runner, register, a)
    export(runner, register, b)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        core = z.read("docProps/core.xml").decode()
    assert "2026-11-28T00:00:00Z" in core  # the as-of day, not the clock
    c = tmp_path / "c.xlsx"
    export(runner, register, c, "--lang", "en")
    assert c.read_bytes() != a.read_bytes()
    assert cells(c)["Hazard ledger"][2][:2] == ["Row no.", "Id"]


def test_round_trip_into_an_empty_plan_gives_the_same_workbook(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first.xlsx"
    export(runner, register, first)
    empty = empty_plan(tmp_path, "empty")
    done = invoke(runner, empty, "import", "ledger", str(first), "--apply")
    assert done.exit_code == 0, done.stdout + done.stderr
    assert "已从" in done.stdout
    checked = invoke(runner, empty, "validate", "--as-of", AS_OF)
    # the plan writes zh; a ledger has no 判定依据 for its major hazards: only those warnings
    *warned, summary = checked.stdout.splitlines()
    assert checked.exit_code == 0 and summary.endswith("：0 个错误，1 个警告。"), checked.stdout
    assert all("判定依据" in line for line in warned), checked.stdout
    second = tmp_path / "second.xlsx"
    export(runner, empty, second)
    a, b = cells(first), cells(second)
    assert a.keys() == b.keys()
    for name in a:
        assert a[name] == b[name], name
    # The ids survive; the extension without its reason says so in the record.
    assert sorted(p.name for p in (register / "data/hazards").glob("*.yaml")) == sorted(
        p.name for p in (empty / "data/hazards").glob("*.yaml")
    )


def test_csv_is_one_utf8_file_a_sheet_with_a_bom(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    export(runner, register, tmp_path / "ledger.csv", "--format", "csv")
    names = sorted(p.name for p in tmp_path.glob("ledger-*.csv"))
    assert names == ["ledger-cover.csv", "ledger-hazards.csv", "ledger-tasks.csv"]
    data = (tmp_path / "ledger-hazards.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    text = data.decode("utf-8-sig")
    assert text.startswith("序号,隐患编号,隐患名称,企业名称")
    assert "2024-03-15" in text and "'-" not in text.split("\r\n")[0]


def test_json_gives_the_ledgers_view(runner: CliRunner, register: Path) -> None:
    done = invoke(runner, register, "export", "ledger", "--as-of", AS_OF, "--json")
    assert done.exit_code == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["cover"]["hazards_total"] == 17 and len(data["hazards"]) == 17


def test_the_cover_counts_as_status_does_even_for_a_broken_record(
    runner: CliRunner, register: Path
) -> None:
    # A hand-written closure without acceptance: status counts it as invalid, not closed.
    path = next(
        p
        for p in sorted((register / "data" / "hazards").glob("*.yaml"))
        if "rectification:" not in p.read_text(encoding="utf-8")
    )
    with path.open("a", encoding="utf-8") as f:
        f.write(f"closure:\n  on: {AS_OF}\n  reviewer: 镇安监站\n")
    status = json.loads(invoke(runner, register, "status", "--as-of", AS_OF, "--json").stdout)
    cover = json.loads(
        invoke(runner, register, "export", "ledger", "--as-of", AS_OF, "--json").stdout
    )["cover"]
    assert len(status["hazards"]["invalid"]) == cover["invalid"] == 1
    for level, by_state in cover["hazards"].items():
        for state, n in by_state.items():
            assert n == status["hazards"]["counts"][level][state], (level, state)
    assert cover["overdue"] == len(status["hazards"]["overdue"])
    assert cover["tasks"] == status["tasks"]["counts"]


def test_an_earlier_day_leaves_out_later_facts(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    out = tmp_path / "early.xlsx"
    done = invoke(runner, register, "export", "ledger", "--as-of", "2024-06-26", "--out", str(out))
    assert done.exit_code == 0, done.stderr
    hazards = cells(out)["隐患台账"]
    heads = hazards[2]
    rows = {r[heads.index("隐患名称")]: dict(zip(heads, r, strict=True)) for r in table(hazards)}
    assert set(rows) == {"井下主排水泵房排水能力不足", "加油站油罐区防雷设施失效"}
    coal = rows["井下主排水泵房排水能力不足"]
    assert coal["整改完成日期"] == dt.datetime(2024, 6, 20) and coal["验收日期"] is None
    assert coal["状态"] == "已整改，待验收"


def test_export_needs_a_known_format(runner: CliRunner, register: Path) -> None:
    done = invoke(runner, register, "export", "ledger", "--format", "pdf")
    assert done.exit_code == 2 and "xlsx" in done.stderr


def test_help_and_status_import_no_workbook_library(plan_root: Path) -> None:
    probe = (
        "import sys\n"
        "from safeplan.cli import app\n"
        "for args in (['--help'], ['status', '--as-of', '2025-01-01'], ['export', '--help']):\n"
        "    try:\n        app(args)\n    except SystemExit:\n        pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'xlsxwriter'))\n"
        "print(__import__('json').dumps(heavy), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=plan_root, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []


@pytest.mark.slow  # LibreOffice starts
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
    reason="needs LibreOffice (libreoffice-calc-nogui) and pdfinfo (poppler-utils): .ci/run installs them",
)
def test_the_ledger_prints_on_a4_landscape(
    runner: CliRunner,
    register: Path,
    tmp_path: Path,
) -> None:
    out = tmp_path / "ledger.xlsx"
    export(runner, register, out)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "ledger.pdf"
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert sizes, info
    for w, h in sizes:  # A4 landscape: 842 x 595 points
        assert abs(float(w) - 841.89) < 1 and abs(float(h) - 595.28) < 1, (w, h)
    # The cover on one page; 17 hazards on two pages across (one page down); the tasks.
    assert 4 <= len(sizes) <= 8, len(sizes)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        pages = text.split("\f")[:-1]
        assert len(pages) == len(sizes)
        for n, page in enumerate(pages, start=1):
            # Every page: the town and the day, its number; no tool named.
            assert "大井镇人民政府" in page and "统计截至 2026-11-28" in page, n
            assert re.search(rf"第\s*{n}\s*页\s*共\s*{len(pages)}\s*页", page), n
            assert "safeplan" not in page, n
        hazard_pages = [p for p in pages if "隐患排查治理台账" in p or "隐患编号" in p]
        for page in hazard_pages:  # named rows on the pages to the right too
            assert "序号" in page and "隐患编号" in page and "隐患名称" in page
        # Under each table (on both halves of the hazard table: each sheet of paper signed).
        assert sum("填报单位（盖章）" in p for p in pages) in (3, 4)
        assert "填报单位（盖章）" in pages[0] and "填报单位（盖章）" in pages[-1]


#: A hazard extended twice, whose first acceptance failed: what the ledger must carry.
HISTORY = """\
id: HZ-20250105-TWOX
title: 二次延期并验收不合格的隐患
level: general
discovered_on: 2025-01-05
source: inspection
responsible_unit: 镇安监站
rectification_plan:
  measures: 更换（防爆）灯具
  deadline: 2025-02-28
extensions:
  - on: 2025-02-20
    from: 2025-02-28
    to: 2025-04-30
    reason: 灯具到货延迟
    approved_by: 镇安委办
  - on: 2025-04-25
    from: 2025-04-30
    to: 2025-06-30
    reason: 验收不合格，需重新采购
    approved_by: 镇长
rectification:
  on: 2025-06-10
acceptance:
  on: 2025-06-20
  by: 县应急局
reopenings:
  - on: 2025-04-20
    reason: 验收不合格，重新整改
    previous:
      rectification:
        on: 2025-04-01
      acceptance:
        on: 2025-04-10
        by: 县应急局（二科）
        result: failed
        note: 灯具型号不符：非防爆型
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_round_trip_keeps_every_extension_and_failed_acceptance(
    runner: CliRunner, register: Path, tmp_path: Path, lang: str
) -> None:
    """export → import into an empty plan → export: the same cells, and the records hold
    the same extensions (day, reason, approver) and failed acceptances — in either language
    (the line under the table, the funds' unit and the failed acceptance read back)."""
    from safeplan.models.hazards import Hazard
    from safeplan.yamlio import load_fast

    (register / "data/hazards/HZ-20250105-TWOX.yaml").write_text(HISTORY, encoding="utf-8")
    first = tmp_path / "first.xlsx"
    export(runner, register, first, "--lang", lang)
    if lang == "en":
        _round_trip(runner, tmp_path, first, "--lang", "en")
        return
    sheet = cells(first)["隐患台账"]
    heads = sheet[2]
    row = dict(zip(heads, next(r for r in sheet if r[1] == "HZ-20250105-TWOX"), strict=True))
    assert row["延期至"] == "2025-04-30\n2025-06-30"
    assert row["延期批准日期"] == "2025-02-20\n2025-04-25"
    assert row["延期原因"] == "灯具到货延迟\n验收不合格，需重新采购"
    assert row["延期批准人"] == "镇安委办\n镇长"
    assert row["验收不合格记录"] == (
        "2025-04-01整改，2025-04-10验收不合格（县应急局（二科）：灯具型号不符：非防爆型），"
        "2025-04-20起重新整改（验收不合格，重新整改）"
    )
    # A single extension keeps its date cells.
    station = next(r for r in sheet if r[heads.index("隐患名称")] == "加油站油罐区防雷设施失效")
    assert isinstance(station[heads.index("延期批准日期")], dt.datetime)
    empty = _round_trip(runner, tmp_path, first)

    def history(root: Path, hid: str) -> tuple[object, object]:
        h = Hazard.model_validate(load_fast((root / f"data/hazards/{hid}.yaml").read_text()))
        return h.extensions, [r.model_dump() for r in h.reopenings]

    for path in sorted((register / "data/hazards").glob("*.yaml")):
        before = history(register, path.stem)
        if (empty / "data/hazards" / path.name).exists():
            after = history(empty, path.stem)
            assert after[0] == before[0], path.stem
            assert [r["on"] for r in after[1]] == [r["on"] for r in before[1]], path.stem
    _, reopenings = history(empty, "HZ-20250105-TWOX")
    assert reopenings == history(register, "HZ-20250105-TWOX")[1]


def _round_trip(runner: CliRunner, tmp_path: Path, first: Path, *extra: str) -> Path:
    """``first`` imported into an empty plan and exported again: the same cells."""
    empty = empty_plan(tmp_path, "empty")
    done = invoke(runner, empty, "import", "ledger", str(first), "--apply", *extra)
    assert done.exit_code == 0, done.stdout + done.stderr
    second = tmp_path / "second.xlsx"
    export(runner, empty, second, *extra)
    a, b = cells(first), cells(second)
    for name in a:
        assert a[name] == b[name], name
    with_history = (empty / "data/hazards/HZ-20250105-TWOX.yaml").read_text(encoding="utf-8")
    assert "note: 灯具型号不符：非防爆型" in with_history and "by: 县应急局（二科）" in with_history
    return empty


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("延期批准日期", "2025-02-20", "1 行，但“延期至”列出了 2 次延期"),
        ("验收不合格记录", "2025-04-10 验收不合格", "不是台账的验收不合格记录写法"),
        ("验收不合格记录", "2025-04-01整改，2025-04-10验收不合格（县应急局，2025-04-20起", "例如"),
        ("延期至", "2025-04-30\n2025-03-31", "不晚于"),
    ],
)
def test_a_ledgers_extensions_and_failed_acceptances_are_checked(
    runner: CliRunner, register: Path, tmp_path: Path, column: str, value: str, expected: str
) -> None:
    import openpyxl

    (register / "data/hazards/HZ-20250105-TWOX.yaml").write_text(HISTORY, encoding="utf-8")
    first = tmp_path / "first.xlsx"
    export(runner, register, first)
    wb = openpyxl.load_workbook(first)
    ws = wb["隐患台账"]
    heads = [c.value for c in ws[3]]
    r = next(row[0].row for row in ws.iter_rows(min_row=4) if row[1].value == "HZ-20250105-TWOX")
    ws.cell(r, heads.index(column) + 1, value)
    wb.save(first)
    empty = empty_plan(tmp_path, "empty")
    done = invoke(runner, empty, "import", "ledger", str(first), "--apply")
    assert done.exit_code == 1, done.stdout
    assert f"第 {r} 行：未导入" in done.stdout
    assert expected in done.stdout, done.stdout
    assert not list((empty / "data/hazards").glob("*.yaml"))


def test_two_rows_alike_but_with_ids_of_their_own_are_two_hazards(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    """The same fault found twice on one inspection (same enterprise, title and day) is two
    hazards when each row has its own id; without ids it is one hazard written twice."""
    import openpyxl

    first = tmp_path / "first.xlsx"
    export(runner, register, first)
    wb = openpyxl.load_workbook(first)
    ws = wb["隐患台账"]
    last = max(r[0].row for r in ws.iter_rows(min_row=4) if isinstance(r[0].value, int))
    copy = [c.value for c in ws[last]]
    copy[0], copy[1] = last - 2, "HZ-20240101-TWIN"
    for i, v in enumerate(copy, start=1):
        ws.cell(last + 1, i, v)
    wb.save(first)
    empty = empty_plan(tmp_path, "empty")
    done = invoke(runner, empty, "import", "ledger", str(first), "--apply")
    assert done.exit_code == 0, done.stdout
    assert (empty / "data/hazards/HZ-20240101-TWIN.yaml").exists()
    assert (empty / f"data/hazards/{ws.cell(last, 2).value}.yaml").exists()
    ws.cell(last + 1, 2).value = None  # no id: the same hazard as the row above
    wb.save(first)
    again = invoke(runner, empty_plan(tmp_path, "empty2"), "import", "ledger", str(first))
    assert again.exit_code == 1 and f"与第 {last} 行是同一条隐患" in again.stdout, again.stdout


def test_the_criterion_column_prints_the_cited_item_and_is_not_read_back(
    runner: CliRunner, register: Path, tmp_path: Path
) -> None:
    """判定标准条款, after 判定依据: the catalog's reading of a major hazard's basis (typed
    half-width, as officers do); the import reads the basis and passes the derived column
    over, so the round trip gives the same cells."""
    majors = [
        p
        for p in sorted((register / "data/hazards").glob("*.yaml"))
        if "\nlevel: major\n" in p.read_text(encoding="utf-8")
    ]
    assert majors
    text = majors[0].read_text(encoding="utf-8")
    majors[0].write_text(
        text.replace("\nlevel: major\n", "\nlevel: major\nbasis: 建质规(2024)5号第6条\n"),
        encoding="utf-8",
    )
    first = tmp_path / "first.xlsx"
    export(runner, register, first)
    sheet = cells(first)["隐患台账"]
    heads = sheet[2]
    assert heads[heads.index("判定依据") + 1] == "判定标准条款"
    row = dict(zip(heads, next(r for r in sheet if r[1] == majors[0].stem), strict=True))
    assert row["判定依据"] == "建质规(2024)5号第6条"
    assert row["判定标准条款"] == "建质规〔2024〕5号 第六条"
    # A row without a basis has none; the corpus's bases (as the catalog writes them) alike.
    pairs = {(r[heads.index("判定依据")], r[heads.index("判定标准条款")]) for r in table(sheet)}
    assert (None, None) in pairs
    assert all(c is None for b, c in pairs if b is None)
    assert ("应急管理部令第4号 第四条", "应急管理部令第4号 第四条") in pairs, pairs
    empty = empty_plan(tmp_path, "empty")
    done = invoke(runner, empty, "import", "ledger", str(first), "--apply")
    assert done.exit_code == 0, done.stdout + done.stderr
    assert "以下列未读取" not in done.stdout
    back = (empty / "data/hazards" / majors[0].name).read_text(encoding="utf-8")
    assert "basis: 建质规(2024)5号第6条\n" in back and "第六条" not in back
    second = tmp_path / "second.xlsx"
    export(runner, empty, second)
    assert cells(first) == cells(second)
    # The cell is not read: what an office types there changes nothing.
    import openpyxl

    wb = openpyxl.load_workbook(first)
    ws = wb["隐患台账"]
    for r in ws.iter_rows(min_row=4):
        if r[1].value == majors[0].stem:
            r[heads.index("判定标准条款")].value = "随便写的"
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    again = empty_plan(tmp_path, "again")
    done = invoke(runner, again, "import", "ledger", str(edited), "--apply")
    assert done.exit_code == 0, done.stdout + done.stderr
    assert (again / "data/hazards" / majors[0].name).read_bytes() == (
        empty / "data/hazards" / majors[0].name
    ).read_bytes()
    # In English the heading is the column's own words.
    en = tmp_path / "en.xlsx"
    export(runner, register, en, "--lang", "en")
    (sheet_en,) = [s for s in cells(en).values() if "Criterion item (判定标准条款)" in s[2]]
    row_en = next(r for r in sheet_en if r[1] == majors[0].stem)
    assert row_en[sheet_en[2].index("Criterion item (判定标准条款)")] == "建质规〔2024〕5号 第六条"


# --------------------------------------------------------------------------- read once, fast


def test_export_reads_each_hazard_file_once(
    runner: CliRunner, register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger's facts are made in the pass that validates each record (issue 24): no
    hazard file is read a second time, with or without the cache."""
    from safeplan import yamlio
    from safeplan.repo import hazardfile, parse

    reads: list[str] = []
    real = yamlio.read_text

    def counted(path: Any) -> str:
        reads.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(parse, "read_text", counted)
    monkeypatch.setattr(hazardfile, "read_text", counted)
    monkeypatch.setattr(yamlio, "read_text", counted)
    hazards = sorted(p.name for p in (register / "data" / "hazards").glob("*.yaml"))
    assert len(hazards) > 3
    for extra in (["--no-cache"], [], []):  # cold, then the cache made, then warm
        reads.clear()
        export(runner, register, tmp_path / "once.xlsx", *extra)
        assert sorted(r for r in reads if r in hazards) == hazards


def test_the_ledger_read_once_is_the_ledger_read_again(runner: CliRunner, register: Path) -> None:
    """A repository read without the ledger's keeper (the web's, a county's towns) gives
    the same ledger, its facts read from the files; and one read for another day too."""
    from safeplan.repo import load
    from safeplan.views.ledger import LedgerKeep, ledger

    for day in (dt.date(2026, 11, 28), dt.date(2025, 3, 1)):
        kept = ledger(load(register, today=day, keep=LedgerKeep(day)), day)
        assert kept.hazards, day
        plain = ledger(load(register, today=day), day)
        other = ledger(load(register, today=day, keep=LedgerKeep(dt.date(2024, 1, 1))), day)
        assert kept.model_dump() == plain.model_dump() == other.model_dump()


def test_a_file_that_changes_after_the_read_is_left_out_and_named(
    register: Path,
) -> None:
    """Read without the keeper, a file that no longer reads is left out of the ledger and
    named on its cover (as before: validate says why)."""
    from safeplan.repo import load
    from safeplan.views.ledger import ledger

    day = dt.date(2026, 11, 28)
    repo = load(register, today=day)
    victim = sorted((register / "data" / "hazards").glob("*.yaml"))[0]
    victim.write_text("id: [broken\n", encoding="utf-8")
    view = ledger(repo, day)
    assert victim.name in view.cover.left_out
    assert len(view.hazards) == len(ledger(load(register, today=day), day).hazards)


def _tricky_sheet(rows: int) -> Any:
    from safeplan.models.ledger import HAZARD_COLUMNS
    from safeplan.render.ledger_cells import Sheet

    cols = HAZARD_COLUMNS[:12]
    texts = [
        "大井村 工业园区",
        "a & b < c > d",
        " leading space",
        "trailing line\n",
        "bell\x07 and tab\t",
        "_x0041_ literally",
        "non-character \ufffe",
        "=SUM(A1)",
        "-5 元",
        "two\nlines",
        '"quoted"',
        "\u3000全角空格",
    ]
    #: What XlsxWriter's own calls write (a row holding one goes through them).
    theirs = ["x" * 20000, "<r>not rich</r>", True]
    body: list[list[Any]] = []
    for r in range(rows):
        row: list[Any] = [
            r + 1,
            texts[r % len(texts)],
            None,
            dt.date(2024, 1, 1) + dt.timedelta(days=r),
            Decimal("0.45") if r % 2 else Decimal("12"),
            r,
        ]
        row += [texts[(r + k) % len(texts)] for k in range(len(cols) - len(row))]
        if r % 7 == 3:
            row[-1] = theirs[r % len(theirs)]
        body.append(row)
    return Sheet("hazards", "隐患台账", "标题", "副标题", cols, [c.key for c in cols], body)


@pytest.mark.parametrize("sign", [True, False])
def test_the_fast_rows_are_xlsxwriters_own_bytes(
    sign: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows written straight into XlsxWriter's row file are the XML its own calls
    write, byte for byte, whatever the cells hold (text to escape, control characters,
    text too long or taken for rich text, which go through its calls): so a new XlsxWriter
    that writes otherwise fails here, not in an office."""
    import io

    import xlsxwriter

    from safeplan.render.ledger import _Page, write_sheet
    from safeplan.render.ledger_rows import _formats, _RowWriter

    written: list[bool] = []
    real = _RowWriter.write

    def spied(self: _RowWriter, *args: Any) -> bool:
        written.append(real(self, *args))
        return written[-1]

    monkeypatch.setattr(_RowWriter, "write", spied)

    def book(fast: bool) -> bytes:
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_numbers": False,
                                       "strings_to_formulas": False, "strings_to_urls": False})  # fmt: skip
        wb.set_properties({"created": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)})
        f = _formats(wb)
        sheet = _tricky_sheet(40)
        if not sign:
            sheet = sheet._replace(sign=())
        else:
            sheet = sheet._replace(sign=("填报单位：", "填报人："))
        write_sheet(wb.add_worksheet("a"), sheet, f, _Page("&L&9a", "&C&9b"), fast)
        write_sheet(wb.add_worksheet("b"), sheet._replace(rows=sheet.rows[:3]), f,
                    _Page("&L&9a", "&C&9b"), fast)  # fmt: skip
        wb.close()
        return buf.getvalue()

    fast, slow = book(True), book(False)
    assert True in written and False in written  # both paths taken, in one sheet
    with zipfile.ZipFile(io.BytesIO(fast)) as a, zipfile.ZipFile(io.BytesIO(slow)) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name
    assert fast == slow


def test_the_workbook_is_the_same_written_fast_or_cell_by_cell(register: Path) -> None:
    from safeplan.render.i18n import translator
    from safeplan.render.ledger import workbook_bytes
    from safeplan.repo import load
    from safeplan.views.ledger import LedgerKeep, ledger

    day = dt.date(2026, 11, 28)
    view = ledger(load(register, today=day, keep=LedgerKeep(day)), day)
    for lang in ("zh", "en"):
        tr = translator(lang)
        assert workbook_bytes(view, tr) == workbook_bytes(view, tr, fast=False)


def test_a_workbook_without_xlsxwriters_internals_is_written_cell_by_cell() -> None:
    """Should XlsxWriter no longer have what the fast rows lean on, or write rows otherwise,
    the rows go through its public calls: slower, never wrong."""
    import io
    import types

    import xlsxwriter

    from safeplan.render.ledger_rows import _formats, _RowWriter

    wb = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True})
    ws = wb.add_worksheet("a")
    f = _formats(wb)
    assert _RowWriter.on(ws, f, 3) is not None
    assert _RowWriter.on(types.SimpleNamespace(constant_memory=True), f, 3) is None
    ws.excel_version = 2010  # rows with x14ac:dyDescent
    assert _RowWriter.on(ws, f, 3) is None
    ws.excel_version = 2007
    plain = xlsxwriter.Workbook(io.BytesIO()).add_worksheet("b")  # not constant_memory
    assert _RowWriter.on(plain, f, 3) is None
    wb.close()
