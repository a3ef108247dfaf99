"""``safeplan rollup fetch|status|report|export ledger``: the county's picture of its towns.

The county repository holds ``county.yaml`` (see ``models.rollup``); each command finds it
(--root, or the nearest folder above holding it), reads each town as the town reads
itself (``rollup.load``) and shows the towns' own view models, summed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from safeplan.cli.export_db import EXPORT
from safeplan.cli.export_db import FileArg as DbFileArg
from safeplan.cli.export_db import ForceOpt as DbForceOpt
from safeplan.cli.export_db import UrlArg as DbUrlArg
from safeplan.cli.ledger import ForceOpt, FormatOpt, ledger_kind, write_ledger
from safeplan.cli.options import READ, Bundle, Call, NoCacheOpt, argument, command, option
from safeplan.cli.report import ForceOpt as ReportForceOpt
from safeplan.cli.report import report_options
from safeplan.errors import UsageError
from safeplan.problems import N_, NP_, ListOf

if TYPE_CHECKING:
    from safeplan.export import TownSource
    from safeplan.models.rollup import CountyFile, CountyReport
    from safeplan.periods import Kind, Span
    from safeplan.render.report import Format
    from safeplan.rollup.load import TownLoad

TownsArg = Annotated[
    list[str] | None,
    argument(N_("Towns to fetch, by name or area code. Default: every town."), "[TOWN]..."),
]
OutOpt = Annotated[
    Path | None,
    option(
        N_(
            "The file to write (for csv, each sheet goes to FILE-cover.csv, FILE-hazards.csv, "
            "FILE-tasks.csv). Default: reports/ledger-<as-of day>.xlsx in the county repository."
        ),
        "--out",
        metavar="FILE",
    ),
]


def _today() -> dt.date:
    """Today in China's time zone (a county's repository has no plan.yaml to name one)."""
    from zoneinfo import ZoneInfo

    from safeplan.cli.session import DEFAULT_TIMEZONE, utc_now

    return utc_now().astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date()


def _as_of(c: Call) -> dt.date:
    from safeplan.cli.typed import parse_date

    value = c._values.get("as_of")
    return _today() if value is None else parse_date(value, "--as-of / SAFEPLAN_AS_OF")


def county_root(c: Call) -> Path:
    from safeplan.rollup.manifest import find_county

    option_root = c.session.root_option
    if option_root is None and c.session.environ.get("SAFEPLAN_ROOT"):
        option_root = Path(c.session.environ["SAFEPLAN_ROOT"])
    return find_county(Path.cwd(), option_root)


def _speak(c: Call) -> None:
    """A county's commands speak Chinese unless told otherwise (--lang, SAFEPLAN_LANG): a
    county repository has no plan.yaml to name its language, and the locale of a county
    office's machine says little."""
    from safeplan.render.i18n import choose_language, translator

    c.session.speak(translator(choose_language(c.session.lang_option, "zh-CN", c.session.environ)))


def _county(c: Call) -> tuple[Path, CountyFile]:
    from safeplan.rollup.manifest import read_county

    _speak(c)
    root = county_root(c)
    return root, read_county(root)


@command()
def rollup_fetch(c: Call, towns: TownsArg = None) -> int:
    """Clone or update the towns' repositories; one line a town."""
    from safeplan.render.text import render
    from safeplan.rollup.sync import fetch

    root, county = _county(c)
    wanted = list(towns or [])
    known = {t.code for t in county.towns} | {t.name for t in county.towns}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise UsageError(
            N_("no town {towns} in county.yaml (give a town's name or area code)"),
            towns=ListOf(unknown),
        )
    failed = 0
    for r in fetch(root, county, _today(), wanted):
        f = r.fetched
        if f is None:
            text = render(
                N_("{town}: a folder on this machine ({path}), read where it is"),
                {"town": r.town.name, "path": str(r.town.path)},
                c.tr,
            )
        elif f.error is not None:
            failed += 1
            text = render(
                N_("{town}: cannot be fetched ({error}); its data stays that of {date}"),
                {"town": r.town.name, "error": f.error, "date": f.on.isoformat() if f.on else "—"},
                c.tr,
            )
        else:
            template = N_("{town}: {commit} (new)") if r.changed else N_("{town}: {commit}")
            text = render(template, {"town": r.town.name, "commit": (f.commit or "")[:12]}, c.tr)
        c.echo(text)
    return 1 if failed else 0


@command(READ)
def rollup_status(c: Call) -> int:
    """The county's picture: totals, per town, ranking, breakdowns, what is missing."""
    from safeplan.rollup.load import CountyRead
    from safeplan.rollup.picture import county_status

    root, county = _county(c)
    as_of = _as_of(c)
    read = CountyRead(root, county, _today(), c.cache, view_day=as_of)
    view = county_status(root, county, read.towns(), as_of, read.own())
    c.show(view, "county:county_screen")
    return 1 if view.missing or view.totals.problems else 0


