"""The readers of one phrase of a plan text: deadlines, unit lists, kinds, citations, goals.

Each expected value is written out from what the phrase means, not computed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from safeplan.importers.plantext import phrases as ph
from safeplan.importers.plantext.plan_text import parse_plan_text

D = dt.date


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024年12月", D(2024, 12, 31)),
        ("2024年12月底前", D(2024, 12, 31)),
        ("2024年12月31日前", D(2024, 12, 31)),
        ("2025年6月底", D(2025, 6, 30)),
        ("2025年底前", D(2025, 12, 31)),
        ("2025年上半年", D(2025, 6, 30)),
        ("2025年下半年", D(2025, 12, 31)),
        ("2024年第三季度", D(2024, 9, 30)),
        ("2024年三季度末", D(2024, 9, 30)),
        ("2024年10月底前", D(2024, 10, 31)),
        ("2024年2月", D(2024, 2, 29)),  # a leap year's February
        ("2025年2月底前完成", D(2025, 2, 28)),
        ("２０２５年６月", D(2025, 6, 30)),  # full-width digits
        ("2024年 12 月", D(2024, 12, 31)),
        ("2024年", D(2024, 12, 31)),
        ("2024年6月—12月", D(2024, 12, 31)),  # a range: its end
        ("2024年—2026年", D(2026, 12, 31)),
    ],
)
def test_deadline_forms(text: str, day: dt.date) -> None:
    read, several = ph.read_deadline(text)
    assert read == ph.Deadline(day)
    assert not several


@pytest.mark.parametrize(
    ("text", "check_in"),
    [
        ("长期坚持", None),
        ("持续推进", None),
        ("常态化开展", None),
        ("每季度", "quarter"),
        ("每月", "month"),
        ("每年", "year"),
        ("每半年", "half-year"),
        ("长期坚持，每月调度", "month"),
    ],
)
def test_ongoing_forms(text: str, check_in: str | None) -> None:
    assert ph.read_deadline(text) == (ph.Deadline(None, True, check_in), False)


@pytest.mark.parametrize("text", ["适时开展", "2024年13月", "2024年2月30日", "另行通知", ""])
def test_unreadable_deadlines_are_none(text: str) -> None:
    assert ph.read_deadline(text) == (None, False)


def test_several_deadlines_keep_the_latest_and_say_so() -> None:
    assert ph.read_deadline("2024年12月、2026年12月") == (ph.Deadline(D(2026, 12, 31)), True)


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("镇安监站、镇党政办", ["镇安监站", "镇党政办"]),
        ("镇安监站，镇党政办", ["镇安监站", "镇党政办"]),
        ("镇安监站,镇党政办", ["镇安监站", "镇党政办"]),
        ("乡安监站和乡综合执法办及乡派出所", ["乡安监站", "乡综合执法办", "乡派出所"]),
        ("镇安监站牵头，镇党政办、镇财政所配合", ["镇安监站", "镇党政办", "镇财政所"]),
        ("镇党政办、镇财政所配合，镇安监站牵头", ["镇安监站", "镇党政办", "镇财政所"]),
        ("镇村建办、镇安监站（牵头）、镇规划所", ["镇安监站", "镇村建办", "镇规划所"]),
        ("镇安监站、各村（社区）", ["镇安监站", "各村（社区）"]),
        ("县应急管理局、各苏木乡镇（街道）", ["县应急管理局", "各苏木乡镇（街道）"]),
        ("县住房和城乡建设局、县文化和旅游局", ["县住房和城乡建设局", "县文化和旅游局"]),
        ("镇安监站等", ["镇安监站"]),
        ("镇安监站、镇安监站", ["镇安监站"]),
    ],
)
def test_unit_lists(text: str, units: list[str]) -> None:
    assert ph.read_units(text).ordered() == units


def test_a_marker_after_several_names_covers_them_all() -> None:
    read = ph.read_units("甲站、乙站牵头，丙办配合")
    assert (read.lead, read.main, read.co) == (["甲站", "乙站"], [], ["丙办"])


def test_keys_give_the_role() -> None:
    p = ph.read_parenthesis(
        "时间节点：2025年上半年；牵头单位：镇安监站；配合单位：镇经济发展办、镇社会事务办"
    )
    assert p.deadline_text == "2025年上半年"
    assert p.deadline_phrase == "时间节点：2025年上半年"
    assert p.units.ordered() == ["镇安监站", "镇经济发展办", "镇社会事务办"]
    assert p.unread == []


def test_a_parenthesis_without_keys() -> None:
    p = ph.read_parenthesis("镇安监站牵头，镇党政办配合；2025年6月底前")
    assert p.deadline_text == "2025年6月底前"
    assert p.units.ordered() == ["镇安监站", "镇党政办"]


def test_what_a_parenthesis_has_besides_is_reported_not_taken_for_a_unit() -> None:
    p = ph.read_parenthesis("完成时限：2025年12月；责任单位：镇村建办；备注：与县住建局联合开展")
    assert p.units.ordered() == ["镇村建办"]
    assert p.unread == ["备注：与县住建局联合开展"]


def test_half_width_keys_colons_and_semicolons() -> None:
    p = ph.read_parenthesis("完成时限:2024年10月底前;责任单位:乡安监站,乡综合执法办")
    assert (p.deadline_text, p.units.ordered()) == ("2024年10月底前", ["乡安监站", "乡综合执法办"])


@pytest.mark.parametrize(
    ("text", "body", "groups"),
    [
        ("做好A。（完成时限：2024年12月；责任单位：镇安监站）", "做好A。", ["完成时限：2024年12月；责任单位：镇安监站"]),
        ("做好A（完成时限：2024年12月）。", "做好A。", ["完成时限：2024年12月"]),
        ("做好A。(完成时限:2024年12月)(责任单位:镇安监站)", "做好A。", ["完成时限:2024年12月", "责任单位:镇安监站"]),
        ("做好A。（责任单位：镇安监站、各村（社区））", "做好A。", ["责任单位：镇安监站、各村（社区）"]),
        ("每年至少组织1次演练（高危行业每半年至少1次）。", "每年至少组织1次演练（高危行业每半年至少1次）。", []),
        ("做好A。完成时限：2024年12月；责任单位：镇安监站。", "做好A。", ["完成时限：2024年12月；责任单位：镇安监站"]),
    ],
)  # fmt: skip
def test_peeling_the_parenthesis_off_a_task(text: str, body: str, groups: list[str]) -> None:
    assert ph.peel_parentheses(text) == (body, groups)


def test_the_title_is_the_first_sentence_outside_quotes() -> None:
    assert ph.first_sentence("落实“谁执法谁普法。”责任制。其余。") == "落实“谁执法谁普法。”责任制。"
    assert ph.first_sentence("加强隐患排查\n组织力量排查。") == "加强隐患排查"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("镇安监站", "station"),
        ("镇财政所", "station"),
        ("市场监管所", "agency"),  # a county agency's outpost: not prefixed with the town's level
        ("镇党政办", "office"),
        ("镇综合执法局", "town-body"),  # the town's own body (镇属机构), not 派驻机构
        ("镇纪委", "committee"),
        ("镇党群服务中心", "institution"),
        ("镇级各职能站所", "group"),
        ("县有关部门", "group"),
        ("各村（社区）", "committee"),
        ("县消防救援大队", "agency"),
    ],
)
def test_kinds_are_guessed_from_the_name(name: str, kind: str) -> None:
    assert ph.kind_of(name, "镇")[0] == kind


def test_numerals() -> None:
    assert [ph.numeral_value(n) for n in ("一", "九", "十", "十一", "二十一")] == [1, 9, 10, 11, 21]
    assert [ph.numeral_of(v) for v in (1, 8, 10, 12, 20, 23)] == [
        "一",
        "八",
        "十",
        "十二",
        "二十",
        "二十三",
    ]


def test_citations_with_nested_titles_numbers_and_issuers() -> None:
    text = (
        "为认真贯彻落实国务院安委会印发的《安全生产治本攻坚三年行动方案（2024—2026年）》、自治区政府"
        "印发的《内蒙古自治区安全生产委员会关于印发〈内蒙古自治区安全生产治本攻坚三年行动方案（2024—2026年）〉"
        "的通知》（内安委〔2024〕2号）文件要求"
    )
    found = [(c.title, c.issuer, c.number) for c in ph.citations(text)]
    assert found == [
        ("安全生产治本攻坚三年行动方案（2024—2026年）", "国务院安委会", None),
        (
            "内蒙古自治区安全生产治本攻坚三年行动方案（2024—2026年）",
            "内蒙古自治区安全生产委员会",
            "内安委〔2024〕2号",
        ),
    ]


def test_goals_in_the_national_wording() -> None:
    goals = ph.stated_goals(
        "2024年底前基本消除2023年及以前排查发现的重大事故隐患存量，2025年底前有效遏制重大事故隐患增量，"
        "2026年底前形成重大事故隐患动态清零的常态化机制。"
    )
    assert [(g.kind, g.due, g.discovered_until, g.level) for g in goals] == [
        ("stock_cleared", D(2024, 12, 31), D(2023, 12, 31), "major"),
        ("increment_curbed", D(2025, 12, 31), None, "major"),
        ("dynamic_zero", D(2026, 12, 31), None, "major"),
    ]
    assert ph.stated_goals("推动重大事故隐患动态清零。") == []  # no date: a wish, not a goal


def test_a_place_and_its_level() -> None:
    assert (ph.place_of("大井镇人民政府"), ph.level_of("大井镇")) == ("大井镇", "镇")
    assert ph.place_of("国务院安委会") == ""
    assert ph.group_prefix("镇级各职能站所", "镇") == "镇"
    assert ph.group_prefix("市直有关部门", "市") == "市"
    assert ph.group_prefix("各有关部门", "县") == "县"


def test_the_parser_is_pure_and_repeatable() -> None:
    text = "某镇安全生产治本攻坚三年行动方案（2024—2026年）\n经某镇人民政府研究，制定本方案。\n二、重点任务\n（一）行动\n1．做好A。（完成时限：2024年12月；责任单位：镇安监站）\n"
    a, b = parse_plan_text(text, "a.txt"), parse_plan_text(text, "a.txt")
    assert a == b
    assert [t.units for t in a.tasks] == [["镇安监站"]]


def test_crlf_and_a_bom_are_read() -> None:
    text = "\ufeff某镇安全生产治本攻坚三年行动方案（2024—2026年）\r\n经某镇人民政府研究，制定本方案。\r\n二、重点任务\r\n（一）行动\r\n1．做好A。（完成时限：2024年12月；责任单位：镇安监站）\r\n"
    p = parse_plan_text(text, "a.txt")
    assert (p.title, p.tasks[0].deadline, p.findings) == (
        "某镇安全生产治本攻坚三年行动方案（2024—2026年）",
        D(2024, 12, 31),
        [],
    )
