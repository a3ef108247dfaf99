"""``safeplan task list|show``."""

from __future__ import annotations

from typing import Annotated

import typer

from safeplan.cli.apps import task_app
from safeplan.cli.common import (
    AsOfOpt,
    JsonOpt,
    LangOpt,
    RootOpt,
    echo,
    finish,
    json_dump,
    load_repo,
    print_rich,
    refuse_if_broken,
    session,
    stamped,
    unknown,
)
from safeplan.errors import UsageError
from safeplan.problems import N_

TASK_STATES = ("done", "overdue", "due_soon", "open", "current", "stale")
#: The words on the Chinese screens, accepted as filter values too.
STATUS_WORDS = {
    "已完成": "done",
    "逾期": "overdue",
    "临期": "due_soon",
    "进行中": "open",
    "按期推进": "current",
    "未按期更新": "stale",
}


@task_app.command("list")
def task_list(
    status: Annotated[
        str | None,
        typer.Option(
            "--status", metavar="STATUS", help="done, overdue, due_soon, open, current or stale."
        ),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", metavar="UNIT", help="Tasks this unit leads or co-operates on."),
    ] = None,
    action: Annotated[
        str | None,
        typer.Option("--action", metavar="NUMERAL", help="The action's numeral, e.g. 四."),
    ] = None,
    as_of: AsOfOpt = None,
    json: JsonOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """List the plan's tasks with their status."""
    with session(root, lang) as s:
        from safeplan.status import task_involves, task_json, task_status

        status = STATUS_WORDS.get(status, status) if status else status
        if status is not None and status not in TASK_STATES:
            raise UsageError(
                N_("--status: '{value}' is not a task status (use one of {choices})"),
                value=status,
                choices=", ".join(TASK_STATES) + " (" + "、".join(STATUS_WORDS) + ")",
            )
        day = s.as_of(as_of)
        repo = load_repo(s)
        by_name = {u.name: u for u in repo.units}
        if unit is not None and unit not in by_name:
            raise unknown(s, N_("unit"), unit, list(by_name))
        numerals = [a.numeral for a in repo.plan.actions] if repo.plan else []
        if action is not None:
            action = action.strip("（）() ")
            if action not in numerals:
                raise unknown(s, N_("action"), action, numerals)
        due_soon = repo.plan.rules.due_soon_days if repo.plan else 30
        rows = [(t, task_status(t, day, due_soon)) for t in repo.tasks]
        rows = [
            (t, st)
            for t, st in rows
            if (status is None or st.state == status)
            and (unit is None or task_involves(t, unit, by_name))
            and (action is None or t.action == action)
        ]
        if json:
            doc = {
                **stamped(day),
                "tasks": [task_json(t, st) for t, st in rows],
            }
            echo(json_dump(doc))
        else:
            from safeplan.console import task_table

            print_rich(task_table(rows, s.tr))
        finish(s, repo)


@task_app.command("show")
def task_show(
    number: Annotated[
        int, typer.Argument(metavar="N", help="The task's number in the plan (1–21).")
    ],
    as_of: AsOfOpt = None,
    json: JsonOpt = False,
    root: RootOpt = None,
    lang: LangOpt = None,
) -> None:
    """Show one task: full text, units, deadline, status and progress notes."""
    with session(root, lang) as s:
        from safeplan.status import task_json, task_status

        day = s.as_of(as_of)
        repo = load_repo(s)
        task = next((t for t in repo.tasks if t.number == number), None)
        if task is None:
            refuse_if_broken(repo, "data/tasks.yaml")
            numbers = sorted(t.number for t in repo.tasks)
            raise UsageError(
                N_("no task {number}: the plan's tasks are numbered {first}–{last}"),
                number=number,
                first=numbers[0] if numbers else "—",
                last=numbers[-1] if numbers else "—",
            )
        st = task_status(task, day, repo.plan.rules.due_soon_days if repo.plan else 30)
        if json:
            doc = {
                **stamped(day),
                **task_json(task, st),
                "text": task.text,
                "progress": [n.model_dump(mode="json") for n in task.progress],
                "done": task.done.model_dump(mode="json") if task.done else None,
                "reopenings": [r.model_dump(mode="json") for r in task.reopenings],
            }
            echo(json_dump(doc))
        else:
            from safeplan.console import task_detail

            print_rich(task_detail(task, st, repo.plan, s.tr))
        finish(s, repo)
