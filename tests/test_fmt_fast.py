"""``fmt``'s fast path (issue 24): a file is called canonical without a ruamel.yaml round
trip only when the round trip would give back the very same bytes.

The fast path (``canonical.already_canonical``) writes the canonical layout from the
plain data libyaml read and compares it with the file. These tests hold it to the round
trip (``canonical.round_trip``, the reference) file by file over a corpus: every YAML file
of ``tests/data``, generated records of both generators (as generated and as formatted),
the same files with CRLF line ends, a BOM, a heading comment, and records with one tricky
value put in every kind of field, written plain, single- and double-quoted. Wherever the
fast path says "canonical", the round trip must agree; and every text the fast path's
writer produces must be its own round trip and read back as the data it came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import bench_gen
from safeplan.cli import app
from safeplan.yamlio import YamlProblem, load_fast
from safeplan.yamlio import canonical as C
from safeplan.yamlio.canonical import NotFormatted
from safeplan.yamlio.text import BOM, decode

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def _kind(name: str) -> str:
    return {"plan.yaml": "plan", "units.yaml": "units", "tasks.yaml": "tasks"}.get(name, "hazard")


def _read(raw: bytes) -> tuple[str, object] | None:
    """The text and data safeplan reads from a file's bytes (None: it cannot read them)."""
    try:
        text = decode(raw)
        return text, load_fast(text)
    except YamlProblem:
        return None


def _round_trip(raw: bytes, kind: str, where: Path) -> bytes | None:
    """The round trip's layout of the bytes (None: it refuses the file)."""
    read = _read(raw)
    if read is None:
        return None
    where.write_bytes(raw)
    try:
        return C.round_trip(where, raw, read[0], read[1], kind)[1]
    except (NotFormatted, YamlProblem):
        return None


def _fast(raw: bytes, kind: str) -> bool:
    read = _read(raw)
    return read is not None and C.already_canonical(read[0], read[1], kind)


def _generated(tmp_path: Path) -> list[Path]:
    """Hazard files of both generators (a few dozen each, fixed seeds)."""
    gen = bench_gen()

    out: list[Path] = []
    for name, full in (("gen", False), ("full", True)):
        root = tmp_path / name
        gen.generate(root, 20, 11, full=full)
        out += sorted((root / "data" / "hazards").glob("*.yaml"))
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, bytes, bytes | None]]:
    """(name, kind, bytes, the round trip's layout) of every corpus file and its variants."""
    tmp_path = tmp_path_factory.mktemp("corpus")
    where = tmp_path / "HZ-20240501-ABCD.yaml"
    files = sorted(p for p in DATA.rglob("*.y*ml") if p.is_file())
    files += _generated(tmp_path)
    out = []
    for p in files:
        raw = p.read_bytes()
        kind = _kind(p.name)
        formatted = _round_trip(raw, kind, where)
        out.append((str(p), kind, raw, formatted))
        if formatted is None or BOM in raw[:3] or b"\r" in raw:
            continue
        variants = {"crlf": raw.replace(b"\n", b"\r\n"), "heading": HEADING + raw}
        if formatted != raw:
            variants["formatted"] = formatted
            variants["formatted, heading, crlf"] = (HEADING + formatted).replace(b"\n", b"\r\n")
        variants["formatted, bom"] = BOM + formatted
        for label, data in variants.items():
            out.append((f"{p} ({label})", kind, data, _round_trip(data, kind, where)))
    return out


#: Comment lines at the top of a file, and a blank line: what the fast path allows.
HEADING = "# 标题 heading\n#\n\n".encode()


@pytest.mark.slow
def test_the_fast_path_agrees_with_the_round_trip_file_by_file(
    corpus: list[tuple[str, str, bytes, bytes | None]],
) -> None:
    fast = slow_same = changed = refused = 0
    generated: list[bool] = []  # generated records once formatted: does the fast path decide?
    for name, kind, raw, new in corpus:
        decided = _fast(raw, kind)
        if decided:
            assert new == raw, f"fast path called {name} canonical; the round trip disagrees"
            fast += 1
        elif new is None:
            refused += 1
        elif new == raw:
            slow_same += 1
        else:
            changed += 1
        if ("/gen/" in name or "/full/" in name) and "(formatted" in name:
            generated.append(decided)
    # Not vacuous: the corpus has files of every outcome (the fixtures' own comments, keys
    # quoted, records of other kinds go to the round trip), and the fast path decides
    # every formatted generated record: those are what a plan kept with safeplan holds.
    counts = (fast, slow_same, changed, refused)
    assert fast > 400 and slow_same > 50 and changed > 100 and refused > 10, counts
    assert len(generated) > 100 and all(generated)


