"""The head of a plan text: where the body begins, the title (completed when the line is
cut short), the issuer, the years it covers and the parent plans it cites."""

from __future__ import annotations

import datetime as dt
import re

from safeplan.importers.plantext import phrases as ph
from safeplan.importers.plantext import units, words
from safeplan.importers.plantext.lines import (
    ACTION,
    ISSUER_GUESSED,
    NO_ISSUER,
    NO_PERIOD,
    NO_TITLE,
    PARENT_NO_ISSUER,
    PLACEHOLDER,
    SECTION,
    TASK_DOT,
    TASK_PAREN,
    TITLE_COMPLETED,
    Findings,
)
from safeplan.models.records import ParentPlan

_DOC_NUMBER = re.compile(r"〔\s*\d{4}\s*〕\s*\d+\s*号$")
_NOTICE = re.compile(r"^(?P<issuer>.+?)关于印发《(?P<title>.+)》的通知$")
_BODY_START = re.compile(r"^(?:为|根据|按照|依据|现将|经|遵照|结合)")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_DECIDED_BY = re.compile(r"经(?P<issuer>[^，,。；;、《》]{2,30}?)(?:研究|同意|审议|审定|批准|讨论)")
_ORG_LINE = re.compile(r"(?:人民政府|政府|委员会|办公室|办事处)$")
PLAN_WORDS = ("方案", "计划", "规划", "意见")


def body_start(numbered: list[tuple[int, str]]) -> int:
    """The first section heading (一、…); without sections, the first action or task."""
    for i, (_, s) in enumerate(numbered):
        if SECTION.match(s):
            return i
    for i, (_, s) in enumerate(numbered):
        if ACTION.match(s) or TASK_DOT.match(s) or TASK_PAREN.match(s):
            return i
    return len(numbered)


def split_head(
    head: list[tuple[int, str]],
) -> tuple[list[tuple[int, str]], list[tuple[int, str]], tuple[str, str] | None]:
    """(title lines, preamble lines, the notice's (issuer, title) if the head has one).

    The title is the last run of short heading-like lines before the preamble begins
    (为…, 根据…, 经…): a notice that wraps the plan (关于印发…的通知, its number, the
    addressees, 现将…印发给你们) comes before it and is not the plan's text.
    """
    run: list[tuple[int, str]] = []
    preamble: list[tuple[int, str]] = []
    notice: tuple[str, str] | None = None
    for no, s in head:
        if not s:
            continue
        if preamble:
            preamble.append((no, s))
            continue
        m = _NOTICE.match(s)
        if m:
            notice = (m["issuer"], m["title"])
            run = []
            continue
        if (_DOC_NUMBER.search(s) and len(s) < 30) or _DATE_LINE.match(s):
            run = []
            continue
        title_like = (
            len(words.fold(s)) <= 50
            and s[-1] not in "。；;，,：:"
            and not _BODY_START.match(s)
            and not _ORG_LINE.search(s)
        )
        if title_like:
            run.append((no, s))
        elif _BODY_START.match(s) or len(words.fold(s)) > 50:
            if s.startswith("现将"):  # the notice's own sentence
                run = []
                continue
            preamble.append((no, s))
        else:
            run = []  # addressees (各村（社区）：), a signature
    return run, preamble, notice


def issuer_of(
    preamble: list[tuple[int, str]],
    head: list[tuple[int, str]],
    notice: tuple[str, str] | None,
) -> tuple[str, str, int]:
    """(issuer, the phrase that says so, its line): ``经大井镇人民政府研究`` first."""
    for no, s in preamble:
        m = _DECIDED_BY.search(s)
        if m:
            clause = s[m.start() :]
            end = re.search(r"[。；;]", clause)
            return m["issuer"], clause[: end.start()] if end else clause, no
    if notice:
        line = next((no for no, s in head if _NOTICE.match(s)), 1)
        return notice[0], f"{notice[0]}关于印发《{notice[1]}》的通知", line
    for no, s in head:
        if _ORG_LINE.search(s) and len(s) <= 30 and units.place_of(s):
            return s, s, no
    return "", "", 1


def issuer_fallback(find: Findings, name: str | None, title: str, place: str, line: int) -> str:
    """Without a named issuer: the place's government, from the title's or ``--name``'s place."""
    if not place:
        m = re.match(r"^(.{2,12}?(?:镇|乡|苏木|街道|县|旗|区|市|盟))", title)
        place = m[1] if m and units.level_of(m[1]) else ""
    if not place:
        find(line, "no-issuer", NO_ISSUER, "error")
        return ""
    issuer = place + ("办事处" if place.endswith("街道") else "人民政府")
    if name is None:
        find(line, "issuer-guessed", ISSUER_GUESSED, issuer=issuer)
    return issuer


def title_of(
    find: Findings, raw: str, line: int, place: str, cited: list[ph.Citation]
) -> tuple[str, bool]:
    """The title, completed from the issuer's place when the line is cut short."""
    raw = re.sub(r"[ \t\u3000]+", "", raw)
    if any(w in raw for w in PLAN_WORDS):
        return raw, False
    bases = []
    for c in cited:
        base = c.title
        own = units.place_of(c.issuer)
        if own and base.startswith(own):
            base = base[len(own) :]
        if base not in bases:
            bases.append(base)
    fitting = [b for b in bases if words.fold(b).endswith(words.fold(raw))] if raw else bases
    # The shortest fitting base is the national one, without a place of its own.
    fitting.sort(key=len)
    if not place or not fitting:
        find(line, "no-title", NO_TITLE, "error")
        return raw, False
    title = place + fitting[0]
    find(line, "title-completed", TITLE_COMPLETED, line=raw, title=title)
    return title, True


def plan_period(
    find: Findings, title: str, cited: list[ph.Citation], preamble: str, line: int
) -> tuple[dt.date, dt.date]:
    """The years the plan covers, from its title, a cited plan or the preamble."""
    for text in (title, *(c.title for c in cited), preamble):
        years = words.period_of(text)
        if years:
            return dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)
    start, end = dt.date(2024, 1, 1), dt.date(2026, 12, 31)
    find(line, "no-period", NO_PERIOD, "error", start=start, end=end)
    return start, end


def parents_of(
    find: Findings, cited: list[ph.Citation], preamble: list[tuple[int, str]]
) -> list[ParentPlan]:
    """The cited plans as parent plans, each once; one without its issuer is said."""
    out: list[ParentPlan] = []
    for c in cited:
        issuer = c.issuer
        if not issuer:
            line = next((no for no, s in preamble if c.title in s), 1)
            find(line, "parent-issuer", PARENT_NO_ISSUER, title=f"《{c.title}》")
            issuer = PLACEHOLDER
        plan = ParentPlan(title=c.title, issuer=issuer, number=c.number)
        if plan not in out:
            out.append(plan)
    return out
