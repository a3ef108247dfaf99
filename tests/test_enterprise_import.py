"""An office's enterprise list (CSV or Excel, its own headings) into enterprise files:
three hand-made lists with different headings, and bad rows located with nothing written."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.models.fields import credit_check_digit


def code(body17: str) -> str:
    return body17 + credit_check_digit(body17)


A, B, C = code("91150425MA0N00101"), code("91150425MA0N00102"), code("91150425MA0N00103")


def run(runner: CliRunner, root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--root", str(root)], env={"COLUMNS": "200"})
    return result.exit_code, result.output


def _files(root: Path) -> dict[str, str]:
    folder = root / "data" / "enterprises"
    if not folder.is_dir():
        return {}
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_a_town_csv_list(plan_root: Path, runner: CliRunner, tmp_path: Path) -> None:
    sheet = tmp_path / "企业名单.csv"
    sheet.write_text(
        "企业名称,统一社会信用代码,所在村,行业,主要负责人,联系电话\n"
        f"大井银铅矿业有限公司,{A},大井村,非煤矿山,王建国,13900000001\n"
        f"大井农机配件厂,{B.lower()},东山村,机械,吴机,\n"
        "大井镇中心商场,,大井村,其他,陈商,13900000003\n",
        encoding="utf-8",
    )
    rc, out = run(
        runner, plan_root, "enterprise", "import", str(sheet), "--on", "2025-01-01", "--dry-run"
    )
    assert rc == 0, out
    assert _files(plan_root) == {}
    rc, out = run(runner, plan_root, "enterprise", "import", str(sheet), "--on", "2025-01-01")
    assert rc == 0, out
    files = _files(plan_root)
    assert len(files) == 3 and A in files and B in files
    assert "industry: mining\n" in files[A] and "village: 大井村\n" in files[A]
    assert "principal:\n  name: 王建国\n  phone: '13900000001'\n" in files[A]
    qy = next(v for k, v in files.items() if k.startswith("QY-20250101-"))
    assert "name: 大井镇中心商场\n" in qy
    rc, out = run(runner, plan_root, "validate", "--as-of", "2025-06-01")
    assert rc == 0, out


def test_a_county_csv_with_a_title_row(plan_root: Path, runner: CliRunner, tmp_path: Path) -> None:
    sheet = tmp_path / "county.csv"
    sheet.write_text(
        "大井镇生产经营单位分级分类清单,,,,,,,\n"
        "单位名称,社会信用代码,村（社区）,所属行业,法定代表人,安全员,从业人数,场景\n"
        f"大井冷鲜食品有限公司,{C},东山村,轻工,郑冷,李安、周全,60,液氨制冷、有限空间\n",
        encoding="utf-8",
    )
    rc, out = run(runner, plan_root, "enterprise", "import", str(sheet), "--on", "2025-01-01")
    assert rc == 0, out
    text = _files(plan_root)[C]
    assert "flags: [ammonia_refrigeration, confined_space]\n" in text
    assert "safety_managers:\n  - name: 李安\n  - name: 周全\n" in text
    assert "employees: 60\n" in text


def test_an_excel_list(plan_root: Path, runner: CliRunner, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "企业台账"
    ws.append(
        [
            "序号",
            "生产经营单位名称",
            "信用代码",
            "地址",
            "监管行业",
            "负责人",
            "主管部门",
            "纳入日期",
        ]
    )
    ws.append(
        [
            1,
            "大井精细化工有限公司",
            A,
            "新井村工业园",
            "危化品",
            "孙化",
            "县应急管理局",
            "2025-02-01",
        ]
    )
    ws.append([2, "大井毛纺厂", B, "新井村", "纺织", "冯纺", "镇经发办", None])
    path = tmp_path / "list.xlsx"
    wb.save(path)
    rc, out = run(runner, plan_root, "enterprise", "import", str(path), "--on", "2025-01-01")
    assert rc == 0, out
    files = _files(plan_root)
    assert "industry: chemicals\n" in files[A] and "registered_on: 2025-02-01\n" in files[A]
    assert "department: 镇经发办\n" in files[B] and "registered_on: 2025-01-01\n" in files[B]


def test_bad_rows_are_located_and_nothing_is_written(
    plan_root: Path, runner: CliRunner, tmp_path: Path
) -> None:
    bad_code = A[:-1] + ("0" if A[-1] != "0" else "1")
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "企业名称,统一社会信用代码,行业\n"
        f"好厂,{B},机械\n"
        f"坏码厂,{bad_code},机械\n"
        "怪行业厂,,造船\n"
        f"重复厂,{B},机械\n",
        encoding="utf-8",
    )
    rc, out = run(runner, plan_root, "enterprise", "import", str(sheet), "--lang", "en")
    assert rc == 1, out
    assert f"{sheet}:3:1:" in out and "check digit" in out
    assert f"{sheet}:4:3: '造船' is not one of" in out
    assert f"{sheet}:5:1: {B} is already registered or listed twice" in out
    assert _files(plan_root) == {}


def test_a_list_without_headings_is_refused(
    plan_root: Path, runner: CliRunner, tmp_path: Path
) -> None:
    sheet = tmp_path / "none.csv"
    sheet.write_text("甲,乙\n1,2\n", encoding="utf-8")
    rc, out = run(runner, plan_root, "enterprise", "import", str(sheet), "--lang", "en")
    assert rc == 2 and "no row of headings" in out


def test_a_missing_list_or_a_folder_is_a_usage_error_in_the_readers_language(
    plan_root: Path, runner: CliRunner, tmp_path: Path
) -> None:
    """As ``import ledger``: exit 2 and the plan's language, not the OS's English text."""
    rc, out = run(runner, plan_root, "enterprise", "import", "nope.xlsx")
    assert rc == 2, out
    assert "safeplan: 错误：nope.xlsx：文件不存在" in out
    assert "No such file" not in out and "Traceback" not in out
    rc, out = run(runner, plan_root, "enterprise", "import", str(tmp_path), "--lang", "en")
    assert rc == 2, out
    assert "is a folder: give the workbook (.xlsx) or .csv file" in out
    assert _files(plan_root) == {}