# --------------------------------------------------------------------------- one value, every place

VALUES = [
    "配电室未设置挡鼠板",
    "1#仓库",
    "x#y",
    "x #y",
    "#x",
    "a:b",
    "a: b",
    "a:",
    "10:30",
    "中文：冒号",
    "yes",
    "on",
    "Off",
    "y",
    "null",
    "Null",
    "~",
    "true",
    "True",
    "",
    " ",
    "'",
    "a'b",
    "'引号'",
    '"双引号"',
    "0012",
    "12",
    "-5",
    "1_000",
    "0x1F",
    "0o7",
    "+1",
    "1e3",
    "1.5",
    ".inf",
    ".5",
    "2024-03-05",
    "2024-02-30",
    "2024-3-5",
    "=",
    "<<",
    "!tag",
    "&a",
    "*a",
    "%x",
    "@x",
    "`x",
    "|x",
    ">x",
    "?x",
    "? x",
    ":x",
    "- x",
    "-x",
    "---",
    "...abc",
    "--- x",
    "a,b",
    "[a]",
    "{a}",
    "a?b",
    "a\tb",
    "\xa0x",
    "x\xa0",
    "尾随空格 ",
    " 前导空格",
    "a\u2028b",
    "a\x85b",
    "\ufeffx",
    "县级",
    "county",
    "长" * 1500,
    "泵房 排水 " * 300,
    "两行\n文本",
    "两行\n文本\n",
    "两行\n\n文本",
    "两行\n文本\n\n",
    " 缩进\n文本",
    "行尾空格 \n文本",
    "a\n b",
    "\n",
    "a\r\nb",
]

RECORD = """\
id: HZ-20240501-ABCD
title: {title}
description: 门市房燃气管道穿越卧室及密闭空间
level: major
enterprise:
  name: 大井燃气站
  credit_code: {credit}
discovered_on: {date}
source: inspection
responsible_unit: 镇安监站
rectification_plan:
  measures: {measures}
  deadline: 2024-06-01
rectification:
  on: 2024-05-20
  evidence: [{word}, 整改照片]
supervision:
  - level: {level}
    by: 县安委办
    listed_on: 2024-03-20
notes:
  - on: 2024-05-02
    text: {note}
"""
DEFAULTS = {
    "title": "配电室未设置挡鼠板",
    "date": "2024-05-01",
    "credit": "'91150425MA0N000000'",
    "measures": "加装挡鼠板",
    "word": "整改通知书",
    "level": "county",
    "note": "已整改",
}


def _spellings(value: str, flow: bool) -> Iterator[str]:
    """The ways a person (or a tool) may write the value on a line."""
    import json

    if "\n" not in value and "\r" not in value:
        yield value
    yield "'" + value.replace("'", "''") + "'"
    yield json.dumps(value, ensure_ascii=False)
    if not flow and "\n" in value and "\r" not in value:
        lines = value.rstrip("\n").split("\n")
        head = "|" if value.endswith("\n") and not value.endswith("\n\n") else "|-"
        yield head + "\n" + "".join(f"    {line}\n" if line else "\n" for line in lines)


def test_one_tricky_value_in_every_kind_of_field(tmp_path: Path) -> None:
    where = tmp_path / "HZ-20240501-ABCD.yaml"
    fast = 0
    seen = set()
    for value in VALUES:
        for slot in DEFAULTS:
            for spelling in _spellings(value, flow=slot == "word"):
                if spelling.startswith("|"):
                    if slot not in ("measures", "note", "title"):
                        continue
                    indent = {"measures": 2, "note": 4, "title": 0}[slot]
                    spelling = spelling.replace("\n    ", "\n" + " " * (indent + 2))
                text = RECORD.format(**{**DEFAULTS, slot: spelling})
                if spelling.startswith("|"):
                    text = text.replace(spelling + "\n", spelling)
                raw = text.encode("utf-8")
                if raw in seen:
                    continue
                seen.add(raw)
                if _fast(raw, "hazard"):
                    fast += 1
                    assert _round_trip(raw, "hazard", where) == raw, (slot, value, spelling)
    assert fast > 150  # the fast path takes the ordinary spellings


