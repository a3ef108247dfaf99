"""Hidden temporary files a kill left (issue 18, item 16): ``validate`` names each, wherever
an edit writes; the next edit or ``recover`` removes them all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app

VALID = Path(__file__).parent / "data" / "valid-minimal"
LEFT = (
    "data/hazards/.HZ-20240315-A7K2.yaml.x1y2z3.tmp",
    "data/.tasks.yaml.k9w8e7.tmp",
    "plan/.plan.yaml.abcdef.tmp",
    ".safeplan-journal.json.qwerty.tmp",
)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    root = tmp_path / "plan"
    shutil.copytree(VALID, root)
    for rel in LEFT:
        (root / rel).write_bytes(b"half")
    return root


def _run(runner: CliRunner, plan: Path, *args: str) -> object:
    return runner.invoke(app, [*args, "--root", str(plan), "--lang", "en"])


def test_validate_names_every_leftover(runner: CliRunner, plan: Path) -> None:
    result = _run(runner, plan, "validate")
    for rel in LEFT:
        assert f"{rel}:1:1: warning: a temporary file left by an interrupted write" in (
            result.stdout  # type: ignore[attr-defined]
        )


def test_the_next_edit_removes_them(runner: CliRunner, plan: Path) -> None:
    result = _run(runner, plan, "hazard", "note", "HZ-20240902-B3M9", "复查", "--on", "2024-10-01")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert not [rel for rel in LEFT if (plan / rel).exists()]
    assert "temporary" not in _run(runner, plan, "validate").stdout  # type: ignore[attr-defined]


def test_recover_removes_them_and_says_so(runner: CliRunner, plan: Path) -> None:
    result = _run(runner, plan, "recover")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "left by an interrupted write" in result.output  # type: ignore[attr-defined]
    assert not [rel for rel in LEFT if (plan / rel).exists()]
    again = _run(runner, plan, "recover")
    assert again.exit_code == 1  # type: ignore[attr-defined]
    assert "nothing to do" in again.output  # type: ignore[attr-defined]


def test_a_file_that_only_looks_like_one_is_kept(runner: CliRunner, plan: Path) -> None:
    mine = plan / "data" / "notes.tmp"
    mine.write_bytes(b"mine")
    _run(runner, plan, "recover")
    assert mine.read_bytes() == b"mine"
