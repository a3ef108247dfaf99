"""The one date type of the records, and the forms of a date that people type.

In the files a date is written ``YYYY-MM-DD`` and nothing else: a number (a Unix
timestamp), a date with a time, or ``2026-11-6`` is a located error that says how to
write it. Dates are bounded to :data:`DATE_MIN` … :data:`DATE_MAX`, so that no
computation on a record (a deadline of 9999-12-31 plus a day) can overflow.

On the command line people type dates as they write them — ``2024-3-5``, ``2024/3/5``,
``2024.3.5``, ``2024年3月5日``, full-width digits, ``20240305`` — and all of those are
read (:func:`parse_typed`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

#: The range of dates a record may hold: wide enough for any register, far from overflow.
DATE_MIN = dt.date(1950, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_LOOSE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def in_range(day: dt.date) -> bool:
    return DATE_MIN <= day <= DATE_MAX


#: Days already read, by their text: a register of 10,000 hazards writes about 60,000
#: dates, most of them days written before (the function is pure on text).
_DAYS: dict[str, dt.date] = {}
_DAYS_MAX = 20_000


def _record_date(value: Any) -> dt.date:
    """A date as a record holds it: the text YYYY-MM-DD (or a date made by safeplan itself)."""
    if type(value) is str:
        known = _DAYS.get(value)
        if known is not None:
            return known
        day = _date_of(value)
        if len(_DAYS) < _DAYS_MAX:
            _DAYS[value] = day
        return day
    return _date_of(value)


def _date_of(value: Any) -> dt.date:
    """The date a value stands for, or the error that says what is wrong with it."""
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_type", "a date and time, not a date", {"kind": "datetime"})
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        m = _ISO.fullmatch(value)
        if m is None:
            loose = _LOOSE.fullmatch(value.strip())
            hint = (
                f"{int(loose[1]):04d}-{int(loose[2]):02d}-{int(loose[3]):02d}"
                if loose
                else "YYYY-MM-DD"
            )
            raise PydanticCustomError("date_format", "not a YYYY-MM-DD date", {"hint": hint})
        try:
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise PydanticCustomError("date_value", "not a real day", {}) from None
    else:
        kind = "number" if isinstance(value, int | float) and not isinstance(value, bool) else ""
        raise PydanticCustomError("date_type", "not a date", {"kind": kind or type(value).__name__})
    if not in_range(day):
        raise PydanticCustomError(
            "date_range",
            "outside the range of dates",
            {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
        )
    return day


#: A record's date: ``YYYY-MM-DD`` text, bounded; shown in JSON Schema as a date string.
IsoDate = Annotated[
    dt.date,
    PlainValidator(_record_date),
    # Written out explicitly: pydantic's own serializer for a plain-validated date checks
    # its JSON text against the date schema again and warns.
    PlainSerializer(dt.date.isoformat, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2024-03-15"]}),
]

_TYPED = re.compile(
    r"(?P<y>\d{4})\s*(?:[-/.年])\s*(?P<m>\d{1,2})\s*(?:[-/.月])\s*(?P<d>\d{1,2})\s*日?"
)
_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")


class TypedDateError(ValueError):
    """A typed date that cannot be read: ``reason`` is ``form``, ``month``
    (2025-13-01), ``day`` (2026-02-30) or ``range``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_typed(text: str) -> dt.date:
    """A date as a person types it; raises TypedDateError saying why not."""
    folded = unicodedata.normalize("NFKC", text).strip().replace("－", "-")
    m = _TYPED.fullmatch(folded) or _COMPACT.fullmatch(folded)
    if m is None:
        raise TypedDateError("form")
    if not 1 <= int(m["m"]) <= 12:
        raise TypedDateError("month")
    try:
        day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        raise TypedDateError("day") from None
    if not in_range(day):
        raise TypedDateError("range")
    return day
