"""The day view's cache (``repo/viewcache.py``): a warm ``status`` or ``rollup status`` of an
unchanged plan serves the view it computed last time, and every answer equals the answer
of ``--no-cache``: after a changed file, another day, changed rules, a damaged entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import with_status_hazards
from safeplan.cli import app
from safeplan.repo import viewcache
from safeplan.repo.cache import CACHE_DIR
from safeplan.views import overview as overview_module

DATA = Path(__file__).resolve().parent / "data"
TODAY = "2026-11-28"
Q3TF = "data/hazards/HZ-20241102-Q3TF.yaml"


@pytest.fixture
def root(plan_root: Path) -> Path:
    """The fixture plan with the status hazards (overdue, closed, supervised…) and the
    evidence they name (a file naming missing evidence is read on every run, so its plan's
    view is never kept)."""
    with_status_hazards(plan_root)
    return plan_root


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The days for which the overview was computed rather than served."""
    seen: list[str] = []
    real = overview_module.overview

    def counting(repo, as_of, unit=None):  # type: ignore[no-untyped-def]
        seen.append(as_of.isoformat())
        return real(repo, as_of, unit)

    monkeypatch.setattr(overview_module, "overview", counting)
    return seen


def run(root: Path, *args: str, cache_on: bool = True, as_of: str = TODAY) -> tuple[int, str]:
    argv = [*args, "--root", str(root), "--as-of", as_of]
    if not cache_on:
        argv.append("--no-cache")
    result = CliRunner().invoke(app, argv, env={"COLUMNS": "160"})
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout


def answers(root: Path, cache_on: bool, as_of: str = TODAY) -> list[tuple[int, str]]:
    """status's JSON, and its screen in Chinese and in English."""
    return [
        run(root, "status", "--json", cache_on=cache_on, as_of=as_of),
        run(root, "status", cache_on=cache_on, as_of=as_of),
        run(root, "status", "--lang", "en", cache_on=cache_on, as_of=as_of),
    ]


def view_file(root: Path) -> Path:
    return root / CACHE_DIR / viewcache.VIEW_FILE


def warm(root: Path, computed: list[str]) -> list[tuple[int, str]]:
    """Two runs: the first builds the per-file cache, the second keeps the view."""
    run(root, "status")
    run(root, "status", "--json")
    assert view_file(root).is_file()
    computed.clear()
    return answers(root, True)


def test_an_unchanged_plan_serves_the_view_kept(root: Path, computed: list[str]) -> None:
    got = warm(root, computed)
    assert computed == []  # all three answers served
    assert got == answers(root, False)
    assert '"hazards"' in got[0][1] and "HZ-20241102-Q3TF" in got[0][1]


def test_a_changed_file_computes_the_view_again(root: Path, computed: list[str]) -> None:
    warm(root, computed)
    path = root / Q3TF
    path.write_text(path.read_text("utf-8").replace("level: major", "level: general"), "utf-8")
    got = answers(root, True)
    assert computed  # the file changed: nothing was served
    assert got == answers(root, False)


def test_a_deleted_file_computes_the_view_again(root: Path, computed: list[str]) -> None:
    before = warm(root, computed)
    (root / Q3TF).unlink()
    got = answers(root, True)
    assert computed and got != before
    assert got == answers(root, False)


def test_another_day_computes_its_own_view(root: Path, computed: list[str]) -> None:
    warm(root, computed)
    got = answers(root, True, as_of="2025-06-30")
    assert computed[:1] == ["2025-06-30"]
    assert got == answers(root, False, as_of="2025-06-30")
    computed.clear()
    assert answers(root, True, as_of="2025-06-30") == got
    assert computed == []  # the new day's view is the one kept now


def test_changed_rules_compute_the_view_again(root: Path, computed: list[str]) -> None:
    warm(root, computed)
    plan = root / "plan" / "plan.yaml"
    text = plan.read_text("utf-8")
    assert "due_soon_days: 30" in text
    plan.write_text(text.replace("due_soon_days: 30", "due_soon_days: 400"), "utf-8")
    got = answers(root, True)
    assert computed
    assert got == answers(root, False)


