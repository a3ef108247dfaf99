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
    first = _first_pass(path)
    if first is None:
        return _failed(path, rel, today, keep)
    return _checked([(path, rel, *first)], today, keep)[0]


def _failed(path: str, rel: str, today: dt.date | None, keep: Keep | None) -> HazardFile:
    """A file whose first pass failed, read again by parse_file, which says what and where
    (or, changed since, reads it whole)."""
    parsed = parse_file(path, rel, Hazard)
    if parsed.record is None:
        problems = parsed.problems
        ref = _raw_ref(parsed.data, rel) if parsed.text else None
        if parsed.text:  # the YAML is sound, the record is not: still check its id
            problems += located(check_hazard_data(parsed.data, file_stem(path)), rel, parsed.text)
        digest = text_digest(parsed.text) if parsed.text else None
        return HazardFile(None, problems, ref, digest)
    assert isinstance(parsed.record, Hazard)
    return _checked([(path, rel, parsed.text, parsed.data, parsed.record)], today, keep)[0]


#: A file read whole: its path, its path in the plan, text, data and record.
_Valid = tuple[str, str, str, object, Hazard]


def _checked(batch: Sequence[_Valid], today: dt.date | None, keep: Keep | None) -> list[HazardFile]:
    """Valid records checked and summarised, each step over the whole batch in turn (as
    ``parse_hazards`` reads, for the processor's caches); a file's problems come in the
    same order as ever: the rules' findings, codes without quotes, what the text shows,
    missing evidence."""
    findings = [
        check_hazard(hazard, file_stem(path)) + check_empty_sections(data)
        for path, _, _, data, hazard in batch
    ]
    # Every dated fact: the latest day is what the cache keeps; those after ``today`` are
    # the problems.
    facts = [dated_facts(v[4]) for v in batch]
    latest = [max((day for _, _, day in f), default=None) for f in facts]
    if today is not None:
        for found, f, last in zip(findings, facts, latest, strict=True):
            if last is not None and last > today:
                found += future_facts(f, today)
    problems = [
        located(found, rel, text, loaded=True) if found else []
        for found, (_, rel, text, _, _) in zip(findings, batch, strict=True)
    ]
    for out, (_, rel, text, data, hazard) in zip(problems, batch, strict=True):
        out += unquoted_codes(hazard, text, rel)
        out += text_hints(text, data, rel, Hazard)
    named = [_hazard_evidence(v[4]) for v in batch]
    for out, cited, (path, rel, text, _, _) in zip(problems, named, batch, strict=True):
        evidence = missing_evidence(cited, path[: len(path) - len(rel)] or ".")
        if evidence:
            out += located(evidence, rel, text, loaded=True)
    summaries = [
        summarize(hazard, rel, any(f.code in BROKEN_LOOP for f in found))
        for found, (_, rel, _, _, hazard) in zip(findings, batch, strict=True)
    ]
    return [
        HazardFile(
            summary,
            out,
            HazardRef(rel, hazard.id, hazard.responsible_unit),
            text_digest(text),
            last,
            tuple(v for _, v in cited if names_file(v)),
            keep(hazard) if keep is not None else None,
        )
        for summary, out, last, cited, (_, rel, text, _, hazard) in zip(
            summaries, problems, latest, named, batch, strict=True
        )
    ]


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
    """Hazard files read stage by stage: every file of the chunk read, then parsed, then
    validated, then each rule and the summary over them all in turn (``_checked``). The
    same work as file by file and the same answers (``tests/test_parse_stages.py``), for
    about a fifth less CPU (10k generated files: 3.4 s → 2.6 s): each stage's code
    (libyaml, pydantic-core, the rules) stays hot in the processor's caches across the
    chunk instead of being evicted by the next stage's."""
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
    valid: list[_Valid] = []
    at: list[int] = []  # where each valid one goes among the results
    results: list[HazardFile | None] = []
    for (path, rel), text, d in zip(items, texts, data, strict=True):
        record = None
        if text is not None and d is not _FAILED:
            try:
                record = Hazard.model_validate(d)
            except _FAILURES:
                record = None
        if text is None or record is None:
            results.append(_failed(path, rel, today, keep))
        else:
            at.append(len(results))
            results.append(None)
            valid.append((path, rel, text, d, record))
    for i, result in zip(at, _checked(valid, today, keep), strict=True):
        results[i] = result
    return [r for r in results if r is not None]


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
