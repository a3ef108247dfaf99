"""Make the import corpus: ledgers (台账) as township and county offices make them.

Each workbook is written with openpyxl the way an office's Excel or WPS file looks: a
merged title row, a note row, headings of its own, dates typed as text, merged
enterprise cells, a totals row, a signature line, a bad date, a duplicate row.
``EXPECTED`` says what ``safeplan import ledger`` does with each row (by sheet row
number): ``create``, ``skip``, or ``error`` with the heading the problem is reported
at. The workbooks are deterministic (fixed document dates), so they can be committed.

    .venv/bin/python tests/data/ledgers/make_ledgers.py [DIR]   (default: beside this file)
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIXED = dt.datetime(2026, 1, 1)

#: workbook → row → (action, heading of the problem or None)
EXPECTED: dict[str, dict[int, tuple[str, str | None]]] = {
    # A county-style ledger: merged title, a note row, the customary headings, dates as
    # real cells, a totals row and a signature line.
    "county-standard.xlsx": {
        4: ("create", None),
        5: ("create", None),
        6: ("create", None),
        7: ("skip", None),  # 合计
        9: ("skip", None),  # 填表人：… 审核人：…
    },
    # A township's own headings (隐患内容, 排查时间, 整改期限, 责任人 …) and dates typed as
    # text in every form offices use; funds in 元.
    "town-variant-headings.xlsx": {
        3: ("create", None),
        4: ("create", None),
        5: ("create", None),
        6: ("create", None),
    },
    # One enterprise with three hazards: the enterprise and its code merged down; a blank
    # row in the middle; numbers stored as text.
    "merged-enterprise.xlsx": {
        3: ("create", None),
        4: ("create", None),
        5: ("create", None),
        7: ("create", None),
    },
    # A bad date (2024年2月30日), a date that is not one (下月底), an unknown unit and a
    # funds amount without its unit: each row reported with its heading; nothing written.
    "bad-rows.xlsx": {
        3: ("error", "发现日期"),
        4: ("error", "整改期限"),
        5: ("error", "责任单位"),
        6: ("create", None),
        7: ("error", "整改资金"),
    },
    # The same hazard twice (same enterprise, title and day).
    "duplicate.xlsx": {
        3: ("create", None),
        4: ("error", "隐患名称"),
        5: ("create", None),
    },
    # Closed-loop facts: rectified, accepted, closed; a failed acceptance; supervision and
    # the double report as offices write them; an acceptance without its acceptor (recorded
    # as 台账未载明, with a warning: the ledger states the date, not who accepted it).
    "closed-loop.xlsx": {
        3: ("create", None),
        4: ("create", None),
        5: ("create", None),
        6: ("create", None),
    },
    # A cover sheet first (no headings), the ledger on the second sheet, a two-row
    # heading (整改情况 over 整改完成日期 and 验收日期).
    "cover-and-two-row-heading.xlsx": {
        5: ("create", None),
        6: ("create", None),
    },
    # What office ledgers get wrong, each named at the cell that is wrong or missing (issue
    # 25): an acceptor without an acceptance date, a reviewer without a 销号日期, a formula
    # saved without its value, a status word the dates do not bear out (a warning only).
    "office-refusals.xlsx": {
        3: ("error", "验收日期"),
        4: ("error", "销号日期"),
        5: ("error", "隐患内容"),
        6: ("create", None),
        7: ("create", None),
        8: ("error", "验收日期"),  # accepted, never rectified; its reviewer not named (a warning)
    },
}


def _book() -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.creator = "大井镇安监站"
    return wb


def _table(ws: Any, start: int, rows: Sequence[Sequence[object]]) -> None:
    for r, row in enumerate(rows, start=start):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)


def _title(ws: Any, text: str, width: int, row: int = 1) -> None:
    ws.cell(row, 1, text)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


STANDARD = [
    "序号", "隐患编号", "企业名称", "统一社会信用代码", "行业领域", "隐患部位", "隐患名称",
    "隐患描述", "隐患等级", "隐患来源", "发现日期", "整改措施", "整改资金（万元）", "整改时限",
    "责任单位", "整改责任人", "应急预案/临时管控措施", "整改完成日期", "验收日期", "验收人",
    "验收结论", "销号日期", "审核人", "状态",
]  # fmt: skip


def county_standard(path: Path) -> None:
    wb = _book()
    ws = wb.active
    ws.title = "隐患台账"
    _title(ws, "大井镇重大事故隐患排查治理台账", len(STANDARD))
    ws.cell(2, 1, "填报单位：大井镇安监站　　　　截至 2026年11月28日")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=8)
    _table(ws, 3, [STANDARD])
    d = dt.datetime
    _table(
        ws,
        4,
        [
            [
                1,
                None,
                "某镇某煤矿有限公司",
                "91150425MA0N4XKJ2U",
                "煤矿",
                "井下-350水平主泵房",
                "井下主排水泵房排水能力不足",
                "主排水泵一用一备，能力不足",
                "重大事故隐患",
                "企业自查",
                d(2024, 3, 15),
                "增设一台主排水泵并完善配套管路",
                45,
                d(2024, 6, 30),
                "镇安监站",
                "王五",
                "停止受影响采区作业，撤出人员",
                d(2024, 6, 20),
                d(2024, 6, 28),
                "县应急管理局 赵六",
                "合格",
                d(2024, 7, 2),
                "镇安监站 站长",
                "已销号",
            ],
            [
                2,
                None,
                "大井镇宏达建材厂",
                None,
                "工贸",
                "粉磨车间",
                "除尘系统未接地",
                None,
                "一般隐患",
                "部门检查",
                d(2025, 5, 10),
                "加装接地装置",
                0.3,
                d(2025, 6, 10),
                "镇安监站",
                "李四",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                "待整改",
            ],
            [
                3,
                None,
                "大井镇顺通物流公司",
                None,
                "交通运输",
                "停车场",
                "消防通道被占用",
                None,
                "一般隐患",
                "群众举报",
                d(2026, 10, 8),
                "清理通道",
                None,
                d(2026, 12, 31),
                "镇综合执法局",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                "待整改",
            ],
        ],
    )
    ws.cell(7, 1, "合计")
    ws.cell(7, 13, 45.3)
    ws.cell(9, 1, "填表人：张三　　　审核人：李四　　　填报日期：2026年11月28日")
    wb.save(path)


def town_variant_headings(path: Path) -> None:
    wb = _book()
    ws = wb.active
    ws.title = "Sheet1"
    heads = ["编号", "单位名称", "隐患内容", "隐患级别", "来源", "排查时间", "整改期限",
             "整改资金（元）", "监管部门", "责任人", "整改情况"]  # fmt: skip
    _title(ws, "2025年度安全生产隐患排查台账", len(heads))
    _table(ws, 2, [heads])
    _table(
        ws,
        3,
        [
            [
                "DJ-2025-001",
                "大井镇粮油加工厂",
                "粉尘作业场所电气设备非防爆",
                "一般",
                "自查",
                "2025.3.5",
                "2025.4.5",
                "8000",
                "镇安监站",
                "刘一",
                "整改中",
            ],
            [
                "DJ-2025-002",
                "大井镇粮油加工厂",
                "有限空间作业未审批",
                "一般",
                "执法检查",
                "2025年3月5日",
                "2025年3月20日",
                "1,500元",
                "镇安监站",
                "刘一",
                "整改中",
            ],
            [
                "DJ-2025-003",
                "大井镇金星加油站",
                "卸油口未设置静电接地",
                "一般",
                "上级督查",
                "2025/4/1",
                "2025/4/30",
                "2.5万元",
                "市场监管所",
                "陈二",
                None,
            ],
            [
                "DJ-2025-004",
                "大井镇幸福超市",
                "安全出口锁闭",
                "一般",
                "群众举报",
                "20250602",
                "2025-6-10",
                None,
                "镇综合执法局",
                None,
                None,
            ],
        ],
    )
    wb.save(path)


def merged_enterprise(path: Path) -> None:
    wb = _book()
    ws = wb.active
    ws.title = "台账"
    heads = ["序号", "企业名称", "统一社会信用代码", "隐患名称", "隐患等级", "隐患来源",
             "发现日期", "整改时限", "整改资金（万元）", "责任单位"]  # fmt: skip
    _title(ws, "大井镇企业隐患台账", len(heads))
    _table(ws, 2, [heads])
    d = dt.date
    _table(
        ws,
        3,
        [
            [
                "1",
                "大井镇鑫源化工有限公司",
                "91150425MA0N4XKJ2U",
                "储罐区可燃气体报警器失效",
                "一般",
                "企业自查",
                d(2025, 8, 1),
                d(2025, 8, 15),
                "0.8",
                "镇安监站",
            ],
            [
                "2",
                None,
                None,
                "装卸区未设静电接地",
                "一般",
                "企业自查",
                d(2025, 8, 1),
                d(2025, 8, 20),
                "1.2",
                "镇安监站",
            ],
            [
                "3",
                None,
                None,
                "应急池容量不足",
                "一般",
                "部门检查",
                d(2025, 8, 3),
                d(2025, 9, 30),
                "12",
                "镇安监站",
            ],
            [None] * 10,
            [
                "4",
                "大井镇兴旺砖厂",
                None,
                "隧道窑检修无专人监护",
                "一般",
                "部门检查",
                d(2025, 9, 2),
                d(2025, 9, 10),
                None,
                "镇安监站",
            ],
        ],
    )
    ws.merge_cells("B3:B5")
    ws.merge_cells("C3:C5")
    wb.save(path)


VARIANT = ["序号", "企业名称", "隐患名称", "隐患等级", "隐患来源", "发现日期", "整改期限",
           "整改资金", "责任单位"]  # fmt: skip


def bad_rows(path: Path) -> None:
    wb = _book()
    ws = wb.active
    ws.title = "隐患台账"
    _title(ws, "隐患排查治理台账", len(VARIANT))
    _table(ws, 2, [VARIANT])
    _table(
        ws,
        3,
        [
            [
                1,
                "甲公司",
                "配电箱未上锁",
                "一般",
                "自查",
                "2024年2月30日",
                "2024-03-31",
                None,
                "镇安监站",
            ],
            [2, "乙公司", "灭火器过期", "一般", "自查", "2024-03-01", "下月底", None, "镇安监站"],
            [
                3,
                "丙公司",
                "疏散指示损坏",
                "一般",
                "自查",
                "2024-03-02",
                "2024-03-20",
                None,
                "安监站",
            ],
            [
                4,
                "丁公司",
                "电缆沟积水",
                "一般",
                "自查",
                "2024-03-03",
                "2024-03-25",
                None,
                "镇安监站",
            ],
            [
                5,
                "戊公司",
                "脚手架未设剪刀撑",
                "一般",
                "自查",
                "2024-03-04",
                "2024-03-30",
                12,
                "镇安监站",
            ],
        ],
    )
    wb.save(path)


def duplicate(path: Path) -> None:
    wb = _book()
    ws = wb.active
    ws.title = "隐患台账"
    _title(ws, "隐患排查治理台账", len(VARIANT))
    _table(ws, 2, [VARIANT])
    row = [1, "大井镇宏达建材厂", "粉磨车间除尘器泄爆片缺失", "一般", "部门检查", "2025-04-01",
           "2025-04-20", None, "镇安监站"]  # fmt: skip
    _table(
        ws,
        3,
        [
            row,
            [2, *row[1:]],
            [
                3,
                "大井镇宏达建材厂",
                "粉磨车间除尘器泄爆片缺失",
                "一般",
                "部门检查",
                "2025-05-01",
                "2025-05-20",
                None,
                "镇安监站",
            ],
        ],
    )
    wb.save(path)


def closed_loop(path: Path) -> None:
    wb = _book()
    ws = wb.active
    ws.title = "隐患台账"
    heads = ["序号", "企业名称", "隐患名称", "隐患等级", "隐患来源", "发现日期", "判定依据",
             "整改措施", "整改资金（万元）", "整改时限", "延期至", "责任单位", "整改责任人",
             "临时管控措施", "整改完成日期", "验收日期", "验收人", "验收结论", "销号日期", "审核人",
             "挂牌督办", "双报告", "状态"]  # fmt: skip
    _title(ws, "重大事故隐患治理台账", len(heads))
    _table(ws, 2, [heads])
    _table(
        ws,
        3,
        [
            [
                1,
                "大井镇金星加油站",
                "加油站油罐区防雷设施失效",
                "重大",
                "部门检查",
                "2024-04-02",
                "应急管理部令第4号 第四条",
                "更换防雷接地装置",
                6,
                "2024-05-31",
                "2024-06-30",
                "市场监管所",
                "陈二",
                "停止卸油作业",
                "2024-06-25",
                "2024-06-28",
                "县应急管理局 赵六",
                "合格",
                "2024-07-05",
                "镇安监站 站长",
                "县级：县安委办，2024-04-10挂牌，2024-07-05摘牌",
                "监管部门 2024-04-03；职代会 2024-04-05",
                "已销号",
            ],
            [
                2,
                "大井镇宏达建材厂",
                "筒型储库人工清库无专项方案",
                "一般",
                "企业自查",
                "2025-02-10",
                None,
                "编制专项方案",
                0.5,
                "2025-03-10",
                None,
                "镇安监站",
                "李四",
                None,
                "2025-03-08",
                "2025-03-12",
                "镇安监站 王五",
                "不合格",
                None,
                None,
                None,
                None,
                "待重新整改",
            ],
            [
                3,
                "大井镇宏达建材厂",
                "破碎机防护罩缺失",
                "一般",
                "企业自查",
                "2025-02-11",
                None,
                "加装防护罩",
                0.2,
                "2025-03-10",
                None,
                "镇安监站",
                "李四",
                None,
                "2025-03-01",
                "2025-03-05",
                None,
                "合格",
                None,
                None,
                None,
                None,
                "待销号",
            ],
            [
                4,
                "大井镇鑫源化工有限公司",
                "液氨储罐区未设置泄漏报警",
                "重大",
                "上级检查",
                "2025-09-01",
                "应急管理部令第4号 第五条",
                "加装报警仪",
                "3万元",
                "2025-10-31",
                None,
                "镇安监站",
                "周七",
                "专人巡检",
                None,
                None,
                None,
                None,
                None,
                None,
                "否",
                "是",
                "已销号",
            ],
        ],
    )
    wb.save(path)


def cover_and_two_row_heading(path: Path) -> None:
    wb = _book()
    cover = wb.active
    cover.title = "封面"
    cover.cell(1, 1, "大井镇隐患排查治理台账")
    cover.cell(3, 1, "填报单位")
    cover.cell(3, 2, "大井镇安监站")
    ws = wb.create_sheet("隐患")
    _title(ws, "隐患排查治理台账", 10)
    ws.cell(2, 1, "单位：镇安监站")
    top = ["序号", "企业名称", "隐患名称", "隐患等级", "隐患来源", "发现日期", "整改时限",
           "责任单位", "整改情况", None]  # fmt: skip
    _table(ws, 3, [top])
    ws.merge_cells("I3:J3")
    for c in range(1, 9):
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.cell(4, 9, "整改完成日期")
    ws.cell(4, 10, "验收日期")
    d = dt.datetime
    _table(
        ws,
        5,
        [
            [
                1,
                "大井镇兴旺砖厂",
                "窑顶平台护栏缺失",
                "一般",
                "企业自查",
                d(2025, 7, 1),
                d(2025, 7, 31),
                "镇安监站",
                d(2025, 7, 20),
                None,
            ],
            [
                2,
                "大井镇兴旺砖厂",
                "配电室无挡鼠板",
                "一般",
                "企业自查",
                d(2025, 7, 1),
                d(2025, 7, 15),
                "镇安监站",
                None,
                None,
            ],
        ],
    )
    wb.save(path)


# --------------------------------------------------------------------------- offices' own

#: Ledgers as offices keep them, not as safeplan exports them (issue 25): each imports
#: with at most a map file and --set values. name → (what the import is given, row →
#: action). ``map`` is the text of the --map file; ``set`` the --set values.
OFFICE: dict[str, tuple[dict[str, Any], dict[int, str]]] = {
    # A town's yearly ledger: a two-row title, no 责任单位 column (everything in it is the
    # town's), 完成时间 and 整改结果, funds as 2万元 under a 万元 heading, 备注 notes.
    "town-yearly.xlsx": (
        {"set": ["责任单位=镇安监站"]},
        {4: "create", 5: "create", 6: "create", 7: "create", 8: "skip"},
    ),
    # A county department's monthly sheet: an explanation sheet first, no 隐患来源 column,
    # a blank row, 县应急管理局 (a unit the plan lacks), closures without a reviewer.
    "department-monthly.xlsx": (
        {"set": ["隐患来源=部门检查"], "add_units": True},
        {3: "create", 5: "create", 6: "create"},
    ),
    # A workbook saved by WPS: the enterprise merged down, dates as text, as Excel's day
    # numbers and as date cells, a heading of its own named by a map file.
    "wps-merged.xlsx": (
        {"map": "columns:\n  隐患问题描述: 隐患名称\ndefaults:\n  隐患来源: 企业自查\n"},
        {3: "create", 4: "create", 5: "create", 6: "create"},
    ),
}


def town_yearly(path: Path) -> None:
    wb = _book()
    ws = wb.active
    ws.title = "2025年台账"
    heads = ["序号", "排查时间", "企业名称", "隐患内容", "隐患级别", "隐患来源", "整改措施",
             "整改资金（万元）", "整改时限", "整改责任人", "临时管控措施", "完成时间",
             "整改结果", "备注"]  # fmt: skip
    _title(ws, "大井镇2025年度安全生产隐患排查治理台账", len(heads))
    _title(ws, "填报单位：大井镇人民政府（盖章）　　　　填报时间：2025年12月31日", len(heads), 2)
    _table(ws, 3, [heads])
    d = dt.datetime
    _table(
        ws,
        4,
        [
            [1, d(2025, 3, 5), "大井镇粮油加工厂", "粉尘作业区电气设备非防爆", "一般事故隐患",
             "镇村排查", "更换防爆电气设备", "2万元", d(2025, 4, 5), "刘一", None,
             d(2025, 3, 30), "已整改", None],
            [2, d(2025, 6, 12), "大井镇鑫源化工有限公司", "液氨储罐区未设置泄漏报警",
             "重大事故隐患", "企业自查", "增设泄漏报警并联锁", 1.5, d(2025, 8, 31), "孙七",
             "停用储罐、专人值守", None, "整改中", "县级挂牌督办"],
            [3, d(2025, 9, 1), "大井镇兴旺砖厂", "隧道窑检修无专人监护", "一般事故隐患",
             "上级检查", "落实专人监护制度", 0.2, d(2025, 9, 15), "周八", None, None,
             "已整改", "已延期至10月31日"],
            [4, d(2025, 10, 9), "大井镇幸福超市", "安全出口锁闭", "一般事故隐患", "群众举报",
             "打开安全出口", None, d(2025, 10, 10), "吴九", None, d(2025, 10, 9),
             "验收合格", None],
            ["合计", None, None, None, None, None, None, 3.7],
        ],
    )  # fmt: skip
    wb.save(path)


def department_monthly(path: Path) -> None:
    wb = _book()
    note = wb.active
    note.title = "填表说明"
    note.cell(1, 1, "填表说明")
    note.cell(2, 1, "1. 本表由县应急管理局执法大队每月填报，所列隐患均为本部门检查发现。")
    note.cell(3, 1, "2. 日期格式：2025-01-01。")
    ws = wb.create_sheet("11月")
    heads = ["序号", "被检查单位", "存在问题", "隐患等级", "检查时间", "整改期限", "责任单位",
             "整改完成日期", "验收日期", "销号日期", "备注"]  # fmt: skip
    _title(ws, "县应急管理局2025年11月执法检查隐患整改台账", len(heads))
    _table(ws, 2, [heads])
    d = dt.datetime
    _table(
        ws,
        3,
        [
            [1, "大井镇宏达建材厂", "除尘系统未接地", "一般隐患", d(2025, 11, 3),
             d(2025, 11, 20), "县应急管理局", d(2025, 11, 15), d(2025, 11, 18),
             d(2025, 11, 25), None],
            [None] * 11,
            [2, "大井镇顺通物流公司", "消防通道被占用", "一般隐患", d(2025, 11, 10),
             d(2025, 12, 10), "镇综合执法局", None, None, None, "已约谈企业负责人"],
            [3, "大井镇金星加油站", "卸油口未设置静电接地", "一般隐患", d(2025, 11, 12),
             d(2025, 11, 30), "县应急管理局", d(2025, 11, 20), d(2025, 11, 22), None, None],
        ],
    )  # fmt: skip
    wb.save(path)


def wps_merged(path: Path) -> None:
    wb = _book()
    wb.properties.creator = "WPS 表格"
    ws = wb.active
    ws.title = "Sheet1"
    heads = ["序号", "企业名称", "隐患问题描述", "隐患等级", "发现日期", "整改时限", "整改资金",
             "责任单位", "整改完成日期", "备注"]  # fmt: skip
    _title(ws, "大井镇企业隐患整改台账（WPS）", len(heads))
    _table(ws, 2, [heads])
    _table(
        ws,
        3,
        [
            ["1", "大井镇鑫源化工有限公司", "储罐区可燃气体报警器失效", "一般", "2025.8.1",
             45884, "2万元", "镇安监站", dt.datetime(2025, 8, 10), None],
            ["2", None, "装卸区未设静电接地", "一般", 45870, "2025年8月20日", "3000元",
             "镇安监站", None, "企业已采购接地装置"],
            ["3", None, "应急池容量不足", "一般", dt.datetime(2025, 8, 3), "2025/9/30",
             "1.2万元", "镇安监站", None, None],
            ["4", "大井镇兴旺砖厂", "窑顶作业平台护栏缺失", "一般", "20250902", "2025-09-10",
             None, "镇安监站", "2025.9.8", None],
        ],
    )  # fmt: skip
    ws.merge_cells("B3:B5")
    wb.save(path)


def office_refusals(path: Path) -> None:
    wb = _book()
    ws = wb.active
    ws.title = "台账"
    heads = ["序号", "隐患内容", "隐患等级", "隐患来源", "发现日期", "责任单位", "验收人",
             "验收日期", "销号日期", "审核人", "整改结果"]  # fmt: skip
    _title(ws, "隐患整改台账", len(heads))
    _table(ws, 2, [heads])
    _table(
        ws,
        3,
        [
            [1, "配电箱未上锁", "一般", "自查", "2024-03-01", "镇安监站", "张三", None, None,
             None, None],
            [2, "灭火器过期", "一般", "自查", "2024-03-02", "镇安监站", None, None, None,
             "李四", None],
            [3, "=B3&\"（复查）\"", "一般", "自查", "2024-03-03", "镇安监站", None, None,
             None, None, None],
            [4, "电缆沟积水", "一般", "自查", "2024-03-04", "镇安监站", None, None, None,
             None, "已整改"],
            [5, "疏散指示损坏", "一般", "自查", "2024-03-05", "镇安监站", None, None, None,
             None, "验收合格"],
            [6, "楼梯扶手松动", "一般", "自查", "2024-03-06", "镇安监站", "王五", "2024-03-15",
             "2024-03-18", None, "已销号"],
        ],
    )  # fmt: skip
    wb.save(path)


MAKERS = {
    "county-standard.xlsx": county_standard,
    "town-variant-headings.xlsx": town_variant_headings,
    "merged-enterprise.xlsx": merged_enterprise,
    "bad-rows.xlsx": bad_rows,
    "duplicate.xlsx": duplicate,
    "closed-loop.xlsx": closed_loop,
    "cover-and-two-row-heading.xlsx": cover_and_two_row_heading,
    "town-yearly.xlsx": town_yearly,
    "department-monthly.xlsx": department_monthly,
    "wps-merged.xlsx": wps_merged,
    "office-refusals.xlsx": office_refusals,
}


def make(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, maker in MAKERS.items():
        maker(folder / name)
        out.append(folder / name)
    return out


if __name__ == "__main__":
    for p in make(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(p)
