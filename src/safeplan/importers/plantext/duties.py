"""The duties of enterprises a plan text states, in the national wording: task 6's
principal-led check (每季度……至少开展1次检查，其中高危行业领域每月至少1次), task 11's
certificates (高危企业主要负责人、安全管理人员100%持证上岗), task 13's drill (每年至少组织
开展1次疏散逃生演练（高危行业领域每半年至少1次）).

A duty is read only when its sentence is worded as the national plan words it; a task
that speaks of the same thing in other words gets no duty, and a finding says so, so
that nothing is declared that the text does not say."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from safeplan.importers.plantext.lines import Findings
from safeplan.importers.plantext.parsed import ParsedTask
from safeplan.models.records import Duty
from safeplan.problems import N_

_N = r"(?:1|１|一)"
_CHECK = re.compile(rf"每季度[^。；]*?至少开展{_N}次检查[^。；]*?高危行业(?:领域)?每月至少{_N}次")
_CERTIFIED = re.compile(r"高危企业主要负责人、安全(?:生产)?管理人员100[%％]持证上岗")
_DRILL = re.compile(
    rf"每年至少组织开展{_N}次疏散逃生演练[（(]高危行业(?:领域)?每半年至少{_N}次[）)]"
)
#: What a task speaks of when a duty could be meant: a task that says it in other words
#: is named in a finding.
_TOPICS = (
    ("principal_check", "带队", _CHECK),
    ("certified", "持证上岗", _CERTIFIED),
    ("evacuation_drill", "疏散逃生演练", _DRILL),
)
_DIFFERS = N_(
    "task {number} speaks of {topic} but not in the national plan's wording, so no duty "
    "was declared for it: if the plan sets one, add it under 'duties:' in plan/plan.yaml"
)


def _duty(key: str, task: ParsedTask, start: dt.date) -> Duty:
    if key == "principal_check":
        values: dict[str, object] = {
            "title": "主要负责人带队检查重大事故隐患",
            "every": "quarter",
            "high_risk_every": "month",
            "fulfilled_by": "check",
        }
    elif key == "certified":
        values = {
            "title": "高危企业主要负责人、安全管理人员持证上岗",
            "applies_to": "high_risk",
            "fulfilled_by": "certificate",
            "roles": ["principal", "safety_manager"],
        }
    else:
        values = {
            "title": "疏散逃生演练",
            "every": "year",
            "high_risk_every": "half-year",
            "fulfilled_by": "drill",
        }
    return Duty.model_validate({"id": key, "task": task.number, **values, "from": start})


def read_duties(find: Findings, tasks: Sequence[ParsedTask], start: dt.date) -> list[Duty]:
    """The duties the tasks state, each once, in task order; findings for the rest."""
    out: list[Duty] = []
    taken: set[str] = set()
    for task in tasks:
        for key, topic, pattern in _TOPICS:
            if topic not in task.text:
                continue
            if pattern.search(task.text) and key not in taken:
                out.append(_duty(key, task, start))
                taken.add(key)
            elif key not in taken:
                find(task.line, "duty-wording", _DIFFERS, number=task.number, topic=topic)
    return out
