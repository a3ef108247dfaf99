"""The one home of Chinese numerals serves citations and the plan-text importer alike."""

from __future__ import annotations

import pytest

from safeplan.criteria import cite
from safeplan.importers.plantext import words
from safeplan.numerals import chinese_number, numeral_value, to_chinese


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (103, "一百零三"), (110, "一百一十")],
)
def test_written_and_read_back(n: int, text: str) -> None:
    assert to_chinese(n) == text
    assert numeral_value(text) == n


def test_typed_numbers_accept_digits_and_liang() -> None:
    assert chinese_number("12") == 12
    assert chinese_number("两") == 2
    assert numeral_value("12") is None
    assert numeral_value("") is None
    assert chinese_number("十a") is None


def test_citations_and_the_importer_share_it() -> None:
    assert cite.to_chinese is to_chinese
    assert cite.chinese_number is chinese_number
    assert words.numeral_value is numeral_value
    assert words.numeral_of(21) == "二十一"
    assert words.numeral_of(100) == "100"  # an action numbered past 99 is named in digits