@pytest.mark.slow
def test_every_text_the_writer_produces_is_its_own_round_trip(
    tmp_path: Path, corpus: list[tuple[str, str, bytes, bytes | None]]
) -> None:
    """From any data safeplan reads (the corpus, as written and formatted), the fast path's
    writer gives either up or a text that reads back as the same data and that the round
    trip leaves byte for byte as it is."""
    where = tmp_path / "HZ-20240501-ABCD.yaml"
    written = 0
    seen: set[str] = set()
    for name, kind, raw, _new in corpus:
        read = _read(raw)
        if read is None or type(read[1]) is not dict:
            continue
        out: list[str] = []
        try:
            C._fast_record(read[1], C.MODELS[kind], 0, out)
        except C._Fallback:
            continue
        text = "".join(out)
        if text in seen:
            continue
        seen.add(text)
        assert load_fast(text) == read[1], name
        assert _round_trip(text.encode("utf-8"), kind, where) == text.encode("utf-8"), name
        written += 1
    assert written > 100


def test_keys_out_of_order_unknown_or_quoted_go_to_the_round_trip() -> None:
    good = RECORD.format(**DEFAULTS)
    assert _fast(good.encode(), "hazard")
    swapped = good.replace("title: 配电室未设置挡鼠板\n", "").replace(
        "level: major\n", "level: major\ntitle: 配电室未设置挡鼠板\n"
    )
    for text in (
        swapped,
        good + "unknown_key: x\n",
        good.replace("id:", "'id':"),
        good.replace("title: 配电室未设置挡鼠板", "title: 配电室未设置挡鼠板  # 注释"),
        good + "# 结尾\n",
        good.replace("  - level", "  # 督办\n  - level"),
        good.replace("rectification:\n", "rectification: !!map\n"),
        good.replace(
            "evidence: [整改通知书, 整改照片]", "evidence:\n    - 整改通知书\n    - 整改照片"
        ),
        good.replace("  - on: 2024-05-02", "- on: 2024-05-02").replace(
            "    text: 已", "  text: 已"
        ),
        good.replace("discovered_on: 2024-05-01", "discovered_on: '2024-05-01'"),
        good.replace("level: county", "level: 县级"),
        "---\n" + good,
        good + "...\n",
        good.replace("\n", "  \n", 1),
        good + "\n",
        "  # 缩进的标题\n" + good,
        "# 标题\n" + good.replace("\n", "\r\n"),
    ):
        assert not _fast(text.encode(), "hazard"), text


def test_check_answers_as_before_and_round_trips_only_what_it_must(
    plan_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the command: canonical files are not round-tripped; the answer is the one
    the round trip alone gives."""
    hazards = plan_root / "data" / "hazards"
    hazards.mkdir(exist_ok=True)
    (hazards / "HZ-20240501-ABCD.yaml").write_text(RECORD.format(**DEFAULTS), "utf-8")
    messy = RECORD.format(**{**DEFAULTS, "title": "'配电室'"})
    (hazards / "HZ-20240502-ABCD.yaml").write_text(messy.replace("ABCD", "ABCE", 1), "utf-8")
    tripped: list[str] = []
    real = C.round_trip

    def counting(path: Path, *args: object) -> tuple[bytes, bytes]:
        tripped.append(path.name)
        return real(path, *args)  # type: ignore[arg-type]

    def answer() -> tuple[int, str]:
        result = CliRunner().invoke(
            app, ["--no-cache", "fmt", "--check", "--root", str(plan_root), "--lang", "en"]
        )
        return result.exit_code, result.stdout

    monkeypatch.setattr(C, "round_trip", counting)
    fast = answer()
    assert fast[0] == 1
    assert "data/hazards/HZ-20240502-ABCD.yaml: not in the canonical layout" in fast[1]
    assert "HZ-20240501-ABCD.yaml" not in fast[1]
    assert "HZ-20240501-ABCD.yaml" not in tripped and "HZ-20240502-ABCD.yaml" in tripped
    monkeypatch.setattr(C, "already_canonical", lambda *a: False)  # the round trip alone
    assert answer() == fast


def test_misread_skips_only_text_no_resolver_looks_at() -> None:
    """``misread`` skips the resolvers for text whose first character none of them keys
    on: that set must cover both libraries' resolvers, whatever their versions."""
    import yaml
    from ruamel.yaml.resolver import VersionedResolver

    from safeplan.yamlio import roundtrip

    keys = set(yaml.resolver.Resolver.yaml_implicit_resolvers)
    keys |= set(VersionedResolver(version=(1, 2)).versioned_resolver)
    assert None not in keys  # no resolver for every first character
    assert keys <= roundtrip._RESOLVED_FIRST
    assert not roundtrip.misread("镇安监站") and roundtrip.misread("yes")
