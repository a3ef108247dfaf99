"""The only module that reads or writes YAML.

Reading uses libyaml (PyYAML's CSafeLoader), about 16x faster than a ruamel.yaml
round-trip parse. Dates stay text so that pydantic parses them and an impossible
date is a located error. Line numbers cost a second parse, so they are found
only for files that have a problem (``Locator``). Edits use ruamel.yaml's
round-trip mode so that comments, order, quoting and Chinese text survive, and
every write is atomic.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml._yaml import CParser as _CParser  # type: ignore[import-not-found,unused-ignore]
from yaml.constructor import SafeConstructor
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from safeplan.problems import N_, Fragment

#: Files larger than this are refused without being read whole. A hazard record is
#: a few KiB; the shipped tasks.yaml is about 10 KiB.
MAX_FILE_BYTES = 1024 * 1024
_FIRST_READ = 64 * 1024
#: Deeper flow nesting than this is refused before parsing (libyaml recurses).
MAX_DEPTH = 64

_BOM = b"\xef\xbb\xbf"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"


@dataclass
class YamlProblem(Exception):
    """A located problem in one YAML file (1-based line and column)."""

    line: int
    column: int
    code: str
    template: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: " + self.template.format(**self.params)


# --------------------------------------------------------------------------- bytes → text


def read_text(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a file as UTF-8 text (a BOM is accepted), refusing huge or non-UTF-8 files."""
    with open(path, "rb") as fh:
        # A small first read: asking for max_bytes at once allocates (and frees) a
        # buffer that large for every file, which triples the cost of reading 10k files.
        first = min(_FIRST_READ, max_bytes + 1)
        data = fh.read(first)
        if len(data) == first:
            data += fh.read(max_bytes + 1 - first)
    if len(data) > max_bytes:
        raise YamlProblem(
            1,
            1,
            "file-too-large",
            N_("file is larger than {limit} KiB and was not read: split it or remove it"),
            {"limit": max_bytes // 1024},
        )
    return decode(data)


def decode(data: bytes) -> str:
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise YamlProblem(
            1, 1, "not-utf8", N_("file is UTF-16, not UTF-8: save it again as UTF-8"), {}
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        # Columns count characters, as editors and libyaml do; the bytes before the
        # first bad one are valid UTF-8.
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8")) + 1
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            template = N_("file is not UTF-8 (byte 0x{byte:02X}): save it again as UTF-8")
        else:
            template = N_(
                "file is not UTF-8; it looks like GBK, as Excel and WPS save it: "
                "save it again as UTF-8"
            )
        raise YamlProblem(line, column, "not-utf8", template, {"byte": data[exc.start]}) from None


# --------------------------------------------------------------------------- fast read


class _FastLoader(yaml.CSafeLoader):
    """CSafeLoader without timestamps, merge keys, sets or binary; duplicate keys refused."""


# Dates stay text (pydantic parses them, so a bad date is located); booleans are YAML 1.2's
# true/false only, as in ruamel.yaml: in YAML 1.1 the key `on:` (a date field here) and the
# values yes/no/on/off would silently become booleans.
_FastLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_TIMESTAMP, _BOOL)]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _FastLoader.yaml_implicit_resolvers.setdefault(_first, []).insert(
        0, (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"))
    )


def _construct_map(loader: _FastLoader, node: MappingNode) -> Iterator[dict[Any, Any]]:
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


def _construct_int(loader: _FastLoader, node: ScalarNode) -> int:
    try:
        value: int = loader.construct_yaml_int(node)
        return value
    except ValueError:
        raise _located(
            node, "bad-number", N_("number is too large: write it as text in quotes")
        ) from None


def _refuse_tag(loader: _FastLoader, node: Node) -> Any:
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


_FastLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_FastLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
for _tag in ("timestamp", "binary", "set", "omap", "pairs"):
    _FastLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)
_FastLoader.add_constructor(None, _refuse_tag)


