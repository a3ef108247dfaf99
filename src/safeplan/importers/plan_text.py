"""The plan as issued (Chinese official text) → a typed result: the plan, its tasks and units,
and every finding a person should look at.

Pure: text in, value out — no I/O, no printing, no clock. The text is read in one pass
over its lines:

- the **head**: the title (also split over two lines, or cut short, as the shipped
  Dajing source is: the town's name then comes from the issuer) and the preamble, which
  gives the issuer (``经大井镇人民政府研究``) and the cited parent plans with their numbers;
- the **sections** 一、二、三: the one that holds the tasks (重点任务) is read into actions
  （一）… and numbered tasks (``N．``, ``N.``, ``N、`` or ``（N）``); the others are read for
  the goals (一（三）行动目标);
- each **task**: its text up to the parenthesis of deadline and units (read by
  :mod:`safeplan.importers.phrases`), its title (the first sentence).

Nothing is dropped silently: a line of the task section that is no task, action or
heading, a numbering gap, a task without deadline or unit, a part of a parenthesis that
cannot be read — each is a :class:`~safeplan.problems.Problem` at its line, with the raw
text. The source's numbering is kept (the shipped plan has no （八）).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from safeplan.importers import phrases as ph
from safeplan.models.records import Action, Goal, ParentPlan, Period, Plan
from safeplan.problems import N_, ListOf, Problem, Severity

# --------------------------------------------------------------------------- the result


@dataclass
class ParsedTask:
    """One numbered task as the text gives it."""

    number: int
    #: The number the text writes (differs from ``number`` only when the text restarts
    #: its numbering in each action).
    source_number: int
    action: str
    title: str
    text: str
    deadline: dt.date | None
    ongoing: bool
    check_in: str
    units: list[str]
    line: int
    #: The phrases as written, kept as comments beside the values (完成时限：2024年12月).
    deadline_phrase: str | None = None
    units_phrase: str | None = None

    def record(self) -> dict[str, Any]:
        """The task as data/tasks.yaml holds it, in the model's key order."""
        out: dict[str, Any] = {
            "number": self.number,
            "action": self.action,
            "title": self.title,
            "text": self.text,
        }
        if self.ongoing:
            out["ongoing"] = True
            out["check_in"] = self.check_in
        else:
            out["deadline"] = self.deadline
        out["units"] = list(self.units)
        return out


@dataclass
class ParsedUnit:
    """A responsible unit, created where the text first names it."""

    name: str
    kind: str
    line: int
    #: The ending of the name that decided the kind (站, 办, …): the kind is a guess.
    because: str = ""
    members: list[str] = field(default_factory=list)
    #: For a group: the units named beside it, which its members leave out.
    beside: list[str] = field(default_factory=list)


@dataclass
class ParsedPlan:
    """Everything read from the text, and what a person should look at."""

    path: str
    title: str
    issuer: str
    period: tuple[dt.date, dt.date]
    parent_plans: list[ParentPlan]
    actions: list[Action]
    goals: list[Goal]
    tasks: list[ParsedTask]
    units: list[ParsedUnit]
    findings: list[Problem]
    #: Where the title and the issuer came from, for the comments of plan.yaml.
    title_line: str = ""
    title_completed: bool = False
    issuer_phrase: str = ""
    goals_sentence: str = ""
    goals_heading: str = ""
    tasks_heading: str = ""

    def plan(self, source: str | None = "plan/source.txt") -> Plan:
        """The plan record (plan/plan.yaml)."""
        start, end = self.period
        return Plan(
            title=self.title,
            issuer=self.issuer,
            period=Period(start=start, end=end),
            source=source,
            parent_plans=self.parent_plans,
            actions=self.actions,
            goals=self.goals,
        )


# --------------------------------------------------------------------------- the lines

