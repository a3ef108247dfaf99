"""A parsed plan as the files of a plan repository, written as the shipped ones are.

Same key order as the models, ``units: [..]`` as flow lists, and comments where a reader
needs them: where the title and the issuer came from, the actions' numbering, the goals'
sentence, the phrase of the text beside each deadline and unit list, and the kinds of
units, which are guessed from their names and marked for review. The files come back as
a :class:`FileSet` (bytes before — None for a new file — and after); the command writes it
through the edit transaction, all or nothing, never over an existing file.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeplan import vocab, yamlio
from safeplan.importers.plantext.parsed import ParsedPlan, ParsedTask, ParsedUnit
from safeplan.importers.plantext.units import group_prefix, level_of, place_of
from safeplan.importers.plantext.words import numeral_of, numeral_value
from safeplan.models.records import Plan, TasksFile, UnitsFile
from safeplan.problems import N_, NP_, Problem
from safeplan.repo import PLAN_FILE, TASKS_FILE, UNITS_FILE
from safeplan.repo.parse import located, parse_bytes
from safeplan.rules.cross import check_task_references
from safeplan.rules.plan import check_plan
from safeplan.rules.tasks import check_tasks
from safeplan.rules.units import check_units

SOURCE_FILE = Path("plan/source.txt")
#: How wide a comment line may be, in terminal columns (a Chinese character takes two).
COMMENT_WIDTH = 98
#: The kinds a unit may have, as the comment atop data/units.yaml lists them.
_KIND_NAMES = " | ".join(vocab.UNIT_KIND.codes)


def _width(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


_NO_LINE_START = "，。、；：！？）》」』”’…,.;:!?)"


def _tokens(paragraph: str) -> list[str]:
    """Pieces a line may break between: a Chinese character, a word of Latin letters or digits,
    a space; closing punctuation stays with what it closes."""
    out: list[str] = []
    for c in paragraph:
        joins = c in _NO_LINE_START or (
            _width(c) == 1 and c != " " and out[-1][-1] != " " and _width(out[-1][-1]) == 1
            if out
            else False
        )
        if out and joins:
            out[-1] += c
        else:
            out.append(c)
    return out


def wrap(text: str, width: int = COMMENT_WIDTH) -> list[str]:
    """Comment lines of at most ``width`` columns, broken at spaces or between Chinese characters."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, cols = "", 0
        for token in _tokens(paragraph):
            w = sum(_width(c) for c in token)
            if cols + w > width and line.strip():
                lines.append(line.rstrip())
                line, cols = token.lstrip(), sum(_width(c) for c in token.lstrip())
                continue
            line += token
            cols += w
        lines.append(line.rstrip())
    return lines


def _comment(text: str) -> str:
    return "\n".join(wrap(text))


def start_comment(node: Any, text: str) -> None:
    """The comment that opens a file: wrapped, its empty lines written ``#``."""
    node.yaml_set_start_comment("\n".join(line or "#" for line in wrap(text)))


def flow(items: Iterable[str]) -> str:
    return "[" + ", ".join(items) + "]"


def eol(node: Any, key: str, text: str, indent: int, shown: str) -> None:
    """An end-of-line comment two spaces after ``key: shown`` (``shown`` as it is dumped)."""
    column = indent + len(key) + 2 + len(shown) + 2
    node.yaml_add_eol_comment("# " + text, key, column=column)
    # Ended as a comment read from a file is, so that one at the end of a file ends its line.
    node.ca.items[key][2].value += "\n"


# --------------------------------------------------------------------------- plan.yaml


def _plan_notes(parsed: ParsedPlan) -> str:
    notes = ["The plan as issued is plan/source.txt."]
    if parsed.title_completed:
        notes.append(
            f'Its first line is cut short ("{parsed.title_line}"); the town\'s name comes from '
            f'the text ("{parsed.issuer_phrase}").'
        )
    elif parsed.issuer_phrase:
        notes.append(f'The issuer comes from the text ("{parsed.issuer_phrase}").')
    return " ".join(notes)


def _gaps(numerals: Sequence[str]) -> list[str]:
    values = [v for v in (numeral_value(n) for n in numerals) if v is not None]
    present = set(values)
    return [f"（{numeral_of(v)}）" for v in range(1, max(values, default=0)) if v not in present]


