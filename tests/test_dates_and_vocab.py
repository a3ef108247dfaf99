"""The one date type of the records, typed dates, and the vocabulary of coded values."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel, ValidationError

from safeplan import vocab
from safeplan.dates import DATE_MAX, DATE_MIN, IsoDate, TypedDateError, parse_typed


class _Record(BaseModel):
    on: IsoDate


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (1725235200, "date_type"),  # a Unix timestamp is not a date
        (20240305, "date_type"),
        (1.5, "date_type"),
        (True, "date_type"),
        (dt.datetime(2024, 3, 5, 10, 0), "date_type"),
        ("2024-03-05T10:00:00", "date_format"),
        ("2024-03-05 10:00", "date_format"),
        ("20240305", "date_format"),
        ("2026-11-6", "date_format"),
        ("2026-02-30", "date_value"),
        ("9999-12-31", "date_range"),
        ("0001-01-01", "date_range"),
        ([], "date_type"),
    ],
)
def test_only_a_real_yyyy_mm_dd_is_a_record_date(value: object, error: str) -> None:
    with pytest.raises(ValidationError) as info:
        _Record.model_validate({"on": value})
    assert info.value.errors()[0]["type"] == error


def test_a_record_date_is_read_and_written_as_iso() -> None:
    record = _Record.model_validate({"on": "2024-02-29"})
    assert record.on == dt.date(2024, 2, 29)
    assert record.model_dump(mode="json") == {"on": "2024-02-29"}
    assert _Record.model_json_schema()["properties"]["on"]["format"] == "date"
    assert DATE_MIN < dt.date(2024, 1, 1) < DATE_MAX


def test_a_date_read_again_is_the_same_and_a_bad_one_is_never_remembered() -> None:
    """Days are remembered by their text (a register repeats them): a second read gives the
    same day, and a bad date is an error every time, not a remembered value."""
    from safeplan import dates

    dates._DAYS.clear()
    first = _Record.model_validate({"on": "2024-02-29"}).on
    assert {"2024-02-29": dt.date(2024, 2, 29)} == dates._DAYS
    assert _Record.model_validate({"on": "2024-02-29"}).on == first
    for _ in range(2):
        with pytest.raises(ValidationError):
            _Record.model_validate({"on": "2026-02-30"})
    assert "2026-02-30" not in dates._DAYS


@pytest.mark.parametrize(
    "text",
    [
        "2024-3-5",
        "2024/3/5",
        "2024.3.5",
        "2024年3月5日",
        "２０２４－０３－０５",
        "20240305",
        " 2024-03-05 ",
    ],
)
def test_dates_as_people_type_them(text: str) -> None:
    assert parse_typed(text) == dt.date(2024, 3, 5)


@pytest.mark.parametrize(
    ("text", "reason"), [("2026-02-30", "day"), ("5.3.2024", "form"), ("明天", "form")]
)
def test_typed_dates_that_are_not_days(text: str, reason: str) -> None:
    with pytest.raises(TypedDateError) as info:
        parse_typed(text)
    assert info.value.reason == reason


def test_every_vocabulary_reads_its_own_words_back() -> None:
    for v in vocab.ALL:
        for term in v.terms:
            for word in (term.code, term.en, term.zh, *term.words):
                assert v.lookup(word) == term.code, (v.name, word)
            assert v.label(term.code, "zh") == term.zh
            assert v.label(term.code, "en") == term.en


def test_words_people_type_for_coded_values() -> None:
    assert vocab.LEVEL.lookup("重大") == "major"
    assert vocab.LEVEL.lookup(" MAJOR ") == "major"
    assert vocab.SOURCE.lookup("企业自查") == "self-check"
    assert vocab.SOURCE.lookup("镇村排查") == "inspection"
    assert vocab.SOURCE.lookup("上级检查") == "higher-inspection"
    assert vocab.SOURCE.lookup("public report") == "public-report"
    assert vocab.ACCEPTANCE.lookup("不合格") == "failed"
    assert vocab.SUPERVISION_LEVEL.lookup("县级") == "county"
    assert vocab.SUPERVISION_LEVEL.lookup("（县级）") == "county"
    assert vocab.TASK_STATE.lookup("逾期") == "overdue"
    assert vocab.HAZARD_STATE.lookup("待验收") == "rectified"
    assert vocab.CHECK_IN.lookup("每季度") == "quarter"
    assert vocab.LEVEL.lookup("大") is None


def test_no_word_means_two_things_within_a_vocabulary() -> None:
    for v in vocab.ALL:
        seen: dict[str, str] = {}
        for term in v.terms:
            for word in {vocab.normalize(w) for w in (term.code, term.en, term.zh, *term.words)}:
                assert seen.setdefault(word, term.code) == term.code, (v.name, word)


def test_one_label_per_source_everywhere() -> None:
    """The label a screen shows is the one a report and the ledger print (no 排查 on one
    and 企业自查 on another), and it is the column name of county returns."""
    expected = {
        "self-check": "企业自查",
        "inspection": "部门检查",
        "public-report": "群众举报",
        "higher-inspection": "上级检查",
    }
    for code, zh in expected.items():
        labels = {
            vocab.SOURCE.label(code, "zh", long=long, formal=formal)
            for long in (False, True)
            for formal in (False, True)
        }
        assert labels == {zh}, code


def test_a_word_that_could_mean_two_sources_is_never_read_as_one() -> None:
    assert vocab.SOURCE.lookup("排查") is None
    assert vocab.SOURCE.lookup("（排查）") is None
    assert vocab.SOURCE.meanings("排查") == ("self-check", "inspection")
    assert vocab.SOURCE.meanings("企业自查") == ("self-check",)
    assert vocab.SOURCE.meanings("不知道") == ()


def test_documents_for_the_county_say_yiban_shigu_yinhuan() -> None:
    assert vocab.LEVEL.label("general", "zh", long=True, formal=True) == "一般事故隐患"
    assert vocab.LEVEL.label("major", "zh", long=True, formal=True) == "重大事故隐患"
    # Screens keep the shorter word.
    assert vocab.LEVEL.label("general", "zh", long=True) == "一般隐患"
    assert vocab.LEVEL.label("general", "en", long=True, formal=True) == "general hazard"
