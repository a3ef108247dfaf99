"""No two modules of safeplan import each other, counting imports inside functions.

import-linter's layers keep packages in order, but an import inside a function (how
safeplan keeps ``--help`` fast) can close a loop within a package that no contract
sees: two modules that need each other are one concept in two homes. This test reads
every module with ``ast`` and fails on any cycle between modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "src" / "safeplan"


def modules(pkg: Path) -> dict[str, ast.Module]:
    """Every module of the package by its dotted name (a package by its own name)."""
    out = {}
    for path in sorted(pkg.rglob("*.py")):
        parts = path.relative_to(pkg.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = ast.parse(path.read_text(encoding="utf-8"))
    return out


def imports(name: str, tree: ast.Module, known: set[str], is_package: bool) -> set[str]:
    """The modules of ``known`` that ``name`` imports, anywhere in it (functions too).

    ``from a import b`` imports ``a`` and, when ``b`` is a module, ``a.b``; a relative
    import is resolved against the module's package."""
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            targets = [module, *(f"{module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(frozenset(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def import_graph(pkg: Path) -> dict[str, set[str]]:
    mods = modules(pkg)
    known = set(mods)
    packages = {".".join(p.relative_to(pkg.parent).parent.parts) for p in pkg.rglob("__init__.py")}
    return {n: imports(n, tree, known, n in packages) for n, tree in mods.items()}


def test_no_module_imports_itself_through_others() -> None:
    found = cycles(import_graph(PKG))
    assert [sorted(c) for c in found] == [], (
        "import cycles: move what both modules need into a module below them"
    )


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    pkg = tmp_path / "demo"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "a.py").write_text("from demo.sub import b\n", encoding="utf-8")
    (pkg / "sub" / "b.py").write_text("def f():\n    from ..a import x\n", encoding="utf-8")
    (pkg / "c.py").write_text("import demo.a\n", encoding="utf-8")
    assert cycles(import_graph(pkg)) == [frozenset({"demo.a", "demo.sub.b"})]
