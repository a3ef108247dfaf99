"""Validation reports from one problem list: plain text, JSON, GitHub annotations and step
summary, GitLab Code Quality, JUnit XML."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import BinaryIO

from safeplan.problems import N_, Problem, counts
from safeplan.render.i18n import Translator
from safeplan.render.text import inert, problem_message

#: Bumped when the JSON shape of ``validate --format json`` changes incompatibly.
JSON_SCHEMA_VERSION = 1


def format_line(p: Problem, tr: Translator) -> str:
    """``path:line:column: message``; warnings say so."""
    prefix = tr(N_("warning: ")) if p.severity == "warning" else ""
    return f"{shown_path(p.path)}:{p.line}:{p.column}: {prefix}{problem_message(p, tr)}"


def shown_path(path: str) -> str:
    """A file's path as every format shows it: escaped like record text (``inert``), so a
    file named with ESC or a newline cannot retitle a terminal or start a CI command."""
    return inert(path, one_line=True)


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
                "path": shown_path(p.path),
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


def format_github(problems: Sequence[Problem], files: int, tr: Translator, prefix: str = "") -> str:
    """Workflow-command annotations, then the full plain list.

    GitHub shows only ten annotations of a kind per step, so the plain list
    follows for the log reader. ``prefix`` is the plan root's folder in the git
    repository: an annotation names its file from the repository's top.
    """
    out = []
    for p in problems:
        kind = "error" if p.severity == "error" else "warning"
        props = ",".join(
            [
                f"file={escape_property(shown_path(prefix + p.path))}",
                f"line={p.line}",
                f"col={p.column}",
                f"title={escape_property('safeplan ' + p.code)}",
            ]
        )
        out.append(f"::{kind} {props}::{escape_data(problem_message(p, tr))}")
    return "\n".join(out) + ("\n" if out else "") + format_text(problems, files, tr)


# --------------------------------------------------------------------------- GitLab Code Quality

#: GitLab's severities for safeplan's two.
GITLAB_SEVERITY = {"error": "major", "warning": "minor"}


def fingerprints(problems: Sequence[Problem]) -> list[str]:
    """One fingerprint a problem (in the order given): what identifies it, never its place.

    GitLab compares a merge request's findings with its target branch's by fingerprint
    and shows equal ones once: a line inserted above a problem must not make it "new",
    and two distinct problems must not share one. So the fingerprint is the file, the
    code and the message (in English, whatever the reader's language) and, for problems
    that agree in all three, how many such come before it in the file.
    """
    from safeplan.render.i18n import translator

    english = translator("en")
    seen: dict[tuple[str, str, str], int] = {}
    out = [""] * len(problems)
    for i in sorted(range(len(problems)), key=lambda i: problems[i].sort_key()):
        p = problems[i]
        ident = (p.path, p.code, problem_message(p, english))
        n = seen.get(ident, 0)
        seen[ident] = n + 1
        out[i] = hashlib.sha256("\0".join([*ident, str(n)]).encode("utf-8")).hexdigest()
    return out


def format_gitlab(problems: Sequence[Problem], files: int, tr: Translator, prefix: str = "") -> str:
    """A GitLab Code Quality report: a JSON array of findings (UTF-8, no BOM).

    ``prefix`` is the plan root's folder inside its git repository (``""`` at the top):
    GitLab wants paths relative to the repository.
    """
    doc = [
        {
            "description": problem_message(p, tr),
            "check_name": p.code,
            "fingerprint": fingerprint,
            "severity": GITLAB_SEVERITY[p.severity],
            "location": {"path": shown_path(prefix + p.path), "lines": {"begin": p.line}},
        }
        for p, fingerprint in zip(problems, fingerprints(problems), strict=True)
    ]
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- JUnit XML

#: What XML 1.0 cannot hold at all, not even escaped: C0 controls but tab, newline and
#: CR, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def xml_text(text: str) -> str:
    """Text that XML can carry: a character XML forbids is written as its escape (``\\x1b``)."""
    return _NOT_XML.sub(_xml_escape, text)


def junit_classname(rel: str) -> str:
    """The dotted class of a file's test case (GitLab shows it as the suite)."""
    if rel.startswith("data/hazards/"):
        return "safeplan.hazards"
    return {
        "plan/plan.yaml": "safeplan.plan",
        "data/units.yaml": "safeplan.units",
        "data/tasks.yaml": "safeplan.tasks",
    }.get(rel, "safeplan.files")


def format_junit(
    problems: Sequence[Problem], checked: Sequence[str], tr: Translator, prefix: str = ""
) -> str:
    """JUnit XML: one test case per file checked (and per other file a problem is about),
    failed when the file has errors.

    The problems are the *text* of the ``failure`` element, one ``path:line:column:
    message`` a line (GitLab may show only the text, not the ``message`` attribute); a
    file with warnings only passes, its warnings in ``system-out``.
    """
    import xml.etree.ElementTree as ET

    by_file: dict[str, list[Problem]] = {rel: [] for rel in checked}
    for p in problems:
        by_file.setdefault(p.path, []).append(p)
    failed = sum(1 for found in by_file.values() if any(p.severity == "error" for p in found))
    tests = str(len(by_file))
    suites = ET.Element(
        "testsuites", {"name": "safeplan validate", "tests": tests, "failures": str(failed)}
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        {"name": "safeplan", "tests": tests, "failures": str(failed), "errors": "0"},
    )
    for rel in sorted(by_file):
        found = sorted(by_file[rel], key=Problem.sort_key)
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": junit_classname(rel),
                "name": xml_text(shown_path(rel)),
                "file": xml_text(shown_path(prefix + rel)),
            },
        )
        if not found:
            continue
        text = "\n".join(xml_text(format_line(p, tr)) for p in found) + "\n"
        errors, warnings = counts(found)
        if errors:
            attrs = {"message": xml_text(file_summary(errors, warnings, tr)), "type": "safeplan"}
            ET.SubElement(case, "failure", attrs).text = text
        else:
            ET.SubElement(case, "system-out").text = text
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def file_summary(errors: int, warnings: int, tr: Translator) -> str:
    """``2 errors, 1 warning``: one file's count, in the reader's language."""
    parts = [tr.ngettext("{n} error", "{n} errors", errors).format(n=errors)]
    if warnings:
        parts.append(tr.ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings))
    return tr.join(parts)


