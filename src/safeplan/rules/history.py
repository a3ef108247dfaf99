"""Facts are append-only: what a base revision recorded must still be recorded.

A rectification, acceptance, closure, supervision, extension, withdrawal, reopening or
note of a hazard, and a progress note, completion or reopening of a task, may be added
to but never removed or changed. A reopening moves the current cycle under
``reopenings``: the facts are still there, so that is not a loss. Registration facts
(the title, the unit…) may be corrected.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from safeplan.models.records import CORRECTABLE_FIELDS, Hazard, Task
from safeplan.problems import N_, Coded, Finding, Fragment

_CYCLE = ("rectification", "acceptance", "closure")
_WHAT = {
    "rectification": N_("the rectification (整改) of {on}"),
    "acceptance": N_("the acceptance (验收) of {on}"),
    "closure": N_("the closure (销号) of {on}"),
    "reopening": N_("the reopening of {on}"),
    "note": N_("the note of {on}"),
    "extension": N_("the extension (延期) of {on}"),
    "withdrawal": N_("the withdrawal (撤销) of {on}"),
    "plan": N_("the rectification plan (五落实) with the deadline {on}"),
    "plan_revision": N_("the plan revision of {on}"),
    "correction": N_("the correction of {on}"),
    "progress": N_("the progress note of {on}"),
    "done": N_("the completion of {on}"),
}
_LOST = N_(
    "{fact} recorded in {ref} is no longer in the record: facts are never removed or "
    "changed; put it back as it was (git show {ref}:{path}), and record a correction as a "
    "new fact"
)


def contains(big: Any, small: Any) -> bool:
    """Whether ``big`` holds everything ``small`` does (mappings may gain keys, lists items)."""
    if isinstance(small, dict):
        return isinstance(big, dict) and all(
            k in big and contains(big[k], v) for k, v in small.items()
        )
    if isinstance(small, list):
        return isinstance(big, list) and all(any(contains(b, s) for b in big) for s in small)
    return bool(big == small)


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json", exclude_none=True, exclude_defaults=False)


def _lost(path: tuple[str | int, ...], what: str, on: object, ref: str, rel: str) -> Finding:
    return _removed(path, Fragment(_WHAT[what], {"on": on}), ref, rel)


def _removed(path: tuple[str | int, ...], fact: Fragment, ref: str, rel: str) -> Finding:
    return Finding(
        path, "fact-removed", _LOST, {"fact": fact, "ref": ref, "path": rel}, at_key=True
    )


def lost_hazard_facts(base: Hazard, now: Hazard, ref: str, rel: str) -> list[Finding]:
    """The facts ``base`` recorded that ``now`` no longer holds."""
    out: list[Finding] = []
    cycles = [
        {k: _dump(getattr(c, k)) for k in _CYCLE if getattr(c, k) is not None} for c in now.cycles()
    ]
    for key in _CYCLE:
        fact = getattr(base, key)
        if fact is not None and not any(contains(c.get(key), _dump(fact)) for c in cycles):
            out.append(_lost((key,), key, fact.on, ref, rel))
    current_reopenings = [_dump(r) for r in now.reopenings]
    for r in base.reopenings:
        if not any(contains(c, _dump(r)) for c in current_reopenings):
            out.append(_lost(("reopenings",), "reopening", r.on, ref, rel))
    out += _lost_supervision(base, now, ref, rel)
    out += _lost_double_report(base, now, ref, rel)
    out += _lost_items(base.notes, now.notes, ("notes",), "note", ref, rel)
    out += _lost_items(base.extensions, now.extensions, ("extensions",), "extension", ref, rel)
    out += _lost_items(
        base.plan_revisions, now.plan_revisions, ("plan_revisions",), "plan_revision", ref, rel
    )
    out += _lost_items(base.corrections, now.corrections, ("corrections",), "correction", ref, rel)
    if base.withdrawal is not None and (
        now.withdrawal is None or not contains(_dump(now.withdrawal), _dump(base.withdrawal))
    ):
        out.append(_lost(("withdrawal",), "withdrawal", base.withdrawal.on, ref, rel))
    out += _lost_plan(base, now, ref, rel)
    out += _uncorrected(base, now, ref)
    return out


def _lost_supervision(base: Hazard, now: Hazard, ref: str, rel: str) -> list[Finding]:
    current = [_dump(s) for s in now.supervision]
    return [
        _removed(
            ("supervision",),
            Fragment(
                N_("the listing for supervision (挂牌督办) at {level} by {by} of {on}"),
                {"level": Coded("supervision level", s.level), "by": s.by, "on": s.listed_on},
            ),
            ref,
            rel,
        )
        for s in base.supervision
        if not any(contains(c, _dump(s)) for c in current)
    ]


def _lost_double_report(base: Hazard, now: Hazard, ref: str, rel: str) -> list[Finding]:
    out: list[Finding] = []
    base_report, now_report = base.double_report, now.double_report
    for key, label in (
        ("regulator_on", N_("the report to the regulator (双报告) of {on}")),
        ("workers_on", N_("the report to the workers' congress (双报告) of {on}")),
    ):
        was = getattr(base_report, key) if base_report else None
        if was is not None and (now_report is None or getattr(now_report, key) != was):
            out.append(_removed(("double_report",), Fragment(label, {"on": was}), ref, rel))
    return out


def _lost_plan(base: Hazard, now: Hazard, ref: str, rel: str) -> list[Finding]:
    """A plan may be completed (fields added) or revised with 'hazard plan' (the old one
    kept under plan_revisions), never rewritten in place."""
    old = base.rectification_plan
    if old is None:
        return []
    versions = [_dump(v) for v in now.plan_versions()]
    if any(contains(v, _dump(old)) for v in versions):
        return []
    return [_lost(("rectification_plan",), "plan", old.deadline, ref, rel)]


def _uncorrected(base: Hazard, now: Hazard, ref: str) -> list[Finding]:
    """A registration fact changed by hand leaves no trace of what it was: a warning."""
    out: list[Finding] = []
    recorded = {(c.field, c.to) for c in now.corrections}
    for key in CORRECTABLE_FIELDS:
        was, is_now = base.registration_value(key), now.registration_value(key)
        if was != is_now and (key, is_now) not in recorded:
            out.append(
                Finding(
                    tuple(key.split(".")),
                    "uncorrected-change",
                    N_(
                        "'{field}' changed since {ref} (it was '{was}') without a record of the "
                        "correction: make corrections with 'safeplan hazard edit', which keeps "
                        "the old value"
                    ),
                    {"field": key, "ref": ref, "was": was or "—"},
                    severity="warning",
                )
            )
    return out


def _lost_items(
    base: Iterable[Any],
    now: Iterable[Any],
    path: tuple[str | int, ...],
    what: str,
    ref: str,
    rel: str,
) -> list[Finding]:
    current = [_dump(x) for x in now]
    return [
        _lost(path, what, x.on, ref, rel)
        for x in base
        if not any(contains(c, _dump(x)) for c in current)
    ]


def lost_task_facts(base: Sequence[Task], now: Sequence[Task], ref: str, rel: str) -> list[Finding]:
    """The progress notes, completions and reopenings of tasks that are gone."""
    out: list[Finding] = []
    by_number = {t.number: (i, t) for i, t in enumerate(now)}
    for old in base:
        found = by_number.get(old.number)
        if found is None:
            if old.progress or old.done or old.reopenings:
                out.append(
                    Finding(
                        ("tasks",),
                        "task-removed",
                        N_(
                            "task {number} was in {ref} with its progress and is gone: a task "
                            "with a record of its work is never deleted; put it back "
                            "(git show {ref}:{path})"
                        ),
                        {"number": old.number, "ref": ref, "path": rel},
                        at_key=True,
                    )
                )
            continue
        i, task = found
        here: tuple[str | int, ...] = ("tasks", i)
        out += _lost_items(old.progress, task.progress, (*here, "progress"), "progress", ref, rel)
        if old.done is not None:
            withdrawn = [r.previous for r in task.reopenings if r.previous is not None]
            candidates = [_dump(d) for d in (task.done, *withdrawn) if d is not None]
            if not any(contains(c, _dump(old.done)) for c in candidates):
                out.append(_lost((*here, "done"), "done", old.done.on, ref, rel))
        out += _lost_items(
            old.reopenings, task.reopenings, (*here, "reopenings"), "reopening", ref, rel
        )
    return out
