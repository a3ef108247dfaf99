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
from safeplan.problems import N_, Fragment, ListOf, Problem
from safeplan.yamlio import Locator

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
                _KNOWN_FIELDS.update(obj.model_fields)
    return _KNOWN_FIELDS


def _fields_at(model: type[BaseModel] | None, loc: Sequence[str | int]) -> Iterable[str]:
    """The field names allowed where ``loc`` points (all known fields if that is unclear)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return _known_fields()
        info = current.model_fields.get(part)
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
        return current.model_fields
    return _known_fields()


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


def error_to_problem(
    err: Any, rel: str, locator: Locator, strip: int, model: type[BaseModel] | None = None
) -> Problem:
    """One pydantic error as a located problem."""
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
        template = N_("unknown field '{field}': remove it or correct its spelling{hint}")
        params["field"] = str(loc[-1])
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
    elif typ == "list_type":
        template = N_(
            "'{field}' must be a list, not {kind}: write it as [a, b] "
            "or as lines starting with '- '"
        )
        params["kind"] = Fragment(_KIND_NAMES.get(type(value), N_("that")))
    elif typ == "too_short" and ctx.get("actual_length") == 0:
        template = N_("'{field}' is an empty list: add at least one entry")
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
    elif typ in ("int_type", "int_parsing", "int_from_float"):
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
    return Problem(rel, line, column, f"schema-{typ}".replace("_", "-"), template, params)
