"""Hand-edit mistakes: what a person typed that YAML reads otherwise, and how to say so.

The one home of each mistake a hand edit makes, with its message and the one function
that recognises it: a colon without its space, a dash stuck to its field, a full-width
space or colon from a Chinese input method, an invisible separator pasted from a web
page, a comment that cut a value short, a field written flat beside its section or
named in Chinese. Both paths use them. When the YAML does not parse, ``yamlio.syntax``
looks for them in the text around libyaml's error; when it parses into something the
schema refuses, ``repo.messages`` looks for them in the value or key YAML read
(``on:2024-06-20`` as text where a section belongs, a key ``整改时限``).
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from safeplan import vocab
from safeplan.problems import N_, Coded, KeyPath, Problem
from safeplan.yamlio.problem import position

if TYPE_CHECKING:
    from pydantic import BaseModel

TAB = N_("tab character: YAML indents with spaces only; replace the tab with spaces")
TAB_IN_LINE = N_(
    "tab character: YAML editors (and safeplan's editing commands) do not read a tab "
    "here; replace it with a space"
)
MISSING_SPACE = N_(
    "no space after the colon in '{key}:{value}': YAML reads it as one piece of text; "
    "put a space after ':', {key}: {value}"
)
MISSING_DASH_SPACE = N_(
    "no space after the '-' of a list entry in '-{key}': YAML reads '-{key}' as a field's "
    "name; write '- {key}'"
)
ODD_INDENT = N_(
    "'{key}' is indented with a full-width or non-breaking space (U+{code:04X}), which YAML "
    "does not count as indentation: indent it with ordinary spaces"
)
FULLWIDTH_COLON = N_(
    "full-width colon '：' after '{key}': YAML needs an ASCII colon and a space, '{key}: '"
)
LINE_SEPARATOR = N_(
    "invisible line separator U+{code:04X} (pasted from a web page or a word processor): "
    "YAML reads it as a line break; delete it"
)
STRAY_BOM = N_(
    "invisible byte-order mark U+FEFF inside the file (were two files pasted together?): delete it"
)
COMMENT_IN_VALUE = N_(
    "text after ' #' was read as a comment, so '{field}' is only '{value}': if "
    "'{comment}' is part of it, quote the value, {field}: '{whole}'"
)

#: Spaces a Chinese input method or a word processor types, which YAML does not indent with.
ODD_SPACES = "\u3000\u00a0\u2002\u2003\u2009\u202f"

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
#: A field's name at the start of a line, then a colon and no space: ``title:电动车充电``.
_NO_SPACE = re.compile(rf"[ \t]*(?:-[ \t]+)?(?P<key>{_NAME})(?P<colon>:)(?=[^\s#])")
#: A key that starts with a dash, at the start of a line: ``-on: 2024-04-01``.
_DASHED_KEY = re.compile(rf"[ ]*(?P<key>-{_NAME})[ \t]*:(?:[ \t]|$)", re.M)
#: A key after odd spaces, at the start of a line: ``\u3000on: 2024-04-01``.
_ODD_KEY = re.compile(rf"^[ ]*(?P<key>[{ODD_SPACES}]+{_NAME})[ \t]*:", re.M)
#: A key (English identifier) followed by a full-width colon, at the start of a line.
_FULLWIDTH_COLON = re.compile(rf"^[ \t]*(?:-[ \t]+)?(?P<key>{_NAME})[ \t]*(?P<colon>：)", re.M)
#: Characters libyaml takes for a line break that no editor shows as one.
LINE_SEPARATORS = re.compile("[\x85\u2028\u2029]")
#: Quoted values and comments are cut to this many characters in a message.
_VALUE_CHARS = 60
_COMMENT_CHARS = 40


class Slip(NamedTuple):
    """A hand-edit mistake found in a text: where (an index into it) and what to say."""

    at: int  # an index into the text
    code: str
    template: str
    params: dict[str, Any]


def cut(text: str, limit: int = _VALUE_CHARS) -> str:
    """Text as a message quotes it: cut short."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@functools.cache
def known_fields() -> frozenset[str]:
    """Every field name a record may have (to tell ``on:2024`` from ``http://x``).

    The fields of every model in ``models.records`` and ``models.hazards``, so a new kind
    of record counts too.
    """
    from safeplan.models import hazards, records

    models = [m for mod in (records, hazards) for m in vars(mod).values() if _is_model(m)]
    return frozenset(name for m in models for name in field_names(m))


# --------------------------------------------------------------------------- the mistakes


def missing_space(text: str, start: int = 0) -> Slip | None:
    """``field:value`` from ``start`` (a line's start, or a value YAML read as text)."""
    m = _NO_SPACE.match(text, start)
    if m is None or m.group("key") not in known_fields():
        return None
    end = text.find("\n", m.end())
    value = text[m.end() : len(text) if end < 0 else end].rstrip("\r")
    params = {"key": m.group("key"), "value": cut(value)}
    return Slip(m.start("colon"), "missing-space", MISSING_SPACE, params)


