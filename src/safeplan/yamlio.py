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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from safeplan.problems import N_

#: Files larger than this are refused without being read whole. A hazard record is
#: a few KiB; the shipped tasks.yaml is about 10 KiB.
MAX_FILE_BYTES = 1024 * 1024
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


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a file as UTF-8 text (a BOM is accepted), refusing huge or non-UTF-8 files."""
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
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
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
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


def _construct_map(loader: SafeConstructor, node: MappingNode) -> Iterator[dict[Any, Any]]:
    data: dict[Any, Any] = {}
    yield data
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _located(
                key_node, "merge-key", N_("merge keys (<<) are not allowed: write the keys out")
            )
        key = loader.construct_object(key_node, deep=False)  # type: ignore[no-untyped-call]
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise _located(key_node, "bad-key", N_("a key must be plain text"))
        if key in data:
            raise _located(
                key_node,
                "duplicate-key",
                N_("duplicate key '{key}': each key may appear once in a mapping; remove one"),
                key=key,
            )
        data[key] = loader.construct_object(value_node, deep=False)  # type: ignore[no-untyped-call]


def _construct_int(loader: SafeConstructor, node: ScalarNode) -> int:
    try:
        return loader.construct_yaml_int(node)  # type: ignore[no-untyped-call,no-any-return]
    except ValueError:
        raise _located(
            node, "bad-number", N_("number is too large: write it as text in quotes")
        ) from None


def _refuse_tag(loader: SafeConstructor, node: Node) -> Any:
    raise _located(
        node,
        "yaml-tag",
        N_("YAML tag {tag} is not allowed: remove it and write a plain value"),
        tag=node.tag,
    )


_FastLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_FastLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
for _tag in ("timestamp", "binary", "set", "omap", "pairs"):
    _FastLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)
_FastLoader.add_constructor(None, _refuse_tag)


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
                    mark.line + 1,
                    mark.column + 1,
                    "anchor",
                    N_(
                        "anchors and aliases (&{name}, *{name}) are not allowed: "
                        "write each value out in full"
                    ),
                    {"name": anchor},
                )
    except yaml.MarkedYAMLError:
        return  # the load reports it, with its location


def load_fast(text: str) -> Any:
    """Parse one YAML document into plain Python data (dates stay strings).

    Raises YamlProblem with a location for anything that is not plain, safe data.
    """
    _check_depth(text)
    _check_anchors(text)
    loader = _FastLoader(text)
    try:
        return loader.get_single_data()
    except _Located as exc:
        raise exc.problem from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc, text) from None
    except RecursionError:
        raise YamlProblem(
            1, 1, "too-deep", N_("nesting is too deep: flatten the data"), {}
        ) from None
    finally:
        loader.dispose()


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
        return YamlProblem(
            line,
            column,
            "anchor",
            N_(
                "anchors and aliases (&{name}, *{name}) are not allowed: write each value out in full"
            ),
            {"name": "…"},
        )
    hint: str = N_("check the indentation and quoting on this line or the one above")
    if "mapping values are not allowed" in problem:
        hint = N_("a value that contains ': ' must be put in quotes")
    return YamlProblem(
        line,
        column,
        "yaml-syntax",
        N_("invalid YAML ({problem}): {hint}"),
        {"problem": problem, "hint": hint},
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


def _rt_yaml() -> Any:
    """A fresh round-trip YAML instance: a reused one grows with every load."""
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.allow_unicode = True
    return y


@dataclass
class RoundTrip:
    """A file loaded for editing, with what is needed to write it back as it was."""

    path: Path
    original: bytes
    data: Any
    newline: str
    bom: bool

    def dump(self) -> bytes:
        y = _rt_yaml()
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
    y = _rt_yaml()
    data = y.load(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    return RoundTrip(path, original, data, newline, original.startswith(_BOM))


def rt_dump_new(data: Any) -> bytes:
    """Dump a new record (built from ruamel's CommentedMap or plain dicts)."""
    y = _rt_yaml()
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue().encode("utf-8")


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
