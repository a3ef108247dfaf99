"""Pydantic's validation errors as problems a person can act on: the field, what is wrong, the fix."""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

from safeplan import vocab
from safeplan.dates import TypedDateError, parse_typed
from safeplan.models.records import (
    CONTROL_CHARACTERS,
    CREDIT_CODE_PATTERN,
    HAZARD_ID_RE,
    TEXT_PATTERN,
)
from safeplan.problems import N_, Coded, Fragment, KeyPath, ListOf, Problem
from safeplan.yamlio import Locator
from safeplan.yamlio.syntax import MISSING_DASH_SPACE, MISSING_SPACE, ODD_INDENT, known_fields

_KIND_NAMES = {
    bool: N_("true/false"),
    int: N_("a number"),
    float: N_("a number"),
    list: N_("a list"),
    dict: N_("a mapping"),
    type(None): N_("empty"),
    str: N_("text"),
}

#: What a field's pattern asks for, in words (a regular expression helps no one).
_PATTERN_WORDS = {
    HAZARD_ID_RE.pattern: N_(
        "letters, digits, '.', '_' and '-', starting with a letter or digit, not ending with "
        "'.', at most 64 characters"
    ),
    CREDIT_CODE_PATTERN: N_("18 digits and capital letters (no I, O, S, V or Z)"),
}
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
#: Values quoted in messages are cut to this many characters.
_VALUE_CHARS = 60


def field_name(loc: Sequence[str | int], strip: int) -> str:
    """A field's path as messages show it: ``supervision[0].level``, ``notes[1]``."""
    out = ""
    # Inside an entry of tasks.yaml or units.yaml the 'tasks[3].' prefix is noise (the line
    # says which task); for the list itself or a whole entry it is the only name there is.
    for p in loc[strip:] if len(loc) > strip else loc:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += f".{p}" if out else str(p)
    return out


def shown(value: Any) -> str:
    """A value as a message quotes it: cut short."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


_KNOWN_FIELDS: set[str] = set()


def _known_fields() -> set[str]:
    if not _KNOWN_FIELDS:
        from safeplan.models import records

        for obj in vars(records).values():
            if isinstance(obj, type) and issubclass(obj, BaseModel):
                _KNOWN_FIELDS.update(_names(obj))
    return _KNOWN_FIELDS


def _fields_at(model: type[BaseModel] | None, loc: Sequence[str | int]) -> Iterable[str]:
    """The field names allowed where ``loc`` points (all known fields if that is unclear)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return _known_fields()
        # A key as the file writes it: a field's alias ('from') or its name.
        info = next((i for n, i in current.model_fields.items() if part in (i.alias, n)), None)
        if info is None:
            return _known_fields()
        # Unwrap Optional[...] and list[...] down to the model inside, if any.
        current = info.annotation
        for _ in range(4):
            inner = [
                a
                for a in typing.get_args(current)
                if isinstance(a, type) and issubclass(a, BaseModel)
            ]
            if inner:
                current = inner[0]
                break
            args = [a for a in typing.get_args(current) if a is not type(None)]
            if len(args) != 1:
                break
            current = args[0]
    if isinstance(current, type) and issubclass(current, BaseModel):
        return _names(current)
    return _known_fields()


