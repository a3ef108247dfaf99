"""``safeplan export sqlite``: the schema, the views' figures against ``status --json``, the
output rule (atomic, --force), a county of towns in one file, and bad input."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from export_figures import DAYS, figures_from_status, figures_from_views, rich_plan
from safeplan.cli import app
from safeplan.export import SCHEMA_VERSION, TABLES, TownSource
from safeplan.export.sqlite import sqlite_bytes
from safeplan.export.tables import VIEWS
from safeplan.repo import load

CODE = "150421101000"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return rich_plan(tmp_path / "town")


def _export(runner: CliRunner, root: Path, out: Path, *more: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app, ["export", "sqlite", str(out), "--root", str(root), "--as-of", DAYS[-1], *more]
    )


def _query(db: Path):  # type: ignore[no-untyped-def]
    con = sqlite3.connect(db)
    return con, lambda sql: con.execute(sql).fetchall()


@pytest.mark.parametrize("day", DAYS)
def test_the_views_give_the_figures_of_status_json(
    runner: CliRunner, plan: Path, tmp_path: Path, day: str
) -> None:
    out = tmp_path / "town.db"
    result = _export(runner, plan, out, "--town-code", CODE)
    assert result.exit_code in (0, 1), result.output
    con, query = _query(out)
    con.execute("UPDATE params SET as_of = ?", (day,))
    status = runner.invoke(app, ["status", "--root", str(plan), "--as-of", day, "--json"])
    expected = figures_from_status(json.loads(status.stdout))
    got = figures_from_views(query, CODE)
    assert got == expected
    # The fixture is rich enough for the comparison to mean something on every day.
    assert expected["counts"] and expected["tasks"]


def test_the_views_agree_with_status_on_every_week(plan: Path) -> None:
    """Week by week over the plan's life (month ends and check-in periods included)."""
    from safeplan.views.overview import overview

    repo = load(plan)
    con = sqlite3.connect(":memory:")
    con.deserialize(
        sqlite_bytes(
            [TownSource(CODE, "大井镇", None, repo)], dt.date(2024, 1, 1), dt.date(2026, 1, 1)
        )
    )
    day = dt.date(2023, 9, 1)
    while day <= dt.date(2027, 1, 31):
        con.execute("UPDATE params SET as_of = ?", (day.isoformat(),))
        doc = overview(repo, day).model_dump(mode="json")
        got = figures_from_views(lambda sql: con.execute(sql).fetchall(), CODE)
        assert got == figures_from_status(doc), day
        day += dt.timedelta(days=6)


def test_the_schema_is_versioned_keyed_by_town_and_holds_every_dated_fact(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "town.db"
    _export(runner, plan, out, "--town-code", CODE)
    _, query = _query(out)
    assert query("SELECT version FROM schema_version") == [(SCHEMA_VERSION,)]
    names = {r[0] for r in query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {t.name for t in TABLES} | {"schema_version", "params"} <= names
    views = {r[0] for r in query("SELECT name FROM sqlite_master WHERE type = 'view'")}
    assert set(VIEWS) <= views
    for t in TABLES:  # every table's key starts with the town
        info = query(f"PRAGMA table_info({t.name})")
        key = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]]
        assert key[0] == "town", t.name
    (town,) = query("SELECT town, name, plan_title FROM towns")
    assert town[:2] == (CODE, "大井镇")
    kinds = {
        r[0] for r in query("SELECT kind FROM hazard_events WHERE hazard = 'HZ-20240105-RICH'")
    }
    assert {"registered", "plan", "rectification", "acceptance", "reopening"} <= kinds
    (fields,) = query(
        "SELECT fields FROM hazard_events WHERE hazard = 'HZ-20240105-RICH' AND kind = 'registered'"
    )[0]
    assert json.loads(fields)["title"]
    assert query("SELECT count(*) FROM hazards")[0][0] == len(
        list((plan / "data" / "hazards").glob("*.yaml"))
    )
    assert query("SELECT count(*) FROM tasks")[0][0] > 0
    assert query("SELECT count(*) FROM task_facts WHERE kind = 'progress'")[0][0] > 0


