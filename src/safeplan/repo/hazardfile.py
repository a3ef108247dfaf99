"""Reading ONE hazard file: its summary, its problems, and what the cache needs to keep it.

Apart from ``repo.parse`` (any one file: read, parse, validate, locate) because this is
the hazard pipeline — the hazard's models (``models.hazards``), the rules within a
hazard record, the summary — which a command on a plan without hazard files never
imports (``repo.snapshot`` imports it only when there is a hazard file to read).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from pydantic import ValidationError

from safeplan.models.hazards import Hazard
from safeplan.models.summary import HazardSummary, summarize
from safeplan.problems import N_, Problem
from safeplan.repo.layout import outside_root
from safeplan.repo.parse import (
    file_stem,
    located,
    missing_evidence,
    names_file,
    parse_file,
    text_digest,
    text_hints,
)
from safeplan.rules.cross import HazardRef
from safeplan.rules.hazards import (
    BROKEN_LOOP,
    check_empty_sections,
    check_hazard,
    check_hazard_data,
    dated_facts,
    future_facts,
)
from safeplan.rules.hints import OUTSIDE_ROOT
from safeplan.yamlio import Locator, YamlProblem, load_fast, read_text


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


#: What a file's first pass gave: its text, data and record, or None where any failed.
_Read = tuple[str, object, Hazard] | None

#: What sends a file to ``parse_file``, which says what is wrong and where.
_FAILURES = (OSError, YamlProblem, ValidationError)


def _first_pass(path: str) -> _Read:
    """The common case, without Path objects (they cost as much as the checks)."""
    try:
        text = read_text(path)
        data = load_fast(text)
        return text, data, Hazard.model_validate(data)
    except _FAILURES:
        return None


def parse_hazard(
    path: str, rel: str, today: dt.date | None = None, keep: Keep | None = None
) -> HazardFile:
    """One hazard file: schema and the rules within the record, never data/units.yaml.

    With ``today``, facts dated after it are problems too; with ``keep``, what it makes of
    the valid record is kept beside the summary."""
    return _checked(path, rel, _first_pass(path), today, keep)


def _checked(
    path: str, rel: str, first: _Read, today: dt.date | None, keep: Keep | None
) -> HazardFile:
    """A hazard file from its first pass (None: it failed, and is read again to say why)."""
    stem = file_stem(path)
    if first is not None:
        text, data, hazard = first
    else:  # anything wrong goes through parse_file, which says what and where
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
    # Every dated fact: the latest day is what the cache keeps; those after ``today`` are
    # the problems.
    facts = dated_facts(hazard)
    latest = max((day for _, _, day in facts), default=None)
    if today is not None and latest is not None and latest > today:
        findings += future_facts(facts, today)
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


def _hazard_evidence(hazard: Hazard) -> list[tuple[tuple[str | int, ...], str]]:
    out: list[tuple[tuple[str | int, ...], str]] = []
    for key in ("rectification", "acceptance"):
        fact = getattr(hazard, key)
        if fact is not None:
            out += [((key, "evidence", i), e) for i, e in enumerate(fact.evidence)]
    return out


def _raw_ref(data: object, rel: str) -> HazardRef | None:
    if not isinstance(data, dict):
        return None
    unit = data.get("responsible_unit")
    return HazardRef(rel, None, unit if isinstance(unit, str) else None)


def prepare() -> None:
    """Build the hazard's validator now, in the process about to start the workers: forked,
    they inherit it instead of each building it on its first file (the schema, and the
    modules pydantic imports then: ~50 ms a process)."""
    Hazard.model_rebuild()


def parse_hazards(
    items: Sequence[tuple[str, str]], today: dt.date | None = None, keep: Keep | None = None
) -> list[HazardFile]:
    """Hazard files read stage by stage: every file read, then parsed, then validated, then
    each checked and summarised. The same work as file by file, and the same answers,
    for ~15 % less CPU: each stage's code (libyaml, pydantic-core) stays hot in the
    processor's caches across a chunk instead of being evicted by the next stage."""
    texts: list[str | None] = []
    for path, _ in items:
        try:
            texts.append(read_text(path))
        except _FAILURES:
            texts.append(None)
    data: list[object] = []
    for text in texts:
        try:
            data.append(_FAILED if text is None else load_fast(text))
        except _FAILURES:
            data.append(_FAILED)
    firsts: list[_Read] = []
    for text, d in zip(texts, data, strict=True):
        try:
            firsts.append(
                None if text is None or d is _FAILED else (text, d, Hazard.model_validate(d))
            )
        except _FAILURES:
            firsts.append(None)
    return [
        _checked(p, rel, first, today, keep) for (p, rel), first in zip(items, firsts, strict=True)
    ]


_FAILED = object()


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
