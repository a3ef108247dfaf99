"""The command tree: built lazily from the registry, with help and usage errors in the reader's language.

``SafeplanGroup`` is the top of the tree. It lists commands from
``safeplan.cli.registry`` without importing them, imports a command's module only when
that command runs (or its own --help is asked for), and translates what typer and its
click show: the help texts (English msgids), the headings and the bracketed notes of
a help page, and the usage errors (a missing option, an unknown one, an extra
argument). It also owns the process's ending: one exit code, never a traceback.

typer 0.26–0.28 ship click as the private ``typer._click``, without click's gettext
hooks, and expose neither its exceptions nor its help formatter: this module is the one
place that imports them, on purpose. ``tests/test_cli_click_contract.py`` fails, naming
what changed, when an upgrade of typer moves one of them or rewords a message rewritten
here.
"""

from __future__ import annotations

import errno
import importlib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from typer import _click
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    MissingParameter,
    NoSuchOption,
    UsageError,
)
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup
from typer.exceptions import Abort

import safeplan.cli.lang as cli_lang
from safeplan.cli.registry import COMMANDS, Entry, Group
from safeplan.problems import N_
from safeplan.render.i18n import Translator, translator
from safeplan.render.wrap import cell_width, wrap


class GlobalOptions:
    """--root, --lang and --no-cache given before the command (``safeplan --root DIR status``)."""

    __slots__ = ("lang", "no_cache", "root")

    def __init__(
        self, root: Path | None = None, lang: str | None = None, no_cache: bool = False
    ) -> None:
        self.root = root
        self.lang = lang
        self.no_cache = no_cache


#: The translator of this command line (chosen once, in ``SafeplanGroup.main``).
_current: list[Translator] = [translator("en")]


def current() -> Translator:
    return _current[-1]


@contextmanager
def language(tr: Translator) -> Iterator[None]:
    _current.append(tr)
    try:
        yield
    finally:
        _current.pop()


# --------------------------------------------------------------------------- help pages

_EXTRA = re.compile(r"\[(?P<body>[^\[\]]+)\]$")
_EXTRA_PARTS = {
    "required": N_("required"),
}
_EXTRA_PREFIXES = {
    "env var: ": N_("env var: {var}"),
    "default: ": N_("default: {default}"),
}
_HELP_OPTION = "Show this message and exit."


def _translate_extras(text: str, tr: Translator) -> str:
    """``… [env var: SAFEPLAN_ROOT; required]`` in the reader's language."""
    m = _EXTRA.search(text)
    if m is None:
        return text
    parts = []
    for part in m["body"].split("; "):
        if part in _EXTRA_PARTS:
            parts.append(tr(_EXTRA_PARTS[part]))
            continue
        for prefix, msgid in _EXTRA_PREFIXES.items():
            if part.startswith(prefix):
                value = part[len(prefix) :]
                parts.append(tr(msgid).format(var=value, default=value))
                break
        else:
            parts.append(part)
    sep = "；" if tr.lang == "zh" else "; "
    return text[: m.start()] + "[" + sep.join(parts) + "]"


class TranslatedFormatter(HelpFormatter):
    """click's help formatter, with its fixed words in the reader's language and Chinese
    text wrapped by its width on screen (a Chinese character takes two cells)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        tr = current()
        if prefix is None:
            prefix = tr(N_("Usage: "))
        args = args.replace("[OPTIONS]", tr(N_("[OPTIONS]")))
        args = args.replace("COMMAND [ARGS]...", tr(N_("COMMAND [ARGS]...")))
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        tr = current()
        colon = "：" if tr.lang == "zh" else ":"
        self.write(f"{'':>{self.current_indent}}{tr(heading)}{colon}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        for i, paragraph in enumerate(paragraphs):
            if i:
                self.write("\n")
            for line in wrap(paragraph.strip(), self.width - self.current_indent):
                self.write(f"{indent}{line}\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        tr = current()
        rows = [(term, _definition(definition, tr)) for term, definition in rows]
        if not rows:
            return
        first_col = min(max(cell_width(term) for term, _ in rows), col_max) + col_spacing
        text_width = max(self.width - first_col - self.current_indent - 2, 10)
        for term, definition in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            if not definition:
                self.write("\n")
                continue
            if cell_width(term) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_width(term)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            # The bracketed notes ([必填]) are kept whole, after the text.
            m = _EXTRA.search(definition)
            text, extra = (definition[: m.start()], m.group()) if m else (definition, "")
            lines = wrap(text, text_width) if text.strip() else []
            if extra:
                if lines and cell_width(lines[-1]) + 2 + cell_width(extra) <= text_width:
                    lines[-1] += "  " + extra
                else:
                    lines.append(extra)
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")


def _definition(text: str, tr: Translator) -> str:
    if text.startswith(_HELP_OPTION):
        text = tr(N_("Show this message and exit.")) + text[len(_HELP_OPTION) :]
    return _translate_extras(text, tr)


# Section headings typer and click write (extracted for the catalog).
_HEADINGS = (N_("Options"), N_("Arguments"), N_("Commands"))


class TranslatedContext(typer.Context):
    formatter_class = TranslatedFormatter


def _translate_command(cmd: _click.Command, tr: Translator) -> _click.Command:
    """The help texts of a command and its options, as msgids → the reader's language."""
    cmd.context_class = TranslatedContext
    if cmd.help:
        cmd.help = tr(cmd.help)
    if cmd.short_help:
        cmd.short_help = tr(cmd.short_help)
    for param in cmd.params:
        text = getattr(param, "help", None)
        if text:
            param.help = tr(text)  # type: ignore[attr-defined]
    return cmd