# The common case, fast: build the data straight from libyaml's events. Composing a
# node tree calls the Python resolver and creates a Python node for every scalar, which
# costs twice the parse itself. Anything out of the ordinary (a tag, an anchor or alias,
# a duplicate or non-scalar key, a merge key, an odd number, deep nesting, a syntax
# error, several documents) raises _Unusual, and the full loader above decides, with
# its located messages: both paths give the same data for every file the fast one takes.


class _Unusual(Exception):
    pass


_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
#: Plain scalars whose first character may make them something other than text.
_SCALAR_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: resolvers
    for first, resolvers in _FastLoader.yaml_implicit_resolvers.items()
    if first is not None and resolvers
}
assert None not in _FastLoader.yaml_implicit_resolvers  # no catch-all resolvers to apply
_NUMBERS = SafeConstructor()  # type: ignore[no-untyped-call,unused-ignore]
#: Resolved plain scalars that start like a non-string (dates, numbers, true, null…):
#: a record repeats its keys and dates, so most are looked up once.
_PLAIN_CACHE: dict[str, Any] = {}
_PLAIN_CACHE_MAX = 20_000
_NOTHING = object()


def _plain(value: str) -> Any:
    """A plain scalar's value, resolved exactly as _FastLoader resolves it."""
    cached = _PLAIN_CACHE.get(value, _NOTHING)
    if cached is not _NOTHING:
        return cached
    tag = _STR
    for candidate, rx in _SCALAR_RESOLVERS[value[:1]]:
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


def _load_events(text: str) -> Any:
    """One document as plain data, built from libyaml's events; _Unusual if out of the ordinary."""
    parser = _CParser(text)
    try:
        get: Callable[[], Any] = parser.get_event
        get()  # stream start
        event = get()
        if type(event) is not DocumentStartEvent:
            if type(event) is StreamEndEvent:
                return None
            raise _Unusual
        resolvers = _SCALAR_RESOLVERS
        nothing = _NOTHING
        holder: list[Any] = []  # receives the document's root node
        top: Any = holder  # the innermost open container
        is_map = False
        key: Any = nothing  # the innermost mapping's key still waiting for its value
        stack: list[tuple[Any, bool]] = []
        while True:
            event = get()
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _Unusual
                value: Any = event.value
                if event.implicit[0] and value[:1] in resolvers:
                    value = _plain(value)
                if not is_map:
                    top.append(value)
                elif key is nothing:
                    if value in top:
                        raise _Unusual  # a duplicate key
                    key = value
                else:
                    top[key] = value
                    key = nothing
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _Unusual
                new: Any = {} if kind is MappingStartEvent else []
                if not is_map:
                    top.append(new)
                elif key is nothing:
                    raise _Unusual  # a mapping or list as a key
                else:
                    top[key] = new
                    key = nothing
                stack.append((top, is_map))
                if len(stack) > MAX_DEPTH:
                    raise _Unusual
                top = new
                is_map = kind is MappingStartEvent
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                top, is_map = stack.pop()
            elif kind is DocumentEndEvent:
                break
            else:  # an alias
                raise _Unusual
        if type(get()) is not StreamEndEvent:
            raise _Unusual  # a second document
        return holder[0] if holder else None
    finally:
        parser.dispose()


class _Located(Exception):
    def __init__(self, problem: YamlProblem) -> None:
        self.problem = problem


def _located(node: Node, code: str, template: str, **params: Any) -> _Located:
    mark = node.start_mark
    return _Located(YamlProblem(mark.line + 1, mark.column + 1, code, template, params))


_BRACKETS = re.compile(r"[\[\]{}]")


def _check_depth(text: str) -> None:
    if "[" not in text and "{" not in text:
        return
    depth = 0
    for m in _BRACKETS.finditer(text):
        if m.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, m.start()) + 1
                column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
                raise YamlProblem(
                    line,
                    column,
                    "too-deep",
                    N_("nesting is deeper than {limit} levels: flatten the data"),
                    {"limit": MAX_DEPTH},
                )
        elif depth:
            depth -= 1


