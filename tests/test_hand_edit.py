"""Hand edits that YAML reads otherwise than meant: the raw-text checks and the schema hints.

`title: 电动车充电 #3楼道` loses '#3楼道'; fields written flat under their section, keys
typed in Chinese, a colon without its space. Each is said as the mistake it is, where it
is, with what to write instead (the corpus pins the exact CLI output in both languages;
these tests pin the rules behind it).
"""

from __future__ import annotations

import pytest

from safeplan.models.hazards import Hazard
from safeplan.models.records import TasksFile, UnitsFile
from safeplan.problems import Problem
from safeplan.render.i18n import translator
from safeplan.render.text import problem_message
from safeplan.repo import parse
from safeplan.repo.parse import parse_text, text_hints
from safeplan.yamlio import load_fast
from safeplan.yamlio.handedit import (
    COMMENT_IN_VALUE,
    MISSING_DASH_SPACE,
    MISSING_SPACE,
    ODD_INDENT,
    TAB_IN_LINE,
    comments_in_values,
)

EN = translator("en")

HAZARD = """\
id: HZ-20240902-B3M9
title: 加油站卸油区静电接地装置损坏
level: general
location: 卸油区
discovered_on: 2024-09-02
source: inspection
responsible_unit: 镇财政所
rectification_plan:
  deadline: 2024-09-30
"""


def hints(text: str, model: type = Hazard) -> list[tuple[int, int, str, dict[str, object]]]:
    found = comments_in_values(text, load_fast(text), "f.yaml", model)
    assert all(p.template == COMMENT_IN_VALUE and p.severity == "warning" for p in found)
    return [(p.line, p.column, str(p.params["field"]), p.params) for p in found]


# --------------------------------------------------------------------------- ' #' in free text


def test_a_comment_that_cut_a_free_text_value_is_a_warning() -> None:
    found = hints(HAZARD.replace("title: 加油站卸油区静电接地装置损坏", "title: 电动车充电 #3楼道"))
    assert len(found) == 1
    line, column, field, params = found[0]
    assert (line, column, field) == (2, 14, "title")
    assert params["value"] == "电动车充电" and params["comment"] == "#3楼道"
    assert params["whole"] == "电动车充电 #3楼道"


@pytest.mark.parametrize(
    "line",
    [
        "level: general  # 一般隐患",
        "discovered_on: 2024-09-02  # 排查日期",
        "responsible_unit: 镇财政所  # 牵头",
        "source: inspection # 部门检查",
        "title: '电动车充电 #3楼道'",
        'title: "电动车充电 #3楼道"  # 引号里的 # 是内容',
        "title: 电动车充电#3楼道",
        "# title: 电动车充电 #3楼道",
        "  # 一行注释 #2",
    ],
)
def test_comments_after_codes_dates_units_and_quoted_text_are_normal(line: str) -> None:
    key = line.strip("# ").split(":")[0]
    text = "\n".join(x for x in HAZARD.splitlines() if not x.startswith(key + ":")) + "\n"
    assert hints(text + line + "\n") == []


def test_a_block_of_text_keeps_its_hashes() -> None:
    text = HAZARD + "description: |\n  卸油口 #2 接地线断开\n  note: 描述的一部分 #3\n"
    assert hints(text) == []


def test_one_warning_a_line_at_the_first_hash_and_quotes_doubled() -> None:
    text = HAZARD + "notes:\n  - on: 2024-09-03\n    text: 约谈 #1 #2 it's\n"
    (found,) = hints(text)
    assert found[:3] == (12, 14, "text")
    assert found[3]["value"] == "约谈" and found[3]["whole"] == "约谈 #1 #2 it''s"


def test_crlf_and_tabs_before_the_hash() -> None:
    text = HAZARD.replace("location: 卸油区", "location: 卸油区\t#东侧").replace("\n", "\r\n")
    (found,) = hints(text)
    assert found[:3] == (4, 15, "location") and found[3]["comment"] == "#东侧"


def test_a_units_name_is_a_reference_not_free_text() -> None:
    units = "units:\n  - name: 镇安监站  # 牵头\n    kind: station\n    note: 站所 #1\n"
    assert [f[2] for f in hints(units, UnitsFile)] == ["note"]


def test_huge_lines_of_hashes_cost_little() -> None:
    text = "title: " + "a #" * 200_000 + "\n"
    (found,) = hints(text)
    assert len(str(found[3]["whole"])) <= 100 and len(str(found[3]["comment"])) <= 40