def dashed_field(key: str) -> str | None:
    """The field a key names with a list entry's dash stuck to it (``-on`` → ``on``)."""
    return key[1:] if key[:1] == "-" and key[1:] in known_fields() else None


def dash_without_space(text: str, start: int = 0) -> Slip | None:
    """``-on: 2024-04-01`` from ``start`` (a line's start): YAML reads a field '-on'."""
    m = _DASHED_KEY.match(text, start)
    field = dashed_field(m.group("key")) if m is not None else None
    if m is None or field is None:
        return None
    return Slip(m.start("key"), "missing-space", MISSING_DASH_SPACE, {"key": field})


def line_slip(text: str, start: int) -> Slip | None:
    """The mistake a line (starting at ``start``) shows by itself, if any."""
    return missing_space(text, start) or dash_without_space(text, start)


def odd_indent(key: str) -> tuple[str, int] | None:
    """A key that YAML read with the odd spaces indenting it: (the key meant, the space)."""
    stripped = key.strip(" " + ODD_SPACES)
    if stripped == key or key[:1] not in ODD_SPACES or not stripped:
        return None
    return stripped, ord(key[0])


def odd_indent_in(text: str, end: int) -> Slip | None:
    """The first key before ``end`` indented with odd spaces."""
    for m in _ODD_KEY.finditer(text, 0, end):
        found = odd_indent(m.group("key"))
        if found is not None:
            key, code = found
            return Slip(m.start("key"), "odd-indent", ODD_INDENT, {"key": key, "code": code})
    return None


def fullwidth_colon(text: str, end: int) -> Slip | None:
    """``level：major`` typed with a Chinese input method, before ``end``: the colon."""
    m = _FULLWIDTH_COLON.search(text, 0, end)
    if m is None:
        return None
    return Slip(m.start("colon"), "fullwidth-colon", FULLWIDTH_COLON, {"key": m.group("key")})


def line_separator(text: str, end: int) -> Slip | None:
    """An invisible line separator (U+2028 …) before ``end``."""
    m = LINE_SEPARATORS.search(text, 0, end)
    if m is None:
        return None
    return Slip(m.start(), "line-separator", LINE_SEPARATOR, {"code": ord(m.group())})


def stray_bom(text: str, end: int) -> Slip | None:
    """A byte-order mark inside the text, before ``end``."""
    at = text.find("\ufeff", 0, end)
    return Slip(at, "stray-bom", STRAY_BOM, {}) if at >= 0 else None


def invisible(text: str, end: int) -> Slip | None:
    """The mistakes nobody sees in an editor, before ``end``: tried first, in this order."""
    return line_separator(text, end) or stray_bom(text, end) or odd_indent_in(text, end)


# --------------------------------------------------------------------------- unknown keys
# A key the schema does not know, in data that parsed: what the person most likely meant.


def _is_model(obj: Any) -> bool:
    """A pydantic model class (known without importing pydantic: YAML reading needs none)."""
    return isinstance(obj, type) and hasattr(obj, "model_fields")


def model_at(
    model: type[BaseModel] | None, loc: Sequence[str | int]
) -> tuple[type[BaseModel] | None, bool]:
    """The model of the value at ``loc`` (None if it is not a record's section), and
    whether that value is a list of such records."""
    current: Any = model
    many = False
    for part in loc:
        if isinstance(part, int):
            many = False
            continue
        if not _is_model(current):
            return None, False
        info = next((i for n, i in current.model_fields.items() if (i.alias or n) == part), None)
        if info is None:
            return None, False
        current, many = record_type(info.annotation)
    if _is_model(current):
        return current, many
    return None, False


def record_type(annotation: Any) -> tuple[Any, bool]:
    """``Cycle | None`` → (Cycle, False); ``list[Note]`` → (Note, True); else (annotation, False)."""
    many = False
    for _ in range(4):
        if typing.get_origin(annotation) is list:
            many = True
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        models = [a for a in args if _is_model(a)]
        if models:
            return models[0], many
        if len(args) != 1:
            break
        annotation = args[0]
    return annotation, many


def field_names(model: type[BaseModel]) -> set[str]:
    """The keys a model's fields are written with (an alias such as 'from', or the name)."""
    return {info.alias or name for name, info in model.model_fields.items()}


def _walk(data: Any, loc: Sequence[str | int]) -> Any:
    """The value at ``loc`` of parsed data, or None."""
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


Meant = tuple[str, KeyPath | None]


def unknown_key(
    loc: KeyPath, model: type[BaseModel] | None, data: Any, params: dict[str, Any]
) -> Meant | None:
    """What a hand-edited file most likely meant by an unknown key, or None if unclear.

    A field written flat under its empty section (``rectification:`` then ``on:`` at
    the margin), a Chinese name of a field (``整改时限:``), or a key indented with a
    full-width space. With the template comes the path of the field the key stands for,
    if known: a 'missing' error there is the same mistake, said once.
    """
    odd = odd_indent(str(loc[-1]))
    if odd is not None:
        params.update(key=odd[0], code=odd[1])
        return ODD_INDENT, None
    return _written_flat(loc, model, data, params) or _chinese_key(loc, model, params)


