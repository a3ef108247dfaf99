"""The git commit subject of each edit, in the plan's language.

The git log is the plan's history as the office reads it: a Chinese plan's log says
``隐患 HZ-20240315-A7K2：登记 井下主排水泵房排水能力不足``, an English one
``hazard HZ-20240315-A7K2: registered …``, never half of each. These are data written
into the repository (like the reason of an automatic reopening), so they follow the
plan's language, not the reader's ``--lang``.
"""

from __future__ import annotations

from typing import Any

from safeplan import vocab
from safeplan.problems import Coded

#: key → (Chinese, English) templates.
SUBJECTS: dict[str, tuple[str, str]] = {
    "registered": ("隐患 {id}：登记 {title}", "hazard {id}: registered {title}"),
    "renumbered": ("隐患 {old} → {new}：重新编号", "hazard {old} → {new}: renumbered"),
    "rectified": ("隐患 {id}：{on} 整改完成", "hazard {id}: rectified on {on}"),
    "accepted": ("隐患 {id}：验收合格（{by}）", "hazard {id}: accepted by {by}"),
    "failed": ("隐患 {id}：验收不合格（{by}）", "hazard {id}: acceptance failed, by {by}"),
    "closed": ("隐患 {id}：销号（审核人 {by}）", "hazard {id}: closed, reviewed by {by}"),
    "revoked": ("隐患 {id}：撤销销号：{reason}", "hazard {id}: closure revoked: {reason}"),
    "again": ("隐患 {id}：重新整改：{reason}", "hazard {id}: to be rectified again: {reason}"),
    "supervised": (
        "隐患 {id}：{level}挂牌督办（{by}）",
        "hazard {id}: listed for {level} supervision by {by}",
    ),
    "lifted": ("隐患 {id}：{level}挂牌督办摘牌", "hazard {id}: {level} supervision lifted"),
    "double_report": ("隐患 {id}：记录双报告", "hazard {id}: double report recorded"),
    "note": ("隐患 {id}：{on} 备注", "hazard {id}: note on {on}"),
    "withdrawn": ("隐患 {id}：撤销登记：{reason}", "hazard {id}: withdrawn: {reason}"),
    "extended": (
        "隐患 {id}：延期至 {to}（批准人 {by}）",
        "hazard {id}: extended to {to}, approved by {by}",
    ),
    "plan": ("隐患 {id}：录入“五落实”", "hazard {id}: rectification plan recorded"),
    "plan_revised": ("隐患 {id}：修订“五落实”", "hazard {id}: rectification plan revised"),
    "corrected": ("隐患 {id}：更正{fields}", "hazard {id}: corrected {fields}"),
    "progress": ("任务 {number}：{on} 报送进展", "task {number}: progress on {on}"),
    "done": ("任务 {number}：{on} 完成", "task {number}: done on {on}"),
    "enterprise_registered": ("企业 {id}：登记 {name}", "enterprise {id}: registered {name}"),
    "enterprise_fact": ("企业 {id}：{on} {fact}", "enterprise {id}: {fact} on {on}"),
    "enterprise_state": ("企业 {id}：{on} 起{state}", "enterprise {id}: {state} from {on}"),
    "enterprise_corrected": ("企业 {id}：更正{fields}", "enterprise {id}: corrected {fields}"),
    "undone": (
        "任务 {number}：撤回完成记录：{reason}",
        "task {number}: completion withdrawn: {reason}",
    ),
}


def subject(language: str, key: str, **params: Any) -> str:
    """The commit subject of an edit in the plan's language (``zh`` or ``en``); a coded
    value (``Coded``, as the edit's line has it) is its label: 县级 / county, 停产 / suspended."""
    lang: vocab.Lang = "zh" if language == "zh" else "en"
    said = {
        k: vocab.BY_NAME[v.vocabulary].label(v.code, lang) if isinstance(v, Coded) else v
        for k, v in params.items()
    }
    return SUBJECTS[key][0 if lang == "zh" else 1].format(**said)


def field_words(language: str, fields: list[str]) -> str:
    """The corrected fields by their labels: 隐患名称、责任单位 / title, responsible unit."""
    lang: vocab.Lang = "zh" if language == "zh" else "en"
    return ("、" if lang == "zh" else ", ").join(vocab.FIELD.label(f, lang) for f in fields)
