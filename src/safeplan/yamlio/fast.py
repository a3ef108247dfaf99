"""Reading YAML fast: plain data straight from libyaml's event stream.

libyaml (PyYAML's CParser) parses about 16x faster than a ruamel.yaml round trip, and
building the data from its events, without composing a node tree, halves the cost
again. One pass over the events does two jobs:

- it refuses, with a location, what safeplan never accepts: anchors and aliases (an
  alias bomb explodes only when walked), nesting deeper than :data:`MAX_DEPTH`
  (measured on the structure, not by counting brackets in the text), and a second
  document;
- it builds the data, unless something is out of the ordinary (a tag, a duplicate or
  non-scalar key, a merge key, a number Python cannot hold). Then the scan still runs
  to its end, so the structure is known to be safe, and the full loader
  (``_FullLoader``, recursive, with located messages) decides.

Both paths give the same data for every file the fast one takes (a test holds them
to it). :data:`stats` counts how often each is taken: a valid file that falls back is
a performance bug, and a test fails on one. Dates stay text (pydantic reads them, so a
bad date is located); booleans are YAML 1.2's ``true``/``false`` only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from yaml._yaml import CParser as _CParser  # type: ignore[import-not-found,unused-ignore]
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode

from safeplan.problems import N_
from safeplan.yamlio.problem import YamlProblem
from safeplan.yamlio.syntax import MAX_DEPTH, TOO_DEEP, reader_problem, syntax_problem

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


@dataclass
class FastPathStats:
    """How many documents each path built (in this process)."""

    fast: int = 0
    fallback: int = 0


stats = FastPathStats()


# --------------------------------------------------------------------------- the full loader


class _FullLoader(yaml.CSafeLoader):
    """CSafeLoader without timestamps, merge keys, sets or binary; duplicate keys refused."""


# Dates stay text (pydantic parses them, so a bad date is located); booleans are YAML 1.2's
# true/false only, as in ruamel.yaml: in YAML 1.1 the key `on:` (a date field here) and the
# values yes/no/on/off would silently become booleans.
_FullLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_TIMESTAMP, _BOOL)]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _FullLoader.yaml_implicit_resolvers.setdefault(_first, []).insert(
        0, (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"))
    )


class _Located(Exception):
    def __init__(self, problem: YamlProblem) -> None:
        self.problem = problem


def _located(node: Node, code: str, template: str, **params: Any) -> _Located:
    mark = node.start_mark
    return _Located(YamlProblem(mark.line + 1, mark.column + 1, code, template, params))


def _construct_map(loader: _FullLoader, node: MappingNode) -> Iterator[dict[Any, Any]]:
    data: dict[Any, Any] = {}
    yield data
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _located(
                key_node, "merge-key", N_("merge keys (<<) are not allowed: write the keys out")
            )
        key = loader.construct_object(key_node, deep=False)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise _located(
                key_node,
                "bad-key",
                N_("a key must be a plain field name, not a list or a mapping: write it as text"),
            )
        if key in data:
            raise _located(
                key_node,
                "duplicate-key",
                N_("duplicate key '{key}': each key may appear once in a mapping; remove one"),
                key=key,
            )
        data[key] = loader.construct_object(value_node, deep=False)


def _construct_int(loader: _FullLoader, node: ScalarNode) -> int:
    try:
        value: int = loader.construct_yaml_int(node)
        return value
    except ValueError:
        raise _located(
            node, "bad-number", N_("number is too large: write it as text in quotes")
        ) from None


def _refuse_tag(loader: _FullLoader, node: Node) -> Any:
    raise _located(
        node,
        "yaml-tag",
        N_("YAML tag {tag} is not allowed: remove it and write a plain value"),
        tag=_short_tag(node.tag),
    )


def _short_tag(tag: str) -> str:
    """A tag as it is written in the file: ``!!python/object`` rather than its full URI."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


_FullLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_FullLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
for _tag in ("timestamp", "binary", "set", "omap", "pairs"):
    _FullLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)
_FullLoader.add_constructor(None, _refuse_tag)


def _full(text: str) -> Any:
    loader = _FullLoader(text)
    try:
        return loader.get_single_data()
    except _Located as exc:
        raise exc.problem from None
    except yaml.MarkedYAMLError as exc:
        raise syntax_problem(exc, text) from None
    except yaml.reader.ReaderError as exc:
        raise reader_problem(exc, text) from None
    finally:
        loader.dispose()


# --------------------------------------------------------------------------- the event scan

#: Plain scalars whose first character may make them something other than text.
SCALAR_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: resolvers
    for first, resolvers in _FullLoader.yaml_implicit_resolvers.items()
    if first is not None and resolvers
}
assert None not in _FullLoader.yaml_implicit_resolvers  # no catch-all resolvers to apply
_NUMBERS = SafeConstructor()  # type: ignore[no-untyped-call,unused-ignore]
#: Resolved plain scalars that start like a non-string (dates, numbers, true, null…):
#: a record repeats its keys and dates, so most are looked up once.
_PLAIN_CACHE: dict[str, Any] = {}
_PLAIN_CACHE_MAX = 20_000
_NOTHING = object()
#: What the scan returns when the data must come from the full loader.
_UNUSUAL = object()


