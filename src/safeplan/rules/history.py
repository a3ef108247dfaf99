"""Facts are append-only: what a base revision recorded must still be recorded.

A rectification, acceptance, closure, supervision, extension, withdrawal, reopening or
note of a hazard, and a progress note, completion or reopening of a task, may be added
to but never removed or changed. A reopening moves the current cycle under
``reopenings``: the facts are still there, so that is not a loss. Registration facts
(the title, the level, the unit…) may be corrected, with a dated correction that keeps
what they were (``hazard edit``); a change without one is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from safeplan.models.enterprises import ENTERPRISE_FIELDS
from safeplan.models.hazards import EDIT_OPTIONS, REASONED_FIELDS, REGISTRATION_FIELDS, Hazard
from safeplan.models.records import Task
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


_UNCORRECTED = N_(
    "{field} changed since {ref} from '{was}' to '{now}' with no record of the correction: "
    "put back '{was}' and record the change with '{command}', which keeps the old value"
)


def _command(hazard_id: str, key: str, value: str | None) -> str:
    """The ``hazard edit`` that records a change of ``key`` to ``value`` properly."""
    option = EDIT_OPTIONS[key]
    reason = " --reason …" if key in REASONED_FIELDS else ""
    return f"safeplan hazard edit {hazard_id} {option} {value or '…'}{reason}"


def _uncorrected(base: Hazard, now: Hazard, ref: str) -> list[Finding]:
    """A registration fact changed by hand leaves no trace of what it was: an error, as the
    level, the source and the discovery day decide which goal and column a hazard counts in."""
    out: list[Finding] = []
    recorded = {(c.field, c.to) for c in now.corrections}
    new = [
        c
        for c in now.corrections
        if not any(contains(_dump(b), _dump(c)) for b in base.corrections)
    ]
    out += _unrecorded(base.registration_value, now.registration_value, recorded, now.id, ref)
    for i, c in enumerate(now.corrections):
        if c.field in REASONED_FIELDS and c.reason is None and c in new:
            out.append(
                Finding(
                    ("corrections", i),
                    "correction-without-reason",
                    N_(
                        "the correction of {on} changes {field} from '{was}' to '{now}' without "
                        "a reason: add reason: (a changed 判定依据, usually)"
                    ),
                    {
                        "on": c.on,
                        "field": Coded("field", c.field),
                        "was": c.from_ or "—",
                        "now": c.to or "—",
                    },
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


# --------------------------------------------------------------------------- raw data
# When a file does not validate (a bad date, a misspelt key), its model cannot be built, but
# its data can still be compared with the base's: every fact the base held must still be
# somewhere in it. Both sides are raw data from the same loader (dates as text), so they
# compare as written.

#: The facts of a hazard, by key: a mapping (one fact) or a list of them.
_HAZARD_FACTS = (
    "rectification",
    "acceptance",
    "closure",
    "rectification_plan",
    "plan_revisions",
    "extensions",
    "supervision",
    "reopenings",
    "withdrawal",
    "corrections",
    "notes",
)
_RAW_WHAT = {
    "rectification_plan": "plan",
    "plan_revisions": "plan_revision",
    "extensions": "extension",
    "reopenings": "reopening",
    "corrections": "correction",
    "notes": "note",
}
#: The facts of a task, by key.
_TASK_FACTS = {"progress": "progress", "done": "done", "reopenings": "reopening"}


def _nodes(data: Any) -> list[dict[str, Any]]:
    """Every mapping in ``data``, nested ones too."""
    out: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            out.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return out


def _items(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


def _fact_name(key: str, item: dict[str, Any]) -> Fragment:
    if key == "supervision":
        return Fragment(
            N_("the listing for supervision (挂牌督办) at {level} by {by} of {on}"),
            {
                "level": str(item.get("level", "?")),
                "by": str(item.get("by", "?")),
                "on": str(item.get("listed_on", "?")),
            },
        )
    on = item.get("deadline") if key == "rectification_plan" else item.get("on")
    return Fragment(_WHAT[_RAW_WHAT.get(key, key)], {"on": str(on if on is not None else "?")})


def lost_raw_facts(base: Any, now: Any, ref: str, rel: str) -> list[Finding]:
    """The facts ``base`` (a hazard's or data/tasks.yaml's raw data) held that ``now`` (the
    raw data of a file that does not validate) no longer holds anywhere."""
    if not isinstance(base, dict):
        return []
    nodes = _nodes(now)

    def kept(fact: dict[str, Any]) -> bool:
        return any(contains(n, fact) for n in nodes)

    out: list[Finding] = []
    if isinstance(base.get("tasks"), list):
        for task in _items(base["tasks"]):
            for key, what in _TASK_FACTS.items():
                for item in _items(task.get(key)):
                    if not kept(item):
                        on = str(item.get("on", "?"))
                        fact = Fragment(_WHAT[what], {"on": on})
                        out.append(_removed(("tasks",), fact, ref, rel))
        return out
    for key in _HAZARD_FACTS:
        for item in _items(base.get(key)):
            if not kept(item):
                out.append(_removed((key,), _fact_name(key, item), ref, rel))
    report = base.get("double_report")
    if isinstance(report, dict):
        for key, label in (
            ("regulator_on", N_("the report to the regulator (双报告) of {on}")),
            ("workers_on", N_("the report to the workers' congress (双报告) of {on}")),
        ):
            if key in report and not kept({key: report[key]}):
                fact = Fragment(label, {"on": str(report[key])})
                out.append(_removed(("double_report",), fact, ref, rel))
    if isinstance(now, dict):
        out += _uncorrected_raw(base, now, ref)
    return out


def _raw_value(data: dict[str, Any], key: str) -> str | None:
    if key.startswith("enterprise."):
        ent = data.get("enterprise")
        value = ent.get(key.split(".", 1)[1]) if isinstance(ent, dict) else None
    else:
        value = data.get(key)
    return None if value is None else str(value)


def _unrecorded(
    was_of: Callable[[str], Any],
    now_of: Callable[[str], Any],
    recorded: set[tuple[Any, Any]],
    hazard_id: str,
    ref: str,
) -> list[Finding]:
    """Each registration fact that differs from the base with no correction recording it:
    one rule for the validated records and for raw data that does not validate."""
    out: list[Finding] = []
    for key in REGISTRATION_FIELDS:
        was, is_now = was_of(key), now_of(key)
        if was != is_now and (key, is_now) not in recorded:
            out.append(
                Finding(
                    tuple(key.split(".")),
                    "uncorrected-change",
                    _UNCORRECTED,
                    {
                        "field": Coded("field", key),
                        "ref": ref,
                        "was": was or "—",
                        "now": is_now or "—",
                        "command": _command(hazard_id, key, is_now),
                    },
                )
            )
    return out


def _uncorrected_raw(base: dict[str, Any], now: dict[str, Any], ref: str) -> list[Finding]:
    recorded = {(c.get("field"), c.get("to")) for c in _items(now.get("corrections"))}
    out: list[Finding] = []
    hazard_id = str(now.get("id", base.get("id", "…")))
    out += _unrecorded(
        lambda key: _raw_value(base, key),
        lambda key: _raw_value(now, key),
        recorded,
        hazard_id,
        ref,
    )
    return out


# --------------------------------------------------------------------------- enterprises

#: The dated facts of an enterprise, by key: what may be added to, never removed or changed.
_ENTERPRISE_FACTS = (
    "states",
    "checks",
    "drills",
    "trainings",
    "certificates",
    "inspections",
    "corrections",
    "notes",
)
_ENTERPRISE_LOST = N_(
    "the {key} entry of {on} recorded in {ref} is no longer in the record: facts are never "
    "removed or changed; put it back as it was (git show {ref}:{path}), and record a "
    "correction as a new fact"
)
_ENTERPRISE_UNCORRECTED = N_(
    "{field} changed since {ref} from '{was}' to '{now}' with no record of the correction: "
    "put back '{was}' and record the change with 'safeplan enterprise edit {id} --{option} …', "
    "which keeps the old value"
)


def lost_enterprise_facts(base: Any, now: Any, ref: str, rel: str) -> list[Finding]:
    """What an enterprise file (raw data, valid or not) held at ``ref`` and no longer holds:
    its dated facts, append-only as a hazard's, and registration facts changed without a
    correction (``enterprise edit``)."""
    if not isinstance(base, dict):
        return []
    current = now if isinstance(now, dict) else {}
    out: list[Finding] = []
    for key in _ENTERPRISE_FACTS:
        items = _items(current.get(key))
        for fact in _items(base.get(key)):
            if not any(contains(n, fact) for n in items):
                out.append(
                    Finding(
                        (key,),
                        "fact-removed",
                        _ENTERPRISE_LOST,
                        {"key": key, "on": str(fact.get("on", "?")), "ref": ref, "path": rel},
                        at_key=True,
                    )
                )
    if not isinstance(now, dict):
        return out
    recorded = {(c.get("field"), c.get("to")) for c in _items(current.get("corrections"))}
    for key in ENTERPRISE_FIELDS:
        was, is_now = base.get(key), current.get(key)
        was_text = None if was is None else str(was)
        now_text = None if is_now is None else str(is_now)
        if was_text != now_text and (key, now_text) not in recorded:
            out.append(
                Finding(
                    (key,),
                    "uncorrected-change",
                    _ENTERPRISE_UNCORRECTED,
                    {
                        "field": key,
                        "ref": ref,
                        "was": was_text or "—",
                        "now": now_text or "—",
                        "id": str(current.get("id", base.get("id", "…"))),
                        "option": key.replace("_", "-"),
                    },
                )
            )
    return out
