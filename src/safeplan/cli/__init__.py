"""The command line. Only this package imports typer.

Command modules import the core lazily, inside the commands, so that
``safeplan --help`` does not pay for pydantic and the models.
"""

from __future__ import annotations

import os

import typer

from safeplan import __version__


def _version(value: bool) -> None:
    if value:
        typer.echo(f"safeplan {__version__}")
        raise typer.Exit(0)


app = typer.Typer(
    name="safeplan",
    help=(
        "A township's workplace-safety action plan and major-hazard register, kept as YAML "
        "files: validate them, compute status as of any day, edit records safely."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root_callback(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """safeplan: plan, tasks and hazards as YAML; status computed from dated facts."""


# Command modules register themselves on import; each imports the core lazily.
from safeplan.cli import hazard as _hazard  # noqa: E402,F401
from safeplan.cli import hazard_edit as _hazard_edit  # noqa: E402,F401
from safeplan.cli import status as _status  # noqa: E402,F401
from safeplan.cli import task as _task  # noqa: E402,F401
from safeplan.cli import task_edit as _task_edit  # noqa: E402,F401
from safeplan.cli import unit as _unit  # noqa: E402,F401
from safeplan.cli import validate as _validate  # noqa: E402,F401
from safeplan.cli.apps import hazard_app, task_app, unit_app  # noqa: E402

app.add_typer(task_app, name="task")
app.add_typer(hazard_app, name="hazard")
app.add_typer(unit_app, name="unit")


def main() -> None:
    # safeplan uses no pydantic plugins; without this pydantic scans every installed
    # package's entry points on first use (~0.1 s a command, more in a big environment).
    # A value the user set stands.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()
