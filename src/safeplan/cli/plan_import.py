"""``safeplan import text`` and ``safeplan init``: a plan repository from the plan as issued.

``import text`` into a folder without a plan writes the plan; into a plan it shows what
the revised text changes and writes it only with ``--apply``. ``init`` starts a whole
repository (with git when it is there). Exit 0 when all is well, 1 when something needs
review (a finding of the import, a problem of the written files) or was refused, 2 on
bad usage.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from safeplan.cli.options import Call, DryRunOpt, argument, command, flag, option
from safeplan.cli.session import echo
from safeplan.errors import DataError, RefusedError, UsageError
from safeplan.problems import N_, NP_, Fragment, ListOf, Problem

if TYPE_CHECKING:
    import datetime as dt

    from safeplan.edit import EditResult
    from safeplan.importers.plantext.documents import FileSet
    from safeplan.importers.plantext.parsed import ParsedPlan
    from safeplan.importers.plantext.reimport import Reimport
    from safeplan.render.i18n import Translator

PlanTextArg = Annotated[
    Path,
    argument(
        N_("The plan's text as issued: a Word document (.docx) or plain text (UTF-8 or GBK)."),
        "PLAN.txt",
    ),
]
ApplyOpt = Annotated[
    bool,
    flag(
        N_("Write what a revised text changes in the plan (without it, it is only shown)."),
        "--apply",
    ),
]
DirArg = Annotated[
    Path | None,
    argument(
        N_("The folder of the new plan repository (made if needed). Default: the current one."),
        "[DIR]",
    ),
]
FromTextOpt = Annotated[
    Path | None,
    option(
        N_("Import the plan from its issued text (.docx, or .txt in UTF-8 or GBK)."),
        "--from-text",
        metavar="PLAN.txt",
    ),
]
NameOpt = Annotated[
    str | None,
    option(
        N_("The township's name, e.g. 某某镇: for a plan to fill in, or where the text omits it."),
        "--name",
        metavar="NAME",
    ),
]


# --------------------------------------------------------------------------- shared


def _reader(c: Call, plan_language: str | None) -> Translator:
    """The reader's language for a plan that may not exist yet (its language is known)."""
    from safeplan.render.i18n import choose_language, translator

    s = c.session
    tr = translator(choose_language(s.lang_option, plan_language, s.environ))
    s.speak(tr)
    return tr


def _say(tr: Translator, template: str, **params: Any) -> None:
    from safeplan.render.text import render

    echo(render(template, params, tr))


def _problems(tr: Translator, problems: Sequence[Problem]) -> None:
    from safeplan.render.problems import format_line

    for p in problems:
        echo(format_line(p, tr))


def _ending(tr: Translator, findings: Sequence[Problem], problems: Sequence[Problem]) -> int:
    """The closing line: what needs review, and the exit code (1 when anything does)."""
    if findings:
        _say(
            tr,
            N_("{findings} need review (above)"),
            findings=NP_("{n} finding", "{n} findings", len(findings)),
        )
    if problems:
        _say(
            tr,
            N_("{problems} in the plan's files: fix them (see 'safeplan validate')"),
            problems=NP_("{n} problem", "{n} problems", len(problems)),
        )
    return 1 if findings or problems else 0


def _edit(files: FileSet, start_repository: bool = False) -> EditResult:
    """An import's files as one edit: written atomically, all or nothing, never over a file
    (``init``'s are followed by a repository and its first commit, after a kill too)."""
    from safeplan.edit import EditResult, FileChange

    return EditResult(
        root=files.root,
        changes=tuple(FileChange(files.root / rel, rel, old, new) for rel, old, new in files.files),
        template=files.template,
        params=files.params,
        commit_message=files.commit_message,
        subject=files.root.as_posix(),
        start_repository=start_repository,
    )


#: What is said of a text that did not come as UTF-8: plan/source.txt keeps it as UTF-8.
_KIND_LINES = {
    "gb18030": N_(
        "{path} is GB18030 (GBK) text, not UTF-8: it was read as GB18030, and "
        "plan/source.txt keeps it as UTF-8"
    ),
    "docx": N_(
        "{path} is a Word document (.docx): its paragraphs (and its tables' cells) were read "
        "in order, a line each, as plan/source.txt keeps them; line numbers count those lines"
    ),
}


def _read(tr: Translator, shown: str, parsed: ParsedPlan, kind: str = "utf-8") -> None:
    """What was read from the text (and as what, when it was not UTF-8), then its findings
    as path:line:column: message."""
    from safeplan.importers.plantext.documents import imported_line

    if kind in _KIND_LINES:
        _say(tr, _KIND_LINES[kind], path=shown)
    template, params = imported_line(parsed)
    _say(tr, N_("{path}: read {summary}"), path=shown, summary=Fragment(template, params))
    _problems(tr, parsed.findings)


def _write(tr: Translator, files: FileSet, start_repository: bool = False) -> None:
    """Write the files (Ctrl-C waits for them: see ``_uninterrupted``)."""
    from safeplan import edit

    done = edit.apply(_edit(files, start_repository))
    _say(tr, N_("wrote {files}"), files=ListOf(done.rels))


