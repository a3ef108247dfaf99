"""The options commands share, defined once, and the decorator that gives a command its bundles.

A command is a few lines: it declares its own arguments and options, names the
bundles it takes (``READ``: --as-of and --json; ``EDIT``: --dry-run and --commit;
``EVIDENCE``: --evidence), and receives a :class:`Call` that holds the session and the
bundles' values. Every command takes --root and --lang, which may also be given before
the command (``safeplan --root DIR status``, as ``git -C``).
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NamedTuple

import typer

from safeplan.cli.group import GlobalOptions

# The helpers that declare an option, for the command modules that import them from here.
from safeplan.cli.params import argument as argument
from safeplan.cli.params import flag as flag
from safeplan.cli.params import opt as opt
from safeplan.cli.params import option as option
from safeplan.cli.session import Session, echo, handled
from safeplan.cli.typed import check_text, parse_date
from safeplan.problems import N_

if TYPE_CHECKING:
    from pydantic import BaseModel

    from safeplan.cli.progress import ProgressBar
    from safeplan.edit import EditResult
    from safeplan.render.grid import Block
    from safeplan.render.i18n import Translator
    from safeplan.repo import Repository
    from safeplan.repo.hazardfile import Keep
    from safeplan.repo.warm import Warm

# --------------------------------------------------------------------------- shared options


RootOpt = Annotated[
    Path | None,
    option(
        N_(
            "Plan root (a folder with plan/plan.yaml; also SAFEPLAN_ROOT). Default: the "
            "nearest one above the current folder."
        ),
        "--root",
        metavar="DIR",
        file_okay=False,
    ),
]
LangOpt = Annotated[
    str | None,
    option(
        N_("Output language: zh or en (also SAFEPLAN_LANG). Default: the plan's language."),
        "--lang",
        metavar="zh|en",
    ),
]
AsOfOpt = Annotated[
    str | None,
    option(
        N_("The day to compute status for (YYYY-MM-DD). Default: today in the plan's time zone."),
        "--as-of",
        metavar="DATE",
        envvar="SAFEPLAN_AS_OF",
    ),
]
CheckAsOfOpt = Annotated[
    str | None,
    option(
        N_(
            "The day to check against (YYYY-MM-DD): a fact dated after it is an error. "
            "Default: today in the plan's time zone."
        ),
        "--as-of",
        metavar="DATE",
        envvar="SAFEPLAN_AS_OF",
    ),
]
JsonOpt = Annotated[bool, flag(N_("Print JSON instead of a table."), "--json")]
NoCacheOpt = Annotated[
    bool,
    flag(
        N_(
            "Read every hazard file again, ignoring the cache of unchanged files "
            "(.safeplan-cache/; also SAFEPLAN_NO_CACHE=1)."
        ),
        "--no-cache",
    ),
]
DryRunOpt = Annotated[
    bool,
    flag(N_("Print the change as a unified diff and write nothing."), "--dry-run"),
]
CommitOpt = Annotated[
    bool,
    flag(
        N_(
            "Commit exactly the changed file with git (refused if other changes are staged or "
            "the file has uncommitted changes)."
        ),
        "--commit",
    ),
]
EvidenceOpt = Annotated[
    list[str] | None,
    option(
        N_("A path in the repository or a document number (repeat for several)."),
        "--evidence",
        metavar="PATH",
    ),
]
OnOpt = Annotated[
    str | None, option(N_("The date (YYYY-MM-DD). Default: today."), "--on", metavar="DATE")
]
NoteOpt = Annotated[str | None, option(N_("A note."), "--note")]
UnitOpt = Annotated[str | None, option(N_("The responsible unit."), "--unit", metavar="UNIT")]


# --------------------------------------------------------------------------- bundles


class Bundle(NamedTuple):
    """Options several commands take, added to each command's signature by ``command``."""

    params: tuple[tuple[str, Any, Any], ...]  # (name, annotation, default)
    #: Where --help lists them: after --root and --lang (``"end"``, most bundles), right
    #: after the command's own options (``"own"``: the report commands' options, which
    #: --help has always listed before --root and --lang), or before the command's own
    #: (``"first"``: the town an export is of, then the export's own --force).
    place: Literal["first", "own", "end"] = "end"


COMMON = Bundle((("root", RootOpt, None), ("lang", LangOpt, None)))
READ = Bundle((("as_of", AsOfOpt, None), ("json", JsonOpt, False), ("no_cache", NoCacheOpt, False)))
#: --as-of and --no-cache, for validate: the day after which no fact may be dated.
AS_OF = Bundle((("as_of", CheckAsOfOpt, None), ("no_cache", NoCacheOpt, False)))
EDIT = Bundle((("dry_run", DryRunOpt, False), ("commit", CommitOpt, False)))
EVIDENCE = Bundle((("evidence", EvidenceOpt, None),))


