"""Every coded value of the register, once: its code, its labels, and the words people type.

A record stores codes (``major``, ``self-check``, ``county``); screens, reports and
ledgers show the label of the reader's language; filters, prompts, validation hints and
importers read any of the words below. Nothing else in safeplan spells these words.
"""

from __future__ import annotations

import unicodedata
from typing import Literal, NamedTuple

Lang = Literal["zh", "en"]


class Term(NamedTuple):
    code: str
    en: str
    zh: str
    #: Other words a person may type or an office may write for it (either language).
    words: tuple[str, ...] = ()
    #: A longer label where there is room (a hazard's full state, a county return's column).
    en_long: str | None = None
    zh_long: str | None = None
    #: A label for documents the county reads (reports, the ledger), where it differs from
    #: the screens' (一般事故隐患 beside 重大事故隐患; screens keep the shorter 一般隐患).
    zh_formal: str | None = None

    def label(self, lang: Lang, long: bool = False) -> str:
        if lang == "zh":
            return (self.zh_long or self.zh) if long else self.zh
        return (self.en_long or self.en) if long else self.en


def normalize(word: str) -> str:
    """How a typed word is compared: full-width forms folded (NFKC), case and brackets ignored."""
    text = unicodedata.normalize("NFKC", word).strip().strip("()（）[]【】").strip()
    return text.casefold().replace("_", "-").replace(" ", "-")


class Vocabulary:
    """The terms of one coded field, in the order they are shown."""

    def __init__(
        self, name: str, *terms: Term, ambiguous: dict[str, tuple[str, ...]] | None = None
    ) -> None:
        self.name = name
        self.terms = terms
        self._by_code = {t.code: t for t in terms}
        self._index: dict[str, str] | None = None
        #: Words that could mean more than one code (排查: an enterprise's 自查 or the town's
        #: inspection): never read as either, the reader is asked which.
        self._ambiguous = {normalize(w): codes for w, codes in (ambiguous or {}).items()}

    @property
    def _by_word(self) -> dict[str, str]:
        if self._index is None:  # built on first use: most commands never look a word up
            self._index = {}
            for t in self.terms:
                for word in (t.code, t.en, t.zh, t.en_long, t.zh_long, *t.words):
                    if word:
                        self._index.setdefault(normalize(word), t.code)
        return self._index

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    def __getitem__(self, code: str) -> Term:
        return self._by_code[code]

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def lookup(self, word: str) -> str | None:
        """The code a typed word means (``重大`` → ``major``), or None (also for a word that
        could mean two codes: see ``meanings``)."""
        key = normalize(word)
        if key in self._ambiguous:
            return None
        return self._by_word.get(key)

    def meanings(self, word: str) -> tuple[str, ...]:
        """Every code a typed word could mean: one for a clear word, several for an ambiguous
        one (``排查``), none for a word of no term."""
        key = normalize(word)
        if key in self._ambiguous:
            return self._ambiguous[key]
        code = self._by_word.get(key)
        return (code,) if code is not None else ()

    def label(self, code: str, lang: Lang, long: bool = False, formal: bool = False) -> str:
        """The label of a code; ``formal`` (with ``long``) for documents the county reads."""
        term = self._by_code.get(code)
        if term is None:
            return code
        if formal and long and lang == "zh" and term.zh_formal:
            return term.zh_formal
        return term.label(lang, long)

    def words(self, lang: Lang) -> tuple[str, ...]:
        """The labels of every term in one language: what a hint offers."""
        return tuple(t.label(lang) for t in self.terms)


LEVEL = Vocabulary(
    "level",
    Term(
        "major",
        "major",
        "重大",
        ("重大隐患", "重大事故隐患"),
        "major hazard",
        "重大事故隐患",
        "重大事故隐患",
    ),
    Term(
        "general",
        "general",
        "一般",
        ("一般隐患", "一般事故隐患"),
        "general hazard",
        "一般隐患",
        "一般事故隐患",
    ),
)