def _written_flat(
    loc: KeyPath, model: type[BaseModel] | None, data: Any, params: dict[str, Any]
) -> Meant | None:
    """A field written at its section's margin instead of indented under it."""
    flat = _flat_section(loc, model, data)
    if flat is None:
        return None
    section, entry = flat
    params["section"] = section
    if entry is None:
        return N_(
            "'{field}' belongs under '{section}' above it, which is empty: indent "
            "'{field}' under '{section}'"
        ), None
    params["first"] = entry
    entries = _walk(data, (*loc[:-1], section))
    last = len(entries) - 1 if isinstance(entries, list) else 0
    return N_(
        "'{field}' belongs to the last entry of '{section}' above it: indent '{field}' "
        "under that entry, like its '{first}'"
    ), (*loc[:-1], section, last, loc[-1])


def _chinese_key(
    loc: KeyPath, model: type[BaseModel] | None, params: dict[str, Any]
) -> Meant | None:
    """A hazard's field named by its Chinese label (``整改时限:``): the English key, where."""
    from safeplan.models.hazards import Hazard

    key = str(loc[-1])
    code = None if model is not Hazard or key.isascii() else vocab.FIELD.lookup(key)
    if code is None:
        return None
    parts = code.split(".")
    params["key"] = parts[-1]
    if parts[:-1] == [p for p in loc[:-1] if isinstance(p, str)]:
        return N_("unknown field '{field}': keys are written in English; write '{key}'"), (
            *loc[:-1],
            parts[-1],
        )
    params.update(name=code, label=Coded("field", code))
    if len(parts) == 1:
        return N_(
            "unknown field '{field}': keys are written in English; did you mean '{name}' "
            "({label})? write '{key}' at the start of the line, not indented"
        ), tuple(parts)
    params["section"] = ".".join(parts[:-1])
    if model_at(Hazard, parts[:-1])[1]:  # a list of entries
        return N_(
            "unknown field '{field}': keys are written in English; did you mean '{name}' "
            "({label})? write '{key}' in the entries ('- ') of '{section}'"
        ), None
    return N_(
        "unknown field '{field}': keys are written in English; did you mean '{name}' "
        "({label})? write '{key}' indented under '{section}'"
    ), tuple(parts)


def _flat_section(
    loc: KeyPath, model: type[BaseModel] | None, data: Any
) -> tuple[str, str | None] | None:
    """The section above an unknown key that the key belongs to, when it was written flat.

    (section, None) for an empty section (``rectification:`` with nothing under it);
    (section, its first key) for a list whose last entry lacks the key. Only the keys
    written flat may lie between the two.
    """
    parent = _walk(data, loc[:-1])
    key = loc[-1]
    if not isinstance(parent, dict) or key not in parent:
        return None
    parent_model, _ = model_at(model, loc[:-1])
    if parent_model is None:
        return None
    allowed = field_names(parent_model)
    keys = list(parent)
    at = keys.index(key)
    for j in range(at - 1, -1, -1):
        section = keys[j]
        value = parent[section]
        sub, many = model_at(parent_model, (section,))
        if sub is None or section not in allowed:
            continue
        entry: str | None = None
        if many and isinstance(value, list) and value and isinstance(value[-1], dict):
            if key in value[-1] or not value[-1]:
                return None
            entry = str(next(iter(value[-1])))
        elif value is not None:
            continue
        fields = field_names(sub)
        between = keys[j + 1 : at]
        if key in fields and all(k not in allowed or k in fields for k in between):
            return str(section), entry
        return None
    return None


# --------------------------------------------------------------------------- ' #' in values

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


def comments_in_values(text: str, data: Any, rel: str, model: type) -> list[Problem]:
    """Free-text values that a same-line comment cut short (a warning each).

    Each line's first ' #' is looked at once; a clean file costs one search for '#'.
    """
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
        # The data holds exactly what YAML read: if it is not this, the line is inside a
        # block of text ('|') or a flow mapping, where the check does not apply.
        if (m.group("key"), m.group("value")) in values:
            out.append(_comment_in_value(text, m, rel))
    return out


def _comment_in_value(text: str, m: re.Match[str], rel: str) -> Problem:
    comment = m.group("comment").rstrip()
    whole = text[m.start("value") : m.end("comment")].rstrip().replace("'", "''")
    line, column = position(text, m.start("comment"))
    params = {
        "field": m.group("key"),
        "value": cut(m.group("value")),
        "comment": cut(comment, _COMMENT_CHARS),
        "whole": cut(whole, _VALUE_CHARS + _COMMENT_CHARS),
    }
    return Problem(
        rel, line, column, "comment-in-value", COMMENT_IN_VALUE, params, severity="warning"
    )


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