class _Flag:
    """A bundle's on/off option as an attribute of the :class:`Call` (off when the
    command does not take it)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, call: Call, owner: type) -> bool:
        return bool(call._values.get(self.name))


class Call:
    """One invocation of a command: its session and the values of its bundles."""

    def __init__(self, session: Session, values: dict[str, Any]) -> None:
        self.session = session
        self._values = values
        self._as_of: dt.date | None = None

    # -- the session
    @property
    def root(self) -> Path:
        return self.session.root

    @property
    def tr(self) -> Translator:
        return self.session.tr

    def today(self) -> dt.date:
        return self.session.today()

    # -- READ
    @property
    def as_of(self) -> dt.date:
        if self._as_of is None:
            value = self._values.get("as_of")
            self._as_of = (
                self.today() if value is None else parse_date(value, "--as-of / SAFEPLAN_AS_OF")
            )
        return self._as_of

    json = _Flag()

    @property
    def cache(self) -> bool:
        """Whether unchanged hazard files may come from the plan's cache (not with
        --no-cache, given before or after the command, or SAFEPLAN_NO_CACHE)."""
        off = self.session.environ.get("SAFEPLAN_NO_CACHE", "").strip().lower()
        return not self._values.get("no_cache") and off in ("", "0", "no", "false")

    # -- EDIT and EVIDENCE
    dry_run = _Flag()
    commit = _Flag()

    @property
    def evidence(self) -> list[str]:
        return list(self._values.get("evidence") or [])

    # -- REPORT (cli/report.py)
    @property
    def given_as_of(self) -> dt.date | None:
        """--as-of when it was given (a report's period is then the last complete on that
        day; without it, the last complete before today)."""
        return None if self._values.get("as_of") is None else self.as_of

    stdout = _Flag()
    force = _Flag()

    @property
    def format(self) -> str:
        return str(self._values.get("format"))

    @property
    def out(self) -> Path | None:
        value = self._values.get("out")
        return None if value is None else Path(value)

    def text(self, name: str) -> str | None:
        """A bundle's option that takes a text (a bundle beside its commands, as
        ``export_db.TOWN``), None when not given."""
        value = self._values.get(name)
        return None if value is None else str(value)

    # -- reading and printing
    def repo(self, machine_output: bool | None = None, keep: Keep | None = None) -> Repository:
        """The whole plan, read and checked (problems are kept for the caller to report;
        ``machine_output``: a command's own --json, when it is not the READ bundle's;
        ``keep``: what else the command needs of each hazard record, made in the same read)."""
        from safeplan.cli.process import settle_loaded
        from safeplan.repo import load

        with self.progress(machine_output) as progress:
            repo = load(
                self.root, today=self.today(), cache=self.cache, progress=progress, keep=keep
            )
        settle_loaded()
        return repo

    def progress(self, machine_output: bool | None = None) -> ProgressBar:
        """The progress callback for a long read: a bar on a terminal's stderr after a
        second (``cli/progress.py``), nothing in a pipe, under CI or for ``--json``."""
        import sys

        from safeplan.cli.progress import ProgressBar, wanted

        machine = self.json if machine_output is None else machine_output
        show = wanted(sys.stderr, self.session.environ, machine)
        return ProgressBar(sys.stderr, self.tr(N_("Reading hazard files")), enabled=show)

    def hazard_id(self, typed: str) -> str:
        """The hazard id meant by what was typed (a unique end of it, any case or width);
        a hazard's name instead lists the hazards so named, with their ids."""
        from safeplan.repo.find import resolve_hazard

        return resolve_hazard(self.root, typed)

    def print(self, block: Block) -> None:
        """A screen to stdout, laid out for the terminal's width and not folded in a pipe
        (``cli/output.write_screen``); a long grid streams as its rows are made. rich is
        imported only to colour a terminal's output."""
        from safeplan.cli.output import write_screen

        write_screen(block, self.session.environ)

    def echo(self, text: str = "", err: bool = False) -> None:
        """A message: folded as Chinese is typeset on a terminal (the terminal would cut an
        id or start a line with '。'), left whole in a pipe; no blanks at line ends."""
        import sys

        from safeplan.cli.output import message_lines

        stream = sys.stderr if err else sys.stdout
        echo(message_lines(text, stream, self.session.environ), err)

    def emit(self, view: BaseModel) -> None:
        """A view model as the command's JSON document."""
        from safeplan.cli.output import dump_json

        echo(dump_json(view))

    def show(self, view: BaseModel, screen: str) -> None:
        """A reading command's answer: the view model's JSON with --json, else its screen.

        ``screen`` names the screen as ``"module:function"`` of ``render/screens/``, called
        as ``function(view, tr)``. It is named rather than imported so that the
        renderers are loaded only to draw (``--json`` never loads them)."""
        if self.json:
            self.emit(view)
            return
        import importlib

        module, function = screen.split(":")
        draw = getattr(importlib.import_module(f"safeplan.render.screens.{module}"), function)
        self.print(draw(view, self.tr))

    def answer(self, view_of: Callable[[Repository, dt.date], BaseModel], screen: str) -> int:
        """A reading command from start to exit: read the plan, make the view of --as-of,
        show it (:meth:`show`), and exit 0, or 1 when the data has problems."""
        repo = self.repo()
        self.show(view_of(repo, self.as_of), screen)
        return self.finish(repo)

    def finish(self, repo: Repository | Warm) -> int:
        """A reading command's exit: 0, or 1 with a note on stderr when the data has problems."""
        from safeplan.problems import NP_
        from safeplan.render.text import param

        if repo.errors:
            note = NP_(
                "validation found {n} problem; what is shown may be incomplete. "
                "Run 'safeplan validate' to see it.",
                "validation found {n} problems; what is shown may be incomplete. "
                "Run 'safeplan validate' to see them.",
                repo.errors,
            )
            echo("safeplan: " + param(note, self.tr), err=True)
            return 1
        return 0

    def refuse_if_broken(self, repo: Repository, rel: str) -> None:
        """When a name is not found because its file is broken, say so (exit 1), not 'no such name'."""
        from safeplan.errors import DataError
        from safeplan.rules.hints import FIX_FIRST

        found = [p for p in repo.problems if p.path == rel and p.severity == "error"]
        if found:
            raise DataError(FIX_FIRST, found, path=rel)

    def edit(self, compute: Callable[[], EditResult]) -> EditResult:
        from safeplan.cli.editing import run

        return run(self.session, compute, self.dry_run, self.commit)


