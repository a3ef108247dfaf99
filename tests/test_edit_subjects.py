"""Commit subjects that name a coded value (a supervision level, an enterprise's fact or
state) write its label in the plan's language: ``edit.subjects.word``, for every verb."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import enterprise_plan
from safeplan import edit
from safeplan.edit import enterprises

HZ = "HZ-20240315-K7Q2"
CHEM = "91150425MA0N00002W"
FIREWORKS = "91150425MA0N00011T"


def _root(tmp_path: Path, language: str) -> Path:
    root = enterprise_plan(tmp_path / "plan-root")
    plan = root / "plan" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    assert "language: zh-CN\n" in text
    plan.write_text(text.replace("language: zh-CN\n", f"language: {language}\n"), "utf-8")
    commented = Path(__file__).parent / "data" / "edit" / "commented.yaml"
    shutil.copy(commented, root / "data" / "hazards" / f"{HZ}.yaml")
    return root


@pytest.mark.parametrize(
    ("language", "supervised", "state", "fact"),
    [
        (
            "zh-CN",
            f"隐患 {HZ}：市级挂牌督办（某市安委办）",
            f"企业 {CHEM}：2025-11-01 起停产",
            f"企业 {FIREWORKS}：2025-12-03 安全培训",
        ),
        (
            "en",
            f"hazard {HZ}: listed for city supervision by 某市安委办",
            f"enterprise {CHEM}: suspended from 2025-11-01",
            f"enterprise {FIREWORKS}: training on 2025-12-03",
        ),
    ],
)
def test_a_coded_value_in_a_subject_is_its_label_in_the_plan_s_language(
    tmp_path: Path, language: str, supervised: str, state: str, fact: str
) -> None:
    root = _root(tmp_path, language)
    done = edit.supervise(root, HZ, "市级", "某市安委办", dt.date(2024, 4, 1), write=False)
    assert done.commit_message == supervised
    done = enterprises.set_state(root, CHEM, "停产", dt.date(2025, 11, 1), "停产整顿", write=False)
    assert done.commit_message == state
    values = {"topic": "烟花爆竹储存"}
    done = enterprises.add_fact(root, FIREWORKS, "training", dt.date(2025, 12, 3), values, False)
    assert done.commit_message == fact


@pytest.mark.parametrize(
    ("language", "corrected", "extended", "enterprise", "line"),
    [
        (
            "zh-CN",
            f"隐患 {HZ}：更正隐患名称、责任人",
            f"隐患 {HZ}：延期至 2024-08-31（批准人 镇长）",
            f"企业 {CHEM}：更正村/社区、地址",
            "data/hazards/HZ-20240315-K7Q2.yaml: deadline extended (延期) from 2024-06-30 to "
            "2024-08-31, approved by 镇长 on 2024-06-01",
        ),
        (
            "en",
            f"hazard {HZ}: corrected hazard, responsible person",
            f"hazard {HZ}: extended to 2024-08-31, approved by 镇长",
            f"enterprise {CHEM}: corrected village, address",
            "data/hazards/HZ-20240315-K7Q2.yaml: deadline extended (延期) from 2024-06-30 to "
            "2024-08-31, approved by 镇长 on 2024-06-01",
        ),
    ],
)
def test_a_verb_s_line_and_subject_come_from_one_row_of_words(
    tmp_path: Path, language: str, corrected: str, extended: str, enterprise: str, line: str
) -> None:
    """``subjects.WORDS``: the line and the subject of an edit take the same parameters; a
    list of fields is their labels joined as the plan's language joins them."""
    from safeplan.render.i18n import translator
    from safeplan.render.text import render

    root = _root(tmp_path, language)
    on = dt.date(2024, 6, 1)
    values = {"title": "井下主排水泵房排水能力不足", "responsible_person": "王五"}
    done = edit.edit_registration(root, HZ, values, on, write=False)
    assert done.commit_message == corrected
    done = edit.extend(root, HZ, dt.date(2024, 8, 31), "设备到货延迟", "镇长", on, write=False)
    assert done.commit_message == extended
    assert render(done.template, done.params, translator("en")) == line
    values = {"village": "东村", "address": "东路1号"}
    done = enterprises.correct(root, CHEM, values, dt.date(2025, 11, 1), write=False)
    assert done.commit_message == enterprise


@pytest.mark.parametrize(
    ("language", "subject"),
    [("zh-CN", "任务 1：修订：镇长办公会调整"), ("en", "task 1: revised: 镇长办公会调整")],
)
def test_a_task_revision_s_subject_is_in_the_plans_language(
    tmp_path: Path, language: str, subject: str
) -> None:
    """It was ``task 1: 修订 (revised): …`` in any plan: half of each language."""
    root = _root(tmp_path, language)
    day = dt.date(2024, 6, 1)
    done = edit.task_revise(
        root, 1, day, "镇长办公会调整", deadline=dt.date(2026, 6, 30), write=False
    )
    assert done.commit_message.splitlines()[0] == subject
