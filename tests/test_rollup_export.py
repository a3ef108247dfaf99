"""``safeplan rollup export sqlite|postgres``: the fixture county of tests/test_rollup.py in
one database, each town keyed by its code with its fetched commit, its figures its own
``status --json``; the broken town left out and named; a PostgreSQL re-export changes
nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from export_figures import figures_from_status, figures_from_views
from test_rollup import AS_OF, BROKEN, DAJING, GEN_A, GEN_B, county, git, run

__all__ = ["county"]  # the fixture, imported to be used here


@pytest.mark.slow
def test_the_county_in_one_sqlite_file_and_the_broken_town_named(
    county: Path, tmp_path: Path
) -> None:
    out = tmp_path / "county.db"
    result = run(county, "rollup", "export", "sqlite", str(out), "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 1, result.output  # a town cannot be read
    assert "坏镇" in result.stderr and "not exported" in result.stderr
    assert "towns/broken/plan/plan.yaml:" in result.stderr  # its problems, located
    assert "68 hazards and 63 tasks of 大井镇, 甲镇, 乙镇" in result.stdout, result.stdout
    con = sqlite3.connect(out)
    query = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    towns_dir = county / ".safeplan-towns"
    commits = {code: git(towns_dir / code, "rev-parse", "HEAD") for code in (DAJING, GEN_A, GEN_B)}
    assert dict(query("SELECT town, source_commit FROM towns")) == commits
    assert query(f"SELECT count(*) FROM hazards WHERE town = '{BROKEN}'") == [(0,)]
    assert query("SELECT as_of FROM params") == [(AS_OF,)]
    for code in commits:
        own = json.loads(run(towns_dir / code, "status", "--as-of", AS_OF, "--json").stdout)
        n = query(f"SELECT count(*) FROM hazards WHERE town = '{code}'")[0][0]
        assert n == own["hazards"]["total"] > 0
        assert figures_from_views(query, code) == figures_from_status(own), code
    # Exported again over its own file: no --force needed; Chinese by default.
    again = run(county, "rollup", "export", "sqlite", str(out), "--as-of", AS_OF)
    assert again.exit_code == 1 and "坏镇" in again.stderr and "已写出" in again.stdout


def test_the_countys_own_hazards_go_in_under_its_code(tmp_path: Path) -> None:
    from test_rollup import make_repo, small_county

    root = make_repo(small_county(tmp_path / "county", own=True))
    out = tmp_path / "c.db"
    result = run(root, "rollup", "export", "sqlite", str(out), "--as-of", AS_OF)
    assert result.exit_code in (0, 1), result.output
    assert "坏镇" not in result.stderr
    con = sqlite3.connect(out)
    towns = con.execute("SELECT town, name, source_commit FROM towns ORDER BY town").fetchall()
    assert towns == [
        ("150425000000", "宁城县", git(root, "rev-parse", "HEAD")),
        (DAJING, "大井镇", None),
    ]
    assert con.execute("SELECT id FROM hazards WHERE town = '150425000000'").fetchall() == [
        ("HZ-20241102-Q3TF",)
    ]


def test_a_folder_a_foreign_file_and_no_county_are_refused(tmp_path: Path) -> None:
    from test_rollup import small_county

    root = small_county(tmp_path / "county")
    assert run(root, "rollup", "export", "sqlite", str(tmp_path)).exit_code == 2
    foreign = tmp_path / "notes.db"
    foreign.write_text("mine", encoding="utf-8")
    result = run(root, "rollup", "export", "sqlite", str(foreign))
    assert result.exit_code == 2 and foreign.read_text(encoding="utf-8") == "mine"
    assert run(root, "rollup", "export", "sqlite", str(foreign), "--force").exit_code == 0
    assert foreign.read_bytes().startswith(b"SQLite format 3")
    elsewhere = tmp_path / "none"
    elsewhere.mkdir()
    assert run(elsewhere, "rollup", "export", "sqlite", str(tmp_path / "x.db")).exit_code == 2
