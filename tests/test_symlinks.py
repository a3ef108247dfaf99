"""Symbolic links follow one rule for reads and writes (issue 18, item 14): a hazard file or
the ``data/hazards`` folder that leads outside the plan root is reported by ``validate``,
not read by ``hazard show`` and not written through by any edit (``repo.layout.confine``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app

VALID = Path(__file__).parent / "data" / "valid-minimal"
HAZARD = "HZ-20240315-A7K2"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    root = tmp_path / "plan"
    shutil.copytree(VALID, root)
    return root


def _outside_folder(plan: Path, tmp_path: Path) -> Path:
    """data/hazards moved out of the plan, and a link to it left in its place."""
    outside = tmp_path / "elsewhere"
    shutil.move(str(plan / "data" / "hazards"), outside)
    (plan / "data" / "hazards").symlink_to(outside, target_is_directory=True)
    return outside


def _outside_file(plan: Path, tmp_path: Path) -> Path:
    """One hazard file moved out of the plan, and a link to it left in its place."""
    outside = tmp_path / "secret.yaml"
    shutil.move(str(plan / "data" / "hazards" / f"{HAZARD}.yaml"), outside)
    (plan / "data" / "hazards" / f"{HAZARD}.yaml").symlink_to(outside)
    return outside


def _run(runner: CliRunner, plan: Path, *args: str) -> object:
    return runner.invoke(app, [*args, "--root", str(plan), "--lang", "en"])


@pytest.mark.parametrize("make", [_outside_folder, _outside_file])
def test_validate_show_and_edits_all_refuse_a_link_out_of_the_plan(
    runner: CliRunner, plan: Path, tmp_path: Path, make: object
) -> None:
    outside = make(plan, tmp_path)  # type: ignore[operator]
    files = sorted(outside.rglob("*")) if outside.is_dir() else [outside]
    before = {f: f.read_bytes() for f in files}

    checked = _run(runner, plan, "validate")
    assert checked.exit_code == 1  # type: ignore[attr-defined]
    assert "outside the plan root" in checked.stdout  # type: ignore[attr-defined]

    shown = _run(runner, plan, "hazard", "show", HAZARD)
    assert shown.exit_code != 0, shown.output  # type: ignore[attr-defined]
    assert "outside the plan root" in shown.output  # type: ignore[attr-defined]
    assert "井下主排水泵房" not in shown.output  # type: ignore[attr-defined]

    noted = _run(runner, plan, "hazard", "note", HAZARD, "查看", "--on", "2024-04-01")
    assert noted.exit_code != 0, noted.output  # type: ignore[attr-defined]
    assert "outside the plan root" in noted.output  # type: ignore[attr-defined]
    assert {f: f.read_bytes() for f in files} == before
    assert "Traceback" not in noted.output  # type: ignore[attr-defined]


def test_a_new_hazard_is_not_written_through_a_linked_folder(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    outside = _outside_folder(plan, tmp_path)
    names = sorted(p.name for p in outside.iterdir())
    result = _run(
        runner,
        plan,
        *("hazard", "new", "--title", "配电箱门损坏", "--level", "general"),
        *(
            "--discovered",
            "2024-05-01",
            "--deadline",
            "2024-06-30",
            "--source",
            "inspection",
            "--unit",
            "镇安监站",
        ),
    )
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    assert "outside the plan root" in result.output  # type: ignore[attr-defined]
    assert sorted(p.name for p in outside.iterdir()) == names


def test_a_link_inside_the_plan_is_still_read(runner: CliRunner, plan: Path) -> None:
    inside = plan / "archive"
    shutil.move(str(plan / "data" / "hazards"), inside)
    (plan / "data" / "hazards").symlink_to(inside, target_is_directory=True)
    assert _run(runner, plan, "validate").exit_code == 0  # type: ignore[attr-defined]
    shown = _run(runner, plan, "hazard", "show", HAZARD)
    assert shown.exit_code == 0, shown.output  # type: ignore[attr-defined]


def test_a_plan_file_linked_out_of_the_plan_is_neither_read_nor_edited(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "tasks.yaml"
    shutil.move(str(plan / "data" / "tasks.yaml"), outside)
    (plan / "data" / "tasks.yaml").symlink_to(outside)
    before = outside.read_bytes()
    checked = _run(runner, plan, "validate")
    assert checked.exit_code == 1  # type: ignore[attr-defined]
    assert "data/tasks.yaml:1:1: symbolic link to" in checked.stdout  # type: ignore[attr-defined]
    noted = _run(runner, plan, "task", "progress", "1", "推进中", "--on", "2024-05-01")
    assert noted.exit_code != 0  # type: ignore[attr-defined]
    assert outside.read_bytes() == before
