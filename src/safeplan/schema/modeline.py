"""The ``# yaml-language-server: $schema=…`` line that opens a hazard file written by safeplan.

yaml-language-server (VS Code's YAML extension, and other editors) reads it and checks
the file against the schema while it is typed. The path is relative to the file, so it
works in every clone of the plan repository (``safeplan schema`` writes ``schemas/``).
"""

from __future__ import annotations

import functools
import posixpath

#: Where ``safeplan schema`` writes the schemas, from the plan root.
SCHEMA_DIR = "schemas"
#: The schema of each kind of file, by its name in ``SCHEMA_DIR``.
SCHEMA_FILES = {
    "plan": "plan.schema.json",
    "units": "units.schema.json",
    "tasks": "tasks.schema.json",
    "hazard": "hazard.schema.json",
    "enterprise": "enterprise.schema.json",
}


def schema_path(kind: str) -> str:
    """The schema of a kind of file, from the plan root (``schemas/hazard.schema.json``)."""
    return f"{SCHEMA_DIR}/{SCHEMA_FILES[kind]}"


def modeline(rel: str, kind: str = "hazard") -> str:
    """The first line for the file at ``rel`` (from the plan root), ending in a newline."""
    return _line(posixpath.dirname(rel) or ".", kind)


@functools.lru_cache(maxsize=64)
def _line(folder: str, kind: str) -> str:
    """One line per folder and kind (an import writes thousands of files into one folder;
    ``relpath`` asks for the working folder each time)."""
    target = posixpath.relpath(schema_path(kind), folder)
    return f"# yaml-language-server: $schema={target}\n"
