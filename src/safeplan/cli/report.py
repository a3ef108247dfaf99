"""``safeplan report weekly|monthly|quarterly|templates``: report files of a period.

The command chooses the period (the option, or the last one complete by ``--as-of`` or by
yesterday), builds the view (``views.reports``), renders it (``render.report``) and writes
the files, each atomically and only when its bytes change, so that a scheduled job that
runs twice commits nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from safeplan.cli.options import Bundle, Call, JsonOpt, command, flag, option
from safeplan.errors import UsageError
from safeplan.problems import N_

if TYPE_CHECKING:
    from safeplan.periods import Kind
    from safeplan.render.report import Format

#: Where reports are written, from the plan root.
REPORTS_DIR = "reports"
#: Where a plan keeps its own templates, from the plan root.
TEMPLATES_DIR = "templates"

WeekOpt = Annotated[
    str | None,
    option(
        N_(
            "The ISO week, e.g. 2026-W48, 第48周 or 48 (this year; Monday to Sunday; 2027-01-01 "
            "lies in 2026-W53). "
            "Default: the last week complete by --as-of, or by yesterday."
        ),
        "--week",
        metavar="YYYY-Www",
    ),
]
MonthOpt = Annotated[
    str | None,
    option(
        N_(
            "The month, e.g. 2026-11, 2026年11月 or 11月 (this year). Default: the last month "
            "complete by --as-of, or by yesterday."
        ),
        "--month",
        metavar="YYYY-MM",
    ),
]
QuarterOpt = Annotated[
    str | None,
    option(
        N_(
            "The quarter, e.g. 2026-Q4, 2026年第四季度 or 四季度 (this year). Default: the last "
            "quarter complete by --as-of, or by yesterday."
        ),
        "--quarter",
        metavar="YYYY-Qn",
    ),
]
ReportAsOfOpt = Annotated[
    str | None,
    option(
        N_(
            "Report the last period complete on this day (YYYY-MM-DD; a period ending on it "
            "counts). Default: the last period complete before today in the plan's time zone."
        ),
        "--as-of",
        metavar="DATE",
        envvar="SAFEPLAN_AS_OF",
    ),
]
FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        metavar="md,html",
        help=N_(
            "The files to write, comma-separated: md, html, docx (Word), pdf. Default: md,html."
        ),
    ),
]
OutOpt = Annotated[
    Path | None,
    option(
        N_("The folder to write the reports to. Default: reports/ in the plan root."),
        "--out",
        metavar="DIR",
        file_okay=False,
    ),
]
StdoutOpt = Annotated[
    bool,
    flag(N_("Print the Markdown report instead of writing files."), "--stdout"),
]
ForceOpt = Annotated[
    bool,
    flag(
        N_(
            "Replace a file of the report's name even when safeplan did not write it "
            "(without it, such a file is kept and nothing is written)."
        ),
        "--force",
    ),
]
CopyOpt = Annotated[
    bool,
    flag(
        N_(
            "Copy the built-in templates into the plan's templates/ folder to start from "
            "(a file already there is kept)."
        ),
        "--copy",
    ),
]


def report_options(format_opt: Any, out_opt: Any, force_opt: Any) -> Bundle:
    """The options of a report command, in the order --help lists them, right after the
    command's own (a town's and the county's reports word the help of --format, --out and
    --force each for its own files)."""
    return Bundle(
        (
            ("as_of", ReportAsOfOpt, None),
            ("format", format_opt, "md,html"),
            ("out", out_opt, None),
            ("stdout", StdoutOpt, False),
            ("json", JsonOpt, False),
            ("force", force_opt, False),
        ),
        place="own",
    )


#: --as-of, --format, --out, --stdout, --json, --force: a town's report of a period.
REPORT = report_options(FormatOpt, OutOpt, ForceOpt)


def _period_report(kind: Kind, period_opt: Any) -> Callable[..., None]:
    """``report weekly|monthly|quarterly``: one command, made three times, each with its
    own period option (``--week``, ``--month``, ``--quarter``)."""

    def report_period(c: Call, period: str | None = None) -> int:
        return _report(c, kind, period)

    report_period.__annotations__["period"] = period_opt
    report_period.__name__ = f"report_{_ADVERB[kind]}"
    return command(REPORT)(report_period)


_ADVERB = {"week": "weekly", "month": "monthly", "quarter": "quarterly"}
report_weekly = _period_report("week", WeekOpt)
report_monthly = _period_report("month", MonthOpt)
report_quarterly = _period_report("quarter", QuarterOpt)


def _formats(value: str) -> list[Format]:
    """``md,html`` → the formats, each once, in the order given."""
    known: dict[str, Format] = {"md": "md", "html": "html", "docx": "docx", "pdf": "pdf"}
    chosen: list[Format] = []
    for part in value.split(","):
        fmt = known.get(part.strip().lower().lstrip("."))
        if fmt is None:
            raise UsageError(
                N_(
                    "--format: '{value}' is not a report format: use md, html, docx or pdf "
                    "(several comma-separated, e.g. md,html,pdf)"
                ),
                value=part.strip(),
            )
        if fmt not in chosen:
            chosen.append(fmt)
    return chosen


def _report(c: Call, kind: Kind, name: str | None) -> int:
    from safeplan import __version__
    from safeplan.periods import choose_period
    from safeplan.repo.git import data_version
    from safeplan.views.reports import report

    formats = _formats(c.format)
    span, day = choose_period(kind, name, c.given_as_of, c.today())
    if name is not None:
        # Say which period a typed name was read as (第47周 → 2026-W47), before anything else.
        c.echo(
            c.tr(N_("period: {name} ({start} to {end})")).format(
                name=span.name, start=span.start.isoformat(), end=span.end.isoformat()
            ),
            err=True,
        )
    out = c.out
    if out is not None and out.exists() and not out.is_dir():
        raise UsageError(N_("--out {path} is a file, not a folder"), path=str(out))
    repo = c.repo()
    view = report(repo, span, day, version=__version__, data=data_version(c.root))
    if c.json:
        c.emit(view)
        return c.finish(repo)
    from safeplan.render.report import chart_files, render, report_file, template_for

    lang = c.tr.lang
    overrides = c.root / TEMPLATES_DIR
    compiled = None if not c.cache else _compiled_templates(c.session.environ)
    if c.stdout:
        typer.echo(render(view, template_for(view, "md"), lang, overrides, compiled), nl=False)
        return c.finish(repo)
    folder = out if out is not None else c.root / REPORTS_DIR
    files: dict[str, bytes] = {}
    for fmt in formats:
        files[f"{span.name}.{fmt}"] = report_file(view, fmt, lang, overrides, compiled)
        if fmt == "md":
            files.update({k: v.encode("utf-8") for k, v in chart_files(view, lang).items()})
    _write(c, folder, files)
    return c.finish(repo)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _write(c: Call, folder: Path, files: dict[str, bytes]) -> None:
    """Each file atomically (by the one rule for outputs), and only when its bytes change."""
    from safeplan import fsio_output
    from safeplan.render.report import is_report
    from safeplan.render.text import inert

    folder.mkdir(parents=True, exist_ok=True)
    for name in files:  # every file refused before the first is written
        fsio_output.check_output(folder / name, _shown(folder / name, c.root), is_report, c.force)
    written: list[str] = []
    same: list[str] = []
    for name, data in files.items():
        path = folder / name
        shown = _shown(path, c.root)
        if fsio_output.holds(path, data):
            same.append(inert(shown, one_line=True))
            continue
        fsio_output.write_output(path, data, shown, is_report, c.force)
        written.append(inert(shown, one_line=True))
    if written:
        c.echo(c.tr(N_("wrote {files}")).format(files=c.tr.join(written)))
    if same:
        c.echo(c.tr(N_("unchanged: {files}")).format(files=c.tr.join(same)))


@command()
def report_templates(c: Call, copy: CopyOpt = False) -> int:
    """List the built-in templates (and which the plan overrides), or copy them."""
    from safeplan import fsio
    from safeplan.render.report import BUILTIN_DIR, builtin_names

    folder = c.root / TEMPLATES_DIR
    names = builtin_names()
    if not copy:
        for name in names:
            mine = folder / name
            if mine.is_file():
                c.echo(
                    c.tr(N_("{name}  (overridden by {path})")).format(
                        name=name, path=f"{TEMPLATES_DIR}/{name}"
                    )
                )
            else:
                c.echo(name)
        return 0
    copied: list[str] = []
    kept: list[str] = []
    for name in names:
        target = folder / name
        shown = f"{TEMPLATES_DIR}/{name}"
        if target.exists():
            kept.append(shown)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        fsio.write(target, (BUILTIN_DIR / name).read_bytes(), None, shown)
        copied.append(shown)
    if copied:
        c.echo(c.tr(N_("wrote {files}")).format(files=c.tr.join(copied)))
    if kept:
        c.echo(c.tr(N_("kept, already there: {files}")).format(files=c.tr.join(kept)))
    return 0


def _compiled_templates(environ: Mapping[str, str]) -> Path | None:
    """Where compiled report templates are kept between runs: the user's cache folder
    ($XDG_CACHE_HOME/safeplan, else ~/.cache/safeplan), never the plan's — a compiled
    template is loaded as code, so a file planted in a plan (a pull request) must not be.
    None (compile every time) without a home folder."""
    base = environ.get("XDG_CACHE_HOME", "").strip()
    if base and Path(base).is_absolute():
        return Path(base) / "safeplan"
    home = environ.get("HOME", "").strip()
    return Path(home) / ".cache" / "safeplan" if home and Path(home).is_absolute() else None