def _build(name: str, entry: Entry) -> _click.Command:
    """The click command of one registry entry (its module imported now)."""
    module = importlib.import_module(entry.module)
    fn = getattr(module, entry.function)
    app = typer.Typer(rich_markup_mode=None, add_completion=False)
    app.command(
        name,
        help=entry.help,
        short_help=entry.short,
        context_settings={"help_option_names": ["-h", "--help"]},
    )(fn)
    cmd = typer.main.get_command(app)
    cmd.name = name
    return _translate_command(cmd, current())


def _short(entry: Entry | Group, tr: Translator) -> str:
    """The first paragraph of a command's help, in the reader's language."""
    text = entry.short if isinstance(entry, Entry) and entry.short else entry.help
    return tr(text).split("\n\n")[0]


class NoSuchCommand(UsageError):
    def __init__(self, name: str, matches: list[str], ctx: _click.Context) -> None:
        super().__init__(f"No such command '{name}'.", ctx)
        self.name = name
        self.matches = matches


class _Lazy(TyperGroup):
    """A group whose commands come from the registry and are imported when used."""

    entries: dict[str, Entry | Group]
    context_class = TranslatedContext

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return list(self.entries)

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        entry = self.entries.get(cmd_name)
        if entry is None:
            return None
        if isinstance(entry, Group):
            group = _Lazy(
                name=cmd_name,
                rich_markup_mode=None,
                help=current()(entry.help),
                no_args_is_help=True,
                context_settings={"help_option_names": ["-h", "--help"]},
            )
            group.entries = dict(entry.commands)
            return group
        return _build(cmd_name, entry)

    def resolve_command(
        self, ctx: _click.Context, args: list[str]
    ) -> tuple[str | None, _click.Command | None, list[str]]:
        name = args[0]
        if name not in self.entries and not name.startswith("-"):
            import difflib

            raise NoSuchCommand(name, difflib.get_close_matches(name, list(self.entries)), ctx)
        return self._click_resolve_command(ctx, args)

    def format_commands(self, ctx: _click.Context, formatter: HelpFormatter) -> None:
        """The command list, from the registry: listing commands imports none of them."""
        tr = current()
        rows = [(name, _short(entry, tr)) for name, entry in self.entries.items()]
        if rows:
            with formatter.section(N_("Commands")):
                formatter.write_dl(rows)


class SafeplanGroup(_Lazy):
    """The top of the command tree, and the one place a run of safeplan ends."""

    entries = COMMANDS

    def invoke(self, ctx: _click.Context) -> Any:
        """Ctrl-C while a command module loads (its own handler is not in place yet): one
        line in the reader's language and exit 130, as within a command."""
        mark = _written_mark()
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise typer.Exit(_interrupted(current(), mark)) from None

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        tr, mark = translator("en"), _written_mark()
        try:
            argv = typed_options(list(sys.argv[1:] if args is None else args))
            tr = translator(cli_lang.detect(argv, os.environ, Path.cwd()))
            with language(tr):
                _translate_command(self, tr)
                code = run(self, argv, prog_name or "safeplan", tr, **extra)
        except KeyboardInterrupt:  # Ctrl-C before a command ran: nothing was written
            code = _interrupted(tr, mark)
        if not standalone_mode:
            return code
        sys.exit(code)


#: An option typed with a Chinese input method: ——level, —level, －－level, –level.
_IME_OPTION = re.compile(
    r"^(?:——|—|－－|--|–|―)(?P<name>[a-z][a-z-]*)(?P<rest>(?:[=＝].*)?)$", re.S
)


def typed_options(argv: list[str]) -> list[str]:
    """Options as a Chinese input method types them, read as the options they mean.

    With the IME on, ``--level`` comes out as ``——level`` (two em dashes); ``＝`` is the
    full-width equals sign. Only a dash run followed by ASCII letters is rewritten, so a
    note that starts with ——（Chinese text） stays as it is; after ``--`` nothing is."""
    out: list[str] = []
    for i, arg in enumerate(argv):
        if arg == "--":
            return out + argv[i:]
        m = _IME_OPTION.match(arg)
        if m is not None and not arg.startswith("--"):
            rest = m["rest"]
            arg = "--" + m["name"] + ("=" + rest[1:] if rest else "")
        out.append(arg)
    return out


