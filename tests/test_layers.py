"""The core returns values: it never prints, prompts, exits, reads the clock or the environment.

import-linter (in `make lint`) keeps typer and rich out of the core; this test keeps the
calls out that import rules cannot see.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "src" / "safeplan"
CORE = sorted(p for p in PKG.glob("*.py") if p.name not in {"__main__.py", "console.py"})
FORBIDDEN_CALLS = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("time", "time"),
    ("sys", "exit"),
    ("os", "getenv"),
}
FORBIDDEN_NAMES = {"print", "input", "exit", "quit"}


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.name)
def test_core_module_has_no_clock_io_or_exit(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_NAMES:
                found.append(f"{func.id}() at line {node.lineno}")
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and (func.value.id, func.attr) in FORBIDDEN_CALLS
            ):
                found.append(f"{func.value.id}.{func.attr}() at line {node.lineno}")
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) == ("os", "environ")
        ):
            found.append(f"os.environ at line {node.lineno}")
    assert found == []


def test_the_layer_test_would_catch_a_clock_read(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import datetime\nx = datetime.date.today()\nprint(x)\n")
    tree = ast.parse(bad.read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert any(isinstance(c.func, ast.Name) and c.func.id == "print" for c in calls)
    assert any(isinstance(c.func, ast.Attribute) and c.func.attr == "today" for c in calls)
