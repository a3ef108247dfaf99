"""The core returns values: it never prints, prompts, exits, reads the clock or the environment.

import-linter (in `make lint`) keeps typer and rich out of the core; this test keeps out the
calls that import rules cannot see.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "src" / "safeplan"
#: The core: everything but the CLI package and the entry point (renderers return values too).
CORE = sorted(
    p
    for p in PKG.rglob("*.py")
    if "cli" not in p.relative_to(PKG).parts and p.name != "__main__.py"
)

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


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.relative_to(PKG).as_posix())
def test_core_module_has_no_clock_io_or_exit(path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8")) == []


def test_the_core_is_what_we_think_it_is() -> None:
    packages = {p.relative_to(PKG).parts[0] for p in CORE}
    assert {"status", "repo", "edit", "yamlio", "rules", "models", "views", "render"} <= packages
    assert not any("cli" in p.parts for p in CORE)


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
