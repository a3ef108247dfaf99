"""Starting a plan repository: reading the issued text, the first import, ``init``'s files.

The files come back as a :class:`~safeplan.importers.documents.FileSet` of new files, which
the command writes through the edit transaction (``FileChange(old=None, …)``): the plan
appears whole or not at all, and no existing file is overwritten. A folder that already
holds a plan, or part of one, is refused before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from safeplan.errors import DataError, RefusedError, UsageError
from safeplan.importers.plantext import documents as docs
from safeplan.importers.plantext import scaffold
from safeplan.importers.plantext.parsed import ParsedPlan
from safeplan.importers.plantext.plan_text import parse_plan_text
from safeplan.problems import N_, ListOf, Problem
from safeplan.repo import PLAN_FILE, TASKS_FILE, UNITS_FILE

PLAN_FILES = (PLAN_FILE, UNITS_FILE, TASKS_FILE, docs.SOURCE_FILE)


def refuse_if_planned(root: Path) -> None:
    """A folder that holds a plan, or part of one, is not started again."""
    if (root / PLAN_FILE).exists():
        raise RefusedError(
            N_(
                "{root} already holds a plan (plan/plan.yaml): nothing was written; to follow "
                "a revised text, use 'safeplan import text PLAN.txt --root {root}'"
            ),
            root=str(root),
        )
    present = [p.as_posix() for p in PLAN_FILES if (root / p).exists()]
    if present:
        raise RefusedError(
            N_(
                "{root} already holds part of a plan ({files}): nothing was written; move "
                "those files away, or start in an empty folder"
            ),
            root=str(root),
            files=ListOf(present),
        )


@dataclass(frozen=True)
class Started:
    """A new plan, ready to write: the edit, what was read, and the files left alone."""

    result: docs.FileSet
    parsed: ParsedPlan | None
    #: Problems ``safeplan validate`` would find in the new files.
    problems: tuple[Problem, ...]
    #: Files of the scaffold that already existed (never overwritten).
    kept: tuple[str, ...] = ()


def _check(files: dict[str, bytes]) -> tuple[Problem, ...]:
    return tuple(
        docs.check_documents(
            files[PLAN_FILE.as_posix()], files[UNITS_FILE.as_posix()], files[TASKS_FILE.as_posix()]
        )
    )


def import_new(root: Path, parsed: ParsedPlan, source: bytes) -> Started:
    """The first import of a plan's text into a folder without a plan (not yet written)."""
    refuse_if_planned(root)
    files = docs.plan_files(parsed, source)
    template, params = docs.imported_line(parsed)
    result = docs.new_files(
        root, files, template, params, f"plan: import {parsed.title} from its issued text"
    )
    return Started(result, parsed, _check(files))


def init(
    root: Path,
    source: tuple[bytes, str, str] | None,
    name: str | None,
    version: str,
) -> Started:
    """``safeplan init``: the plan (from ``source`` = (bytes, text, shown path), or to fill
    in) and the files around it; the scaffold's files that exist already are left alone."""
    if root.exists() and not root.is_dir():
        raise UsageError(N_("{root} is a file, not a folder"), root=str(root))
    refuse_if_planned(root)
    parsed: ParsedPlan | None = None
    if source is not None:
        data, text, shown = source
        parsed = parse_plan_text(text, shown, name)
        files = docs.plan_files(parsed, data)
        title = parsed.title
        lead = scaffold.example_unit(parsed)
    else:
        files = scaffold.blank_plan(name or "某某镇")
        title = f"{name or '某某镇'}安全生产治本攻坚三年行动方案（2024—2026年）"
        lead = scaffold.UNIT_PLACEHOLDER
    problems = _check(files)
    kept: list[str] = []
    extra = scaffold.scaffold(title, version, lead, source is not None)
    for rel, data in extra.items():
        if (root / rel).exists():
            kept.append(rel)
        else:
            files[rel] = data
    result = docs.new_files(
        root,
        files,
        N_("started a plan repository in {root}: {files}"),
        {"root": str(root), "files": ListOf(files)},
        f"Start the plan: {title}",
    )
    return Started(result, parsed, problems, tuple(kept))


def control_characters(text: str, shown: str) -> list[Problem]:
    """Each control character of the text (ESC, a form feed, NUL …; a tab is fine), at its
    line and column. The plan's files refuse them in every value (they could work the
    terminal of whoever reads the plan), so an import that carried one over would write
    files its own ``validate`` rejects: the text is refused first, where it can be fixed."""
    import re

    from safeplan.models.fields import CONTROL_CHARACTERS

    wanted = re.compile(f"[{CONTROL_CHARACTERS}]")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    found: list[Problem] = []
    for number, line in enumerate(text.split("\n"), 1):
        for m in wanted.finditer(line):
            found.append(
                Problem(
                    shown,
                    number,
                    m.start() + 1,
                    "control-character",
                    N_(
                        "the text holds the control character U+{code:04X}, which no value of "
                        "the plan's files may hold (it could change the screen of whoever reads "
                        "them): delete it, then import the text again"
                    ),
                    {"code": ord(m.group())},
                )
            )
    return found


def refuse_control_characters(text: str, shown: str) -> None:
    """Refuse a text with control characters before anything is parsed or written."""
    found = control_characters(text, shown)
    if found:
        raise DataError(
            N_("{path} holds control characters (above): nothing was written"),
            found,
            path=shown,
        )
