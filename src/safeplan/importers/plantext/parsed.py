"""What the plan text is read into: the plan, its tasks and units as the text gives them,
and the findings a person should look at; each turns into its record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from safeplan.models.records import Action, Duty, Goal, ParentPlan, Period, Plan
from safeplan.problems import Problem


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
    #: Two phases: done by ``deadline``, then ongoing with ``check_in`` (此后长期坚持).
    ongoing_after: bool = False

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
        elif self.ongoing_after:
            out["deadline"] = self.deadline
            out["ongoing_after"] = True
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
    #: The duties of enterprises the text states (tasks 6, 11, 13 in the national wording).
    duties: list[Duty] = field(default_factory=list)

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
            duties=self.duties,
        )
