"""What to tell a person whose YAML does not parse.

The common mistakes are recognised from the text itself, not from libyaml's wording:
a tab where YAML wants spaces, a full-width colon typed with a Chinese input method.
Otherwise libyaml's description of the problem is looked up in a table of its messages
(:data:`LIBYAML_PROBLEMS`) so that it can be translated, with a hint of what to do; a
message that is not in the table is shown as libyaml wrote it, with a general hint.
"""

from __future__ import annotations

import re

import yaml

from safeplan.problems import N_, Fragment
from safeplan.yamlio.problem import YamlProblem, position

#: A key (English identifier) followed by a full-width colon, at the start of a line.
_FULLWIDTH_COLON = re.compile(
    r"^[ \t]*(?:-[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t]*(?P<colon>：)", re.M
)

_CHECK_LINE = N_("check the indentation and quoting on this line or the one above")
_QUOTE_COLON = N_(
    "put a value that contains ': ' in quotes, or indent this key like the keys beside it"
)
_CLOSE_BRACKET = N_("close the bracket or the quotes opened before this point")

#: Deeper nesting than this is refused (the event scan counts it; libyaml's scanner,
#: which looks ahead, may meet its own limit of 1000 first).
MAX_DEPTH = 64
LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"

#: libyaml's descriptions of a syntax problem → (the description to show, a hint).
LIBYAML_PROBLEMS: dict[str, tuple[str, str]] = {
    "mapping values are not allowed in this context": (
        N_("mapping values are not allowed in this context"),
        _QUOTE_COLON,
    ),
    "did not find expected key": (N_("did not find expected key"), _CHECK_LINE),
    "did not find expected ',' or ']'": (N_("did not find expected ',' or ']'"), _CHECK_LINE),
    "did not find expected ',' or '}'": (N_("did not find expected ',' or '}'"), _CHECK_LINE),
    "did not find expected '-' indicator": (
        N_("did not find expected '-' indicator"),
        _CHECK_LINE,
    ),
    "did not find expected node content": (
        N_("did not find expected node content"),
        _CHECK_LINE,
    ),
    "could not find expected ':'": (N_("could not find expected ':'"), _CHECK_LINE),
    "found character that cannot start any token": (
        N_("found character that cannot start any token"),
        _CHECK_LINE,
    ),
    "found unexpected end of stream": (N_("found unexpected end of stream"), _CLOSE_BRACKET),
    "found unknown escape character": (N_("found unknown escape character"), _CHECK_LINE),
    "block sequence entries are not allowed in this context": (
        N_("block sequence entries are not allowed in this context"),
        _CHECK_LINE,
    ),
    "found undefined tag handle": (N_("found undefined tag handle"), _CHECK_LINE),
    "found incompatible YAML document": (N_("found incompatible YAML document"), _CHECK_LINE),
    "did not find expected <document start>": (
        N_("did not find expected <document start>"),
        _CHECK_LINE,
    ),
}


def syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        return YamlProblem(
            line,
            column,
            "tab",
            N_("tab character: YAML indents with spaces only; replace the tab with spaces"),
        )
    wide = _FULLWIDTH_COLON.search(text, 0, mark.index + 1 if mark else len(text))
    if wide is not None:
        # Typed with a Chinese input method, 'level：major' is one word to YAML, and libyaml
        # only notices a line later. Point at the colon itself.
        wline, wcolumn = position(text, wide.start("colon"))
        return YamlProblem(
            wline,
            wcolumn,
            "fullwidth-colon",
            N_(
                "full-width colon '：' after '{key}': YAML needs an ASCII colon and a space, "
                "'{key}: '"
            ),
            {"key": wide.group("key")},
        )
    said = exc.problem or exc.context or ""
    if said == LIBYAML_TOO_DEEP:  # libyaml's own limit, met before safeplan's counts it
        return YamlProblem(
            line,
            column,
            "too-deep",
            N_("nesting is deeper than {limit} levels: flatten the data"),
            {"limit": MAX_DEPTH},
        )
    known = LIBYAML_PROBLEMS.get(said)
    if known is not None:
        problem: str | Fragment = Fragment(known[0])
        hint = Fragment(known[1])
    else:
        problem = said or "?"
        hint = Fragment(_CHECK_LINE)
    return YamlProblem(
        line,
        column,
        "yaml-syntax",
        N_("invalid YAML ({problem}): {hint}"),
        {"problem": problem, "hint": hint},
    )


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
