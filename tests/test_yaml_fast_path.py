"""The event-built fast path of load_fast gives exactly what the full loader gives.

load_fast builds ordinary files straight from libyaml's events and hands anything
unusual to the full loader. Both must agree on every input the fast path accepts;
what safeplan refuses outright (anchors, deep nesting, a second document) is refused
with the same location whichever path sees it; valid files never fall back; and an
unexpected exception is never swallowed.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import FIXTURE_PLAN, bench_gen
from safeplan import yamlio
from safeplan.yamlio import fast

REPO = Path(__file__).resolve().parent.parent

CASES = [
    "a: yes\nb: no\nc: on\nd: off\ne: y\n",
    "a: [true, True, TRUE, false, False, FALSE, tRue]\n",
    "a: [~, null, Null, NULL, nUll, '', \"\"]\nb:\n",
    "a: [0x1F, 0o17, 017, 0b101, 1_000, +5, -0, 1:30, 0, 00, 09]\n",
    "a: [1e3, 1.5, .inf, -.Inf, .nan, 6.8523015e+5, +12.5, 1., .5, 0.]\n",
    "a: [2024-01-01, 2024-02-30, 2001-12-14t21:59:43.10-05:00, '2024-01-01']\n",
    "a: |\n  line1\n  line2\nb: >\n  folded\n  text\n",
    "a: {b: 1, c: [1, 2, {d: e}]}\n",
    "1: a\ntrue: b\n~: c\n",
    "1: a\ntrue: b\n",
    "1.0: x\n1: y\n",
    "a: 1\na: 2\n",
    "? [a, b]\n: c\n",
    "<<: {x: 1}\n",
    "a: <<\n",
    "a: =\n",
    "base: &b {x: 1}\nother: *b\n",
    "a: *undefined\n",
    "a: !!str 123\n",
    "a: !!int 12\nb: !!float 1\n",
    "a: [x, !!str y, {b: !!null ''}]\n",
    "a: !!int x12\n",
    "a: !custom x\n",
    "a: !!timestamp 2024-01-01\n",
    "---\na: 1\n---\nb: 2\n",
    "---\n...\n",
    "# only a comment\n",
    "",
    "- a\n- b\n",
    "plain scalar\n",
    "a: 'it''s'\nb: \"tab\\there\"\n",
    "a: b: c\n",
    "k: v\n bad: indent\n",
    "a: " + "9" * 5000 + "\n",
    "".join(" " * i + f"k{i}:\n" for i in range(100)) + " " * 100 + "v: 1\n",
    "[" * 70 + "]" * 70 + "\n",
    "[" * 60 + "]" * 60 + "\n",
    "\ufeffa: 1\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "note: '" + "[" * 100 + "{" * 100 + "'\n# " + "[" * 200 + "\n",
]


def _where(mark: Any) -> str:
    return f"{mark.line + 1}:{mark.column + 1}"


def _reference(text: str) -> tuple[str, Any]:
    """What load_fast must give, found another way: the structure from PyYAML's own event
    parser, then the full loader (``fast._full``) for the data or its located problem."""
    try:
        events = list(yaml.parse(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        events = None  # the syntax error is the full loader's to report
    if events is not None:
        depth = 0
        documents = 0
        for ev in events:
            if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None) is not None:
                return ("problem", f"{_where(ev.start_mark)}: anchor")
            if isinstance(ev, yaml.CollectionStartEvent):
                depth += 1
                if depth > yamlio.MAX_DEPTH:
                    return ("problem", f"{_where(ev.start_mark)}: too-deep")
            elif isinstance(ev, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents == 2:
                    return ("problem", f"{_where(ev.start_mark)}: many-documents")
    try:
        return ("data", fast._full(text))
    except yamlio.YamlProblem as exc:
        return ("problem", f"{exc.line}:{exc.column}: {exc.code}")


def _got(text: str) -> tuple[str, Any]:
    try:
        return ("data", yamlio.load_fast(text))
    except yamlio.YamlProblem as exc:
        return ("problem", f"{exc.line}:{exc.column}: {exc.code}")


def _norm(x: Any) -> Any:
    if isinstance(x, float) and math.isnan(x):
        return ("nan",)
    if isinstance(x, dict):
        return ("map", tuple((_norm(k), _norm(v)) for k, v in x.items()))
    if isinstance(x, list):
        return ("seq", tuple(_norm(v) for v in x))
    return (type(x).__name__, x)


@pytest.mark.parametrize("text", CASES)
def test_load_fast_agrees_with_the_reference(text: str) -> None:
    expected, got = _reference(text), _got(text)
    assert got[0] == expected[0], (got, expected)
    if expected[0] == "data":
        assert _norm(got[1]) == _norm(expected[1])
    else:
        assert got[1] == expected[1]  # the same line, column and kind of problem


def test_some_cases_are_refused_and_some_fall_back() -> None:
    """The corpus above exercises all three paths, or the agreement test proves little."""
    kinds = {"fast": 0, "fallback": 0, "refused": 0}
    for text in CASES:
        before = fast.stats.fallback
        result = _got(text)[0]
        if fast.stats.fallback > before:
            kinds["fallback"] += 1
        elif result == "problem":
            kinds["refused"] += 1
        else:
            kinds["fast"] += 1
    assert all(n >= 3 for n in kinds.values()), kinds


ORDINARY = [
    CASES[0],
    CASES[1],
    CASES[2],
    CASES[4],
    CASES[5],
    CASES[6],
    CASES[7],
    "id: HZ-20240315-A7K2\ntitle: 井下主排水泵房排水能力不足\nnotes:\n  - on: 2024-04-01\n    text: 已制定\n",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_records_take_the_fast_path(text: str) -> None:
    """The fast path is the point: an ordinary record must not fall back to the full loader."""
    before = fast.stats.fallback
    data = yamlio.load_fast(text)
    assert fast.stats.fallback == before
    assert _norm(data) == _norm(fast._full(text))


def _all_yaml(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.y*ml") if p.is_file())


def test_no_shipped_or_generated_file_falls_back(tmp_path: Path) -> None:
    gen = bench_gen()
    generated = tmp_path / "generated"
    gen.generate(generated, 300, 7)
    files = (
        _all_yaml(FIXTURE_PLAN / "plan")
        + _all_yaml(FIXTURE_PLAN / "data")
        + _all_yaml(generated / "data")
    )
    assert len(files) > 300
    before = (fast.stats.fast, fast.stats.fallback)
    for path in files:
        yamlio.load_fast(yamlio.read_text(path))
    assert fast.stats.fallback == before[1], "a valid file fell back to the slow loader"
    assert fast.stats.fast == before[0] + len(files)
    shutil.rmtree(generated)


def test_an_unexpected_exception_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(value: str) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(fast, "resolve_plain", broken)
    fast._PLAIN_CACHE.clear()
    with pytest.raises(RuntimeError, match="a bug"):
        yamlio.load_fast("a: 1\n")
