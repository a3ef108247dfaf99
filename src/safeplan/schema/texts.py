"""The Chinese that the schemas show in an editor: a title, a description and examples for
every record and every field, by model and field name (as the file writes it).

They live here, not in the models, so that the models stay facts and rules; a field
added to a model without a text here fails ``tests/test_schema.py``. Coded fields name
their vocabulary: the schema lists its codes with the Chinese labels of ``vocab``.
"""

from __future__ import annotations

from typing import NamedTuple

from safeplan import vocab


class Text(NamedTuple):
    title: str
    description: str
    examples: tuple[object, ...] = ()
    #: The vocabulary of a coded field: its codes and labels are added to the description.
    codes: vocab.Vocabulary | None = None


#: The records: a title and a description each.
MODELS: dict[str, tuple[str, str]] = {
    "Plan": (
        "方案",
        "plan/plan.yaml：方案的标题、印发单位、实施期限、上级方案、专项行动和行动目标。",
    ),
    "ParentPlan": ("上级方案", "本方案所依据的上级方案。"),
    "Action": ("专项行动", "“二、重点任务”中的一项行动，编号沿用方案原文。"),
    "Period": ("实施期限", "方案的起止日期。"),
    "Goal": (
        "行动目标",
        "“一（三）行动目标”中的一项：有期限，是否达成由隐患记录算出。",
    ),
    "Rules": ("本地规则", "本方案可以调整的几项规则；不写则按默认值。"),
    "ReportInfo": (
        "填报信息",
        "报送材料（Word、PDF 报告和台账）的落款和填报栏；不写的项目留空，手工填写。",
    ),
    "UnitsFile": ("责任单位", "data/units.yaml：方案各项任务涉及的全部责任单位。"),
    "Unit": ("责任单位", "一个责任单位，或代表若干单位的单位组。"),
    "Contact": ("联系方式", "单位的联系人和联系方式。"),
    "TasksFile": ("重点任务", "data/tasks.yaml：方案的全部重点任务，按原文顺序。"),
    "Task": ("重点任务", "方案中一项带编号的重点任务，及其进展和完成情况。"),
    "ProgressNote": ("工作进展", "一次进展情况，注明日期。"),
    "Completion": ("完成情况", "任务完成的日期和情况。"),
    "TaskReopening": ("重新打开", "撤回任务完成情况的记录，原完成情况保留在其中。"),
    "Hazard": (
        "隐患",
        "一条隐患一个文件：data/hazards/<隐患编号>.yaml。只记载发生的事实和日期，"
        "隐患状态（待整改、待验收、已销号、逾期等）由 safeplan 按日期算出，不必填写。",
    ),
    "Enterprise": ("企业", "隐患所在的生产经营单位。"),
    "RectificationPlan": (
        "整改方案（五落实）",
        "责任、措施、资金、时限、预案。每条隐患都要有整改时限；重大事故隐患还须落实其余四项。",
    ),
    "PlanRevision": ("整改方案修订", "整改方案改动前的版本，作为历史保留。"),
    "Extension": ("延期", "一次获批的延期：自批准之日起按新的整改时限，原时限保留。"),
    "Withdrawal": ("撤销", "误登记的隐患（重复登记、举报不实）予以撤销，文件保留。"),
    "Correction": ("更正", "登记内容的一次更正：改了哪一项，原来是什么，改成什么。"),
    "Rectification": ("整改", "整改完成的日期、情况和佐证材料。"),
    "Acceptance": ("验收", "对整改情况的验收：日期、验收人和结论。"),
    "Closure": ("销号", "审核把关后销号；须在整改并验收合格之后。"),
    "Supervision": ("挂牌督办", "某一级政府对重大事故隐患挂牌督办，及摘牌日期。"),
    "DoubleReport": ("双报告", "重大事故隐患向监管部门和职工大会或职工代表大会报告的日期。"),
    "Cycle": ("一轮整改", "重新打开前的一轮整改、验收和销号记录。"),
    "HazardReopening": (
        "重新整改",
        "销号后（或验收不合格后）重新整改的记录，此前的记录保留在其中。",
    ),
    "Note": ("备注", "一条注明日期的情况说明。"),
    "Revision": (
        "方案修订",
        "方案的重点任务、完成时限、责任单位、目标或规则的一次修订：日期、理由和修订内容。"
        "与基准版本相比，没有修订记录的改动是错误（safeplan validate --base）。",
    ),
    "RevisedItem": ("修订内容", "一项修订：某项任务（task）、目标（goal）或规则（rule）改了什么。"),
    "Grade": ("分级分类", "本方案企业分级分类的一级：代码、名称、含义（各省标准不同）。"),
    "Duty": (
        "企业义务",
        "方案对企业的一项经常性要求（如主要负责人带队检查、疏散逃生演练、持证上岗），"
        "对应的任务、适用范围、频次、由哪类记录完成、自何日起适用。",
    ),
    "EnterpriseRecord": (
        "企业",
        "一家企业一个文件：data/enterprises/<统一社会信用代码>.yaml。只记载登记信息和"
        "有日期的事实（检查、演练、培训、证书、镇级检查），义务是否按期完成由 safeplan 算出。",
    ),
    "Person": ("人员", "姓名和电话。"),
    "HighRisk": ("高危行业（人工认定）", "与行业推定不同时的认定结果及理由。"),
    "StateChange": ("经营状态变更", "自某日起的经营状态：在营、停产、歇业、注销。"),
    "Check": ("主要负责人带队检查", "任务6：主要负责人带队检查本单位重大事故隐患。"),
    "Drill": ("疏散逃生演练", "任务13：疏散逃生演练。"),
    "Training": ("安全培训", "一次安全培训。"),
    "Certificate": ("证书", "任务11：一人一证，注明有效期。"),
    "Inspection": ("镇级检查", "镇对企业的检查（含任务16的动火、有限空间等作业）。"),
}

