"""Pydantic's validation errors as problems a person can act on: the field, what is wrong, the fix."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from pydantic import BaseModel

from safeplan import vocab
from safeplan.dates import TypedDateError, parse_typed
from safeplan.models.fields import (
    BIDI_CONTROLS,
    CONTROL_CHARACTERS,
    CREDIT_CODE_PATTERN,
    HAZARD_ID_RE,
    TEXT_PATTERN,
)
from safeplan.problems import N_, Fragment, KeyPath, ListOf, Problem
from safeplan.yamlio import Locator
from safeplan.yamlio.handedit import (
    MISSING_DASH_SPACE,
    MISSING_SPACE,
    dashed_field,
    field_names,
    known_fields,
    missing_space,
    record_type,
    unknown_key,
)

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
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
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


def _fields_at(model: type[BaseModel] | None, loc: Sequence[str | int]) -> Iterable[str]:
    """The field names allowed where ``loc`` points (all known fields if that is unclear)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return known_fields()
        # A key as the file writes it: a field's alias ('from') or its name.
        info = next((i for n, i in current.model_fields.items() if part in (i.alias, n)), None)
        if info is None:
            return known_fields()
        current, _ = record_type(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return field_names(current)
    return known_fields()


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


class _Err(NamedTuple):
    """One pydantic error as the handlers read it, with what locates and explains it."""

    loc: KeyPath
    typ: str
    value: Any
    ctx: dict[str, Any]
    msg: str
    model: type[BaseModel] | None
    data: Any


class _Said(NamedTuple):
    """A handler's answer: the message, and where it points.

    ``where`` None is the error's own place; ``code`` None is ``schema-<type>``; ``shift``
    moves the column right (to a colon inside a value); ``meant`` is the field an unknown
    key stood for, whose 'missing' error is then left out.
    """

    template: str
    params: dict[str, Any]
    at_key: bool = False
    where: KeyPath | None = None
    code: str | None = None
    shift: int = 0
    meant: KeyPath | None = None


_Handler = Callable[[_Err, dict[str, Any]], _Said]


def _quoting(template: str) -> _Handler:
    """A handler that says ``template`` with the value quoted (cut short)."""

    def handler(e: _Err, params: dict[str, Any]) -> _Said:
        params["value"] = shown(e.value)
        return _Said(template, params)

    return handler


def _bounded(bound: str, template: str) -> _Handler:
    """A handler for a number beyond a bound: the bound (``ge``, ``le``), then the value."""

    def handler(e: _Err, params: dict[str, Any]) -> _Said:
        params.update(limit=e.ctx.get(bound, ""), value=shown(e.value))
        return _Said(template, params)

    return handler


def _kind(value: Any) -> Fragment:
    return Fragment(_KIND_NAMES.get(type(value), N_("that")))


def _missing(e: _Err, params: dict[str, Any]) -> _Said:
    return _Said(N_("missing required field '{field}': add it"), params, True, e.loc[:-1])


def _unknown(e: _Err, params: dict[str, Any]) -> _Said:
    params["field"] = str(e.loc[-1])
    guess = unknown_key(e.loc, e.model, e.data, params)
    if guess is not None:
        return _Said(guess[0], params, True, meant=guess[1])
    close = difflib.get_close_matches(
        str(e.loc[-1]), _fields_at(e.model, e.loc[:-1]), n=1, cutoff=0.6
    )
    params["hint"] = Fragment(N_(" (did you mean '{name}'?)"), {"name": close[0]}) if close else ""
    return _Said(
        N_("unknown field '{field}': remove it or correct its spelling{hint}"), params, True
    )


def _date(e: _Err, params: dict[str, Any]) -> _Said:
    return _Said(_date_message(e.typ, e.value, e.ctx, params), params)


def _check_digit(e: _Err, params: dict[str, Any]) -> _Said:
    params.update(value=shown(e.value), expected=e.ctx.get("expected"), found=e.ctx.get("found"))
    return _Said(
        N_(
            "'{field}' ({value}) fails its check digit (GB 32100-2015): the first 17 "
            "characters give {expected} as the 18th, not {found}; copy the code again from "
            "the business licence"
        ),
        params,
    )


_EMPTY = N_("'{field}' is empty: write a value, or remove the key if it is optional")


def _empty(e: _Err, params: dict[str, Any]) -> _Said:
    return _Said(_EMPTY, params)


def _string_type(e: _Err, params: dict[str, Any]) -> _Said:
    if e.value is None:
        return _Said(_EMPTY, params)
    params["kind"] = _kind(e.value)
    return _Said(N_("'{field}' must be text, not {kind}: put the value in quotes"), params)


def _pattern(e: _Err, params: dict[str, Any]) -> _Said:
    pattern = e.ctx.get("pattern", "")
    if pattern == TEXT_PATTERN:  # free text: it failed for a control character, or blank
        bad = _CONTROL.search(e.value) if isinstance(e.value, str) else None
        if bad is None:
            return _Said(_EMPTY, params)
        params["code"] = ord(bad.group())
        if _BIDI.match(bad.group()):
            return _Said(
                N_(
                    "'{field}' holds the bidirectional control U+{code:04X}, which makes the "
                    "text read differently on screen than it is stored: delete it"
                ),
                params,
            )
        return _Said(
            N_(
                "'{field}' holds the control character U+{code:04X}, which could change the "
                "screen of whoever reads the record: delete it"
            ),
            params,
        )
    params["value"] = shown(e.value)
    if pattern in _PATTERN_WORDS:
        params["form"] = Fragment(_PATTERN_WORDS[pattern])
        return _Said(N_("'{field}' has the wrong form ('{value}'): it must be {form}"), params)
    params["pattern"] = pattern
    return _Said(N_("'{field}' has the wrong form ('{value}'): it must match {pattern}"), params)


def _literal(e: _Err, params: dict[str, Any]) -> _Said:
    choices = re.findall(r"'([^']*)'", str(e.ctx.get("expected", "")))
    vocabulary = _vocabulary_of(choices)
    value = e.value
    meant = vocabulary.lookup(value) if vocabulary is not None and isinstance(value, str) else None
    params.update(expected=ListOf(choices, quoted=True), value=shown(value), meant=meant)
    if meant in choices:
        return _Said(
            N_("'{field}' must be one of {expected}, not '{value}': write '{meant}'"), params
        )
    return _Said(N_("'{field}' must be one of {expected}, not '{value}'"), params)


_NOT_A_LIST = N_(
    "'{field}' must be a list, not {kind}: write it as [a, b] or as lines starting with '- '"
)
_NOT_A_MAPPING = N_(
    "'{field}' must be a mapping of keys and values, not {kind}: "
    "write its fields as 'key: value' lines indented below it"
)
_EMPTY_FILE = N_("the file is empty: it must hold a mapping of keys and values")
_FILE_NOT_A_MAPPING = N_(
    "the file must hold a mapping of keys and values, not {kind}: "
    "write each field as 'key: value' on a line of its own"
)


def _list_type(e: _Err, params: dict[str, Any]) -> _Said:
    first = next(iter(e.value), None) if isinstance(e.value, dict) else None
    field = dashed_field(first) if isinstance(first, str) else None
    if field is not None:  # '-on: 2024-04-01': a list entry whose dash lost its space
        where = (*e.loc, str(first))
        return _Said(MISSING_DASH_SPACE, {"key": field}, True, where, "missing-space")
    params["kind"] = _kind(e.value)
    return _Said(_NOT_A_LIST, params)


def _too_short(e: _Err, params: dict[str, Any]) -> _Said:
    if e.ctx.get("actual_length") != 0:
        return _other(e, params)
    return _Said(N_("'{field}' is an empty list: add at least one entry"), params)


def _mapping_type(e: _Err, params: dict[str, Any]) -> _Said:
    slip = missing_space(e.value) if isinstance(e.value, str) else None
    if slip is not None:
        # A plain value is one line's text from its start: the colon is this far in.
        return _Said(MISSING_SPACE, slip.params, code=slip.code, shift=slip.at)
    params["kind"] = _kind(e.value)
    if params["field"]:
        return _Said(_NOT_A_MAPPING, params)
    return _Said(_EMPTY_FILE if e.value is None else _FILE_NOT_A_MAPPING, params)


def _other(e: _Err, params: dict[str, Any]) -> _Said:
    """An error no handler knows: pydantic's own words, which tests keep rare."""
    params["detail"] = e.msg
    return _Said(N_("'{field}': {detail}"), params)


#: pydantic's error type → what safeplan says about it (a ``date_*`` type not listed here
#: goes to :func:`_date`, any other to :func:`_other`).
_HANDLERS: dict[str, _Handler] = {
    "missing": _missing,
    "extra_forbidden": _unknown,
    "invalid_key": _unknown,
    "reserved_name": _quoting(
        N_(
            "'{field}' cannot be '{value}': Windows reserves the name for a device, so the "
            "file could not be checked out there; choose another id"
        )
    ),
    "credit_check_digit": _check_digit,
    "revised_item": lambda e, params: _Said(
        N_(
            "'{field}' names what the revision changed with exactly one of task: N, goal: ID "
            "or rule: NAME (and field: for a task's deadline, units, title, text or action)"
        ),
        params,
    ),
    "funds": _quoting(
        N_(
            "'{field}' ({value}) is not an amount with its unit: write it as officers do, "
            "e.g. 45万元, 4500元 or 4.5万, in quotes if it starts with a digit"
        )
    ),
    # county.yaml (``safeplan rollup``)
    "area_code": _quoting(
        N_(
            "'{field}' ({value}) is not a 12-digit area code (统计用区划代码, e.g. "
            "150425100000): write all 12 digits, in quotes"
        )
    ),
    "git_ref": _quoting(N_("'{field}' ({value}) is not a branch or tag name")),
    "town_source": lambda e, params: _Said(
        N_(
            "'{field}': give the town's repository as either 'path' (a folder) or 'git' "
            "(a URL), not both"
        ),
        params,
    ),
    "git_url": lambda e, params: _Said(
        N_("'{field}': '{value}' is not a git URL (https://…, ssh://…, git@host:…, file://…)"),
        {**params, "value": shown(e.ctx.get("value", ""))},
    ),
    "duplicate_town": lambda e, params: _Said(
        N_("'{field}': the area code {code} is given to two towns"),
        {**params, "code": str(e.ctx.get("code", ""))},
    ),
    "string_too_short": _empty,
    "string_type": _string_type,
    "string_pattern_mismatch": _pattern,
    "literal_error": _literal,
    "list_type": _list_type,
    "too_short": _too_short,
    "model_type": _mapping_type,
    "dict_type": _mapping_type,
    "model_attributes_type": _mapping_type,
    **dict.fromkeys(
        ("int_type", "int_parsing", "int_from_float", "finite_number"),
        _quoting(N_("'{field}' must be a whole number, not '{value}'")),
    ),
    "greater_than_equal": _bounded("ge", N_("'{field}' must be {limit} or more, not {value}")),
    "less_than_equal": _bounded("le", N_("'{field}' must be {limit} or less, not {value}")),
    **dict.fromkeys(
        ("bool_type", "bool_parsing"),
        _quoting(N_("'{field}' must be true or false, not '{value}'")),
    ),
}


def _problem_of(
    err: Any,
    rel: str,
    locator: Locator,
    strip: int,
    model: type[BaseModel] | None,
    data: Any,
) -> tuple[Problem, KeyPath | None]:
    """One pydantic error as a located problem, and the field an unknown key stood for."""
    typ: str = err["type"]
    e = _Err(
        tuple(err["loc"]),
        typ,
        err.get("input"),
        err.get("ctx") or {},
        err.get("msg", typ),
        model,
        data,
    )
    handler = _HANDLERS.get(typ) or (_date if typ.startswith("date_") else _other)
    said = handler(e, {"field": field_name(e.loc, strip)})
    where = e.loc if said.where is None else said.where
    line, column = locator.find(where, at_key=said.at_key)
    code = said.code or f"schema-{typ}".replace("_", "-")
    problem = Problem(rel, line, column + said.shift, code, said.template, said.params)
    return problem, said.meant
