"""What to tell a person whose YAML does not parse, in safeplan's own words.

libyaml (and ruamel.yaml, which edits) describe a problem in their own English
("mapping values are not allowed in this context"), at the place where they noticed
it, which is often a line after the mistake. A person editing a record by hand needs
the mistake and its fix, in the reader's language. So the common mistakes are
recognised from the text itself first: a tab, and the hand-edit mistakes of
``yamlio.handedit`` (a full-width colon typed with a Chinese input method, a missing
space after a colon, an invisible line separator, a stray byte-order mark). Then
every description libyaml can give (:data:`LIBYAML_PROBLEMS`; ruamel's are mapped
onto them in :data:`_RUAMEL`) has a message of safeplan's own, sharpened by what the
text shows at that place (a ': ' inside a value, text after a closing quote). A
description not in the table gets a general message: libyaml's English never
reaches the reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

import yaml

from safeplan.problems import N_
from safeplan.yamlio.conflict import conflict_problem
from safeplan.yamlio.handedit import (
    LINE_SEPARATORS,
    TAB,
    TAB_IN_LINE,
    Slip,
    cut,
    fullwidth_colon,
    invisible,
    line_slip,
)
from safeplan.yamlio.problem import YamlProblem, position

#: A field's name at the start of a line, then a colon and a space (or the line's end).
_KEY = re.compile(r"[ \t]*(?:-[ \t]+)?(?P<key>[^\s:#'\"\[\]{}][^:#]*?)[ \t]*:(?:[ \t]+|$)")
#: Deeper nesting than this is refused (the event scan counts it; libyaml's scanner,
#: which looks ahead, may meet its own limit of 1000 first).
MAX_DEPTH = 64
LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"

_GENERAL = N_(
    "the YAML cannot be read here: check the indentation and the quotes on this line and "
    "on the line above"
)
_COLON_IN_VALUE = N_(
    "the value of '{key}' holds ': ', which YAML reads as the start of another field: "
    "put the whole value in quotes, {key}: '{value}'"
)
_KEY_TOO_DEEP = N_(
    "'{key}' is indented further than the fields beside it (the line above already has "
    "its value): indent '{key}' exactly like them"
)
_STRAY_COLON = N_(
    "':' where YAML does not expect one: if it is part of the text, put the whole value "
    "in quotes; if it starts a field, put the field on a line of its own"
)
_NO_COLON = N_(
    "this line is neither 'field: value' nor part of the value above: write the field's "
    "name, a colon and a space before the value, or indent the line under the value it "
    "continues"
)
_NOT_LINED_UP = N_(
    "'{key}' is not lined up with the fields above it: indent it with exactly as many "
    "spaces as they have"
)
_LINE_NOT_LINED_UP = N_(
    "this line is not lined up with the lines above it: indent it with exactly as many "
    "spaces as the fields beside it"
)
_ENTRY_NOT_LINED_UP = N_(
    "this line is not lined up with the entries ('- ') of the list above: indent it like "
    "them, or like the field the list belongs to"
)
_ENTRY_WHERE_FIELD = N_(
    "a list entry ('- ') where a field belongs: put the entries under their field's name, "
    "indented, or write 'field: value'"
)
_TEXT_AFTER_QUOTE = N_(
    "text after the closing quote: YAML ends the value there; put the whole value in one "
    "pair of quotes, e.g. '{value}'"
)
_TEXT_AFTER_BRACKET = N_(
    "text after the closing '{char}': a value that starts with '{open}' is a list to YAML "
    "and ends there; put the whole value in quotes, e.g. '{value}'"
)
_BAD_START = N_("a value cannot start with '{char}' in YAML: put the value in quotes")
_NOT_CLOSED = N_(
    "the '{char}' opened here is not closed: close it on the same line, with items "
    "separated by ', ' — or, if it is part of the text, put the whole value in quotes"
)
_QUOTE_NOT_CLOSED = N_(
    "the quote {char} opened here is not closed: end the value with the same quote (a "
    "quote inside single quotes is written twice: '')"
)
_ESCAPE = N_(
    "'\\{char}' inside double quotes is not a YAML escape: write the backslash twice "
    "('\\\\'), or use single quotes, which keep text as it is"
)
_DOCUMENT_MARKER = N_(
    "'---' or '...' at the start of a line inside quotes ends the document: close the "
    "quotes before it, or indent the line"
)
_DIRECTIVE = N_(
    "a line starting with '%' is a YAML directive, and this one is not valid: remove the "
    "line (a value that starts with '%' goes in quotes)"
)
_BLOCK_INDICATOR = N_(
    "'{char}' starts text written on the lines below it: leave the rest of this line "
    "empty and indent the text below, or remove '{char}' and write the value on this line"
)
_ENTRY_ON_FIELD_LINE = N_(
    "'- ' cannot start a list on the line of its field: put each entry on a line of its "
    "own below the field, indented — or, if '-' is part of the text, put the value in quotes"
)
_MISSING_VALUE = N_(
    "a value is missing here (two commas, or a comma at the start): write the value, or "
    "remove the extra comma"
)
_AFTER_END = N_(
    "text after the end of the record ('...'): remove the '...' line, or what follows it"
)
_TAG = N_("YAML tag {tag} is not allowed: remove it and write a plain value")
TOO_DEEP = N_("nesting is deeper than {limit} levels: flatten the data")


class _At(NamedTuple):
    """Where libyaml noticed the problem, and what it said."""

    text: str
    pos: int  # into text, in characters
    line: int  # 1-based
    column: int  # 1-based
    problem: str
    context: str
    context_pos: int | None  # where the construct being read began, if libyaml said


Handler = Callable[[_At], YamlProblem]


def _mark_index(mark: Any, text: str) -> int:
    """A mark's index into ``text`` in characters (from its line and column if need be)."""
    index = getattr(mark, "index", None)
    if not isinstance(index, int) or not 0 <= index <= len(text):
        lines = text.split("\n")
        line = min(max(mark.line, 0), len(lines) - 1)
        index = sum(len(x) + 1 for x in lines[:line]) + min(mark.column, len(lines[line]))
    return index


