"""整改率, 销号率 and 重大隐患整改率: defined here once, for every output.

County returns count a hazard as rectified (已整改) once its rectification is done: it
awaits acceptance, is accepted, or is closed. A failed acceptance sends it back to be
rectified again, so it is not rectified; a withdrawn one (撤销, registered by mistake) is
neither found nor rectified; a record that breaks the closed loop is not believed.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from safeplan.models.views import HazardRow, Rates

#: The states of a hazard whose rectification is done.
RECTIFIED_STATES = frozenset(("rectified", "accepted", "closed"))


def percent(part: int, whole: int) -> Decimal | None:
    """``part ÷ whole`` in percent to one decimal place (half up); None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_rectified(row: HazardRow) -> bool:
    """Rectification done on the day: awaiting acceptance, accepted or closed."""
    return not row.invalid and row.state in RECTIFIED_STATES


def is_closed(row: HazardRow) -> bool:
    """Closed (销号) on the day (an invalid record's closure is not believed)."""
    return not row.invalid and row.state == "closed"


def rates(rows: Iterable[HazardRow]) -> Rates:
    """The rates of these hazards; withdrawn ones are left out, whatever the caller passes."""
    found = rectified = closed = major_found = major_rectified = 0
    for row in rows:
        if row.state == "withdrawn":
            continue
        done = is_rectified(row)
        found += 1
        rectified += done
        closed += is_closed(row)
        if row.level == "major":
            major_found += 1
            major_rectified += done
    return counted(found, rectified, closed, major_found, major_rectified)


def counted(
    found: int, rectified: int, closed: int, major_found: int, major_rectified: int
) -> Rates:
    """The rates of these counts: the one place a percentage of them is taken (a town's
    hazards, or the county's sums)."""
    return Rates.model_construct(
        found=found,
        rectified=rectified,
        closed=closed,
        rectification_rate=percent(rectified, found),
        closure_rate=percent(closed, found),
        major_found=major_found,
        major_rectified=major_rectified,
        major_rectification_rate=percent(major_rectified, major_found),
    )
