"""How a command-line option or argument is declared: its help msgid, its metavar, no
default shown. Only typer is imported, so that the root command (``cli/__init__.py``)
declares its options as every command does without loading the commands' core."""

from __future__ import annotations

from typing import Any

import typer


def option(help_text: str, *names: str, metavar: str | None = None, **extra: Any) -> Any:
    """An option with a help msgid, no default shown, and a metavar (TEXT unless said);
    ``extra`` goes to typer (``envvar``, ``file_okay``)."""
    return typer.Option(
        *names, help=help_text, show_default=False, metavar=metavar or "TEXT", **extra
    )


def opt(help_text: str, name: str, metavar: str = "TEXT") -> Any:
    """The commonest option, written short: one name and what it takes (TEXT unless said)."""
    return option(help_text, name, metavar=metavar)


def flag(help_text: str, name: str) -> Any:
    """An on/off option (off unless given) with a help msgid."""
    return typer.Option(name, help=help_text)


def argument(help_text: str, metavar: str) -> Any:
    """An argument with a help msgid, shown in the usage line as ``metavar``."""
    return typer.Argument(metavar=metavar, help=help_text, show_default=False)