def _problem(at: _At, index: int | None, kind: str, template: str, **params: Any) -> YamlProblem:
    """A problem at ``index`` of the text (None: where libyaml noticed it)."""
    line, column = position(at.text, index) if index is not None else (at.line, at.column)
    return YamlProblem(line, column, kind, template, params)


def _line_of(text: str, index: int) -> tuple[int, str]:
    """The start of the line holding ``index``, and the line (without its end)."""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return start, text[start : len(text) if end < 0 else end].rstrip("\r")


def _single_quoted(value: str) -> str:
    return cut(value.strip().replace("'", "''"))


def _missing_space_before(at: _At) -> YamlProblem | None:
    """A ``field:value`` line that libyaml read as text, noticing only a line or more later.

    Walks back from the line of the problem through the lines a plain value could span;
    a comment or a sound ``field: value`` line above ends the walk.
    """
    start, _ = _line_of(at.text, at.pos)
    for _ in range(50):
        found = _line_mistake(at, start)
        if found is not None or start == 0:
            return found
        start, line = _line_of(at.text, start - 1)
        if line.lstrip().startswith("#"):
            return None
        if _KEY.match(line):  # a sound line ends the walk, unless it is the mistake itself
            return _line_mistake(at, start)
    return None


def _line_mistake(at: _At, start: int) -> YamlProblem | None:
    """``field:value`` or ``-field: value`` on the line starting at ``start``."""
    return _slipped(at, line_slip(at.text, start))


def _slipped(at: _At, slip: Slip | None) -> YamlProblem | None:
    if slip is None:
        return None
    return _problem(at, slip.at, slip.code, slip.template, **slip.params)


# --------------------------------------------------------------------------- handlers