def _check_anchors(text: str) -> None:
    if "&" not in text:
        return
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                mark = event.start_mark
                raise YamlProblem(
                    mark.line + 1 if mark else 1,
                    mark.column + 1 if mark else 1,
                    "anchor",
                    N_(
                        "anchors and aliases (&{name}, *{name}) are not allowed: "
                        "write each value out in full"
                    ),
                    {"name": anchor},
                )
    except yaml.YAMLError:
        return  # the load reports it, with its location


def load_fast(text: str) -> Any:
    """Parse one YAML document into plain Python data (dates stay strings).

    Raises YamlProblem with a location for anything that is not plain, safe data.
    """
    _check_depth(text)
    _check_anchors(text)
    try:
        return _load_events(text)
    except Exception:  # anything unusual: the full loader decides, with a location
        pass
    loader = _FastLoader(text)
    try:
        return loader.get_single_data()
    except _Located as exc:
        raise exc.problem from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc, text) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_problem(exc, text) from None
    except RecursionError:
        raise YamlProblem(
            1, 1, "too-deep", N_("nesting is too deep: flatten the data"), {}
        ) from None
    finally:
        loader.dispose()


#: A key (English identifier) followed by a full-width colon, at the start of a line.
_FULLWIDTH_COLON = re.compile(
    r"^[ \t]*(?:-[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t]*(?P<colon>：)", re.M
)


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or exc.context or "invalid YAML"
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        return YamlProblem(
            line,
            column,
            "tab",
            N_("tab character: YAML indents with spaces only; replace the tab with spaces"),
        )
    if "found duplicate anchor" in problem or "found undefined alias" in problem:
        # libyaml does not name the alias: read it at the mark.
        named = re.match(r"[&*]([^\s,\[\]{}]+)", text[mark.index :]) if mark else None
        return YamlProblem(
            line,
            column,
            "anchor",
            N_(
                "anchors and aliases (&{name}, *{name}) are not allowed: write each value out in full"
            ),
            {"name": named.group(1) if named else "…"},
        )
    if "maximum nesting depth" in problem:
        return YamlProblem(
            line,
            column,
            "too-deep",
            N_("nesting is deeper than {limit} levels: flatten the data"),
            {"limit": MAX_DEPTH},
        )
    if "another document" in problem:
        return YamlProblem(
            line,
            column,
            "many-documents",
            N_(
                "a second YAML document starts here ('---'): a file holds one record; "
                "remove the '---' line and what follows, or move it to its own file"
            ),
        )
    wide = _FULLWIDTH_COLON.search(text, 0, mark.index + 1 if mark else len(text))
    if wide is not None:
        # Typed with a Chinese input method, 'level：major' is one word to YAML, and libyaml
        # only notices a line later. Point at the colon itself.
        at = wide.start("colon")
        return YamlProblem(
            text.count("\n", 0, at) + 1,
            at - (text.rfind("\n", 0, at) + 1) + 1,
            "fullwidth-colon",
            N_(
                "full-width colon '：' after '{key}': YAML needs an ASCII colon and a space, "
                "'{key}: '"
            ),
            {"key": wide.group("key")},
        )
    hint = Fragment(N_("check the indentation and quoting on this line or the one above"))
    if "mapping values are not allowed" in problem:
        hint = Fragment(
            N_(
                "put a value that contains ': ' in quotes, "
                "or indent this key like the keys beside it"
            )
        )
    return YamlProblem(
        line,
        column,
        "yaml-syntax",
        N_("invalid YAML ({problem}): {hint}"),
        {"problem": problem, "hint": hint},
    )


