"""Every command of safeplan, in one table: where it lives and what it does.

Commands are registered here, explicitly, and imported only when they run: ``safeplan
--help`` reads this table and imports no command module, and ``safeplan status``
imports the status module alone. The help texts are English msgids, translated when
shown (``safeplan.cli.group``).
"""

from __future__ import annotations

from typing import NamedTuple

from safeplan.problems import N_


class Entry(NamedTuple):
    """A command: the module and function that implement it, and its help."""

    module: str
    function: str
    help: str
    #: The first line of ``help``, for command listings (when it is not that line).
    short: str | None = None


class Group(NamedTuple):
    """A group of commands (``task``, ``hazard``, ``unit``)."""

    help: str
    commands: dict[str, Entry]


_H = "safeplan.cli.hazard"
_HE = "safeplan.cli.hazard_edit"
_T = "safeplan.cli.task"
_TE = "safeplan.cli.task_edit"
_U = "safeplan.cli.unit"

COMMANDS: dict[str, Entry | Group] = {
    "status": Entry(
        "safeplan.cli.status",
        "status",
        N_(
            "Tasks by status, hazards by state and level, the plan's goals, and the load per "
            "unit.\n\nExit 0, or 1 when the data has validation problems (what can be shown is "
            "shown)."
        ),
        N_("Where the plan stands: tasks, hazards, goals, load per unit."),
    ),
    "validate": Entry(
        "safeplan.cli.validate",
        "validate",
        N_(
            "Check every file of the plan and report ALL problems as path:line:column: "
            "message.\n\nExit 0 when there are no errors (warnings allowed), 1 when there are, "
            "2 on bad usage."
        ),
        N_("Check every file and report all problems."),
    ),
    "task": Group(
        N_("The plan's numbered tasks: list, show, record progress and completion."),
        {
            "list": Entry(_T, "task_list", N_("List the plan's tasks with their status.")),
            "show": Entry(
                _T,
                "task_show",
                N_("Show one task: full text, units, deadline, status and progress notes."),
            ),
            "progress": Entry(
                _TE,
                "task_progress",
                N_(
                    "Add a dated progress note to a task (for ongoing tasks, the periodic "
                    "check-in)."
                ),
            ),
            "done": Entry(_TE, "task_done", N_("Record that a task is done (完成).")),
            "reopen": Entry(
                _TE,
                "task_reopen",
                N_(
                    "Withdraw a task's completion; it is kept under 'reopenings' (history is "
                    "never deleted)."
                ),
            ),
        },
    ),
    "hazard": Group(
        N_("The hazard register: list, show, and the closed loop (rectify → accept → close)."),
        {
            "list": Entry(
                _H,
                "hazard_list",
                N_(
                    "List registered hazards with their state as of a day (hazards found later "
                    "are left out)."
                ),
            ),
            "show": Entry(
                _H, "hazard_show", N_("Show one hazard in full, with its state as of a day.")
            ),
            "new": Entry(
                _HE,
                "hazard_new",
                N_(
                    "Register a hazard: allocate its id and write data/hazards/<ID>.yaml.\n\n"
                    "A major hazard needs its rectification plan (五落实): --measures, --funds, "
                    "--deadline, --plan-person and --contingency. On a terminal, what is missing "
                    "is asked for; otherwise a missing field is an error (exit 2)."
                ),
            ),
            "rectify": Entry(
                _HE,
                "hazard_rectify",
                N_(
                    "Record the rectification (整改) as done. After a failed acceptance, a new "
                    "cycle starts."
                ),
            ),
            "accept": Entry(
                _HE,
                "hazard_accept",
                N_("Record the acceptance (验收) of the rectification: passed, or failed."),
            ),
            "close": Entry(
                _HE,
                "hazard_close",
                N_(
                    "Close the hazard (销号). Refused unless it is rectified and accepted and, for "
                    "a major hazard, double-reported (双报告) — a rule plan.yaml can relax."
                ),
            ),
            "reopen": Entry(
                _HE,
                "hazard_reopen",
                N_(
                    "Reopen a closed hazard (or one whose acceptance failed). Its rectification, "
                    "acceptance and closure move into 'reopenings': history is never deleted."
                ),
            ),
            "supervise": Entry(
                _HE,
                "hazard_supervise",
                N_("List the hazard for supervision (挂牌督办): --level L --by ORG; or --lift it."),
            ),
            "report": Entry(
                _HE,
                "hazard_report",
                N_(
                    "Record the double report (双报告) of a major hazard: to the regulator and to "
                    "the workers' congress."
                ),
            ),
            "note": Entry(_HE, "hazard_note", N_("Add a dated note to a hazard.")),
            "renumber": Entry(
                _HE,
                "hazard_renumber",
                N_(
                    "Give a hazard a new id: renames its file, changes its id and the mentions of "
                    "it (e.g. after two branches both added the same id)."
                ),
            ),
        },
    ),
    "recover": Entry(
        "safeplan.cli.maintenance",
        "recover",
        N_(
            "Finish an edit of several files that was interrupted (a renumbering killed "
            "half-way), from the journal it left; --undo puts every file back as it was."
        ),
        N_("Finish (or --undo) an edit that was interrupted half-way."),
    ),
    "unit": Group(
        N_("Responsible units (责任单位): list and show their load."),
        {
            "list": Entry(
                _U,
                "unit_list",
                N_(
                    "List the responsible units with their load (a group counts for each of its "
                    "members)."
                ),
            ),
            "show": Entry(
                _U,
                "unit_show",
                N_("Show one unit: the tasks it leads and co-operates on, and its hazards."),
            ),
        },
    ),
}

APP_HELP = N_(
    "A township's workplace-safety action plan and major-hazard register, kept as YAML "
    "files: validate them, compute status as of any day, edit records safely."
)