def _model_at(
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
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None, False
        info = next((i for n, i in current.model_fields.items() if (i.alias or n) == part), None)
        if info is None:
            return None, False
        current, many = _record_type(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current, many
    return None, False


def _record_type(annotation: Any) -> tuple[Any, bool]:
    """``Cycle | None`` → (Cycle, False); ``list[Note]`` → (Note, True); else (annotation, False)."""
    many = False
    for _ in range(4):
        if typing.get_origin(annotation) is list:
            many = True
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        if models:
            return models[0], many
        if len(args) != 1:
            break
        annotation = args[0]
    return annotation, many


def _names(model: type[BaseModel]) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()}


def _walk(data: Any, loc: Sequence[str | int]) -> Any:
    """The value at ``loc`` of parsed data, or None."""
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


#: Spaces a Chinese input method or a word processor types, which YAML does not indent with.
_ODD_SPACES = "\u3000\u00a0\u2002\u2003\u2009\u202f"


Meant = tuple[str, KeyPath | None]


def _unknown_field(
    loc: KeyPath, model: type[BaseModel] | None, data: Any, params: dict[str, Any]
) -> Meant | None:
    """What a hand-edited file most likely meant by an unknown key, or None if unclear.

    A field written flat under its empty section (``rectification:`` then ``on:`` at
    the margin), a Chinese name of a field (``整改时限:``), or a key indented with a
    full-width space. With the template comes the path of the field the key stands for,
    if known: a 'missing' error there is the same mistake, said once.
    """
    key = str(loc[-1])
    stripped = key.strip(" " + _ODD_SPACES)
    if stripped != key and key[:1] in _ODD_SPACES and stripped:
        params.update(key=stripped, code=ord(key[0]))
        return ODD_INDENT, None
    flat = _flat_section(loc, model, data)
    if flat is not None:
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
    from safeplan.models.records import Hazard

    if model is not Hazard or key.isascii():
        return None
    code = vocab.FIELD.lookup(key)
    if code is None:
        return None
    parts = code.split(".")
    here = [p for p in loc[:-1] if isinstance(p, str)]
    params["key"] = parts[-1]
    if parts[:-1] == here:
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
    _, many = _model_at(Hazard, parts[:-1])
    if many:
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
    parent_model, _ = _model_at(model, loc[:-1])
    if parent_model is None:
        return None
    allowed = _names(parent_model)
    keys = list(parent)
    at = keys.index(key)
    for j in range(at - 1, -1, -1):
        section = keys[j]
        value = parent[section]
        sub, many = _model_at(parent_model, (section,))
        if sub is None or section not in allowed:
            continue
        entry: str | None = None
        if many and isinstance(value, list) and value and isinstance(value[-1], dict):
            if key in value[-1] or not value[-1]:
                return None
            entry = str(next(iter(value[-1])))
        elif value is not None:
            continue
        fields = _names(sub)
        between = keys[j + 1 : at]
        if key in fields and all(k not in allowed or k in fields for k in between):
            return str(section), entry
        return None
    return None


def _dash_without_space(value: Any) -> bool:
    """``-on: 2024-04-01``: a list entry whose dash lost its space became a field '-on'."""
    if not isinstance(value, dict) or not value:
        return False
    first = next(iter(value))
    return isinstance(first, str) and first[:1] == "-" and first[1:] in known_fields()


_NO_SPACE_VALUE = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?P<value>[^\s#].*)", re.S)


def _missing_space(value: Any) -> tuple[str, str] | None:
    """``on:2024-06-20``, which YAML read as text where a section's fields belong."""
    if not isinstance(value, str):
        return None
    m = _NO_SPACE_VALUE.fullmatch(value)
    if m is None or m.group("key") not in known_fields():
        return None
    return m.group("key"), m.group("value")


def _vocabulary_of(choices: Sequence[str]) -> vocab.Vocabulary | None:
    wanted = set(choices)
    return next((v for v in vocab.ALL if set(v.codes) == wanted), None)


_WITH_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[Tt ]\d")


def _date_message(typ: str, value: Any, ctx: dict[str, Any], params: dict[str, Any]) -> str:
    params["value"] = shown(value)
    if typ == "date_format" and isinstance(value, str):
        with_time = _WITH_TIME.match(value.strip())
        if with_time:
            params["hint"] = with_time[1]
            return N_("'{field}' holds a time as well ({value}): write the day only, {hint}")
        try:
            day = parse_typed(value)
        except TypedDateError:
            pass
        else:
            params["hint"] = day.isoformat()
            return N_("'{field}' is not written as YYYY-MM-DD ({value}): write {hint}")
    if typ == "date_type" and ctx.get("kind") == "number":
        return N_(
            "'{field}' must be a date written YYYY-MM-DD, not a number ({value}): "
            "write it like 2024-03-15"
        )
    if typ == "date_range":
        params["min"], params["max"] = ctx.get("min", ""), ctx.get("max", "")
        return N_(
            "'{field}' is outside the range of dates safeplan accepts ({value}): "
            "write a date from {min} to {max}"
        )
    return N_("'{field}' is not a valid date ({value}): write a real date as YYYY-MM-DD")


def errors_to_problems(
    errors: Iterable[Any],
    rel: str,
    locator: Locator,
    strip: int,
    model: type[BaseModel] | None = None,
    data: Any = None,
) -> list[Problem]:
    """Pydantic's errors as located problems; ``data`` (the file's data as parsed) lets
    them say what a hand edit most likely meant.

    A key written in Chinese or flat beside its section is one mistake, but pydantic
    sees two (an unknown key, a missing field): the 'missing' one is left out.
    """
    out: list[tuple[Any, Problem]] = []
    explained: set[KeyPath] = set()
    for err in errors:
        problem, meant = _problem_of(err, rel, locator, strip, model, data)
        out.append((err, problem))
        if meant is not None:
            explained.add(meant)
    return [
        p for err, p in out if not (err["type"] == "missing" and tuple(err["loc"]) in explained)
    ]


def error_to_problem(
    err: Any,
    rel: str,
    locator: Locator,
    strip: int,
    model: type[BaseModel] | None = None,
    data: Any = None,
) -> Problem:
    """One pydantic error as a located problem."""
    return _problem_of(err, rel, locator, strip, model, data)[0]


def _problem_of(
    err: Any,
    rel: str,
    locator: Locator,
    strip: int,
    model: type[BaseModel] | None,
    data: Any,
) -> tuple[Problem, KeyPath | None]:
    """One pydantic error as a located problem, and the field an unknown key stood for."""
    meant_path: KeyPath | None = None
    loc: tuple[str | int, ...] = tuple(err["loc"])
    typ: str = err["type"]
    name = field_name(loc, strip)
    value = err.get("input")
    ctx = err.get("ctx") or {}
    at_key = False
    where = loc
    params: dict[str, Any] = {"field": name}
    if typ == "missing":
        where = loc[:-1]
        at_key = True
        template = N_("missing required field '{field}': add it")
    elif typ in ("extra_forbidden", "invalid_key"):
        at_key = True
        params["field"] = str(loc[-1])
        guess = _unknown_field(loc, model, data, params)
        if guess is not None:
            template, meant_path = guess
        else:
            template = N_("unknown field '{field}': remove it or correct its spelling{hint}")
            close = difflib.get_close_matches(
                str(loc[-1]), _fields_at(model, loc[:-1]), n=1, cutoff=0.6
            )
            params["hint"] = (
                Fragment(N_(" (did you mean '{name}'?)"), {"name": close[0]}) if close else ""
            )
    elif typ.startswith("date_"):
        template = _date_message(typ, value, ctx, params)
    elif typ == "reserved_name":
        template = N_(
            "'{field}' cannot be '{value}': Windows reserves the name for a device, so the "
            "file could not be checked out there; choose another id"
        )
        params["value"] = shown(value)
    elif typ == "credit_check_digit":
        template = N_(
            "'{field}' ({value}) fails its check digit (GB 32100-2015): the first 17 "
            "characters give {expected} as the 18th, not {found}; copy the code again from "
            "the business licence"
        )
        params.update(value=shown(value), expected=ctx.get("expected"), found=ctx.get("found"))
    elif typ == "funds":
        template = N_(
            "'{field}' ({value}) is not an amount with its unit: write it as officers do, "
            "e.g. 45万元, 4500元 or 4.5万, in quotes if it starts with a digit"
        )
        params["value"] = shown(value)
    elif typ == "string_too_short" or (typ == "string_type" and value is None):
        template = N_("'{field}' is empty: write a value, or remove the key if it is optional")
    elif typ == "string_type":
        template = N_("'{field}' must be text, not {kind}: put the value in quotes")
        params["kind"] = Fragment(_KIND_NAMES.get(type(value), N_("that")))
    elif typ == "string_pattern_mismatch" and ctx.get("pattern") == TEXT_PATTERN:
        bad = _CONTROL.search(value) if isinstance(value, str) else None
        if bad is not None:
            template = N_(
                "'{field}' holds the control character U+{code:04X}, which could change the "
                "screen of whoever reads the record: delete it"
            )
            params["code"] = ord(bad.group())
        else:
            template = N_("'{field}' is empty: write a value, or remove the key if it is optional")
    elif typ == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        params["value"] = shown(value)
        if pattern in _PATTERN_WORDS:
            template = N_("'{field}' has the wrong form ('{value}'): it must be {form}")
            params["form"] = Fragment(_PATTERN_WORDS[pattern])
        else:
            template = N_("'{field}' has the wrong form ('{value}'): it must match {pattern}")
            params["pattern"] = pattern
    elif typ == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        vocabulary = _vocabulary_of(choices)
        meant = (
            vocabulary.lookup(value) if vocabulary is not None and isinstance(value, str) else None
        )
        template = (
            N_("'{field}' must be one of {expected}, not '{value}': write '{meant}'")
            if meant in choices
            else N_("'{field}' must be one of {expected}, not '{value}'")
        )
        params["expected"] = ListOf(choices, quoted=True)
        params["value"] = shown(value)
        params["meant"] = meant
    elif typ == "list_type" and _dash_without_space(value):
        dashed = str(next(iter(value)))
        line, column = locator.find((*loc, dashed), at_key=True)
        problem = Problem(
            rel, line, column, "missing-space", MISSING_DASH_SPACE, {"key": dashed[1:]}
        )
        return problem, None
    elif typ == "list_type":
        template = N_(
            "'{field}' must be a list, not {kind}: write it as [a, b] "
            "or as lines starting with '- '"
        )
        params["kind"] = Fragment(_KIND_NAMES.get(type(value), N_("that")))
    elif typ == "too_short" and ctx.get("actual_length") == 0:
        template = N_("'{field}' is an empty list: add at least one entry")
    elif typ in ("model_type", "dict_type", "model_attributes_type") and _missing_space(value):
        key, rest = _missing_space(value) or ("", "")
        template = MISSING_SPACE
        params = {"key": key, "value": shown(rest)}
        line, column = locator.find(where)
        return Problem(rel, line, column + len(key), "missing-space", template, params), None
    elif typ in ("model_type", "dict_type", "model_attributes_type"):
        if not name:
            template = (
                N_("the file is empty: it must hold a mapping of keys and values")
                if value is None
                else N_(
                    "the file must hold a mapping of keys and values, not {kind}: "
                    "write each field as 'key: value' on a line of its own"
                )
            )
        else:
            template = N_(
                "'{field}' must be a mapping of keys and values, not {kind}: "
                "write its fields as 'key: value' lines indented below it"
            )
        params["kind"] = Fragment(_KIND_NAMES.get(type(value), N_("that")))
    elif typ in ("int_type", "int_parsing", "int_from_float", "finite_number"):
        template = N_("'{field}' must be a whole number, not '{value}'")
        params["value"] = shown(value)
    elif typ in ("greater_than_equal", "less_than_equal"):
        if typ == "greater_than_equal":
            template = N_("'{field}' must be {limit} or more, not {value}")
            params["limit"] = ctx.get("ge", "")
        else:
            template = N_("'{field}' must be {limit} or less, not {value}")
            params["limit"] = ctx.get("le", "")
        params["value"] = shown(value)
    elif typ in ("bool_type", "bool_parsing"):
        template = N_("'{field}' must be true or false, not '{value}'")
        params["value"] = shown(value)
    else:
        template = N_("'{field}': {detail}")
        params["detail"] = err.get("msg", typ)
    line, column = locator.find(where, at_key=at_key)
    code = f"schema-{typ}".replace("_", "-")
    return Problem(rel, line, column, code, template, params), meant_path
