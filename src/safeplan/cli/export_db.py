"""``safeplan export sqlite FILE`` and ``safeplan export postgres URL``: the plan's records in
a SQL database, with views that compute the status figures of a day (docs/databases.md).

A town's code comes from --town-code (12 digits, 行政区划代码), else plan.yaml's
``area_code``, else the placeholder 000000000000. Exit 0 when exported, 1 when the data has problems (what could be read is
exported) or the server cannot be reached, 2 on bad usage.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from safeplan.cli.options import (
    AsOfOpt,
    Bundle,
    Call,
    NoCacheOpt,
    argument,
    command,
    flag,
    option,
)
from safeplan.errors import UsageError
from safeplan.problems import N_, NP_

if TYPE_CHECKING:
    from safeplan.export import TownSource

TownCodeOpt = Annotated[
    str | None,
    option(
        N_(
            "The town's 行政区划代码 (12 digits), the key of its rows. Default: plan.yaml's "
            "area_code, else 000000000000, a placeholder a county's database shows as unnamed."
        ),
        "--town-code",
        metavar="CODE",
    ),
]
TownNameOpt = Annotated[
    str | None,
    option(
        N_("The town's name. Default: the plan's issuer without 人民政府."),
        "--town-name",
        metavar="NAME",
    ),
]
ForceOpt = Annotated[
    bool,
    flag(
        N_(
            "Replace FILE even when it is not a database safeplan wrote (without it, such a "
            "file is kept and nothing is written)."
        ),
        "--force",
    ),
]
FileArg = Annotated[Path, argument(N_("The SQLite database file to write."), "FILE")]
UrlArg = Annotated[
    str,
    argument(
        N_(
            "The PostgreSQL server and database: postgresql://user@host:port/dbname, or "
            "'host=… dbname=…' (a password is better kept in ~/.pgpass or PGPASSWORD)."
        ),
        "URL",
    ),
]

_CODE = re.compile(r"^[0-9]{12}$")
#: --as-of (the day the views show first) and --no-cache; no --json: the output is a database.
EXPORT = Bundle((("as_of", AsOfOpt, None), ("no_cache", NoCacheOpt, False)))
#: --town-code and --town-name: which town a plan's rows are of, first in --help.
TOWN = Bundle((("town_code", TownCodeOpt, None), ("town_name", TownNameOpt, None)), "first")


def _town(c: Call) -> TownSource:
    """The plan as a town to export: its code, name, commit, and its records loaded."""
    from safeplan.errors import SafeplanError
    from safeplan.export import PLACEHOLDER_CODE, ExportKeep, TownSource, town_name
    from safeplan.repo.git import Git

    code, name = c.text("town_code"), c.text("town_name")
    if code is not None and not _CODE.match(code.strip()):
        raise UsageError(
            N_("--town-code: '{value}' is not a 行政区划代码: give its 12 digits"), value=code
        )
    repo = c.repo(keep=ExportKeep())  # every hazard file read once
    try:
        commit = Git(c.root, "export").head()
    except SafeplanError:  # no git, or not a repository: the rows say so (no commit)
        commit = None
    given = code.strip() if code else repo.plan.area_code if repo.plan else None
    return TownSource(
        given or PLACEHOLDER_CODE,
        name.strip() if name and name.strip() else town_name(repo),
        commit,
        repo,
    )


@command(TOWN, EXPORT)
def export_sqlite(c: Call, file: FileArg, force: ForceOpt = False) -> int:
    from safeplan import fsio_output
    from safeplan.cli.ledger import _render, _shown
    from safeplan.export.sqlite import is_export, sqlite_bytes

    out = file.expanduser()
    if out.is_dir():
        raise UsageError(N_("{path} is a folder: give a file name"), path=str(out))
    shown = _shown(out)
    fsio_output.check_output(out, shown, is_export, force)
    town = _town(c)
    data = sqlite_bytes([town], c.as_of, c.today())
    fsio_output.write_output(out, data, shown, is_export, force)
    c.echo(
        _render(
            c.tr,
            N_("wrote {file}: {hazards} and {tasks} of {town} ({code}); its views show {date}"),
            file=shown,
            hazards=NP_("{n} hazard", "{n} hazards", len(town.repo.hazards)),
            tasks=NP_("{n} task", "{n} tasks", len(town.repo.tasks)),
            town=town.name,
            code=town.code,
            date=c.as_of,
        )
    )
    return c.finish(town.repo)


@command(TOWN, EXPORT)
def export_postgres(c: Call, url: UrlArg) -> int:
    from safeplan.cli.ledger import _render
    from safeplan.export.postgres import connect, export_postgres, shown_url

    where = shown_url(url)
    town = _town(c)
    with connect(url) as con:
        done = export_postgres(con, [town], c.as_of, c.today())
    c.echo(
        _render(
            c.tr,
            N_(
                "exported {hazards} and {tasks} of {town} ({code}) to {url}: {inserted} rows "
                "added, {updated} changed, {removed} removed, {kept} kept from earlier commits"
            ),
            hazards=NP_("{n} hazard", "{n} hazards", len(town.repo.hazards)),
            tasks=NP_("{n} task", "{n} tasks", len(town.repo.tasks)),
            town=town.name,
            code=town.code,
            url=where,
            inserted=done.inserted,
            updated=done.updated,
            removed=done.removed,
            kept=done.retired,
        )
    )
    return c.finish(town.repo)
