"""The body of a plan text: its sections, the actions （一）… and numbered tasks of the
sections that hold them, each task's parenthesis read, and the numbering checked."""

from __future__ import annotations

import itertools
import re

from safeplan.importers.plantext import deadlines, words
from safeplan.importers.plantext import phrases as ph
from safeplan.importers.plantext.lines import (
    ACTION,
    ACTION_GAP,
    ACTION_ORDER,
    BAD_DEADLINE,
    LONG_NUMBER,
    LOST_TASK,
    NO_DEADLINE,
    NO_TASKS,
    NO_TEXT,
    NO_UNITS,
    PLACEHOLDER,
    SECTION,
    SEVERAL_DEADLINES,
    TASK_DOT,
    TASK_DUPLICATE,
    TASK_FIRST,
    TASK_GAP,
    TASK_ORDER,
    TASK_OUTSIDE_ACTION,
    TASK_PAREN,
    TASK_RESTARTS,
    TASK_SECTION,
    UNREAD_LINE,
    UNREAD_PART,
    Findings,
    Section,
    TaskLines,
    number_of,
)
from safeplan.importers.plantext.parsed import ParsedTask
from safeplan.models.records import Action
from safeplan.problems import ListOf

#: The code of a line that is a task the import could not read: the import is refused.
LOST_TASK_CODE = "lost-task"


# -- sections, actions, tasks
def sections_of(body: list[tuple[int, str]]) -> list[Section]:
    """The body cut at each section heading (一、…); lines before the first are a section."""
    sections: list[Section] = []
    current: Section | None = None
    for no, s in body:
        m = SECTION.match(s)
        if m:
            current = Section(m["n"], ph.first_sentence(m["title"]).rstrip("。"), no)
            sections.append(current)
            continue
        if current is None:
            current = Section("", "", no)
            sections.append(current)
        current.lines.append((no, s))
    return sections


def sections_with_tasks(sections: list[Section]) -> list[Section]:
    """The sections that hold tasks: by their heading, else those with numbered tasks."""
    named = [s for s in sections if s.numeral and TASK_SECTION.search(s.title)]
    if named:
        return named
    with_tasks = [
        s
        for s in sections
        if any(
            (TASK_DOT.match(x) or TASK_PAREN.match(x)) and ph.peel_parentheses(x)[1]
            for _, x in s.lines
        )
    ]
    return with_tasks or [s for s in sections if not s.numeral]


def read_tasks(find: Findings, sections: list[Section]) -> tuple[list[Action], list[ParsedTask]]:
    """The actions and tasks of the task sections; a line that is neither is said."""
    actions: list[tuple[int, Action]] = []
    raw: list[TaskLines] = []
    style: re.Pattern[str] | None = None
    for section in sections:
        action: str | None = None
        current: TaskLines | None = None
        for no, s in section.lines:
            if not s:
                continue
            m = ACTION.match(s)
            if m and (current is None or current.depth == 0):
                current = None
                title = ph.first_sentence(m["title"])
                rest = words.strip_text(m["title"][len(title) :])
                action = m["n"]
                actions.append((no, Action(numeral=action, title=title.rstrip("。") or action)))
                if rest:
                    find(no, "unread-line", UNREAD_LINE, text=rest)
                continue
            if style is None:
                style = (
                    TASK_DOT if TASK_DOT.match(s) else TASK_PAREN if TASK_PAREN.match(s) else None
                )
            t = style.match(s) if style is not None else None
            if t is not None and (current is None or current.depth == 0):
                if action is None:
                    action = section.numeral or "一"
                    title = section.title or PLACEHOLDER
                    actions.append((no, Action(numeral=action, title=title)))
                    find(
                        no,
                        "task-outside-action",
                        TASK_OUTSIDE_ACTION,
                        number=number_of(t["n"]),
                        numeral=action,
                        title=title,
                    )
                current = TaskLines(number_of(t["n"]), no, action)
                current.add(words.strip_text(t["rest"]))
                raw.append(current)
                continue
            if current is not None and (
                not current.complete
                or words.fold(s).startswith(ph.DEADLINE_KEYS + tuple(ph.UNIT_KEYS))
            ):
                current.add(s)
                continue
            if LONG_NUMBER.match(s):
                find(no, LOST_TASK_CODE, LOST_TASK, "error")
                continue
            find(no, "unread-line", UNREAD_LINE, text=s)
    _check_actions(find, actions)
    if not raw:
        line = sections[0].line if sections else 1
        find(line, "no-tasks", NO_TASKS, "error")
    tasks = [_task(find, t) for t in raw]
    _check_numbers(find, tasks)
    return [a for _, a in actions], tasks


