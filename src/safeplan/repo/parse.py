"""Reading ONE file: its record and the problems found within it, nothing about other files.

A file is read, decoded, parsed (libyaml), validated against its schema (pydantic)
and checked by the rules within a record. Line numbers cost a second parse, so they
are looked up only for files that have a problem.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from safeplan import yamlio
from safeplan.errors import DataError, RefusedError
from safeplan.models.records import Hazard
from safeplan.models.summary import HazardSummary, summarize
from safeplan.problems import N_, Finding, Problem
from safeplan.repo.filestamp import digest
from safeplan.repo.layout import outside_root
from safeplan.repo.messages import errors_to_problems
from safeplan.rules.cross import HazardRef
from safeplan.rules.hazards import (
    BROKEN_LOOP,
    check_empty_sections,
    check_future_facts,
    check_hazard,
    check_hazard_data,
)
from safeplan.rules.hints import FIX_FIRST, OUTSIDE_ROOT
from safeplan.yamlio import Locator, YamlProblem, load_fast, read_text
from safeplan.yamlio.handedit import comments_in_values
from safeplan.yamlio.syntax import roundtrip_blocker

M = TypeVar("M", bound=BaseModel)


def yaml_problem(exc: YamlProblem, rel: str) -> Problem:
    return Problem(rel, exc.line, exc.column, exc.code, exc.template, exc.params)


def located(findings: Iterable[Finding], rel: str, text: str) -> list[Problem]:
    """Findings at key paths as problems at lines and columns of ``text``."""
    locator = Locator(text)
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


class HazardFile(NamedTuple):
    """One hazard file read on its own: its summary (None if unreadable), problems, reference.

    The last three let the per-file cache (``repo/cache.py``) tell when a stored result
    still holds: which text it came from, and what of it depends on the day or on other
    files (evidence named in the record)."""

    summary: HazardSummary | None
    problems: list[Problem]
    ref: HazardRef | None
    #: A hash of the text read (None: the file could not be read).
    digest: str | None = None
    #: The latest day of a fact in the record: a later --as-of cannot make it 'future'.
    latest: dt.date | None = None
    #: The evidence values that name files in the repository (checked again on each read).
    evidence: tuple[str, ...] = ()
    #: What ``keep`` made of the full record in the same pass (never cached).
    kept: object = None


#: What a command needs of a full record beyond its summary, made in the pass that reads
#: and validates it (in the worker), so that no command reads a hazard file twice. It must
#: return a small value that pickles (a worker sends it back) and compare equal to another
#: keeper made for the same purpose (``Snapshot.keep`` tells whose values ``kept`` holds).
Keep = Callable[[Hazard], object]


#: The codes of per-file problems that depend on the day or on other files' existence: the
#: cache keeps what decides them (``latest``, ``evidence``) instead of the problems.
VOLATILE_CODES = frozenset({"future-date", "missing-evidence"})


def text_digest(text: str) -> str:
    """A hash of a file's text, to tell two contents apart when their timestamps cannot."""
    return digest(text.encode("utf-8", "surrogatepass"))


def parse_hazard(
    path: str, rel: str, today: dt.date | None = None, keep: Keep | None = None
) -> HazardFile:
    """One hazard file: schema and the rules within the record, never data/units.yaml.

    With ``today``, facts dated after it are problems too; with ``keep``, what it makes of
    the valid record is kept beside the summary."""
    stem = file_stem(path)
    # The common case first, without Path objects (they cost as much as the checks).
    # Anything wrong goes through parse_file, which says what and where.
    try:
        text = read_text(path)
        data = load_fast(text)
        hazard = Hazard.model_validate(data)
    except (OSError, YamlProblem, ValidationError):
        parsed = parse_file(path, rel, Hazard)
        if parsed.record is None:
            problems = parsed.problems
            ref = _raw_ref(parsed.data, rel) if parsed.text else None
            if parsed.text:  # the YAML is sound, the record is not: still check its id
                problems += located(check_hazard_data(parsed.data, stem), rel, parsed.text)
            digest = text_digest(parsed.text) if parsed.text else None
            return HazardFile(None, problems, ref, digest)
        assert isinstance(parsed.record, Hazard)
        hazard, text, data = parsed.record, parsed.text, parsed.data
    findings = check_hazard(hazard, stem) + check_empty_sections(data)
    # Every dated fact, as 'future' against the first day there is: the latest of them is
    # what the cache keeps; those after ``today`` are the problems.
    facts = check_future_facts(hazard, dt.date.min)
    latest = max((f.params["date"] for f in facts), default=None)
    if today is not None and latest is not None and latest > today:
        findings += check_future_facts(hazard, today)
    problems = located(findings, rel, text) if findings else []
    problems += unquoted_codes(hazard, text, rel)
    problems += text_hints(text, data, rel, Hazard)
    named = _hazard_evidence(hazard)
    evidence = missing_evidence(named, path[: len(path) - len(rel)] or ".")
    if evidence:
        problems += located(evidence, rel, text)
    broken = any(f.code in BROKEN_LOOP for f in findings)
    return HazardFile(
        summarize(hazard, rel, broken),
        problems,
        HazardRef(rel, hazard.id, hazard.responsible_unit),
        text_digest(text),
        latest,
        tuple(v for _, v in named if names_file(v)),
        keep(hazard) if keep is not None else None,
    )


