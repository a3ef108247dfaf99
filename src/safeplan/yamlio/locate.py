"""Finding the line and column of a key path, for files that have a problem.

The places come from libyaml's event stream, kept as a small tree of marks: composing
PyYAML's node tree costs about five times as much (every scalar's tag is resolved in
Python), and a register of 10,000 hazards has thousands of warnings to place. Both give
the same place for every path (``tests/test_locate.py`` holds them to it on every file
of the test data and a generated plan); what the marks tree does not take (an anchor or
alias, nesting past :data:`MAX_DEPTH`) is composed as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import yaml
from yaml._yaml import CParser as _CParser  # type: ignore[import-not-found,unused-ignore]
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from safeplan.yamlio.syntax import MAX_DEPTH

#: A node of the marks tree: ``(mark, None)`` for a scalar, ``(mark, [(key, key_mark,
#: value)…])`` for a mapping (``key`` None when it is not a scalar), ``(mark, [value…])``
#: for a sequence, where ``mark`` is libyaml's start mark of the node.
_Marks = tuple[Any, Any]


class _Compose(Exception):
    """What the marks tree does not model: the node tree decides."""


class _MapItems(list[Any]):
    """A mapping's entries in the marks tree (a list subclass, to tell it from a sequence)."""


def _marks(text: str) -> _Marks | None:
    """The document's marks tree; None where composing fails (an error, no or two documents)."""
    parser = _CParser(text)
    try:
        get: Callable[[], Any] = parser.get_event
        get()  # stream start
        if type(get()) is not DocumentStartEvent:
            return None  # an empty stream: compose gives no node
        holder: list[Any] = []
        top: Any = holder
        is_map = False
        key: Any = None  # the open mapping's key: (value, mark) once read
        stack: list[tuple[Any, bool, Any]] = []
        while True:
            event = get()
            kind = type(event)
            if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None:
                    raise _Compose
                if kind is ScalarEvent:
                    if is_map and key is None:
                        key = (event.value, event.start_mark)
                        continue
                    node: _Marks = (event.start_mark, None)
                    children = None
                else:
                    if len(stack) >= MAX_DEPTH:
                        raise _Compose
                    children = _MapItems() if kind is MappingStartEvent else []
                    node = (event.start_mark, children)
                if not is_map:
                    top.append(node)
                elif key is None:  # a mapping or sequence as a key: it names no field
                    # its value comes after its end: kept as the value of no name
                    stack.append((top, is_map, (None, event.start_mark)))
                    top, is_map, key = children, kind is MappingStartEvent, None
                    continue
                else:
                    top.append((key[0], key[1], node))
                    key = None
                if children is not None:
                    stack.append((top, is_map, key))
                    top, is_map, key = children, kind is MappingStartEvent, None
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                top, is_map, key = stack.pop()
            elif kind is AliasEvent:
                raise _Compose
            else:  # the document's end
                break
        # compose refuses a second document, and any error up to the stream's end
        if type(get()) is not yaml.StreamEndEvent:
            return None
        return holder[0] if holder else None
    finally:
        parser.dispose()


def _skip(get: Callable[[], Any], event: Any) -> None:
    """Read past the rest of the node ``event`` starts (nothing more for a scalar)."""
    kind = type(event)
    depth = 1 if kind is MappingStartEvent or kind is SequenceStartEvent else 0
    while depth:
        kind = type(get())
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            depth += 1
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            depth -= 1


def _streamed(text: str, path: Sequence[str | int], at_key: bool) -> tuple[int, int]:
    """Where ``path`` is in a text known to load, read from libyaml only as far as needed.

    Only for a text ``load_fast`` took (one document, no anchor, alias or error anywhere):
    then what follows the path cannot change the answer, as it can for ``compose``."""
    parser = _CParser(text)
    try:
        get: Callable[[], Any] = parser.get_event
        get()  # stream start
        if type(get()) is not DocumentStartEvent:
            return (1, 1)
        event = get()  # the root node
        anchor = event.start_mark
        for part in path:
            kind = type(event)
            if kind is MappingStartEvent:
                name = str(part)
                while True:
                    key = get()
                    if type(key) is MappingEndEvent:
                        break
                    _skip(get, key)
                    value = get()
                    if type(key) is ScalarEvent and key.value == name:
                        break
                    _skip(get, value)
                if type(key) is MappingEndEvent:
                    break
                event = value
                anchor = key.start_mark if at_key else value.start_mark
            elif kind is SequenceStartEvent and isinstance(part, int):
                if part < 0:
                    break
                event = get()
                for _ in range(part):
                    if type(event) is SequenceEndEvent:
                        break
                    _skip(get, event)
                    event = get()
                if type(event) is SequenceEndEvent:
                    break
                anchor = event.start_mark
            else:
                break
        return (anchor.line + 1, anchor.column + 1)
    finally:
        parser.dispose()


def _composed(text: str) -> Node | None:
    try:
        return yaml.compose(text, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None


def composed_find(
    root: Node | None, path: Sequence[str | int], at_key: bool = False
) -> tuple[int, int]:
    """Where ``path`` is in a composed node tree (the reference the marks tree matches)."""
    node = root
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


class Locator:
    """Finds the line and column of a key path in one file's text.

    The marks are read (libyaml) on first use only: files without problems never pay
    for it. With ``loaded`` (the text is known to load: ``load_fast`` took it), the first
    place is read only as far as its path goes; the tree is built for a second.
    """

    def __init__(self, text: str, loaded: bool = False) -> None:
        self._text = text
        self._stream = loaded
        self._root: _Marks | None = None
        self._node: Node | None = None
        self._read = False
        self._compose = False

    def _tree(self) -> _Marks | None:
        if not self._read:
            self._read = True
            try:
                self._root = _marks(self._text)
            except _Compose:
                self._compose = True
                self._node = _composed(self._text)
            except (yaml.YAMLError, RecursionError):
                self._root = None
        return self._root

    def find(self, path: Sequence[str | int], at_key: bool = False) -> tuple[int, int]:
        """Where ``path`` is: its value, or its key with ``at_key``.

        A path that goes further than the file (a missing key) ends at the deepest
        node that exists, which is where the missing key belongs.
        """
        if self._stream:
            self._stream = False
            return _streamed(self._text, path, at_key)
        node = self._tree()
        if self._compose:
            return composed_find(self._node, path, at_key)
        if node is None:
            return (1, 1)
        anchor = node[0]
        for part in path:
            children = node[1]
            if type(children) is _MapItems:
                name = str(part)
                for key, key_mark, value in children:
                    if key == name:
                        node = value
                        anchor = key_mark if at_key else value[0]
                        break
                else:
                    break
            elif children is not None and isinstance(part, int):
                if not 0 <= part < len(children):
                    break
                node = children[part]
                anchor = node[0]
            else:
                break
        return (anchor.line + 1, anchor.column + 1)