_NUM = "0-9０-９"
SECTION = re.compile(rf"^(?P<n>{ph.CN_NUMERAL})\s*[、．]\s*(?P<title>\S.*)$")
ACTION = re.compile(rf"^[（(]\s*(?P<n>{ph.CN_NUMERAL})\s*[）)]\s*(?P<title>.*)$")
TASK_DOT = re.compile(rf"^(?P<n>[{_NUM}]{{1,3}})\s*[．.、](?![{_NUM}])\s*(?P<rest>.*)$")
TASK_PAREN = re.compile(rf"^[（(]\s*(?P<n>[{_NUM}]{{1,3}})\s*[）)]\s*(?P<rest>.*)$")
#: A section that holds the tasks: 二、重点任务, 主要任务, 重点工作, 专项行动, 主要措施.
TASK_SECTION = re.compile(r"任务|重点工作|(?<!保障)行动|主要措施|工作措施")
_DOC_NUMBER = re.compile(r"〔\s*\d{4}\s*〕\s*\d+\s*号$")
_NOTICE = re.compile(r"^(?P<issuer>.+?)关于印发《(?P<title>.+)》的通知$")
_BODY_START = re.compile(r"^(?:为|根据|按照|依据|现将|经|遵照|结合)")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_DECIDED_BY = re.compile(r"经(?P<issuer>[^，,。；;、《》]{2,30}?)(?:研究|同意|审议|审定|批准|讨论)")
_ORG_LINE = re.compile(r"(?:人民政府|政府|委员会|办公室|办事处)$")
_PLAN_WORDS = ("方案", "计划", "规划", "意见")

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


def _int(digits: str) -> int:
    return int(unicodedata.normalize("NFKC", digits))


def _depth(text: str, depth: int = 0) -> int:
    """How many brackets are open at the end of ``text`` (given ``depth`` open before it)."""
    for c in text:
        if c in ph.OPEN:
            depth += 1
        elif c in ph.CLOSE:
            depth = max(0, depth - 1)
    return depth


@dataclass
class _TaskLines:
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
        could_close = end[-1:] in ph.CLOSE or ph.has_key(line)
        if self.depth == 0 and could_close:
            self.complete = bool(ph.peel_parentheses(self.text)[1])


@dataclass
class _Section:
    numeral: str
    title: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


# --------------------------------------------------------------------------- the parser