def _colon(at: _At) -> YamlProblem:
    start, line = _line_of(at.text, at.pos)
    key = _KEY.match(line)
    if key is not None and start + key.end() <= at.pos:
        # The line starts 'key: ' and the colon libyaml met comes later: it is in the value.
        value = line[key.end() :]
        value = re.sub(r"[ \t]+#.*$", "", value)
        return _problem(
            at,
            None,
            "yaml-syntax",
            _COLON_IN_VALUE,
            key=key.group("key").strip(),
            value=_single_quoted(value),
        )
    if key is not None:  # this line's own 'key:' cannot start here: indented too far
        indent = start + len(line) - len(line.lstrip())
        return _problem(at, indent, "yaml-syntax", _KEY_TOO_DEEP, key=key.group("key").strip())
    return _problem(at, None, "yaml-syntax", _STRAY_COLON)


def _no_colon(at: _At) -> YamlProblem:
    index = at.context_pos if at.context_pos is not None else at.pos
    return _problem(at, index, "yaml-syntax", _NO_COLON)


def _expected_key(at: _At) -> YamlProblem:
    char = at.text[at.pos : at.pos + 1]
    start, line = _line_of(at.text, at.pos)
    before = at.text[start : at.pos].rstrip()
    if char == "-":
        indent = at.pos - start
        if _entry_above(at.text, start, indent):
            return _problem(at, None, "yaml-syntax", _ENTRY_NOT_LINED_UP)
        return _problem(at, None, "yaml-syntax", _ENTRY_WHERE_FIELD)
    if before and before[-1] in "'\"]}" and before.strip() != before[-1]:
        # title: '电动车' 充电 · title: [紧急]电动车充电: the value ended at the closing mark.
        key = _KEY.match(line)
        head = key.end() if key is not None else len(line) - len(line.lstrip())
        close = before[-1]
        if close in "'\"":
            # '电动车' 充电 → 电动车 充电: the quoted part as it reads, then the rest.
            inner = line[head + 1 : len(before) - 1]
            if close == "'":
                inner = inner.replace("''", "'")
            value = inner + re.sub(r"[ \t]+#.*$", "", line[len(before) :])
            quoted = _single_quoted(value)
            return _problem(at, None, "yaml-syntax", _TEXT_AFTER_QUOTE, value=quoted)
        value = re.sub(r"[ \t]+#.*$", "", line[head:])
        opening = "[" if close == "]" else "{"
        return _problem(
            at,
            None,
            "yaml-syntax",
            _TEXT_AFTER_BRACKET,
            char=close,
            open=opening,
            value=_single_quoted(value),
        )
    if char == ":":
        return _problem(at, None, "yaml-syntax", _STRAY_COLON)
    key = _KEY.match(line)
    if key is not None:
        return _problem(at, None, "yaml-syntax", _NOT_LINED_UP, key=key.group("key").strip())
    return _problem(at, None, "yaml-syntax", _LINE_NOT_LINED_UP)


def _entry_above(text: str, start: int, indent: int) -> bool:
    """A list entry ('- ') on one of the lines above, indented otherwise than ``indent``."""
    for _ in range(20):
        if start == 0:
            return False
        start, line = _line_of(text, start - 1)
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") or stripped == "-":
            return len(line) - len(stripped) != indent
    return False


def _bad_start(at: _At) -> YamlProblem:
    index = at.pos
    if at.context_pos is not None and at.context.startswith(
        ("while scanning an anchor", "while scanning an alias", "while scanning a tag")
    ):
        index = at.context_pos
    char = at.text[index : index + 1]
    if char == "\t":
        return _problem(at, index, "tab", TAB)
    if not char.strip():
        return _problem(at, None, "yaml-syntax", _GENERAL)
    return _problem(at, index, "yaml-syntax", _BAD_START, char=char)


def _tag(at: _At) -> YamlProblem:
    index = at.context_pos if at.context_pos is not None else at.pos
    return _problem(at, index, "yaml-syntax", _BAD_START, char="!")


def _not_closed(at: _At) -> YamlProblem:
    index = at.context_pos
    if index is None or at.text[index : index + 1] not in ("[", "{"):
        return _problem(at, None, "yaml-syntax", _GENERAL)
    return _problem(at, index, "yaml-syntax", _NOT_CLOSED, char=at.text[index])


