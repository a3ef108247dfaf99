"""The command line. Only this package imports typer.

The commands are listed in ``registry``, built lazily by ``group`` (so that ``safeplan
--help`` and ``safeplan status`` import only what they use), and share their options
through ``options``. Each command module imports the core inside its commands.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from safeplan import __version__
from safeplan.cli.group import GlobalOptions, SafeplanGroup
from safeplan.cli.params import flag, option
from safeplan.cli.registry import APP_HELP
from safeplan.problems import N_


def _version(value: bool) -> None:
    if value:
        typer.echo(f"safeplan {__version__}")
        raise typer.Exit(0)


app = typer.Typer(
    name="safeplan",
    cls=SafeplanGroup,
    help=APP_HELP,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=N_("Show the version and exit.")
        ),
    ] = False,
    root: Annotated[
        Path | None,
        option(
            N_("Plan root for the command (as git -C); the command's own --root wins."),
            "--root",
            metavar="DIR",
            file_okay=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        option(N_("Output language for the command: zh or en."), "--lang", metavar="zh|en"),
    ] = None,
    no_cache: Annotated[
        bool,
        flag(
            N_("Read every hazard file again, ignoring the cache of unchanged files."), "--no-cache"
        ),
    ] = False,
) -> None:
    """safeplan: plan, tasks and hazards as YAML; status computed from dated facts."""
    ctx.obj = GlobalOptions(root, lang, no_cache)


def main() -> None:
    """The ``safeplan`` program: run one command, then end the process at once.

    Tearing down the interpreter (pydantic's schemas, rich's objects, every module)
    takes about 0.1 s and frees nothing the operating system would not: once the
    output is flushed, the process ends with ``os._exit``. Nothing safeplan does needs
    interpreter shutdown — every write is complete (and fsynced) before a command returns.
    """
    # safeplan uses no pydantic plugins; without this pydantic scans every installed
    # package's entry points on first use (~0.1 s a command, more in a big environment).
    # A value the user set stands.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # One command, then the process ends: collect young objects less often (imports and a
    # big load make hundreds of thousands; the default collects every 700 allocations).
    gc.set_threshold(50_000, 50, 1000)
    from safeplan.cli import process

    process.ONE_SHOT = True
    try:
        app()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            sys.stderr.write(exc.code + "\n")
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`… | head`)
            stream.flush()
    os._exit(code)
