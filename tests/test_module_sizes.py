"""Issue #17's limits, held: no module of safeplan over 600 lines, no function over 80.

A module that grows past the limit is two concepts in one home; a function past it, several
steps that want names. Counted as the issue counts them: a module's lines as ``wc -l``, a
function from its ``def`` (decorators excluded) to its last line.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "src" / "safeplan"
MODULE_LINES = 600
FUNCTION_LINES = 80


def too_long(pkg: Path) -> tuple[list[str], list[str]]:
    """The modules and the functions of ``pkg`` past the limits, as ``path (lines)``."""
    modules: list[str] = []
    functions: list[str] = []
    for path in sorted(pkg.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(pkg.parent).as_posix()
        lines = text.count("\n")
        if lines > MODULE_LINES:
            modules.append(f"{rel} ({lines})")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                span = (node.end_lineno or node.lineno) - node.lineno + 1
                if span > FUNCTION_LINES:
                    functions.append(f"{rel}:{node.lineno} {node.name} ({span})")
    return modules, functions


def test_no_module_over_600_lines_and_no_function_over_80() -> None:
    modules, functions = too_long(PKG)
    assert modules == [], "split these modules by concept"
    assert functions == [], "cut these functions into named steps"


def test_the_limits_are_found(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "big.py").write_text("x = 1\n" * 601, encoding="utf-8")
    body = "".join(f"    y{i} = {i}\n" for i in range(80))
    (pkg / "long.py").write_text(f"def f():\n{body}\n\ndef g():\n    pass\n", encoding="utf-8")
    modules, functions = too_long(pkg)
    assert modules == ["pkg/big.py (601)"]
    assert functions == ["pkg/long.py:1 f (81)"]