#: A plain scalar that YAML 1.2 (the core schema: ruamel, editors, check-jsonschema)
#: reads as a number: 911504258900E10237 is the float inf to them.
_YAML12_NUMBER = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


def unquoted_codes(hazard: Hazard, text: str, rel: str) -> list[Problem]:
    """A code written without quotes that YAML 1.2 readers would take for a number."""
    out: list[Problem] = []
    codes: list[tuple[tuple[str, ...], str]] = [(("id",), hazard.id)]
    if hazard.enterprise is not None and hazard.enterprise.credit_code:
        codes.append((("enterprise", "credit_code"), hazard.enterprise.credit_code))
    for path, code in codes:
        if not _YAML12_NUMBER.match(code):
            continue
        line, column = Locator(text).find(path)
        row = text.splitlines()[line - 1] if line - 1 < len(text.splitlines()) else ""
        if row[column - 1 : column] in ("'", '"'):
            continue
        out.append(
            Problem(
                rel,
                line,
                column,
                "unquoted-code",
                N_(
                    "'{field}' ({code}) is not in quotes: YAML 1.2 readers (editors, "
                    "check-jsonschema) read it as a number; write it in quotes: '{code}'"
                ),
                {"field": ".".join(path), "code": code},
                severity="warning",
            )
        )
    return out


#: Evidence that names a file: a path with a folder or a file extension, not a URL and not
#: a document number (大井安办〔2024〕3号).
_FILE_LIKE = re.compile(r"^(?![A-Za-z][A-Za-z0-9+.-]*://)[^〔〕\[\]]*(?:/|\\|\.[A-Za-z0-9]{1,5}$)")


def _hazard_evidence(hazard: Hazard) -> list[tuple[tuple[str | int, ...], str]]:
    out: list[tuple[tuple[str | int, ...], str]] = []
    for key in ("rectification", "acceptance"):
        fact = getattr(hazard, key)
        if fact is not None:
            out += [((key, "evidence", i), e) for i, e in enumerate(fact.evidence)]
    return out


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


def _raw_ref(data: object, rel: str) -> HazardRef | None:
    if not isinstance(data, dict):
        return None
    unit = data.get("responsible_unit")
    return HazardRef(rel, None, unit if isinstance(unit, str) else None)


def parse_hazards(
    items: Sequence[tuple[str, str]], today: dt.date | None = None, keep: Keep | None = None
) -> list[HazardFile]:
    return [parse_hazard(p, rel, today, keep) for p, rel in items]


def load_hazard(root: Path, rel: str) -> tuple[Hazard | None, list[Problem]]:
    """One hazard in full (for show and edits): the model or None, and its problems (a file
    outside the plan root is not read: ``layout.outside_root``, as ``validate`` does)."""
    real = outside_root(root, rel)
    if real is not None:
        return None, [Problem(rel, 1, 1, "symlink-outside", OUTSIDE_ROOT, {"target": str(real)})]
    parsed = parse_file(root / rel, rel, Hazard)
    record = parsed.record if isinstance(parsed.record, Hazard) else None
    problems = list(parsed.problems)
    if record is not None:
        findings = check_hazard(record, file_stem(rel)) + check_empty_sections(parsed.data)
        problems += located(findings, rel, parsed.text)
    return record, problems


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