def run(group: TyperGroup, argv: list[str], prog_name: str, tr: Translator, **extra: Any) -> int:
    """Run the command line; every ending is an exit code and, if need be, a message."""
    mark = _written_mark()
    try:
        rv = TyperGroup.main(group, argv, prog_name, standalone_mode=False, **extra)
    except Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click's word for Ctrl-C
            return _interrupted(tr, mark)
        _click.echo(tr(N_("Aborted!")), file=sys.stderr)
        return 1
    except ClickException as exc:
        show_usage_error(exc, tr)
        return exc.exit_code
    except OSError as exc:
        if exc.errno == errno.EPIPE:  # output piped into `head`: stop quietly
            sys.stdout = _click.utils.PacifyFlushWrapper(sys.stdout)
            sys.stderr = _click.utils.PacifyFlushWrapper(sys.stderr)
            return 1
        raise
    return rv if isinstance(rv, int) else 0


def _written_mark() -> int:
    """``cli.session.written_mark`` without importing the session (--help stays light)."""
    fsio = sys.modules.get("safeplan.fsio")
    return len(fsio.WRITTEN) if fsio is not None else 0


def _interrupted(tr: Translator, mark: int) -> int:
    """Ctrl-C outside a command's own handler (while a command module loads, say): what
    was written, in the reader's language, and exit 130; never a traceback."""
    from safeplan.cli.session import EXIT_INTERRUPTED, interrupted, written_since

    _click.echo(interrupted(tr, written_since(mark)), file=sys.stderr)
    return EXIT_INTERRUPTED


# --------------------------------------------------------------------------- usage errors

_EXTRA_ARGS = re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$", re.S)
_REQUIRES = re.compile(r"Option '(?P<name>[^']+)' requires (?:an argument|\d+ arguments)\.$")
_NO_VALUE = re.compile(r"Option '(?P<name>[^']+)' does not take a value\.$")


#: The arguments of the commands, by parameter name, as a usage error names them (缺少参数：
#: 进展内容, not 缺少参数 'TEXT').
_ARGUMENTS = {
    "text": N_("the progress text"),
    "number": N_("the task number"),
    "hazard_id": N_("the hazard id"),
    "name": N_("the unit's name"),
    "plan_text": N_("the plan's text file"),
    "ledger_file": N_("the ledger file"),
}


def _space(tr: Translator) -> str:
    """Between a sentence and a bracket: a space in English, none before Chinese （."""
    return "" if tr.lang == "zh" else " "


def _inert(text: str | None) -> str:
    """What the user typed, shown as record text is (imported only when there is an error)."""
    from safeplan.render.text import inert

    return inert(text or "", one_line=True)


def usage_message(exc: ClickException, tr: Translator) -> str:
    """A usage error of typer or click, in the reader's words."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, MissingParameter):
        param = exc.param
        hint = param.get_error_hint(ctx) if param is not None and ctx is not None else ""
        kind = exc.param_type or (param.param_type_name if param is not None else "parameter")
        if kind == "argument" and param is not None and param.name in _ARGUMENTS:
            return tr(N_("Missing argument: {what} ({name}).")).format(
                what=tr(_ARGUMENTS[param.name]), name=hint
            )
        template = {
            "argument": N_("Missing argument {name}."),
            "option": N_("Missing option {name}."),
        }.get(kind, N_("Missing parameter {name}."))
        return tr(template).format(name=hint)
    if isinstance(exc, NoSuchCommand):
        text = tr(N_("No such command '{name}'.")).format(name=_inert(exc.name))
        if exc.matches:
            text += _space(tr) + tr(N_("(did you mean {options}?)")).format(
                options=tr.join(exc.matches)
            )
        return text
    if isinstance(exc, NoSuchOption):
        text = tr(N_("No such option: {name}")).format(name=_inert(exc.option_name))
        if exc.possibilities:
            text += _space(tr) + tr(N_("(did you mean {options}?)")).format(
                options=tr.join(sorted(exc.possibilities))
            )
        return text
    if isinstance(exc, BadParameter):
        if exc.param is not None and ctx is not None:
            hint = exc.param.get_error_hint(ctx)
            return tr(N_("Invalid value for {name}: {message}")).format(
                name=hint, message=exc.message
            )
        return tr(N_("Invalid value: {message}")).format(message=exc.message)
    message = exc.message
    if isinstance(exc, UsageError):  # BadOptionUsage and the plain ones
        for rx, template in (
            (_EXTRA_ARGS, N_("Got unexpected extra argument ({args})")),
            (_REQUIRES, N_("Option '{name}' needs a value.")),
            (_NO_VALUE, N_("Option '{name}' does not take a value.")),
        ):
            m = rx.match(message)
            if m:
                return tr(template).format(**m.groupdict())
        if message == "Missing command.":
            return tr(N_("Missing command."))
    return message


def show_usage_error(exc: ClickException, tr: Translator) -> None:
    """What click's ``show`` prints, in the reader's language."""
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(
                tr(N_("Try '{command} {option}' for help.")).format(
                    command=ctx.command_path, option=ctx.help_option_names[0]
                )
            )
        lines.append("")
    lines.append(tr(N_("Error: {message}")).format(message=usage_message(exc, tr)))
    _click.echo("\n".join(lines), file=sys.stderr)
