"""What is typed on the command line, read: dates as officers write them, and text that
must be text. Below ``options`` and ``editing``, which both need it."""

from __future__ import annotations

import datetime as dt
import re

from safeplan.errors import UsageError
from safeplan.problems import N_

#: Why a typed date was refused, by ``TypedDateError.reason`` (else: not a date at all).
_DATE_REFUSALS = {
    "day": N_("{option}: '{value}' is not a real day (that month has fewer days)"),
    "month": N_("{option}: '{value}' is not a real day (a year has 12 months)"),
    "range": N_("{option}: '{value}' is outside the dates safeplan works with ({min} to {max})"),
}


def parse_date(value: str, option: str) -> dt.date:
    """A date as officers type it: 2024-3-5, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305 or
    full-width digits, all read as 2024-03-05; a day that does not exist is refused."""
    from safeplan.dates import DATE_MAX, DATE_MIN, TypedDateError, parse_typed

    try:
        return parse_typed(value)
    except TypedDateError as exc:
        template = _DATE_REFUSALS.get(
            exc.reason, N_("{option}: '{value}' is not a date: write YYYY-MM-DD, e.g. 2026-11-28")
        )
        params = {"option": option, "value": value}
        if exc.reason == "range":
            params.update(min=DATE_MIN.isoformat(), max=DATE_MAX.isoformat())
        raise UsageError(template, **params) from None


_BLANK = re.compile(r"^[\s\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]*$")


def check_text(option: str, value: object) -> None:
    """Text typed on the command line: valid UTF-8, and not blank (a blank note or name
    would be refused later, in a file that was never written)."""
    for item in value if isinstance(value, list) else [value]:
        if not isinstance(item, str):
            continue
        if any("\udc80" <= ch <= "\udcff" for ch in item):
            raise UsageError(
                N_("{option}: the value is not valid UTF-8 text: type it again"),
                option=option,
            )
        if _BLANK.match(item):
            raise UsageError(N_("{option} must not be empty"), option=option)
