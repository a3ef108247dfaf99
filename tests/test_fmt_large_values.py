"""``fmt --check`` on a file with one very long value (issue 18, item 16): the comment
check no longer scans with the pure-Python scanner nor masks character by character, and
a file without '#' is not scanned at all (7.5–8.3 s for one 900 KB value before)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from safeplan.yamlio import canonical as C
from safeplan.yamlio.roundtrip import text_scalar

VALID = Path(__file__).parent / "data" / "valid-minimal"


def test_comments_are_found_where_they_are_and_not_inside_values() -> None:
    text = (
        "# 文件头\n"
        "id: HZ-20240101-AAAA  # 编号\n"
        "title: '加油站 # 不是注释'\n"
        'description: "a # b"\n'
        "measures: |\n"
        "  第一行 # 也不是注释\n"
        "tags: [a, b]  # 行尾\n"
    )
    assert C.comments(text) == Counter({"# 文件头": 1, "# 编号": 1, "# 行尾": 1})


def test_a_text_without_hash_is_not_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml, "scan", lambda *a, **k: pytest.fail("scanned"))
    assert C.comments("description: " + "长" * 300_000 + "\n") == Counter()


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
def test_the_comment_scan_uses_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    from yaml.scanner import Scanner

    monkeypatch.setattr(Scanner, "scan_plain", lambda self: pytest.fail("pure-Python scan"))
    assert C.comments("a: b c d  # note\n") == Counter({"# note": 1})


def test_a_long_value_is_checked_and_kept(tmp_path: Path) -> None:
    root = tmp_path / "plan"
    shutil.copytree(VALID, root)
    path = root / "data" / "hazards" / "HZ-20240315-A7K2.yaml"
    text = path.read_text(encoding="utf-8")
    big = "泵房排水能力不足 pump # short " * 2_000
    lines = [
        f"description: '{big}'" if ln.startswith("description:") else ln for ln in text.splitlines()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, new = C.canonical(path, "hazard")
    assert yaml.safe_load(new.decode("utf-8"))["description"] == big


def test_odd_line_breaks_are_still_found_in_long_values() -> None:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    assert isinstance(text_scalar("长" * 100_000 + "\u2028"), DoubleQuotedScalarString)
    assert not isinstance(text_scalar("长" * 100_000), DoubleQuotedScalarString)
