"""``safeplan export postgres`` against a real PostgreSQL (a throwaway cluster, tests/pgcluster.py):
the views' figures, idempotence (row counts, a checksum, untouched row versions), an update
after a new commit that removes nothing a record still needs, and bad URLs."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import pytest
from typer.testing import CliRunner

from export_figures import DAYS, figures_from_status, figures_from_views, rich_plan
from pgcluster import cluster, pg_bindir
from safeplan.cli import app
from safeplan.export import SCHEMA_VERSION, TABLES

psycopg = pytest.importorskip("psycopg", reason="psycopg is in the dev group: make install")

pytestmark = pytest.mark.slow  # a PostgreSQL cluster starts (seconds)

CODE = "150421101000"
_NAMES = count()


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip(
            "NO POSTGRESQL FOUND: neither initdb on PATH nor /usr/lib/postgresql/*/bin; "
            "install Debian's postgresql (.ci/run does) to run the export postgres tests"
        )
    with cluster(bindir) as url:
        yield url


@pytest.fixture
def db(server: str) -> str:
    """A new, empty database on the cluster: its URL."""
    name = f"t{next(_NAMES)}"
    with psycopg.connect(server, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    return server.replace("/postgres?", f"/{name}?")


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """The rich plan as a git repository with one commit."""
    root = rich_plan(tmp_path / "town")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "plan")
    return root


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def _export(runner: CliRunner, root: Path, url: str, *more: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app,
        [
            "export",
            "postgres",
            url,
            "--root",
            str(root),
            "--town-code",
            CODE,
            "--lang",
            "en",
            *more,
        ],
    )


def _state(url: str) -> dict[str, tuple[int, str, str]]:
    """Per table: its row count, a checksum of its rows, and of their row versions (xmin)."""
    out = {}
    with psycopg.connect(url) as con:
        for t in TABLES:
            out[t.name] = con.execute(
                f"SELECT count(*), coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), ''), "
                f"coalesce(md5(string_agg(x.xmin::text, '|' ORDER BY x::text)), '') FROM {t.name} x"
            ).fetchone()
    return out


def test_the_views_give_the_figures_of_status_json(runner: CliRunner, plan: Path, db: str) -> None:
    result = _export(runner, plan, db, "--as-of", DAYS[0])
    assert result.exit_code in (0, 1), result.output
    with psycopg.connect(db) as con:
        (commit,) = con.execute("SELECT source_commit FROM towns").fetchone()
        assert commit == _git(plan, "rev-parse", "HEAD")
        for day in DAYS:
            con.execute("SELECT set_config('safeplan.as_of', %s, false)", (day,))
            got = figures_from_views(lambda sql: con.execute(sql).fetchall(), CODE)
            status = runner.invoke(app, ["status", "--root", str(plan), "--as-of", day, "--json"])
            assert got == figures_from_status(json.loads(status.stdout)), day
        # Without the setting, the day in params (the first export's --as-of).
        con.execute("RESET safeplan.as_of")
        (day,) = con.execute("SELECT DISTINCT as_of FROM hazard_status").fetchone()
        assert day.isoformat() == DAYS[0]
        assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]


def test_exporting_the_same_commit_again_changes_nothing(
    runner: CliRunner, plan: Path, db: str
) -> None:
    first = _export(runner, plan, db)
    assert first.exit_code in (0, 1), first.output
    before = _state(db)
    assert before["hazards"][0] == 19 and before["hazard_events"][0] > 19
    again = _export(runner, plan, db, "--as-of", "2025-01-01")
    assert "0 rows added, 0 changed, 0 removed, 0 kept from earlier commits" in again.stdout
    # Same counts, same rows (checksum), and no row rewritten (same xmin).
    assert _state(db) == before


def test_a_newer_commit_updates_and_keeps_what_a_record_still_needs(
    runner: CliRunner, plan: Path, db: str
) -> None:
    _export(runner, plan, db)
    before = _state(db)
    # A new commit: one hazard gets a note, another is renumbered (its old id leaves the files).
    result = runner.invoke(
        app,
        [
            *("hazard", "note", "HZ-20240105-RICH", "--root", str(plan)),
            *("复查：现场已整改", "--on", "2026-11-01", "--commit"),
        ],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app,
        [
            "hazard",
            "renumber",
            "HZ-20240510-W1D9",
            "HZ-20240510-W1D8",
            "--root",
            str(plan),
            "--commit",
        ],
    )
    assert result.exit_code == 0, result.output
    result = _export(runner, plan, db)
    assert result.exit_code in (0, 1), result.output
    after = _state(db)
    with psycopg.connect(db) as con:
        (commit,) = con.execute("SELECT source_commit FROM towns").fetchone()
        assert commit == _git(plan, "rev-parse", "HEAD")
        notes = con.execute(
            "SELECT on_date::text, fields FROM hazard_events "
            "WHERE hazard = 'HZ-20240105-RICH' AND kind = 'note'"
        ).fetchall()
        assert any("复查" in f for _, f in notes)
        # The old id is kept, out of the commit, with its history; the views leave it out.
        old = con.execute("SELECT in_commit FROM hazards WHERE id = 'HZ-20240510-W1D9'").fetchone()
        assert old == (False,)
        assert (
            con.execute(
                "SELECT count(*) FROM hazard_events WHERE hazard = 'HZ-20240510-W1D9'"
            ).fetchone()[0]
            > 0
        )
        assert con.execute(
            "SELECT count(*) FROM hazard_status WHERE id = 'HZ-20240510-W1D9'"
        ).fetchone() == (0,)
        assert con.execute(
            "SELECT count(*) FROM hazard_status WHERE id = 'HZ-20240510-W1D8'"
        ).fetchone() == (1,)
    assert after["hazards"][0] == before["hazards"][0] + 1
    assert after["hazard_events"][0] > before["hazard_events"][0]
    assert "1 kept from earlier commits" in result.stdout
    # Exporting that commit once more changes nothing.
    again = _export(runner, plan, db)
    assert "0 rows added, 0 changed, 0 removed, 0 kept" in again.stdout
    assert _state(db) == after


def test_a_bad_url_or_an_unreachable_server_is_a_clear_error_without_the_password(
    runner: CliRunner, plan: Path, server: str
) -> None:
    bad = _export(runner, plan, "host=/nowhere password=s3cret-pw dbname")
    assert bad.exit_code == 2, bad.output
    assert "not a PostgreSQL connection string" in bad.stderr
    unreachable = _export(runner, plan, "postgresql://u:s3cret-pw@127.0.0.1:9/x")
    assert unreachable.exit_code == 1, unreachable.output
    assert "cannot connect to PostgreSQL at postgresql://u:***@127.0.0.1:9/x" in unreachable.stderr
    missing = _export(runner, plan, server.replace("/postgres?", "/nosuchdb?"))
    assert missing.exit_code == 1 and "nosuchdb" in missing.stderr
    for r in (bad, unreachable, missing):
        assert "s3cret-pw" not in r.output and "Traceback" not in r.output
        assert "nothing was exported" in r.stderr or r is bad


def test_a_newer_schema_in_the_database_is_refused(runner: CliRunner, plan: Path, db: str) -> None:
    _export(runner, plan, db)
    with psycopg.connect(db) as con:
        con.execute("INSERT INTO schema_version VALUES (99, 'from the future')")
    before = _state(db)
    result = _export(runner, plan, db)
    assert result.exit_code == 1
    assert "schema version 99" in result.stderr and "upgrade safeplan" in result.stderr
    assert _state(db) == before
