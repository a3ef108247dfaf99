"""The value types of the records: ids, credit codes, amounts, text without control
characters, and the coded literals (``safeplan.vocab`` holds their labels).

Apart from the models (``models/records.py``) so each stays readable; the checks a value
needs (a credit code's check digit, an id that is a portable file name) live beside it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from safeplan import vocab
from safeplan.characters import BIDI_CONTROLS as BIDI_CONTROLS
from safeplan.characters import CONTROL_CHARACTERS as CONTROL_CHARACTERS
from safeplan.characters import INVISIBLE_CHARACTERS as INVISIBLE_CHARACTERS

#: Hazard ids become file names, so they are restricted to a safe alphabet, and may not
#: end in a dot (Windows drops it).
HAZARD_ID_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9_-])?$"
HAZARD_ID_RE = re.compile(HAZARD_ID_PATTERN)
#: Names Windows reserves for devices, with or without an extension: such a file cannot
#: be checked out there.
WINDOWS_RESERVED_RE = re.compile(r"^(?:CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(?:\..*)?$", re.IGNORECASE)


def mention_pattern(hazard_id: str) -> re.Pattern[str] | None:
    """Where ``hazard_id`` stands as a whole id in text: not inside a longer id (``HZ-1`` in
    ``HZ-10``). An id without a letter (``2024``) is too like a number or a year to look for
    in text at all: only a value that is exactly the id is renamed then."""
    if not any(ch.isalpha() for ch in hazard_id):
        return None
    return re.compile(
        r"(?<![A-Za-z0-9._-])" + re.escape(hazard_id) + r"(?![A-Za-z0-9_-]|\.[A-Za-z0-9_-])"
    )


def _portable_id(value: str) -> str:
    if WINDOWS_RESERVED_RE.match(value):
        raise PydanticCustomError(
            "reserved_name", "a name Windows reserves for a device", {"value": value}
        )
    return value


#: 统一社会信用代码 (GB 32100-2015): 18 characters, no I, O, S, V or Z.
CREDIT_CODE_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{18}$"
#: The code's alphabet and the weights of its first 17 characters (GB 32100-2015, 4.3).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


_CREDIT_CODE_VALUE = {c: i for i, c in enumerate(CREDIT_CODE_ALPHABET)}


def typed_credit_code(text: str) -> str:
    """A 统一社会信用代码 as typed (lower case, full-width, spaces around) as it is written."""
    import unicodedata

    return unicodedata.normalize("NFKC", text).strip().upper()


@lru_cache(maxsize=4096)  # one enterprise has many hazards: its code is checked once
def credit_check_digit(code: str) -> str:
    """The 18th character a 统一社会信用代码 must have, from its first 17."""
    value = _CREDIT_CODE_VALUE
    total = sum(value[c] * w for c, w in zip(code[:17], CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def checked_credit_code(value: str) -> str:
    expected = credit_check_digit(value)
    if value[17] != expected:
        raise PydanticCustomError(
            "credit_check_digit",
            "check digit is {found}, the first 17 characters give {expected}",
            {"found": value[17], "expected": expected},
        )
    return value


def funds_value(value: Any) -> Any:
    """整改资金 is an amount with its unit: a bare number is refused (元 or 万元?)."""
    from safeplan.money import parse_amount

    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return value
    if isinstance(value, str) and parse_amount(value) is not None:
        return value
    raise PydanticCustomError("funds", "not an amount with its unit", {"value": str(value)})


#: Characters no record may hold, and those that take no room on screen: defined in
#: ``safeplan/characters.py`` (what a renderer needs without importing pydantic).
#: Some visible character, and no control character anywhere. (A pattern, not a Python
#: validator: pydantic checks it in Rust, and a register of 10,000 hazards has 200,000
#: text values.)
TEXT_PATTERN = (
    f"^[^{CONTROL_CHARACTERS}]*[^\\s{CONTROL_CHARACTERS}{INVISIBLE_CHARACTERS}]"
    f"[^{CONTROL_CHARACTERS}]*$"
)

#: Text as written: kept exactly (never stripped), not empty, no control characters.
NonEmpty = Annotated[str, StringConstraints(pattern=TEXT_PATTERN)]
HazardId = Annotated[
    str, StringConstraints(pattern=HAZARD_ID_PATTERN), AfterValidator(_portable_id)
]

AREA_CODE_PATTERN = r"^[0-9]{12}$"
_AREA_CODE_RE = re.compile(AREA_CODE_PATTERN)


def area_code(value: Any) -> Any:
    """A 12-digit 统计用区划代码 (township level: 6 digits of the county, 3 of the town, 3
    zeros for the village part). Written without quotes, YAML reads a number: its digits are
    the code (codes start with a province's 11–65, so no leading zero is lost)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and not _AREA_CODE_RE.match(value):
        raise PydanticCustomError(
            "area_code",
            "'{value}' is not a 12-digit area code (统计用区划代码, e.g. 150425100000)",
            {"value": value},
        )
    return value


#: 行政区划代码: one type for plan.yaml's ``area_code`` and county.yaml's towns; the
#: pattern stays for the exported schema, the check before it says what is wrong.
AreaCode = Annotated[str, BeforeValidator(area_code), StringConstraints(pattern=AREA_CODE_PATTERN)]

Level = Literal["major", "general"]
Source = Literal["self-check", "inspection", "public-report", "higher-inspection"]
CheckIn = Literal["month", "quarter", "half-year", "year"]
AcceptanceResult = Literal["passed", "failed"]
SupervisionLevel = Literal["province", "city", "county", "town"]
GoalKind = Literal["stock_cleared", "increment_curbed", "dynamic_zero"]
UnitKind = Literal["station", "office", "agency", "town-body", "institution", "committee", "group"]
Industry = Literal[
    "metallurgy",
    "nonferrous",
    "building_materials",
    "machinery",
    "light_industry",
    "textile",
    "tobacco",
    "mining",
    "construction",
    "gas",
    "special_equipment",
    "fire",
    "chemicals",
    "fireworks",
    "transport",
    "other",
]
EnterpriseState = Literal["operating", "suspended", "dormant", "deregistered"]
Scenario = Literal["dust_explosion", "ammonia_refrigeration", "confined_space", "fire_key_unit"]
EnterpriseFact = Literal["check", "drill", "training", "certificate", "inspection"]
CertificateRole = Literal["principal", "safety_manager", "special_operator"]


def old_supervision_level(value: Any) -> Any:
    """Files written before levels were codes say 省级/市级/县级/镇级: still read them."""
    if isinstance(value, str) and value not in vocab.SUPERVISION_LEVEL:
        code = vocab.SUPERVISION_LEVEL.lookup(value)
        if code is not None and value in {t.zh for t in vocab.SUPERVISION_LEVEL.terms}:
            return code
    return value
