"""Golden screens: status on the shipped plan and on a plan with hazards, in both languages.

Rewritten only on purpose: `make goldens` (SAFEPLAN_UPDATE_GOLDENS=1), then read the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app

HERE = Path(__file__).parent
GOLDEN = HERE / "data" / "golden"
README = HERE.parent / "README.md"

CASES = {
    "status-shipped-2026-11-28.zh.txt": ("shipped", ["status", "--as-of", "2026-11-28"]),
    "status-shipped-2026-11-28.en.txt": (
        "shipped",
        ["status", "--as-of", "2026-11-28", "--lang", "en"],
    ),
    "status-hazards-2025-01-01.zh.txt": ("hazards", ["status", "--as-of", "2025-01-01"]),
    "hazard-list-2025-01-01.en.txt": (
        "hazards",
        ["hazard", "list", "--as-of", "2025-01-01", "--lang", "en"],
    ),
}


def _output(runner: CliRunner, root: Path, args: list[str]) -> str:
    result = runner.invoke(app, [*args, "--root", str(root)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(runner: CliRunner, plan_root: Path, name: str) -> None:
    kind, args = CASES[name]
    if kind == "hazards":
        for src in (HERE / "data" / "status" / "hazards").glob("*.yaml"):
            shutil.copy(src, plan_root / "data" / "hazards" / src.name)
    got = _output(runner, plan_root, args)
    path = GOLDEN / name
    if os.environ.get("SAFEPLAN_UPDATE_GOLDENS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_readme_shows_the_real_status_screen() -> None:
    screen = (GOLDEN / "status-shipped-2026-11-28.zh.txt").read_text(encoding="utf-8")
    block = "\n".join(line.rstrip() for line in screen.rstrip().splitlines())
    assert "$ safeplan status --as-of 2026-11-28\n" + block + "\n```" in README.read_text(
        encoding="utf-8"
    )
