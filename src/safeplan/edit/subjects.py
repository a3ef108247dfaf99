"""What each edit says: the one line the command prints, and its git commit subject.

The line is an English msgid with parameters, shown in the reader's language (``--lang``).
The commit subject follows the plan's language: the git log is the plan's history as the
office reads it, so a Chinese plan's log says ``隐患 HZ-20240315-A7K2：登记
井下主排水泵房排水能力不足``, an English one ``hazard HZ-20240315-A7K2: registered …``, never
half of each. Subjects are data written into the repository (like the reason of an automatic
reopening), so they do not follow ``--lang``.

One row holds all three words of an edit, so that a verb ends with one call
(``Context.change``) and a reader sees its line and its subjects side by side.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from safeplan import vocab
from safeplan.problems import N_, Coded, ListOf


class Words(NamedTuple):
    """An edit's line (``None`` where the edit picks it itself) and its commit subject in
    Chinese and in English. The line and the subjects take the same parameters; each
    uses the ones it names."""

    line: str | None
    zh: str
    en: str


_ACCEPTED = N_("{path}: acceptance (验收) recorded on {on} by {by}: {result}")

#: key → the words of that edit.
WORDS: dict[str, Words] = {
    # registration picks its line by the level and the plan: ``edit.register``
    "registered": Words(None, "隐患 {id}：登记 {title}", "hazard {id}: registered {title}"),
    "renumbered": Words(
        N_(
            "renumbered {old} to {new}: {path} is now {new_path} (mentions of the old id "
            "updated: {mentions})"
        ),
        "隐患 {old} → {new}：重新编号",
        "hazard {old} → {new}: renumbered",
    ),
    "rectified": Words(
        N_("{path}: rectification (整改) recorded on {on}"),
        "隐患 {id}：{on} 整改完成",
        "hazard {id}: rectified on {on}",
    ),
    "accepted": Words(_ACCEPTED, "隐患 {id}：验收合格（{by}）", "hazard {id}: accepted by {by}"),
    "failed": Words(
        _ACCEPTED, "隐患 {id}：验收不合格（{by}）", "hazard {id}: acceptance failed, by {by}"
    ),
    "closed": Words(
        N_("{path}: closed (销号) on {on}, reviewed by {reviewer}"),
        "隐患 {id}：销号（审核人 {reviewer}）",
        "hazard {id}: closed, reviewed by {reviewer}",
    ),
    "revoked": Words(
        N_(
            "{path}: closure revoked (撤销销号) on {on} ({reason}); the previous "
            "rectification, acceptance and closure are kept as history"
        ),
        "隐患 {id}：撤销销号：{reason}",
        "hazard {id}: closure revoked: {reason}",
    ),
    "again": Words(
        N_(
            "{path}: to be rectified again (重新整改) from {on} ({reason}); the failed "
            "cycle is kept as history"
        ),
        "隐患 {id}：重新整改：{reason}",
        "hazard {id}: to be rectified again: {reason}",
    ),
    "supervised": Words(
        N_("{path}: listed for supervision (挂牌督办) at {level} by {by} on {on}"),
        "隐患 {id}：{level}挂牌督办（{by}）",
        "hazard {id}: listed for {level} supervision by {by}",
    ),
    "lifted": Words(
        N_("{path}: supervision (挂牌督办) at {level} lifted on {on}"),
        "隐患 {id}：{level}挂牌督办摘牌",
        "hazard {id}: {level} supervision lifted",
    ),
    "double_report": Words(
        N_(
            "{path}: double report (双报告) recorded: regulator {regulator}, "
            "workers' congress {workers}"
        ),
        "隐患 {id}：记录双报告",
        "hazard {id}: double report recorded",
    ),
    "note": Words(
        N_("{path}: note added on {on}"), "隐患 {id}：{on} 备注", "hazard {id}: note on {on}"
    ),
    "withdrawn": Words(
        N_("{path}: withdrawn (撤销) on {on}: {reason}; the file and its history are kept"),
        "隐患 {id}：撤销登记：{reason}",
        "hazard {id}: withdrawn: {reason}",
    ),
    "extended": Words(
        N_("{path}: deadline extended (延期) from {old} to {new}, approved by {by} on {on}"),
        "隐患 {id}：延期至 {new}（批准人 {by}）",
        "hazard {id}: extended to {new}, approved by {by}",
    ),
    "plan": Words(
        N_("{path}: rectification plan (五落实) recorded on {on}: {fields}"),
        "隐患 {id}：录入“五落实”",
        "hazard {id}: rectification plan recorded",
    ),
    "plan_revised": Words(
        N_(
            "{path}: rectification plan (五落实) revised on {on}: {fields}; the previous "
            "plan is kept as history"
        ),
        "隐患 {id}：修订“五落实”",
        "hazard {id}: rectification plan revised",
    ),
    "corrected": Words(
        N_("{path}: corrected {fields} on {on}; the old values are kept as history"),
        "隐患 {id}：更正{fields}",
        "hazard {id}: corrected {fields}",
    ),
    "progress": Words(
        N_("{path}: task {number}: progress note added on {on}"),
        "任务 {number}：{on} 报送进展",
        "task {number}: progress on {on}",
    ),
    "done": Words(
        N_("{path}: task {number} done on {on}"),
        "任务 {number}：{on} 完成",
        "task {number}: done on {on}",
    ),
    "done_ongoing": Words(
        N_(
            "{path}: task {number} done on {on}; from now on it is kept up (此后长期坚持): a "
            "progress note {period}"
        ),
        "任务 {number}：{on} 完成，此后长期坚持",
        "task {number}: done on {on}, then ongoing",
    ),
    "revised": Words(
        N_(
            "{path}: task {number} revised on {on} ({reason}); the revision is recorded in "
            "plan/plan.yaml"
        ),
        "任务 {number}：修订：{reason}",
        "task {number}: revised: {reason}",
    ),
    "enterprise_registered": Words(
        N_("{path}: enterprise {id} registered: {name}"),
        "企业 {id}：登记 {name}",
        "enterprise {id}: registered {name}",
    ),
    "enterprise_fact": Words(
        N_("{path}: {fact} of {on} recorded"),
        "企业 {id}：{on} {fact}",
        "enterprise {id}: {fact} on {on}",
    ),
    "enterprise_state": Words(
        N_("{path}: {state} from {on}"),
        "企业 {id}：{on} 起{state}",
        "enterprise {id}: {state} from {on}",
    ),
    "enterprise_corrected": Words(
        N_("{path}: corrected {fields}"),
        "企业 {id}：更正{fields}",
        "enterprise {id}: corrected {fields}",
    ),
    "undone": Words(
        N_("{path}: task {number}: completion withdrawn on {on} ({reason}); it is kept as history"),
        "任务 {number}：撤回完成记录：{reason}",
        "task {number}: completion withdrawn: {reason}",
    ),
}

#: key → (Chinese, English) commit subject templates.
SUBJECTS: dict[str, tuple[str, str]] = {k: (w.zh, w.en) for k, w in WORDS.items()}


def subject(language: str, key: str, **params: Any) -> str:
    """The commit subject of an edit in the plan's language (``zh`` or ``en``); a coded
    value (``Coded``, as the edit's line has it) is its label: 县级 / county, 停产 /
    suspended; a list (``ListOf``) its items joined as the language joins them."""
    lang: vocab.Lang = "zh" if language == "zh" else "en"
    said = {k: _word(v, lang) for k, v in params.items()}
    return SUBJECTS[key][0 if lang == "zh" else 1].format(**said)


def _word(value: Any, lang: vocab.Lang) -> Any:
    if isinstance(value, Coded):
        return vocab.BY_NAME[value.vocabulary].label(value.code, lang)
    if isinstance(value, ListOf):
        return ("、" if lang == "zh" else ", ").join(str(_word(v, lang)) for v in value.items)
    return value
