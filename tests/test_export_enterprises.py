"""Schema version 2: the enterprises, their dated facts, the plan's duties and each
enterprise's duty states of the export's day, against ``enterprise list --json`` and
``enterprise duties --json`` for the enterprise fixture (tests/conftest.py)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import enterprise_plan
from safeplan.cli import app
from safeplan.export import TownSource
from safeplan.export.rows import enterprise_events
from safeplan.repo import load

CODE = "150425100000"
DATES = ("2025-06-30", "2025-10-15", "2025-12-31")


@pytest.fixture
def ent_root(tmp_path: Path) -> Path:
    return enterprise_plan(tmp_path / "plan-root")


def _json(runner: CliRunner, root: Path, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--root", str(root), "--json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("day", DATES)
def test_the_exported_duty_states_are_those_of_enterprise_list_and_duties(
    runner: CliRunner, ent_root: Path, tmp_path: Path, day: str
) -> None:
    out = tmp_path / "town.db"
    result = runner.invoke(
        app,
        [
            "export",
            "sqlite",
            str(out),
            "--root",
            str(ent_root),
            "--as-of",
            day,
            "--town-code",
            CODE,
        ],
    )
    assert result.exit_code in (0, 1), result.output
    con = sqlite3.connect(out)
    rows = con.execute(
        "SELECT enterprise, duty, state, period, every, last_on, missed, counted, lacking "
        f"FROM enterprise_duties WHERE town = '{CODE}' AND as_of = '{day}' "
        "ORDER BY enterprise, duty"
    ).fetchall()
    listed = _json(runner, ent_root, "enterprise", "list", "--as-of", day)["enterprises"]
    expected = sorted(
        (
            e["id"],
            c["duty"],
            c["state"],
            c["period"],
            c["every"],
            c["last"],
            json.dumps(c["missed"], ensure_ascii=False, separators=(",", ":")),
            c["counted"],
            json.dumps(c["lacking"], ensure_ascii=False, separators=(",", ":")),
        )
        for e in listed
        for c in e["duties"]
    )
    assert rows == expected
    # On each day of the fixture, some duties are done, some due, some overdue.
    assert {r[2] for r in rows} == {"done", "due", "overdue"}
    # The view's counts per duty are enterprise duties --json's figures.
    figures = _json(runner, ent_root, "enterprise", "duties", "--as-of", day)["duties"]
    counts = {
        duty: (total, done, due, overdue)
        for duty, total, done, due, overdue in con.execute(
            "SELECT duty, total, done, due, overdue FROM duty_counts "
            f"WHERE town = '{CODE}' AND as_of = '{day}'"
        )
    }
    assert counts == {
        f["duty"]: (f["total"], f["done"], f["due"], f["overdue"]) for f in figures if f["total"]
    }


def test_enterprises_duties_and_every_dated_fact_are_rows(
    runner: CliRunner, ent_root: Path, tmp_path: Path
) -> None:
    import datetime as dt

    from safeplan.export.sqlite import sqlite_bytes

    repo = load(ent_root)
    assert repo.enterprises and repo.plan is not None and repo.plan.duties
    day = dt.date(2025, 12, 31)
    con = sqlite3.connect(":memory:")
    con.deserialize(sqlite_bytes([TownSource(CODE, "大井镇", None, repo)], day, day))
    ids = [r[0] for r in con.execute("SELECT id FROM enterprises ORDER BY id")]
    assert ids == sorted(e.id for e in repo.enterprises)
    duties = [r[0] for r in con.execute("SELECT id FROM duties ORDER BY id")]
    assert duties == sorted(d.id for d in repo.plan.duties)
    facts = sum(
        len(e.checks) + len(e.drills) + len(e.trainings) + len(e.certificates) + len(e.inspections)
        for e in repo.enterprises
    )
    kinds = ("check", "drill", "training", "certificate", "inspection")
    n = con.execute(f"SELECT count(*) FROM enterprise_events WHERE kind IN {kinds}").fetchone()[0]
    assert n == facts > 0
    registered = con.execute(
        "SELECT count(*) FROM enterprise_events WHERE kind = 'registered'"
    ).fetchone()[0]
    assert registered == len(repo.enterprises)
    # The registration event holds the registration, not the facts after it.
    one = repo.enterprises[0]
    (first,) = [e for e in enterprise_events(one) if e[0] == "registered"]
    assert first[1] == one.registered_on
    assert "checks" not in json.loads(first[3]) and json.loads(first[3])["name"] == one.name
    # Events are in date order (a certificate may predate the registration).
    days = [e[1] for e in enterprise_events(one)]
    assert days == sorted(days)
    high = con.execute("SELECT count(*) FROM enterprises WHERE high_risk").fetchone()[0]
    assert high == sum(1 for e in repo.enterprises if e.is_high_risk())