class _Parser:
    def __init__(self, text: str, path: str, name: str | None) -> None:
        text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        self.lines = text.split("\n")
        self.path = path
        self.name = ph.strip_text(name) if name else None
        self.findings: list[Problem] = []

    def find(
        self, at: int, code: str, template: str, severity: Severity = "warning", **params: Any
    ) -> None:
        self.findings.append(Problem(self.path, at, 1, code, template, params, severity))

    # -- the whole
    def run(self) -> ParsedPlan:
        numbered = [(i + 1, ph.strip_text(raw)) for i, raw in enumerate(self.lines)]
        start = self._body_start(numbered)
        head, body = numbered[:start], numbered[start:]
        title_lines, preamble, notice = self._head(head)
        preamble_text = "".join(s for _, s in preamble)
        cited = [c for c in ph.citations(preamble_text) if any(w in c.title for w in _PLAN_WORDS)]
        issuer, issuer_phrase, issuer_line = self._issuer(preamble, head, notice)
        title_raw = "".join(s for _, s in title_lines) or (notice[1] if notice else "")
        as_written = "".join(self.lines[no - 1].rstrip() for no, _ in title_lines)
        title_line_no = title_lines[0][0] if title_lines else 1
        place = ph.place_of(issuer) if issuer else ""
        if self.name and place and self.name != place:
            self.find(issuer_line, "name-differs", NAME_DIFFERS, place=place, name=self.name)
        place = place or self.name or ""
        title, completed = self._title(title_raw, title_line_no, place, cited)
        cited = [c for c in cited if ph.fold(c.title) != ph.fold(title)]
        if not issuer:
            issuer = self._issuer_fallback(title, place, title_line_no)
        period = self._period(title, cited, preamble_text, title_line_no)
        parents = self._parents(cited, preamble)
        sections = self._sections(body)
        task_sections = self._task_sections(sections)
        actions, tasks = self._tasks(task_sections)
        goals, goal_sentence, goal_heading = self._goals(
            [s for s in sections if s not in task_sections], preamble, period
        )
        units = self._units(tasks, ph.level_of(place), place)
        return ParsedPlan(
            path=self.path,
            title=title or PLACEHOLDER,
            issuer=issuer or PLACEHOLDER,
            period=period,
            parent_plans=parents,
            actions=actions,
            goals=goals,
            tasks=tasks,
            units=units,
            findings=sorted(self.findings, key=Problem.sort_key),
            title_line=as_written or title_raw,
            title_completed=completed,
            issuer_phrase=issuer_phrase,
            goals_sentence=goal_sentence,
            goals_heading=goal_heading,
            tasks_heading=(
                f"{task_sections[0].numeral}、{task_sections[0].title}"
                if task_sections and task_sections[0].numeral
                else ""
            ),
        )

    def _body_start(self, numbered: list[tuple[int, str]]) -> int:
        """The first section heading (一、…); without sections, the first action or task."""
        for i, (_, s) in enumerate(numbered):
            if SECTION.match(s):
                return i
        for i, (_, s) in enumerate(numbered):
            if ACTION.match(s) or TASK_DOT.match(s) or TASK_PAREN.match(s):
                return i
        return len(numbered)

    # -- the head: title, preamble, issuer
    def _head(
        self, head: list[tuple[int, str]]
    ) -> tuple[list[tuple[int, str]], list[tuple[int, str]], tuple[str, str] | None]:
        """(title lines, preamble lines, the notice's (issuer, title) if the head has one).

        The title is the last run of short heading-like lines before the preamble begins
        (为…, 根据…, 经…): a notice that wraps the plan (关于印发…的通知, its number, the
        addressees, 现将…印发给你们) comes before it and is not the plan's text.
        """
        run: list[tuple[int, str]] = []
        preamble: list[tuple[int, str]] = []
        notice: tuple[str, str] | None = None
        for no, s in head:
            if not s:
                continue
            if preamble:
                preamble.append((no, s))
                continue
            m = _NOTICE.match(s)
            if m:
                notice = (m["issuer"], m["title"])
                run = []
                continue
            if (_DOC_NUMBER.search(s) and len(s) < 30) or _DATE_LINE.match(s):
                run = []
                continue
            title_like = (
                len(ph.fold(s)) <= 50
                and s[-1] not in "。；;，,：:"
                and not _BODY_START.match(s)
                and not _ORG_LINE.search(s)
            )
            if title_like:
                run.append((no, s))
            elif _BODY_START.match(s) or len(ph.fold(s)) > 50:
                if s.startswith("现将"):  # the notice's own sentence
                    run = []
                    continue
                preamble.append((no, s))
            else:
                run = []  # addressees (各村（社区）：), a signature
        return run, preamble, notice

    def _issuer(
        self,
        preamble: list[tuple[int, str]],
        head: list[tuple[int, str]],
        notice: tuple[str, str] | None,
    ) -> tuple[str, str, int]:
        """(issuer, the phrase that says so, its line): ``经大井镇人民政府研究`` first."""
        for no, s in preamble:
            m = _DECIDED_BY.search(s)
            if m:
                clause = s[m.start() :]
                end = re.search(r"[。；;]", clause)
                return m["issuer"], clause[: end.start()] if end else clause, no
        if notice:
            line = next((no for no, s in head if _NOTICE.match(s)), 1)
            return notice[0], f"{notice[0]}关于印发《{notice[1]}》的通知", line
        for no, s in head:
            if _ORG_LINE.search(s) and len(s) <= 30 and ph.place_of(s):
                return s, s, no
        return "", "", 1

    def _issuer_fallback(self, title: str, place: str, line: int) -> str:
        if not place:
            m = re.match(r"^(.{2,12}?(?:镇|乡|苏木|街道|县|旗|区|市|盟))", title)
            place = m[1] if m and ph.level_of(m[1]) else ""
        if not place:
            self.find(line, "no-issuer", NO_ISSUER, "error")
            return ""
        issuer = place + ("办事处" if place.endswith("街道") else "人民政府")
        if self.name is None:
            self.find(line, "issuer-guessed", ISSUER_GUESSED, issuer=issuer)
        return issuer

    def _title(self, raw: str, line: int, place: str, cited: list[ph.Citation]) -> tuple[str, bool]:
        """The title, completed from the issuer's place when the line is cut short."""
        raw = re.sub(r"[ \t\u3000]+", "", raw)
        if any(w in raw for w in _PLAN_WORDS):
            return raw, False
        bases = []
        for c in cited:
            base = c.title
            own = ph.place_of(c.issuer)
            if own and base.startswith(own):
                base = base[len(own) :]
            if base not in bases:
                bases.append(base)
        fitting = [b for b in bases if ph.fold(b).endswith(ph.fold(raw))] if raw else bases
        # The shortest fitting base is the national one, without a place of its own.
        fitting.sort(key=len)
        if not place or not fitting:
            self.find(line, "no-title", NO_TITLE, "error")
            return raw, False
        title = place + fitting[0]
        self.find(line, "title-completed", TITLE_COMPLETED, line=raw, title=title)
        return title, True

    def _period(
        self, title: str, cited: list[ph.Citation], preamble: str, line: int
    ) -> tuple[dt.date, dt.date]:
        for text in (title, *(c.title for c in cited), preamble):
            years = ph.period_of(text)
            if years:
                return dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)
        start, end = dt.date(2024, 1, 1), dt.date(2026, 12, 31)
        self.find(line, "no-period", NO_PERIOD, "error", start=start, end=end)
        return start, end

    def _parents(
        self, cited: list[ph.Citation], preamble: list[tuple[int, str]]
    ) -> list[ParentPlan]:
        out: list[ParentPlan] = []
        for c in cited:
            issuer = c.issuer
            if not issuer:
                line = next((no for no, s in preamble if c.title in s), 1)
                self.find(line, "parent-issuer", PARENT_NO_ISSUER, title=f"《{c.title}》")
                issuer = PLACEHOLDER
            plan = ParentPlan(title=c.title, issuer=issuer, number=c.number)
            if plan not in out:
                out.append(plan)
        return out

    # -- sections, actions, tasks
    def _sections(self, body: list[tuple[int, str]]) -> list[_Section]:
        sections: list[_Section] = []
        current: _Section | None = None
        for no, s in body:
            m = SECTION.match(s)
            if m:
                current = _Section(m["n"], ph.first_sentence(m["title"]).rstrip("。"), no)
                sections.append(current)
                continue
            if current is None:
                current = _Section("", "", no)
                sections.append(current)
            current.lines.append((no, s))
        return sections

    def _task_sections(self, sections: list[_Section]) -> list[_Section]:
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

    def _tasks(self, sections: list[_Section]) -> tuple[list[Action], list[ParsedTask]]:
        actions: list[tuple[int, Action]] = []
        raw: list[_TaskLines] = []
        style: re.Pattern[str] | None = None
        for section in sections:
            action: str | None = None
            current: _TaskLines | None = None
            for no, s in section.lines:
                if not s:
                    continue
                m = ACTION.match(s)
                if m and (current is None or current.depth == 0):
                    current = None
                    title = ph.first_sentence(m["title"])
                    rest = ph.strip_text(m["title"][len(title) :])
                    action = m["n"]
                    actions.append((no, Action(numeral=action, title=title.rstrip("。") or action)))
                    if rest:
                        self.find(no, "unread-line", UNREAD_LINE, text=rest)
                    continue
                if style is None:
                    style = (
                        TASK_DOT
                        if TASK_DOT.match(s)
                        else TASK_PAREN
                        if TASK_PAREN.match(s)
                        else None
                    )
                t = style.match(s) if style is not None else None
                if t is not None and (current is None or current.depth == 0):
                    if action is None:
                        action = section.numeral or "一"
                        title = section.title or PLACEHOLDER
                        actions.append((no, Action(numeral=action, title=title)))
                        self.find(
                            no,
                            "task-outside-action",
                            TASK_OUTSIDE_ACTION,
                            number=_int(t["n"]),
                            numeral=action,
                            title=title,
                        )
                    current = _TaskLines(_int(t["n"]), no, action)
                    current.add(ph.strip_text(t["rest"]))
                    raw.append(current)
                    continue
                if current is not None and (
                    not current.complete
                    or ph.fold(s).startswith(ph.DEADLINE_KEYS + tuple(ph.UNIT_KEYS))
                ):
                    current.add(s)
                    continue
                self.find(no, "unread-line", UNREAD_LINE, text=s)
        self._check_actions(actions)
        if not raw:
            line = sections[0].line if sections else 1
            self.find(line, "no-tasks", NO_TASKS, "error")
        tasks = [self._task(t) for t in raw]
        self._check_numbers(tasks)
        return [a for _, a in actions], tasks

    def _task(self, lines: _TaskLines) -> ParsedTask:
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
            self.find(lines.line, "unread-part", UNREAD_PART, number=n, text=text)
        deadline, ongoing, check_in = None, False, "quarter"
        if paren.deadline_text is None:
            self.find(lines.line, "no-deadline", NO_DEADLINE, number=n)
        else:
            read, several = ph.read_deadline(paren.deadline_text)
            if read is None:
                self.find(
                    lines.line, "bad-deadline", BAD_DEADLINE, number=n, text=paren.deadline_text
                )
            else:
                deadline, ongoing = read.day, read.ongoing
                check_in = read.check_in or "quarter"
                if several:
                    self.find(
                        lines.line,
                        "several-deadlines",
                        SEVERAL_DEADLINES,
                        number=n,
                        text=paren.deadline_text,
                        date=deadline,
                    )
        units = paren.units.ordered()
        if not units:
            self.find(lines.line, "no-units", NO_UNITS, number=n)
        text = body.strip()
        if not text:
            self.find(lines.line, "no-text", NO_TEXT, "error", number=n)
        return ParsedTask(
            number=n,
            source_number=n,
            action=lines.action or "",
            title=ph.first_sentence(text),
            text=text,
            deadline=deadline,
            ongoing=ongoing,
            check_in=check_in,
            units=units,
            line=lines.line,
            deadline_phrase=paren.deadline_phrase,
            units_phrase="；".join(paren.unit_phrases) or None,
        )

    def _check_actions(self, actions: list[tuple[int, Action]]) -> None:
        previous: tuple[int, str] | None = None
        for no, action in actions:
            value = ph.numeral_value(action.numeral)
            if value is None:
                continue
            before = previous[0] if previous else 0
            if value > before + 1:
                missing = ListOf(f"（{ph.numeral_of(v)}）" for v in range(before + 1, value))
                self.find(
                    no,
                    "action-gap",
                    ACTION_GAP,
                    before=previous[1] if previous else "—",
                    after=action.numeral,
                    missing=missing,
                )
            elif value <= before and previous is not None:
                self.find(
                    no, "action-order", ACTION_ORDER, numeral=action.numeral, before=previous[1]
                )
            previous = (value, action.numeral)

    def _check_numbers(self, tasks: list[ParsedTask]) -> None:
        if not tasks:
            return
        restarts = any(
            b.number <= a.number and b.action != a.action and b.number == 1
            for a, b in itertools.pairwise(tasks)
        )
        if restarts:
            for i, t in enumerate(tasks, 1):
                t.number = i
            self.find(tasks[0].line, "numbering-restarts", TASK_RESTARTS, last=len(tasks))
            return
        first = tasks[0]
        if first.number > 1:
            self.find(
                first.line,
                "task-gap",
                TASK_FIRST,
                first=first.number,
                missing=ListOf(range(1, first.number)),
            )
        seen: dict[int, int] = {first.number: first.line}
        for a, b in itertools.pairwise(tasks):
            if b.number in seen:
                self.find(
                    b.line,
                    "task-duplicate",
                    TASK_DUPLICATE,
                    "error",
                    number=b.number,
                    other=seen[b.number],
                )
            elif b.number > a.number + 1:
                self.find(
                    b.line,
                    "task-gap",
                    TASK_GAP,
                    before=a.number,
                    after=b.number,
                    missing=ListOf(range(a.number + 1, b.number)),
                )
            elif b.number < a.number:
                self.find(b.line, "task-order", TASK_ORDER, number=b.number, before=a.number)
            seen.setdefault(b.number, b.line)

    # -- units
    def _units(self, tasks: list[ParsedTask], level: str, place: str) -> list[ParsedUnit]:
        """Units in order of first appearance, groups after the units they stand for."""
        found: dict[str, ParsedUnit] = {}
        for t in tasks:
            for name in t.units:
                if name not in found:
                    kind, because = ph.kind_of(name, level, place)
                    found[name] = ParsedUnit(name, kind, t.line, because)
        plain = [u for u in found.values() if u.kind != "group"]
        groups = [u for u in found.values() if u.kind == "group"]
        for g in groups:
            beside = {n for t in tasks if g.name in t.units for n in t.units if n != g.name}
            prefix = ph.group_prefix(g.name, level)
            g.beside = [u.name for u in plain if u.name in beside]
            g.members = [
                u.name
                for u in plain
                if u.kind != "committee"
                and u.name not in beside
                and (
                    not prefix or u.name.startswith(prefix) or (place and u.name.startswith(place))
                )
            ]
            if not g.members:
                self.find(g.line, "group-members", GROUP_NO_MEMBERS, name=g.name)
        return plain + groups

    # -- goals
    def _goals(
        self,
        sections: list[_Section],
        preamble: list[tuple[int, str]],
        period: tuple[dt.date, dt.date],
    ) -> tuple[list[Goal], str, str]:
        """The goals in the national wording, wherever the text states them (一（三）)."""
        stated: dict[str, ph.StatedGoal] = {}
        sentence, heading = "", ""
        for section in [_Section("", "", 1, preamble), *sections]:
            sub = ""
            for _no, s in section.lines:
                a = ACTION.match(s)
                if a:
                    sub = f"（{a['n']}）{ph.first_sentence(a['title']).rstrip('。')}"
                for part in re.split(r"(?<=。)", s):
                    found = ph.stated_goals(part)
                    for g in found:
                        stated.setdefault(g.kind, g)
                    if found and not sentence:
                        sentence = ph.strip_text(part).lstrip("—")
                        own = sub or f"、{section.title}"
                        heading = f"{section.numeral}{own}" if section.numeral else ""
        out: list[Goal] = []
        stock_until: dt.date | None = None
        order = sorted(
            stated.values(),
            key=lambda g: ("stock_cleared", "increment_curbed", "dynamic_zero").index(g.kind),
        )
        for g in order:
            if g.kind == "stock_cleared":
                stock_until = g.discovered_until or (period[0] - dt.timedelta(days=1))
                out.append(
                    Goal(id="stock", kind="stock_cleared", title=g.title, level=g.level,
                         discovered_until=stock_until, due=g.due)
                )  # fmt: skip
            elif g.kind == "increment_curbed":
                start = stock_until + dt.timedelta(days=1) if stock_until else period[0]
                out.append(
                    Goal(id="increment", kind="increment_curbed", title=g.title, level=g.level,
                         discovered_from=start, due=g.due)
                )  # fmt: skip
            else:
                out.append(
                    Goal(id="dynamic-zero", kind="dynamic_zero", title=g.title, level=g.level, due=g.due)
                )  # fmt: skip
        return out, sentence, heading


def parse_plan_text(
    text: str, path: str = "plan/source.txt", name: str | None = None
) -> ParsedPlan:
    """Read the plan as issued. ``path`` is how findings name the text; ``name`` is the
    township's name (``--name``), used where the text does not say it."""
    return _Parser(text, path, name).run()