def _end_of_stream(at: _At) -> YamlProblem:
    index = at.context_pos
    if index is not None and at.text[index : index + 1] in ("'", '"'):
        return _problem(at, index, "yaml-syntax", _QUOTE_NOT_CLOSED, char=at.text[index])
    if index is not None and at.text[index : index + 1] in ("[", "{"):
        return _problem(at, index, "yaml-syntax", _NOT_CLOSED, char=at.text[index])
    return _problem(at, None, "yaml-syntax", _GENERAL)


def _escape(at: _At) -> YamlProblem:
    backslash = at.text.rfind("\\", 0, at.pos + 1)
    if backslash < 0:
        return _problem(at, None, "yaml-syntax", _GENERAL)
    return _problem(
        at, backslash, "yaml-syntax", _ESCAPE, char=at.text[backslash + 1 : backslash + 2]
    )


def _simple(template: str, at_context: bool = False) -> Handler:
    def handler(at: _At) -> YamlProblem:
        index = at.context_pos if at_context else None
        return _problem(at, index, "yaml-syntax", template)

    return handler


def _block_indicator(at: _At) -> YamlProblem:
    index = at.context_pos if at.context_pos is not None else at.pos
    char = at.text[index : index + 1]
    if char not in ("|", ">"):
        return _problem(at, None, "yaml-syntax", _GENERAL)
    return _problem(at, index, "yaml-syntax", _BLOCK_INDICATOR, char=char)


def _after_line_break(at: _At) -> YamlProblem:
    if at.context.startswith("while scanning a block scalar"):
        return _block_indicator(at)
    return _simple(_DIRECTIVE, at_context=True)(at)


def _tab(at: _At) -> YamlProblem:
    index = at.text.find("\t", at.text.rfind("\n", 0, at.pos) + 1)
    return _problem(at, index if index >= 0 else None, "tab", TAB)


def _constructed(at: _At) -> YamlProblem:
    """A core tag on a node of the wrong kind (``!!str {a: 1}``)."""
    m = re.compile(r"!\S*").match(at.text, at.pos)
    if m is None:
        return _problem(at, None, "yaml-syntax", _GENERAL)
    return _problem(at, None, "yaml-tag", _TAG, tag=m.group())


#: Every description of a syntax problem libyaml 0.2 gives (its scanner and parser, as
#: PyYAML's CParser and composer raise them) → the handler that says it in safeplan's words.
LIBYAML_PROBLEMS: dict[str, Handler] = {
    "mapping values are not allowed in this context": _colon,
    "found unexpected ':'": _colon,
    "could not find expected ':'": _no_colon,
    "did not find expected key": _expected_key,
    "did not find expected '-' indicator": _simple(_ENTRY_NOT_LINED_UP),
    "did not find expected node content": _simple(_MISSING_VALUE),
    "did not find expected ',' or ']'": _not_closed,
    "did not find expected ',' or '}'": _not_closed,
    "found character that cannot start any token": _bad_start,
    "did not find expected alphabetic or numeric character": _bad_start,
    "mapping keys are not allowed in this context": _bad_start,
    "block sequence entries are not allowed in this context": _simple(_ENTRY_ON_FIELD_LINE),
    "found unexpected end of stream": _end_of_stream,
    "found unexpected document indicator": _simple(_DOCUMENT_MARKER),
    "found unknown escape character": _escape,
    "did not find expected hexdecimal number": _escape,
    "found invalid Unicode character escape code": _escape,
    "found a tab character that violates indentation": _tab,
    "found a tab character where an indentation space is expected": _tab,
    "found an indentation indicator equal to 0": _block_indicator,
    "did not find expected comment or line break": _after_line_break,
    "did not find expected <document start>": _simple(_AFTER_END),
    "did not find expected <stream-start>": _simple(_GENERAL),
    # tags: a value that starts with '!'
    "found undefined tag handle": _tag,
    "did not find the expected '>'": _tag,
    "did not find expected tag URI": _tag,
    "did not find expected '!'": _tag,
    "did not find URI escaped octet": _tag,
    "found an incorrect leading UTF-8 octet": _tag,
    "found an incorrect trailing UTF-8 octet": _tag,
    "did not find expected whitespace or line break": _tag,
    # directives: a line that starts with '%'
    "found unknown directive name": _simple(_DIRECTIVE, at_context=True),
    "did not find expected directive name": _simple(_DIRECTIVE, at_context=True),
    "could not find expected directive name": _simple(_DIRECTIVE, at_context=True),
    "found unexpected non-alphabetical character": _simple(_DIRECTIVE, at_context=True),
    "did not find expected whitespace": _simple(_DIRECTIVE, at_context=True),
    "did not find expected digit or '.' character": _simple(_DIRECTIVE, at_context=True),
    "found extremely long version number": _simple(_DIRECTIVE, at_context=True),
    "did not find expected version number": _simple(_DIRECTIVE, at_context=True),
    "found duplicate %YAML directive": _simple(_DIRECTIVE),
    "found incompatible YAML document": _simple(_DIRECTIVE),
    "found duplicate %TAG directive": _simple(_DIRECTIVE),
    # PyYAML's constructor, for a core tag on the wrong kind of node
    "expected a scalar node, but found mapping": _constructed,
    "expected a scalar node, but found sequence": _constructed,
    "expected a sequence node, but found mapping": _constructed,
    "expected a sequence node, but found scalar": _constructed,
    "expected a mapping node, but found sequence": _constructed,
    "expected a mapping node, but found scalar": _constructed,
}

