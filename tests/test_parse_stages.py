"""Reading hazard files stage by stage gives exactly what reading each file on its own gives.

``hazardfile.parse_hazards`` reads a chunk of files, then parses them all, then validates
them all, then runs each rule over them all (the processor's caches stay warm: about a fifth less CPU). Every
hazard file of the test data (the bad-file corpus too), both generators' files, and files
that fail at each stage — unreadable, not UTF-8, broken YAML, an invalid record, gone —
mixed in one chunk, must give the same summary, problems (with their parameters),
reference, digest, latest day and evidence as ``parse_hazard`` file by file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import bench_gen
from safeplan.repo.hazardfile import HazardFile, parse_hazard, parse_hazards

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"


def _as_data(result: HazardFile) -> tuple[object, ...]:
    problems = [
        (p.path, p.line, p.column, p.code, p.template, p.severity, repr(p.params))
        for p in result.problems
    ]
    return (result.summary, problems, result.ref, result.digest, result.latest, result.evidence)


def _items(root: Path) -> list[tuple[str, str]]:
    return [
        (str(p), p.relative_to(root).as_posix())
        for p in sorted(root.rglob("*.y*ml"))
        if p.is_file() and "hazards" in p.parts
    ]


def test_staged_reading_equals_file_by_file(tmp_path: Path) -> None:
    gen = bench_gen()
    gen.generate(tmp_path / "gen", 150, 21)
    gen.generate(tmp_path / "full", 60, 22, full=True)
    odd = tmp_path / "odd" / "data" / "hazards"
    odd.mkdir(parents=True)
    (odd / "HZ-GBK.yaml").write_bytes("title: 电动车\n".encode("gbk"))
    (odd / "HZ-BROKEN.yaml").write_text("id: HZ-BROKEN\ntitle: [a\n", encoding="utf-8")
    (odd / "HZ-TAGGED.yaml").write_text("id: !!str HZ-TAGGED\n", encoding="utf-8")
    (odd / "HZ-EMPTY.yaml").write_text("", encoding="utf-8")
    (odd / "HZ-DIR.yaml").mkdir()  # read as a file: an OSError
    (odd / "HZ-LIST.yaml").write_text("- a\n- b\n", encoding="utf-8")
    items = [*_items(DATA), *_items(tmp_path)]
    items.append((str(odd / "HZ-GONE.yaml"), "data/hazards/HZ-GONE.yaml"))
    assert len(items) > 300
    for today in (None, dt.date(2025, 1, 1)):
        staged = parse_hazards(items, today)
        one_by_one = [parse_hazard(p, rel, today) for p, rel in items]
        assert [_as_data(r) for r in staged] == [_as_data(r) for r in one_by_one]
    # both kinds are there: records read whole, and files that failed at each stage
    assert sum(r.summary is not None for r in staged) > 250
    failed = {r.problems[0].code for r in staged if r.summary is None and r.problems}
    assert {"not-utf8", "unreadable"} <= failed
    assert len(failed) >= 5


def test_keep_is_given_each_valid_record(tmp_path: Path) -> None:
    items = _items(DATA / "status")
    assert items
    staged = parse_hazards(items, None, keep=lambda h: h.id)
    assert [r.kept for r in staged] == [
        parse_hazard(p, rel, None, lambda h: h.id).kept for p, rel in items
    ]
    assert all(r.kept == r.summary.id for r in staged if r.summary is not None)
