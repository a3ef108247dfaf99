"""Hand edits that YAML reads otherwise than the person meant: checks on a file's raw text.

A file can parse and still not say what its author wrote. ``title: 电动车充电 #3楼道``
is the title 电动车充电 and a comment, because YAML starts a comment at ' #'; a tab
after a colon is a space to libyaml but stops ruamel.yaml, so no edit of the file
would succeed. These checks look at the text of a file that parsed, beside its data.
Each runs only when the text holds the character it is about ('#', a tab), so a clean
file pays two one-character searches (about a microsecond): validate reads ten thousand.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from safeplan.problems import N_, Problem
from safeplan.yamlio.problem import position
from safeplan.yamlio.syntax import roundtrip_blocker

#: Fields that hold free text (a title, a note, a name): a same-line comment after one
#: most likely cut the value short. Codes, dates, amounts, units and evidence paths are
#: not here: ``level: major  # 重大`` is a normal comment.
FREE_TEXT = frozenset(
    {
        "title",
        "description",
        "location",
        "industry",
        "note",
        "text",
        "reason",
        "measures",
        "contingency_plan",
        "name",
        "full_name",
        "address",
        "issuer",
        "by",
        "found_by",
        "responsible_person",
        "reviewer",
        "approved_by",
        "person",
    }
)
#: In data/units.yaml a unit's name is what other files refer to, like a code.
_NOT_FREE_IN = {"UnitsFile": frozenset({"name"})}

#: ``key: plain value #comment`` (or ``- key: …``): the value up to the first ' #'.
_COMMENTED_VALUE = re.compile(
    r"[ \t]*(?:-[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t]*:[ \t]+"
    r"(?P<value>[^\s'\"#|>&*!\[{%@`](?:[^\r\n]*?\S)??)[ \t]+(?P<comment>#[^\r\n]*)"
)
#: Quoted values and comments are cut to this many characters in the message.
_VALUE_CHARS = 60
_COMMENT_CHARS = 40

COMMENT_IN_VALUE = N_(
    "text after ' #' was read as a comment, so '{field}' is only '{value}': if "
    "'{comment}' is part of it, quote the value, {field}: '{whole}'"
)


def text_hints(text: str, data: Any, rel: str, model: type[BaseModel]) -> list[Problem]:
    """What the raw text of a parsed file shows that its data does not."""
    out: list[Problem] = []
    if "#" in text:  # str.find of one character: the cheapest test there is
        out += comments_in_values(text, data, rel, model)
    if "\t" in text:
        blocker = roundtrip_blocker(text)
        if blocker is not None:
            out.append(
                Problem(
                    rel,
                    blocker.line,
                    blocker.column,
                    blocker.code,
                    blocker.template,
                    blocker.params,
                )
            )
    return out


def comments_in_values(text: str, data: Any, rel: str, model: type[BaseModel]) -> list[Problem]:
    """Free-text values that a same-line comment cut short (a warning each)."""
    free = FREE_TEXT - _NOT_FREE_IN.get(model.__name__, frozenset())
    out: list[Problem] = []
    values: set[tuple[str, str]] | None = None
    hash_at = text.find("#")
    while hash_at >= 0:
        if hash_at == 0 or text[hash_at - 1] not in " \t":
            hash_at = text.find("#", hash_at + 1)  # '#' inside a word, or a comment line
            continue
        # One look a line: YAML's comment starts at the line's first ' #'.
        start = text.rfind("\n", 0, hash_at) + 1
        line_end = text.find("\n", hash_at)
        line_end = len(text) if line_end < 0 else line_end
        hash_at = text.find("#", line_end)
        m = _COMMENTED_VALUE.match(text, start, line_end)
        if m is None or m.group("key") not in free:
            continue
        if values is None:
            values = _text_values(data)
        key, value = m.group("key"), m.group("value")
        # The data holds exactly what YAML read: if it is not this, the line is inside a
        # block of text ('|') or a flow mapping, where the check does not apply.
        if (key, value) not in values:
            continue
        comment = m.group("comment").rstrip()
        whole = text[m.start("value") : m.end("comment")].rstrip().replace("'", "''")
        line, column = position(text, m.start("comment"))
        out.append(
            Problem(
                rel,
                line,
                column,
                "comment-in-value",
                COMMENT_IN_VALUE,
                {
                    "field": key,
                    "value": _cut(value, _VALUE_CHARS),
                    "comment": _cut(comment, _COMMENT_CHARS),
                    "whole": _cut(whole, _VALUE_CHARS + _COMMENT_CHARS),
                },
                severity="warning",
            )
        )
    return out


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text_values(data: Any) -> set[tuple[str, str]]:
    """Every (key, text) pair of the data, at any depth (iteratively: data may be deep)."""
    out: set[tuple[str, str]] = set()
    todo = [data]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            for k, v in item.items():
                if isinstance(v, str):
                    out.add((str(k), v))
                elif isinstance(v, dict | list):
                    todo.append(v)
        elif isinstance(item, list):
            todo += [v for v in item if isinstance(v, dict | list)]
    return out
