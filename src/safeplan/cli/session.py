"""One run of a command: the plan root, the reader's language, 'today', and the one error handler.

Only the CLI reads the environment and the clock; the core gets what it needs as
arguments. "Today" is today in the plan's time zone (CI runs in UTC; the town lives
in Asia/Shanghai).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NoReturn

import typer

import safeplan.cli.lang as cli_lang
from safeplan.errors import EXIT_USAGE, SafeplanError, UsageError
from safeplan.problems import N_
from safeplan.render.i18n import Translator, choose_language, parse_lang, translator

DEFAULT_TIMEZONE = "Asia/Shanghai"


def utc_now() -> dt.datetime:
    """The one clock of safeplan (tests replace it); everything below the CLI gets dates."""
    return dt.datetime.now(dt.UTC)


class Session:
    """The plan root, the output language and 'today', resolved once per command."""

    def __init__(
        self, root: Path | None, lang: str | None, environ: Mapping[str, str] | None = None
    ) -> None:
        self.environ = dict(os.environ if environ is None else environ)
        self._root_opt = root
        self._lang_opt = lang
        self._root: Path | None = None
        self._plan_language: str | None = None
        self._tz: str | None = None
        self._tr: Translator | None = None
        if lang is not None and parse_lang(lang) is None:
            self._tr = translator("en")
            raise UsageError(N_("unknown language '{lang}': use zh or en"), lang=lang)

    @property
    def root_option(self) -> Path | None:
        """--root as given (None: not given). For commands that make a plan where there is none."""
        return self._root_opt

    @property
    def lang_option(self) -> str | None:
        """--lang as given (None: not given)."""
        return self._lang_opt

    @property
    def root(self) -> Path:
        if self._root is None:
            from safeplan.repo import find_root

            override = self._root_opt
            if override is None and self.environ.get("SAFEPLAN_ROOT"):
                override = Path(self.environ["SAFEPLAN_ROOT"])
            self._root = find_root(Path.cwd(), override)
            self._plan_language, self._tz = cli_lang.plan_settings(self._root)
        return self._root

    @property
    def tr(self) -> Translator:
        if self._tr is None:
            with contextlib.suppress(SafeplanError):
                _ = self.root
            self._tr = translator(
                choose_language(self._lang_opt, self._plan_language, self.environ)
            )
        return self._tr

    def speak(self, tr: Translator) -> None:
        """The language of this command's messages, errors too, where there is no plan yet to
        choose it (``import text``, ``init``: the plan they make is in Chinese)."""
        self._tr = tr

    def today(self) -> dt.date:
        """Today in the plan's time zone (validate reports a zone it does not know)."""
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        _ = self.root
        try:
            zone = ZoneInfo(self._tz or DEFAULT_TIMEZONE)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            zone = ZoneInfo(DEFAULT_TIMEZONE)
        return utc_now().astimezone(zone).date()


def echo(text: str = "", err: bool = False) -> None:
    typer.echo(text, err=err)


def fail(session: Session | None, exc: SafeplanError) -> NoReturn:
    from safeplan.render.problems import format_line
    from safeplan.render.text import render

    tr = session.tr if session is not None else translator("en")
    label = tr(N_("error: ")) if exc.exit_code == EXIT_USAGE else ""
    for p in getattr(exc, "problems", None) or []:
        echo(format_line(p, tr), err=True)
    echo(f"safeplan: {label}{render(exc.template, exc.params, tr)}", err=True)
    raise typer.Exit(exc.exit_code)


#: The exit code of a command stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells use).
EXIT_INTERRUPTED = 130


def written_mark() -> int:
    """Where the log of written files stands (``fsio.WRITTEN``); fsio is not imported for
    it: a command that never loaded it has written nothing (and --help stays light)."""
    fsio = sys.modules.get("safeplan.fsio")
    return len(fsio.WRITTEN) if fsio is not None else 0


def written_since(mark: int) -> list[str]:
    """The files written since ``mark`` (see :func:`written_mark`)."""
    fsio = sys.modules.get("safeplan.fsio")
    return list(fsio.WRITTEN[mark:]) if fsio is not None else []


def interrupted(tr: Translator, written: list[str]) -> str:
    """What an interruption (Ctrl-C, SIGTERM) leaves: the files written before it, or none,
    so that the user knows whether to run the command again."""
    from safeplan import fsio
    from safeplan.problems import ListOf
    from safeplan.render.text import render

    files = [f for f in dict.fromkeys(written) if f != fsio.JOURNAL_NAME]
    if not files:
        return "safeplan: " + render(N_("interrupted: nothing was written"), {}, tr)
    return "safeplan: " + render(
        N_("interrupted: {files} had been written before it (whole); nothing else was written"),
        {"files": ListOf(files)},
        tr,
    )


@contextlib.contextmanager
def handled(sessions: list[Session]) -> Iterator[None]:
    """The one error handler: safeplan errors become a message and an exit code, never a
    traceback. ``sessions`` receives the command's session once it exists (its language
    is the message's)."""
    mark = written_mark()
    try:
        yield
    except SafeplanError as exc:
        fail(sessions[0] if sessions else None, exc)
    except KeyboardInterrupt:
        tr = sessions[0].tr if sessions else translator("en")
        echo(interrupted(tr, written_since(mark)), err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except OSError as exc:  # a full disk, a folder it may not write, a name too long
        import errno

        if exc.errno == errno.EPIPE:
            raise typer.Exit(1) from None
        tr = sessions[0].tr if sessions else translator("en")
        from safeplan.render.text import render

        message = render(
            N_("cannot use {path}: {reason}; nothing was changed"),
            {"path": exc.filename or "?", "reason": exc.strerror or str(exc)},
            tr,
        )
        echo(f"safeplan: {message}", err=True)
        raise typer.Exit(1) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # a bug: say so plainly; SAFEPLAN_DEBUG=1 shows the traceback
        if os.environ.get("SAFEPLAN_DEBUG"):
            raise
        echo(
            f"safeplan: internal error: {type(exc).__name__}: {exc} "
            "(this is a bug in safeplan; run again with SAFEPLAN_DEBUG=1 for details)",
            err=True,
        )
        raise typer.Exit(70) from None
