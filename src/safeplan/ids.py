"""Hazard ids: readable to officials, and safe when two people add hazards on two branches.

An id is ``HZ-<discovered YYYYMMDD>-<4 characters>``, e.g. ``HZ-20240315-A7K2``:

- the date says when the hazard was found, so a list of ids sorts by discovery and an
  official reading ``HZ-20240315-…`` on paper knows which inspection it came from;
- the four characters are random, drawn from 31 letters and digits that cannot be
  misread (no 0/O, 1/I/L), so an id can be read out on the phone or copied by hand.

Sequential numbers (HZ-0042) collide as soon as two people each add "the next" hazard on
their own branch — both get HZ-0042, and the merge silently holds two different hazards
under one id (Doorstop's users hit exactly this: doorstop issue #233). With random
suffixes two branches choose the same id only with odds of about one in 923,521 per pair of
hazards found on the same day; and even then the collision is not silent: the id is the
file name, so git reports an add/add conflict on ``data/hazards/<ID>.yaml``, and
``safeplan validate`` reports duplicate ids anyway. ``safeplan hazard renumber`` fixes one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Container

#: Digits and capitals without 0, O, 1, I and L.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SUFFIX_LENGTH = 4
PREFIX = "HZ"

#: Picks one character of a string; ``secrets.choice`` unless a test injects its own.
Choice = Callable[[str], str]

#: The random source used when none is passed (tests may replace it).
default_choice: Choice = secrets.choice


def new_hazard_id(
    discovered: dt.date,
    taken: Container[str] = (),
    choice: Choice | None = None,
    attempts: int = 1000,
) -> str:
    """A fresh id for a hazard discovered on ``discovered``, not in ``taken``."""
    choice = choice or default_choice
    for _ in range(attempts):
        suffix = "".join(choice(ALPHABET) for _ in range(SUFFIX_LENGTH))
        candidate = f"{PREFIX}-{discovered:%Y%m%d}-{suffix}"
        if candidate not in taken:
            return candidate
    raise RuntimeError("no free hazard id found")  # 923,521 ids a day: not reachable in practice
