"""A PostgreSQL database of schema version 1 (before the enterprises) migrated by the next
export: the tables it lacks added, its rows left as they were, ``schema_version`` 1 then 2;
and the enterprises' duty states of each export's day kept beside the others."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import enterprise_plan
from safeplan.cli import app
from safeplan.export import SCHEMA_VERSION, TABLES
from test_export_postgres import _state, db, psycopg, server

__all__ = ["db", "server"]  # the fixtures, imported to be used here

pytestmark = pytest.mark.slow  # a PostgreSQL cluster starts (seconds)

CODE = "150425100000"
#: The tables version 2 added (version 1's database has none of them, nor their view).
V2 = ("enterprises", "enterprise_events", "duties", "enterprise_duties")


def _export(runner: CliRunner, root: Path, url: str, day: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app,
        ["export", "postgres", url, "--root", str(root), "--town-code", CODE, "--as-of", day],
    )


def test_a_version_1_database_is_migrated(runner: CliRunner, tmp_path: Path, db: str) -> None:
    root = enterprise_plan(tmp_path / "plan")
    assert _export(runner, root, db, "2025-10-15").exit_code in (0, 1)
    # Made a version 1 database: its tables only, its version row only.
    with psycopg.connect(db) as con:
        con.execute(f"DROP TABLE {', '.join(V2)} CASCADE")
        con.execute("UPDATE schema_version SET version = 1, note = 'safeplan export'")
    v1 = _state_v1(db)
    result = _export(runner, root, db, "2025-10-15")
    assert result.exit_code in (0, 1), result.output
    with psycopg.connect(db) as con:
        assert con.execute("SELECT version FROM schema_version ORDER BY version").fetchall() == [
            (1,),
            (SCHEMA_VERSION,),
        ]
        (n,) = con.execute("SELECT count(*) FROM enterprises").fetchone()
        assert n == 11
        (states,) = con.execute(
            "SELECT count(*) FROM enterprise_duties WHERE as_of = '2025-10-15'"
        ).fetchone()
        assert states > 0
        assert con.execute("SELECT sum(total) FROM duty_counts").fetchone() == (states,)
    # Version 1's rows: untouched (same rows, same row versions).
    assert _state_v1(db) == v1
    # Exported again on the same day: nothing changes; on another day: that day's states are
    # added, the first day's kept.
    before = _state(db)
    assert _export(runner, root, db, "2025-10-15").exit_code in (0, 1)
    assert _state(db) == before
    assert _export(runner, root, db, "2025-12-31").exit_code in (0, 1)
    with psycopg.connect(db) as con:
        days = con.execute(
            "SELECT as_of::text, count(*) FROM enterprise_duties GROUP BY as_of ORDER BY as_of"
        ).fetchall()
    assert [d for d, _ in days] == ["2025-10-15", "2025-12-31"] and days[0][1] == states


def _state_v1(url: str) -> dict[str, tuple[int, str, str]]:
    """Version 1's tables as ``_state`` sees them: rows, their checksum, their versions."""
    out = {}
    with psycopg.connect(url) as con:
        for name in (t.name for t in TABLES if t.name not in V2):
            out[name] = con.execute(
                f"SELECT count(*), coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), ''), "
                f"coalesce(md5(string_agg(x.xmin::text, '|' ORDER BY x::text)), '') FROM {name} x"
            ).fetchone()
    return out
