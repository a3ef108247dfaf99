"""The located problem every YAML reading step raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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


def position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in characters) of an index into ``text``."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column
