"""The new-record writer of ``import ledger`` gives ruamel's bytes, record for record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from conftest import bench_gen
from safeplan.yamlio import load_fast, read_text
from safeplan.yamlio.emit import _mapping, dump_new
from safeplan.yamlio.roundtrip import rt_dump_new

HERE = Path(__file__).resolve().parent


def _dated(value: Any) -> Any:
    """Record data as the importer builds it: dates as dates."""
    if isinstance(value, dict):
        return {k: _dated(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dated(v) for v in value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _records(tmp_path: Path) -> list[dict[str, Any]]:
    gen = bench_gen()

    gen.main([str(tmp_path / "gen"), "-n", "150", "--seed", "7"])
    paths = sorted((tmp_path / "gen" / "data" / "hazards").glob("*.yaml"))
    paths += sorted(HERE.glob("data/**/hazards/*.yaml")) + sorted(HERE.glob("data/history/*.yaml"))
    out = []
    for p in paths:
        try:
            data = load_fast(read_text(p))
        except Exception:  # the invalid corpus holds unreadable files on purpose
            continue
        if isinstance(data, dict):
            out.append(_dated(data))
    return out


def test_the_fast_writer_gives_ruamels_bytes(tmp_path: Path) -> None:
    records = _records(tmp_path)
    assert len(records) > 150
    fast = 0
    for data in records:
        try:
            _mapping(data, 0, [])
            fast += 1
        except Exception:  # the fallback, which dump_new takes too
            pass
        assert dump_new(data) == rt_dump_new(data), data.get("id")
    assert fast > len(records) * 0.8  # the fast path is the common one


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "10:30",
        "2024-03-05",
        "- 开头",
        "a: b",
        "x #y",
        "尾随空格 ",
        "null",
        "'引号'",
        "两行\n文本",
        "[方括号]",
        "#井号",
        "0o17",
        "~",
        "",
        "逗号，和,半角逗号",
        "冒号：全角",
        "\u3000全角空格开头",
        "...省略号开头",
        "段落\u2028分隔",
    ],
)
def test_text_that_needs_care_is_written_as_ruamel_writes_it(value: str) -> None:
    data = {
        "id": "HZ-20250105-TWOX",
        "title": value,
        "enterprise": {
            "name": "某公司",
            "credit_code": SingleQuotedScalarString("91150425MA0N4XKJ2U"),
        },
        "evidence": [value, "b.jpg"],
        "notes": [{"on": dt.date(2025, 1, 5), "text": value}],
    }
    assert dump_new(data) == rt_dump_new(data)


def test_the_writers_memo_of_plain_texts_changes_no_byte() -> None:
    """Texts and keys found plain once are remembered; a text that needs quotes never is,
    and a second record with the same values is written as ruamel writes it."""
    from safeplan.yamlio import emit

    record = {"id": "HZ-20260305-AB12", "title": "配电箱未接地", "unit": "镇安监站", "n": 3}
    first = dump_new(record)
    assert "配电箱未接地" in emit._PLAIN_OK and "title" in emit._KEYS_OK
    again = {**record, "title": "yes", "note": "a: b"}
    assert dump_new(again) == rt_dump_new(again)
    assert "yes" not in emit._PLAIN_OK and "a: b" not in emit._PLAIN_OK
    assert dump_new(record) == first == rt_dump_new(record)