def actions_note(heading: str, numerals: Sequence[str]) -> str:
    """The comment above the actions: their numbering is the source's, gaps included."""
    note = f"{heading}: the actions, with the source's own numerals."
    missing = _gaps(numerals)
    return note + (f" The source has no {'、'.join(missing)}." if missing else "")


#: The shipped plan.yaml writes a goal's dates of discovery before its due date.
GOAL_ORDER = ("id", "kind", "title", "level", "discovered_until", "discovered_from", "due")


def goal_order(goal: dict[str, Any]) -> dict[str, Any]:
    return {k: goal[k] for k in GOAL_ORDER if k in goal}


def _duties(plan: Plan) -> list[dict[str, Any]]:
    """The plan's duties as the file writes them (``from`` by its name in the file)."""
    return [d.model_dump(mode="python", by_alias=True, exclude_defaults=True) for d in plan.duties]


def plan_document(parsed: ParsedPlan, source: str | None = "plan/source.txt") -> Any:
    """plan/plan.yaml as round-trip data, with its comments."""
    plan = parsed.plan(source)
    data = plan.model_dump(mode="python", exclude_none=True)
    doc = yamlio.rt_new(
        {
            "title": data["title"],
            "issuer": data["issuer"],
            "period": data["period"],
            "language": data["language"],
            "timezone": data["timezone"],
            **({"source": source} if source else {}),
            "parent_plans": data["parent_plans"],
            "actions": data["actions"],
            "goals": [goal_order(g) for g in data["goals"]],
            "rules": data["rules"],
            **({"duties": _duties(plan)} if plan.duties else {}),
        }
    )
    start_comment(doc, f"{plan.title}\n{_plan_notes(parsed)}")
    doc.yaml_set_comment_before_after_key(
        "parent_plans", before="\nThe plans this one implements, as its preamble cites them."
    )
    note = actions_note(parsed.tasks_heading or "The tasks", [a.numeral for a in plan.actions])
    doc.yaml_set_comment_before_after_key("actions", before="\n" + _comment(note))
    if parsed.goals_sentence:
        where = parsed.goals_heading or "The text"
        doc.yaml_set_comment_before_after_key(
            "goals", before="\n" + _comment(f'{where}: "{parsed.goals_sentence}"')
        )
    else:
        doc.yaml_set_comment_before_after_key(
            "goals",
            before="\n"
            + _comment(
                "The text states no goal in the national wording (存量, 增量, 动态清零): add "
                "the plan's goals here (see the README)."
            ),
        )
    if plan.duties:
        doc.yaml_set_comment_before_after_key(
            "duties",
            before="\n"
            + _comment(
                "The duties of enterprises the text states (任务"
                + "、".join(str(d.task) for d in plan.duties)
                + "): how often, and what fulfils them."
            ),
        )
    doc.yaml_set_comment_before_after_key("rules", before="\n")
    rules = doc["rules"]
    rules.yaml_set_comment_before_after_key(
        "close_requires_double_report",
        before=(
            "销号 of a major hazard needs the 双报告 (to the regulator and the workers' congress)"
            " on file."
        ),
        indent=2,
    )
    rules.yaml_set_comment_before_after_key(
        "due_soon_days",
        before='A task is "due soon" when its deadline is this many days away or fewer.',
        indent=2,
    )
    return doc


# --------------------------------------------------------------------------- units.yaml


def unit_entry(unit: ParsedUnit, indent: int = 4) -> Any:
    """One unit of data/units.yaml, its kind marked as a guess."""
    entry: dict[str, Any] = {"name": unit.name, "kind": unit.kind}
    if unit.members:
        entry["members"] = list(unit.members)
    node = yamlio.rt_new(entry)
    if unit.kind != "group":
        why = f"guessed from the name (…{unit.because})" if unit.because else "a guess"
        eol(node, "kind", f"{why}: check it", indent, unit.kind)
    return node


