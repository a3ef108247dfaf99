"""The county roll-up: a county of three towns (the fixture plan and two generated plans, as
git repositories) and one broken town, rolled up as each town sees itself."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURE_PLAN, bench_gen, copy_plan
from safeplan.cli import app

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "data" / "golden" / "rollup"
AS_OF = "2026-11-28"
DAJING = "150425100000"
GEN_A = "150425101000"
GEN_B = "150425102000"
BROKEN = "150425103000"


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def make_repo(folder: Path) -> Path:
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "plan")
    return folder


COUNTY_YAML = f"""\
# 宁城县 (a fixture county)
name: 宁城县
code: "150425000000"
towns:
  - name: 大井镇
    code: "{DAJING}"
    git: {{dajing}}
  - name: 甲镇
    code: "{GEN_A}"
    git: {{gen_a}}
    ref: main
  - name: 乙镇
    code: "{GEN_B}"
    git: {{gen_b}}
  - name: 坏镇
    code: "{BROKEN}"
    path: towns/broken
supervision:
  - town: "{DAJING}"
    hazard: {{supervised}}
    by: 宁城县安委办
    listed_on: 2026-06-01
"""


@pytest.fixture
def county(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The county repository (county.yaml) and its towns' repositories, fetched."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-11-28T10:00:00+08:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-11-28T10:00:00+08:00")
    from safeplan.cli import session

    monkeypatch.setattr(session, "utc_now", lambda: dt.datetime(2026, 11, 28, 4, tzinfo=dt.UTC))
    towns = tmp_path / "towns"
    dajing = copy_plan(towns / "dajing")
    for src in (HERE / "data" / "status" / "hazards").glob("*.yaml"):
        shutil.copy(src, dajing / "data" / "hazards" / src.name)
    make_repo(dajing)
    gen = bench_gen()
    gen_a = gen.generate(towns / "gen-a", 40, 1, base=FIXTURE_PLAN)
    gen_b = gen.generate(towns / "gen-b", 25, 2, base=FIXTURE_PLAN)
    for g in (gen_a, gen_b):
        (g / gen.MARKER).unlink()
        make_repo(g)
    root = tmp_path / "county"
    broken = root / "towns" / "broken"
    copy_plan(broken)
    (broken / "plan" / "plan.yaml").write_text("schema_version: 99\ntitle: [\n", encoding="utf-8")
    supervised = sorted((dajing / "data" / "hazards").glob("*.yaml"))[0].stem
    (root / "county.yaml").write_text(
        COUNTY_YAML.format(
            dajing=dajing.as_uri(),
            gen_a=gen_a.as_uri(),
            gen_b=gen_b.as_uri(),
            supervised=supervised,
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["rollup", "fetch", "--root", str(root)], env={})
    assert result.exit_code == 0, result.output
    return root


def run(root: Path, *args: str, columns: int = 160):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [*args, "--root", str(root)], env={"COLUMNS": str(columns)})


def check_golden(name: str, got: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SAFEPLAN_UPDATE_GOLDENS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_status_golden_names_the_broken_town(county: Path) -> None:
    for lang in ("zh", "en"):
        result = run(county, "rollup", "status", "--as-of", AS_OF, "--lang", lang)
        assert result.exit_code == 1, result.output  # a town cannot be read
        check_golden(f"status.{lang}.txt", result.stdout)
    assert "坏镇" in result.stdout


@pytest.mark.slow
def test_per_town_figures_equal_the_towns_own_status(county: Path) -> None:
    got = json.loads(run(county, "rollup", "status", "--as-of", AS_OF, "--json").stdout)
    by_code = {t["code"]: t for t in got["towns"]}
    assert got["missing"] == ["坏镇"]
    assert not by_code[BROKEN]["loaded"] and by_code[BROKEN]["problems"]
    towns_dir = county / ".safeplan-towns"
    totals = {"hazards_total": 0, "found": 0, "rectified": 0}
    for code in (DAJING, GEN_A, GEN_B):
        own = json.loads(run(towns_dir / code, "status", "--as-of", AS_OF, "--json").stdout)
        town = by_code[code]
        assert town["loaded"]
        assert town["commit"] == git(towns_dir / code, "rev-parse", "HEAD")
        f = town["figures"]
        assert f["tasks"] == own["tasks"]["counts"]
        assert f["hazards"] == own["hazards"]["counts"]
        assert f["hazards_total"] == own["hazards"]["total"]
        assert f["overdue"] == len(own["hazards"]["overdue"])
        assert f["plan_missing"] == len(own["hazards"]["plan_missing"])
        assert f["rates"] == own["hazards"]["rates"]
        assert town["goals"] == own["goals"]
        totals["hazards_total"] += own["hazards"]["total"]
        totals["found"] += own["hazards"]["rates"]["found"]
        totals["rectified"] += own["hazards"]["rates"]["rectified"]
    assert got["totals"]["towns"] == 3
    assert got["totals"]["hazards_total"] == totals["hazards_total"]
    assert got["totals"]["rates"]["found"] == totals["found"]
    assert got["totals"]["rates"]["rectified"] == totals["rectified"]
    assert sum(r["found"] for r in got["by_level"]) == totals["found"]
    assert [r["code"] for r in got["ranking"]] and len(got["ranking"]) == 3
    assert got["supervision"] and got["supervision"][0]["town"] == "大井镇"


@pytest.mark.slow
def test_ledger_golden_and_an_unreachable_town_keeps_its_data(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "ledger.csv"
    result = run(
        county,
        "rollup",
        "export",
        "ledger",
        "--as-of",
        AS_OF,
        "--format",
        "csv",
        "--out",
        str(out),
        "--lang",
        "en",
    )
    assert result.exit_code == 1, result.output  # the broken town is named
    assert "坏镇" in result.output
    for key in ("cover", "hazards", "tasks"):
        check_golden(f"ledger-{key}.csv", (tmp_path / f"ledger-{key}.csv").read_text("utf-8-sig"))
    # 甲镇's repository disappears: the fetch says so, the data of the last fetch stays.
    text = (county / "county.yaml").read_text(encoding="utf-8")
    (county / "county.yaml").write_text(text.replace("gen-a", "gone-a"), encoding="utf-8")
    fetched = run(county, "rollup", "fetch", "--lang", "en")
    assert fetched.exit_code == 1
    assert "甲镇: cannot be fetched" in fetched.stdout and "2026-11-28" in fetched.stdout
    got = json.loads(run(county, "rollup", "status", "--as-of", AS_OF, "--json").stdout)
    town = next(t for t in got["towns"] if t["code"] == GEN_A)
    assert town["loaded"] and town["fetch_error"] and town["fetched_on"] == "2026-11-28"
    assert got["stale"] == ["甲镇"]


def test_bad_manifest_is_located(tmp_path: Path) -> None:
    (tmp_path / "county.yaml").write_text(
        'name: 县\ncode: "1504"\ntowns:\n  - name: 镇\n    code: "150425100000"\n', encoding="utf-8"
    )
    result = run(tmp_path, "rollup", "status", "--lang", "en")
    assert result.exit_code == 1
    assert "county.yaml:2:7:" in result.output
    assert "12-digit area code" in result.output
    assert "either 'path' (a folder) or 'git'" in result.output


def test_a_code_written_without_quotes_reads_as_in_plan_yaml(tmp_path: Path) -> None:
    """One area-code type: county.yaml takes an unquoted code as plan.yaml does (YAML reads
    a number), and a short one gets the same message in both."""
    (tmp_path / "county.yaml").write_text(
        "name: 县\ncode: 150425000000\ntowns:\n  - name: 镇\n    code: 15042510000\n"
        "    path: towns/t\n",
        encoding="utf-8",
    )
    result = run(tmp_path, "rollup", "status", "--lang", "en")
    assert result.exit_code == 1
    assert "county.yaml:2:" not in result.output  # the unquoted 12 digits are a code
    assert "county.yaml:5:11: 'towns[0].code' (15042510000) is not a 12-digit" in result.output


def test_no_manifest_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path, "rollup", "status", "--lang", "en")
    assert result.exit_code == 2
    assert "has no county.yaml" in result.output


def test_hostile_git_config_in_a_town_never_runs(tmp_path: Path) -> None:
    """A town's folder whose git configuration names a program (core.fsmonitor runs on
    every status): reading it with the untrusted options runs nothing."""
    from safeplan.repo.git import town_commit

    town = make_repo(copy_plan(tmp_path / "town"))
    marker = tmp_path / "ran"
    git(town, "config", "core.fsmonitor", f"touch {marker}; false")
    git(town, "config", "core.hooksPath", str(tmp_path))
    assert town_commit(town) == git(town, "rev-parse", "HEAD")
    from safeplan.repo.git import Git

    Git(town, "test", untrusted=True).run("status", "--porcelain")
    assert not marker.exists()
    subprocess.run(["git", "status"], cwd=town, capture_output=True, check=False)
    assert marker.exists()  # the same git without the options would have run it


@pytest.mark.slow
def test_report_golden_sums_the_towns_own_reports(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(county, "rollup", "report", "--period", "2026-11", "--out", str(out))
    assert result.exit_code == 1, result.output  # the broken town is named in it
    assert sorted(p.name for p in out.iterdir()) == ["county-2026-11.html", "county-2026-11.md"]
    check_golden("report-2026-11.zh.md", (out / "county-2026-11.md").read_text(encoding="utf-8"))
    html = (out / "county-2026-11.html").read_text(encoding="utf-8")
    assert "<script" not in html and "坏镇" in html
    en = run(county, "rollup", "report", "--period", "2026-11", "--stdout", "--lang", "en")
    check_golden("report-2026-11.en.md", en.stdout)
    got = json.loads(run(county, "rollup", "report", "--period", "2026-11", "--json").stdout)
    towns_dir = county / ".safeplan-towns"
    found = 0
    for code in (DAJING, GEN_A, GEN_B):
        own = json.loads(
            run(towns_dir / code, "report", "monthly", "--month", "2026-11", "--json").stdout
        )
        town = next(t for t in got["towns"] if t["code"] == code)
        assert town["figures"] == own["figures"]
        assert town["headline"] == own["headline"]
        found += own["figures"]["found"]["total"]
    assert got["figures"]["found"]["total"] == found


def test_report_refuses_an_unknown_kind_of_period(tmp_path: Path) -> None:
    (tmp_path / "county.yaml").write_text(
        'name: 县\ncode: "150425000000"\ntowns:\n  - name: 镇\n    code: "150425100000"\n'
        "    path: town\n",
        encoding="utf-8",
    )
    result = run(tmp_path, "rollup", "report", "--every", "fortnight", "--lang", "en")
    assert result.exit_code == 2
    assert "not a kind of period" in result.output


def small_county(root: Path, own: bool = False) -> Path:
    """A county of one town given by its folder (no git), optionally with its own plan."""
    town = copy_plan(root / "towns" / "t1")
    for src in (HERE / "data" / "status" / "hazards").glob("*.yaml"):
        shutil.copy(src, town / "data" / "hazards" / src.name)
    if own:
        copy_plan(root)
        shutil.copy(
            HERE / "data" / "status" / "hazards" / "HZ-20241102-Q3TF.yaml",
            root / "data" / "hazards" / "HZ-20241102-Q3TF.yaml",
        )
    (root / "county.yaml").write_text(
        'name: 宁城县\ncode: "150425000000"\ntowns:\n  - name: 大井镇\n'
        f'    code: "{DAJING}"\n    path: towns/t1\n',
        encoding="utf-8",
    )
    return root


def test_the_countys_own_hazards_are_in_the_totals(tmp_path: Path) -> None:
    """The county repository is a plan repository too: its own hazards (county
    inspections) are one more row, and counted in the totals."""
    root = make_repo(small_county(tmp_path / "county", own=True))
    got = json.loads(run(root, "rollup", "status", "--as-of", AS_OF, "--json").stdout)
    # The county's commit is its own row's; a town's folder inside it has none of its own.
    assert got["own"]["commit"] == git(root, "rev-parse", "HEAD")
    assert got["towns"][0]["commit"] is None
    assert got["own"]["name"] == "宁城县" and got["own"]["loaded"]
    assert got["own"]["figures"]["hazards_total"] == 1
    assert got["totals"]["towns"] == 2
    assert got["totals"]["hazards_total"] == got["towns"][0]["figures"]["hazards_total"] + 1
    assert [r["name"] for r in got["ranking"]] == ["大井镇"]  # towns are ranked, not the county
    screen = run(root, "rollup", "status", "--as-of", AS_OF, "--lang", "en").stdout
    assert "宁城县" in screen.split("Per town", 1)[1]


def test_a_towns_templates_never_run(tmp_path: Path) -> None:
    """A town's own templates/ (and the county's) are never used for a county report."""
    root = small_county(tmp_path / "county")
    for folder in (root / "towns" / "t1" / "templates", root / "templates"):
        folder.mkdir(parents=True)
        for name in ("county.md.j2", "monthly.md.j2", "report.md.j2"):
            (folder / name).write_text("HOSTILE {{ ''.__class__ }}\n", encoding="utf-8")
    result = run(root, "rollup", "report", "--period", "2026-11", "--stdout", "--as-of", AS_OF)
    assert "--period" in result.output  # both given: refused as 'report' refuses it
    result = run(root, "rollup", "report", "--period", "2026-11", "--stdout")
    assert result.exit_code == 0, result.output
    assert "HOSTILE" not in result.stdout and "大井镇" in result.stdout


def test_a_symlink_in_a_towns_repository_is_a_plain_file_in_its_clone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    town = copy_plan(tmp_path / "town")
    (town / "data" / "hazards" / "HZ-20240101-AAAA.yaml").symlink_to("/etc/passwd")
    make_repo(town)
    root = tmp_path / "county"
    root.mkdir()
    (root / "county.yaml").write_text(
        'name: 县\ncode: "150425000000"\ntowns:\n  - name: 镇\n'
        f'    code: "{DAJING}"\n    git: {town.as_uri()}\n',
        encoding="utf-8",
    )
    assert run(root, "rollup", "fetch").exit_code == 0
    clone = root / ".safeplan-towns" / DAJING
    linked = clone / "data" / "hazards" / "HZ-20240101-AAAA.yaml"
    assert linked.is_file() and not linked.is_symlink()
    assert linked.read_text(encoding="utf-8") == "/etc/passwd"
    assert (root / ".safeplan-towns" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    got = json.loads(run(root, "rollup", "status", "--as-of", AS_OF, "--json").stdout)
    assert got["towns"][0]["loaded"] and got["towns"][0]["figures"]["problems"] >= 1
    # A second fetch of the same commit changes nothing.
    again = run(root, "rollup", "fetch", "--lang", "en")
    assert again.exit_code == 0 and "(new)" not in again.stdout


def test_a_town_not_fetched_yet_and_an_unknown_town_to_fetch(tmp_path: Path) -> None:
    (tmp_path / "county.yaml").write_text(
        'name: 县\ncode: "150425000000"\ntowns:\n  - name: 镇\n    code: "150425100000"\n'
        "    git: https://git.example.invalid/town.git\n",
        encoding="utf-8",
    )
    result = run(tmp_path, "rollup", "status", "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 1
    assert "county.yaml:6:10: 镇 has not been fetched yet: run 'safeplan rollup fetch'" in (
        result.stdout
    )
    wrong = run(tmp_path, "rollup", "fetch", "乙镇", "--lang", "en")
    assert wrong.exit_code == 2
    assert "no town 乙镇 in county.yaml" in wrong.output
    assert not (tmp_path / ".safeplan-towns").exists()  # nothing was fetched, nothing written


def enterprise_county(root: Path) -> Path:
    """A county of two towns given by their folders: the enterprise fixture (the dajing plan
    with enterprises and duties) and the plain fixture plan (no enterprises)."""
    from conftest import enterprise_plan

    enterprise_plan(root / "towns" / "ent")
    copy_plan(root / "towns" / "plain")
    (root / "county.yaml").write_text(
        'name: 宁城县\ncode: "150425000000"\ntowns:\n'
        f'  - name: 大井镇\n    code: "{DAJING}"\n    path: towns/ent\n'
        f'  - name: 甲镇\n    code: "{GEN_A}"\n    path: towns/plain\n',
        encoding="utf-8",
    )
    return root


DAY = "2025-12-31"


def test_per_town_enterprise_figures_equal_the_towns_own_status(tmp_path: Path) -> None:
    root = enterprise_county(tmp_path / "county")
    # A day when the enterprises' duties are some done, some due, some behind.
    got = json.loads(run(root, "rollup", "status", "--as-of", DAY, "--json").stdout)
    ent, plain = got["towns"]
    own = json.loads(run(root / "towns" / "ent", "status", "--as-of", DAY, "--json").stdout)[
        "enterprises"
    ]
    e = ent["figures"]["enterprises"]
    assert e["enterprises"] == own["enterprises"] == 10
    assert e["high_risk"] == own["high_risk"]
    assert e["behind"] == len(own["behind"])
    assert e["expired"] == len(own["expired"])
    keys = ("duty", "task", "title", "total", "done", "due", "overdue")
    assert e["duties"] == [{k: d[k] for k in keys} for d in own["duties"]]
    assert all(any(d[k] for d in e["duties"]) for k in ("done", "due", "overdue"))
    plain_own = json.loads(run(root / "towns" / "plain", "status", "--as-of", DAY, "--json").stdout)
    assert plain_own["enterprises"] is None and plain["figures"]["enterprises"] is None
    # The totals: the one town's figures (the other keeps none), duty by duty.
    assert got["totals"]["enterprises"] == e
    screen = run(root, "rollup", "status", "--as-of", DAY, "--lang", "en").stdout
    assert "Enterprises per town" in screen and "Enterprises (10, 4 high-risk)" in screen
    check = next(d for d in e["duties"] if d["duty"] == "principal_check")
    row = next(
        line for line in screen.split("Enterprises per town")[1].splitlines() if "大井镇" in line
    )
    assert f"{check['done']} / {check['total']}" in row
    zh = run(root, "rollup", "status", "--as-of", DAY).stdout
    assert "各乡镇企业义务落实情况" in zh


def test_enterprise_figures_are_summed_duty_by_duty() -> None:
    from safeplan.models.rollup import DutyTotals, EnterpriseFigures
    from safeplan.rollup.picture import sum_enterprises

    def duty(name: str, total: int, done: int) -> DutyTotals:
        return DutyTotals(duty=name, task=6, title=name, total=total, done=done, overdue=1)

    a = EnterpriseFigures(
        enterprises=3, high_risk=1, behind=2, expired=1, duties=[duty("check", 3, 1)]
    )
    b = EnterpriseFigures(
        enterprises=5,
        high_risk=2,
        behind=1,
        expired=0,
        duties=[duty("drill", 4, 4), duty("check", 5, 2)],
    )
    total = sum_enterprises([a, None, b])
    assert total is not None
    assert (total.enterprises, total.high_risk, total.behind, total.expired) == (8, 3, 3, 1)
    assert [(d.duty, d.total, d.done, d.overdue) for d in total.duties] == [
        ("check", 8, 3, 2),
        ("drill", 4, 4, 1),
    ]
    assert sum_enterprises([None, None]) is None


def test_the_picture_counts_each_town_before_reading_the_next(county: Path) -> None:
    """The towns are taken one at a time (the county's memory is one town's): the picture
    has made a town's view before it asks for the next town."""
    from safeplan.rollup import picture
    from safeplan.rollup.load import CountyRead, TownLoad
    from safeplan.rollup.manifest import read_county

    manifest = read_county(county)
    viewed: list[str] = []
    asked: list[tuple[str, list[str]]] = []
    real = picture._town_view

    def spy(root: Path, load: TownLoad, as_of: dt.date):  # type: ignore[no-untyped-def]
        viewed.append(load.town.code)
        return real(root, load, as_of)

    def loads():  # type: ignore[no-untyped-def]
        for load in CountyRead(county, manifest, dt.date.fromisoformat(AS_OF)).towns():
            asked.append((load.town.code, list(viewed)))
            yield load

    original = picture._town_view
    picture._town_view = spy  # type: ignore[assignment]
    try:
        picture.county_status(county, manifest, loads(), dt.date.fromisoformat(AS_OF))
    finally:
        picture._town_view = original  # type: ignore[assignment]
    codes = [t.code for t in manifest.towns]
    assert len(codes) >= 3
    assert asked == [(code, codes[:i]) for i, code in enumerate(codes)]


