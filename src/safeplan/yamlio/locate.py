"""Finding the line and column of a key path, for files that have a problem."""

from __future__ import annotations

from collections.abc import Sequence

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


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
            except (yaml.YAMLError, RecursionError):
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