def test_other_code_computes_the_view_again(
    root: Path, computed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    warm(root, computed)
    monkeypatch.setattr(viewcache, "FORMAT", viewcache.FORMAT + 1)
    answers(root, True)
    assert computed


@pytest.mark.parametrize("how", ["garbage", "truncated", "empty", "foreign-key", "wrong-shape"])
def test_a_damaged_view_is_ignored_and_rebuilt(root: Path, computed: list[str], how: str) -> None:
    expected = warm(root, computed)
    path = view_file(root)
    data = path.read_bytes()
    key, _, body = data.partition(b"\n")
    damaged = {
        "garbage": b"\x00\xff not json",
        "truncated": data[: len(data) // 2],
        "empty": b"",
        "foreign-key": b"0" * len(key) + b"\n" + body,
        "wrong-shape": key + b'\n{"as_of": "2026-11-28", "hazards": 7}',
    }[how]
    path.write_bytes(damaged)
    assert answers(root, True) == expected
    assert computed  # computed again…
    assert path.read_bytes() == data  # …and kept again
    computed.clear()
    assert answers(root, True) == expected
    assert computed == []


def test_a_file_read_on_every_run_keeps_no_view(root: Path, computed: list[str]) -> None:
    warm(root, computed)
    (root / "evidence" / "HZ-20240315-A7K2" / "rectified.pdf").unlink()  # A7K2: read again
    got = answers(root, True)
    assert len(computed) == 3
    assert got == answers(root, False)


def test_no_cache_keeps_no_view(root: Path) -> None:
    answers(root, False)
    answers(root, False)
    assert not (root / CACHE_DIR).exists()


def test_a_view_that_cannot_be_kept_changes_nothing(root: Path, computed: list[str]) -> None:
    expected = warm(root, computed)
    view_file(root).unlink()
    view_file(root).mkdir()  # cannot be written over, nor read
    assert answers(root, True) == expected
    assert len(computed) == 3


def test_a_plan_with_enterprises_keeps_its_duties_too(
    tmp_path: Path, computed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import enterprise_plan
    from safeplan.repo import enterprise_cache

    # Files this new are re-stamped on every run until they are 2 s old: trust them now.
    monkeypatch.setattr(enterprise_cache, "RACY_NS", 0)

    ent_root = enterprise_plan(tmp_path / "ent")
    expected = answers(ent_root, False)
    assert "duties" in expected[0][1]
    warm(ent_root, computed)
    assert computed == []
    assert answers(ent_root, True) == expected
    # An enterprise file changes: the view is computed again, and equals a fresh one.
    path = sorted((ent_root / "data" / "enterprises").glob("*.yaml"))[0]
    path.write_text(path.read_text("utf-8") + "\n# touched\n", "utf-8")
    assert answers(ent_root, True) == expected
    assert computed


def test_a_warm_county_equals_its_answer_without_cache(
    tmp_path: Path, root: Path, computed: list[str]
) -> None:
    county = tmp_path / "county"
    county.mkdir()
    shutil.copytree(root, county / "towns" / "t1", ignore=shutil.ignore_patterns(CACHE_DIR))
    (county / "county.yaml").write_text(
        'name: 宁城县\ncode: "150425000000"\ntowns:\n  - name: 大井镇\n'
        '    code: "150425100000"\n    path: towns/t1\n',
        encoding="utf-8",
    )
    town = county / "towns" / "t1"
    for _ in range(2):
        run(county, "rollup", "status")
    assert view_file(town).is_file()
    computed.clear()
    warm_answer = [run(county, "rollup", "status", *a) for a in ([], ["--json"])]
    assert computed == []
    cold_answer = [run(county, "rollup", "status", *a, cache_on=False) for a in ([], ["--json"])]
    assert warm_answer == cold_answer
    assert "大井镇" in warm_answer[0][1]
    # A town's file changes: its view is computed again, and equals a fresh one.
    path = town / Q3TF
    path.write_text(path.read_text("utf-8").replace("level: major", "level: general"), "utf-8")
    changed = run(county, "rollup", "status", "--json")
    assert computed and changed != warm_answer[1]
    assert changed == run(county, "rollup", "status", "--json", cache_on=False)
