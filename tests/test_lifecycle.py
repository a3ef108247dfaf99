"""One major hazard through its whole life, from the command line, byte for byte.

new → report → supervise → rectify → accept → close → reopen → rectify → accept → close,
comparing the file after each step with the text a careful person would have written,
and its status at dates in between (computed from the file as it stood, and from the
final file: the facts reproduce every earlier day).
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.edit import register as ids

HZ = "HZ-20240315-A7K2"

NEW = """\
# yaml-language-server: $schema=../../schemas/hazard.schema.json
id: HZ-20240315-A7K2
title: 井下主排水泵房排水能力不足
level: major
industry: 煤矿
enterprise:
  name: 某镇某煤矿有限公司
location: 井下-350水平主泵房
discovered_on: 2024-03-15
source: self-check
found_by: 镇安监站 张三
responsible_unit: 镇安监站
responsible_person: 李四
rectification_plan:
  measures: 增设一台主排水泵并完善配套管路
  funds: 45万元
  deadline: 2024-06-30
  responsible_person: 王五
  contingency_plan: 停止受影响采区作业，撤出人员，临时排水
"""

REPORTED = (
    NEW
    + """\
double_report:
  regulator_on: 2024-03-16
  workers_on: 2024-03-18
"""
)

SUPERVISED = (
    NEW
    + """\
supervision:
  - level: county
    by: 某县安委办
    listed_on: 2024-03-20
double_report:
  regulator_on: 2024-03-16
  workers_on: 2024-03-18
"""
)

CYCLE1 = """\
rectification:
  on: 2024-06-20
  note: 已增设排水泵
  evidence: [evidence/HZ-20240315-A7K2/rectified.pdf]
"""
ACCEPTANCE1 = """\
acceptance:
  on: 2024-06-28
  by: 县应急管理局 赵六
  result: passed
"""
CLOSURE1 = """\
closure:
  on: 2024-07-02
  reviewer: 镇安监站 站长
"""
TAIL = """\
supervision:
  - level: county
    by: 某县安委办
    listed_on: 2024-03-20
double_report:
  regulator_on: 2024-03-16
  workers_on: 2024-03-18
"""

RECTIFIED = NEW + CYCLE1 + TAIL
ACCEPTED = NEW + CYCLE1 + ACCEPTANCE1 + TAIL
CLOSED = NEW + CYCLE1 + ACCEPTANCE1 + CLOSURE1 + TAIL

REOPENED = (
    NEW
    + TAIL
    + """\
reopenings:
  - on: 2024-09-01
    reason: 复查发现排水泵故障
    by: 镇安监站 张三
    previous:
      rectification:
        on: 2024-06-20
        note: 已增设排水泵
        evidence: [evidence/HZ-20240315-A7K2/rectified.pdf]
      acceptance:
        on: 2024-06-28
        by: 县应急管理局 赵六
        result: passed
      closure:
        on: 2024-07-02
        reviewer: 镇安监站 站长
"""
)

CYCLE2 = """\
rectification:
  on: 2024-09-20
  note: 更换故障水泵
"""
ACCEPTANCE2 = """\
acceptance:
  on: 2024-09-25
  by: 县应急管理局 赵六
  result: passed
"""
CLOSURE2 = """\
closure:
  on: 2024-09-30
  reviewer: 镇安监站 站长
  note: 复查合格