def test_a_county_is_many_towns_in_one_file(plan: Path, tmp_path: Path) -> None:
    """The same code given two towns: each town's figures stay its own."""
    from safeplan.views.overview import overview

    other = rich_plan(tmp_path / "other")
    for f in sorted((other / "data" / "hazards").glob("*.yaml"))[:5]:
        f.unlink()
    towns = [
        TownSource(CODE, "大井镇", "a" * 40, load(plan)),
        TownSource("150421102000", "别的镇", None, load(other)),
    ]
    day = dt.date(2026, 11, 30)
    con = sqlite3.connect(":memory:")
    con.deserialize(sqlite_bytes(towns, day, day))
    query = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    for town in towns:
        expected = figures_from_status(overview(town.repo, day).model_dump(mode="json"))
        assert figures_from_views(query, town.code) == expected
    assert query("SELECT town, source_commit FROM towns ORDER BY town") == [
        (CODE, "a" * 40),
        ("150421102000", None),
    ]


def test_the_file_is_written_whole_and_a_file_safeplan_did_not_write_is_kept(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "town.db"
    assert _export(runner, plan, out).exit_code in (0, 1)
    first = out.read_bytes()
    assert first.startswith(b"SQLite format 3\x00")
    # Exporting again over its own file needs no --force, and gives the same database.
    assert _export(runner, plan, out).exit_code in (0, 1)
    assert out.read_bytes() == first
    mine = tmp_path / "mine.db"
    sqlite3.connect(mine).execute("CREATE TABLE t (x)").connection.commit()
    before = mine.read_bytes()
    result = _export(runner, plan, mine, "--lang", "en")
    assert result.exit_code == 2
    assert "--force" in result.stderr and "Traceback" not in result.output
    assert mine.read_bytes() == before
    assert _export(runner, plan, mine, "--force").exit_code in (0, 1)
    assert sqlite3.connect(mine).execute("SELECT count(*) FROM towns").fetchone() == (1,)
    assert not list(tmp_path.glob("*.tmp*")) and not list(tmp_path.glob(".*"))


def test_a_bad_town_code_or_folder_is_a_usage_error(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    for code in ("12345", "15042110100X", "1504211010000"):
        result = _export(runner, plan, tmp_path / "x.db", "--town-code", code, "--lang", "en")
        assert result.exit_code == 2, code
        assert "12 digits" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "x.db").exists()
    result = _export(runner, plan, tmp_path, "--lang", "en")
    assert result.exit_code == 2 and "folder" in result.stderr


def test_without_a_code_the_placeholder_and_the_issuer_name_the_town(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    out = tmp_path / "town.db"
    result = _export(runner, plan, out)
    assert "000000000000" in result.stdout
    _, query = _query(out)
    assert query("SELECT town, name FROM towns") == [("000000000000", "大井镇")]
    result = _export(runner, plan, out, "--town-name", "大井", "--lang", "en")
    assert "大井 (000000000000)" in result.stdout and "views show 2026-11-30" in result.stdout


def test_postgres_without_its_driver_says_what_to_install(
    runner: CliRunner, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    result = runner.invoke(
        app, ["export", "postgres", "postgresql://u:sekret@localhost/x", "--root", str(plan)]
    )
    assert result.exit_code == 2
    assert "safeplan[postgres]" in result.stderr
    assert "sekret" not in result.output and "Traceback" not in result.output


def test_the_code_comes_from_plan_yaml_when_it_has_one(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    path = plan / "plan" / "plan.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "issuer: 大井镇人民政府\n", "issuer: 大井镇人民政府\narea_code: 150421101000\n"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "town.db"
    _export(runner, plan, out)
    _, query = _query(out)
    assert query("SELECT town FROM towns") == [(CODE,)]
    # --town-code wins over plan.yaml.
    _export(runner, plan, out, "--town-code", "150421102000")
    _, query = _query(out)  # the file was replaced whole: a new connection reads the new one
    assert query("SELECT town FROM towns") == [("150421102000",)]
    # A code of the wrong form is a located problem of plan.yaml.
    path.write_text(
        text.replace("issuer: 大井镇人民政府\n", "issuer: 大井镇人民政府\narea_code: 1504\n"),
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["validate", "--root", str(plan), "--lang", "en", "--as-of", "2027-01-01"]
    )
    assert "plan/plan.yaml:6:12: 'area_code' (1504) is not a 12-digit area code" in result.stdout


def merged(found: list[dict[str, list[Any]]]) -> dict[str, list[Any]]:
    """The parts ``hazard_parts`` yields, table by table, in order."""
    out: dict[str, list[Any]] = {}
    for part in found:
        for name, got in part.items():
            out.setdefault(name, []).extend(got)
    return out


def test_many_hazards_are_read_in_workers_into_the_same_rows(
    plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safeplan.export import rows

    repo = load(plan)
    alone = list(rows.hazard_parts(CODE, repo.root, repo.hazards, workers=1))
    monkeypatch.setattr(rows, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(rows, "CHUNK_MIN", 3)
    parts = list(rows.hazard_parts(CODE, repo.root, repo.hazards, workers=2))
    assert len(parts) > 1  # cut into chunks, read by two processes

    assert merged(parts) == merged(alone)
    assert len(merged(parts)["hazards"]) == len(repo.hazards)


def test_a_plan_read_with_the_keeper_gives_the_same_rows_without_a_second_read(
    plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``export`` loads with ExportKeep: the rows are made in the one read, and equal those
    made by reading every file again."""
    from safeplan.export import ExportKeep, rows

    again = list(rows.town_parts(TownSource(CODE, "大井镇", None, load(plan)), dt.date(2026, 1, 1)))
    repo = load(plan, keep=ExportKeep())
    assert rows.kept_rows(repo) is not None
    assert rows.kept_rows(load(plan)) is None

    def no_second_read(root: Path, path: str) -> object:
        raise AssertionError(f"{path} read again")

    monkeypatch.setattr(rows, "_full", no_second_read)
    monkeypatch.setattr(rows, "KEPT_CHUNK", 2)  # several chunks, in order
    once = list(rows.town_parts(TownSource(CODE, "大井镇", None, repo), dt.date(2026, 1, 1)))

    assert merged(once) == merged(again)
    assert len(once) > len(again)  # cut into chunks of two
    assert merged(once)["hazard_events"] and merged(once)["supervisions"]
    assert not repo.snapshot.kept  # handed over, not held beside the database


def test_a_file_left_out_of_the_keeper_s_read_is_refused_not_read_again(plan: Path) -> None:
    """A summary with no kept rows (the file stopped reading between the passes) is the
    located 'changed while it was exported' error, never a silent gap."""
    from safeplan.errors import DataError
    from safeplan.export import ExportKeep, rows

    repo = load(plan, keep=ExportKeep())
    first = repo.hazards[0]
    repo.snapshot.kept.pop(first.path)
    with pytest.raises(DataError) as caught:
        list(rows.town_parts(TownSource(CODE, "大井镇", None, repo), dt.date(2026, 1, 1)))
    assert caught.value.params == {"path": first.path}


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://u:pw1234@h:5432/db", "postgresql://u:***@h:5432/db"),
        (
            "postgres://u@h/db?password=pw1234&sslmode=require",
            "postgres://u@h/db?password=***&sslmode=require",
        ),
        ("host=h dbname=d password=pw1234", "host=h dbname=d password=***"),
        ("host=h password = 'pw 1234' dbname=d", "host=h password = *** dbname=d"),
        ("postgresql://u@/db?host=/tmp/s", "postgresql://u@/db?host=/tmp/s"),
    ],
)
def test_a_password_is_never_shown(url: str, shown: str) -> None:
    from safeplan.export.postgres import _scrubbed, shown_url

    assert shown_url(url) == shown
    # A driver's message quoting the password is scrubbed too.
    secret = "pw 1234" if "'" in url else "pw1234"
    if secret in url:
        assert secret not in _scrubbed(f"could not connect: {url} (password {secret})", url)