class _Unusual(Exception):
    """A plain scalar the fast path cannot resolve the way the full loader does."""


def resolve_plain(value: str) -> Any:
    """A plain scalar's value, resolved exactly as the reader resolves it (YAML 1.1, dates as text)."""
    cached = _PLAIN_CACHE.get(value, _NOTHING)
    if cached is not _NOTHING:
        return cached
    tag = _STR
    for candidate, rx in SCALAR_RESOLVERS.get(value[:1], ()):
        if rx.match(value):
            tag = candidate
            break
    result: Any
    if tag == _STR:
        result = value
    elif tag == _NULL:
        result = None
    elif tag == _BOOL:
        result = SafeConstructor.bool_values[value.lower()]
    elif tag in (_INT, _FLOAT):
        node = ScalarNode(tag, value)  # type: ignore[no-untyped-call,unused-ignore]
        try:
            if tag == _INT:
                result = _NUMBERS.construct_yaml_int(node)  # type: ignore[no-untyped-call,unused-ignore]
            else:
                result = _NUMBERS.construct_yaml_float(node)  # type: ignore[no-untyped-call,unused-ignore]
        except ValueError:
            raise _Unusual from None
    else:
        raise _Unusual  # merge keys, '=' and any other special tag
    if len(_PLAIN_CACHE) < _PLAIN_CACHE_MAX:
        _PLAIN_CACHE[value] = result
    return result


def _refused(event: Any, code: str, template: str, **params: Any) -> YamlProblem:
    mark = event.start_mark
    return YamlProblem(mark.line + 1, mark.column + 1, code, template, params)


def _anchor_problem(event: Any) -> YamlProblem:
    return _refused(
        event,
        "anchor",
        N_("anchors and aliases (&{name}, *{name}) are not allowed: write each value out in full"),
        name=event.anchor,
    )


def _too_deep(event: Any) -> YamlProblem:
    return _refused(event, "too-deep", TOO_DEEP, limit=MAX_DEPTH)


def _scan(text: str) -> Any:
    """One document's data from libyaml's events, or _UNUSUAL for the full loader.

    Raises YamlProblem for what is refused outright, and libyaml's own errors for
    broken syntax.
    """
    parser = _CParser(text)
    try:
        get: Callable[[], Any] = parser.get_event
        get()  # stream start
        if type(get()) is not DocumentStartEvent:
            return None  # an empty stream
        data = _build(get)
        event = get()
        if type(event) is DocumentStartEvent:
            raise _refused(
                event,
                "many-documents",
                N_(
                    "a second YAML document starts here ('---'): a file holds one record; "
                    "remove the '---' line and what follows, or move it to its own file"
                ),
            )
        return data
    finally:
        parser.dispose()


def _build(get: Callable[[], Any]) -> Any:
    """The document's data, or _UNUSUAL: the hot loop, no call per event but libyaml's."""
    resolvers = SCALAR_RESOLVERS
    nothing = _NOTHING
    building = True  # False once something unusual is met: the full loader builds it
    holder: list[Any] = []  # receives the document's root node
    top: Any = holder  # the innermost open container
    is_map = False
    key: Any = nothing  # the innermost mapping's key still waiting for its value
    stack: list[tuple[Any, bool]] = []
    while True:
        event = get()
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor is not None:
                raise _anchor_problem(event)
            if not building or event.tag is not None:
                building = False  # a tag: the full loader resolves it
                continue
            value: Any = event.value
            if event.implicit[0] and value[:1] in resolvers:
                try:
                    value = resolve_plain(value)
                except _Unusual:
                    building = False
                    continue
            if not is_map:
                top.append(value)
            elif key is nothing:
                if value in top:
                    building = False  # a duplicate key: the full loader says where
                    continue
                key = value
            else:
                top[key] = value
                key = nothing
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None:
                raise _anchor_problem(event)
            if len(stack) >= MAX_DEPTH:
                raise _too_deep(event)
            new: Any = {} if kind is MappingStartEvent else []
            if building:
                if event.tag is not None or (is_map and key is nothing):
                    building = False  # a tag, or a mapping or list as a key
                elif not is_map:
                    top.append(new)
                else:
                    top[key] = new
                    key = nothing
            stack.append((top, is_map))
            top = new
            is_map = kind is MappingStartEvent
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            top, is_map = stack.pop()
        elif kind is AliasEvent:
            raise _anchor_problem(event)
        elif kind is DocumentEndEvent:
            return (holder[0] if holder else None) if building else _UNUSUAL


def load_fast(text: str) -> Any:
    """Parse one YAML document into plain Python data (dates stay strings).

    Raises YamlProblem with a location for anything that is not plain, safe data.
    """
    try:
        data = _scan(text)
    except yaml.MarkedYAMLError as exc:
        raise syntax_problem(exc, text) from None
    except yaml.reader.ReaderError as exc:
        raise reader_problem(exc, text) from None
    if data is not _UNUSUAL:
        stats.fast += 1
        return data
    stats.fallback += 1
    return _full(text)