def group_note(unit: ParsedUnit, others: Sequence[ParsedUnit], prefix: str) -> str:
    """Why a group has the members it has: they are a guess, and what was left out says why."""
    if not unit.members:
        return (
            f"{unit.name} stands for several units, but the plan names none of them: list "
            "its members (members: [..]) so that its load can be counted."
        )
    left_out = [u for u in others if u.kind != "group" and u.name not in unit.members]
    reasons = []
    beside = [u.name for u in left_out if u.name in unit.beside]
    committees = [u.name for u in left_out if u.kind == "committee" and u.name not in beside]
    other = [u.name for u in left_out if u.name not in beside and u.name not in committees]
    if beside:
        reasons.append(f"{'、'.join(beside)} (named beside it)")
    if committees:
        reasons.append(f"{'、'.join(committees)} (a committee)")
    if other:
        reasons.append(f"{'、'.join(other)} (not of its level, {prefix or '—'}…)")
    note = (
        f"{unit.name} stands for several units: its members are guessed as the plan's other "
        f"units of its level ({prefix or 'any'}…)"
    )
    if reasons:
        note += ", leaving out " + ", ".join(reasons)
    return note + ". Edit the members to match the real list."


def units_document(parsed: ParsedPlan) -> Any:
    """data/units.yaml as round-trip data, with its comments."""
    level = level_of(place_of(parsed.issuer))
    doc = yamlio.rt_new({"units": []})
    seq = doc["units"]
    seq.fa.set_block_style()
    for u in parsed.units:
        seq.append(unit_entry(u))
    for i, u in enumerate(parsed.units):
        if u.kind == "group":
            note = group_note(u, parsed.units, group_prefix(u.name, level))
            seq.yaml_set_comment_before_after_key(i, before=_comment(note), indent=2)
    start_comment(
        doc,
        "责任单位: every unit the plan's tasks name, written as the plan writes them, in the "
        "order the plan first names them (groups last).\nThe plan gives no full names or "
        "contacts; fill them in where the town knows them.\nEach kind is guessed from how the "
        f"name ends: check it.\nkind: {_KIND_NAMES}",
    )
    return doc


# --------------------------------------------------------------------------- tasks.yaml

TASKS_HEADER = """\
{title}: {heading}, as issued.

One entry a task, in the plan's order. Fields:
  number     the plan's number{span}
  action     the numeral of the action the task belongs to{gaps}
  title      the task's first sentence
  text       the task's full text as issued, without the parenthesis of deadline and units
  deadline   完成时限: a month means its last day; 长期坚持 is written `ongoing: true`{two_phases}
  units      责任单位 in the plan's order; the first is the lead unit (牵头)
  progress   dated progress notes: {{on, note, by, evidence}}
  done       the completion: {{on, note, evidence}}"""


def task_entry(task: ParsedTask, indent: int = 4) -> Any:
    """One task of data/tasks.yaml, with the text's phrases beside its values."""
    node = yamlio.rt_new({**task.record(), "progress": [], "done": None})
    annotate_task(node, task, indent)
    return node


def annotate_task(node: Any, task: ParsedTask, indent: int = 4) -> None:
    """The comments beside a task's values: the phrases of the text they were read from."""
    if task.source_number != task.number:
        eol(node, "number", f"the text numbers it {task.source_number}", indent, str(task.number))
    if task.ongoing:
        eol(node, "ongoing", task.deadline_phrase or "ongoing", indent, "true")
    elif task.deadline is not None:
        eol(node, "deadline", task.deadline_phrase or "", indent, task.deadline.isoformat())
    else:
        said = f" ({task.deadline_phrase})" if task.deadline_phrase else ""
        eol(node, "deadline", f"完成时限{said}: not read from the text; write it", indent, "null")
    if task.units:
        eol(node, "units", task.units_phrase or "", indent, flow(task.units))
    else:
        eol(node, "units", "责任单位: none in the text; add them", indent, "[]")


def action_heading(numeral: str, title: str) -> str:
    return f"\n（{numeral}）{title}"


