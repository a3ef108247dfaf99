"""The per-file cache (``repo/cache.py``): every answer equals the answer without it.

Each test warms the cache, changes the plan the way a person or a tool would, and checks
that ``validate`` and ``status --json`` print exactly what ``--no-cache`` prints, and
that the files the change touched (and only those) were read again.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan import repo as repo_pkg
from safeplan.cli import app
from safeplan.edit.register import new_hazard_id
from safeplan.render.i18n import translator
from safeplan.render.text import problem_message
from safeplan.repo import cache, cachefile, filestamp, layout, snapshot
from safeplan.repo.layout import TakenIds, resolve_hazard_id

DATA = Path(__file__).resolve().parent / "data"
TODAY = "2026-11-28"
A7K2 = "data/hazards/HZ-20240315-A7K2.yaml"
EN = translator("en")
K8WE = "data/hazards/HZ-20230910-K8WE.yaml"


@pytest.fixture
def root(plan_root: Path) -> Path:
    """The fixture plan with four hazards (one naming evidence that exists, one with a
    history) and two broken files, so that problems go through the cache too."""
    hazards = plan_root / "data" / "hazards"
    hazards.mkdir(exist_ok=True)
    for src in [
        *sorted((DATA / "status" / "hazards").glob("*.yaml")),
        DATA / "history" / "HZ-20240105-RICH.yaml",
    ]:
        shutil.copy(src, hazards / src.name)
    for case in (
        "closure-without-acceptance",
        "date-wrong-form",
        "hazard-id-differs-from-file-name",
    ):
        for src in (DATA / "invalid" / case / "data" / "hazards").glob("*.yaml"):
            (hazards / f"{case.upper()}-{src.name}").write_bytes(src.read_bytes())
    evidence = plan_root / "evidence" / "HZ-20240315-A7K2"
    evidence.mkdir(parents=True)
    (evidence / "rectified.pdf").write_bytes(b"%PDF")
    (plan_root / "evidence" / "a.jpg").write_bytes(b"JPEG")
    return plan_root


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hazard files read (parsed) rather than served from the cache, run after run."""
    seen: list[str] = []
    real = snapshot.read_hazards

    def counting(files, workers=None, today=None, progress=None, keep=None):  # type: ignore[no-untyped-def]
        seen.extend(rel for _, rel in files)
        return real(files, workers, today, progress, keep)

    monkeypatch.setattr(snapshot, "read_hazards", counting)
    return seen


