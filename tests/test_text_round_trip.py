"""Whatever the writer emits, every reader reads back as the same string (a property test).

safeplan reads YAML as YAML 1.1 does (libyaml); editors and check-jsonschema read it as
YAML 1.2. A value such as ``10:30`` (a sexagesimal number to 1.1), ``0o7`` (an octal to
1.2), ``y``, ``~`` or ``2024-03-05`` must be written so that all of them read the text back.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import copy_plan
from safeplan import edit
from safeplan.models.fields import TEXT_PATTERN
from safeplan.yamlio import load_fast, rt_dump_new
from safeplan.yamlio.roundtrip import misread

REPO = Path(__file__).resolve().parent.parent
_BANNED = [
    chr(c)
    for c in range(0x110000)
    if c < 0xA0 and chr(c) not in "\t\n\x85" and (c < 0x20 or 0x7F <= c <= 0x9F)
]
#: Any text a record may hold: no control characters but tab, newline and NEL.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters=_BANNED), min_size=1
)


def _readers(text: str) -> list[object]:
    return [
        load_fast(text)["v"],
        yaml.safe_load(text)["v"],  # YAML 1.1, the whole of it
        YAML(typ="safe", pure=True).load(text)["v"],  # YAML 1.2
    ]


@pytest.mark.slow  # seconds: the whole corpus, or hundreds of generated cases
@settings(max_examples=600, suppress_health_check=list(HealthCheck), deadline=None)
@given(TEXT)
def test_the_writer_writes_text_every_reader_reads_back(value: str) -> None:
    written = rt_dump_new({"v": value}).decode("utf-8")
    assert _readers(written) == [value, value, value], written


@pytest.mark.parametrize(
    "value",
    [
        "10:30",
        "1_000",
        "0o7",
        "0755",
        ".inf",
        "-.Inf",
        ".nan",
        "y",
        "N",
        "yes",
        "off",
        "~",
        "null",
        "2024-03-05",
        "2001-12-14t21:59:43.10-05:00",
        "1e5",
        "911504258900E10237",
        "<<",
        "=",
        "- a",
        "? b",
        "# c",
        "a #b",
        "a: b",
        " lead",
        "trail ",
        "两行\n文字",
        "末尾换行\n",
        "\n开头",
        "a\x85b",
        "a\u2028b",
        "\t缩进",
    ],
)
def test_values_that_look_like_something_else(value: str) -> None:
    written = rt_dump_new({"v": value}).decode("utf-8")
    assert _readers(written) == [value, value, value], written


def test_misread_knows_what_each_yaml_version_takes_for_another_type() -> None:
    assert misread("10:30") and misread("0o7") and misread("y") and misread("2024-03-05")
    assert not misread("镇安监站") and not misread("HZ-20240315-A7K2") and not misread("45万元")


def test_misread_s_first_character_shortcut_answers_as_the_resolvers_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The shortcut (no resolver is keyed on the first character) changes no answer: the
    same values asked with it and with every value resolved."""
    from safeplan.yamlio import roundtrip

    values = [
        *("镇安监站", "隐患", "45万元", "HZ-1", "~", "null", "Null", "NULL", "yes", "Yes", "on"),
        *("Off", "y", "n", "N", "true", "False", "0", "-1", "+1", ".5", ".inf", "-.Inf", ".nan"),
        *("0x1F", "0o7", "0b101", "1_000", "10:30", "1:20:30", "2024-03-05", "2024-03-05T10:00"),
        *("=", "<<", "!tag", "&a", "*a", "", " ", "€5", "１２", "٣", "ⅷ", "Ｙes", "ÿes", "é"),
    ]
    shortcut = [roundtrip.misread(v) for v in values]

    class Everything(frozenset[str]):
        def __contains__(self, item: object) -> bool:
            return True

    monkeypatch.setattr(roundtrip, "_RESOLVED_FIRST", Everything())  # every value resolved
    assert shortcut == [roundtrip.misread(v) for v in values]
    assert shortcut[:2] == [False, False] and all(shortcut[4:8])


@settings(max_examples=40, suppress_health_check=list(HealthCheck), deadline=None)
@given(TEXT.filter(lambda t: re.fullmatch(TEXT_PATTERN, t) is not None))
def test_a_note_round_trips_through_an_edit(
    tmp_path_factory: pytest.TempPathFactory, value: str
) -> None:
    root = copy_plan(tmp_path_factory.mktemp("plan"))
    shutil.copy(REPO / "tests/data/status/hazards/HZ-20240315-A7K2.yaml", root / "data/hazards")
    edit.note(root, "HZ-20240315-A7K2", value, dt.date(2024, 8, 1))
    data = load_fast((root / "data/hazards/HZ-20240315-A7K2.yaml").read_text(encoding="utf-8"))
    assert data["notes"][-1]["text"] == value