def _option_name(name: str, annotation: Any) -> str:
    """How the command line spells a parameter: ``--note``, or ``ID`` for an argument."""
    from typer.models import ArgumentInfo, OptionInfo

    for meta in getattr(annotation, "__metadata__", ()):
        if isinstance(meta, OptionInfo) and meta.param_decls:
            return str(meta.param_decls[0])
        if isinstance(meta, ArgumentInfo):
            return str(meta.metavar or name.upper())
    return "--" + name.replace("_", "-")


def command(*bundles: Bundle) -> Callable[[Callable[..., int | None]], Callable[..., None]]:
    """Give a command the options of ``bundles`` (and --root, --lang) and a :class:`Call`.

    The command's first parameter receives the Call; its other parameters are its own
    arguments and options. It returns an exit code (None for 0). The options stand in
    this order (the order of --help): the bundles placed ``"first"``, the command's own,
    the bundles placed ``"own"``, --root and --lang, the other bundles.
    """
    first = [b for b in bundles if b.place == "first"]
    chosen = (
        *first,
        *(b for b in bundles if b.place == "own"),
        COMMON,
        *(b for b in bundles if b.place == "end"),
    )

    def decorate(fn: Callable[..., int | None]) -> Callable[..., None]:
        hints = typing.get_type_hints(fn, include_extras=True)
        own = list(inspect.signature(fn).parameters.values())[1:]

        def of(group: Sequence[Bundle]) -> list[inspect.Parameter]:
            return [
                inspect.Parameter(
                    name, inspect.Parameter.KEYWORD_ONLY, annotation=ann, default=default
                )
                for b in group
                for name, ann, default in b.params
            ]

        params = [
            inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context),
            *of(first),
            *(
                p.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints[p.name])
                for p in own
            ),
            *of(chosen[len(first) :]),
        ]
        names = [name for b in chosen for name, _, _ in b.params]
        shown = {p.name: _option_name(p.name, p.annotation) for p in params}

        @functools.wraps(fn)
        def wrapper(**kwargs: Any) -> None:
            ctx: typer.Context = kwargs.pop("ctx")
            values = {name: kwargs.pop(name) for name in names}
            top = ctx.find_root().obj
            if isinstance(top, GlobalOptions):
                values["root"] = values["root"] or top.root
                values["lang"] = values["lang"] or top.lang
            sessions: list[Session] = []
            with handled(sessions):
                session = Session(values.pop("root"), values.pop("lang"))
                sessions.append(session)
                for name, value in [*kwargs.items(), *values.items()]:
                    check_text(shown[name], value)
                # --no-cache before the command counts for every command that reads.
                values["no_cache"] = values.get("no_cache") or (
                    isinstance(top, GlobalOptions) and top.no_cache
                )
                code = fn(Call(session, values), **kwargs)
            raise typer.Exit(code or 0)

        wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        del wrapper.__wrapped__  # typer must see the signature above, not fn's
        return wrapper

    return decorate
