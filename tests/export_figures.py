"""What the export tests share: a plan rich in history, and the status figures read from
the export's views, shaped as ``status --json`` shapes them."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
#: Three days of the fixture's life: early on, after the stock deadline, late in 2026.
DAYS = ("2024-06-30", "2025-03-31", "2026-11-30")


def rich_plan(dest: Path) -> Path:
    """The report fixture's plan (tasks done late, hazards in every state, extensions,
    supervisions, withdrawals) and the history fixture's hazard (reopened, re-planned)."""
    shutil.copytree(DATA / "report" / "plan", dest / "plan")
    shutil.copytree(DATA / "report" / "data", dest / "data")
    for src in (DATA / "history").glob("*.yaml"):
        shutil.copy(src, dest / "data" / "hazards" / src.name)
    return dest


Query = Callable[[str], Iterable[tuple[Any, ...]]]

_COUNT_COLUMNS = (
    "open",
    "failed",
    "rectified",
    "accepted",
    "closed",
    "overdue",
    "invalid",
    "withdrawn",
)
_RATE_COLUMNS = (
    "found",
    "rectified",
    "closed",
    "rectification_rate",
    "closure_rate",
    "major_found",
    "major_rectified",
    "major_rectification_rate",
)


def figures_from_views(query: Query, town: str) -> dict[str, Any]:
    """The views' figures of one town (the day is the database's), as status --json has them."""
    where = f"WHERE town = '{town}'"
    tasks = {state: int(n) for state, n in query(f"SELECT state, n FROM task_counts {where}")}
    counts = {
        row[0]: {c: int(v) for c, v in zip(_COUNT_COLUMNS, row[1:], strict=True)}
        for row in query(f"SELECT level, {', '.join(_COUNT_COLUMNS)} FROM hazard_counts {where}")
    }
    found = list(query(f"SELECT {', '.join(_RATE_COLUMNS)} FROM hazard_rates {where}"))
    rates = dict(zip(_RATE_COLUMNS, found[0], strict=True)) if found else {}
    return {
        "tasks": tasks,
        "counts": counts,
        "rates": {k: _number(v) for k, v in rates.items()},
        "overdue": sorted(r[0] for r in query(f"SELECT id FROM hazard_status {where} AND overdue")),
        "plan_missing": sorted(
            r[0] for r in query(f"SELECT id FROM hazard_status {where} AND plan_missing")
        ),
    }


def figures_from_status(doc: dict[str, Any]) -> dict[str, Any]:
    """The same figures from ``status --json`` (states no task is in left out)."""
    hz = doc["hazards"]
    return {
        "tasks": {s: n for s, n in doc["tasks"]["counts"].items() if n},
        "counts": hz["counts"],
        "rates": {k: _number(v) for k, v in hz["rates"].items()},
        "overdue": sorted(hz["overdue"]),
        "plan_missing": sorted(hz["plan_missing"]),
    }


def _number(value: Any) -> float | None:
    """A count or a rate as a float with one decimal: a Decimal, a string, a float alike."""
    return None if value is None else round(float(value), 1)
