"""Readers of a ledger's cells, as offices fill them: real date cells, ``2024.3.5``,
``2024年3月5日``, ``2024/3/5``, Excel's day numbers, numbers stored as text, ``/`` or ``无``
for nothing, 挂牌督办 and 双报告 written out in words; and the rows that are no hazard
(totals, signature lines).

Pure: no I/O. Each reader returns a value, or raises :class:`CellProblem` with a
message that says what would fix it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from safeplan import vocab
from safeplan.dates import DATE_MAX, DATE_MIN, TypedDateError, in_range, parse_typed
from safeplan.problems import N_, Coded, ListOf


class CellProblem(Exception):
    """A cell that cannot be read: an English template and its parameters."""

    def __init__(self, template: str, **params: Any) -> None:
        super().__init__(template)
        self.template = template
        self.params = params


class CellWarning(CellProblem):
    """A cell read as nothing, with a warning that says what was left out and why."""


# --------------------------------------------------------------------------- cells


class Formula(str):
    """A formula cell saved without its value (a workbook written by a program, never
    opened in Excel or WPS): what the cell shows is not in the file."""


def no_formula(value: object) -> None:
    """Refuse a formula without its value, naming it (not "empty")."""
    if isinstance(value, Formula):
        raise CellProblem(
            N_(
                "the cell holds the formula {formula}, and the file has no value saved for it: "
                "open the workbook in Excel or WPS and save it again (that stores the values), "
                "or type the value into the cell"
            ),
            formula=str(value),
        )


#: What offices write in a cell for "nothing".
BLANKS = frozenset(("/", "／", "-", "—", "——", "–", "无", "暂无", "n/a", "na", "\\", "、"))


#: No text longer than this normalises to one of the BLANKS (NFKC composes at most a few
#: characters into one): such a cell is not blank, without normalising it.
_BLANK_MAX = 4 * max(len(b) for b in BLANKS)


def blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()
        if len(text) > _BLANK_MAX:  # every cell of every row is asked: most are long
            return False
        return not text or unicodedata.normalize("NFKC", text).casefold() in BLANKS
    return False


def text(value: object) -> str | None:
    """A text cell: surrounding blanks dropped; a number as its digits; a date as ISO."""
    if blank(value):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


#: Excel counts days from 1899-12-30 (its day 60 is the 1900-02-29 that never was).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_DAYS = (20_000, 73_000)  # 1954 … 2099


def _serial(number: float) -> dt.date | None:
    if _EXCEL_DAYS[0] <= number <= _EXCEL_DAYS[1]:
        return _EXCEL_EPOCH + dt.timedelta(days=int(number))
    return None


_DATE_AND_TIME = re.compile(r"^(\d{4}\D\d{1,2}\D\d{1,2}\D?)[ T]\d{1,2}:\d{2}(:\d{2})?$")


def date(value: object) -> dt.date | None:
    """A date cell in any form an office writes it; None when blank."""
    if blank(value):
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return _date_of_number(value)
    else:
        return _date_of_text(str(value).strip())
    return _in_range(day)


def _in_range(day: dt.date) -> dt.date:
    if not in_range(day):
        raise CellProblem(_OUTSIDE, value=day.isoformat(), **_RANGE)
    return day


_OUTSIDE = N_("'{value}' is outside the dates safeplan works with ({min} to {max})")
_RANGE = {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}
#: What a typed date that is no day lacks, by :class:`TypedDateError`'s reason.
_NOT_A_DAY = {
    "day": N_("'{value}' is not a real day (that month has fewer days): correct it"),
    "month": N_("'{value}' is not a real day (a year has 12 months): correct it"),
    "range": _OUTSIDE,
}


def _date_of_number(value: float) -> dt.date:
    """A number cell: Excel's day number, or a date typed as digits (20240305)."""
    found = _serial(float(value))
    if found is not None:
        return _in_range(found)
    compact = str(int(value)) if float(value).is_integer() else ""
    try:
        return parse_typed(compact)
    except TypedDateError:
        raise CellProblem(
            N_(
                "{value} is a number, not a date: write the date as 2024-03-05, or "
                "format the cell as a date"
            ),
            value=text(value),
        ) from None


