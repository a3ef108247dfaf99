"""The core returns values: it never prints, prompts, exits, reads the clock or the environment.

import-linter (in `make lint`) keeps typer and rich out of the core; this test keeps out the
calls that import rules cannot see.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "src" / "safeplan"
#: The core: everything but the CLI package, the console layer and the entry point.
CORE = sorted(p for p in PKG.glob("*.py") if p.name not in {"__main__.py", "console.py"})

#: Calls, by the last parts of their dotted name (``dt.date.today()`` ends in date.today).
FORBIDDEN_CALLS = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("time", "time"),
    ("time", "localtime"),
    ("sys", "exit"),
    ("os", "getenv"),
    ("stdout", "write"),
    ("stderr", "write"),
}
FORBIDDEN_NAMES = {"print", "input", "exit", "quit", "breakpoint"}
#: Names that must not be imported with ``from … import``.
FORBIDDEN_IMPORTS = {
    ("os", "environ"),
    ("os", "getenv"),
    ("sys", "exit"),
    ("sys", "stdout"),
    ("sys", "stderr"),
    ("time", "time"),
}


def _dotted(node: ast.expr) -> list[str]:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return parts[::-1]


def violations(source: str) -> list[str]:
    """What in ``source`` prints, prompts, exits, or reads the clock or the environment."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            if len(name) == 1 and name[0] in FORBIDDEN_NAMES:
                found.append(f"{name[0]}() at line {node.lineno}")
            if len(name) >= 2 and tuple(name[-2:]) in FORBIDDEN_CALLS:
                found.append(f"{'.'.join(name)}() at line {node.lineno}")
        if isinstance(node, ast.Attribute) and _dotted(node)[-2:] == ["os", "environ"]:
            found.append(f"os.environ at line {node.lineno}")
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if (node.module, alias.name) in FORBIDDEN_IMPORTS:
                    found.append(f"from {node.module} import {alias.name} at line {node.lineno}")
    return found


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.name)
def test_core_module_has_no_clock_io_or_exit(path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8")) == []


def test_the_core_is_what_we_think_it_is() -> None:
    names = {p.name for p in CORE}
    assert {"status.py", "store.py", "edit.py", "yamlio.py", "checks.py", "models.py"} <= names


@pytest.mark.parametrize(
    "source",
    [
        "import datetime as dt\nx = dt.date.today()\n",
        "import datetime\nx = datetime.datetime.now()\n",
        "from datetime import date\nx = date.today()\n",
        "import os\nx = os.environ['HOME']\n",
        "from os import environ\n",
        "import sys\nsys.stdout.write('x')\n",
        "import sys\nsys.exit(1)\n",
        "print('x')\n",
        "x = input()\n",
    ],
)
def test_the_checker_catches(source: str) -> None:
    assert violations(source) != []


def test_the_checker_leaves_ordinary_code_alone() -> None:
    assert violations("import datetime as dt\nx = dt.date(2024, 1, 1)\ny = x.isoformat()\n") == []