#: How county returns split every count. One label a code, on every screen, report and
#: ledger. A town's or village's own sweep (镇村排查) is the town's inspection: county
#: returns count it under 部门检查, so it is a word for ``inspection``, not a fifth source.
#: 排查 alone could be an enterprise's 自查 or the town's 排查: it is asked about, never guessed.
SOURCE = Vocabulary(
    "source",
    Term(
        "self-check",
        "self-check",
        "企业自查",
        ("自查", "自检", "企业排查", "自查自改", "企业自查自改"),
        "self-check",
        "企业自查",
    ),
    Term(
        "inspection",
        "inspection",
        "部门检查",
        (
            "检查",
            "执法检查",
            "监督检查",
            "日常检查",
            "镇村排查",
            "镇排查",
            "村排查",
            "乡镇排查",
            "镇级检查",
            "网格排查",
            "专项检查",
            "明查暗访",
        ),
        "inspection",
        "部门检查",
    ),
    Term(
        "public-report",
        "public report",
        "群众举报",
        ("举报", "举报投诉", "投诉举报", "投诉"),
        "public report",
        "群众举报",
    ),
    Term(
        "higher-inspection",
        "higher-level inspection",
        "上级检查",
        ("上级督查", "上级督导", "上级部门检查", "higher"),
        "higher-level inspection",
        "上级检查",
    ),
    ambiguous={
        "排查": ("self-check", "inspection"),
        "隐患排查": ("self-check", "inspection"),
        "排查发现": ("self-check", "inspection"),
    },
)


HAZARD_STATE = Vocabulary(
    "hazard state",
    Term("open", "to rectify", "待整改", ("未整改", "整改中"), "open, to rectify", "待整改"),
    Term(
        "rectified",
        "to accept",
        "待验收",
        ("已整改", "已整改待验收", "已完成整改", "整改完成"),
        "rectified, awaiting acceptance",
        "已整改，待验收",
    ),
    Term(
        "failed",
        "to rectify again",
        "待重新整改",
        ("验收不合格", "重新整改", "failed-acceptance"),
        "failed acceptance, rectify again",
        "验收不合格，待重新整改",
    ),
    Term(
        "accepted",
        "to close",
        "待销号",
        ("已验收", "已验收待销号", "验收合格"),
        "accepted, awaiting closure",
        "已验收，待销号",
    ),
    Term("closed", "closed", "已销号", ("销号",), "closed", "已销号"),
    Term("withdrawn", "withdrawn", "已撤销", ("撤销",), "withdrawn", "已撤销"),
)

TASK_STATE = Vocabulary(
    "task status",
    Term("overdue", "overdue", "逾期", ("超期", "逾期未完成")),
    Term("due_soon", "due soon", "即将到期", ("临期",)),
    Term("open", "open", "进行中", ("未完成", "未到期")),
    Term("stale", "stale", "未按期报送进展", ("未按期更新", "未更新", "未按期报送")),
    Term("current", "current", "按期报送进展", ("按期推进", "正常推进", "按期报送")),
    Term("done", "done", "已完成", ("完成",)),
    Term("done_late", "done late", "逾期完成", ("超期完成",)),
)

ACCEPTANCE = Vocabulary(
    "acceptance result",
    Term("passed", "passed", "合格", ("通过", "验收合格", "验收通过", "pass")),
    Term("failed", "failed", "不合格", ("未通过", "验收不合格", "不通过", "fail")),
)

SUPERVISION_LEVEL = Vocabulary(
    "supervision level",
    Term("province", "provincial", "省级", ("省", "自治区", "自治区级", "省政府")),
    Term("city", "city", "市级", ("市", "盟", "盟市", "市政府")),
    Term("county", "county", "县级", ("县", "旗", "旗县", "区县", "县政府")),
    Term("town", "town", "镇级", ("镇", "乡", "乡镇", "苏木", "镇政府")),
)

GOAL_KIND = Vocabulary(
    "goal kind",
    Term("stock_cleared", "stock cleared", "存量清零", ("存量",)),
    Term("increment_curbed", "increment curbed", "增量遏制", ("增量",)),
    Term("dynamic_zero", "dynamic zero", "动态清零", ("清零",)),
)

CHECK_IN = Vocabulary(
    "check-in period",
    Term("month", "monthly", "每月", ("月", "每个月", "monthly")),
    Term("quarter", "quarterly", "每季度", ("季度", "每季", "quarterly")),
    Term("half-year", "half-yearly", "每半年", ("半年", "half-yearly")),
    Term("year", "yearly", "每年", ("年", "每年度", "yearly", "annual")),
)

UNIT_KIND = Vocabulary(
    "unit kind",
    Term("station", "station", "站所", ("站", "所")),
    Term("office", "office", "办公室", ("办",)),
    Term("agency", "agency", "派驻机构", ("局",)),
    #: The town's own bodies that are not stations or offices (镇综合执法局): 镇属机构, not
    #: an outpost of an agency above (派驻机构: 市场监管所, 派出所).
    Term("town-body", "town body", "镇属机构", ("镇属", "乡镇属机构")),
    Term("institution", "institution", "事业单位", ("中心",)),
    Term("committee", "committee", "委员会", ("委",)),
    Term("group", "group", "单位组", ("组",)),
)

