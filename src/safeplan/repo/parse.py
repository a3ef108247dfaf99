"""Reading ONE file: its record and the problems found within it, nothing about other files.

A file is read, decoded, parsed (libyaml), validated against its schema (pydantic)
and checked by the rules within a record. Line numbers cost a second parse, so they
are looked up only for files that have a problem.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from safeplan import yamlio
from safeplan.errors import DataError, RefusedError
from safeplan.problems import N_, Finding, Problem
from safeplan.repo.filestamp import digest
from safeplan.repo.messages import errors_to_problems
from safeplan.rules.hints import FIX_FIRST
from safeplan.yamlio import Locator, YamlProblem, load_fast, read_text
from safeplan.yamlio.handedit import comments_in_values
from safeplan.yamlio.syntax import roundtrip_blocker

M = TypeVar("M", bound=BaseModel)


def yaml_problem(exc: YamlProblem, rel: str) -> Problem:
    return Problem(rel, exc.line, exc.column, exc.code, exc.template, exc.params)


def located(
    findings: Iterable[Finding], rel: str, text: str, loaded: bool = False
) -> list[Problem]:
    """Findings at key paths as problems at lines and columns of ``text`` (``loaded``: the
    text is known to load, so the first is read only as far as its path: ``Locator``)."""
    locator = Locator(text, loaded)
    out = []
    for f in findings:
        line, column = locator.find(f.path, at_key=f.at_key)
        out.append(Problem(rel, line, column, f.code, f.template, f.params, f.severity))
    return out


def unreadable(rel: str, exc: OSError) -> Problem:
    return Problem(
        rel,
        1,
        1,
        "unreadable",
        N_("cannot read the file: {reason}"),
        {"reason": exc.strerror or str(exc)},
    )


def text_hints(text: str, data: object, rel: str, model: type[BaseModel]) -> list[Problem]:
    """What the raw text of a parsed file shows that its data does not (yamlio/handedit.py).

    ``title: 电动车充电 #3楼道`` is a title cut short by a comment; a tab after a colon is
    a space to libyaml but stops ruamel.yaml, so no edit of the file would succeed. Each
    check runs only when the text holds its character: a clean file pays two searches.
    """
    out: list[Problem] = []
    if "#" in text:  # str.find of one character: the cheapest test there is
        out += comments_in_values(text, data, rel, model)
    if "\t" in text:
        blocker = roundtrip_blocker(text)
        if blocker is not None:
            out.append(yaml_problem(blocker, rel))
    return out


class Parsed(NamedTuple):
    """One file read: its record (None if it could not be read), its text, its problems."""

    record: BaseModel | None
    text: str
    problems: list[Problem]
    #: The data as parsed, when the YAML itself was sound (for checks on an invalid record).
    data: object = None


def parse_text(text: str, rel: str, model: type[M], strip: int = 0) -> Parsed:
    """Parse and validate text as ``model``; problems are located in ``text``."""
    try:
        data = load_fast(text)
    except YamlProblem as exc:
        return Parsed(None, text, [yaml_problem(exc, rel)])
    hints = text_hints(text, data, rel, model)
    try:
        return Parsed(model.model_validate(data), text, hints, data)
    except ValidationError as exc:
        locator = Locator(text)
        return Parsed(
            None,
            text,
            errors_to_problems(exc.errors(), rel, locator, strip, model, data) + hints,
            data,
        )


def parse_file(path: Path | str, rel: str, model: type[M], strip: int = 0) -> Parsed:
    """Read, parse and validate one file."""
    try:
        text = read_text(path)
    except YamlProblem as exc:
        return Parsed(None, "", [yaml_problem(exc, rel)])
    except OSError as exc:
        return Parsed(None, "", [unreadable(rel, exc)])
    return parse_text(text, rel, model, strip)


def file_stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def text_digest(text: str) -> str:
    """A hash of a file's text, to tell two contents apart when their timestamps cannot."""
    return digest(text.encode("utf-8", "surrogatepass"))


#: Evidence that names a file: a path with a folder or a file extension, not a URL and not
#: a document number (大井安办〔2024〕3号).
_FILE_LIKE = re.compile(r"^(?![A-Za-z][A-Za-z0-9+.-]*://)[^〔〕\[\]]*(?:/|\\|\.[A-Za-z0-9]{1,5}$)")


def names_file(value: str) -> bool:
    """Whether evidence names a file of the repository (checked to exist), not a document."""
    return bool(_FILE_LIKE.match(value)) and not os.path.isabs(value)


def missing_evidence(
    items: Iterable[tuple[tuple[str | int, ...], str]], root: str
) -> list[Finding]:
    """Evidence paths into the repository that name no file (a typo, a file not committed)."""
    out: list[Finding] = []
    inside = os.path.normpath(root) + os.sep
    for path, value in items:
        if not names_file(value):
            continue
        target = os.path.normpath(inside + value)
        if not target.startswith(inside) or os.path.exists(target):
            continue
        out.append(
            Finding(
                path,
                "missing-evidence",
                N_(
                    "evidence '{path}' names a file in the repository that does not exist: "
                    "add the file, or correct the path"
                ),
                {"path": value},
                severity="warning",
            )
        )
    return out


# --------------------------------------------------------------------------- for edits


def parse_bytes(data: bytes, rel: str, model: type[M], strip: int = 0) -> Parsed:
    """Validate bytes exactly as ``safeplan validate`` would read them from the file."""
    try:
        text = yamlio.decode(data)
    except YamlProblem as exc:
        return Parsed(None, "", [yaml_problem(exc, rel)])
    return parse_text(text, rel, model, strip)


def load_model(root: Path, rel_path: Path, model: type[M], strip: int = 0) -> tuple[M, str]:
    """A file an edit needs, checked: refused (with its problems) if it is missing or broken."""
    path = root / rel_path
    rel = rel_path.as_posix()
    if not path.is_file():
        raise DataError(N_("{path} is missing: safeplan needs it to check the edit"), path=rel)
    parsed = parse_file(path, rel, model, strip)
    if not isinstance(parsed.record, model):
        raise DataError(FIX_FIRST, parsed.problems, path=rel)
    return parsed.record, parsed.text


def load_round_trip(path: Path, rel: str, text: str) -> yamlio.RoundTrip:
    """The file loaded for editing; refused if it changed since it was checked as ``text``."""
    try:
        rt = yamlio.rt_load(path)
    except YamlProblem as exc:
        raise DataError(FIX_FIRST, [yaml_problem(exc, rel)], path=rel) from None
    if yamlio.decode(rt.original) != text:
        raise RefusedError(
            N_("{path} changed on disk while safeplan was editing it: run the command again"),
            path=rel,
        )
    return rt
