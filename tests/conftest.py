"""Shared fixtures: a copy of the shipped plan in a temporary folder, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see no SAFEPLAN_* settings, no GitHub Actions and no colour settings of the caller."""
    for name in (
        "SAFEPLAN_ROOT",
        "SAFEPLAN_LANG",
        "SAFEPLAN_AS_OF",
        "SAFEPLAN_DEBUG",
        "GITHUB_ACTIONS",
        "NO_COLOR",
        "FORCE_COLOR",
        "COLUMNS",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def plan_root(tmp_path: Path) -> Path:
    """A writable copy of the shipped plan (plan/ and data/)."""
    root = tmp_path / "plan-root"
    root.mkdir()
    shutil.copytree(REPO / "plan", root / "plan")
    shutil.copytree(REPO / "data", root / "data")
    return root


@pytest.fixture
def runner() -> Iterator[CliRunner]:
    yield CliRunner()