# --------------------------------------------------------------------------- GitHub step summary

#: GitHub's limit for the summary of one step (bytes).
STEP_SUMMARY_LIMIT = 1024 * 1024


def _cell(text: str) -> str:
    """Record text in a Markdown table cell, shown as it is: a ``|`` or a line break would
    end the cell, and ``<`` would start HTML."""
    for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), ("|", "\\|"), ("\r", " "), ("\n", " ")):
        text = text.replace(raw, escaped)
    return text


def format_step_summary(
    problems: Sequence[Problem], files: int, tr: Translator, limit: int = STEP_SUMMARY_LIMIT
) -> str:
    """A short Markdown table for ``$GITHUB_STEP_SUMMARY``, at most ``limit`` bytes of UTF-8.

    GitHub refuses a step summary over 1 MiB: the rows that do not fit are left out, and
    a last line says how many, and that the job's log has them all.
    """
    lines = ["### safeplan validate", "", summary(problems, files, tr), ""]
    if problems:
        columns = (tr(N_("file")), tr(N_("line")), tr(N_("problem")))
        lines += ["| " + " | ".join(columns) + " |", "|---|---|---|"]
    head = "\n".join(lines) + "\n"
    size = len(head.encode("utf-8"))
    # Room for the note that may end the table, whatever count it names.
    reserve = len(_left_out(len(problems), tr).encode("utf-8")) + 2
    rows: list[str] = []
    for i, p in enumerate(problems):
        kind = tr(N_("warning: ")) if p.severity == "warning" else ""
        message = _cell(kind + problem_message(p, tr))
        row = f"| {_cell(shown_path(p.path))} | {p.line}:{p.column} | {message} |\n"
        cost = len(row.encode("utf-8"))
        if size + cost + reserve > limit:
            return head + "".join(rows) + "\n" + _left_out(len(problems) - i, tr) + "\n"
        rows.append(row)
        size += cost
    return head + "".join(rows)


def _left_out(n: int, tr: Translator) -> str:
    return tr.ngettext(
        "… and {n} more problem, not shown here (a step summary holds at most 1 MiB): "
        "the job's log lists it.",
        "… and {n} more problems, not shown here (a step summary holds at most 1 MiB): "
        "the job's log lists them all.",
        n,
    ).format(n=n)


# --------------------------------------------------------------------------- recognising

#: What only a validation report holds, in each of its formats (the text one by its last
#: line, in either language).
_REPORT_MARKS = (
    re.compile(rb'"files_checked": \d+'),  # json
    re.compile(rb'<testsuites name="safeplan validate"'),  # junit
    re.compile(rb'"check_name": "[a-z-]+",\s*"fingerprint": "[0-9a-f]{64}"'),  # gitlab
    re.compile(rb"^\[\]\n\Z"),  # gitlab, nothing found
    re.compile(rb"\d+ files? checked(?:: no problems found|; errors: \d+, warnings: \d+)\.\n\Z"),
    re.compile("已检查 \\d+ 个文件：(?:未发现问题|\\d+ 个错误，\\d+ 个警告)。\n\\Z".encode()),
)


def is_validation_report(name: str, fh: BinaryIO) -> bool:
    """Whether an existing file is a report ``validate --output`` wrote (so writing the next
    one over it needs no ``--force``): looked at by its first and last 64 KiB."""
    head = fh.read(65536)
    size = fh.seek(0, 2)
    if size > len(head):
        fh.seek(max(len(head), size - 65536))
        tail = fh.read()
    else:
        tail = head
    return any(m.search(head) or m.search(tail) for m in _REPORT_MARKS)
