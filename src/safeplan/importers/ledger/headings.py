"""What a ledger's headings mean: the words offices write for each column.

Headings are recognised from the labels of the record fields (``vocab.FIELD``: labels
and the words people write), the ledger's own headings in every language safeplan
speaks, and the variants below; a mapping file (``--map``) names the rest.

Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import NamedTuple

from safeplan import vocab
from safeplan.models.ledger import HAZARD_COLUMNS


class Extra(NamedTuple):
    """A column safeplan reads on import but does not write: its record field and kind."""

    field: str
    kind: str


#: Columns read on import beyond those the export writes (offices keep some of these).
IMPORT_ONLY: dict[str, Extra] = {
    "found_by": Extra("found_by", "text"),
    "responsible_person": Extra("responsible_person", "text"),
    "enterprise_address": Extra("enterprise.address", "text"),
    "notes": Extra("notes", "long"),
    "plan_on": Extra("rectification_plan.on", "date"),
    "rectification_note": Extra("rectification.note", "long"),
    "acceptance_note": Extra("acceptance.note", "long"),
    "closure_note": Extra("closure.note", "long"),
    "supervision_level": Extra("supervision.level", "coded"),
    "supervision_by": Extra("supervision.by", "text"),
    "supervision_listed_on": Extra("supervision.listed_on", "date"),
    "supervision_lifted_on": Extra("supervision.lifted_on", "date"),
    "regulator_on": Extra("double_report.regulator_on", "date"),
    "workers_on": Extra("double_report.workers_on", "date"),
}

#: Every column key a ledger may have, with its kind.
KINDS: dict[str, str] = {c.key: c.kind for c in HAZARD_COLUMNS} | {
    k: e.kind for k, e in IMPORT_ONLY.items()
}

#: FIELD codes whose label and words name a column (besides the columns' own fields).
FIELD_KEYS: dict[str, str] = {
    "enterprise": "enterprise",
    "rectification_plan": "measures",
    "rectification_plan.funds": "funds",
    "rectification_plan.contingency_plan": "contingency_plan",
    "acceptance": "acceptance_result",
    "acceptance.result": "acceptance_result",
    "closure.reviewer": "reviewer",
    "rectification": "state",
    "extensions": "extended_to",
    **{e.field: k for k, e in IMPORT_ONLY.items()},
}

#: Headings offices write that no label or FIELD word covers, by column.
VARIANTS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "No", "No.", "#"),
    "title": ("隐患名称", "隐患内容", "隐患问题", "存在问题", "存在的问题", "隐患"),
    "description": ("隐患详情", "隐患具体情况"),
    "enterprise": ("企业（单位）名称", "被检查单位", "被检查单位名称", "企业单位名称"),
    "credit_code": ("社会信用代码", "统一信用代码"),
    "industry": ("所属行业", "行业类别", "所属行业领域"),
    "location": ("具体部位", "所在部位", "隐患所在部位", "隐患地点"),
    "level": ("隐患类别", "隐患分级"),
    "source": ("发现方式", "排查方式", "隐患发现方式"),
    "discovered_on": ("排查时间", "检查时间", "登记日期", "排查发现日期", "发现时间"),
    "measures": ("整改措施及方案", "主要整改措施"),
    "funds": (
        "整改资金（万元）",
        "整改资金(万元)",
        "资金（万元）",
        "投入资金（万元）",
        "整改投入（万元）",
        "整改资金（元）",
        "投入资金",
        "整改投入",
    ),
    "deadline": ("整改完成时限", "要求整改时限", "要求完成时间", "整改时限（日期）"),
    "extended_to": ("延期时限", "延期后时限", "延长期限", "延期后整改时限"),
    "extension_on": ("延期批准时间", "延期日期", "批准延期日期"),
    "extension_approved_by": ("延期审批人", "批准延期人", "延期批准单位"),
    "failed_acceptances": ("验收不合格情况", "不合格验收记录"),
    "responsible_unit": ("监管部门", "责任部门", "属地责任单位", "牵头单位"),
    "plan_person": ("整改负责人", "负责人"),
    "contingency_plan": (
        "应急预案/临时管控措施",
        "临时管控措施",
        "管控措施",
        "应急预案及临时管控措施",
        "安全防范措施",
        "防范措施",
    ),
    "rectified_on": (
        "整改完成时间",
        "实际完成时间",
        "实际完成日期",
        "整改完成情况",
        "完成时间",
        "整改完成日期（时间）",
    ),
    "accepted_on": ("验收完成日期",),
    "accepted_by": ("验收人员", "验收部门"),
    "acceptance_result": ("验收结论", "验收意见结论", "是否验收合格"),
    "closed_on": ("销号完成日期",),
    "reviewer": ("审核人", "销号人", "销号审核", "审核把关人"),
    "supervision": ("挂牌督办情况", "是否挂牌督办", "督办情况"),
    "double_report": ("是否双报告", "双报告情况", "双报告日期"),
    "state": (
        "状态",
        "整改状态",
        "隐患状态",
        "治理状态",
        "整改进度",
        "整改结果",
        "整改情况",
        "整改落实情况",
        "治理情况",
    ),
    "overdue": ("是否逾期", "逾期", "是否超期"),
}


def fold(word: str) -> str:
    """How headings are compared: full-width folded, spaces, line breaks and brackets ignored."""
    text = unicodedata.normalize("NFKC", word)
    text = re.sub(r"[\s\u3000]+", "", text)
    return text.replace("（", "(").replace("）", ")").casefold()


def heading_index(gettexts: Iterable[Callable[[str], str]]) -> dict[str, str]:
    """Folded heading → column key, from every source of words, in one language or more.

    ``gettexts`` translate the ledger's own headings (the CLI passes each language's)."""
    index: dict[str, str] = {}

    def add(word: str | None, key: str) -> None:
        if word:
            index.setdefault(fold(word), key)

    for key, words in VARIANTS.items():
        for w in words:
            add(w, key)
    for c in HAZARD_COLUMNS:
        if c.msgid is not None:
            for gt in gettexts:
                add(gt(c.msgid), c.key)
            add(c.msgid, c.key)
    by_field = {c.field: c.key for c in HAZARD_COLUMNS if c.field} | FIELD_KEYS
    for term in vocab.FIELD.terms:
        found = by_field.get(term.code)
        if found is None:
            continue
        names: tuple[str | None, ...] = (term.zh, term.en, term.zh_long, term.en_long, *term.words)
        for name in names:
            add(name, found)
    return index


def funds_unit(heading: str) -> int | None:
    """What a bare number in a funds column counts: 万元 (10,000), 元 (1), or unknown."""
    text = unicodedata.normalize("NFKC", heading)
    if "万元" in text or "万" in text or "10,000 yuan" in text.lower():
        return 10_000
    if "元" in text or "yuan" in text.lower():
        return 1
    return None