@command(READ)
def rollup_export_ledger(
    c: Call, out: OutOpt = None, fmt: FormatOpt = "xlsx", force: ForceOpt = False
) -> int:
    """The towns' ledgers in one workbook (or CSV files), each row naming its town."""
    from safeplan.render.text import render
    from safeplan.rollup.ledger import county_ledger
    from safeplan.rollup.load import CountyRead
    from safeplan.views.ledger import LedgerKeep

    _speak(c)
    kind = ledger_kind(fmt)
    root, county = _county(c)
    as_of = _as_of(c)
    read = CountyRead(root, county, _today(), c.cache, LedgerKeep(as_of))  # each file read once
    view, missing = county_ledger(county, read.towns(), as_of)
    if c.json:
        c.emit(view)
        return 1 if missing else 0
    default = root / "reports" / f"ledger-{as_of.isoformat()}.{kind}"
    written = write_ledger(view, c.tr, kind, out or default, force, str)
    c.echo(
        render(
            N_("wrote {files}: {hazards} and {tasks}, as of {date}"),
            {
                "files": ListOf(written),
                "hazards": NP_("{n} hazard", "{n} hazards", len(view.hazards)),
                "tasks": NP_("{n} task", "{n} tasks", len(view.tasks)),
                "date": as_of,
            },
            c.tr,
        )
    )
    if missing:
        c.echo(
            "safeplan: "
            + render(
                N_(
                    "not in the ledger, their data cannot be read: {towns}; run 'safeplan rollup status' to see why"
                ),
                {"towns": ListOf(missing)},
                c.tr,
            ),
            err=True,
        )
        return 1
    return 0


KindOpt = Annotated[
    str,
    option(
        N_("week, month or quarter: the kind of period to report."),
        "--every",
        metavar="week|month|quarter",
    ),
]
PeriodOpt = Annotated[
    str | None,
    option(
        N_(
            "The period, e.g. 2026-W48, 2026-11 or 2026-Q4 (as 'safeplan report' takes it). "
            "Default: the last one complete by --as-of, or by yesterday."
        ),
        "--period",
        metavar="PERIOD",
    ),
]
ReportFormatOpt = Annotated[
    str,
    option(
        N_("The files to write: md, html, or both (comma-separated)."),
        "--format",
        metavar="md,html",
    ),
]
ReportOutOpt = Annotated[
    Path | None,
    option(
        N_("The folder to write the reports to. Default: reports/ in the county repository."),
        "--out",
        metavar="DIR",
        file_okay=False,
    ),
]
_KINDS: dict[str, Kind] = {
    "week": "week",
    "weekly": "week",
    "month": "month",
    "monthly": "month",
    "quarter": "quarter",
    "quarterly": "quarter",
}


#: The report options, worded for the county's files, and --no-cache after them.
COUNTY_REPORT = Bundle(
    (
        *report_options(ReportFormatOpt, ReportOutOpt, ReportForceOpt).params,
        ("no_cache", NoCacheOpt, False),
    ),
    place="own",
)


@command(COUNTY_REPORT)
def rollup_report(
    c: Call,
    every: KindOpt = "month",
    period: PeriodOpt = None,
) -> int:
    """The county's report of a period: Markdown and HTML, through the reports' own
    renderer and the package's own templates."""
    from safeplan import __version__
    from safeplan.cli.report import _formats
    from safeplan.render.county import render_county
    from safeplan.rollup.load import CountyRead
    from safeplan.rollup.report import county_report

    _speak(c)
    formats = _formats(c.format)
    root, county = _county(c)
    today = _today()
    span, until = _county_period(c, every, period, today)
    read = CountyRead(root, county, today, c.cache)
    view = county_report(root, county, read.towns(), span, until, __version__, read.own())
    code = 1 if view.county.missing or view.county.totals.problems else 0
    if c.json:
        c.emit(view)
        return code
    if c.stdout:
        c.echo(render_county(view, "md", c.tr.lang).rstrip("\n"))
        return code
    out = c.out
    _write_county_report(c, view, out if out is not None else root / "reports", formats, c.force)
    return code


def _county_period(c: Call, every: str, period: str | None, today: dt.date) -> tuple[Span, dt.date]:
    """The report's period from --every, --period and --as-of (as a town's report chooses
    it, with the county's option names in the messages)."""
    from safeplan.periods import choose_period

    kind = _KINDS.get(every.strip().lower())
    if kind is None:
        raise UsageError(
            N_("--every: '{value}' is not a kind of period: use week, month or quarter"),
            value=every,
        )
    day = c.given_as_of
    try:
        return choose_period(kind, period, day, today)
    except UsageError as exc:  # it names the town's option (--month): here it is --period
        if "option" in exc.params:
            exc.params["option"] = "--period"
        raise


def _write_county_report(
    c: Call, view: CountyReport, folder: Path, formats: Sequence[Format], force: bool
) -> None:
    """Every format of the county's report into ``folder``: all refused before any is
    written when one would overwrite a file safeplan did not write (without --force)."""
    from safeplan import fsio_output
    from safeplan.render.county import is_county_report, render_county, report_name
    from safeplan.render.report import printed
    from safeplan.render.text import render

    lang = c.tr.lang
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        report_name(view, fmt): (
            render_county(view, fmt, lang).encode("utf-8")
            if fmt in ("md", "html")
            else printed(view, fmt, render_county(view, "html", lang), lang)
        )
        for fmt in formats
    }
    for name in files:
        fsio_output.check_output(folder / name, str(folder / name), is_county_report, force)
    for name, data in files.items():
        fsio_output.write_output(folder / name, data, str(folder / name), is_county_report, force)
    c.echo(
        render(
            N_("wrote {files}"),
            {"files": ListOf([str(folder / n) for n in files])},
            c.tr,
        )
    )