VERDICT = Vocabulary(
    "verdict",
    Term("met", "met", "已达成"),
    Term("not_met", "not met", "未达成"),
    Term("not_yet_due", "not yet due", "未到期"),
    Term("no_data", "no data", "无登记数据"),
)

TREND = Vocabulary(
    "trend",
    Term("falling", "falling", "下降"),
    Term("flat", "flat", "持平"),
    Term("rising", "rising", "上升"),
    Term("unknown", "too early to tell", "尚无法判断"),
)

#: The fields of the records, by dotted path: one label each on every screen, report and
#: ledger, and the words a person may write for a key by hand (``整改时限:``).
FIELD = Vocabulary(
    "field",
    Term("id", "id", "隐患编号", ("编号", "序号")),
    Term("former_ids", "former ids", "原编号", ("曾用编号",)),
    Term("ledger_no", "ledger number", "台账编号", ("台账原编号", "原台账编号")),
    Term("title", "hazard", "隐患名称", ("名称", "隐患", "隐患内容", "标题")),
    Term("description", "description", "隐患描述", ("描述", "具体情况", "隐患情况")),
    Term("level", "level", "隐患等级", ("等级", "隐患级别", "级别")),
    Term("basis", "basis", "判定依据", ("依据", "判定标准")),
    Term("industry", "industry", "行业领域", ("行业", "领域")),
    Term("enterprise", "enterprise", "企业", ("单位",)),
    Term("enterprise.name", "enterprise name", "企业名称", ("生产经营单位", "单位名称")),
    Term("enterprise.credit_code", "credit code", "统一社会信用代码", ("信用代码",)),
    Term("enterprise.address", "enterprise address", "企业地址", ("地址",)),
    Term("location", "location", "隐患部位", ("位置", "部位", "具体位置", "隐患位置")),
    Term("discovered_on", "discovered on", "发现日期", ("发现时间", "排查日期", "检查日期")),
    Term("source", "source", "隐患来源", ("来源",)),
    Term("found_by", "found by", "发现人", ("排查人", "检查人")),
    Term("responsible_unit", "responsible unit", "责任单位", ("监管单位", "包保单位")),
    Term("responsible_person", "responsible person", "责任人", ("联系人",)),
    Term("rectification_plan", "rectification plan", "整改方案（五落实）", ("五落实", "整改方案")),
    Term("rectification_plan.on", "plan set on", "整改方案制定日期", ("方案制定日期",)),
    Term("rectification_plan.measures", "measures", "整改措施", ("措施",)),
    Term(
        "rectification_plan.funds",
        "funds",
        "整改资金",
        ("资金", "整改资金（元）", "整改资金（万元）"),
    ),
    Term("rectification_plan.deadline", "deadline", "整改时限", ("时限", "整改期限", "完成时限")),
    Term("rectification_plan.responsible_person", "rectification lead", "整改责任人", ()),
    Term(
        "rectification_plan.contingency_plan",
        "contingency plan",
        "应急预案",
        ("预案", "临时管控措施", "应急预案/临时管控措施", "防控措施"),
    ),
    Term("plan_revisions", "plan revisions", "整改方案修订", ("方案修订",)),
    Term("extensions", "extensions", "延期", ("延期记录", "延期申请")),
    Term("extensions.on", "approved on", "批准日期", ()),
    Term("extensions.from", "deadline before", "原整改时限", ()),
    Term("extensions.to", "extended to", "延期至", ()),
    Term("extensions.reason", "extension reason", "延期理由", ("延期原因",)),
    Term("extensions.approved_by", "approved by", "批准人", ()),
    Term("rectification", "rectification", "整改", ("整改情况",)),
    Term("rectification.on", "rectified on", "整改完成日期", ("整改日期", "完成日期")),
    Term("rectification.note", "rectification note", "整改情况说明", ()),
    Term("rectification.evidence", "evidence", "佐证材料", ("整改佐证",)),
    Term("acceptance", "acceptance", "验收", ("验收情况",)),
    Term("acceptance.on", "accepted on", "验收日期", ("验收时间",)),
    Term("acceptance.by", "accepted by", "验收人", ("验收单位",)),
    Term("acceptance.result", "result", "验收结果", ("验收结论", "验收意见结论")),
    Term("acceptance.note", "acceptance note", "验收意见", ()),
    Term("closure", "closure", "销号", ("销号情况",)),
    Term("closure.on", "closed on", "销号日期", ("销号时间",)),
    Term("closure.reviewer", "reviewer", "销号审核人", ("审核人",)),
    Term("supervision", "supervision", "挂牌督办", ("督办",)),
    Term("supervision.level", "supervision level", "督办级别", ()),
    Term("supervision.by", "supervised by", "督办单位", ()),
    Term("supervision.listed_on", "listed on", "挂牌日期", ()),
    Term("supervision.lifted_on", "lifted on", "摘牌日期", ()),
    Term("double_report", "double report", "双报告", ()),
    Term("double_report.regulator_on", "reported to the regulator", "报告监管部门日期", ()),
    Term(
        "double_report.workers_on",
        "reported to the workers",
        "报告职工大会或职工代表大会日期",
        (),
    ),
    Term("reopenings", "reopenings", "重新整改记录", ("重新整改",)),
    Term("withdrawal", "withdrawal", "撤销", ("撤销情况",)),
    Term("withdrawal.on", "withdrawn on", "撤销日期", ()),
    Term("withdrawal.reason", "withdrawal reason", "撤销理由", ("撤销原因",)),
    Term("withdrawal.by", "withdrawn by", "撤销人", ()),
    Term("corrections", "corrections", "更正记录", ("更正",)),
    Term("notes", "notes", "备注", ("情况记录", "说明")),
)


