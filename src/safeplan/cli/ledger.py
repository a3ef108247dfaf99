"""``safeplan export ledger`` and ``safeplan import ledger``: the register as the workbook
offices exchange (隐患排查治理台账), both ways.

Export writes the ledger of a day (.xlsx, or one CSV a sheet). Import reads an office's
ledger and, by default, only shows per row what it would create or update; ``--apply``
writes every hazard file in one edit, all or nothing, and only when no row has an
error. Exit 0 when all is well, 1 when a row has a problem (or the plan's data has),
2 on bad usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from safeplan.cli.options import READ, Call, DryRunOpt, argument, command, flag, option
from safeplan.errors import UsageError
from safeplan.problems import N_, NP_, ListOf

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from safeplan.edit import EditResult
    from safeplan.importers.ledger.importer import LedgerImport
    from safeplan.models.ledger import Ledger
    from safeplan.render.i18n import Translator

OutOpt = Annotated[
    Path | None,
    option(
        N_(
            "The file to write (for csv, each sheet goes to FILE-cover.csv, FILE-hazards.csv, "
            "FILE-tasks.csv). Default: reports/ledger-<as-of day>.xlsx in the plan."
        ),
        "--out",
        metavar="FILE",
    ),
]
ForceOpt = Annotated[
    bool,
    flag(
        N_(
            "Replace --out even when it is not a ledger safeplan wrote (without it, such a "
            "file is kept and nothing is written)."
        ),
        "--force",
    ),
]
FormatOpt = Annotated[
    str,
    option(
        N_("xlsx (one workbook) or csv (one UTF-8 file a sheet)."), "--format", metavar="xlsx|csv"
    ),
]
LedgerArg = Annotated[
    Path,
    argument(N_("The ledger: an .xlsx workbook (Excel, WPS) or a UTF-8 .csv file."), "FILE.xlsx"),
]
SheetOpt = Annotated[
    str | None,
    option(
        N_("The sheet to read. Default: the first sheet with a heading row."),
        "--sheet",
        metavar="NAME",
    ),
]
MapOpt = Annotated[
    Path | None,
    option(
        N_("A YAML file naming the ledger's other headings ('columns: {排查时间: 发现日期}')."),
        "--map",
        metavar="MAP.yaml",
    ),
]
ApplyOpt = Annotated[
    bool,
    flag(
        N_("Write the hazard files (all or nothing; without it, only show what would happen)."),
        "--apply",
    ),
]
UpdateOpt = Annotated[
    bool,
    flag(
        N_(
            "Bring hazards the register already has up to date from their rows (without it, "
            "such a row is a conflict)."
        ),
        "--update",
    ),
]
SetOpt = Annotated[
    list[str] | None,
    option(
        N_(
            "A value for a column the ledger does not have, for every row (repeat for several): "
            "--set 责任单位=镇安监站 --set 隐患来源=部门检查."
        ),
        "--set",
        metavar="列名=值",
    ),
]
AddUnitsOpt = Annotated[
    bool,
    flag(
        N_(
            "Add the units the ledger names that data/units.yaml lacks, in the same edit (the "
            "kind from the name: 局, 站, 所, 办 …)."
        ),
        "--add-units",
    ),
]


# --------------------------------------------------------------------------- export


@command(READ)
def export_ledger(
    c: Call, out: OutOpt = None, fmt: FormatOpt = "xlsx", force: ForceOpt = False
) -> int:
    from safeplan.views.ledger import LedgerKeep, ledger

    kind = ledger_kind(fmt)
    repo = c.repo(keep=LedgerKeep(c.as_of))  # every hazard file read once
    view = ledger(repo, c.as_of)
    if c.json:
        c.emit(view)
        return c.finish(repo)
    default = c.root / "reports" / f"ledger-{c.as_of.isoformat()}.{kind}"
    written = write_ledger(view, c.tr, kind, out or default, force, _shown)
    c.echo(
        _render(
            c.tr,
            N_("wrote {files}: {hazards} and {tasks}, as of {date}"),
            files=ListOf(written),
            hazards=NP_("{n} hazard", "{n} hazards", len(view.hazards)),
            tasks=NP_("{n} task", "{n} tasks", len(view.tasks)),
            date=c.as_of,
        )
    )
    if view.cover.left_out:
        c.echo(
            "safeplan: "
            + _render(
                c.tr,
                N_(
                    "left out of the ledger, their files cannot be read or repeat an id: "
                    "{hazards}; run 'safeplan validate' to see why"
                ),
                hazards=ListOf(view.cover.left_out),
            ),
            err=True,
        )
    return c.finish(repo)


def ledger_kind(fmt: str) -> str:
    """--format of a ledger export (a town's or the county's): xlsx or csv."""
    kind = fmt.strip().lower()
    if kind not in ("xlsx", "csv"):
        raise UsageError(N_("--format: '{value}' is not a format: use xlsx or csv"), value=fmt)
    return kind


def write_ledger(
    view: Ledger, tr: Translator, kind: str, out: Path, force: bool, shown: Callable[[Path], str]
) -> list[str]:
    """Write a ledger (a town's or the county's) as ``kind`` to ``out`` (for csv, one file a
    sheet beside it); every file is refused before the first is written. The files written,
    as ``shown`` names them."""
    from safeplan import fsio_output
    from safeplan.render.ledger import csv_files, is_ledger, workbook_bytes

    out = out.expanduser()
    if out.is_dir():
        raise UsageError(N_("--out: {path} is a folder: give a file name"), path=str(out))
    if kind == "xlsx":
        files = [(out, workbook_bytes(view, tr))]
    else:
        base = out.with_suffix("") if out.suffix.lower() == ".csv" else out
        files = [
            (base.with_name(f"{base.name}-{key}.csv"), data) for key, data in csv_files(view, tr)
        ]
    for path, _ in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        fsio_output.check_output(path, shown(path), is_ledger, force)
    for path, data in files:
        fsio_output.write_output(path, data, shown(path), is_ledger, force)
    return [shown(path) for path, _ in files]


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _render(tr: Translator, template: str, **params: object) -> str:
    from safeplan.render.text import render

    return render(template, params, tr)


# --------------------------------------------------------------------------- import


@command()
def import_ledger(
    c: Call,
    ledger_file: LedgerArg,
    sheet: SheetOpt = None,
    map_file: MapOpt = None,
    dry_run: DryRunOpt = False,
    apply: ApplyOpt = False,
    update: UpdateOpt = False,
    set_values: SetOpt = None,
    add_units: AddUnitsOpt = False,
) -> int:
    from safeplan import edit, fsio
    from safeplan.importers.ledger.importer import import_ledger as read_ledger
    from safeplan.importers.ledger.layout import parse_sets, read_map
    from safeplan.render.i18n import translator

    if dry_run and apply:
        raise UsageError(N_("--dry-run and --apply do not go together: choose one"))
    mapping = None
    defaults: dict[str, str] = {}
    if map_file is not None:
        read = read_map(map_file, str(map_file))
        mapping, defaults = read.columns, dict(read.defaults)
        sheet = sheet or read.sheet
    defaults.update(parse_sets(set_values or []))
    languages = (translator("zh"), translator("en"))
    with fsio.locked(c.root):
        done = read_ledger(
            ledger_file,
            str(ledger_file),
            c.root,
            c.today(),
            _new_id,
            languages,
            sheet,
            mapping,
            update,
            defaults,
            add_units,
        )
        _report(c, done)
        code = _not_written(c, done, apply)
        if code is not None:
            return code
        written = edit.apply(_edit(c, done))
    c.echo(
        _render(
            c.tr,
            N_("wrote {files} from {path}"),
            files=NP_("{n} file", "{n} files", len(written.changes)),
            path=done.shown,
        )
    )
    return 0


def _new_id(day: dt.date, taken: set[str]) -> str:
    """An id for a row that has none: the edit layer allocates it, as for ``hazard new``."""
    from safeplan.importers.ledger.importer import new_id

    return new_id(day, taken)


def _not_written(c: Call, done: LedgerImport, apply: bool) -> int | None:
    """Why nothing is written (a row with errors, nothing new, no --apply) and the exit
    code; None when the files are to be written."""
    if done.errors:
        c.echo(
            _render(
                c.tr,
                N_(
                    "{rows} of the ledger need correcting (above), so nothing was written: "
                    "correct the ledger (or --map its headings) and import it again"
                ),
                rows=NP_("{n} problem", "{n} problems", done.errors),
            )
        )
        return 1
    if not done.file_count:
        c.echo(_render(c.tr, N_("nothing to write: the register already holds every row")))
        return 0
    if not apply:
        c.echo(
            _render(
                c.tr,
                N_("dry run, nothing was written: run again with --apply to write {files}"),
                files=NP_("{n} file", "{n} files", done.file_count),
            )
        )
        return 0
    return None


def _report(c: Call, done: LedgerImport) -> None:
    """The sheet read, then each row's outcome with its problems under it."""
    from safeplan.render.ledger_import import import_lines

    for line in import_lines(done, c.tr):
        c.echo(line)


def _edit(c: Call, done: LedgerImport) -> EditResult:
    """The planned files as one edit, each checked as every edit is before it is written."""
    from safeplan.importers.ledger.importer import as_edit

    return as_edit(c.root, done)