def _date_of_text(raw: str) -> dt.date:
    """A text cell: a date as people type it, perhaps with a time, or a day number."""
    folded = unicodedata.normalize("NFKC", raw)
    m = _DATE_AND_TIME.match(folded)
    if m:
        folded = m.group(1)
    if folded.isdigit() and len(folded) == 5:
        found = _serial(float(folded))
        if found is not None:
            return found
    try:
        return parse_typed(folded)
    except TypedDateError as exc:
        template = _NOT_A_DAY.get(
            exc.reason,
            N_(
                "'{value}' is not a date: write it as 2024-03-05 (2024.3.5, 2024/3/5 and "
                "2024年3月5日 are read too), or format the cell as a date"
            ),
        )
        params = _RANGE if exc.reason == "range" else {}
        raise CellProblem(template, value=raw, **params) from None


def lines(value: object) -> list[str]:
    """A cell that lists facts one a line (延期至 of each extension, oldest first): its
    non-blank lines; a cell that is not text is one line."""
    if blank(value):
        return []
    if not isinstance(value, str):
        found = text(value)
        return [found] if found else []
    return [line.strip() for line in value.splitlines() if not blank(line)]


def dates(value: object) -> list[dt.date]:
    """A date cell, or a text cell with a date on each line."""
    if isinstance(value, str):
        return [d for line in lines(value) if (d := date(line)) is not None]
    day = date(value)
    return [] if day is None else [day]


class FailedValue(NamedTuple):
    """A failed acceptance read from its line of 验收不合格记录."""

    rectified_on: dt.date
    accepted_on: dt.date
    accepted_by: str
    note: str | None
    reopened_on: dt.date
    reason: str


_OPEN = "(（"
_CLOSE = ")）"
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _outside_and_groups(line: str) -> tuple[str, list[tuple[int, str]]]:
    """The line's text outside brackets, and each top-level bracket group with where it
    stood in that text (brackets inside a name or an opinion stay in the group)."""
    outside: list[str] = []
    groups: list[tuple[int, str]] = []
    depth = 0
    inner: list[str] = []
    for ch in line:
        if ch in _OPEN:
            if depth:
                inner.append(ch)
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
            if depth:
                inner.append(ch)
            else:
                groups.append((len("".join(outside)), "".join(inner).strip()))
                inner = []
        elif depth:
            inner.append(ch)
        else:
            outside.append(ch)
    if depth:
        raise ValueError("unbalanced")
    return "".join(outside), groups


def _failed_line(line: str) -> FailedValue:
    text_out, groups = _outside_and_groups(unicodedata.normalize("NFC", line))
    found = [(m.start(), m.group()) for m in _ISO.finditer(text_out)]
    if len(found) != 3 or len(groups) != 2:
        raise ValueError("shape")
    days = [dt.date.fromisoformat(d) for _, d in found]
    at = [pos for pos, _ in found]
    # The acceptor's group follows the acceptance's day, the reason the reopening's.
    if not (at[1] < groups[0][0] <= at[2] < groups[1][0]):
        raise ValueError("order")
    by, note = groups[0][1], None
    cut = min((i for i in (by.find("："), by.find(":")) if i >= 0), default=-1)
    if cut >= 0:  # the first colon: an opinion may have colons of its own
        by, note = by[:cut].strip(), by[cut + 1 :].strip()
    if not by or not groups[1][1]:
        raise ValueError("empty")
    return FailedValue(days[0], days[1], by, note or None, days[2], groups[1][1])


def failed_acceptances(value: object) -> list[FailedValue]:
    """验收不合格记录: a failed acceptance a line, as ``export ledger`` writes it —
    ``2024-04-01整改，2024-04-15验收不合格（县应急局：泄爆面积不足），2024-04-20起重新整改（验收不合格）``:
    the three days outside brackets, the acceptor (and opinion) and the reason inside."""
    out = []
    for line in lines(value):
        try:
            out.append(_failed_line(line))
        except ValueError:
            raise CellProblem(
                N_(
                    "'{value}' is not a failed acceptance as the ledger writes one: give, on "
                    "its own line, the day rectified, the day the acceptance failed with the "
                    "acceptor (and opinion) in brackets, and the day rectification started "
                    "again with the reason in brackets: {example}"
                ),
                value=line,
                example="2024-04-01整改，2024-04-15验收不合格（县应急局：泄爆面积不足），"
                "2024-04-20起重新整改（验收不合格，重新整改）",
            ) from None
    return out


_NUMBER = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")