@contextmanager
def _uninterrupted(tr: Translator) -> Iterator[None]:
    """Ctrl-C or SIGTERM while the files are written (and, for ``init``, committed) takes
    effect after that: the command says what it did, then that it was interrupted (exit
    130), rather than a bare 'interrupted' over a plan that is in fact written."""
    from safeplan.cli.editing import deferred_signals
    from safeplan.cli.session import EXIT_INTERRUPTED

    with deferred_signals() as caught:
        yield
    if caught:
        from safeplan.render.text import render

        message = render(
            N_("interrupted after the above was done: do not run the command again"), {}, tr
        )
        echo(f"safeplan: {message}", err=True)
        raise typer.Exit(EXIT_INTERRUPTED)


# --------------------------------------------------------------------------- import text


def _import_root(c: Call) -> Path:
    """--root (or SAFEPLAN_ROOT), else the nearest plan above, else the current folder."""
    from safeplan.repo import find_root

    s = c.session
    given = s.root_option
    if given is None and s.environ.get("SAFEPLAN_ROOT"):
        given = Path(s.environ["SAFEPLAN_ROOT"])
    if given is not None:
        root = given.expanduser().resolve()
        if root.exists() and not root.is_dir():
            raise UsageError(N_("{root} is a file, not a folder"), root=str(root))
        return root
    try:
        return find_root(Path.cwd())
    except UsageError:
        return Path.cwd().resolve()


@command()
def import_text(
    c: Call, plan_text: PlanTextArg, dry_run: DryRunOpt = False, apply: ApplyOpt = False
) -> int:
    from safeplan.cli.lang import plan_settings
    from safeplan.importers.plantext.plan_text import parse_plan_text
    from safeplan.importers.plantext.source import read_source
    from safeplan.importers.plantext.start import refuse_control_characters
    from safeplan.repo import PLAN_FILE

    if dry_run and apply:
        raise UsageError(N_("--dry-run and --apply do not go together: choose one"))
    shown = str(plan_text)
    root = _import_root(c)
    planned = (root / PLAN_FILE).is_file()
    tr = _reader(c, (plan_settings(root)[0] if planned else None) or "zh-CN")
    source = read_source(plan_text, shown)
    refuse_control_characters(source.text, shown)
    data = source.data
    parsed = parse_plan_text(source.text, shown)
    _read(tr, shown, parsed, source.kind)
    refuse_without_tasks(tr, parsed)
    if planned:
        return _reimport(tr, root, parsed, data, dry_run, apply, c.today())
    return _first_import(tr, root, parsed, data, dry_run)


def refuse_without_tasks(tr: Translator, parsed: ParsedPlan) -> None:
    """A text with no numbered task is not a plan (or not one this reader understands):
    writing an empty plan from it would only hide that. Nor is a plan written (or
    committed) that lacks a task the text has."""
    from safeplan.importers.plantext.tasks import LOST_TASK_CODE

    lost = [f for f in parsed.findings if f.code == LOST_TASK_CODE]
    if lost:
        raise RefusedError(
            N_(
                "{path}: {lines} numbered as a task could not be read (above), so nothing was "
                "written: a plan without them would lack tasks the text has"
            ),
            path=parsed.path,
            lines=NP_("{n} line", "{n} lines", len(lost)),
        )
    if parsed.tasks:
        return
    raise RefusedError(
        N_(
            "{path}: no numbered task could be read, so nothing was written; check that this "
            "is the plan's text"
        ),
        path=parsed.path,
    )


def _first_import(
    tr: Translator, root: Path, parsed: ParsedPlan, data: bytes, dry_run: bool
) -> int:
    from safeplan.importers.plantext.start import import_new

    started = import_new(root, parsed, data)
    if dry_run:
        typer.echo(_edit(started.result).diff(), nl=False)
        _say(
            tr,
            N_("dry run, nothing was written: {change}"),
            change=Fragment(N_("the plan would be written to {root}"), {"root": str(root)}),
        )
    else:
        root.mkdir(parents=True, exist_ok=True)
        with _uninterrupted(tr):
            _write(tr, started.result)
    _problems(tr, started.problems)
    code = _ending(tr, parsed.findings, started.problems)
    _say(tr, N_("the units' kinds are guessed from their names: check them in data/units.yaml"))
    return code


