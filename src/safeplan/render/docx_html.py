"""The HTML report, read: its elements as a tree of ``Node``s (charts kept aside), the
content the Word report is laid out from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

_VOID = {"br", "meta", "img", "hr", "link", "input", "col", "wbr"}
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        """The text, a ``<br>`` as a line break, blanks collapsed as a browser does."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(re.sub(r"[ \t\r\n]+", " ", child))
            elif child.tag == "br":
                parts.append("\n")
            else:
                parts.append(child.text())
        return "".join(parts)

    def find(self, tag: str) -> list[Node]:
        found: list[Node] = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    found.append(child)
                found.extend(child.find(tag))
        return found


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def read_html(html: str) -> tuple[Node, list[str]]:
    """The HTML report as a tree, its SVG charts taken out (``<img data-chart="0">``)."""
    charts: list[str] = []

    def keep(m: re.Match[str]) -> str:
        charts.append(m.group(0))
        return f'<img data-chart="{len(charts) - 1}">'

    reader = _Reader()
    reader.feed(_SVG.sub(keep, html))
    reader.close()
    return reader.root, charts