def funds(value: object, unit: int | None) -> str | None:
    """整改资金 as the record writes it (``45万元``), from a number in the column's unit or
    from text with its own unit (``4500元``)."""
    from safeplan.money import EXAMPLES, format_yuan, parse_amount, usable

    if blank(value):
        return None
    amount: Decimal | None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        amount = None if unit is None else number * unit
        if amount is None:
            raise _no_unit(text(value) or "")
    else:
        raw = str(value).strip()
        amount = parse_amount(raw)
        if amount is None:
            folded = unicodedata.normalize("NFKC", raw)
            try:
                if not _NUMBER.fullmatch(folded):  # 1,2,3 is no number; 12,345.6 is
                    raise InvalidOperation
                number = Decimal(folded.replace(",", ""))
            except InvalidOperation:
                raise CellProblem(
                    N_(
                        "'{value}' is not an amount: write a number (the heading says its unit) or an amount with its unit ({examples})"
                    ),
                    value=raw,
                    examples=EXAMPLES,
                ) from None
            if unit is None:
                raise _no_unit(raw)
            amount = number * unit
    if amount.is_finite() and amount < 0:
        raise CellProblem(
            N_("'{value}' is below zero: funds are an amount spent"), value=text(value)
        )
    if not usable(amount):
        raise CellProblem(
            N_("'{value}' is not an amount a rectification costs: correct the cell"),
            value=text(value),
        )
    return format_yuan(amount)


def _no_unit(value: str) -> CellProblem:
    return CellProblem(
        N_(
            "'{value}': 元 or 万元? The heading does not say: write the unit in the cell "
            "(45万元) or in the heading (整改资金（万元）)"
        ),
        value=value,
    )


def coded(vocabulary: vocab.Vocabulary, value: object) -> str | None:
    """A coded cell (重大事故隐患, 企业自查, 合格 …) as its code."""
    word = text(value)
    if word is None:
        return None
    meant = vocabulary.meanings(word)
    if len(meant) > 1:
        raise CellProblem(
            N_("'{value}' could mean any of {words}: write which one"),
            value=word,
            words=ListOf([Coded(vocabulary.name, c) for c in meant]),
        )
    code = vocabulary.lookup(word)
    if code is None:
        raise CellProblem(
            N_("'{value}' is not one of {words}"),
            value=word,
            words=ListOf([Coded(vocabulary.name, c) for c in vocabulary.codes]),
        )
    return code


def credit_code(value: object) -> str | None:
    """统一社会信用代码: a number cell is read as its digits, unless Excel lost some."""
    if isinstance(value, float) and not value.is_integer():
        raise CellProblem(
            N_(
                "the code is stored as a number and Excel has cut it ({value}): format the "
                "column as text and type the 18 characters again"
            ),
            value=repr(value),
        )
    if isinstance(value, float | int) and not isinstance(value, bool) and len(str(int(value))) > 15:
        raise CellProblem(
            N_(
                "the code is stored as a number, so Excel kept only 15 digits ({value}): "
                "format the column as text and type the 18 characters again"
            ),
            value=str(int(value)),
        )
    code = text(value)
    return unicodedata.normalize("NFKC", code).upper().replace(" ", "") if code else None


# --------------------------------------------------------------------------- 挂牌督办, 双报告

_DATE_IN_TEXT = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?")
_LIFTED_WORDS = ("摘牌", "解除", "lifted", "lift")
_YES = frozenset(("是", "已", "有", "yes", "y", "√", "✓", "已挂牌", "已报告", "已双报告"))
_NO = frozenset(("否", "no", "n", "×", "未", "未挂牌", "未报告", "不涉及"))


class SupervisionValue(NamedTuple):
    level: str
    by: str
    listed_on: dt.date
    lifted_on: dt.date | None


def _dates(raw: str) -> list[tuple[int, int, dt.date]]:
    out = []
    for m in _DATE_IN_TEXT.finditer(raw):
        try:
            out.append((m.start(), m.end(), parse_typed(m.group())))
        except TypedDateError:
            raise CellProblem(
                N_("'{value}' is not a real day: correct it"), value=m.group()
            ) from None
    return out


def yes_no(value: object) -> bool | None:
    """是/否 and their kin; None for anything else."""
    word = text(value)
    if word is None:
        return None
    folded = unicodedata.normalize("NFKC", word).casefold()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    return None