class _Sources:
    """The county's towns as the export's TownSources, each read when the export asks for
    it (one town in memory at a time); the towns that cannot be read are kept aside, to be
    named, as ``rollup status`` names them."""

    def __init__(self, c: Call, root: Path, county: CountyFile) -> None:
        self.c, self.root, self.county = c, root, county
        self.failed: list[TownLoad] = []
        self.exported: list[str] = []
        self.hazards = 0
        self.tasks = 0
        self.problems = 0

    def __iter__(self) -> Iterator[TownSource]:
        from safeplan.export import ExportKeep, TownSource
        from safeplan.rollup.load import CountyRead

        # each hazard file read once, its rows made in that read
        read = CountyRead(self.root, self.county, _today(), self.c.cache, ExportKeep())
        mine = read.own()
        # One town at a time (a list would read and hold every town before the first
        # is written).
        for load in chain(read.towns(), [mine]):
            if load is None:
                continue
            if load.repo is None:
                self.failed.append(load)
                continue
            self.exported.append(load.town.name)
            self.hazards += len(load.repo.hazards)
            self.tasks += len(load.repo.tasks)
            self.problems += load.repo.errors
            yield TownSource(load.town.code, load.town.name, load.commit, load.repo)

    def finish(self) -> int:
        """Name the towns left out, with their problems (stderr); the exit code."""
        from safeplan.render.problems import shown_path
        from safeplan.render.text import problem_message, render
        from safeplan.rollup.picture import _problems

        c = self.c
        if self.problems:
            c.echo(
                "safeplan: "
                + render(
                    N_(
                        "the towns' data has {problems}: what is exported may be incomplete; "
                        "run 'safeplan rollup status' to see them"
                    ),
                    {"problems": NP_("{n} problem", "{n} problems", self.problems)},
                    c.tr,
                ),
                err=True,
            )
        if not self.failed:
            return 1 if self.problems else 0
        c.echo(
            "safeplan: "
            + render(
                N_("not exported, their data cannot be read: {towns}"),
                {"towns": ListOf([f.town.name for f in self.failed])},
                c.tr,
            ),
            err=True,
        )
        for load in self.failed:
            try:
                prefix = load.root.relative_to(self.root).as_posix()
            except ValueError:
                prefix = str(load.root)
            for p in _problems(load.problems, prefix):
                message = problem_message(p.problem, c.tr) if p.problem else p.template
                c.echo(f"  {load.town.name}: {shown_path(p.location)}: {message}", err=True)
        return 1


def _exported(s: _Sources) -> dict[str, object]:
    return {
        "towns": ListOf(s.exported),
        "hazards": NP_("{n} hazard", "{n} hazards", s.hazards),
        "tasks": NP_("{n} task", "{n} tasks", s.tasks),
    }


@command(EXPORT)
def rollup_export_sqlite(c: Call, file: DbFileArg, force: DbForceOpt = False) -> int:
    """The towns' records in one SQLite database, each keyed by its town's code."""
    from safeplan import fsio_output
    from safeplan.export.sqlite import is_export, sqlite_bytes
    from safeplan.render.text import render

    root, county = _county(c)
    out = file.expanduser()
    if out.is_dir():
        raise UsageError(N_("{path} is a folder: give a file name"), path=str(out))
    fsio_output.check_output(out, str(out), is_export, force)
    as_of = _as_of(c)
    sources = _Sources(c, root, county)
    data = sqlite_bytes(sources, as_of, _today())
    fsio_output.write_output(out, data, str(out), is_export, force)
    c.echo(
        render(
            N_("wrote {file}: {hazards} and {tasks} of {towns}; its views show {date}"),
            {"file": str(out), **_exported(sources), "date": as_of},
            c.tr,
        )
    )
    return sources.finish()


@command(EXPORT)
def rollup_export_postgres(c: Call, url: DbUrlArg) -> int:
    """The towns' records loaded into PostgreSQL by idempotent upserts, in one transaction."""
    from safeplan.export.postgres import connect, export_postgres, shown_url
    from safeplan.render.text import render

    root, county = _county(c)
    as_of = _as_of(c)
    sources = _Sources(c, root, county)
    with connect(url) as con:
        done = export_postgres(con, sources, as_of, _today())
    c.echo(
        render(
            N_(
                "exported {hazards} and {tasks} of {towns} to {url}: {inserted} rows added, "
                "{updated} changed, {removed} removed, {kept} kept from earlier commits"
            ),
            {
                **_exported(sources),
                "url": shown_url(url),
                "inserted": done.inserted,
                "updated": done.updated,
                "removed": done.removed,
                "kept": done.retired,
            },
            c.tr,
        )
    )
    return sources.finish()
