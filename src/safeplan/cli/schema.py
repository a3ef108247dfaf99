"""``safeplan schema``: write the JSON Schema of the plan's files, for editors and CI."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Annotated, BinaryIO

from safeplan.cli.options import Call, command, flag, option
from safeplan.problems import N_

OutOpt = Annotated[
    Path | None,
    option(
        N_("The folder to write the schemas to. Default: schemas/ in the plan root."),
        "--out",
        metavar="DIR",
        file_okay=False,
    ),
]
CheckOpt = Annotated[
    bool,
    flag(
        N_("Write nothing; exit 1 when a schema file differs from what safeplan would write."),
        "--check",
    ),
]


@command()
def schema(c: Call, out: OutOpt = None, check: CheckOpt = False) -> int:
    from safeplan import fsio_output
    from safeplan.errors import UsageError
    from safeplan.schema.export import schema_files
    from safeplan.schema.modeline import SCHEMA_DIR

    folder = out if out is not None else c.root / SCHEMA_DIR
    from safeplan.render.text import inert

    shown = inert(str(out), one_line=True) if out is not None else SCHEMA_DIR
    if folder.exists() and not folder.is_dir():
        raise UsageError(N_("--out {path} is a file, not a folder"), path=shown)
    wanted = schema_files()
    stale = [name for name, data in wanted.items() if not fsio_output.holds(folder / name, data)]
    names = c.tr.join(posixpath.join(shown, name) for name in stale)
    if not stale:
        folder_shown = posixpath.join(shown, "")
        c.echo(c.tr(N_("the schemas in {folder} are up to date")).format(folder=folder_shown))
        return 0
    if check:
        c.echo(
            c.tr(
                N_(
                    "{files}: not what safeplan writes for its records: run 'safeplan schema' "
                    "to write them"
                )
            ).format(files=names)
        )
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    for name in stale:
        path = folder / name
        fsio_output.write_output(path, wanted[name], posixpath.join(shown, name), _is_schema)
    c.echo(c.tr(N_("wrote {files}")).format(files=names))
    return 0


def _is_schema(name: str, fh: BinaryIO) -> bool:
    """A schema file is safeplan's by its name (``hazard.schema.json``): ``schema`` writes
    only those names, and rewrites them whenever the records change."""
    return name.endswith(".schema.json")