#: ruamel.yaml's descriptions (its pure-Python scanner and parser, met when editing) →
#: libyaml's description of the same problem.
_RUAMEL: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^mapping values are not allowed here"), "mapping values are not allowed in this context"),
    (re.compile(r"^found character .* that cannot start any token"), "found character that cannot start any token"),
    (re.compile(r"^could not find expected ':'"), "could not find expected ':'"),
    (re.compile(r"^expected <block end>, but found '-'"), "did not find expected key"),
    (re.compile(r"^expected <block end>, but found '<block sequence start>'"), "did not find expected '-' indicator"),
    (re.compile(r"^expected <block end>, but found"), "did not find expected key"),
    (re.compile(r"^expected ',' or '\]'"), "did not find expected ',' or ']'"),
    (re.compile(r"^expected ',' or '}'"), "did not find expected ',' or '}'"),
    (re.compile(r"^expected the node content"), "did not find expected node content"),
    (re.compile(r"^found unexpected end of stream"), "found unexpected end of stream"),
    (re.compile(r"^found unexpected document separator"), "found unexpected document indicator"),
    (re.compile(r"^found unknown escape character"), "found unknown escape character"),
    (re.compile(r"^expected escape sequence"), "did not find expected hexdecimal number"),
    (re.compile(r"^expected alphabetic or numeric character"), "did not find expected alphabetic or numeric character"),
    (re.compile(r"^sequence entries are not allowed here"), "block sequence entries are not allowed in this context"),
    (re.compile(r"^mapping keys are not allowed here"), "mapping keys are not allowed in this context"),
    (re.compile(r"^expected indentation indicator"), "found an indentation indicator equal to 0"),
    (re.compile(r"^expected a comment or a line break"), "did not find expected comment or line break"),
    (re.compile(r"^found undefined tag handle"), "found undefined tag handle"),
    (re.compile(r"^expected '>'"), "did not find the expected '>'"),
    (re.compile(r"^expected URI"), "did not find URI escaped octet"),
    (re.compile(r"^expected ' ', but found"), "did not find expected whitespace or line break"),
    (re.compile(r"^found duplicate YAML directive"), "found duplicate %YAML directive"),
    (re.compile(r"^found incompatible YAML document"), "found incompatible YAML document"),
    (re.compile(r"^duplicate tag handle"), "found duplicate %TAG directive"),
    (re.compile(r"^expected a (?:digit|directive name)"), "did not find expected version number"),
    (re.compile(r"^expected chomping or indentation indicators"), "did not find expected comment or line break"),
    (re.compile(r"^found non-comment content after document end marker"), "did not find expected <document start>"),
    (re.compile(r"^expected a (?:scalar|sequence|mapping) node, but found"), "expected a scalar node, but found mapping"),
]  # fmt: skip