def test_clean_text_skips_every_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object) -> list[Problem]:
        raise AssertionError("scanned a file without ' #'")

    monkeypatch.setattr(parse, "comments_in_values", boom)
    monkeypatch.setattr(parse, "roundtrip_blocker", boom)
    assert text_hints(HAZARD, load_fast(HAZARD), "f.yaml", Hazard) == []
    with pytest.raises(AssertionError):
        text_hints(HAZARD + "note: a #b\n", None, "f.yaml", Hazard)


def test_a_tab_that_would_stop_every_edit_is_an_error() -> None:
    text = HAZARD.replace("location: 卸油区", "location:\t卸油区")
    (p,) = text_hints(text, load_fast(text), "f.yaml", Hazard)
    assert (p.line, p.column, p.code, p.template, p.severity) == (
        4,
        10,
        "tab",
        TAB_IN_LINE,
        "error",
    )


def test_parse_text_reports_the_hints_beside_a_valid_record() -> None:
    text = HAZARD.replace("location: 卸油区", "location: 卸油区 #东侧")
    parsed = parse_text(text, "f.yaml", Hazard)
    assert isinstance(parsed.record, Hazard) and parsed.record.location == "卸油区"
    assert [p.code for p in parsed.problems] == ["comment-in-value"]


def test_parse_text_reports_the_hints_beside_schema_errors() -> None:
    text = HAZARD.replace("location: 卸油区", "location: 卸油区 #东侧\nlocaton: x")
    parsed = parse_text(text, "f.yaml", Hazard)
    assert parsed.record is None
    assert sorted(p.code for p in parsed.problems) == ["comment-in-value", "schema-extra-forbidden"]


# --------------------------------------------------------------------------- schema hints


def problems(text: str, model: type = Hazard, strip: int = 0) -> list[tuple[int, int, str, str]]:
    parsed = parse_text(text, "f.yaml", model, strip)
    assert parsed.record is None
    return [
        (p.line, p.column, p.template, problem_message(p, EN))
        for p in sorted(parsed.problems, key=Problem.sort_key)
    ]


def test_fields_flat_under_an_empty_section_are_to_be_indented() -> None:
    text = HAZARD + "rectification:\non: 2024-09-20\nnote: 已更换\n"
    found = problems(text)
    assert [(line, col, msg) for line, col, _, msg in found] == [
        (11, 1, "'on' belongs under 'rectification' above it, which is empty: indent 'on' "
         "under 'rectification'"),
        (12, 1, "'note' belongs under 'rectification' above it, which is empty: indent 'note' "
         "under 'rectification'"),
    ]  # fmt: skip


def test_a_field_flat_under_the_last_list_entry_is_said_once() -> None:
    text = HAZARD + "notes:\n- on: 2024-09-03\ntext: 已约谈\n"
    (found,) = problems(text)  # not also "missing required field 'notes[0].text'"
    assert found[:2] == (12, 1)
    assert found[3] == (
        "'text' belongs to the last entry of 'notes' above it: indent 'text' under that "
        "entry, like its 'on'"
    )


def test_a_sound_field_between_ends_the_flat_run() -> None:
    # 'level' is the record's own field: 'on' after it is not rectification's.
    text = HAZARD.replace("level: general\n", "") + "rectification:\nlevel: general\non: x\n"
    (found,) = problems(text)
    assert found[3].startswith("unknown field 'on': remove it or correct its spelling")


def test_a_section_with_a_value_is_not_empty() -> None:
    text = HAZARD + "acceptance: 合格\non: 2024-09-25\n"
    msgs = [f[3] for f in problems(text)]
    assert not any("belongs under" in m for m in msgs), msgs


@pytest.mark.parametrize(
    ("where", "key", "expected"),
    [
        ("top", "隐患名称", "unknown field '隐患名称': keys are written in English; write 'title'"),
        (
            "plan",
            "整改时限",
            "unknown field '整改时限': keys are written in English; write 'deadline'",
        ),
        (
            "top",
            "整改时限",
            "unknown field '整改时限': keys are written in English; did you mean "
            "'rectification_plan.deadline' (deadline)? write 'deadline' indented under "
            "'rectification_plan'",
        ),
        (
            "top",
            "完成时限",  # one of the words of 整改时限
            "unknown field '完成时限': keys are written in English; did you mean "
            "'rectification_plan.deadline' (deadline)? write 'deadline' indented under "
            "'rectification_plan'",
        ),
        (
            "plan",
            "隐患部位",
            "unknown field '隐患部位': keys are written in English; did you mean 'location' "
            "(location)? write 'location' at the start of the line, not indented",
        ),
        (
            "top",
            "批准人",
            "unknown field '批准人': keys are written in English; did you mean "
            "'extensions.approved_by' (approved by)? write 'approved_by' in the entries ('- ') "
            "of 'extensions'",
        ),
        ("top", "随便写的", "unknown field '随便写的': remove it or correct its spelling"),
    ],
)
def test_a_chinese_key_is_looked_up_in_the_vocabulary(where: str, key: str, expected: str) -> None:
    text = HAZARD + (f"{key}: x\n" if where == "top" else f"  {key}: x\n")
    msgs = [f[3] for f in problems(text)]
    assert expected in msgs, msgs
    assert not any(m.startswith("missing required field") for m in msgs)


