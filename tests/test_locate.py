"""The Locator's marks tree places every key path exactly where the composed node tree does.

``yamlio/locate.py`` reads places from libyaml's events instead of composing PyYAML's
node tree (five times cheaper): every path of every YAML file of the test data, of a
generated plan and of the odd cases below — plus paths that go past the file, indices out
of range, key and value places — must get the same line and column both ways.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from conftest import bench_gen
from safeplan.yamlio import YamlProblem, load_fast, locate
from safeplan.yamlio.locate import Locator, composed_find

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"

ODD = [
    "",
    "# only a comment\n",
    "plain scalar\n",
    "- a\n- [b, {c: d}]\n- \n",
    "a: {b: 1, c: [1, 2, {d: e}]}\n",
    "a: 1\na: 2\nb: {a: 3, a: 4}\n",
    "? [a, b]\n: c\nd: e\n? {x: 1}\n: {y: 2}\nz: 3\n",
    "1: a\ntrue: b\n~: c\n'2': d\n",
    "base: &b {x: 1}\nother: *b\n",
    "a: *undefined\n",
    "a: !!str 123\nb: !custom {c: 1}\n",
    "---\na: 1\n---\nb: 2\n",
    "a: 1\n---\n",
    "---\n...\n",
    "a: b: c\n",
    "k: v\n bad: indent\n",
    "a: [1, 2\n",
    "a:\n  - b: 1\n    c:\n      - d\n      - e: [f, g]\n",
    "a: |\n  text\nb: >-\n  more\nc: 'q'\n",
    "a: \x07\n",
    "x: " + "[" * 70 + "]" * 70 + "\n",
    "x: " + "[" * 30 + "]" * 30 + "\n",
    "题目: 电动车\n整改: {措施: 拆除}\n",
]


def _paths(node: Node | None, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple]:
    """Every path of a node tree, one that goes past each node, and indices out of range."""
    yield prefix
    yield (*prefix, "no-such-key")
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode):
                yield from _paths(value, (*prefix, key.value))
    elif isinstance(node, SequenceNode):
        yield (*prefix, len(node.value))
        yield (*prefix, -1)
        for i, value in enumerate(node.value):
            yield from _paths(value, (*prefix, i))


def _loads(text: str) -> bool:
    try:
        load_fast(text)
    except YamlProblem:
        return False
    return True


def _check(text: str) -> int:
    """Every path placed as composed: from the marks tree, and for a text that loads, read
    only as far as the path (a fresh Locator each time: a dozen paths of a file, spread
    over it, as each reads the text again), then the tree for a second find."""
    root = locate._composed(text)
    locator = Locator(text)
    loads = _loads(text)
    again = Locator(text, loaded=loads)
    paths = list(_paths(root))
    step = max(1, len(paths) // 12)
    n = 0
    for i, path in enumerate(paths):
        for at_key in (False, True):
            expected = composed_find(root, path, at_key)
            assert locator.find(path, at_key) == expected, (text, path)
            assert again.find(path, at_key) == expected, (text, path)
            if loads and i % step == 0:
                assert Locator(text, loaded=True).find(path, at_key) == expected, (text, path)
            n += 1
    return n


@pytest.mark.parametrize("text", ODD)
def test_odd_cases_are_placed_as_composed(text: str) -> None:
    assert _check(text) >= 2


def test_every_test_data_and_generated_file(tmp_path: Path) -> None:
    gen = bench_gen()
    gen.generate(tmp_path / "gen", 200, 11)
    gen.generate(tmp_path / "full", 100, 12, full=True)
    files = [
        p
        for base in (DATA, tmp_path)
        for p in sorted(base.rglob("*"))
        if p.suffix in (".yaml", ".yml") and p.is_file()
    ]
    assert len(files) > 500
    checked = 0
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace")
        checked += _check(text)
    assert checked > 20_000


def test_ordinary_files_are_not_composed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the marks tree: a file without anchors never pays for a node tree."""

    def composed(text: str) -> None:
        raise AssertionError("composed")

    monkeypatch.setattr(locate, "_composed", composed)
    assert Locator("a:\n  b: [1, 2]\n").find(("a", "b", 1)) == (2, 10)
    assert Locator("a:\n  b: 1\n").find(("a", "b"), at_key=True) == (2, 3)


def test_a_loaded_text_is_read_only_as_far_as_the_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first place in a text known to load needs neither the tree nor the text after it:
    a text whose end would not parse shows that the reading stopped before it."""
    text = "a: 1\nb:\n  c: [x, {d: 2}]\ne: 3\n"
    assert Locator(text + "f: [oops\n", loaded=True).find(("b", "c", 1, "d")) == (3, 14)
    assert Locator(text + "f: [oops\n").find(("b", "c", 1, "d")) == (1, 1)  # as composed

    def built(text: str) -> None:
        raise AssertionError("the tree was built")

    monkeypatch.setattr(locate, "_marks", built)
    assert Locator(text, loaded=True).find(("e",), at_key=True) == (4, 1)


def test_anchors_are_composed() -> None:
    locator = Locator("base: &b {x: 1}\nother: *b\n")
    assert locator.find(("other", "x")) == (1, 14)
    assert locator._compose
