"""Rules that need the plan and the day: the 五落实 grace days, facts before the plan began.

They run across files, on the hazard summaries and the tasks, after every file was read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from safeplan.models.records import Plan, Task
from safeplan.models.summary import PLAN_PARTS, HazardSummary
from safeplan.problems import N_, Coded, Finding, ListOf
from safeplan.rules.cross import FileFinding


def check_plan_deadline(
    hazards: Iterable[HazardSummary], plan: Plan, today: dt.date
) -> list[FileFinding]:
    """A major hazard still without its full 五落实 more than ``plan_within_days`` after
    it was found (registration without it is allowed: the plan comes days later)."""
    days = plan.rules.plan_within_days
    out: list[FileFinding] = []
    for h in hazards:
        if h.level != "major" or not h.plan_gaps:
            continue
        if h.withdrawn_on is not None and h.withdrawn_on <= today:
            continue
        if (today - h.discovered_on).days <= days:
            continue
        params: dict[str, object] = {"found": h.discovered_on, "days": days, "id": h.id}
        if len(h.plan_gaps) == len(PLAN_PARTS):
            template = N_(
                "major hazard found on {found} still has no rectification plan (五落实) after "
                "{days} days: record it with 'safeplan hazard plan {id} --measures … --funds … "
                "--deadline … --plan-person … --contingency …' (the days allowed are "
                "rules.plan_within_days in plan/plan.yaml)"
            )
            where: tuple[str, ...] = ("level",)
        else:
            template = N_(
                "major hazard found on {found} still lacks {missing} of its rectification plan "
                "(五落实) after {days} days: record them with 'safeplan hazard plan {id}' (the "
                "days allowed are rules.plan_within_days in plan/plan.yaml)"
            )
            params["missing"] = ListOf(
                [Coded("field", f"rectification_plan.{k}") for k in h.plan_gaps]
            )
            where = ("rectification_plan",)
        finding = Finding(where, "no-plan", template, params, at_key=True)
        out.append(FileFinding(h.path, finding))
    return out


def check_hazards_before_start(hazards: Iterable[HazardSummary], plan: Plan) -> list[FileFinding]:
    """A rectification, acceptance or closure dated before the plan began is most likely a
    mistyped year (a hazard found before it is stock, 存量, and is expected)."""
    start = plan.period.start
    out: list[FileFinding] = []
    if plan.period.end < start:  # a reversed period has its own problem; no date is judged by it
        return out
    for h in hazards:
        c = h.cycles[-1]
        for key, day in (
            ("rectification", c.rectified_on),
            ("acceptance", c.accepted_on),
            ("closure", c.closed_on),
        ):
            if day is not None and day < start:
                out.append(FileFinding(h.path, _before_start((key, "on"), f"{key}.on", day, start)))
    return out


def _before_start(path: tuple[str | int, ...], field: str, day: dt.date, start: dt.date) -> Finding:
    return Finding(
        path,
        "before-plan-start",
        N_(
            "'{field}' is {date}, before the plan began ({start}): check the year; the "
            "register records what was done under the plan"
        ),
        {"field": field, "date": day, "start": start},
        severity="warning",
    )


def check_tasks_before_start(tasks: Sequence[Task], plan: Plan) -> list[Finding]:
    """A task cannot be done, or make progress, before the plan that sets it began."""
    start = plan.period.start
    out: list[Finding] = []
    if plan.period.end < start:
        return out
    for i, task in enumerate(tasks):
        if task.done is not None and task.done.on < start:
            out.append(
                Finding(
                    ("tasks", i, "done", "on"),
                    "before-plan-start",
                    N_(
                        "task {number} is recorded done on {date}, before the plan began "
                        "({start}): correct the date"
                    ),
                    {"number": task.number, "date": task.done.on, "start": start},
                )
            )
        for j, note in enumerate(task.progress):
            if note.on < start:
                out.append(
                    Finding(
                        ("tasks", i, "progress", j, "on"),
                        "before-plan-start",
                        N_(
                            "task {number} has a progress note dated {date}, before the plan "
                            "began ({start}): correct the date"
                        ),
                        {"number": task.number, "date": note.on, "start": start},
                    )
                )
    return out


def check_ongoing_done(tasks: Sequence[Task]) -> list[Finding]:
    """An ongoing task (长期坚持) is never done: it gets progress notes."""
    return [
        Finding(
            ("tasks", i, "done"),
            "ongoing-done",
            N_(
                "task {number} is ongoing (长期坚持) but recorded as done: an ongoing task is "
                "kept up with progress notes; move the completion into 'progress'"
            ),
            {"number": task.number},
            at_key=True,
            severity="warning",
        )
        for i, task in enumerate(tasks)
        if task.ongoing and task.done is not None
    ]