def _task(find: Findings, lines: TaskLines) -> ParsedTask:
    """One task: its text, title, deadline and units from its parenthesis."""
    n = lines.number
    body, groups = ph.peel_parentheses(lines.text)
    paren = ph.Parenthesis()
    for g in groups:
        part = ph.read_parenthesis(g)
        if paren.deadline_text is None:
            paren.deadline_text, paren.deadline_phrase = (
                part.deadline_text,
                part.deadline_phrase,
            )
        elif part.deadline_text is not None:
            paren.unread.append(part.deadline_phrase or part.deadline_text)
        paren.units.extend(part.units)
        paren.unit_phrases += part.unit_phrases
        paren.unread += part.unread
    for text in paren.unread:
        find(lines.line, "unread-part", UNREAD_PART, number=n, text=text)
    deadline, ongoing, then_ongoing, check_in = None, False, False, "quarter"
    if paren.deadline_text is None:
        find(lines.line, "no-deadline", NO_DEADLINE, number=n)
    else:
        read, several = deadlines.read_deadline(paren.deadline_text)
        if read is None:
            find(lines.line, "bad-deadline", BAD_DEADLINE, number=n, text=paren.deadline_text)
        else:
            deadline, ongoing, then_ongoing = read.day, read.ongoing, read.then_ongoing
            check_in = read.check_in or "quarter"
            if several:
                find(
                    lines.line,
                    "several-deadlines",
                    SEVERAL_DEADLINES,
                    number=n,
                    text=paren.deadline_text,
                    date=deadline,
                )
    units = paren.units.ordered()
    if not units:
        find(lines.line, "no-units", NO_UNITS, number=n)
    text = body.strip()
    if not text:
        find(lines.line, "no-text", NO_TEXT, "error", number=n)
    return ParsedTask(
        number=n,
        source_number=n,
        action=lines.action or "",
        title=ph.first_sentence(text),
        text=text,
        deadline=deadline,
        ongoing=ongoing,
        check_in=check_in,
        ongoing_after=then_ongoing,
        units=units,
        line=lines.line,
        deadline_phrase=paren.deadline_phrase,
        units_phrase="；".join(paren.unit_phrases) or None,
    )


def _check_actions(find: Findings, actions: list[tuple[int, Action]]) -> None:
    """Gaps and disorder in the actions' numbering （一）（二）…."""
    previous: tuple[int, str] | None = None
    for no, action in actions:
        value = words.numeral_value(action.numeral)
        if value is None:
            continue
        before = previous[0] if previous else 0
        if value > before + 1:
            missing = ListOf(f"（{words.numeral_of(v)}）" for v in range(before + 1, value))
            find(
                no,
                "action-gap",
                ACTION_GAP,
                before=previous[1] if previous else "—",
                after=action.numeral,
                missing=missing,
            )
        elif value <= before and previous is not None:
            find(no, "action-order", ACTION_ORDER, numeral=action.numeral, before=previous[1])
        previous = (value, action.numeral)


def _check_numbers(find: Findings, tasks: list[ParsedTask]) -> None:
    """Gaps, repeats and disorder in the tasks' numbering; a restart in each action renumbers."""
    if not tasks:
        return
    restarts = any(
        b.number <= a.number and b.action != a.action and b.number == 1
        for a, b in itertools.pairwise(tasks)
    )
    if restarts:
        for i, t in enumerate(tasks, 1):
            t.number = i
        find(tasks[0].line, "numbering-restarts", TASK_RESTARTS, last=len(tasks))
        return
    first = tasks[0]
    if first.number > 1:
        find(
            first.line,
            "task-gap",
            TASK_FIRST,
            first=first.number,
            missing=ListOf(range(1, first.number)),
        )
    seen: dict[int, int] = {first.number: first.line}
    for a, b in itertools.pairwise(tasks):
        if b.number in seen:
            find(
                b.line,
                "task-duplicate",
                TASK_DUPLICATE,
                "error",
                number=b.number,
                other=seen[b.number],
            )
        elif b.number > a.number + 1:
            find(
                b.line,
                "task-gap",
                TASK_GAP,
                before=a.number,
                after=b.number,
                missing=ListOf(range(a.number + 1, b.number)),
            )
        elif b.number < a.number:
            find(b.line, "task-order", TASK_ORDER, number=b.number, before=a.number)
        seen.setdefault(b.number, b.line)
