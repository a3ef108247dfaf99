"""Golden screens: status and hazard list, on the shipped plan, on a plan with hazards, and
on one with a hazard in every state, at 60, 80 and 100 columns, in both languages.

Rewritten only on purpose: `make goldens` (SAFEPLAN_UPDATE_GOLDENS=1), or for these alone
`SAFEPLAN_UPDATE_GOLDENS=1 .venv/bin/pytest tests/test_goldens.py`; then read the diff.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app

HERE = Path(__file__).parent
GOLDEN = HERE / "data" / "golden"
README = HERE.parent / "README.md"
#: Hazard files each kind of plan adds to the shipped one.
FIXTURES = {
    "shipped": [],
    "hazards": [HERE / "data" / "status" / "hazards"],
    "states": [HERE / "data" / "status" / "hazards", GOLDEN / "states"],
}

#: file name: (plan, COLUMNS, command line)
CASES = {
    "status-shipped-2026-11-28.zh.txt": ("shipped", 80, ["status", "--as-of", "2026-11-28"]),
    "status-shipped-2026-11-28.en.txt": (
        "shipped",
        80,
        ["status", "--as-of", "2026-11-28", "--lang", "en"],
    ),
    "status-hazards-2025-01-01.zh.txt": ("hazards", 80, ["status", "--as-of", "2025-01-01"]),
    "status-hazards-2025-01-01.60.zh.txt": ("hazards", 60, ["status", "--as-of", "2025-01-01"]),
    "hazard-list-2025-01-01.en.txt": (
        "hazards",
        80,
        ["hazard", "list", "--as-of", "2025-01-01", "--lang", "en"],
    ),
    "hazard-list-2025-01-01.60.zh.txt": (
        "hazards",
        60,
        ["hazard", "list", "--as-of", "2025-01-01", "--lang", "zh"],
    ),
    "status-states-2024-12-01.60.zh.txt": ("states", 60, ["status", "--as-of", "2024-12-01"]),
    "hazard-list-states-2024-12-01.60.zh.txt": (
        "states",
        60,
        ["hazard", "list", "--as-of", "2024-12-01"],
    ),
    "hazard-list-states-2024-12-01.100.zh.txt": (
        "states",
        100,
        ["hazard", "list", "--as-of", "2024-12-01"],
    ),
    "hazard-list-states-2024-12-01.80.en.txt": (
        "states",
        80,
        ["hazard", "list", "--as-of", "2024-12-01", "--lang", "en"],
    ),
}


def _output(runner: CliRunner, root: Path, args: list[str], columns: int) -> str:
    result = runner.invoke(app, [*args, "--root", str(root)], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(
    runner: CliRunner, plan_root: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    kind, columns, args = CASES[name]
    for folder in FIXTURES[kind]:
        for src in folder.glob("*.yaml"):
            shutil.copy(src, plan_root / "data" / "hazards" / src.name)
    if kind == "states":  # a major hazard found days before may still lack its 五落实
        from safeplan.cli import session

        monkeypatch.setattr(session, "utc_now", lambda: dt.datetime(2024, 12, 1, 4, tzinfo=dt.UTC))
    got = _output(runner, plan_root, args, columns)
    path = GOLDEN / name
    if os.environ.get("SAFEPLAN_UPDATE_GOLDENS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")
    assert all(line == line.rstrip() for line in got.splitlines())  # no trailing blanks


def test_readme_shows_the_real_status_screen() -> None:
    screen = (GOLDEN / "status-shipped-2026-11-28.zh.txt").read_text(encoding="utf-8")
    block = "\n".join(line.rstrip() for line in screen.rstrip().splitlines())
    assert "$ safeplan status --as-of 2026-11-28\n" + block + "\n```" in README.read_text(
        encoding="utf-8"
    )