def test_the_breakdowns_are_those_of_each_field_alone(county: Path) -> None:
    """Grouping once by (industry, source, level) and adding the groups up gives, for each
    field, the counts and the rates of grouping the towns' rows by that field alone."""
    from collections import defaultdict
    from decimal import Decimal

    from safeplan.models.views import HazardRow
    from safeplan.rollup.load import CountyRead
    from safeplan.rollup.manifest import read_county
    from safeplan.rollup.picture import county_status, sum_rates
    from safeplan.views.overview import overview
    from safeplan.views.rates import is_closed, rates

    manifest = read_county(county)
    day = dt.date.fromisoformat(AS_OF)
    rows: list[HazardRow] = []
    for load in CountyRead(county, manifest, day).towns():
        if load.repo is not None:
            rows += overview(load.repo, day).hazards.items
    got = county_status(county, manifest, CountyRead(county, manifest, day).towns(), day)
    assert len({(r.industry, r.source, r.level) for r in rows}) > 3  # the grouping is tested
    for field, result in (
        ("industry", got.by_industry),
        ("source", got.by_source),
        ("level", got.by_level),
    ):
        groups: dict[str | None, list[HazardRow]] = defaultdict(list)
        for r in rows:
            groups[getattr(r, field)].append(r)
        assert {b.key for b in result} == set(groups)
        for b in result:
            group = groups[b.key]
            assert b.found == len(group)
            assert b.open == sum(1 for r in group if not is_closed(r))
            assert b.overdue == sum(1 for r in group if r.overdue)
            assert b.major == sum(1 for r in group if r.level == "major")
            assert b.funds == sum((r.funds for r in group if r.funds), Decimal(0))
            assert b.rates == sum_rates([rates(group)])
