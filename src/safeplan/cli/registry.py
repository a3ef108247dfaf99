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
    commands: dict[str, Entry | Group]


_H = "safeplan.cli.hazard"
_HE = "safeplan.cli.hazard_edit"
_T = "safeplan.cli.task"
_TE = "safeplan.cli.task_edit"
_U = "safeplan.cli.unit"
_R = "safeplan.cli.report"
_RU = "safeplan.cli.rollup"
_E = "safeplan.cli.enterprise"

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
            "revise": Entry(
                _TE,
                "task_revise",
                N_(
                    "Revise a task's deadline or units, with a date and a reason recorded "
                    "under 'revisions' in plan/plan.yaml."
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
                    "A general hazard needs its rectification deadline (--deadline). A major "
                    "hazard may be registered before its rectification plan (五落实) is set: "
                    "add it within the days plan.yaml allows with 'safeplan hazard plan'. On a "
                    "terminal, what is missing is asked for; otherwise a missing field is an "
                    "error (exit 2)."
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
                    "Revoke a closure (撤销销号), or send a hazard whose acceptance failed back to "
                    "rectification (重新整改). Its rectification, acceptance and closure are kept "
                    "as history: nothing is deleted."
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
            "extend": Entry(
                _HE,
                "hazard_extend",
                N_(
                    "Extend the rectification deadline (延期): --to DATE --reason T --approved-by "
                    "NAME. The deadline it replaces is kept; from --on, the new one is in force."
                ),
            ),
            "plan": Entry(
                _HE,
                "hazard_plan",
                N_(
                    "Record the rectification plan (五落实) after registration, or revise it: "
                    "the previous plan is kept as history."
                ),
            ),
            "edit": Entry(
                _HE,
                "hazard_edit",
                N_(
                    "Correct a registration fact (title, unit, person, enterprise, credit code, "
                    "location, industry, description): each change is kept as a dated "
                    "correction, from the old value to the new."
                ),
            ),
            "withdraw": Entry(
                _HE,
                "hazard_withdraw",
                N_(
                    "Withdraw a hazard registered by mistake (撤销: a duplicate, a false report). "
                    "Its file and history are kept; it leaves the counts."
                ),
            ),
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
    "fmt": Entry(
        "safeplan.cli.fmt",
        "fmt",
        N_(
            "Write the plan's files in the one layout safeplan uses: keys in the order of the "
            "records, two-space indentation, quotes only where needed, the old supervision "
            "levels (省级 …) as codes. Comments and values are kept; a file is written only "
            "when that is proven.\n\nExit 0, or 1 with --check (or --diff) when a file would "
            "change, or when a file cannot be read."
        ),
        N_("Put the plan's files in their canonical layout (--check: only say which)."),
    ),
    "serve": Entry(
        "safeplan.cli.serve",
        "serve",
        N_(
            "Open the register in a browser: a local web page (127.0.0.1 only) to read the "
            "plan and record hazards and tasks with forms, for officers who do not use a "
            "terminal or git. Every save goes through the same checks as the commands and is "
            "committed under the officer's name.\n\nStop it with Ctrl-C."
        ),
        N_("The register in a browser, on this computer (forms for every hazard verb)."),
    ),
    "schema": Entry(
        "safeplan.cli.schema",
        "schema",
        N_(
            "Write the JSON Schema of plan.yaml, units.yaml, tasks.yaml and a hazard file to "
            "schemas/, for editors (VS Code's YAML extension) and check-jsonschema."
        ),
        N_("Write the JSON Schema of the plan's files, for editors."),
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
    "init": Entry(
        "safeplan.cli.plan_import",
        "init",
        N_(
            "Start a new plan repository: plan/, data/, a README for its users, the hooks "
            "and editor settings; from the plan's issued text with --from-text."
        ),
        N_("Start a new plan repository (from the issued text with --from-text)."),
    ),
    "git-setup": Entry(
        "safeplan.cli.merge",
        "git_setup",
        N_(
            "Let git merge hazard files and data/tasks.yaml with safeplan's merge driver: "
            "the facts two branches added (notes, 双报告, progress) are merged in date order, "
            "and only a contradiction (two different dates or titles) is left as a conflict. "
            "Writes .gitattributes and the driver into .git/config (each clone runs it once; "
            "init does it for the repository it makes)."
        ),
        N_("Let git merge the facts of two branches (the merge driver)."),
    ),
    "merge-file": Entry(
        "safeplan.cli.merge",
        "merge_file",
        N_(
            "The merge driver git runs (safeplan merge-file %O %A %B %P): merges the "
            "common ancestor, ours and theirs of one hazard file or data/tasks.yaml into "
            "OURS. Exit 0 when merged, 1 when the sides contradict each other (the file then "
            "holds both values between conflict markers)."
        ),
        N_("The git merge driver of hazard files and data/tasks.yaml."),
    ),
    "import": Group(
        N_("Read documents into the plan: its issued text, or a hazard ledger (台账) workbook."),
        {
            "text": Entry(
                "safeplan.cli.plan_import",
                "import_text",
                N_(
                    "Read the plan as issued (Chinese official text) into plan/plan.yaml, "
                    "data/units.yaml and data/tasks.yaml; a revised text shows what changed."
                ),
            ),
            "ledger": Entry(
                "safeplan.cli.ledger",
                "import_ledger",
                N_(
                    "Read an existing hazard ledger (台账, .xlsx or .csv) into data/hazards/: "
                    "shows per row what it would create or update, and writes every file, all "
                    "or nothing, only with --apply and when no row has an error. A hazard the "
                    "register already has (its id, or the same enterprise, title and discovery "
                    "day) is a conflict unless --update is given."
                ),
                N_("Read a hazard ledger (台账, .xlsx) into the register (--apply to write)."),
            ),
        },
    ),
    "export": Group(
        N_("Write the plan's data in the formats offices exchange."),
        {
            "ledger": Entry(
                "safeplan.cli.ledger",
                "export_ledger",
                N_(
                    "Write the ledger (台账) of a day as an Excel workbook: a cover with the "
                    "counts, the hazards (隐患排查治理台账) and the key tasks; or, with --format "
                    "csv, one UTF-8 CSV file a sheet. The same data and day give the same bytes."
                ),
                N_("Write the hazard and task ledger (台账) as .xlsx or CSV."),
            ),
            "sqlite": Entry(
                "safeplan.cli.export_db",
                "export_sqlite",
                N_(
                    "Write the plan's records to a SQLite database file: towns, units, tasks "
                    "and their facts, hazards and every dated fact of theirs, supervisions, "
                    "extensions, keyed by the town's code, with views that compute the status "
                    "figures of a day (docs/databases.md). The file is written whole or not at "
                    "all."
                ),
                N_("Write the records to a SQLite database, with views of a day's figures."),
            ),
            "postgres": Entry(
                "safeplan.cli.export_db",
                "export_postgres",
                N_(
                    "Load the plan's records into a PostgreSQL database (the same schema as "
                    "export sqlite), by idempotent upserts in one transaction: exporting the "
                    "same commit again changes nothing, a newer commit updates, and nothing a "
                    "record still needs is removed. Needs pip install 'safeplan[postgres]'."
                ),
                N_("Load the records into PostgreSQL (idempotent upserts)."),
            ),
        },
    ),
    "rollup": Group(
        N_(
            "A county's picture of its towns: the towns' repositories (county.yaml), fetched "
            "and rolled up."
        ),
        {
            "fetch": Entry(
                _RU,
                "rollup_fetch",
                N_(
                    "Clone or update the read-only copies of the towns' repositories in "
                    ".safeplan-towns/ (the towns given by a git URL in county.yaml). A town that "
                    "cannot be reached keeps the data of its last fetch.\n\nExit 0, or 1 when a "
                    "town could not be fetched."
                ),
                N_("Fetch the towns' repositories (read-only copies)."),
            ),
            "status": Entry(
                _RU,
                "rollup_status",
                N_(
                    "The county's picture: the towns' own status figures, per town and summed; "
                    "by level, source and industry; towns ranked by overdue major hazards and "
                    "rectification rate; the county's listed supervision. Each town's data as of "
                    "its fetched commit.\n\nExit 0, or 1 when a town cannot be read or has "
                    "validation problems (the others are shown)."
                ),
                N_("The county's picture: every town's status figures, and their sum."),
            ),
            "report": Entry(
                _RU,
                "rollup_report",
                N_(
                    "Write the county's report of a week, month or quarter (--every): each "
                    "town's own report figures and their sum, rates per town, the ranking, "
                    "by level, source and industry, and the county's listed supervision; "
                    "reports/county-2026-11.md and .html, from the package's own templates "
                    "(a town's templates never run).\n\nExit 0, or 1 when a town cannot be "
                    "read or has validation problems (the report is written, and says so)."
                ),
                N_("Write the county's report of a period (Markdown and HTML)."),
            ),
            "export": Group(
                N_("Write the towns' data in the formats offices exchange."),
                {
                    "ledger": Entry(
                        _RU,
                        "rollup_export_ledger",
                        N_(
                            "Write the towns' ledgers (台账) of a day in one Excel workbook (or "
                            "CSV files), each row naming its town; the cover's counts are the "
                            "towns' summed."
                        ),
                        N_("Write the towns' ledgers (台账) in one workbook."),
                    ),
                    "sqlite": Entry(
                        _RU,
                        "rollup_export_sqlite",
                        N_(
                            "Write every town's records (and the county's own hazards) to one "
                            "SQLite database file, keyed by each town's code, each with the "
                            "commit it was read at, with the views of a day's figures "
                            "(docs/databases.md). A town that cannot be read is left out and "
                            "named.\n\nExit 0, or 1 when a town is left out or has "
                            "validation problems."
                        ),
                        N_("Write the towns' records to one SQLite database."),
                    ),
                    "postgres": Entry(
                        _RU,
                        "rollup_export_postgres",
                        N_(
                            "Load every town's records (and the county's own hazards) into "
                            "PostgreSQL by idempotent upserts in one transaction (the schema "
                            "of export sqlite). A town that cannot be read is left out and "
                            "named; its rows already in the database stay as they were.\n\n"
                            "Exit 0, or 1 when a town is left out or has validation problems."
                        ),
                        N_("Load the towns' records into PostgreSQL (idempotent upserts)."),
                    ),
                },
            ),
        },
    ),
    "report": Group(
        N_(
            "Reports of a period: weekly, monthly, quarterly, in Markdown, printable HTML, Word "
            "and PDF."
        ),
        {
            "weekly": Entry(
                _R,
                "report_weekly",
                N_(
                    "Write the weekly report (周报) of an ISO week: reports/2026-W48.md and .html, "
                    "and the Markdown's charts beside it. Computed as of the week's last day, "
                    "from the records.\n\nExit 0, or 1 when the data has validation problems "
                    "(the report is written, and says so)."
                ),
                N_("Write the weekly report (周报): Markdown, HTML, Word or PDF."),
            ),
            "monthly": Entry(
                _R,
                "report_monthly",
                N_(
                    "Write the monthly report (月报) of a month: reports/2026-11.md and .html. "
                    "Computed as of the month's last day, from the records."
                ),
                N_("Write the monthly report (月报)."),
            ),
            "quarterly": Entry(
                _R,
                "report_quarterly",
                N_(
                    "Write the quarterly report (季报) of a quarter: reports/2026-Q4.md and "
                    ".html. Computed as of the quarter's last day, from the records."
                ),
                N_("Write the quarterly report (季报)."),
            ),
            "templates": Entry(
                _R,
                "report_templates",
                N_(
                    "List the built-in report templates and which of them the plan's templates/ "
                    "folder overrides; --copy writes them there to start from."
                ),
            ),
        },
    ),
    "enterprise": Group(
        N_(
            "Enterprises (生产经营单位) the plan governs, their duties (checks, drills, "
            "certificates) and the dated facts that fulfil them."
        ),
        {
            "list": Entry(
                _E,
                "enterprise_list",
                N_(
                    "List enterprises with their duties' state as of a day; filter by "
                    "industry, grade, village, high-risk or behind on a duty."
                ),
            ),
            "show": Entry(_E, "enterprise_show", N_("Show one enterprise, its duties and facts.")),
            "duties": Entry(
                _E,
                "enterprise_duties",
                N_(
                    "The plan's duties over every enterprise: done this period, behind "
                    "(worst first), certificates expired."
                ),
            ),
            "new": Entry(
                _E,
                "enterprise_new",
                N_(
                    "Register an enterprise: data/enterprises/<ID>.yaml, the id its credit code "
                    "(统一社会信用代码) where it has one."
                ),
            ),
            "edit": Entry(
                _E,
                "enterprise_edit",
                N_("Correct an enterprise's registration; a dated correction keeps the old value."),
            ),
            "state": Entry(
                _E,
                "enterprise_state",
                N_("Record a change of state from a day: 在营, 停产, 歇业 or 注销."),
            ),
            "close": Entry(
                _E,
                "enterprise_close",
                N_("Record that an enterprise is deregistered (注销); its file and history stay."),
            ),
            "check": Entry(
                _E, "enterprise_check", N_("Record a check led by the principal (task 6).")
            ),
            "drill": Entry(_E, "enterprise_drill", N_("Record an evacuation drill (task 13).")),
            "train": Entry(_E, "enterprise_train", N_("Record a training.")),
            "certify": Entry(
                _E, "enterprise_certify", N_("Record a certificate with its expiry (task 11).")
            ),
            "import": Entry(
                _E,
                "enterprise_import",
                N_(
                    "Import an office's enterprise list (Excel or CSV, its own headings): "
                    "all or nothing, every problem located; --dry-run shows it first."
                ),
            ),
            "link": Entry(
                _E,
                "enterprise_link",
                N_(
                    "Register the enterprises existing hazards name (name, credit code) and "
                    "link each hazard to its enterprise by id; --dry-run shows it first."
                ),
            ),
            "inspect": Entry(
                _E,
                "enterprise_inspect",
                N_("Record the town's inspection of an enterprise (task 16 kinds of work)."),
            ),
        },
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
    "criteria": Group(
        N_("The 判定标准 catalog a major hazard's basis (判定依据) cites."),
        {
            "list": Entry(
                "safeplan.cli.criteria",
                "criteria_list",
                N_(
                    "List the documents of the catalog (shipped, and the plan's own "
                    "plan/criteria.yaml): number, in force, replaced by, industries, and the "
                    "major hazards citing each."
                ),
            ),
            "show": Entry(
                "safeplan.cli.criteria",
                "criteria_show",
                N_("Show one document: its source, what it replaced, its articles and items."),
            ),
        },
    ),
}

APP_HELP = N_(
    "A township's workplace-safety action plan and major-hazard register, kept as YAML "
    "files: validate them, compute status as of any day, edit records safely."
)
