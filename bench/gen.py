"""Generate a synthetic plan root with many realistic hazard records.

Copies the shipped ``plan/`` and ``data/`` (units, tasks) into a folder and writes
N hazard files into ``data/hazards/``: Chinese text, every field of
``models.Hazard`` in a realistic mix (major and general hazards, open, rectified,
accepted, closed, reopened with history, under supervision, double-reported, with
notes), valid against the schema and the checks. Deterministic for a given seed.

    .venv/bin/python bench/gen.py DIR [-n 10000] [--seed 20240315]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import string
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
#: Default number of hazard files.
DEFAULT_N = 10_000
DEFAULT_SEED = 20240315
#: Marks a folder gen.py wrote, so that a later run may replace it.
MARKER = ".bench-generated"

#: The earliest and latest discovery dates; every date in a record stays on or
#: before LAST_DAY (the benchmark's --as-of is 2026-11-28).
FIRST_DAY = dt.date(2023, 6, 1)
# The plan's first day: stock hazards (found before it) are worked on from then on.
PLAN_START = dt.date(2024, 1, 1)
LAST_DAY = dt.date(2026, 11, 28)

_ID_ALPHABET = string.ascii_uppercase + string.digits
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# --------------------------------------------------------------------------- vocabulary

VILLAGES = [
    "大井村",
    "新地村",
    "双井村",
    "东山村",
    "西营子村",
    "北沟村",
    "南台村",
    "柳条沟村",
    "黄土梁村",
    "红旗村",
    "三道河村",
    "五十家子村",
]
STREETS = [
    "工业园区纬一路",
    "工业园区经二路",
    "镇政府街",
    "商贸街",
    "站前路",
    "滨河路",
    "G306国道旁",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华文辉力海燕鹏飞红志国春玉兰俊峰宇浩然子涵欣怡晨曦德福宝山永胜"
BRANDS = [
    "鑫源",
    "宏达",
    "恒泰",
    "兴隆",
    "金鼎",
    "盛世",
    "华鑫",
    "瑞丰",
    "永安",
    "天成",
    "广源",
    "昌盛",
    "福顺",
    "聚丰",
    "北方",
    "塞北",
    "草原",
    "龙腾",
]
COUNTY = "大井县"

INDUSTRIES: dict[str, dict[str, list[str]]] = {
    "非煤矿山": {
        "kind": ["矿业", "采石", "砂石料"],
        "titles": [
            "露天采场边坡角度超过设计要求",
            "排土场未按设计分台阶堆放",
            "井下未按规定设置第二安全出口",
            "爆破器材临时存放点不符合规定",
            "采场作业平台宽度不足且无挡墙",
            "尾矿库坝体浸润线超过控制值",
        ],
        "places": ["采场一号平台", "排土场北侧", "主斜井口", "尾矿库坝顶", "破碎车间"],
    },
    "危险化学品": {
        "kind": ["化工", "石化", "气体"],
        "titles": [
            "液氨储罐区未设置泄漏检测报警装置",
            "甲类仓库与办公楼防火间距不足",
            "可燃气体报警器未定期检定",
            "装卸站台未设置静电接地装置",
            "储罐区防火堤存在孔洞未封堵",
            "危险化学品专用仓库超量储存",
        ],
        "places": ["储罐区", "甲类仓库", "装卸站台", "生产车间二楼", "中控室"],
    },
    "燃气": {
        "kind": ["燃气", "能源", "液化气"],
        "titles": [
            "餐饮场所使用燃气未安装可燃气体报警装置",
            "液化石油气钢瓶超期未检仍在使用",
            "燃气管道穿越卧室及密闭空间",
            "瓶装液化气供应站违规充装",
            "燃气调压箱周边违规堆放杂物",
        ],
        "places": ["后厨操作间", "钢瓶存放间", "调压箱旁", "门市房", "供应站充装区"],
    },
    "建筑施工": {
        "kind": ["建筑工程", "建设", "路桥"],
        "titles": [
            "深基坑未按方案放坡且无监测",
            "塔式起重机安全装置失效",
            "高处作业临边洞口未设防护栏杆",
            "脚手架连墙件设置不足",
            "施工用电未实行三级配电两级保护",
            "模板支撑体系未经验算擅自搭设",
        ],
        "places": ["三号楼基坑", "塔吊基础", "五层临边", "外脚手架东立面", "施工现场配电房"],
    },
    "消防": {
        "kind": ["商贸", "宾馆", "超市"],
        "titles": [
            "人员密集场所疏散通道被占用堵塞",
            "安全出口锁闭",
            "自动喷水灭火系统处于停用状态",
            "电动自行车在楼道内停放充电",
            "彩钢板建筑内违规设置住人场所",
            "消防控制室无持证人员值班",
        ],
        "places": ["一楼大厅", "二楼楼梯间", "地下车库", "后院仓库", "消防控制室"],
    },
    "工贸": {
        "kind": ["机械制造", "粮油", "木业", "食品"],
        "titles": [
            "粉尘涉爆除尘系统未按规定设置泄爆装置",
            "有限空间作业未执行先通风再检测后作业",
            "冲压设备安全防护装置缺失",
            "涉氨制冷车间未设置氨气浓度报警",
            "铝镁粉尘收集系统未采用防爆电气",
            "熔融金属吊运设备未使用冶金起重机",
        ],
        "places": ["除尘器旁", "污水池", "冲压车间", "制冷机房", "抛光车间"],
    },
    "特种设备": {
        "kind": ["热力", "物流", "供热"],
        "titles": [
            "锅炉安全阀超期未校验",
            "叉车操作人员无证上岗",
            "压力容器未办理使用登记",
            "电梯维保记录缺失且超期未检",
            "起重机械限位器失灵",
        ],
        "places": ["锅炉房", "装卸区", "空压机房", "客梯井", "行车轨道"],
    },
    "交通运输": {
        "kind": ["运输", "客运", "物流"],
        "titles": [
            "危险货物运输车辆未安装卫星定位装置",
            "客运车辆驾驶员超时驾驶",
            "农村公路临水临崖路段缺少防护设施",
            "货车超限超载运输",
        ],
        "places": ["停车场", "县道X512线", "场站出入口", "车辆维修间"],
    },
    "自建房": {
        "kind": ["民宿", "餐饮", "商贸"],
        "titles": [
            "经营性自建房擅自加层改变结构",
            "房屋承重墙出现贯通裂缝",
            "自建房改作经营场所未经安全鉴定",
        ],
        "places": ["临街门市", "二层餐厅", "后院加建房"],
    },
}
SUFFIX = ["有限公司", "有限责任公司", "股份有限公司"]
#: Lines of a long description (``--full``).
LONG_LINES = [
    "检查组于现场检查时发现{place}{title}，不符合国家标准和行业标准的相关规定。",
    "经询问企业安全管理人员，该问题已存在较长时间，企业未开展有效的隐患自查自改。",
    "现场已责令企业立即停止相关区域作业，设置警戒区域和安全警示标志，落实专人监护。",
    "企业主要负责人已签收隐患整改通知书，承诺按期完成整改并报送整改报告和相关证明材料。",
    "依据《安全生产法》和相关重大事故隐患判定标准，该隐患需纳入隐患数据库实行闭环管理。",
    "镇安监站将会同相关职能站所开展跟踪督办，整改完成后组织现场验收，验收合格后予以销号。",
    "整改期间如发现险情，企业应立即启动应急预案，撤离作业人员并向镇安委办报告。",
]

MEASURES = [
    "立即停止相关区域作业，设置警戒区域，委托有资质单位编制整改方案并组织实施",
    "更换失效的安全装置，完善操作规程，对作业人员开展专项培训并考核",
    "拆除违规设施，恢复原设计状态，经第三方检测合格后方可恢复使用",
    "增设检测报警装置并接入值班室，明确专人每日巡检并记录",
    "清理占用物品，恢复疏散通道畅通，设置明显标识并纳入日常检查",
    "按规范完善防护设施，组织专家论证后实施，整改期间落实专人监护",
]
FUNDS = [
    "企业自筹1.5万元",
    "企业自筹3万元",
    "企业自筹8.6万元",
    "企业自筹12万元",
    "企业自筹25万元",
    "企业自筹0.8万元",
]
CONTINGENCY = [
    "整改期间落实专人值守，配备灭火器材，发现异常立即撤离人员并报告",
    "制定专项应急处置方案，整改期间每日两次巡查，险情时停止作业撤出人员",
    "设置警戒线和警示标志，无关人员禁止进入，配备应急物资",
    "与镇应急救援队建立联动，整改期间停止夜间作业",
]
REPORTERS = [
    "镇安监站检查组",
    "县应急管理局执法大队",
    "村安全员",
    "企业安全员",
    "群众举报（12350）",
    "市安委办督导组",
]
REVIEWERS = ["镇安监站", "县应急管理局", "镇安委办"]
REOPEN_REASONS = [
    "复查发现整改不彻底，问题反弹",
    "上级督导检查发现隐患仍然存在",
    "群众再次举报同一问题",
    "验收后企业擅自恢复原状",
]
NOTE_TEXTS = [
    "已约谈企业主要负责人，督促加快整改进度",
    "企业反映资金紧张，申请延期，已要求落实临时管控措施",
    "现场复查，整改工作正在推进中",
    "已下达责令限期整改指令书",
    "已将隐患情况录入县隐患排查治理信息系统",
    "整改方案已经专家论证通过",
    "企业已停产整顿，待整改完成后申请复产验收",
]
RECT_NOTES = [
    "已按整改方案完成整改，附整改前后照片",
    "安全装置已更换并经检测合格",
    "违规设施已拆除，现场已恢复",
    "报警装置已安装调试完毕并接入值班室",
]
ACC_NOTES = [
    "现场核查整改到位",
    "资料齐全，整改措施落实",
    "经第三方检测合格",
    "整改不到位，需重新整改",
]
SUPERVISORS = {
    "省级": ["自治区安委办"],
    "市级": ["赤峰市安委办", "赤峰市应急管理局"],
    "县级": ["大井县安委办", "大井县应急管理局"],
    "镇级": ["大井镇人民政府", "镇安委办"],
}


# --------------------------------------------------------------------------- helpers

_PLAIN_OK = re.compile(r"^[^-?:,\[\]{}#&*!|>'\"%@`\s][^\n#]*$")
_NEEDS_QUOTES = re.compile(
    r"(: |:$| #|^(?:true|false|yes|no|on|off|null|~|y|n)$|^[-+.0-9]|^\s|\s$)", re.IGNORECASE
)


def q(text: str) -> str:
    """A YAML scalar for ``text``: plain when that reads back as the same string."""
    if text and _PLAIN_OK.match(text) and not _NEEDS_QUOTES.search(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def person(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


#: GB 32100-2015: the weights of the first 17 characters; the 18th is a check digit.
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_CHECK = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(rng: random.Random) -> str:
    """A code with a valid check digit (safeplan validate checks it, as GB 32100 defines)."""
    body = "91150425" + "".join(rng.choice(_CREDIT_ALPHABET) for _ in range(9))
    total = sum(_CREDIT_CHECK.index(c) * w for c, w in zip(body, _CREDIT_WEIGHTS, strict=True))
    return body + _CREDIT_CHECK[(31 - total % 31) % 31]


def later(rng: random.Random, day: dt.date, lo: int, hi: int) -> dt.date:
    """A day ``lo``..``hi`` days after ``day``, never after LAST_DAY."""
    return min(day + dt.timedelta(days=rng.randint(lo, hi)), LAST_DAY)


def unit_names(root: Path) -> list[str]:
    """Non-group unit names from data/units.yaml (read with PyYAML: no safeplan import)."""
    import yaml

    data: Any = yaml.load(
        (root / "data" / "units.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader
    )
    return [u["name"] for u in data["units"] if u.get("kind") != "group"]


# --------------------------------------------------------------------------- one record


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def kv(self, indent: int, key: str, value: str) -> None:
        self.lines.append(f"{' ' * indent}{key}: {value}")

    def key(self, indent: int, key: str) -> None:
        self.lines.append(f"{' ' * indent}{key}:")

    def comment(self, indent: int, text: str) -> None:
        self.lines.append(f"{' ' * indent}# {text}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


_EVIDENCE = re.compile(r"^ *- (evidence/\S+)$", re.M)


def _evidence(w: _Writer, indent: int, rng: random.Random, hid: str, what: str) -> None:
    k = rng.choice((0, 1, 1, 2, 3))
    if not k:
        return
    w.key(indent, "evidence")
    for i in range(k):
        ext = rng.choice(("jpg", "jpg", "pdf"))
        w.lines.append(f"{' ' * (indent + 2)}- evidence/{hid}/{what}-{i + 1}.{ext}")


EXTENSION_REASONS = ("设备到货延迟", "施工受雨季影响", "需报县级部门审批", "资金待拨付")


def _extensions(w: _Writer, rng: random.Random, discovered: dt.date, deadline: dt.date) -> None:
    """One hazard in ten (found since the plan began) extended once or twice, each approved
    in the days after discovery, before the deadline it extends. Its own random stream
    (seeded by the id), so that adding it changed no other field of the generated plan."""
    if discovered < PLAN_START or rng.random() >= 0.1:
        return
    w.key(0, "extensions")
    on, before = discovered, deadline
    for _ in range(rng.choice((1, 1, 2))):
        on = min(on + dt.timedelta(days=rng.randint(0, 1)), before)
        to = before + dt.timedelta(days=rng.randint(15, 60))
        w.lines.append(f"  - on: {on.isoformat()}")
        w.kv(4, "from", before.isoformat())
        w.kv(4, "to", to.isoformat())
        w.kv(4, "reason", q(rng.choice(EXTENSION_REASONS)))
        w.kv(4, "approved_by", q(rng.choice(REVIEWERS)))
        before = to


def _cycle(
    w: _Writer,
    indent: int,
    rng: random.Random,
    hid: str,
    start: dt.date,
    stage: int,
    failed: bool = False,
) -> dt.date:
    """Write rectification/acceptance/closure up to ``stage`` (1..3); the last date written."""
    day = later(rng, start, 3, 90)
    w.key(indent, "rectification")
    w.kv(indent + 2, "on", day.isoformat())
    if rng.random() < 0.8:
        w.kv(indent + 2, "note", q(rng.choice(RECT_NOTES)))
    _evidence(w, indent + 2, rng, hid, "rectification")
    if stage < 2:
        return day
    day = later(rng, day, 1, 30)
    w.key(indent, "acceptance")
    w.kv(indent + 2, "on", day.isoformat())
    w.kv(indent + 2, "by", q(rng.choice(REVIEWERS) + person(rng)))
    if failed:
        w.kv(indent + 2, "result", "failed")
        w.kv(indent + 2, "note", q(ACC_NOTES[-1]))
    else:
        if rng.random() < 0.5:
            w.kv(indent + 2, "result", "passed")
        if rng.random() < 0.6:
            w.kv(indent + 2, "note", q(rng.choice(ACC_NOTES[:-1])))
    _evidence(w, indent + 2, rng, hid, "acceptance")
    if stage < 3 or failed:
        return day
    day = later(rng, day, 0, 15)
    w.key(indent, "closure")
    w.kv(indent + 2, "on", day.isoformat())
    w.kv(indent + 2, "reviewer", q(rng.choice(REVIEWERS)))
    if rng.random() < 0.4:
        w.kv(indent + 2, "note", q("同意销号"))
    return day


def hazard_text(
    rng: random.Random, hid: str, discovered: dt.date, units: list[str], full: bool = False
) -> str:
    """One hazard record. ``full``: the second data set of issue #24 — every kind of fact
    (plan revisions, extensions, corrections, withdrawals, a ledger number, long notes) and
    records about 2.7 times as long, so that what is measured does not fit one shape."""
    industry = rng.choice(list(INDUSTRIES))
    voc = INDUSTRIES[industry]
    title = rng.choice(voc["titles"])
    major = rng.random() < 0.18
    w = _Writer()
    if rng.random() < 0.3:
        w.comment(0, f"{discovered.year}年{discovered.month}月 {industry}领域排查")
    w.kv(0, "id", hid)
    w.kv(0, "title", q(title))
    r = rng.random()
    place = rng.choice(voc["places"])
    if full:
        w.kv(0, "ledger_no", json.dumps(f"DJ-{discovered.year}-{rng.randint(1, 99999):05d}"))
        w.lines.append("description: |")
        for _ in range(rng.randint(5, 8)):
            w.lines.append(f"  {rng.choice(LONG_LINES).format(place=place, title=title)}")
    elif r < 0.35:
        w.lines.append("description: |")
        w.lines.append(f"  检查发现{place}{title}，不符合相关标准规范要求。")
        w.lines.append("  现场已责令企业立即采取临时管控措施，并限期完成整改。")
        if rng.random() < 0.5:
            w.lines.append(f"  依据：《{industry}重大事故隐患判定标准》相关条款。")
    elif r < 0.85:
        w.kv(0, "description", q(f"{place}{title}，存在安全风险"))
    w.kv(0, "level", "major" if major else "general")
    w.kv(0, "industry", q(industry))
    if rng.random() < 0.9:
        brand = rng.choice(BRANDS)
        w.key(0, "enterprise")
        w.kv(2, "name", q(f"{COUNTY}{brand}{rng.choice(voc['kind'])}{rng.choice(SUFFIX)}"))
        if rng.random() < 0.8:
            # Always quoted: an all-digit code is a number to YAML, and 1E10 a float.
            w.kv(2, "credit_code", json.dumps(credit_code(rng)))
        if rng.random() < 0.7:
            w.kv(
                2,
                "address",
                q(f"内蒙古自治区赤峰市大井县大井镇{rng.choice(STREETS)}{rng.randint(1, 300)}号"),
            )
    if rng.random() < 0.85:
        w.kv(0, "location", q(f"大井镇{rng.choice(VILLAGES)}{place}"))
    w.kv(0, "discovered_on", discovered.isoformat())
    source = rng.choices(
        ("self-check", "inspection", "public-report", "higher-inspection"), (4, 8, 1, 2)
    )[0]
    w.kv(0, "source", source)
    if rng.random() < 0.8:
        w.kv(0, "found_by", q(rng.choice(REPORTERS)))
    w.kv(0, "responsible_unit", q(rng.choice(units)))
    if rng.random() < 0.8:
        w.kv(0, "responsible_person", q(person(rng)))
    # Every hazard has its 整改时限, and here its full 五落实 (required of a major hazard
    # only): a record the versions before the optional plan fields read as valid too, so
    # `bench.py --baseline` compares the same clean work.
    deadline = later(rng, discovered, 15, 180)
    revised = full and rng.random() < 0.3 and (LAST_DAY - discovered).days > 20
    w.key(0, "rectification_plan")
    if revised:
        revised_on = later(rng, discovered, 2, 10)
        w.kv(2, "on", revised_on.isoformat())
    w.kv(2, "measures", q(rng.choice(MEASURES)))
    w.kv(2, "funds", q(rng.choice(FUNDS)))
    w.kv(2, "deadline", deadline.isoformat())
    w.kv(2, "responsible_person", q(person(rng)))
    w.kv(2, "contingency_plan", q(rng.choice(CONTINGENCY)))
    if revised:
        w.key(0, "plan_revisions")
        w.lines.append(f"  - on: {revised_on.isoformat()}")
        w.kv(4, "by", q(rng.choice(REVIEWERS)))
        w.kv(4, "reason", q("专家论证后调整整改方案"))
        w.key(4, "previous")
        w.kv(6, "measures", q(rng.choice(MEASURES)))
        w.kv(6, "deadline", later(rng, discovered, 10, 60).isoformat())
    if not full:
        _extensions(w, random.Random(hid), discovered, deadline)
    elif rng.random() < 0.25 and deadline < LAST_DAY - dt.timedelta(days=5):
        w.key(0, "extensions")
        # Asked for within days of the discovery: before any rectification or closure.
        asked = discovered + dt.timedelta(days=rng.randint(1, 2))
        w.lines.append(f"  - on: {asked.isoformat()}")
        w.kv(4, "from", deadline.isoformat())
        w.kv(4, "to", (deadline + dt.timedelta(days=rng.randint(15, 90))).isoformat())
        w.kv(4, "reason", q("企业申请延期，已落实临时管控措施"))
        w.kv(4, "approved_by", q(rng.choice(REVIEWERS)))

    # Reopenings first (their dates decide where the current cycle starts), written later.
    reopen: list[str] = []
    start = max(discovered, PLAN_START)
    if rng.random() < 0.08:
        sub = _Writer()
        for _ in range(rng.choice((1, 1, 1, 2))):
            cycle = _Writer()
            closed = _cycle(cycle, 6, rng, hid, start, 3)
            on = later(rng, closed, 10, 120)
            if on >= LAST_DAY - dt.timedelta(days=5):
                break
            sub.lines.append(f"  - on: {on.isoformat()}")
            sub.kv(4, "reason", q(rng.choice(REOPEN_REASONS)))
            if rng.random() < 0.7:
                sub.kv(4, "by", q(rng.choice(REVIEWERS)))
            sub.key(4, "previous")
            sub.lines.extend(cycle.lines)
            start = on
        reopen = sub.lines

    # The current cycle: open, rectified, accepted (or failed), or closed.
    stage = rng.choices((0, 1, 2, 3), (25, 10, 10, 55))[0]
    if (LAST_DAY - start).days < 10:
        stage = 0
    failed = stage == 2 and rng.random() < 0.2
    if stage:
        _cycle(w, 0, rng, hid, start, stage, failed)

    if major and rng.random() < 0.5:
        w.key(0, "supervision")
        for level in rng.sample(("市级", "县级", "镇级"), rng.choice((1, 1, 2))):
            listed = later(rng, discovered, 0, 20)
            # Levels are codes; one record in five keeps the older Chinese spelling.
            code = {"市级": "city", "县级": "county", "镇级": "town"}[level]
            w.lines.append(f"  - level: {level if rng.random() < 0.2 else code}")
            w.kv(4, "by", q(rng.choice(SUPERVISORS[level])))
            w.kv(4, "listed_on", listed.isoformat())
            if stage == 3 or rng.random() < 0.2:
                w.kv(4, "lifted_on", later(rng, listed, 30, 200).isoformat())
    elif major and rng.random() < 0.05:
        w.kv(0, "supervision", "[]")
    if major:  # 双报告 is for major hazards (on a general one validate warns)
        reg = later(rng, discovered, 0, 10)
        w.key(0, "double_report")
        w.kv(2, "regulator_on", reg.isoformat())
        if rng.random() < 0.85:
            w.kv(2, "workers_on", later(rng, discovered, 0, 30).isoformat())
    if reopen:
        w.key(0, "reopenings")
        w.lines.extend(reopen)
    if full and stage == 0 and rng.random() < 0.1:
        w.key(0, "withdrawal")
        w.kv(2, "on", later(rng, discovered, 1, 30).isoformat())
        w.kv(2, "reason", q("经核查为重复登记，与同一企业同一问题的隐患合并"))
        w.kv(2, "by", q(rng.choice(REVIEWERS)))
    if full and rng.random() < 0.3:
        w.key(0, "corrections")
        w.lines.append(f"  - on: {later(rng, discovered, 1, 40).isoformat()}")
        w.kv(4, "by", q(person(rng)))
        w.kv(4, "field", "found_by")
        w.kv(4, "from", q("镇安监站"))
        w.kv(4, "to", q("镇安监站检查组"))
        w.kv(4, "reason", q("登记时填写不完整，按检查记录更正"))
    if full or rng.random() < 0.35:
        w.key(0, "notes")
        day = discovered
        for _ in range(rng.randint(6, 9) if full else rng.randint(1, 4)):
            day = later(rng, day, 1, 60)
            w.lines.append(f"  - on: {day.isoformat()}")
            text = rng.choice(NOTE_TEXTS)
            if full:
                text += "；" + rng.choice(NOTE_TEXTS) + "；" + rng.choice(NOTE_TEXTS)
            w.kv(4, "text", q(text))
            if full or rng.random() < 0.7:
                w.kv(4, "by", q(person(rng)))
    return w.text()


# --------------------------------------------------------------------------- the plan root


def generate(
    dest: Path,
    n: int = DEFAULT_N,
    seed: int = DEFAULT_SEED,
    full: bool = False,
    base: Path = REPO,
) -> Path:
    """Write a plan root with ``n`` hazards into ``dest``; return ``dest`` (``full``: the
    records with every kind of fact, see :func:`hazard_text`). The plan, units and tasks
    come from ``base`` (the tests give their fixture plan).

    ``dest`` must not exist, be empty, or be a folder this function generated before
    (it is then replaced): anything else is refused rather than deleted.
    """
    if dest.exists():
        if (dest / MARKER).is_file():
            shutil.rmtree(dest)
        elif any(dest.iterdir()):
            raise FileExistsError(f"{dest} exists and was not generated by gen.py: not touching it")
    dest.mkdir(parents=True, exist_ok=True)
    (dest / MARKER).write_text("generated by bench/gen.py; replaced on the next run\n")
    shutil.copytree(base / "plan", dest / "plan")
    (dest / "data").mkdir()
    for name in ("units.yaml", "tasks.yaml"):
        shutil.copy2(base / "data" / name, dest / "data" / name)
    folder = dest / "data" / "hazards"
    folder.mkdir()
    units = unit_names(dest)
    rng = random.Random(seed)
    span = (LAST_DAY - FIRST_DAY).days
    used: set[str] = set()
    for _ in range(n):
        discovered = FIRST_DAY + dt.timedelta(days=int(span * rng.random() ** 0.8))
        while True:
            suffix = "".join(rng.choice(_ID_ALPHABET) for _ in range(4))
            hid = f"HZ-{discovered:%Y%m%d}-{suffix}"
            if hid not in used:
                used.add(hid)
                break
        text = hazard_text(rng, hid, discovered, units, full)
        (folder / f"{hid}.yaml").write_text(text, encoding="utf-8")
        for m in _EVIDENCE.finditer(text):  # evidence named in a record exists, as validate wants
            proof = dest / m.group(1)
            proof.parent.mkdir(parents=True, exist_ok=True)
            proof.touch()
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("dest", type=Path, help="folder to write (a new or empty one)")
    parser.add_argument("-n", type=int, default=DEFAULT_N, help="number of hazard files")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--full", action="store_true", help="every kind of fact, records ~2.7x as long"
    )
    args = parser.parse_args(argv)
    try:
        generate(args.dest, args.n, args.seed, args.full)
    except FileExistsError as exc:
        print(f"gen: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.n} hazards into {args.dest / 'data' / 'hazards'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


# --------------------------------------------------------------------------- enterprises

ENTERPRISES_N = 2000
_INDUSTRIES = ("mining", "chemicals", "machinery", "light_industry", "construction", "other")


def add_enterprises(dest: Path, n: int = ENTERPRISES_N, seed: int = DEFAULT_SEED) -> Path:
    """Add ``n`` enterprises to a generated plan, each with three years (2024-01 to 2026-11)
    of monthly principal-led checks (one month in twenty missed), a drill a half-year and
    two certificates: what ``status`` reads beside the hazards."""
    rng = random.Random(seed + 1)
    folder = dest / "data" / "enterprises"
    folder.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    for i in range(n):
        while True:
            code = credit_code(rng)
            if code not in used:
                used.add(code)
                break
        principal = person(rng)
        lines = [
            f"id: {q(code)}",
            f"name: 大井第{i + 1}号企业有限公司",
            f"credit_code: {q(code)}",
            f"village: 第{rng.randint(1, 12)}村",
            f"industry: {rng.choice(_INDUSTRIES)}",
            f"principal:\n  name: {principal}",
            "safety_managers:\n  - name: 安全员",
            "registered_on: 2024-01-01",
            "checks:",
        ]
        for year in (2024, 2025, 2026):
            for month in range(1, 13):
                if (year, month) > (2026, 11) or rng.random() < 0.05:
                    continue
                lines.append(
                    f"  - on: {year}-{month:02d}-{rng.randint(1, 28):02d}\n    led_by: {principal}"
                )
        lines.append("drills:")
        for year in (2024, 2025, 2026):
            for month in (4, 10):
                if (year, month) <= (2026, 11):
                    lines.append(f"  - on: {year}-{month:02d}-15")
        lines.append("certificates:")
        for who, role in ((principal, "principal"), ("安全员", "safety_manager")):
            lines.append(
                f"  - on: 2023-06-01\n    person: {who}\n    role: {role}\n    valid_until: 2027-05-31"
            )
        (folder / f"{code}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest
