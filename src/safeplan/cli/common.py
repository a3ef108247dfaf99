"""What every command shares: options, the session (root, language, today) and the one error handler.

Only the CLI reads the environment and the clock; the core gets what it needs as
arguments.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from safeplan.errors import EXIT_USAGE, SafeplanError, UsageError
from safeplan.i18n import Lang, lang_of_plan, parse_lang, translator
from safeplan.problems import N_, Fragment

#: What an option's value looks like, in --help (instead of <str>).
METAVARS = {
    "--on": "DATE",
    "--as-of": "DATE",
    "--discovered": "DATE",
    "--deadline": "DATE",
    "--regulator": "DATE",
    "--workers": "DATE",
    "--root": "DIR",
    "--lang": "zh|en",
    "--unit": "UNIT",
    "--by": "NAME",
    "--person": "NAME",
    "--plan-person": "NAME",
    "--found-by": "NAME",
    "--evidence": "PATH",
    "--note": "TEXT",
    "--reason": "TEXT",
    "--title": "TEXT",
    "--description": "TEXT",
    "--measures": "TEXT",
    "--funds": "TEXT",
    "--contingency": "TEXT",
    "--location": "TEXT",
    "--industry": "TEXT",
    "--enterprise": "NAME",
    "--enterprise-address": "TEXT",
    "--level": "LEVEL",
    "--source": "SOURCE",
    "--status": "STATUS",
    "--state": "STATE",
    "--action": "NUMERAL",
    "--credit-code": "CODE",
    "--id": "ID",
    "--result": "passed|failed",
    "--format": "text|json|github",
}

RootOpt = Annotated[
    Path | None,
    typer.Option(
        "--root",
        metavar="DIR",
        envvar="SAFEPLAN_ROOT",
        help="Plan root (a folder with plan/plan.yaml). Default: the nearest one above the current folder.",
        show_default=False,
        file_okay=False,
    ),
]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="zh|en",
        envvar="SAFEPLAN_LANG",
        help="Output language: zh or en. Default: the plan's language.",
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        envvar="SAFEPLAN_AS_OF",
        help="The day to compute status for (YYYY-MM-DD). Default: today in the plan's time zone.",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def utc_now() -> dt.datetime:
    """The one clock of safeplan (tests replace it); everything below the CLI gets dates."""
    return dt.datetime.now(dt.UTC)


class Session:
    """The plan root, the output language and 'today', resolved once per command."""

    def __init__(self, root: Path | None, lang: str | None) -> None:
        self._root_opt = root
        self._lang_opt = lang
        self._root: Path | None = None
        self._plan_lang: Lang | None = None
        self._tz: str = "Asia/Shanghai"
        self._lang: Lang | None = None
        if lang is not None and parse_lang(lang) is None:
            self._lang = "en"
            raise UsageError(N_("unknown language '{lang}': use zh or en"), lang=lang)

    @property
    def root(self) -> Path:
        if self._root is None:
            from safeplan.store import find_root

            self._root = find_root(Path.cwd(), self._root_opt)
            self._read_plan_settings()
        return self._root

    def _read_plan_settings(self) -> None:
        """Language and time zone from plan.yaml, cheaply (no validation: that is validate's job)."""
        from safeplan.store import PLAN_FILE
        from safeplan.yamlio import YamlProblem, load_fast, read_text

        assert self._root is not None
        try:
            data = load_fast(read_text(self._root / PLAN_FILE))
        except (YamlProblem, OSError):
            return
        if isinstance(data, dict):
            language = data.get("language")
            if isinstance(language, str):
                self._plan_lang = lang_of_plan(language)
            tz = data.get("timezone")
            if isinstance(tz, str):
                self._tz = tz

    @property
    def lang(self) -> Lang:
        if self._lang is None:
            chosen = parse_lang(self._lang_opt) if self._lang_opt else None
            if chosen is None:
                with contextlib.suppress(SafeplanError):
                    _ = self.root
                chosen = self._plan_lang or parse_lang(os.environ.get("LANG", "")) or "en"
            self._lang = chosen
        return self._lang

    def tr(self, text: str) -> str:
        return translator(self.lang)(text)

    def today(self) -> dt.date:
        """Today in the plan's time zone (CI runs in UTC; the town lives in Asia/Shanghai)."""
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        _ = self.root
        try:
            zone = ZoneInfo(self._tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError(
                N_("unknown time zone '{tz}' in plan/plan.yaml: use a name like Asia/Shanghai"),
                tz=self._tz,
            ) from None
        return utc_now().astimezone(zone).date()

    def as_of(self, value: str | None) -> dt.date:
        if value is None:
            return self.today()
        return parse_date(value, "--as-of / SAFEPLAN_AS_OF")


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            N_("{option}: '{value}' is not a date: write YYYY-MM-DD, e.g. 2026-11-28"),
            option=option,
            value=value,
        ) from None


def echo(text: str = "", err: bool = False) -> None:
    typer.echo(text, err=err)


def fail(session: Session | None, exc: SafeplanError) -> NoReturn:
    tr = session.tr if session is not None else translator("en")
    label = tr(N_("error: ")) if exc.exit_code == EXIT_USAGE else ""
    from safeplan.problems import render

    message = render(exc.template, exc.params, tr)
    problems = getattr(exc, "problems", None) or []
    if problems:
        from safeplan.problems import format_line

        for p in problems:
            echo(format_line(p, tr), err=True)
    echo(f"safeplan: {label}{message}", err=True)
    raise typer.Exit(exc.exit_code)


@contextlib.contextmanager
def session(root: Path | None, lang: str | None) -> Iterator[Session]:
    """The one error handler: safeplan errors become a message and an exit code, never a traceback."""
    current: Session | None = None
    try:
        current = Session(root, lang)
        yield current
    except SafeplanError as exc:
        fail(current, exc)
    except KeyboardInterrupt:
        echo("safeplan: interrupted", err=True)
        raise typer.Exit(130) from None
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


def exit_with(code: int) -> NoReturn:
    raise typer.Exit(code)


def json_dump(doc: Any) -> str:
    import json

    return json.dumps(doc, ensure_ascii=False, indent=2, default=str)


def print_rich(renderable: object) -> None:
    """Print a rich renderable to stdout (rich is imported only by commands that draw)."""
    from safeplan.console import make_console

    make_console().print(renderable)


def load_repo(s: Session) -> Any:
    """Load the whole plan; problems are kept on the repository for the caller to report."""
    from safeplan.store import load

    return load(s.root)


def problems_note(s: Session, count: int) -> None:
    """Tell a reader of a listing that the data has problems, and how to see them."""
    if count:
        echo(
            "safeplan: "
            + s.tr(
                N_(
                    "validation found {n} problem(s); what is shown may be incomplete. "
                    "Run 'safeplan validate' to see them."
                )
            ).format(n=count),
            err=True,
        )


def finish(s: Session, repo: Any) -> NoReturn:
    """End a reading command: 0, or 1 with a note on stderr when the data has problems."""
    problems_note(s, repo.errors)
    exit_with(1 if repo.errors else 0)


def stamped(day: dt.date, **fields: Any) -> dict[str, Any]:
    """A JSON document of a reading command: its shape's version and the day it describes."""
    from safeplan.status import JSON_SCHEMA_VERSION

    return {"schema_version": JSON_SCHEMA_VERSION, "as_of": day.isoformat(), **fields}


def refuse_if_broken(repo: Any, rel: str) -> None:
    """When a name is not found because its file is broken, say so (exit 1), not 'no such name'."""
    from safeplan.errors import DataError

    found = [p for p in repo.problems if p.path == rel and p.severity == "error"]
    if found:
        raise DataError(N_("{path} has problems: fix them first"), found, path=rel)


#: The command that lists each kind of name, for when nothing is close to what was typed.
_LISTERS = {
    "unit": "safeplan unit list",
    "task": "safeplan task list",
    "hazard": "safeplan hazard list",
}


def unknown(s: Session, what: str, name: str, choices: list[str]) -> UsageError:
    """An unknown task, unit or hazard named on the command line, with the closest matches."""
    from safeplan.checks import closest

    found = closest(name, choices)
    if found:
        return UsageError(
            N_("no {what} '{name}' (closest: {closest})"),
            what=Fragment(what),
            name=name,
            closest=s.tr(N_(", ")).join(found),
        )
    lister = _LISTERS.get(what)
    if lister is None:  # actions: few enough to name them all
        return UsageError(
            N_("no {what} '{name}' (there are: {choices})"),
            what=Fragment(what),
            name=name,
            choices=s.tr(N_(", ")).join(choices) or "—",
        )
    return UsageError(
        N_("no {what} '{name}'; '{lister}' lists them all"),
        what=Fragment(what),
        name=name,
        lister=lister,
    )
