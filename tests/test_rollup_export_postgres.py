"""``safeplan rollup export postgres``: the fixture county into a real PostgreSQL (the
throwaway cluster of tests/pgcluster.py); exporting it again changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_export_postgres import _state, db, psycopg, server
from test_rollup import AS_OF, BROKEN, DAJING, GEN_A, GEN_B, county, run

__all__ = ["county", "db", "server"]  # the fixtures, imported to be used here

pytestmark = pytest.mark.slow  # a PostgreSQL cluster starts, the county's towns are made


def test_the_county_exported_again_changes_nothing(county: Path, db: str) -> None:
    first = run(county, "rollup", "export", "postgres", db, "--as-of", AS_OF, "--lang", "en")
    assert first.exit_code == 1, first.output  # the broken town is left out, and named
    assert "坏镇" in first.stderr and "not exported" in first.stderr
    assert "0 rows added" not in first.stdout
    with psycopg.connect(db) as con:
        codes = [r[0] for r in con.execute("SELECT town FROM towns ORDER BY town").fetchall()]
        assert codes == sorted([DAJING, GEN_A, GEN_B]) and BROKEN not in codes
    before = _state(db)
    again = run(county, "rollup", "export", "postgres", db, "--as-of", AS_OF, "--lang", "en")
    assert again.exit_code == 1, again.output
    assert "0 rows added, 0 changed, 0 removed, 0 kept from earlier commits" in again.stdout
    assert _state(db) == before  # same counts, same rows, no row rewritten
