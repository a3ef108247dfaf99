"""The lines of a plan text: how a section, an action and a task begin, what is said of a
line that does not read, and a task's lines gathered until its parenthesis closes it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from safeplan.importers.plantext import phrases as ph
from safeplan.importers.plantext import words
from safeplan.problems import N_, Problem, Severity


@dataclass
class Findings:
    """What is said of one text, each finding at its line."""

    path: str
    found: list[Problem] = field(default_factory=list)

    def __call__(
        self, at: int, code: str, template: str, severity: Severity = "warning", **params: Any
    ) -> None:
        self.found.append(Problem(self.path, at, 1, code, template, params, severity))


_NUM = "0-9０-９"
SECTION = re.compile(rf"^(?P<n>{words.CN_NUMERAL})\s*[、．]\s*(?P<title>\S.*)$")
ACTION = re.compile(rf"^[（(]\s*(?P<n>{words.CN_NUMERAL})\s*[）)]\s*(?P<title>.*)$")
#: A task's number: any number of digits up to nine (a plan may have a thousand tasks and
#: more; ten digits are no task number, and such a line is said as not read).
TASK_DOT = re.compile(rf"^(?P<n>[{_NUM}]{{1,9}})\s*[．.、](?![{_NUM}])\s*(?P<rest>.*)$")
TASK_PAREN = re.compile(rf"^[（(]\s*(?P<n>[{_NUM}]{{1,9}})\s*[）)]\s*(?P<rest>.*)$")
#: A line numbered as a task is, with a number too long to be one: the import is refused.
LONG_NUMBER = re.compile(rf"^[（(]?\s*[{_NUM}]{{10,}}\s*[．.、）)](?![{_NUM}])")
#: A section that holds the tasks: 二、重点任务, 主要任务, 重点工作, 专项行动, 主要措施.
TASK_SECTION = re.compile(r"任务|重点工作|(?<!保障)行动|主要措施|工作措施")

# Message templates (English msgids; Chinese in the catalog).
UNREAD_LINE = N_(
    "line not read into any record (in the task section, but no task, action or heading, "
    "nor part of an unfinished task): {text}"
)
TITLE_COMPLETED = N_(
    "the title line is cut short ('{line}'): the title was completed as {title} from the "
    "issuer's name; check it"
)
NO_TITLE = N_("no title found before the text begins: write the plan's title as its first line")
NO_ISSUER = N_(
    "the text does not say who issued the plan (as in '经某某镇人民政府研究'): write the "
    "issuer in plan/plan.yaml"
)
ISSUER_GUESSED = N_(
    "the text does not say who issued the plan: {issuer} was taken from the title; check it"
)
NAME_DIFFERS = N_("the text names {place}, --name says {name}: the text's name is used")
NO_PERIOD = N_(
    "no period found (such as （2024—2026年） in the title): the period was set to "
    "{start}–{end}; correct it in plan/plan.yaml"
)
NO_TASKS = N_(
    "no numbered tasks found (lines such as '1．…' under a section like '二、重点任务'): "
    "nothing to import"
)
ACTION_GAP = N_(
    "the actions go from （{before}） to （{after}）, without {missing}: check that no text "
    "was lost (the numbering is kept as the text has it)"
)
ACTION_ORDER = N_("action （{numeral}） comes after （{before}）: check the numbering")
TASK_GAP = N_(
    "the tasks go from {before} to {after}, without {missing}: check that no text was lost "
    "(the numbering is kept as the text has it)"
)
TASK_FIRST = N_(
    "the first task is numbered {first}, without {missing} before it: check that no text was lost"
)
LOST_TASK = N_(
    "this line is numbered as a task, but its number has more than nine digits and was not "
    "read as one: correct the number (nothing is imported while a task would be lost)"
)
TASK_ORDER = N_("task {number} comes after task {before}: check the numbering")
TASK_DUPLICATE = N_("task number {number} is used twice (also on line {other}): renumber one")
TASK_RESTARTS = N_(
    "the text numbers its tasks within each action: they were numbered through the plan "
    "(1–{last}); each task's own number is in a comment beside it"
)
TASK_OUTSIDE_ACTION = N_(
    "task {number} comes before any action （一）… of its section: it was put in an action "
    "named after the section, （{numeral}）{title}"
)
NO_DEADLINE = N_(
    "task {number} has no deadline (完成时限): it is kept without one; add it in data/tasks.yaml"
)
BAD_DEADLINE = N_(
    "task {number}: the deadline '{text}' cannot be read: the task is kept without one; "
    "write it in data/tasks.yaml"
)
SEVERAL_DEADLINES = N_(
    "task {number}: the deadline '{text}' names several dates: the latest, {date}, was kept"
)
NO_UNITS = N_(
    "task {number} names no responsible unit (责任单位): it is kept without one; add its "
    "units in data/tasks.yaml"
)
UNREAD_PART = N_("task {number}: part of its parenthesis was not read: {text}")
NO_TEXT = N_("task {number} has no text before its parenthesis")
GROUP_NO_MEMBERS = N_(
    "{name} stands for several units, but the plan names none of them: list its members "
    "in data/units.yaml"
)
PARENT_NO_ISSUER = N_(
    "the preamble cites {title} without saying who issued it: fill in its issuer in plan/plan.yaml"
)
PLACEHOLDER = "（待填写）"


def number_of(digits: str) -> int:
    """A task number as written (full-width digits too)."""
    return int(unicodedata.normalize("NFKC", digits))


def _depth(text: str, depth: int = 0) -> int:
    """How many brackets are open at the end of ``text`` (given ``depth`` open before it)."""
    for c in text:
        if c in words.OPEN:
            depth += 1
        elif c in words.CLOSE:
            depth = max(0, depth - 1)
    return depth


@dataclass
class TaskLines:
    """A task's lines as they come, and whether its parenthesis has closed it.

    The bracket depth is kept as lines are added, and the parenthesis looked for only when
    a line could close it, so that a long task costs one pass over its text.
    """

    number: int
    line: int
    action: str | None
    text: str = ""
    depth: int = 0
    complete: bool = False

    def add(self, line: str) -> None:
        if not self.text:
            self.text = line
        elif self.depth > 0 or self.text[-1] in "、，,：:；;（(":
            self.text += line  # a line broken inside a sentence or a parenthesis
        else:
            self.text += "\n" + line
        self.depth = _depth(line, self.depth)
        end = line.rstrip(" \t\u3000。.；;")
        could_close = end[-1:] in words.CLOSE or ph.has_key(line)
        if self.depth == 0 and could_close:
            self.complete = bool(ph.peel_parentheses(self.text)[1])


@dataclass
class Section:
    numeral: str
    title: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)
