"""``safeplan fmt``: the plan's files in their canonical layout (``safeplan.yamlio.canonical``).

An editing command: the files are written under the plan's edit lock, each atomically,
all or none, and none that another edit changed since fmt read it
(``safeplan.edit.transaction``); and only after the layout has been proven to keep every
value and comment.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from safeplan.cli.options import EDIT, Call, command, flag
from safeplan.errors import UsageError
from safeplan.problems import N_

if TYPE_CHECKING:
    from safeplan.edit.transaction import EditResult, FileChange
    from safeplan.problems import Problem
    from safeplan.yamlio.canonical import NotFormatted

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="[PATHS]...",
        help=N_(
            "Files or folders of the plan to format (as pre-commit passes them). Default: "
            "plan/plan.yaml, data/units.yaml, data/tasks.yaml and every hazard file."
        ),
        show_default=False,
    ),
]
CheckOpt = Annotated[
    bool,
    flag(
        N_("Write nothing; list the files that would change, and exit 1 if there are any."),
        "--check",
    ),
]
DiffOpt = Annotated[
    bool,
    flag(N_("As --check, and show how each file would change (a unified diff)."), "--diff"),
]


class Target(NamedTuple):
    """A file to format: where it is, its path from the plan root, and what it holds."""

    path: Path
    rel: str
    kind: str


class Outcome(NamedTuple):
    """What formatting found: the files that change, and those it could not format."""

    changes: tuple[FileChange, ...]
    problems: tuple[Problem, ...]
    #: The files it could read and format (changed or not).
    files: int


@command(EDIT)
def fmt(c: Call, paths: PathsArg = None, check: CheckOpt = False, diff: DiffOpt = False) -> int:
    from safeplan.render.problems import format_line
    from safeplan.render.text import inert, render

    if (check or diff) and (c.dry_run or c.commit):
        raise UsageError(N_("--check and --diff write nothing: leave out --dry-run and --commit"))
    targets = _targets(c.root, paths or [])
    if check or diff:
        outcome = _format(c.root, targets, c.cache)
        for p in outcome.problems:
            c.echo(format_line(p, c.tr), err=True)
        if diff and outcome.changes:
            typer.echo(_result(c.root, outcome).diff(), nl=False)
        for change in outcome.changes:
            c.echo(
                c.tr(N_("{path}: not in the canonical layout")).format(
                    path=inert(change.rel, one_line=True)
                )
            )
        c.echo(render(*_summary(outcome), c.tr))
        return 1 if outcome.changes or outcome.problems else 0
    preview = _format(c.root, targets, c.cache)
    if not preview.changes:
        for p in preview.problems:
            c.echo(format_line(p, c.tr), err=True)
        c.echo(render(*_summary(preview), c.tr))
        return 1 if preview.problems else 0
    # Written under the edit lock; a file another edit changed since it was read here is
    # refused ("changed on disk"), never overwritten.
    c.edit(lambda: _result(c.root, preview))
    for p in preview.problems:
        c.echo(format_line(p, c.tr), err=True)
    return 1 if preview.problems else 0


# --------------------------------------------------------------------------- which files


def _kind(rel: str) -> str | None:
    """What a file of the plan holds, by its path from the root; None: not a data file."""
    from safeplan.repo import HAZARDS_DIR, PLAN_FILE, TASKS_FILE, UNITS_FILE, YAML_SUFFIXES

    kinds = {PLAN_FILE.as_posix(): "plan", UNITS_FILE.as_posix(): "units"}
    kinds[TASKS_FILE.as_posix()] = "tasks"
    if rel in kinds:
        return kinds[rel]
    folder, _, name = rel.rpartition("/")
    if folder == HAZARDS_DIR.as_posix() and name.endswith(YAML_SUFFIXES) and name[:1] != ".":
        return "hazard"
    return None


def _targets(root: Path, paths: list[Path]) -> list[Target]:
    """The files to format: those named (a folder: the data files inside it), else all."""
    from safeplan.repo import PLAN_FILE, TASKS_FILE, UNITS_FILE
    from safeplan.repo.listing import hazard_entries

    every = [Target(root / f, f.as_posix(), "") for f in (PLAN_FILE, UNITS_FILE, TASKS_FILE)]
    every = [t for t in every if t.path.is_file()]
    every += [Target(Path(path), rel, "") for path, rel in hazard_entries(root)[0]]
    every = [t._replace(kind=_kind(t.rel) or "") for t in every]
    if not paths:
        return every
    chosen: dict[str, Target] = {}
    for given in paths:
        full = given.expanduser()
        if not full.is_absolute() and not full.exists() and (root / full).exists():
            full = root / full  # a path from the plan root, when it is not one from here
        full = full.resolve()
        try:
            rel = full.relative_to(root).as_posix() if full != root else ""
        except ValueError:
            raise UsageError(
                N_("{path} is not in the plan at {root}: name files of this plan"),
                path=str(given),
                root=str(root),
            ) from None
        if full.is_dir():
            inside = [t for t in every if not rel or t.rel.startswith(rel + "/")]
            chosen.update((t.rel, t) for t in inside)
            continue
        kind = _kind(rel)
        if not full.is_file():
            raise UsageError(N_("{path}: no such file"), path=str(given))
        if kind is None:
            raise UsageError(
                N_(
                    "{path} is not a data file of the plan: fmt formats plan/plan.yaml, "
                    "data/units.yaml, data/tasks.yaml and data/hazards/*.yaml"
                ),
                path=str(given),
            )
        chosen[rel] = Target(full, rel, kind)
    return sorted(chosen.values(), key=lambda t: t.rel)


# --------------------------------------------------------------------------- formatting


def _format(root: Path, targets: list[Target], memo: bool = True) -> Outcome:
    """Every target in the canonical layout; files proven canonical before and unchanged
    since are not round-tripped again (``repo/fmtcache.py``; not with ``--no-cache``)."""
    from safeplan.edit.transaction import FileChange
    from safeplan.repo.fmtcache import known_canonical, remember_canonical, stat_key
    from safeplan.repo.parse import yaml_problem
    from safeplan.yamlio import YamlProblem
    from safeplan.yamlio.canonical import NotFormatted, canonical

    changes: list[FileChange] = []
    problems: list[Problem] = []
    known = known_canonical(root, [(t.path, t.rel) for t in targets]) if memo else set()
    proven: list[tuple[str, list[int], bytes]] = []
    for t in targets:
        if t.rel in known:
            continue
        key = stat_key(t.path)  # before reading: a change while reading shows next time
        try:
            old, new = canonical(t.path, t.kind)
        except YamlProblem as exc:
            problems += [yaml_problem(exc, t.rel), _left(t.rel)]
            continue
        except NotFormatted as exc:
            problems += _not_formatted(t, exc)
            continue
        except OSError as exc:
            from safeplan.repo.parse import unreadable

            problems.append(unreadable(t.rel, exc))
            continue
        if new != old:
            changes.append(FileChange(t.path, t.rel, old, new))
        elif key is not None:
            proven.append((t.rel, key, old))
    if memo:
        remember_canonical(
            root,
            proven,
            [t.rel for t in targets if t.rel not in known],
        )
    unread = {p.path for p in problems}
    return Outcome(tuple(changes), tuple(problems), len(targets) - len(unread))


def _left(rel: str) -> Problem:
    from safeplan.problems import Problem

    return Problem(
        rel,
        1,
        1,
        "not-formatted",
        N_("not formatted: fix the problem above first (see 'safeplan validate')"),
    )


def _not_formatted(t: Target, exc: NotFormatted) -> list[Problem]:
    """Why a file was left as it is: its own problems when it has some, else a bug to report."""
    from safeplan.problems import Problem
    from safeplan.repo.parse import parse_file
    from safeplan.yamlio.canonical import MODELS, format_problem

    if not exc.unproven:
        strip = 0 if t.kind in ("plan", "hazard") else 2
        parsed = parse_file(t.path, t.rel, MODELS[t.kind], strip)
        errors = [p for p in parsed.problems if p.severity == "error"]
        if errors:
            return [*errors, _left(t.rel)]
    template, params = format_problem(exc)
    return [Problem(t.rel, 1, 1, "not-formatted", template, params)]


def _summary(outcome: Outcome) -> tuple[str, dict[str, object]]:
    from safeplan.problems import NP_

    n = len(outcome.changes)
    if n:
        return N_("{files}: run 'safeplan fmt' to write the canonical layout"), {
            "files": NP_("{n} file would change", "{n} files would change", n)
        }
    return N_("{files} checked: already in the canonical layout"), {
        "files": NP_("{n} file", "{n} files", outcome.files)
    }


def _result(root: Path, outcome: Outcome) -> EditResult:
    from safeplan.edit.transaction import EditResult
    from safeplan.problems import NP_, ListOf

    rels = [ch.rel for ch in outcome.changes]
    shown = rels[:10] + (["…"] if len(rels) > 10 else [])
    return EditResult(
        root,
        outcome.changes,
        N_("formatted {count}: {files}"),
        {"count": NP_("{n} file", "{n} files", len(rels)), "files": ListOf(shown)},
        f"fmt: canonical layout of {len(rels)} file{'s' if len(rels) != 1 else ''}",
        "fmt",
    )
