"""Validation reports from one problem list: plain text, JSON, GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from safeplan.problems import N_, Problem, counts
from safeplan.render.i18n import Translator
from safeplan.render.text import problem_message

#: Bumped when the JSON shape of ``validate --format json`` changes incompatibly.
JSON_SCHEMA_VERSION = 1


def format_line(p: Problem, tr: Translator) -> str:
    """``path:line:column: message``; warnings say so."""
    prefix = tr(N_("warning: ")) if p.severity == "warning" else ""
    return f"{p.location()}: {prefix}{problem_message(p, tr)}"


def summary(problems: Sequence[Problem], files: int, tr: Translator) -> str:
    errors, warnings = counts(problems)
    if not errors and not warnings:
        return tr.ngettext(
            "{files} file checked: no problems found.",
            "{files} files checked: no problems found.",
            files,
        ).format(files=files)
    return tr.ngettext(
        "{files} file checked; errors: {errors}, warnings: {warnings}.",
        "{files} files checked; errors: {errors}, warnings: {warnings}.",
        files,
    ).format(files=files, errors=errors, warnings=warnings)


def format_text(problems: Sequence[Problem], files: int, tr: Translator) -> str:
    lines = [format_line(p, tr) for p in problems]
    lines.append(summary(problems, files, tr))
    return "\n".join(lines) + "\n"


def format_json(problems: Sequence[Problem], files: int, tr: Translator) -> str:
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
                "message": problem_message(p, tr),
            }
            for p in problems
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property, escaped as GitHub's toolkit does."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: Sequence[Problem], files: int, tr: Translator) -> str:
    """Workflow-command annotations, then the full plain list.

    GitHub shows only ten annotations of a kind per step, so the plain list
    follows for the log reader.
    """
    out = []
    for p in problems:
        kind = "error" if p.severity == "error" else "warning"
        props = ",".join(
            [
                f"file={escape_property(p.path)}",
                f"line={p.line}",
                f"col={p.column}",
                f"title={escape_property('safeplan ' + p.code)}",
            ]
        )
        out.append(f"::{kind} {props}::{escape_data(problem_message(p, tr))}")
    return "\n".join(out) + ("\n" if out else "") + format_text(problems, files, tr)
