"""The view layer: one computation of each hazard's status, listings made row by row,
and --json as the model's own dump."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.repo import load
from safeplan.status import hazards as hazard_states
from safeplan.views.hazards import hazard_list
from safeplan.views.overview import overview

HERE = Path(__file__).parent


@pytest.fixture
def with_hazards(plan_root: Path) -> Path:
    for src in (HERE / "data" / "status" / "hazards").glob("*.yaml"):
        shutil.copy(src, plan_root / "data" / "hazards" / src.name)
    return plan_root


def _count_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = hazard_states.hazard_status

    def counting(h, day):  # type: ignore[no-untyped-def]
        calls.append(f"{h.id}@{day}")
        return real(h, day)

    monkeypatch.setattr(hazard_states, "hazard_status", counting)
    return calls


def test_the_overview_computes_each_hazards_status_once_per_day(
    with_hazards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = load(with_hazards)
    calls = _count_calls(monkeypatch)
    day = dt.date(2024, 11, 1)
    overview(repo, day)  # before every goal's due date: one day only
    assert sorted(calls) == sorted(set(calls))
    assert len(calls) == sum(1 for h in repo.hazards if h.discovered_on <= day) == 2
    calls.clear()
    overview(repo, dt.date(2026, 11, 28))  # goals due earlier are judged on their own day
    assert sorted(calls) == sorted(set(calls))


def test_a_listing_is_made_row_by_row_and_can_be_walked_again(with_hazards: Path) -> None:
    repo = load(with_hazards)
    view = hazard_list(repo, dt.date(2025, 1, 1))
    assert view.count == 3
    first = [row.id for row in view.rows()]
    assert first == [row.id for row in view.rows()] == sorted(first)
    overdue = hazard_list(repo, dt.date(2025, 1, 1), overdue=True)
    assert [r.id for r in overdue.rows()] == ["HZ-20230910-K8WE", "HZ-20241102-Q3TF"]


def test_json_is_the_dump_of_the_view(runner: CliRunner, with_hazards: Path) -> None:
    repo = load(with_hazards)
    day = dt.date(2025, 1, 1)
    result = runner.invoke(
        app, ["status", "--json", "--as-of", day.isoformat(), "--root", str(with_hazards)]
    )
    assert json.loads(result.stdout) == overview(repo, day).model_dump(mode="json")
    listed = runner.invoke(
        app, ["hazard", "list", "--json", "--as-of", day.isoformat(), "--root", str(with_hazards)]
    )
    doc = json.loads(listed.stdout)  # streamed, yet one well-formed document
    view = hazard_list(repo, day)
    assert doc == {
        **view.model_dump(mode="json"),
        "hazards": [r.model_dump(mode="json") for r in view.rows()],
    }
    empty = runner.invoke(
        app,
        ["hazard", "list", "--json", "--state", "withdrawn", "--root", str(with_hazards)],
    )
    assert json.loads(empty.stdout)["hazards"] == []
