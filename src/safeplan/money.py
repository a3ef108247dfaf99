"""整改资金 as officers write it (``45万元``, ``4500元``, ``4.5万``), read as an amount in 元.

The record keeps the text as written; reports and the county ledger total the amount.
Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

#: What a unit word multiplies the number by.
UNITS: dict[str, int] = {
    "元": 1,
    "块": 1,
    "千元": 1_000,
    "万元": 10_000,
    "万": 10_000,
    "亿元": 100_000_000,
    "亿": 100_000_000,
}

_AMOUNT = re.compile(
    # A few Chinese characters may say where the money comes from (企业自筹3万元, 财政补助
    # 2万元, 约45万元): the amount is still unambiguous.
    r"^(?:[\u4e00-\u9fff]{1,10}[:：]?\s*)?[¥￥]?\s*(?P<number>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?P<fraction>\.[0-9]+)?\s*"
    r"(?P<unit>千元|万元|亿元|万|亿|元|块)(?:人民币)?$"
)

#: How to write an amount: what a message about one says.
EXAMPLES = "45万元, 4500元, 4.5万"

#: More than any rectification costs (一万亿元): a larger number is a typing mistake, and
#: beyond Decimal's precision the arithmetic of totals would no longer be exact.
MAX_AMOUNT = Decimal(10) ** 12


def usable(amount: Decimal) -> bool:
    """Whether an amount read from anywhere (a workbook's number cell) can be kept."""
    return amount.is_finite() and 0 <= amount <= MAX_AMOUNT


@lru_cache(maxsize=4096)  # a register repeats its amounts; Decimal is immutable
def parse_amount(text: str) -> Decimal | None:
    """The amount in 元, or None when the text is not an amount with its unit.

    A bare number is refused: ``45`` might mean 45 元 or 45 万元, and a wrong total in a
    county return is worse than a question now.
    """
    folded = unicodedata.normalize("NFKC", text).strip().replace("，", ",")
    m = _AMOUNT.match(folded)
    if m is None:
        return None
    try:
        number = Decimal(m["number"].replace(",", "") + (m["fraction"] or ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        return None
    amount = number * UNITS[m["unit"]]
    return amount if amount <= MAX_AMOUNT else None


def format_yuan(amount: Decimal) -> str:
    """``450000`` → ``45万元``; ``4500`` → ``4500元``: as a county return writes it."""
    if amount >= 10_000 and amount % 100 == 0:
        wan = (amount / 10_000).normalize()
        return f"{wan:f}万元"
    return f"{amount.normalize():f}元"
