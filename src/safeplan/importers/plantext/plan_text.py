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
  :mod:`~safeplan.importers.plantext.phrases`), its title (the first sentence).

Nothing is dropped silently: a line of the task section that is no task, action or
heading, a numbering gap, a task without deadline or unit, a part of a parenthesis that
cannot be read — each is a :class:`~safeplan.problems.Problem` at its line, with the raw
text. The source's numbering is kept (the shipped plan has no （八）).

By stage: ``head`` (title, issuer, period, parents) · ``tasks`` (sections, actions,
tasks, their numbering) · here, the units and the goals, and the whole put together
(``parsed``).
"""

from __future__ import annotations

import datetime as dt
import re

from safeplan.importers.plantext import phrases as ph
from safeplan.importers.plantext.duties import read_duties
from safeplan.importers.plantext.head import (
    PLAN_WORDS,
    body_start,
    issuer_fallback,
    issuer_of,
    parents_of,
    plan_period,
    split_head,
    title_of,
)
from safeplan.importers.plantext.lines import (
    ACTION,
    GROUP_NO_MEMBERS,
    NAME_DIFFERS,
    PLACEHOLDER,
    Findings,
    Section,
)
from safeplan.importers.plantext.parsed import ParsedPlan, ParsedTask, ParsedUnit
from safeplan.importers.plantext.tasks import read_tasks, sections_of, sections_with_tasks
from safeplan.importers.plantext.units import group_prefix, kind_of, level_of, place_of
from safeplan.importers.plantext.words import fold, strip_text
from safeplan.models.records import Goal
from safeplan.problems import Problem


class _Parser:
    def __init__(self, text: str, path: str, name: str | None) -> None:
        text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        self.lines = text.split("\n")
        self.path = path
        self.name = strip_text(name) if name else None
        self.find = Findings(path)

    # -- the whole
    def run(self) -> ParsedPlan:
        numbered = [(i + 1, strip_text(raw)) for i, raw in enumerate(self.lines)]
        start = body_start(numbered)
        head, body = numbered[:start], numbered[start:]
        title_lines, preamble, notice = split_head(head)
        preamble_text = "".join(s for _, s in preamble)
        cited = [c for c in ph.citations(preamble_text) if any(w in c.title for w in PLAN_WORDS)]
        issuer, issuer_phrase, issuer_line = issuer_of(preamble, head, notice)
        title_raw = "".join(s for _, s in title_lines) or (notice[1] if notice else "")
        as_written = "".join(self.lines[no - 1].rstrip() for no, _ in title_lines)
        title_line_no = title_lines[0][0] if title_lines else 1
        place = place_of(issuer) if issuer else ""
        if self.name and place and self.name != place:
            self.find(issuer_line, "name-differs", NAME_DIFFERS, place=place, name=self.name)
        place = place or self.name or ""
        title, completed = title_of(self.find, title_raw, title_line_no, place, cited)
        cited = [c for c in cited if fold(c.title) != fold(title)]
        if not issuer:
            issuer = issuer_fallback(self.find, self.name, title, place, title_line_no)
        period = plan_period(self.find, title, cited, preamble_text, title_line_no)
        parents = parents_of(self.find, cited, preamble)
        sections = sections_of(body)
        task_sections = sections_with_tasks(sections)
        actions, tasks = read_tasks(self.find, task_sections)
        goals, goal_sentence, goal_heading = self._goals(
            [s for s in sections if s not in task_sections], preamble, period
        )
        units = self._units(tasks, level_of(place), place)
        duties = read_duties(self.find, tasks, period[0])
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
            duties=duties,
            findings=sorted(self.find.found, key=Problem.sort_key),
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

    # -- units
    def _units(self, tasks: list[ParsedTask], level: str, place: str) -> list[ParsedUnit]:
        """Units in order of first appearance, groups after the units they stand for."""
        found: dict[str, ParsedUnit] = {}
        for t in tasks:
            for name in t.units:
                if name not in found:
                    kind, because = kind_of(name, level, place)
                    found[name] = ParsedUnit(name, kind, t.line, because)
        plain = [u for u in found.values() if u.kind != "group"]
        groups = [u for u in found.values() if u.kind == "group"]
        for g in groups:
            beside = {n for t in tasks if g.name in t.units for n in t.units if n != g.name}
            prefix = group_prefix(g.name, level)
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
        sections: list[Section],
        preamble: list[tuple[int, str]],
        period: tuple[dt.date, dt.date],
    ) -> tuple[list[Goal], str, str]:
        """The goals in the national wording, wherever the text states them (一（三）)."""
        stated: dict[str, ph.StatedGoal] = {}
        sentence, heading = "", ""
        for section in [Section("", "", 1, preamble), *sections]:
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
                        sentence = strip_text(part).lstrip("—")
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