def _reader_problem(exc: yaml.reader.ReaderError, text: str) -> YamlProblem:
    """A character YAML does not allow (a control character such as NUL)."""
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    # libyaml counts the position in UTF-8 bytes; the first such character is the one.
    position = text.find(char)
    if position < 0:
        position = len(text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return YamlProblem(
        line,
        column,
        "bad-character",
        N_("control character U+{code:04X} is not allowed in YAML: delete it"),
        {"code": ord(char)},
    )


# --------------------------------------------------------------------------- locating


class Locator:
    """Finds the line and column of a key path in one file's text.

    The node tree is composed (libyaml) on first use only: files without
    problems never pay for it.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: Node | None = None
        self._composed = False

    def _tree(self) -> Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._root = yaml.compose(self._text, Loader=yaml.CSafeLoader)
            except yaml.YAMLError:
                self._root = None
        return self._root

    def find(self, path: Sequence[str | int], at_key: bool = False) -> tuple[int, int]:
        """Where ``path`` is: its value, or its key with ``at_key``.

        A path that goes further than the file (a missing key) ends at the deepest
        node that exists, which is where the missing key belongs.
        """
        node = self._tree()
        if node is None:
            return (1, 1)
        anchor: Node = node
        for part in path:
            if isinstance(node, MappingNode):
                found = None
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                        found = (key_node, value_node)
                        break
                if found is None:
                    break
                node = found[1]
                anchor = found[0] if at_key else node
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    break
                node = node.value[part]
                anchor = node
            else:
                break
        mark = anchor.start_mark
        return (mark.line + 1, mark.column + 1)


# --------------------------------------------------------------------------- round trip


def _rt_yaml(null: str = "", seq_offset: int = 2) -> Any:
    """A fresh round-trip YAML instance: a reused one grows with every load.

    ``null`` is how the file writes an empty value (``null``, ``~`` or nothing) and
    ``seq_offset`` how far a block sequence's dash is indented under its key (0 or 2):
    both are read from the file so that an edit does not restyle untouched lines.
    """
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.Representer = _representer(null)
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=seq_offset + 2, offset=seq_offset)
    y.allow_unicode = True
    return y


_REPRESENTERS: dict[str, Any] = {}


def _representer(null: str) -> Any:
    """A RoundTripRepresenter subclass writing None as ``null`` (without touching ruamel's own)."""
    if null not in _REPRESENTERS:
        from ruamel.yaml.representer import RoundTripRepresenter

        def represent_none(self: Any, data: Any) -> Any:
            return self.represent_scalar("tag:yaml.org,2002:null", null)

        def ignore_aliases(self: Any, data: Any) -> bool:
            return True  # safeplan refuses anchors and aliases: never write one

        cls: Any = type(
            f"_Representer{len(_REPRESENTERS)}",
            (RoundTripRepresenter,),
            {"ignore_aliases": ignore_aliases},
        )
        cls.add_representer(type(None), represent_none)
        _REPRESENTERS[null] = cls
    return _REPRESENTERS[null]


_NULL_VALUE = re.compile(r"^[ \t-]*[^#\s][^#]*?:[ \t]+(null|Null|NULL|~)[ \t]*(?:#.*)?$", re.M)
_SEQ_UNDER_KEY = re.compile(
    r"^( *)[^\s#-][^#]*:[ \t]*(?:#.*)?\r?\n(?:[ \t]*(?:#.*)?\r?\n)*( *)- ", re.M
)


def _null_style(text: str) -> str:
    m = _NULL_VALUE.search(text)
    return m.group(1) if m else "null"


def _seq_offset(text: str) -> int:
    m = _SEQ_UNDER_KEY.search(text)
    if m is None:
        return 2
    return 0 if len(m.group(2)) <= len(m.group(1)) else 2


@dataclass
class RoundTrip:
    """A file loaded for editing, with what is needed to write it back as it was."""

    path: Path
    original: bytes
    data: Any
    newline: str
    bom: bool
    null: str = "null"
    seq_offset: int = 2

    def dump(self) -> bytes:
        y = _rt_yaml(self.null, self.seq_offset)
        buf = io.StringIO()
        y.dump(self.data, buf)
        text = buf.getvalue()
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        out = text.encode("utf-8")
        return _BOM + out if self.bom else out


def rt_load(path: Path) -> RoundTrip:
    """Load a file for editing; the fast checks (encoding, size, aliases) apply first."""
    with open(path, "rb") as fh:
        original = fh.read(MAX_FILE_BYTES + 1)
    text = read_text(path)  # raises on size and encoding
    load_fast(text)  # raises, located, on anything the fast path refuses
    null, offset = _null_style(text), _seq_offset(text)
    y = _rt_yaml(null, offset)
    data = y.load(text.replace("\r\n", "\n"))  # ruamel keeps a CR in comments; dump() restores CRLF
    newline = "\r\n" if "\r\n" in text else "\n"
    return RoundTrip(path, original, data, newline, original.startswith(_BOM), null, offset)


def rt_dump_new(data: Any) -> bytes:
    """Dump a new record (built from ruamel's CommentedMap or plain dicts)."""
    y = _rt_yaml("null")
    buf = io.StringIO()
    y.dump(rt_new(data), buf)
    return buf.getvalue().encode("utf-8")


# --------------------------------------------------------------------------- round-trip edits
#
# ruamel.yaml keeps a full-line comment with the entry ABOVE it: the comment before
# ``supervision:`` belongs to the last scalar of ``acceptance``. Inserting a key after
# ``acceptance`` naively would put the new key below that comment, stranding it away
# from the key it describes. These helpers move such comments along: when an entry is
# inserted after (or appended to, or replaces) another, the full-line comments that
# followed the old entry follow the new one; the end-of-line comment stays where it was.


def _is_block(value: Any) -> bool:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not isinstance(value, CommentedMap | CommentedSeq) or len(value) == 0:
        return False
    return not value.fa.flow_style()


def _tail_slot(parent: Any, key: Any) -> tuple[Any, Any, int]:
    """Where the comment after the entry ``parent[key]`` is kept: (container, key, index)."""
    from ruamel.yaml.comments import CommentedMap

    value = parent[key]
    while _is_block(value):
        parent = value
        key = list(value.keys())[-1] if isinstance(value, CommentedMap) else len(value) - 1
        value = parent[key]
    return parent, key, 2 if isinstance(parent, CommentedMap) else 0


def _column(node: Any) -> int:
    col = getattr(getattr(node, "lc", None), "col", None)
    return col if isinstance(col, int) else 0


def _take_after(parent: Any, key: Any) -> str:
    """Detach the full-line comments (and blank lines) that follow ``parent[key]``.

    Comments indented deeper than ``parent``'s entries, before any blank line, are
    about the entry itself and stay; the rest is about what comes next.
    """
    container, k, index = _tail_slot(parent, key)
    slot = container.ca.items.get(k)
    if not slot or slot[index] is None:
        return ""
    token = slot[index]
    value: str = token.value
    cut = value.find("\n")
    if cut < 0 or cut == len(value) - 1:
        return ""
    lines = value[cut + 1 :].splitlines(keepends=True)
    column = _column(parent)
    n = 0
    while n < len(lines) and lines[n].strip() and len(lines[n]) - len(lines[n].lstrip()) > column:
        n += 1
    eol = value[: cut + 1] + "".join(lines[:n])
    rest = "".join(lines[n:])
    if not rest:
        return ""
    if eol.strip():
        token.value = eol
    else:
        slot[index] = None
        if all(x is None for x in slot):
            del container.ca.items[k]
    return rest


def _give_after(parent: Any, key: Any, rest: str) -> None:
    """Attach full-line comments (from ``_take_after``) after the entry ``parent[key]``."""
    if not rest:
        return
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.scalarstring import LiteralScalarString
    from ruamel.yaml.tokens import CommentToken

    container, k, index = _tail_slot(parent, key)
    slot = container.ca.items.setdefault(k, [None, None, None, None])
    if slot[index] is not None:
        slot[index].value = slot[index].value + rest
    else:
        # A literal block ends its own last line; any other value needs its line ended.
        ended = isinstance(container[k], LiteralScalarString)
        slot[index] = CommentToken(rest if ended else "\n" + rest, CommentMark(0), None)


def rt_new(value: Any) -> Any:
    """Plain data → round-trip nodes in block style; multi-line text as a literal block."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, CommentedMap | CommentedSeq):
        return value
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = rt_new(v)
        return out
    if isinstance(value, list | tuple):
        seq = CommentedSeq(rt_new(v) for v in value)
        if any(isinstance(v, dict) for v in value):
            seq.fa.set_block_style()
        else:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and "\n" in value.strip("\n"):
        return LiteralScalarString(value.rstrip("\n") + "\n")
    return value


def rt_set(parent: Any, key: str, value: Any, order: Sequence[str] = ()) -> None:
    """Set ``parent[key]`` in place, keeping the comments around it where they belong.

    A new key goes where ``order`` (the record's field order) puts it among the keys
    present; without ``order``, at the end.
    """
    value = rt_new(value)
    keys = list(parent.keys())
    if key in parent:
        rest = _take_after(parent, key)
        parent[key] = value
        _give_after(parent, key, rest)
        return
    position = len(keys)
    if key in order:
        rank = {k: i for i, k in enumerate(order)}
        mine = rank[key]
        position = 0
        for i, k in enumerate(keys):
            if rank.get(k, -1) < mine:
                position = i + 1
    rest = _take_after(parent, keys[position - 1]) if position > 0 else ""
    parent.insert(position, key, value)
    _give_after(parent, key, rest)


def rt_delete(parent: Any, key: str) -> Any:
    """Remove ``parent[key]`` and return its value; the comments after it stay in place."""
    keys = list(parent.keys())
    position = keys.index(key)
    rest = _take_after(parent, key)
    value = parent.pop(key)
    parent.ca.items.pop(key, None)
    if position > 0:
        _give_after(parent, keys[position - 1], rest)
    elif rest:
        parent.yaml_set_start_comment(rest.strip("\n"))
    return value


def rt_append(parent: Any, key: str, item: Any, order: Sequence[str] = ()) -> None:
    """Append ``item`` to the list ``parent[key]`` (created if missing or null)."""
    from ruamel.yaml.comments import CommentedSeq

    item = rt_new(item)
    current = parent.get(key)
    if not isinstance(current, CommentedSeq):
        rt_set(parent, key, [], order)
        current = parent[key]
    if isinstance(item, dict | list) and current.fa.flow_style():
        # [] or [a, b] becomes a block list: the comments after the key follow its new end.
        rest = _take_after(parent, key)
        current.fa.set_block_style()
        current.append(item)
        _give_after(parent, key, rest)
        return
    if _is_block(current):
        rest = _take_after(current, len(current) - 1)
        current.append(item)
        _give_after(current, len(current) - 1, rest)
    else:
        current.append(item)


def atomic_write(path: Path, data: bytes, expect: bytes | None) -> None:
    """Write ``data`` to ``path`` atomically.

    ``expect`` is what the file held when it was read (None: it must not exist);
    if it changed meanwhile, refuse rather than overwrite someone's edit.
    """
    from safeplan.errors import RefusedError

    try:
        current: bytes | None = path.read_bytes()
    except FileNotFoundError:
        current = None
    if current != expect:
        raise RefusedError(
            N_("{path} changed on disk while safeplan was editing it: run the command again"),
            path=str(path),
        )
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_remove(path: Path, expect: bytes) -> None:
    """Remove ``path`` if it still holds ``expect``; refuse if it changed meanwhile."""
    from safeplan.errors import RefusedError

    try:
        current: bytes | None = path.read_bytes()
    except FileNotFoundError:
        current = None
    if current != expect:
        raise RefusedError(
            N_("{path} changed on disk while safeplan was editing it: run the command again"),
            path=str(path),
        )
    path.unlink()