# --------------------------------------------------------------------------- enterprises
#: 监管行业: the industries of the 重大事故隐患判定标准 catalog (``criteria``) use the same
#: codes, so an enterprise's industry says which documents apply to it.
INDUSTRY = Vocabulary(
    "industry",
    Term("metallurgy", "metallurgy", "冶金", ("工贸冶金", "钢铁", "冶金行业", "金属冶炼")),
    Term("nonferrous", "nonferrous metals", "有色", ("有色金属", "工贸有色", "有色行业")),
    Term("building_materials", "building materials", "建材", ("工贸建材", "建材行业", "建筑材料")),
    Term("machinery", "machinery", "机械", ("工贸机械", "机械行业", "机械加工", "机械制造")),
    Term("light_industry", "light industry", "轻工", ("工贸轻工", "轻工行业", "轻工业")),
    Term("textile", "textile", "纺织", ("工贸纺织", "纺织行业")),
    Term("tobacco", "tobacco", "烟草", ("工贸烟草", "烟草行业")),
    Term("mining", "mines", "矿山", ("金属非金属矿山", "非煤矿山", "mine", "煤矿", "矿山开采")),
    Term(
        "construction", "construction", "房屋市政工程", ("建筑施工", "建筑", "建设工程", "建筑业")
    ),
    Term("gas", "town gas", "城镇燃气", ("燃气", "燃气经营")),
    Term("special_equipment", "special equipment", "特种设备", ()),
    Term("fire", "fire safety", "消防", ("消防安全", "火灾")),
    Term("chemicals", "chemicals", "化工和危险化学品", ("危险化学品", "危化品", "化工")),
    Term("fireworks", "fireworks", "烟花爆竹", ()),
    Term("transport", "transport", "交通运输", ("交通", "道路运输", "运输")),
    Term("other", "other", "其他", ("其它",)),
)

#: 高危行业 as the Work Safety Law lists them (mines, metal smelting, construction,
#: transport, dangerous goods): an enterprise's is derived from its industry unless its
#: record overrides it with a reason.
HIGH_RISK_INDUSTRIES = frozenset(
    {"mining", "metallurgy", "nonferrous", "construction", "transport", "chemicals", "fireworks"}
)

ENTERPRISE_STATE = Vocabulary(
    "enterprise state",
    Term("operating", "operating", "在营", ("营业", "正常生产", "存续")),
    Term("suspended", "suspended", "停产", ("停产整顿", "停业")),
    Term("dormant", "dormant", "歇业", ()),
    Term("deregistered", "deregistered", "注销", ("关闭", "已注销", "吊销")),
)

#: Scenarios that bring special criteria into play.
SCENARIO = Vocabulary(
    "scenario",
    Term("dust_explosion", "combustible dust", "粉尘涉爆", ("涉爆粉尘",)),
    Term("ammonia_refrigeration", "ammonia refrigeration", "液氨制冷", ("涉氨制冷", "涉氨")),
    Term("confined_space", "confined spaces", "有限空间作业", ("有限空间",)),
    Term("fire_key_unit", "fire key unit", "消防重点单位", ("消防安全重点单位",)),
)