def test_the_missing_field_a_chinese_key_stands_for_is_not_reported_twice() -> None:
    text = HAZARD.replace("title: 加油站", "隐患名称: 加油站").replace(
        "  deadline: 2024-09-30", "  整改时限: 2024-09-30"
    )
    msgs = [f[3] for f in problems(text)]
    assert msgs == [
        "unknown field '隐患名称': keys are written in English; write 'title'",
        "unknown field '整改时限': keys are written in English; write 'deadline'",
    ]


def test_chinese_keys_outside_hazards_are_not_guessed_from_the_hazard_vocabulary() -> None:
    # 完成时限 is a word of the hazard's 整改时限: in tasks.yaml it must not point there.
    text = (
        "tasks:\n  - number: 1\n    action: 一\n    title: t\n    text: t\n"
        "    完成时限: 2024-12-31\n    units: [镇安监站]\n"
    )
    msgs = [f[3] for f in problems(text, TasksFile, strip=2)]
    assert any(m.startswith("unknown field '完成时限': remove it") for m in msgs), msgs


def test_a_key_indented_with_a_full_width_space() -> None:
    text = HAZARD.replace("location: 卸油区", "\u3000location: 卸油区")
    (found,) = problems(text)
    assert found[:3] == (4, 1, ODD_INDENT)
    assert "'location' is indented with a full-width or non-breaking space (U+3000)" in found[3]


def test_a_colon_without_its_space_where_a_section_belongs() -> None:
    text = HAZARD + "rectification:\n  on:2024-09-20\n"
    (found,) = problems(text)
    assert found[:3] == (11, 5, MISSING_SPACE)
    assert found[3].endswith("put a space after ':', on: 2024-09-20")


def test_a_whole_file_on_one_line_without_the_space() -> None:
    (found,) = problems("title:电动车充电\n")
    assert found[:3] == (1, 6, MISSING_SPACE)


def test_a_dash_without_its_space_where_a_list_belongs() -> None:
    (found,) = problems(HAZARD + "notes:\n  -on: 2024-09-03\n")
    assert found[:3] == (11, 3, MISSING_DASH_SPACE)
    assert found[3].endswith("write '- on'")


def test_an_ordinary_wrong_type_keeps_its_message() -> None:
    (found,) = problems(HAZARD + "rectification: 已整改\n")
    assert found[3].startswith("'rectification' must be a mapping of keys and values, not text")


@pytest.mark.parametrize(
    ("parses", "broken", "template", "params"),
    [
        (
            "rectification:\n  on:2024-09-20\n",
            "rectification:\n  on:2024-09-20\n  by: 张三\n",
            MISSING_SPACE,
            {"key": "on", "value": "2024-09-20"},
        ),
        (
            "notes:\n  -on: 2024-09-03\n",
            "notes:\n  -on: 2024-09-03\n  - on: x\n",
            MISSING_DASH_SPACE,
            {"key": "on"},
        ),
        (
            "\u2002location: 卸油区\n",
            "enterprise:\n\u2002name: x\n  credit_code: y\n",
            ODD_INDENT,
            {"key": "location", "code": 0x2002},
        ),
    ],
)
def test_a_mistake_is_said_alike_whether_the_yaml_parses_or_not(
    parses: str, broken: str, template: str, params: dict[str, object]
) -> None:
    """One detector per mistake (yamlio/handedit.py) serves the schema and the syntax path."""
    text = HAZARD.replace("location: 卸油区\n", "") + parses
    (schema,) = parse_text(text, "f.yaml", Hazard).problems
    broken_parsed = parse_text(broken, "f.yaml", Hazard)
    assert broken_parsed.data is None  # libyaml refused it: the syntax path said it
    (syntax,) = broken_parsed.problems
    assert schema.template == syntax.template == template
    assert {k: schema.params[k] for k in params} == params
    assert syntax.params.keys() == params.keys()
    assert syntax.params.get("code") == params.get("code")