def run(root: Path, *args: str, cache_on: bool = True, as_of: str = TODAY) -> tuple[int, str]:
    argv = [*args, "--root", str(root), "--lang", "en", "--as-of", as_of]
    if not cache_on:
        argv.append("--no-cache")
    result = CliRunner().invoke(app, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout


def outputs(root: Path, cache_on: bool, as_of: str = TODAY) -> object:
    """What commands show of a plan: every hazard's summary and every problem, in words
    (in-process and cheap; one test compares the commands' own output too)."""
    import datetime as dt

    got = snapshot.load(root, today=dt.date.fromisoformat(as_of), cache=cache_on)
    problems = [(p.location(), p.severity, problem_message(p, EN)) for p in got.problems]
    return got.hazards, got.snapshot.unreadable_hazards, problems


def assert_same(root: Path, parsed: list[str], expect_read: set[str], as_of: str = TODAY) -> None:
    """With the cache: the answer of --no-cache, reading exactly ``expect_read`` again."""
    parsed.clear()
    with_cache = outputs(root, True, as_of)
    read = set(parsed)
    parsed.clear()
    assert with_cache == outputs(root, False, as_of)
    assert read == expect_read


def hazard_rels(root: Path) -> set[str]:
    return {f"data/hazards/{p.name}" for p in (root / "data" / "hazards").glob("*.yaml")}


def warm(root: Path, parsed: list[str]) -> None:
    outputs(root, True)
    parsed.clear()


def test_a_warm_plan_reads_no_hazard_file_again(root: Path, parsed: list[str]) -> None:
    """The commands' own output (validate's text, status's JSON), cold and warm."""

    def commands(cache_on: bool) -> list[tuple[int, str]]:
        return [
            run(root, "validate", cache_on=cache_on),
            run(root, "status", "--json", cache_on=cache_on),
        ]

    cold = commands(True)
    assert set(parsed) == hazard_rels(root)
    assert (root / cache.CACHE_DIR / cache.CACHE_FILE).is_file()
    assert cold[0][0] == 1 and "closure" in cold[0][1]  # the broken files are reported
    parsed.clear()
    # The files were written just now (within RACY_NS): their hashes vouch for them.
    assert commands(True) == cold
    assert parsed == []
    assert commands(False) == cold


def test_old_files_are_trusted_by_their_timestamps(
    root: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for p in (root / "data" / "hazards").iterdir():
        os.utime(p, ns=(10**18, 10**18))
    warm(root, parsed)
    # As if the cache had been made long after the files last changed (their ctime is now).
    path = root / cache.CACHE_DIR / cache.CACHE_FILE
    stored = json.loads(path.read_text("utf-8"))
    stored["started"] += 10 * cache.RACY_NS
    path.write_text(json.dumps(stored), "utf-8")
    hashed: list[str] = []
    real = cache.text_digest
    monkeypatch.setattr(cache, "text_digest", lambda t: hashed.append(t) or real(t))
    assert_same(root, parsed, set())
    assert hashed == []


def _same_size_edit(path: Path) -> None:
    """Change the title without changing the size, and put the mtime back."""
    st = path.stat()
    text = path.read_bytes()
    changed = text.replace("隐患".encode(), "问题".encode(), 1)
    if changed == text:
        changed = text.replace(b"title: ", b"title:  ", 1).replace(b"\n\n", b"\n", 1)
    assert changed != text and len(changed) == len(text)
    path.write_bytes(changed)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_mtime_ns == st.st_mtime_ns and path.stat().st_size == st.st_size


def test_a_file_changed_in_the_same_tick_with_the_same_size(root: Path, parsed: list[str]) -> None:
    warm(root, parsed)
    path = root / A7K2
    _same_size_edit(path)
    assert_same(root, parsed, {A7K2})


def test_the_hash_catches_what_the_timestamps_cannot(
    root: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A filesystem whose ctime is as coarse as its mtime: the key sees no change, the hash
    of a file written near the cache's making does."""
    monkeypatch.setattr(cache, "_key", lambda p: _coarse_key(p))
    warm(root, parsed)
    _same_size_edit(root / A7K2)
    assert_same(root, parsed, {A7K2})


def _coarse_key(path: str) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, 0, st.st_ino)


def test_a_file_replaced_by_rename(root: Path, parsed: list[str]) -> None:
    warm(root, parsed)
    path = root / A7K2
    st = path.stat()
    tmp = path.with_name(".new.tmp")
    tmp.write_bytes(path.read_bytes().replace("隐患".encode(), "问题".encode(), 1))
    os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp, path)
    assert_same(root, parsed, {A7K2})


def test_a_deleted_file(root: Path, parsed: list[str]) -> None:
    warm(root, parsed)
    (root / K8WE).unlink()
    assert_same(root, parsed, set())
    stored = json.loads((root / cache.CACHE_DIR / cache.CACHE_FILE).read_text("utf-8"))
    assert K8WE not in stored["files"]


def test_a_new_file(root: Path, parsed: list[str]) -> None:
    warm(root, parsed)
    src = (root / A7K2).read_text("utf-8").replace("HZ-20240315-A7K2", "HZ-20240315-NEW1")
    (root / "data/hazards/HZ-20240315-NEW1.yaml").write_text(src, "utf-8")
    assert_same(root, parsed, {"data/hazards/HZ-20240315-NEW1.yaml"})


def _damage(raw: bytes, how: str) -> tuple[bytes, str | None]:
    """The cache damaged; the one file whose entry alone was spoiled (None: all of it)."""
    if how == "truncated":
        return raw[: len(raw) // 2], None
    if how == "garbage":
        return b"\x00\xff not json", None
    if how == "not-an-object":
        return b"[]", None
    data = json.loads(raw)
    if how == "another-version":
        data["stamp"] = "1:0.0.1"
        return json.dumps(data).encode(), None
    rel, entry = next((r, e) for r, e in data["files"].items() if e["s"] is not None)
    if how == "a-summary-of-another-shape":
        entry["s"][1] = 7  # a title that is a number
    elif how == "a-summary-cut-short":
        entry["s"] = entry["s"][:5]
    elif how == "a-date-out-of-range":
        entry["s"][4] = 10**9
    elif how == "a-wrong-hash":
        entry["h"] = "0" * 32
    elif how == "an-evidence-of-another-shape":
        entry["e"] = [7]
    elif how == "a-problem-of-another-shape":
        entry["p"] = [[1, 1, "x", "y", {"a": {"?": 1}}, "error"]]
    return json.dumps(data).encode(), rel


@pytest.mark.parametrize(
    "how",
    [
        "truncated",
        "garbage",
        "not-an-object",
        "another-version",
        "a-summary-of-another-shape",
        "a-summary-cut-short",
        "a-date-out-of-range",
        "a-wrong-hash",
        "a-problem-of-another-shape",
        "an-evidence-of-another-shape",
    ],
)
def test_a_damaged_or_foreign_cache_is_ignored_and_rebuilt(
    root: Path, parsed: list[str], how: str
) -> None:
    warm(root, parsed)
    path = root / cache.CACHE_DIR / cache.CACHE_FILE
    damaged, spoiled = _damage(path.read_bytes(), how)
    path.write_bytes(damaged)
    assert_same(root, parsed, hazard_rels(root) if spoiled is None else {spoiled})
    stored = json.loads(path.read_text("utf-8"))
    assert stored["stamp"] == cache._stamp()
    assert set(stored["files"]) == hazard_rels(root)
    assert_same(root, parsed, set())  # rebuilt: trusted again


def test_another_version_of_safeplan_reads_everything_again(
    root: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    warm(root, parsed)
    monkeypatch.setattr(filestamp, "__version__", "99.0")  # the stamp both caches take
    assert_same(root, parsed, hazard_rels(root))


def test_two_commands_writing_the_cache_at_once(root: Path) -> None:
    expected = snapshot.load(root, today=None)
    key = [(p.location(), p.code, str(p.params)) for p in expected.problems]
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for j in range(4):
                if i == 0 and j == 1:
                    _same_size_edit(root / A7K2)  # one file changes while the others read
                got = snapshot.load(root, today=None, cache=True)
                assert len(got.hazards) == len(expected.hazards)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    fresh = snapshot.load(root, today=None)
    cached = snapshot.load(root, today=None, cache=True)
    assert cached.hazards == fresh.hazards
    assert [(p.location(), p.code, str(p.params)) for p in cached.problems] == [
        (p.location(), p.code, str(p.params)) for p in fresh.problems
    ]
    assert len(key) == len(fresh.problems)
    folder = root / cache.CACHE_DIR
    # no temporary left (beside the cache, the whole-plan entries of repo/warm.py)
    assert [p.name for p in folder.iterdir() if not p.name.startswith("plan-")] == [
        cache.CACHE_FILE
    ]
    json.loads((folder / cache.CACHE_FILE).read_text("utf-8"))


def test_a_killed_writer_leaves_a_temporary_file_that_a_later_write_removes(
    root: Path, parsed: list[str]
) -> None:
    warm(root, parsed)
    folder = root / cache.CACHE_DIR
    old = folder / ".hazards-killed.tmp"
    old.write_text('{"half', "utf-8")
    os.utime(old, ns=(10**18, 10**18))
    recent = folder / ".hazards-writing.tmp"  # another command may be writing it now
    recent.write_text('{"half', "utf-8")
    (root / K8WE).unlink()  # something to write
    assert_same(root, parsed, set())
    assert not old.exists()
    assert recent.exists()


def test_facts_after_the_day_are_decided_on_each_read(root: Path, parsed: list[str]) -> None:
    warm(root, parsed)
    early = "2024-07-01"  # before facts of several records: they are read again, and said
    first = outputs(root, True, early)
    assert parsed  # the records with later facts were read again
    parsed.clear()
    assert first == outputs(root, False, early)
    assert first != outputs(root, False)
    assert "after today (2024-07-01)" in str(first)
    assert_same(root, parsed, set())  # the day moves on: the cache holds again


def test_missing_evidence_is_decided_on_each_read(root: Path, parsed: list[str]) -> None:
    warm(root, parsed)
    pdf = root / "evidence" / "HZ-20240315-A7K2" / "rectified.pdf"
    pdf.unlink()
    naming = {r for r in hazard_rels(root) if "rectified.pdf" in (root / r).read_text("utf-8")}
    assert A7K2 in naming
    assert_same(root, parsed, naming)
    assert "rectified.pdf" in str(outputs(root, True))
    pdf.write_bytes(b"%PDF")
    assert_same(root, parsed, set())
    assert "rectified.pdf" not in str(outputs(root, True))


def _age_cache(root: Path) -> None:
    """As if the cache had been made long after anything last changed: nothing is racy."""
    path = root / cache.CACHE_DIR / cache.CACHE_FILE
    stored = json.loads(path.read_text("utf-8"))
    stored["started"] += 10 * cache.RACY_NS
    path.write_text(json.dumps(stored), "utf-8")


@pytest.mark.parametrize("how", ["deleted", "renamed", "replaced-by-a-folder", "mtime-put-back"])
def test_evidence_folders_vouch_for_their_files_until_they_change(
    root: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Evidence of an entry is checked by one stat of its folder; any change of the folder's
    names (even with its mtime put back) makes each file looked at again."""
    warm(root, parsed)
    _age_cache(root)
    stored = json.loads((root / cache.CACHE_DIR / cache.CACHE_FILE).read_text("utf-8"))
    assert [s[0] for s in stored["files"][A7K2]["d"]] == ["evidence/HZ-20240315-A7K2"]
    looked: list[str] = []
    real = os.path.exists
    monkeypatch.setattr(os.path, "exists", lambda p: looked.append(str(p)) or real(p))
    outputs(root, True)
    assert parsed == []
    assert not any("rectified.pdf" in p for p in looked)  # the folder vouched for it
    folder = root / "evidence" / "HZ-20240315-A7K2"
    pdf = folder / "rectified.pdf"
    st = folder.stat()
    if how == "deleted":
        pdf.unlink()
    elif how == "renamed":
        pdf.rename(folder / "rectified.PDF")
    elif how == "replaced-by-a-folder":
        pdf.unlink()
        pdf.mkdir()
    else:
        pdf.unlink()
        os.utime(folder, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert folder.stat().st_mtime_ns == st.st_mtime_ns
    naming = {r for r in hazard_rels(root) if "rectified.pdf" in (root / r).read_text("utf-8")}
    expect = naming if how != "replaced-by-a-folder" else set()
    assert_same(root, parsed, expect)
    assert ("rectified.pdf" in str(outputs(root, True))) == (how != "replaced-by-a-folder")


def test_a_cache_that_cannot_be_written_changes_nothing(
    root: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / cache.CACHE_DIR).write_text("a file where the folder should be", "utf-8")
    assert_same(root, parsed, hazard_rels(root))

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(30, "Read-only file system")

    (root / cache.CACHE_DIR).unlink()
    monkeypatch.setattr(cachefile.tempfile, "mkstemp", refuse)
    assert_same(root, parsed, hazard_rels(root))
    assert not (root / cache.CACHE_DIR / cache.CACHE_FILE).exists()


@pytest.mark.parametrize(
    "argv, env",
    [
        (["--no-cache", "status"], {}),
        (["status", "--no-cache"], {}),
        (["validate", "--no-cache"], {}),
        (["status"], {"SAFEPLAN_NO_CACHE": "1"}),
    ],
)
def test_no_cache_reads_every_file_and_writes_no_cache(
    root: Path, argv: list[str], env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    result = CliRunner().invoke(app, [*argv, "--root", str(root), "--as-of", TODAY])
    assert result.exit_code in (0, 1), result.output
    assert not (root / cache.CACHE_DIR).exists()


@pytest.mark.slow
def test_the_cache_of_the_invalid_corpus_gives_its_expected_output(tmp_path: Path) -> None:
    """Every message of every case, served from the cache, as the golden file says."""
    from test_invalid_corpus import CASES, INVALID, build_tree

    for name in CASES:
        root = build_tree(INVALID / name, tmp_path / name)
        expected = (INVALID / name / "expected.txt").read_text("utf-8")
        for _ in range(2):  # cold, then warm
            argv = ["validate", "--lang", "en", "--root", str(root), "--as-of", TODAY]
            out = CliRunner().invoke(app, argv).stdout
            assert out == expected, name


# --------------------------------------------------------------------------- exact ids


def test_an_exact_id_is_resolved_without_listing_the_folder(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_listing(_root: Path) -> list[str]:
        raise AssertionError("listed the folder")

    monkeypatch.setattr(layout, "hazard_ids", no_listing)
    assert resolve_hazard_id(root, "HZ-20240315-A7K2") == "HZ-20240315-A7K2"
    assert resolve_hazard_id(root, " HZ－20240315－A7K2 ") == "HZ-20240315-A7K2"
    with pytest.raises(AssertionError):  # only the end, or another case: the listing decides
        resolve_hazard_id(root, "k8we")


def test_partial_and_case_folded_ids_still_resolve(root: Path) -> None:
    assert resolve_hazard_id(root, "k8we") == "HZ-20230910-K8WE"
    assert resolve_hazard_id(root, "hz-20240315-a7k2") == "HZ-20240315-A7K2"
    assert resolve_hazard_id(root, "../plan/plan") == "../plan/plan"  # refused later


def test_new_ids_are_checked_by_the_files_existence(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    monkeypatch.setattr(repo_pkg, "hazard_ids", lambda _r: pytest.fail("listed"))
    taken = TakenIds(root)
    assert "HZ-20240315-A7K2" in taken
    assert "hz-20240315-a7k2" in taken
    assert "HZ-20240315-ZZZZ" not in taken
    (root / "data/hazards/hz-20240315-low1.yaml").write_text("id: x\n", "utf-8")
    assert "HZ-20240315-LOW1" in taken  # another case of it exists
    letters = iter("A7K2" + "A7K3")
    got = new_hazard_id(dt.date(2024, 3, 15), taken, lambda _alphabet: next(letters))
    assert got == "HZ-20240315-A7K3"


def test_rows_are_the_views_pydantic_would_construct() -> None:
    """``View.from_fields`` (status builds a row per hazard with it) gives what ``model_construct``
    gives, dumps alike, and refuses a row that leaves a field out."""
    import datetime as dt

    from safeplan.models.views import HazardRow

    values = {
        name: (dt.date(2026, 1, 2) if "date" in str(f.annotation) else None)
        for name, f in HazardRow.model_fields.items()
    }
    values.update(id="HZ-1", title="t", level="major", state="open", path="p")
    quick = HazardRow.from_fields(dict(values))
    slow = HazardRow.model_construct(**values)
    assert quick == slow
    assert quick.model_dump(mode="json") == slow.model_dump(mode="json")
    assert quick.model_fields_set == slow.model_fields_set
    del values["industry"]
    with pytest.raises(TypeError, match="industry"):
        HazardRow.from_fields(values)


def test_the_hazards_enterprise_link_and_code_come_back_from_the_cache(
    root: Path, parsed: list[str]
) -> None:
    """validate checks them against the register on every read, warm or cold."""
    path = root / A7K2
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("enterprise:\n", "enterprise:\n  id: 91150400MA0N1234XL\n"), encoding="utf-8"
    )
    warm(root, parsed)
    assert_same(root, parsed, set())
    import datetime as dt

    got = snapshot.load(root, today=dt.date.fromisoformat(TODAY), cache=True)
    (a7k2,) = [h for h in got.snapshot.hazards if h.path == A7K2]
    assert (a7k2.enterprise_id, a7k2.credit_code) == ("91150400MA0N1234XL", "91150400MA0N1234XL")
    assert any(p.code == "unknown-enterprise" and p.path == A7K2 for p in got.problems)


# --------------------------------------------------------------------------- enterprise files


@pytest.fixture
def ent_root(tmp_path: Path) -> Path:
    from conftest import enterprise_plan

    return enterprise_plan(tmp_path / "ent")


def ent_outputs(root: Path, cache_on: bool, as_of: str = TODAY) -> object:
    import datetime as dt

    got = snapshot.load(root, today=dt.date.fromisoformat(as_of), cache=cache_on)
    problems = [(p.location(), p.severity, problem_message(p, EN)) for p in got.problems]
    dumps = [e.model_dump(exclude_unset=True) for e in got.enterprises]
    sets = [e.model_fields_set for e in got.enterprises]
    return got.enterprises, dumps, sets, got.snapshot.enterprise_paths, problems


def test_enterprise_files_come_from_the_cache_and_equal_a_fresh_read(
    ent_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safeplan.repo import enterprises

    cold = ent_outputs(ent_root, False)
    assert ent_outputs(ent_root, True) == cold  # the cache made
    assert (ent_root / cache.CACHE_DIR / "enterprises.json").is_file()
    read: list[str] = []
    real = enterprises.parse_file

    def counting(path, rel, model):  # type: ignore[no-untyped-def]
        read.append(rel)
        return real(path, rel, model)

    monkeypatch.setattr(enterprises, "parse_file", counting)
    assert ent_outputs(ent_root, True) == cold
    assert read == [] or all(r.startswith("data/enterprises/") for r in read)
    # Old enough files are trusted by their timestamps: none is read again.
    for p in (ent_root / "data" / "enterprises").glob("*.yaml"):
        os.utime(p, ns=(p.stat().st_mtime_ns - 10**10, p.stat().st_mtime_ns - 10**10))
    ent_outputs(ent_root, True)
    read.clear()
    assert ent_outputs(ent_root, True) == cold
    assert read == []
    # A changed file is read again, and what it now says is what status sees.
    target = next(iter(sorted((ent_root / "data" / "enterprises").glob("*.yaml"))))
    target.write_text(
        target.read_text(encoding="utf-8").replace("\nname: ", "\nname: 改名"), encoding="utf-8"
    )
    read.clear()
    warm_after = ent_outputs(ent_root, True)
    assert read == [f"data/enterprises/{target.name}"]
    assert warm_after == ent_outputs(ent_root, False)
    assert any(e.name.startswith("改名") for e in warm_after[0])  # type: ignore[index]


def test_an_enterprise_fact_after_the_day_is_decided_on_each_read(ent_root: Path) -> None:
    later = ent_outputs(ent_root, True, "2026-11-28")
    early = "2024-06-30"  # the fixture's facts run past it
    got = ent_outputs(ent_root, True, early)
    assert got == ent_outputs(ent_root, False, early)
    assert any("after today" in p[2] for p in got[4])  # type: ignore[index]
    assert ent_outputs(ent_root, True, "2026-11-28") == later


def test_a_damaged_enterprise_cache_is_ignored(ent_root: Path) -> None:
    cold = ent_outputs(ent_root, False)
    ent_outputs(ent_root, True)
    path = ent_root / cache.CACHE_DIR / "enterprises.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    rel = next(iter(data["files"]))
    data["files"][rel]["r"]["checks"] = "not a list"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert ent_outputs(ent_root, True) == cold
    path.write_text("{not json", encoding="utf-8")
    assert ent_outputs(ent_root, True) == cold


def test_an_enterprise_file_with_a_problem_is_not_kept(ent_root: Path) -> None:
    bad = ent_root / "data" / "enterprises" / "QY-BAD.yaml"
    bad.write_text(
        "id: QY-OTHER\nname: 错名企业\nindustry: other\nregistered_on: 2024-01-01\n",
        encoding="utf-8",
    )
    cold = ent_outputs(ent_root, False)
    assert ent_outputs(ent_root, True) == cold
    assert ent_outputs(ent_root, True) == cold
    data = json.loads((ent_root / cache.CACHE_DIR / "enterprises.json").read_text("utf-8"))
    assert "data/enterprises/QY-BAD.yaml" not in data["files"] and data["files"]