def _describe(problem: str, context: str, at: _At) -> YamlProblem:
    handler = LIBYAML_PROBLEMS.get(problem)
    if handler is None and context == "while scanning a directive":
        handler = _simple(_DIRECTIVE, at_context=True)
    return (handler or _simple(_GENERAL))(at)


def _recognised(at: _At) -> YamlProblem | None:
    """The mistakes the text itself shows, whatever libyaml made of them."""
    text = at.text
    if at.pos < len(text) and text[at.pos] == "\t":
        return _problem(at, None, "tab", TAB)
    end = text.find("\n", at.pos)
    end = len(text) if end < 0 else end
    # Typed with a Chinese input method, 'level：major' is one word to YAML, and libyaml
    # only notices a line later: the slip points at the colon itself.
    slip = invisible(text, end) or fullwidth_colon(text, at.pos + 1)
    return _slipped(at, slip) or _missing_space_before(at)


def _at(exc: Any, text: str, problem: str) -> _At:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return _At(text, 0, 1, 1, problem, exc.context or "", None)
    index = _mark_index(mark, text)
    context = exc.context_mark
    context_index = _mark_index(context, text) if context is not None else None
    line, column = mark.line + 1, mark.column + 1
    if LINE_SEPARATORS.search(text) or "\r" in text.replace("\r\n", ""):
        # libyaml counts these as line breaks, editors do not (or not all of them).
        line, column = position(text, index)
    return _At(text, index, line, column, problem, exc.context or "", context_index)


def syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    """libyaml's (or PyYAML's) syntax error, said in safeplan's words at the mistake."""
    conflict = conflict_problem(text)  # the markers of a merge, not a slip of the hand
    if conflict is not None:
        return conflict
    problem = exc.problem or exc.context or ""
    at = _at(exc, text, problem)
    if problem == LIBYAML_TOO_DEEP:  # libyaml's own limit, met before safeplan's counts it
        return _problem(at, None, "too-deep", TOO_DEEP, limit=MAX_DEPTH)
    return _recognised(at) or _describe(problem, exc.context or "", at)


def roundtrip_problem(exc: Any, text: str) -> YamlProblem:
    """ruamel.yaml's syntax error (met when editing), said as libyaml's would be."""
    said = str(getattr(exc, "problem", None) or getattr(exc, "context", None) or "")
    problem = next((libyaml for rx, libyaml in _RUAMEL if rx.match(said)), said)
    at = _at(exc, text, problem)
    return _recognised(at) or _describe(problem, str(getattr(exc, "context", "") or ""), at)


def roundtrip_blocker(text: str) -> YamlProblem | None:
    """What stops ruamel.yaml (and so every edit) from reading text that libyaml reads.

    A tab after a colon, inside a plain value or before a comment is whitespace to
    libyaml but a syntax error to ruamel.yaml's scanner. Only text with a tab is scanned
    (a few milliseconds), so a clean file costs one ``in``.
    """
    if "\t" not in text:
        return None
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    try:
        for _token in YAML(typ="rt").scan(text):
            pass
    except MarkedYAMLError as exc:
        found = roundtrip_problem(exc, text)
        if found.code == "tab":
            return YamlProblem(found.line, found.column, "tab", TAB_IN_LINE)
        return found
    except (RecursionError, ValueError):  # what libyaml read, ruamel cannot: not ours to say
        return None
    return None


def reader_problem(exc: yaml.reader.ReaderError, text: str) -> YamlProblem:
    """A character YAML does not allow (a control character such as NUL)."""
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    # libyaml counts the position in UTF-8 bytes; the first such character is the one.
    index = text.find(char)
    if index < 0:
        index = len(text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
    line, column = position(text, index)
    return YamlProblem(
        line,
        column,
        "bad-character",
        N_("control character U+{code:04X} is not allowed in YAML: delete it"),
        {"code": ord(char)},
    )
