"""The event-built fast path of load_fast gives exactly what the full loader gives.

load_fast builds ordinary files straight from libyaml's events and hands anything
unusual to the full loader (_FastLoader). Both must agree on every input the fast
path accepts, and load_fast must report the full loader's located problem otherwise.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from safeplan import yamlio

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
    "\ufeffa: 1\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
]


def _full(text: str) -> tuple[str, Any]:
    """What load_fast gave before the fast path: the full loader's data or problem."""
    try:
        yamlio._check_depth(text)
        yamlio._check_anchors(text)
    except yamlio.YamlProblem as exc:
        return ("problem", str(exc))
    loader = yamlio._FastLoader(text)
    try:
        return ("data", loader.get_single_data())
    except yamlio._Located as exc:
        return ("problem", str(exc.problem))
    except Exception as exc:
        return ("problem", type(exc).__name__)
    finally:
        loader.dispose()


def _norm(x: Any) -> Any:
    if isinstance(x, float) and math.isnan(x):
        return ("nan",)
    if isinstance(x, dict):
        return ("map", tuple((_norm(k), _norm(v)) for k, v in x.items()))
    if isinstance(x, list):
        return ("seq", tuple(_norm(v) for v in x))
    return (type(x).__name__, x)


@pytest.mark.parametrize("text", CASES)
def test_fast_path_agrees_with_the_full_loader(text: str) -> None:
    expected = _full(text)
    try:
        fast = yamlio._load_events(text)
    except Exception:
        fast = yamlio._Unusual  # handed over to the full loader
    if fast is not yamlio._Unusual:
        assert expected[0] == "data", f"fast path accepted what the full loader refuses: {text!r}"
        assert _norm(fast) == _norm(expected[1])
    try:
        got: tuple[str, Any] = ("data", yamlio.load_fast(text))
    except yamlio.YamlProblem as exc:
        got = ("problem", str(exc))
    if expected[0] == "data":
        assert got[0] == "data" and _norm(got[1]) == _norm(expected[1])
    else:
        assert got[0] == "problem"


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
    data = yamlio._load_events(text)
    assert data is not yamlio._Unusual
    assert _norm(data) == _norm(_full(text)[1])


@pytest.mark.parametrize("text", [t for t in CASES if _full(t)[0] == "problem"])
def test_a_refused_input_gets_the_full_loaders_located_problem(text: str) -> None:
    """Not just some problem: the same line, column and message the full loader gives."""
    expected = _full(text)[1]
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.load_fast(text)
    assert str(info.value) == expected or expected.isidentifier()  # a bare exception name
