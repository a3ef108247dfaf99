"""Problems found in the data, separate from how they are reported.

A Problem carries an English message template and its parameters; it is
rendered in the reader's language only when reported (``format_*``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]
Translate = Callable[[str], str]

#: Bumped when the JSON shape of ``validate --format json`` changes incompatibly.
JSON_SCHEMA_VERSION = 1


def N_(template: str) -> str:
    """Mark a message template for extraction into the translation catalogs."""
    return template


def _identity(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    column: int
    code: str
    template: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    severity: Severity = "error"

    def message(self, tr: Translate = _identity) -> str:
        return render(self.template, self.params, tr)

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


def render(template: str, params: dict[str, Any], tr: Translate = _identity) -> str:
    """A message in the reader's language; Fragment parameters are translated too."""
    return tr(template).format(**{k: _param(v, tr) for k, v in params.items()})


def _param(value: Any, tr: Translate) -> Any:
    # Parameters that are themselves message fragments (e.g. a hint) are translated too.
    if isinstance(value, Fragment):
        return tr(value.template).format(**value.params)
    if isinstance(value, Choices):
        return tr(N_(", ")).join(f"'{c}'" for c in value.items)
    return value


@dataclass(frozen=True, slots=True)
class Fragment:
    """A translatable piece of a message, used as a parameter of another message."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Choices:
    """A list of allowed values in a message, joined in the reader's language ('a', 'b' / 'a'、'b')."""

    items: tuple[str, ...]

    def __init__(self, items: Iterable[str]) -> None:
        object.__setattr__(self, "items", tuple(items))


def counts(problems: Iterable[Problem]) -> tuple[int, int]:
    errors = warnings = 0
    for p in problems:
        if p.severity == "error":
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def format_line(p: Problem, tr: Translate = _identity) -> str:
    """``path:line:column: message``; warnings say so."""
    prefix = tr(N_("warning: ")) if p.severity == "warning" else ""
    return f"{p.location()}: {prefix}{p.message(tr)}"


def summary(problems: Sequence[Problem], files: int, tr: Translate = _identity) -> str:
    errors, warnings = counts(problems)
    if not errors and not warnings:
        return tr(N_("{files} files checked: no problems found.")).format(files=files)
    return tr(N_("{files} files checked; errors: {errors}, warnings: {warnings}.")).format(
        files=files, errors=errors, warnings=warnings
    )


def format_text(problems: Sequence[Problem], files: int, tr: Translate = _identity) -> str:
    lines = [format_line(p, tr) for p in problems]
    lines.append(summary(problems, files, tr))
    return "\n".join(lines) + "\n"


def format_json(problems: Sequence[Problem], files: int, tr: Translate = _identity) -> str:
    errors, warnings = counts(problems)
    doc = {
        "schema_version": JSON_SCHEMA_VERSION,
        "ok": errors == 0,
        "files_checked": files,
        "errors": errors,
        "warnings": warnings,
        "problems": [
            {
                "path": p.path,
                "line": p.line,
                "column": p.column,
                "severity": p.severity,
                "code": p.code,
                "message": p.message(tr),
            }
            for p in problems
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: Sequence[Problem], files: int, tr: Translate = _identity) -> str:
    """Workflow-command annotations, then the full plain list.

    GitHub shows only ten annotations of a kind per step, so the plain list
    follows for the log reader.
    """
    out = []
    for p in problems:
        kind = "error" if p.severity == "error" else "warning"
        props = ",".join(
            [
                f"file={_escape_property(p.path)}",
                f"line={p.line}",
                f"col={p.column}",
                f"title={_escape_property('safeplan ' + p.code)}",
            ]
        )
        out.append(f"::{kind} {props}::{_escape_data(p.message(tr))}")
    return "\n".join(out) + ("\n" if out else "") + format_text(problems, files, tr)
