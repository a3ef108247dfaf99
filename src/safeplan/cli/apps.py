"""The sub-command groups, defined once so that several modules can add commands to them."""

from __future__ import annotations

import typer

_settings = {"help_option_names": ["-h", "--help"]}

task_app = typer.Typer(
    help="The plan's numbered tasks: list, show, record progress and completion.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=_settings,
)
hazard_app = typer.Typer(
    help="The hazard register: list, show, and the closed loop (rectify → accept → close).",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=_settings,
)
unit_app = typer.Typer(
    help="Responsible units (责任单位): list and show their load.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=_settings,
)