def _reimport(
    tr: Translator,
    root: Path,
    parsed: ParsedPlan,
    data: bytes,
    dry_run: bool,
    apply: bool,
    today: dt.date,
) -> int:
    from safeplan import fsio
    from safeplan.importers.plantext.reimport import reimport

    with fsio.locked(root):
        done = reimport(root, parsed, data, today)
        _changes(tr, root, done)
        if done.result is not None:
            if dry_run:
                typer.echo(_edit(done.result).diff(), nl=False)
                _say(
                    tr,
                    N_("dry run, nothing was written: {change}"),
                    change=Fragment(done.result.template, done.result.params),
                )
            elif apply:
                if done.new_errors:
                    raise DataError(
                        N_(
                            "the revised text would leave the plan's files invalid (above), so "
                            "nothing was written: correct the text, or the files, and import it "
                            "again"
                        ),
                        list(done.new_errors),
                    )
                with _uninterrupted(tr):
                    _write(tr, done.result)
            else:
                _say(tr, N_("nothing was written: run again with --apply to write these changes"))
    extra = [f for f in done.findings if f not in parsed.findings]
    _problems(tr, extra)
    _problems(tr, done.problems)
    return _ending(tr, done.findings, done.problems)


def _changes(tr: Translator, root: Path, done: Reimport) -> None:
    from safeplan.render.text import render

    if done.result is None:
        _say(
            tr,
            N_("the plan in {root} already says what the text says: nothing to change"),
            root=str(root),
        )
        return
    if not done.changes:
        _say(
            tr,
            N_(
                "the text differs from plan/source.txt, but not in anything the plan's files "
                "record: only plan/source.txt changes"
            ),
        )
        return
    _say(tr, N_("what the text changes in the plan in {root}:"), root=str(root))
    for change in done.changes:
        echo(f"  {change.sign} {render(change.template, change.params, tr)}")


# --------------------------------------------------------------------------- init


@command()
def init(
    c: Call, directory: DirArg = None, from_text: FromTextOpt = None, name: NameOpt = None
) -> int:
    from safeplan import __version__
    from safeplan.importers.plantext import start
    from safeplan.importers.plantext.source import read_source

    tr = _reader(c, "zh-CN")
    target = directory or c.session.root_option or Path.cwd()
    root = target.expanduser().resolve()
    source = None
    kind = "utf-8"
    if from_text is not None:
        read = read_source(from_text, str(from_text))
        start.refuse_control_characters(read.text, str(from_text))
        source, kind = (read.data, read.text, str(from_text)), read.kind
    unfinished(root)
    started = start.init(root, source, name, __version__)
    if started.parsed is not None:
        _read(tr, str(from_text), started.parsed, kind)
        refuse_without_tasks(tr, started.parsed)
    root.mkdir(parents=True, exist_ok=True)
    with _uninterrupted(tr):
        _write(tr, started.result, start_repository=True)
        for rel in started.kept:
            _say(tr, N_("{path} already exists: left as it is"), path=rel)
        _git(tr, root, started.result)
    _problems(tr, started.problems)
    findings = started.parsed.findings if started.parsed is not None else []
    code = _ending(tr, findings, started.problems)
    if started.parsed is not None:
        _say(tr, N_("the units' kinds are guessed from their names: check them in data/units.yaml"))
    else:
        _say(
            tr,
            N_(
                "a plan to fill in: write its title, actions, tasks and units in plan/plan.yaml, "
                "data/tasks.yaml and data/units.yaml (or start again with --from-text)"
            ),
        )
    _say(
        tr,
        N_("next: 'safeplan validate --root {root}', then 'safeplan status --root {root}'"),
        root=str(root),
    )
    return code


def unfinished(root: Path) -> None:
    """``init`` where an earlier one was interrupted: say what is left, and how to finish it
    (``recover`` when the files are half-written; git when they are written, but not in
    a repository or not committed)."""
    from safeplan import fsio
    from safeplan.repo import PLAN_FILE
    from safeplan.repo.gitstart import unstarted

    if (root / fsio.JOURNAL_NAME).is_file():
        raise RefusedError(
            N_(
                "an earlier 'safeplan init' (or edit) in {root} was interrupted: run 'safeplan "
                "recover --root {root}' to finish it (files, repository and first commit), or "
                "'safeplan recover --undo --root {root}' to undo it; nothing was written"
            ),
            root=str(root),
        )
    if (root / PLAN_FILE).is_file():
        left = unstarted(root)
        if left is not None:
            raise RefusedError(
                N_(
                    "{root} already holds a plan, but {left}: an earlier 'safeplan init' was "
                    "probably interrupted after it wrote the files. To finish it, run in "
                    "{root}: {commands}; nothing was written"
                ),
                root=str(root),
                left=Fragment(left.template, left.params),
                commands=left.commands,
            )


def _git(tr: Translator, root: Path, result: FileSet) -> None:
    """``git init`` and a first commit of exactly the files written, when git can; else
    what is left to do, with the commands (``repo.gitstart.start_repository``). The exit code
    stays 0 without git: the plan is whole, and the line says what git would add. The
    repository it makes also learns the merge driver that ``.gitattributes`` names
    (``safeplan git-setup`` does the same for a clone)."""
    from safeplan.edit.merge import configure
    from safeplan.errors import SafeplanError
    from safeplan.repo.gitstart import start_repository

    started = start_repository(root, result.rels, result.commit_message)
    if started.done:
        # No repository of its own to configure when the plan sits inside another one.
        with contextlib.suppress(SafeplanError):
            configure(root, "init")
    _say(tr, started.template, **started.params)
