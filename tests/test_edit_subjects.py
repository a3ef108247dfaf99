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