def tasks_document(parsed: ParsedPlan) -> Any:
    """data/tasks.yaml as round-trip data, with the actions as headings between the tasks."""
    doc = yamlio.rt_new({"tasks": []})
    seq = doc["tasks"]
    seq.fa.set_block_style()
    titles = {a.numeral: a.title for a in parsed.actions}
    previous: str | None = None
    for i, t in enumerate(parsed.tasks):
        seq.append(task_entry(t))
        if t.action != previous:
            heading = action_heading(t.action, titles.get(t.action, ""))
            seq.yaml_set_comment_before_after_key(i, before=heading, indent=2)
            previous = t.action
    heading = parsed.tasks_heading or "the tasks"
    numbers = [t.number for t in parsed.tasks]
    span = f" ({min(numbers)}–{max(numbers)})" if numbers else ""
    missing = _gaps([a.numeral for a in parsed.actions])
    gaps = f" (the plan has no {'、'.join(missing)})" if missing else ""
    two_phases = (
        "\n             (a deadline, then 长期坚持: `ongoing_after: true`, check-ins once it is done)"
        if any(t.ongoing_after for t in parsed.tasks)
        else ""
    )
    start_comment(
        doc,
        TASKS_HEADER.format(
            title=parsed.title, heading=heading, span=span, gaps=gaps, two_phases=two_phases
        ),
    )
    return doc


# --------------------------------------------------------------------------- checks and files


def check_documents(plan: bytes, units: bytes, tasks: bytes) -> list[Problem]:
    """The three files as ``safeplan validate`` would find them (before they are written)."""
    problems: list[Problem] = []
    parsed_plan = parse_bytes(plan, PLAN_FILE.as_posix(), Plan)
    parsed_units = parse_bytes(units, UNITS_FILE.as_posix(), UnitsFile, strip=2)
    parsed_tasks = parse_bytes(tasks, TASKS_FILE.as_posix(), TasksFile, strip=2)
    for parsed in (parsed_plan, parsed_units, parsed_tasks):
        problems.extend(parsed.problems)
    p, u, t = parsed_plan.record, parsed_units.record, parsed_tasks.record
    if isinstance(p, Plan):
        problems += located(check_plan(p), PLAN_FILE.as_posix(), parsed_plan.text)
    if isinstance(u, UnitsFile):
        problems += located(check_units(u.units), UNITS_FILE.as_posix(), parsed_units.text)
    if isinstance(t, TasksFile):
        found = check_tasks(t.tasks)
        if isinstance(p, Plan):
            names = [x.name for x in u.units] if isinstance(u, UnitsFile) else None
            found += check_task_references(t.tasks, [a.numeral for a in p.actions], names)
        problems += located(found, TASKS_FILE.as_posix(), parsed_tasks.text)
    return sorted(problems, key=Problem.sort_key)


def imported_line(parsed: ParsedPlan) -> tuple[str, dict[str, Any]]:
    """The one line that says what an import read."""
    return (
        N_("{title}: {tasks} in {actions}, {units}, {goals}"),
        {
            "title": parsed.title,
            "tasks": NP_("{n} task", "{n} tasks", len(parsed.tasks)),
            "actions": NP_("{n} action", "{n} actions", len(parsed.actions)),
            "units": NP_("{n} unit", "{n} units", len(parsed.units)),
            "goals": NP_("{n} goal", "{n} goals", len(parsed.goals)),
        },
    )


def plan_files(parsed: ParsedPlan, source: bytes | None) -> dict[str, bytes]:
    """The files of a new plan, by their path in the repository."""
    files = {
        PLAN_FILE.as_posix(): yamlio.rt_dump_new(
            plan_document(parsed, SOURCE_FILE.as_posix() if source is not None else None)
        ),
        UNITS_FILE.as_posix(): yamlio.rt_dump_new(units_document(parsed)),
        TASKS_FILE.as_posix(): yamlio.rt_dump_new(tasks_document(parsed)),
    }
    if source is not None:
        files[SOURCE_FILE.as_posix()] = source
    return files


@dataclass(frozen=True)
class FileSet:
    """Files an import writes: by path, the bytes before (None: a new file) and after, and the
    line that says what was done (an English template and its parameters)."""

    root: Path
    files: tuple[tuple[str, bytes | None, bytes], ...]
    template: str
    params: dict[str, Any]
    commit_message: str

    @property
    def rels(self) -> list[str]:
        return [rel for rel, _, _ in self.files]


def new_files(
    root: Path, files: dict[str, bytes], template: str, params: dict[str, Any], message: str
) -> FileSet:
    """Files to create (never over an existing one)."""
    return FileSet(
        root, tuple((rel, None, data) for rel, data in files.items()), template, params, message
    )
