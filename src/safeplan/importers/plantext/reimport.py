"""A revised text against the plan on disk: what changed, and the edit that applies it.

Tasks are matched by their text first (so a task that only moved keeps its history),
then by title, then by number with a similar text, then by the most similar text; what
is left is added or removed. The edit is made round-trip, in place, as a person would
make it: data/tasks.yaml keeps every progress note, completion and reopening, comment
and blank line of the tasks that remain; a removed task that has any of those is kept
and marked, never deleted; units are only ever added (hazards may name the old ones);
an action is removed only when no task is left in it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from safeplan import yamlio
from safeplan.importers.plantext import documents as docs
from safeplan.importers.plantext.parsed import ParsedPlan, ParsedTask, ParsedUnit
from safeplan.models.records import Goal, Plan, Task, TasksFile, UnitsFile
from safeplan.problems import N_, NP_, Coded, Fragment, ListOf, Problem
from safeplan.repo import PLAN_FILE, TASKS_FILE, UNITS_FILE
from safeplan.repo.parse import load_model, load_round_trip
from safeplan.yamlio.roundtrip import insert_item, remove_item

TASK_ORDER = tuple(Task.model_fields)
PLAN_ORDER = tuple(Plan.model_fields)
GOAL_ORDER = docs.GOAL_ORDER
#: Below this similarity (difflib's ratio) two texts are different tasks.
SAME_NUMBER_SIMILARITY = 0.5
MOVED_SIMILARITY = 0.6

KEPT_REMOVED = N_(
    "task {number} is no longer in the text, but it has progress recorded: it is kept in "
    "data/tasks.yaml and marked; remove it by hand if it is really gone"
)


@dataclass(frozen=True)
class Change:
    """One line of the readable diff: ``+`` added, ``-`` removed, ``~`` changed, ``!`` to look at."""

    sign: str
    template: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Reimport:
    """What a revised text changes, and the edit that would apply it (None: nothing changes)."""

    parsed: ParsedPlan
    changes: tuple[Change, ...]
    result: docs.FileSet | None
    #: The parser's findings and the re-import's own (a removed task kept).
    findings: tuple[Problem, ...]
    #: Problems ``safeplan validate`` would find in the files after the edit.
    problems: tuple[Problem, ...]
    #: Of those, the errors the edit brings (the files' own old problems are not its doing).
    new_errors: tuple[Problem, ...] = ()


# --------------------------------------------------------------------------- shown values


def deadline_shown(
    deadline: dt.date | None, ongoing: bool, check_in: str, ongoing_after: bool = False
) -> Any:
    if ongoing:
        return Fragment(N_("ongoing ({period})"), {"period": Coded("check-in period", check_in)})
    if deadline is None:
        return Fragment(N_("no deadline"))
    if ongoing_after:
        return Fragment(
            N_("{date}, then ongoing ({period})"),
            {"date": deadline, "period": Coded("check-in period", check_in)},
        )
    return deadline


def _units_shown(units: Sequence[str]) -> ListOf:
    return ListOf(units, empty="—")


# --------------------------------------------------------------------------- matching


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def match_tasks(old: Sequence[Task], new: Sequence[ParsedTask]) -> dict[int, int]:
    """Which old task each new one is (new index → old index)."""
    pairs: dict[int, int] = {}
    used: set[int] = set()

    def take(same: Callable[[Task, ParsedTask], bool]) -> None:
        for j, n in enumerate(new):
            if j in pairs:
                continue
            found = [i for i, o in enumerate(old) if i not in used and same(o, n)]
            if found:
                i = next((i for i in found if old[i].number == n.number), found[0])
                pairs[j] = i
                used.add(i)

    take(lambda o, n: o.text == n.text)
    take(lambda o, n: o.title == n.title)
    take(lambda o, n: o.number == n.number and _ratio(o.text, n.text) >= SAME_NUMBER_SIMILARITY)
    scored = sorted(
        (
            (_ratio(o.text, n.text), j, i)
            for j, n in enumerate(new)
            if j not in pairs
            for i, o in enumerate(old)
            if i not in used
        ),
        reverse=True,
    )
    for score, j, i in scored:
        if score >= MOVED_SIMILARITY and j not in pairs and i not in used:
            pairs[j] = i
            used.add(i)
    return pairs


def _has_history(task: Task) -> bool:
    return bool(task.progress or task.done or task.reopenings)


# --------------------------------------------------------------------------- round-trip helpers


def set_eol(node: Any, key: str, text: str, indent: int, shown: str) -> None:
    """Replace the end-of-line comment of ``key``, keeping the full-line comments after it."""
    slot = node.ca.items.get(key)
    rest = ""
    if slot and slot[2] is not None:
        value = slot[2].value
        cut = value.find("\n")
        rest = value[cut + 1 :] if cut >= 0 else ""
    docs.eol(node, key, text, indent, shown)
    if rest:
        token = node.ca.items[key][2]
        token.value = token.value + rest


def _heading_text(numeral: str, title: str) -> str:
    return f"\n  # （{numeral}）{title}\n"


# --------------------------------------------------------------------------- the diff


#: Task fields whose change is said with the old and the new value, and written as is.
_SAID_CHANGES = (
    ("action", N_("task {number}: now in action （{new}） (was （{old}）)")),
    ("title", N_("task {number}: reworded: {old} → {new}")),
)


class _Diff:
    def __init__(self, parsed: ParsedPlan) -> None:
        self.parsed = parsed
        self.changes: list[Change] = []
        self.findings: list[Problem] = []

    def add(self, sign: str, template: str, **params: Any) -> None:
        self.changes.append(Change(sign, template, params))

    # -- tasks
    def tasks(self, old: Sequence[Task], rt: Any, actions: dict[str, str]) -> set[str]:
        """Edit data/tasks.yaml; return the actions the tasks kept in it still use."""
        seq = rt.data["tasks"]
        new = self.parsed.tasks
        pairs = match_tasks(old, new)
        matched_old = set(pairs.values())
        # Changes to the tasks that remain (their nodes, by old index).
        nodes = {i: seq[i] for i in range(len(old))}
        for j, i in sorted(pairs.items()):
            self._changed(old[i], new[j], nodes[i])
        # Removed tasks: deleted when they have no history, else kept and marked.
        taken = {n.number for n in new}
        kept_numbers: set[int] = set()
        top = max([*taken, *(t.number for t in old)], default=0)
        for i in sorted(set(range(len(old))) - matched_old):
            o = old[i]
            if _has_history(o):
                self._keep_removed(o, nodes[i], taken | kept_numbers, top)
                top = max(top, nodes[i]["number"])
                kept_numbers.add(nodes[i]["number"])
            else:
                self.add("-", N_("task {number} removed: {title}"), number=o.number, title=o.title)
                index = _index(seq, nodes[i])
                alone = _alone_in_action(seq, index)
                remove_item(seq, index, f"（{o.action}）" if alone else None)
        # Added tasks, after the task that comes before them in the new text.
        placed: dict[int, Any] = {j: nodes[i] for j, i in pairs.items()}
        for j, n in enumerate(new):
            if j in pairs:
                continue
            node = docs.task_entry(n)
            index = 0
            for k in range(j - 1, -1, -1):
                if k in placed:
                    index = _index(seq, placed[k]) + 1
                    break
            prev_action = seq[index - 1]["action"] if index > 0 else None
            next_action = seq[index]["action"] if index < len(seq) else None
            if n.action == prev_action:
                insert_item(seq, index, node, move_tail=True)
            elif n.action == next_action:
                insert_item(seq, index, node, move_tail=False)
            else:
                title = actions.get(n.action, "")
                insert_item(seq, index, node, True, _heading_text(n.action, title))
            placed[j] = node
            self.add(
                "+",
                N_(
                    "task {number} （{action}） added: {title} (deadline {deadline}; units {units})"
                ),
                number=n.number,
                action=n.action,
                title=n.title,
                deadline=deadline_shown(n.deadline, n.ongoing, n.check_in, n.ongoing_after),
                units=_units_shown(n.units),
            )
        return {str(node["action"]) for node in seq}

    def _changed(self, o: Task, n: ParsedTask, node: Any) -> None:
        if o.number != n.number:
            self.add("~", N_("task {old} is now task {number}"), old=o.number, number=n.number)
            yamlio.rt_set(node, "number", n.number, TASK_ORDER)
        for key, template in _SAID_CHANGES:
            was, now = getattr(o, key), getattr(n, key)
            if was != now:
                self.add("~", template, number=n.number, old=was, new=now)
                yamlio.rt_set(node, key, now, TASK_ORDER)
        if o.text != n.text:
            if o.title == n.title:
                self.add("~", N_("task {number}: its text was reworded"), number=n.number)
            yamlio.rt_set(node, "text", n.text, TASK_ORDER)
        kept_up = (o.ongoing or o.ongoing_after, n.ongoing or n.ongoing_after)
        before = (o.deadline, o.ongoing, o.ongoing_after, o.check_in if kept_up[0] else "")
        after = (n.deadline, n.ongoing, n.ongoing_after, n.check_in if kept_up[1] else "")
        if before != after:
            self.add(
                "~",
                N_("task {number}: deadline {old} → {new}"),
                number=n.number,
                old=deadline_shown(o.deadline, o.ongoing, o.check_in, o.ongoing_after),
                new=deadline_shown(n.deadline, n.ongoing, n.check_in, n.ongoing_after),
            )
            self._set_deadline(node, n)
        if list(o.units) != list(n.units):
            self.add(
                "~",
                N_("task {number}: units {old} → {new}"),
                number=n.number,
                old=_units_shown(o.units),
                new=_units_shown(n.units),
            )
            yamlio.rt_set(node, "units", list(n.units), TASK_ORDER)
            set_eol(node, "units", n.units_phrase or "", 4, docs.flow(n.units))

    def _set_deadline(self, node: Any, n: ParsedTask) -> None:
        if n.ongoing:
            for key in ("deadline", "ongoing_after"):
                if key in node:
                    yamlio.rt_delete(node, key)
            yamlio.rt_set(node, "ongoing", True, TASK_ORDER)
            yamlio.rt_set(node, "check_in", n.check_in, TASK_ORDER)
            set_eol(node, "ongoing", n.deadline_phrase or "ongoing", 4, "true")
            return
        for key in ("ongoing", "check_in", "ongoing_after"):
            if key in node:
                yamlio.rt_delete(node, key)
        yamlio.rt_set(node, "deadline", n.deadline, TASK_ORDER)
        if n.ongoing_after:
            yamlio.rt_set(node, "ongoing_after", True, TASK_ORDER)
            yamlio.rt_set(node, "check_in", n.check_in, TASK_ORDER)
        shown = n.deadline.isoformat() if n.deadline else "null"
        set_eol(node, "deadline", n.deadline_phrase or "", 4, shown)

    def _keep_removed(self, o: Task, node: Any, taken: set[int], top: int) -> None:
        number = o.number
        note = "no longer in the revised text: kept for its progress"
        if number in taken:
            number = top + 1
            yamlio.rt_set(node, "number", number, TASK_ORDER)
            note += f"; it was task {o.number}, a number the revised text gives another task"
        set_eol(node, "number", note, 4, str(number))
        self.add(
            "!",
            N_("task {number} is no longer in the text but has progress: kept and marked: {title}"),
            number=number,
            title=o.title,
        )
        line = getattr(getattr(node, "lc", None), "line", 0) + 1
        self.findings.append(
            Problem(
                TASKS_FILE.as_posix(), line, 1, "removed-kept", KEPT_REMOVED, {"number": number}
            )
        )

    # -- units
    def units(self, existing: UnitsFile, rt: Any, used: set[str]) -> None:
        names = {u.name for u in existing.units}
        seq = rt.data["units"]
        new_units: list[ParsedUnit] = [u for u in self.parsed.units if u.name not in names]
        for u in new_units:
            node = docs.unit_entry(u)
            if u.kind == "group":
                seq.append(node)
            else:
                first_group = next(
                    (k for k, x in enumerate(seq) if x.get("kind") == "group"), len(seq)
                )
                insert_item(seq, first_group, node, move_tail=True)
            self.add(
                "+",
                N_(
                    "unit {name} added: {kind}, guessed from its name (check it in data/units.yaml)"
                ),
                name=u.name,
                kind=Coded("unit kind", u.kind),
            )
        named = {n for t in self.parsed.tasks for n in t.units}
        for unit in existing.units:
            if unit.name not in named and unit.name in used and unit.kind != "group":
                self.add(
                    "!",
                    N_("unit {name} is no longer named by any task: kept (hazards may name it)"),
                    name=unit.name,
                )

    # -- plan.yaml
    def plan(self, old: Plan, rt: Any, used_actions: set[str]) -> None:
        doc = rt.data
        new = self.parsed.plan()
        for key, label in (("title", N_("title")), ("issuer", N_("issuer"))):
            if getattr(old, key) != getattr(new, key):
                self.add(
                    "~",
                    N_("{what}: {old} → {new}"),
                    what=Fragment(label),
                    old=getattr(old, key),
                    new=getattr(new, key),
                )
                yamlio.rt_set(doc, key, getattr(new, key), PLAN_ORDER)
        if (old.period.start, old.period.end) != (new.period.start, new.period.end):
            self.add(
                "~",
                N_("period: {old} → {new}"),
                old=f"{old.period.start}–{old.period.end}",
                new=f"{new.period.start}–{new.period.end}",
            )
            yamlio.rt_set(doc["period"], "start", new.period.start)
            yamlio.rt_set(doc["period"], "end", new.period.end)
        if "source" not in doc:
            yamlio.rt_set(doc, "source", docs.SOURCE_FILE.as_posix(), PLAN_ORDER)
        if old.parent_plans != new.parent_plans:
            self.add(
                "~",
                N_("parent plans: {old} → {new}"),
                old=ListOf(p.title for p in old.parent_plans),
                new=ListOf(p.title for p in new.parent_plans),
            )
            data = [p.model_dump(exclude_none=True) for p in new.parent_plans]
            yamlio.rt_set(doc, "parent_plans", data, PLAN_ORDER)
        self._actions(old, new, doc, used_actions)
        self._goals(old.goals, new.goals, doc)

    def _actions(self, old: Plan, new: Plan, doc: Any, used: set[str]) -> None:
        seq = doc["actions"]
        have = {a.numeral: a for a in old.actions}
        wanted = [a.numeral for a in new.actions]
        for a in new.actions:
            if a.numeral in have:
                if have[a.numeral].title != a.title:
                    self.add(
                        "~",
                        N_("action （{numeral}）: {old} → {new}"),
                        numeral=a.numeral,
                        old=have[a.numeral].title,
                        new=a.title,
                    )
                    node = next(x for x in seq if x["numeral"] == a.numeral)
                    yamlio.rt_set(node, "title", a.title)
                continue
            before = wanted[: wanted.index(a.numeral)]
            index = 0
            for k, x in enumerate(seq):
                if x["numeral"] in before:
                    index = k + 1
            insert_item(seq, index, yamlio.rt_new(a.model_dump()), move_tail=True)
            self.add(
                "+", N_("action （{numeral}） added: {title}"), numeral=a.numeral, title=a.title
            )
        for a in old.actions:
            if a.numeral in wanted:
                continue
            if a.numeral in used:
                self.add(
                    "!",
                    N_(
                        "action （{numeral}） is no longer in the text: kept, as a kept task is in it"
                    ),
                    numeral=a.numeral,
                )
                continue
            index = next(k for k, x in enumerate(seq) if x["numeral"] == a.numeral)
            remove_item(seq, index)
            self.add(
                "-", N_("action （{numeral}） removed: {title}"), numeral=a.numeral, title=a.title
            )

    def _goals(self, old: Sequence[Goal], new: Sequence[Goal], doc: Any) -> None:
        if "goals" not in doc:
            yamlio.rt_set(doc, "goals", [], PLAN_ORDER)
        seq = doc["goals"]
        by_kind = {g.kind: (k, g) for k, g in enumerate(old)}
        for g in new:
            data = docs.goal_order(g.model_dump(exclude_none=True))
            if g.kind not in by_kind:
                yamlio.rt_append(doc, "goals", data, PLAN_ORDER)
                self.add("+", N_("goal added: {title}"), title=g.title)
                continue
            k, was = by_kind[g.kind]
            fields = ("title", "level", "discovered_until", "discovered_from", "due")
            if all(getattr(was, f) == getattr(g, f) for f in fields):
                continue
            self.add("~", N_("goal {id}: {old} → {new}"), id=was.id, old=was.title, new=g.title)
            for f in fields:
                value = getattr(g, f)
                if getattr(was, f) != value and value is not None:
                    yamlio.rt_set(seq[k], f, value, GOAL_ORDER)
        kinds = {g.kind for g in new}
        for g in old:
            if g.kind not in kinds:
                self.add("!", N_("goal {id} is no longer stated in the text: kept"), id=g.id)


_ACTIONS_NOTE = re.compile(
    r"^# (?P<heading>.+): the actions, with the source's own numerals\.(?: The source has no .*?\.)?$",
    re.M,
)


def _refresh_actions_note(data: bytes, numerals: Sequence[str]) -> bytes:
    """The comment above the actions says which numerals the text skips: keep it true."""
    text = data.decode("utf-8")
    m = _ACTIONS_NOTE.search(text)
    if m is None:
        return data
    note = "# " + docs.actions_note(m["heading"], numerals)
    return (text[: m.start()] + note + text[m.end() :]).encode("utf-8")


def _index(seq: Any, node: Any) -> int:
    return next(k for k, x in enumerate(seq) if x is node)


def _alone_in_action(seq: Any, index: int) -> bool:
    action = seq[index]["action"]
    prev = seq[index - 1]["action"] if index > 0 else None
    nxt = seq[index + 1]["action"] if index + 1 < len(seq) else None
    return bool(prev != action and nxt != action)


# --------------------------------------------------------------------------- the whole

M = TypeVar("M", bound=BaseModel)


def _load(root: Path, rel_path: Path, model: type[M], strip: int = 0) -> tuple[M, Any]:
    """A file of the plan, checked, and loaded round-trip for the edit (refused if broken)."""
    record, text = load_model(root, rel_path, model, strip)
    return record, load_round_trip(root / rel_path, rel_path.as_posix(), text)


#: The reason a re-import records for its revision, in the plan's language.
REVISION_REASON = {
    "zh-CN": "按修订后的方案文本重新导入",
    "en": "re-import of the revised plan text",
}


def _record_revision(
    old_plan: Plan, old_tasks: TasksFile, rt_plan: Any, tasks_bytes: bytes, on: dt.date
) -> None:
    """Add to plan.yaml the dated revision that names what the re-import changed in the
    tasks, deadlines, units, goals and rules: what ``validate --base`` looks for."""
    from safeplan.repo.parse import parse_bytes
    from safeplan.rules.revisions import differences, item_of

    new_tasks = parse_bytes(tasks_bytes, TASKS_FILE.as_posix(), TasksFile, strip=2).record
    new_plan = parse_bytes(rt_plan.dump(), PLAN_FILE.as_posix(), Plan).record
    if not isinstance(new_tasks, TasksFile) or not isinstance(new_plan, Plan):
        return  # the edit's own problems refuse it
    diffs = differences(old_plan, old_tasks.tasks, new_plan, new_tasks.tasks, "", "")
    if not diffs:
        return
    revision = {
        "on": on,
        "reason": REVISION_REASON.get(old_plan.language, REVISION_REASON["en"]),
        "document": docs.SOURCE_FILE.as_posix(),
        "changes": [item_of(d) for d in diffs],
    }
    yamlio.rt_append(rt_plan.data, "revisions", revision, PLAN_ORDER)


def reimport(root: Path, parsed: ParsedPlan, source: bytes, on: dt.date | None = None) -> Reimport:
    """Compare a revised text with the plan in ``root`` and compute the edit (not written).
    With ``on``, the edit records a revision of that day in plan.yaml naming what changed."""
    plan, rt_plan = _load(root, PLAN_FILE, Plan)
    units, rt_units = _load(root, UNITS_FILE, UnitsFile, strip=2)
    tasks, rt_tasks = _load(root, TASKS_FILE, TasksFile, strip=2)
    diff = _Diff(parsed)
    titles = {a.numeral: a.title for a in parsed.actions}
    used_actions = diff.tasks(tasks.tasks, rt_tasks, titles)
    used_units = {n for t in tasks.tasks for n in t.units}
    diff.units(units, rt_units, used_units)
    diff.plan(plan, rt_plan, used_actions)
    if on is not None:
        _record_revision(plan, tasks, rt_plan, rt_tasks.dump(), on)
    plan_bytes = _refresh_actions_note(rt_plan.dump(), [a.numeral for a in parsed.actions])
    new_bytes: dict[str, tuple[bytes | None, bytes]] = {
        PLAN_FILE.as_posix(): (rt_plan.original, plan_bytes),
        UNITS_FILE.as_posix(): (rt_units.original, rt_units.dump()),
        TASKS_FILE.as_posix(): (rt_tasks.original, rt_tasks.dump()),
    }
    source_path = root / docs.SOURCE_FILE
    old_source = source_path.read_bytes() if source_path.is_file() else None
    new_bytes[docs.SOURCE_FILE.as_posix()] = (old_source, source)
    changes = tuple((rel, old, new) for rel, (old, new) in new_bytes.items() if old != new)
    problems = docs.check_documents(*(new_bytes[p.as_posix()][1] for p in CHECKED))
    before = {
        _key(p) for p in docs.check_documents(*(new_bytes[p.as_posix()][0] or b"" for p in CHECKED))
    }
    new_errors = tuple(p for p in problems if p.severity == "error" and _key(p) not in before)
    result = None
    if changes:
        n = len(diff.changes)
        result = docs.FileSet(
            root,
            changes,
            N_("re-imported the plan's text: {changes}"),
            {"changes": NP_("{n} change", "{n} changes", n)},
            f"plan: re-import the revised text ({n} changes)",
        )
    findings = tuple(sorted([*parsed.findings, *diff.findings], key=Problem.sort_key))
    return Reimport(parsed, tuple(diff.changes), result, findings, tuple(problems), new_errors)


CHECKED = (PLAN_FILE, UNITS_FILE, TASKS_FILE)


def _key(p: Problem) -> tuple[str, str, str]:
    """A problem without its place: lines move when an edit adds or removes some."""
    return (p.path, p.code, repr(sorted((k, str(v)) for k, v in p.params.items())))