_DATE = ("2024-03-15",)
_EVIDENCE = Text(
    "佐证材料",
    "仓库中文件的路径或文件文号，可填多项。",
    (["evidence/HZ-20240315-A7K2/整改照片.pdf", "镇政发〔2024〕12号"],),
)

#: Every field: (model, field as the file writes it) → its text.
FIELDS: dict[tuple[str, str], Text] = {
    # ---------------------------------------------------------------- plan/plan.yaml
    ("Plan", "title"): Text(
        "方案标题",
        "方案全称，按印发文本填写。",
        ("大井镇安全生产治本攻坚三年行动方案（2024—2026年）",),
    ),
    ("Plan", "issuer"): Text("印发单位", "印发方案的单位。", ("大井镇人民政府",)),
    ("Plan", "area_code"): Text(
        "行政区划代码",
        "本镇的 12 位统计用行政区划代码；导出到数据库（safeplan export sqlite/postgres）时作为各行的键。",
        ("150421101000",),
    ),
    ("Plan", "period"): Text("实施期限", "方案的起止日期。"),
    ("Plan", "language"): Text(
        "语言", "方案的语言：zh-CN（中文）或 en（英文）。safeplan 按此选择显示的语言。"
    ),
    ("Plan", "timezone"): Text(
        "时区", "计算“今天”所用的时区，一般为 Asia/Shanghai。", ("Asia/Shanghai",)
    ),
    ("Plan", "source"): Text("方案原文", "方案原文文件在仓库中的位置。", ("plan/source.txt",)),
    ("Plan", "parent_plans"): Text("上级方案", "本方案所依据的上级方案，按原文引用的顺序。"),
    ("Plan", "actions"): Text(
        "专项行动", "“二、重点任务”中的各项行动。编号沿用原文：原文没有的编号（如（八））不写。"
    ),
    ("Plan", "goals"): Text("行动目标", "“一（三）行动目标”中的各项目标。"),
    ("Plan", "rules"): Text("本地规则", "本方案可以调整的规则；不写则按默认值。"),
    ("Plan", "report"): Text(
        "填报信息",
        "报告和台账末尾“填报单位（盖章）/填报人/审核人/联系电话”一行的内容；不写则留空待手填。",
    ),
    ("ReportInfo", "issuing_unit"): Text(
        "填报单位", "落款和填报单位；不写则用方案的发布单位。", ("大井镇人民政府",)
    ),
    ("ReportInfo", "filled_by"): Text("填报人", "", ("张三",)),
    ("ReportInfo", "reviewer"): Text("审核人", "", ("李四",)),
    ("ReportInfo", "phone"): Text("联系电话", "", ("0476-1234567",)),
    ("Plan", "revisions"): Text(
        "修订记录",
        "方案的历次修订（safeplan import text --apply、safeplan task revise 写入），按日期先后。",
    ),
    ("Revision", "on"): Text("修订日期", "", _DATE),
    ("Revision", "reason"): Text("修订理由", "", ("县安委办通知调整完成时限",)),
    ("Revision", "by"): Text("修订人", ""),
    ("Revision", "document"): Text(
        "修订依据", "修订所依据的文件文号，或修订后方案原文的位置。", ("plan/source.txt",)
    ),
    ("Revision", "changes"): Text("修订内容", "这次修订改动的各项。"),
    ("RevisedItem", "task"): Text("任务序号", "被修订的重点任务的序号。", (12,)),
    ("RevisedItem", "goal"): Text("目标编号", "被修订的目标的编号。"),
    ("RevisedItem", "rule"): Text("规则名称", "被修订的本地规则，如 due_soon_days。"),
    ("RevisedItem", "field"): Text(
        "修订项目",
        "任务被修订的项目：deadline（完成时限）、units（责任单位）、title、text、action；"
        "不写则指整项任务（新增或删除）。",
        ("deadline",),
    ),
    ("RevisedItem", "from"): Text("原内容", ""),
    ("RevisedItem", "to"): Text("修订为", ""),
    ("ParentPlan", "title"): Text(
        "方案标题", "上级方案的全称。", ("安全生产治本攻坚三年行动方案（2024—2026年）",)
    ),
    ("ParentPlan", "issuer"): Text("印发单位", "印发上级方案的单位。", ("国务院安委会",)),
    ("ParentPlan", "number"): Text("文号", "上级方案的发文字号。", ("内安委〔2024〕2号",)),
    ("Action", "numeral"): Text("行动编号", "原文中行动的汉字序号，如 一、四、九。", ("四",)),
    ("Action", "title"): Text("行动名称", "按原文填写。", ("开展重大事故隐患动态清零行动",)),
    ("Period", "start"): Text("开始日期", "方案实施的第一天。", ("2024-01-01",)),
    ("Period", "end"): Text("结束日期", "方案实施的最后一天。", ("2026-12-31",)),
    ("Goal", "id"): Text(
        "目标代号", "目标的简短代号，在本方案内不重复。", ("stock", "increment", "dynamic-zero")
    ),
    ("Goal", "kind"): Text("目标类型", "按哪种口径判定目标是否达成。", codes=vocab.GOAL_KIND),
    ("Goal", "title"): Text(
        "目标表述", "按原文填写。", ("2024年底前基本消除2023年及以前排查发现的重大事故隐患存量",)
    ),
    ("Goal", "level"): Text(
        "隐患等级", "目标针对的隐患等级，默认 major（重大事故隐患）。", codes=vocab.LEVEL
    ),
    ("Goal", "due"): Text("期限", "判定目标是否达成的日期。", ("2024-12-31",)),
    ("Goal", "discovered_until"): Text(
        "存量截止日期", "在此日期及以前排查发现的隐患计为存量。", ("2023-12-31",)
    ),
    ("Goal", "discovered_from"): Text(
        "增量起始日期", "自此日期起排查发现的隐患计为增量。", ("2024-01-01",)
    ),
    ("Rules", "close_requires_double_report"): Text(
        "销号须先双报告",
        "为 true 时，重大事故隐患须已向监管部门和职工大会或职工代表大会报告，才能销号。默认 true。",
    ),
    ("Rules", "due_soon_days"): Text(
        "即将到期天数", "距完成时限不超过这些天的任务列为即将到期。默认 30。", (30,)
    ),
    ("Rules", "plan_within_days"): Text(
        "五落实期限（天）",
        "重大事故隐患登记后，整改方案（五落实）须在这些天内落实齐全。默认 7。",
        (7,),
    ),
    ("Rules", "basis_required_from"): Text(
        "判定依据必填起始日",
        "自该日起发现的重大事故隐患必须写明判定依据（判定标准的条、项），否则为错误；"
        "此前缺少判定依据仅为警告。不写则始终为警告。",
        ("2027-01-01",),
    ),
    # ---------------------------------------------------------------- data/units.yaml
    ("UnitsFile", "units"): Text("责任单位", "方案各项任务涉及的全部责任单位。"),
    ("Unit", "name"): Text("单位名称", "按方案原文的写法填写。", ("镇安监站",)),
    ("Unit", "full_name"): Text("单位全称", "单位的正式名称。", ("大井镇安全生产监督管理站",)),
    ("Unit", "kind"): Text("单位类别", "单位的类别；单位组写 group。", codes=vocab.UNIT_KIND),
    ("Unit", "members"): Text(
        "成员单位",
        "单位组（如 镇级各职能站所）所代表的各单位，须是本文件中的单位。",
        (["镇党政办", "镇财政所"],),
    ),
    ("Unit", "contact"): Text("联系方式", "单位的联系人、电话和电子邮箱。"),
    ("Unit", "note"): Text("备注", "需要说明的情况。"),
    ("Contact", "person"): Text("联系人", "", ("张三",)),
    ("Contact", "phone"): Text("联系电话", "", ("0476-1234567",)),
    ("Contact", "email"): Text("电子邮箱", "", ("ajz@example.cn",)),
    # ---------------------------------------------------------------- data/tasks.yaml
    ("TasksFile", "tasks"): Text("重点任务", "方案的全部重点任务，按原文顺序。"),
    ("Task", "number"): Text("任务编号", "原文中任务的编号（1、2、3……）。", (8,)),
    ("Task", "action"): Text("所属行动", "任务所属行动的汉字序号。", ("四",)),
    ("Task", "title"): Text("任务名称", "任务的第一句。", ("建立重大事故隐患数据库。",)),
    ("Task", "text"): Text("任务内容", "任务全文，按印发文本，不含括号里的完成时限和责任单位。"),
    ("Task", "deadline"): Text(
        "完成时限",
        "写成日期。原文写到月份的，取该月最后一天：2024年12月写 2024-12-31。"
        "长期坚持的任务不写此项，改写 ongoing: true。",
        ("2024-12-31",),
    ),
    ("Task", "ongoing"): Text(
        "长期坚持", "原文完成时限为“长期坚持”的任务写 true，此时不写完成时限。"
    ),
    ("Task", "ongoing_after"): Text(
        "此后长期坚持",
        "完成时限分两段的任务（如“2025年9月底前集中完成，此后长期坚持”“……前完成并常态化开展”）"
        "写 true，同时写完成时限：完成前按完成时限计算状态，完成后按报送周期报送进展。",
    ),
    ("Task", "check_in"): Text(
        "报送周期",
        "长期坚持的任务（及此后长期坚持的任务完成后）多长时间报送一次进展。"
        "默认 quarter（每季度）。",
        codes=vocab.CHECK_IN,
    ),
    ("Task", "units"): Text(
        "责任单位",
        "按原文顺序填写，第一个为牵头单位，须是 data/units.yaml 中的单位。",
        (["镇安监站", "镇党政办"],),
    ),
    ("Task", "progress"): Text("工作进展", "按日期记载的进展情况。"),
    ("Task", "done"): Text("完成情况", "任务完成的日期和情况；未完成不写或写 null。"),
    ("Task", "reopenings"): Text("重新打开记录", "撤回完成情况的记录，原完成情况保留在其中。"),
    ("ProgressNote", "on"): Text("日期", "进展发生或报送的日期。", _DATE),
    ("ProgressNote", "note"): Text("进展情况", "", ("隐患数据库已录入12条",)),
    ("ProgressNote", "by"): Text("报送单位", "报送进展的单位或人员。", ("镇党政办",)),
    ("ProgressNote", "evidence"): _EVIDENCE,
    ("Completion", "on"): Text("完成日期", "", ("2024-12-20",)),
    ("Completion", "note"): Text("完成情况", "", ("数据库已投入使用",)),
    ("Completion", "evidence"): _EVIDENCE,
    ("TaskReopening", "on"): Text("日期", "撤回完成情况的日期。", _DATE),
    ("TaskReopening", "reason"): Text("原因", "", ("县级复核发现数据不全",)),
    ("TaskReopening", "previous"): Text("原完成情况", "被撤回的完成情况，作为历史保留。"),
    # ---------------------------------------------------------------- data/hazards/*.yaml
    ("Hazard", "id"): Text(
        "隐患编号",
        "与文件名相同：HZ-发现日期-4位随机字符，由 safeplan hazard new 生成。",
        ("HZ-20240315-A7K2",),
    ),
    ("Hazard", "former_ids"): Text("原编号", "重新编号（safeplan hazard renumber）前用过的编号。"),
    ("Hazard", "ledger_no"): Text(
        "台账序号", "从隐患台账导入时，台账中原有的序号，按台账的写法。", ("2024-015",)
    ),
    ("Hazard", "title"): Text("隐患名称", "简要写明隐患。", ("井下主排水泵房排水能力不足",)),
    ("Hazard", "description"): Text("隐患描述", "隐患的具体情况。"),
    ("Hazard", "level"): Text("隐患等级", "", codes=vocab.LEVEL),
    ("Hazard", "basis"): Text(
        "判定依据",
        "判定为重大事故隐患所依据的标准条款。",
        ("《煤矿重大事故隐患判定标准》（应急管理部令第4号）第四条第（一）项",),
    ),
    ("Hazard", "industry"): Text("行业领域", "", ("煤矿", "危险化学品")),
    ("Hazard", "enterprise"): Text("企业", "隐患所在的生产经营单位。"),
    ("Hazard", "location"): Text("隐患部位", "隐患所在的具体部位。", ("井下-350水平主泵房",)),
    ("Hazard", "discovered_on"): Text("发现日期", "排查、检查或接到举报的日期。", _DATE),
    ("Hazard", "source"): Text("隐患来源", "隐患是怎样发现的。", codes=vocab.SOURCE),
    ("Hazard", "found_by"): Text("发现人", "排查、检查的人员或单位。", ("镇安监站 张三",)),
    ("Hazard", "responsible_unit"): Text(
        "责任单位", "负责督促整改的单位，须是 data/units.yaml 中的单位。", ("镇安监站",)
    ),
    ("Hazard", "responsible_person"): Text("责任人", "", ("李四",)),
    ("Hazard", "rectification_plan"): Text(
        "整改方案（五落实）",
        "责任、措施、资金、时限、预案。每条隐患都要有整改时限；重大事故隐患须在规定天数内落实齐全。",
    ),
    ("Hazard", "plan_revisions"): Text("整改方案修订", "整改方案每次改动前的版本。"),
    ("Hazard", "extensions"): Text("延期", "每次获批的延期；原整改时限保留不变。"),
    ("Hazard", "rectification"): Text("整改", "整改完成后填写。"),
    ("Hazard", "acceptance"): Text("验收", "整改后验收时填写。"),
    ("Hazard", "closure"): Text("销号", "整改并验收合格后，经审核把关销号时填写。"),
    ("Hazard", "supervision"): Text("挂牌督办", "各级政府的挂牌督办，每次一项。"),
    ("Hazard", "double_report"): Text(
        "双报告", "重大事故隐患向监管部门和职工大会或职工代表大会报告的日期。"
    ),
    ("Hazard", "reopenings"): Text(
        "重新整改记录", "销号后又发现问题、或验收不合格而重新整改的记录，此前的记录保留在其中。"
    ),
    ("Hazard", "withdrawal"): Text(
        "撤销", "误登记的隐患（重复登记、举报不实）撤销时填写，文件保留。"
    ),
    ("Hazard", "corrections"): Text("更正记录", "登记内容的更正（safeplan hazard edit 写入）。"),
    ("Hazard", "notes"): Text("备注", "按日期记载的情况说明。"),
    ("Enterprise", "id"): Text(
        "企业编号",
        "已登记企业（data/enterprises/）的编号，由 safeplan enterprise link 写入。",
        ("91150400MA0N1234XL",),
    ),
    ("Enterprise", "name"): Text("企业名称", "", ("某镇某煤矿有限公司",)),
    ("Enterprise", "credit_code"): Text(
        "统一社会信用代码",
        "18 位，加引号书写，以免被当作数字读取。",
        ("91150400MA0N1234XL",),
    ),
    ("Enterprise", "address"): Text("企业地址", "", ("某镇工业园区",)),
    ("RectificationPlan", "on"): Text(
        "方案制定日期", "本版整改方案的制定日期；不写则视为登记当日。", _DATE
    ),
    ("RectificationPlan", "measures"): Text("整改措施", "", ("增设一台主排水泵并完善配套管路",)),
    ("RectificationPlan", "funds"): Text("整改资金", "写明金额和单位。", ("45万元", "2000元")),
    ("RectificationPlan", "deadline"): Text("整改时限", "整改须完成的日期。", ("2024-06-30",)),
    ("RectificationPlan", "responsible_person"): Text("整改责任人", "", ("王五",)),
    ("RectificationPlan", "contingency_plan"): Text(
        "应急预案", "整改完成前的临时管控和应急措施。", ("停止受影响采区作业，撤出人员",)
    ),
    ("PlanRevision", "on"): Text("修订日期", "", _DATE),
    ("PlanRevision", "by"): Text("修订人", ""),
    ("PlanRevision", "reason"): Text("修订理由", ""),
    ("PlanRevision", "previous"): Text("修订前的方案", "被替换的整改方案，作为历史保留。"),
    ("Extension", "on"): Text("批准日期", "自此日起按新的整改时限。", _DATE),
    ("Extension", "from"): Text("原整改时限", "延期前的整改时限。", ("2024-06-30",)),
    ("Extension", "to"): Text("延期至", "新的整改时限，须晚于原时限。", ("2024-08-31",)),
    ("Extension", "reason"): Text("延期理由", "", ("设备到货推迟",)),
    ("Extension", "approved_by"): Text("批准人", "批准延期的人员或单位。", ("县应急管理局",)),
    ("Withdrawal", "on"): Text("撤销日期", "", _DATE),
    ("Withdrawal", "reason"): Text("撤销理由", "", ("与 HZ-20240315-A7K2 重复登记",)),
    ("Withdrawal", "by"): Text("撤销人", ""),
    ("Correction", "on"): Text("更正日期", "", _DATE),
    ("Correction", "by"): Text("更正人", ""),
    ("Correction", "field"): Text("更正项目", "被更正的项目（字段名）。", ("location",)),
    ("Correction", "from"): Text("原内容", ""),
    ("Correction", "to"): Text("更正为", ""),
    ("Correction", "reason"): Text("更正理由", "更正隐患等级时必填（通常是判定依据变了）。"),
    ("Rectification", "on"): Text("整改完成日期", "", ("2024-06-20",)),
    ("Rectification", "note"): Text("整改情况说明", "", ("已增设排水泵",)),
    ("Rectification", "evidence"): _EVIDENCE,
    ("Acceptance", "on"): Text("验收日期", "", ("2024-06-28",)),
    ("Acceptance", "by"): Text("验收人", "验收的人员或单位。", ("县应急管理局 赵六",)),
    ("Acceptance", "result"): Text("验收结果", "默认 passed（合格）。", codes=vocab.ACCEPTANCE),
    ("Acceptance", "note"): Text("验收意见", ""),
    ("Acceptance", "evidence"): _EVIDENCE,
    ("Closure", "on"): Text("销号日期", "", ("2024-07-02",)),
    ("Closure", "reviewer"): Text("销号审核人", "审核把关、同意销号的人员。", ("镇安监站 站长",)),
    ("Closure", "note"): Text("备注", ""),
    ("Supervision", "level"): Text(
        "督办级别",
        "挂牌督办的政府层级。旧文件写的 省级、市级、县级、镇级 仍可读取，"
        "safeplan fmt 会把它们改写为代码。",
        codes=vocab.SUPERVISION_LEVEL,
    ),
    ("Supervision", "by"): Text("督办单位", "", ("县安委办",)),
    ("Supervision", "listed_on"): Text("挂牌日期", "", ("2024-03-20",)),
    ("Supervision", "lifted_on"): Text("摘牌日期", "摘牌后填写。", ("2024-07-02",)),
    ("DoubleReport", "regulator_on"): Text("报告监管部门日期", "", ("2024-03-16",)),
    ("DoubleReport", "workers_on"): Text("报告职工大会或职工代表大会日期", "", ("2024-03-18",)),
    ("Cycle", "rectification"): Text("整改", ""),
    ("Cycle", "acceptance"): Text("验收", ""),
    ("Cycle", "closure"): Text("销号", ""),
    ("HazardReopening", "on"): Text("日期", "重新整改的日期。", ("2024-09-01",)),
    ("HazardReopening", "reason"): Text("原因", "", ("复查发现排水泵故障",)),
    ("HazardReopening", "by"): Text("经办人", ""),
    ("HazardReopening", "previous"): Text(
        "此前的记录", "此前一轮的整改、验收和销号，作为历史保留。"
    ),
    ("Note", "on"): Text("日期", "", _DATE),
    ("Note", "text"): Text("内容", "", ("已制定整改方案",)),
    ("Note", "by"): Text("记录人", ""),
    ("Plan", "grades"): Text("分级分类", "企业分级分类的等级，由高到低。"),
    ("Plan", "duties"): Text("企业义务", "方案对企业的经常性要求，每项对应一项任务。"),
    ("Grade", "code"): Text("等级代码", "", ("A",)),
    ("Grade", "label"): Text("等级名称", "", ("重点监管",)),
    ("Grade", "meaning"): Text("含义", "本等级对监管频次的要求。"),
    ("Duty", "id"): Text("义务编号", "", ("principal_check",)),
    ("Duty", "task"): Text("任务编号", "这项义务来自哪项任务。", (6,)),
    ("Duty", "title"): Text("名称", "", ("主要负责人带队检查",)),
    ("Duty", "applies_to"): Text(
        "适用范围",
        "all（全部）、high_risk（高危行业）、grade:<等级>、flag:<场景>、industry:<行业>。",
        ("all", "high_risk", "flag:fire_key_unit"),
    ),
    ("Duty", "every"): Text("频次", "一个自然周期内至少一次。", codes=vocab.CHECK_IN),
    ("Duty", "high_risk_every"): Text("高危行业频次", "高危行业企业的频次。", codes=vocab.CHECK_IN),
    ("Duty", "fulfilled_by"): Text(
        "完成依据", "哪类记录完成这项义务。", codes=vocab.ENTERPRISE_FACT
    ),
    ("Duty", "roles"): Text(
        "持证人员", "持证义务要求持证的人员类别。", codes=vocab.CERTIFICATE_ROLE
    ),
    ("Duty", "from"): Text("适用日期", "自此日起适用。", _DATE),
    ("EnterpriseRecord", "id"): Text(
        "企业编号", "有统一社会信用代码的即为该代码，须与文件名一致。", ("91150400MA0N1234XL",)
    ),
    ("EnterpriseRecord", "name"): Text("企业名称", "", ("某镇某机械有限公司",)),
    ("EnterpriseRecord", "credit_code"): Text(
        "统一社会信用代码", "18 位，加引号书写，以免被当作数字读取。", ("91150400MA0N1234XL",)
    ),
    ("EnterpriseRecord", "address"): Text("地址", ""),
    ("EnterpriseRecord", "village"): Text("村/社区", "", ("大井村",)),
    ("EnterpriseRecord", "industry"): Text("监管行业", "", codes=vocab.INDUSTRY),
    ("EnterpriseRecord", "high_risk"): Text("高危行业（人工认定）", "不写则按行业推定。"),
    ("EnterpriseRecord", "grade"): Text(
        "分级分类", "plan/plan.yaml 中 grades 的一个代码。", ("A",)
    ),
    ("EnterpriseRecord", "flags"): Text("场景", "带来专门判定标准的场景。", codes=vocab.SCENARIO),
    ("EnterpriseRecord", "principal"): Text("主要负责人", ""),
    ("EnterpriseRecord", "safety_managers"): Text("安全管理人员", ""),
    ("EnterpriseRecord", "employees"): Text("从业人数", "", (45,)),
    ("EnterpriseRecord", "department"): Text("行业主管部门", "", ("镇应急办",)),
    ("EnterpriseRecord", "registered_on"): Text(
        "纳入管理日期", "义务自此日与义务适用日期中较晚者起算。", _DATE
    ),
    ("EnterpriseRecord", "states"): Text("经营状态", "按日期记录的状态变更；不写即在营。"),
    ("EnterpriseRecord", "checks"): Text("主要负责人带队检查", ""),
    ("EnterpriseRecord", "drills"): Text("疏散逃生演练", ""),
    ("EnterpriseRecord", "trainings"): Text("安全培训", ""),
    ("EnterpriseRecord", "certificates"): Text("证书", ""),
    ("EnterpriseRecord", "inspections"): Text("镇级检查", ""),
    ("EnterpriseRecord", "corrections"): Text("更正记录", "登记信息的更正，保留原值。"),
    ("EnterpriseRecord", "notes"): Text("备注", ""),
    ("Person", "name"): Text("姓名", ""),
    ("Person", "phone"): Text("电话", ""),
    ("HighRisk", "value"): Text("是否高危行业", ""),
    ("HighRisk", "reason"): Text("理由", ""),
    ("StateChange", "on"): Text("日期", "", _DATE),
    ("StateChange", "state"): Text("状态", "", codes=vocab.ENTERPRISE_STATE),
    ("StateChange", "reason"): Text("理由", ""),
    ("StateChange", "by"): Text("记录人", ""),
    ("Check", "on"): Text("检查日期", "", _DATE),
    ("Check", "led_by"): Text("带队人", "主要负责人姓名。"),
    ("Check", "hazards"): Text("发现的隐患", "隐患编号。"),
    ("Check", "note"): Text("情况", ""),
    ("Check", "evidence"): Text("佐证材料", ""),
    ("Drill", "on"): Text("演练日期", "", _DATE),
    ("Drill", "kind"): Text("演练类型", "", ("疏散逃生",)),
    ("Drill", "participants"): Text("参加人数", ""),
    ("Drill", "note"): Text("情况", ""),
    ("Drill", "evidence"): Text("佐证材料", ""),
    ("Training", "on"): Text("培训日期", "", _DATE),
    ("Training", "topic"): Text("培训内容", ""),
    ("Training", "participants"): Text("参加人数", ""),
    ("Training", "note"): Text("情况", ""),
    ("Training", "evidence"): Text("佐证材料", ""),
    ("Certificate", "on"): Text("发证日期", "", _DATE),
    ("Certificate", "person"): Text("持证人", ""),
    ("Certificate", "role"): Text("人员类别", "", codes=vocab.CERTIFICATE_ROLE),
    ("Certificate", "kind"): Text("证书类别", ""),
    ("Certificate", "number"): Text("证书编号", ""),
    ("Certificate", "valid_until"): Text("有效期至", "", _DATE),
    ("Inspection", "on"): Text("检查日期", "", _DATE),
    ("Inspection", "by"): Text("检查人员", ""),
    ("Inspection", "works"): Text("检查的作业", "", (["动火", "有限空间"],)),
    ("Inspection", "findings"): Text("检查发现", ""),
    ("Inspection", "hazards"): Text("发现的隐患", "隐患编号。"),
    ("Inspection", "evidence"): Text("佐证材料", ""),
}