def supervision(value: object) -> SupervisionValue | None:
    """挂牌督办 as the export writes it (``县级：县安委办，2024-03-20挂牌``) or in any order:
    a level, who listed it, the day listed, and perhaps the day lifted."""
    raw = text(value)
    if raw is None or yes_no(raw) is False:
        return None
    if yes_no(raw):
        raise CellWarning(
            N_(
                "'{value}' says the hazard is listed for supervision, but not by whom or when: "
                "not imported; record it with 'safeplan hazard supervise' after the import"
            ),
            value=raw,
        )
    folded = unicodedata.normalize("NFKC", raw)
    listed = lifted = None
    # Each part of the cell (between commas) says one thing: a day listed, or lifted.
    for part in re.split(r"[,，;；]", folded):
        for _, _, day in _dates(part):
            if any(w in part.casefold() for w in _LIFTED_WORDS):
                lifted = day
            elif listed is None:
                listed = day
    rest = _DATE_IN_TEXT.sub(" ", folded)
    for w in ("挂牌督办", "挂牌", "摘牌", "督办", "解除", "listed", "lifted", "by"):
        rest = re.sub(re.escape(w), " ", rest, flags=re.IGNORECASE)
    parts = [p for p in re.split(r"[\s:：,，;；、()（）]+", rest) if p]
    level = None
    others = []
    for p in parts:
        code = vocab.SUPERVISION_LEVEL.lookup(p)
        if code is not None and level is None:
            level = code
            continue
        # 县级安委办: a level written onto the name of who listed it.
        m = re.match(r"^(省级|市级|县级|区级|镇级|乡级|省|市|县|区|镇|乡)(.+)$", p)
        if m and level is None and vocab.SUPERVISION_LEVEL.lookup(m.group(1)):
            level = vocab.SUPERVISION_LEVEL.lookup(m.group(1))
            others.append(p)
            continue
        others.append(p)
    if level is None or listed is None or not others:
        raise _partial_supervision(raw)
    return SupervisionValue(level, " ".join(others), listed, lifted)


def _partial_supervision(raw: str) -> CellProblem:
    return CellProblem(
        N_(
            "'{value}' does not say the level, who listed it and when: write it as "
            "县级：县安委办，2024-03-20挂牌, or leave the cell blank and record the listing "
            "with 'safeplan hazard supervise' after the import"
        ),
        value=raw,
    )


_REGULATOR_WORDS = ("监管", "部门", "应急", "regulator", "政府")
_WORKERS_WORDS = ("职工", "职代会", "工会", "workers", "congress")


def double_report(value: object) -> tuple[dt.date | None, dt.date | None] | None:
    """双报告: the day reported to the regulator and to the workers' congress."""
    raw = text(value)
    if raw is None or yes_no(raw) is False:
        return None
    folded = unicodedata.normalize("NFKC", raw)
    found = _dates(folded)
    if not found and yes_no(raw):
        raise CellWarning(
            N_(
                "'{value}' says the hazard was reported, but not when: not imported; record "
                "the dates with 'safeplan hazard report' after the import"
            ),
            value=raw,
        )
    if not found:
        raise CellProblem(
            N_(
                "'{value}' gives no dates: write 监管部门 2024-03-16；职代会 2024-03-18, or "
                "leave the cell blank and record it with 'safeplan hazard report' after the import"
            ),
            value=raw,
        )
    regulator = workers = None
    last_end = 0
    for start, end, day in found:
        label = folded[last_end:start].casefold()
        last_end = end
        if any(w in label for w in _WORKERS_WORDS):
            workers = day
        elif any(w in label for w in _REGULATOR_WORDS) or regulator is None:
            regulator = day
        elif workers is None:
            workers = day
    return regulator, workers


# --------------------------------------------------------------------------- rows to skip

_TOTALS = re.compile(
    r"^(合\s*计|总\s*计|小\s*计|共\s*计|累\s*计|汇\s*总|total|sum)\b", re.IGNORECASE
)
_FOOTER = re.compile(
    r"(填表人|制表人|填报人|填报日期|制表日期|填表日期|联系电话|审核人\s*[:：]|负责人\s*[:：]|签字"
    # the line under an English ledger safeplan wrote
    r"|Reporting unit \(seal\):|Filled in by:|Reviewed by:|Date filled in:)"
)


def totals_row(cells: Iterable[object]) -> bool:
    """A row of totals (合计, 总计, 小计 …) that closes a table."""
    return any(isinstance(c, str) and _TOTALS.match(c.strip()) for c in cells)


def footer_row(cells: Mapping[int, object]) -> bool:
    """A signature line under a table (填表人：… 审核人：… 填报日期：…)."""
    texts = [c for c in cells.values() if isinstance(c, str)]
    return len(cells) <= 4 and any(_FOOTER.search(t) for t in texts)