#: The dated facts of an enterprise: what fulfils a duty.
ENTERPRISE_FACT = Vocabulary(
    "enterprise fact",
    Term("check", "principal-led check", "主要负责人带队检查", ("自查", "带队检查", "检查")),
    Term("drill", "evacuation drill", "疏散逃生演练", ("演练", "应急演练")),
    Term("training", "training", "安全培训", ("培训", "教育培训")),
    Term("certificate", "certificate", "持证上岗", ("证书", "持证")),
    Term("inspection", "town inspection", "镇级检查", ("执法检查", "部门检查")),
)

CERTIFICATE_ROLE = Vocabulary(
    "certificate role",
    Term("principal", "principal", "主要负责人", ("负责人", "法人")),
    Term("safety_manager", "safety manager", "安全管理人员", ("安全员", "安全管理员")),
    Term("special_operator", "special operator", "特种作业人员", ("特种作业", "特种设备作业人员")),
)

#: The fields of an enterprise's registration (企业名录): their labels on a correction's line
#: and commit subject, and the headings an office's list may give them (``import
#: enterprises``; English headings too).
ENTERPRISE_FIELD = Vocabulary(
    "enterprise field",
    Term(
        "name", "name", "企业名称", ("单位名称", "生产经营单位名称", "生产经营单位", "企业", "名称")
    ),
    Term(
        "credit_code", "credit code", "统一社会信用代码", ("社会信用代码", "信用代码", "统一代码")
    ),
    Term("address", "address", "地址", ("企业地址", "经营地址", "注册地址", "生产经营地址")),
    Term(
        "village",
        "village",
        "村/社区",
        ("村(社区)", "所在村", "所属村", "村居", "所在村(社区)", "村社区"),
    ),
    Term(
        "industry",
        "industry",
        "监管行业",
        ("行业", "行业类别", "所属行业", "行业领域", "行业分类"),
    ),
    Term("grade", "grade", "分级", ("分级分类", "监管等级", "分级分类等级", "风险等级")),
    Term("principal", "principal", "主要负责人", ("负责人", "法定代表人", "法人代表")),
    Term("phone", "phone", "联系电话", ("电话", "负责人电话", "主要负责人电话")),
    Term(
        "safety_manager", "safety manager", "安全管理人员", ("安全员", "安全管理员", "安全负责人")
    ),
    Term("employees", "employees", "从业人数", ("职工人数", "员工人数", "从业人员数")),
    Term("department", "department", "行业主管部门", ("主管部门", "监管部门")),
    Term("flags", "scenarios", "场景", ("重点场景", "涉及场景", "flags")),
    Term("registered_on", "registered on", "纳入日期", ("登记日期", "纳入管理日期")),
)

#: A duty's state for one enterprise in the current period.
DUTY_STATE = Vocabulary(
    "duty state",
    Term("overdue", "behind", "逾期", ("未完成", "落后")),
    Term("due", "due", "待完成", ("本期未完成",)),
    Term("done", "done", "已完成", ("完成",)),
)


#: Every vocabulary, by the name messages use.
#: What a revision of the plan may change in a task (``revisions:`` in plan/plan.yaml,
#: ``task revise``): ``deadline`` is the 完成时限 (a date, or ongoing with its check-in).
TASK_FIELD = Vocabulary(
    "task field",
    Term("action", "action", "所属行动"),
    Term("title", "title", "任务名称"),
    Term("text", "text", "任务内容"),
    Term("deadline", "deadline", "完成时限"),
    Term("units", "responsible units", "责任单位"),
)

ALL: tuple[Vocabulary, ...] = (
    LEVEL,
    SOURCE,
    HAZARD_STATE,
    TASK_STATE,
    ACCEPTANCE,
    SUPERVISION_LEVEL,
    GOAL_KIND,
    CHECK_IN,
    UNIT_KIND,
    VERDICT,
    TREND,
    FIELD,
    TASK_FIELD,
    INDUSTRY,
    ENTERPRISE_STATE,
    SCENARIO,
    ENTERPRISE_FACT,
    CERTIFICATE_ROLE,
    ENTERPRISE_FIELD,
    DUTY_STATE,
)
#: Every vocabulary by its name (the name a ``Coded`` value gives).
BY_NAME = {v.name: v for v in ALL}
