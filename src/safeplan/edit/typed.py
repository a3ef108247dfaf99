"""What an officer types (on the command line or in a form of ``safeplan serve``), read:
dates as officers write them, the date of a fact (never after today), and text that must be
text. One home for both front ends, so that a form refuses what the command refuses."""

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


def fact_date(value: str | None, option: str, today: dt.date) -> dt.date:
    """The date of a fact; by default ``today`` (in the plan's time zone), never after it."""
    if value is None:
        return today
    return not_future(parse_date(value, option), option, today)


def not_future(day: dt.date, option: str, today: dt.date) -> dt.date:
    """What is recorded has happened: 2042 typed for 2024 is caught."""
    if day > today:
        raise UsageError(
            N_(
                "{option}: {date} is after today ({today}); what is recorded has happened, "
                "so check the date"
            ),
            option=option,
            date=day.isoformat(),
            today=today.isoformat(),
        )
    return day


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