"""

RE_RECTIFIED = NEW + CYCLE2 + REOPENED[len(NEW) :]
RE_ACCEPTED = NEW + CYCLE2 + ACCEPTANCE2 + REOPENED[len(NEW) :]
RE_CLOSED = NEW + CYCLE2 + ACCEPTANCE2 + CLOSURE2 + REOPENED[len(NEW) :]


def _state(path: Path, on: str) -> tuple[str, bool]:
    from safeplan.models import Hazard, summarize
    from safeplan.repo.parse import parse_file
    from safeplan.status import hazard_status

    parsed = parse_file(path, path.name, Hazard)
    hazard = parsed.record
    assert isinstance(hazard, Hazard), parsed.problems
    status = hazard_status(summarize(hazard, path.name), dt.date.fromisoformat(on))
    return status.state, status.overdue


@pytest.fixture
def fixed_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    letters = itertools.cycle("A7K2")
    monkeypatch.setattr(ids, "default_choice", lambda alphabet: next(letters))


def test_life_of_a_major_hazard(plan_root: Path, runner: CliRunner, fixed_ids: None) -> None:
    path = plan_root / "data" / "hazards" / f"{HZ}.yaml"
    root = ["--root", str(plan_root), "--lang", "en"]

    def step(args: list[str], expected: str, says: str) -> None:
        result = runner.invoke(app, ["hazard", *args, *root])
        assert result.exit_code == 0, result.output
        assert path.read_bytes() == expected.encode("utf-8"), path.read_text()
        lines = result.output.strip().splitlines()
        assert says in lines[-1]

    step(
        [
            "new",
            "--title", "井下主排水泵房排水能力不足",
            "--level", "major",
            "--unit", "镇安监站",
            "--source", "self-check",
            "--discovered", "2024-03-15",
            "--industry", "煤矿",
            "--enterprise", "某镇某煤矿有限公司",
            "--location", "井下-350水平主泵房",
            "--found-by", "镇安监站 张三",
            "--person", "李四",
            "--measures", "增设一台主排水泵并完善配套管路",
            "--funds", "45万元",
            "--deadline", "2024-06-30",
            "--plan-person", "王五",
            "--contingency", "停止受影响采区作业，撤出人员，临时排水",
        ],
        NEW,
        f"registered {HZ}",
    )  # fmt: skip
    assert _state(path, "2024-03-15") == ("open", False)

    step(["report", HZ, "--regulator", "2024-03-16", "--workers", "2024-03-18"], REPORTED, "双报告")
    step(
        ["supervise", HZ, "--level", "县级", "--by", "某县安委办", "--on", "2024-03-20"],
        SUPERVISED,
        "挂牌督办",
    )
    step(
        [
            "rectify", HZ, "--on", "2024-06-20", "--note", "已增设排水泵",
            "--evidence", f"evidence/{HZ}/rectified.pdf",
        ],
        RECTIFIED,
        "rectification (整改) recorded on 2024-06-20",
    )  # fmt: skip
    assert _state(path, "2024-06-19") == ("open", False)
    assert _state(path, "2024-06-25") == ("rectified", False)

    step(
        ["accept", HZ, "--on", "2024-06-28", "--by", "县应急管理局 赵六"],
        ACCEPTED,
        "acceptance (验收) recorded on 2024-06-28",
    )
    assert _state(path, "2024-06-29") == ("accepted", False)
    # Rectified before the deadline: not overdue once it passes, whatever comes after.
    assert _state(path, "2024-07-01") == ("accepted", False)

    step(
        ["close", HZ, "--on", "2024-07-02", "--by", "镇安监站 站长"],
        CLOSED,
        "closed (销号) on 2024-07-02",
    )
    assert _state(path, "2024-07-02") == ("closed", False)
    assert _state(path, "2024-08-31") == ("closed", False)

    step(
        [
            "reopen",
            HZ,
            "--on",
            "2024-09-01",
            "--reason",
            "复查发现排水泵故障",
            "--by",
            "镇安监站 张三",
        ],
        REOPENED,
        "closure revoked (撤销销号) on 2024-09-01",
    )
    # The reopening does not rewrite the past: August was closed, September is open again.
    assert _state(path, "2024-08-31") == ("closed", False)
    assert _state(path, "2024-09-10") == ("open", True)

    step(
        ["rectify", HZ, "--on", "2024-09-20", "--note", "更换故障水泵"],
        RE_RECTIFIED,
        "rectification (整改) recorded on 2024-09-20",
    )
    step(
        ["accept", HZ, "--on", "2024-09-25", "--by", "县应急管理局 赵六"],
        RE_ACCEPTED,
        "acceptance (验收) recorded on 2024-09-25",
    )
    step(
        ["close", HZ, "--on", "2024-09-30", "--by", "镇安监站 站长", "--note", "复查合格"],
        RE_CLOSED,
        "closed (销号) on 2024-09-30",
    )

    # The final file answers for every day of the hazard's life.
    for on, expected in [
        ("2024-03-15", ("open", False)),
        ("2024-06-25", ("rectified", False)),
        ("2024-06-29", ("accepted", False)),
        ("2024-07-10", ("closed", False)),
        ("2024-09-10", ("open", True)),
        # rectified again after the deadline: rectified late, no longer overdue
        ("2024-09-22", ("rectified", False)),
        ("2024-09-27", ("accepted", False)),
        ("2024-09-30", ("closed", False)),
        ("2026-12-31", ("closed", False)),
    ]:
        assert _state(path, on) == expected, on

    # And the whole plan still validates.
    result = runner.invoke(app, ["validate", *root])
    assert result.exit_code == 0, result.output
