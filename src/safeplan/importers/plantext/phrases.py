"""Readers of one phrase of an official plan text: a task's parenthesis (完成时限, 牵头单位 …),
a cited document, a stated goal; the readers of a deadline (``deadlines``), of a list of
units and a unit's kind (``units``) and of a numeral (``words``) are named here too, so
that this module reads every kind of phrase (its tests read them all through it).

Pure functions over strings, so that each form the texts use is tested on its own; the
parser (``plan_text``) calls them as it walks the lines. Full- and half-width forms are
both read (brackets, colons, semicolons, digits); what a reader cannot read it returns as
None, and the parser reports it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from safeplan.importers.plantext.deadlines import Deadline as Deadline
from safeplan.importers.plantext.deadlines import one_day, read_deadline
from safeplan.importers.plantext.units import UNIT_END, UnitList, read_units, split_depth0
from safeplan.importers.plantext.units import group_prefix as group_prefix
from safeplan.importers.plantext.units import kind_of as kind_of
from safeplan.importers.plantext.units import level_of as level_of
from safeplan.importers.plantext.units import place_of as place_of
from safeplan.importers.plantext.words import (
    CLOSE,
    OPEN,
    QUOTE_CLOSE,
    QUOTE_OPEN,
    SENTENCE_END,
    fold,
    strip_text,
)
from safeplan.importers.plantext.words import numeral_of as numeral_of
from safeplan.importers.plantext.words import numeral_value as numeral_value

# --------------------------------------------------------------------------- the parenthesis

DEADLINE_KEYS = ("完成时限", "完成时间", "时间节点", "完成期限", "时限要求", "时间要求", "时限")
UNIT_KEYS = {
    "责任单位": None,
    "责任部门": None,
    "主责单位": None,
    "牵头单位": "lead",
    "牵头部门": "lead",
    "配合单位": "co",
    "配合部门": "co",
    "协办单位": "co",
    "参与单位": "co",
}
_KEY = re.compile(
    "(" + "|".join(sorted([*DEADLINE_KEYS, *UNIT_KEYS], key=len, reverse=True)) + r")\s*[：:]"
)


@dataclass
class Parenthesis:
    """The parenthesis after a task: its deadline and units, and what of it was not read."""

    deadline_text: str | None = None
    #: The phrase as the text writes it, for a comment in the YAML (完成时限：2024年12月).
    deadline_phrase: str | None = None
    units: UnitList = field(default_factory=UnitList)
    unit_phrases: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


def _has_marker(text: str) -> bool:
    return bool(re.search(r"牵头|配合", text))


def has_key(text: str) -> bool:
    """Whether ``text`` names a deadline or units with a key (完成时限：, 责任单位：…)."""
    return _KEY.search(text) is not None


def looks_like_parenthesis(content: str) -> bool:
    """Whether a bracketed group is a task's deadline-and-units, not a remark in its text."""
    if _KEY.search(content):
        return True
    if _has_marker(content) and len(fold(content)) < 80:
        return True
    parts = [strip_text(p) for p in split_depth0(content, "；;")]
    return any(len(fold(p)) < 30 and _is_deadline(p) for p in parts if p)


def read_parenthesis(content: str) -> Parenthesis:
    """``完成时限：2024年12月；责任单位：镇安监站、镇党政办`` in any order and either width;
    also without keys (``镇安监站牵头，镇党政办配合；2025年6月底前``). A key's value runs to
    the next key or semicolon; what follows a semicolon without a key is read on its own."""
    out = Parenthesis()
    spans: list[tuple[str | None, str, str]] = []  # (key, value, phrase)
    for segment in split_depth0(content, "；;"):
        keys = [m for m in _KEY.finditer(segment) if _depth_at(segment, m.start()) == 0]
        head = strip_text(segment[: keys[0].start()] if keys else segment).strip("，,。")
        if head:
            spans.append((None, head, head))
        for i, m in enumerate(keys):
            end = keys[i + 1].start() if i + 1 < len(keys) else len(segment)
            phrase = strip_text(segment[m.start() : end]).rstrip("，,。")
            spans.append((m[1], strip_text(segment[m.end() : end]).strip("，,。"), phrase))
    for key, value, phrase in spans:
        if key in DEADLINE_KEYS or (key is None and _is_deadline(value)):
            if out.deadline_text is None:
                out.deadline_text, out.deadline_phrase = value, phrase
            else:
                out.unread.append(phrase)
        elif key is not None or _has_marker(value) or _names_units(value):
            role = UNIT_KEYS.get(key) if key else None
            read = read_units(value, role)
            if not read.ordered():
                out.unread.append(phrase)
            out.units.extend(read)
            out.unit_phrases.append(phrase)
        else:
            out.unread.append(phrase)
    return out


def _names_units(text: str) -> bool:
    """A keyless part that is only names of bodies (镇安监站、镇党政办)."""
    names = read_units(text).ordered()
    return bool(names) and all(UNIT_END.search(n) and len(n) <= 20 for n in names)


def _is_deadline(text: str) -> bool:
    return read_deadline(text)[0] is not None


def _depth_at(text: str, index: int) -> int:
    depth = 0
    for c in text[:index]:
        if c in OPEN:
            depth += 1
        elif c in CLOSE:
            depth = max(0, depth - 1)
    return depth


def peel_parentheses(text: str) -> tuple[str, list[str]]:
    """A task's text → (the text without its trailing parentheses, their contents in order).

    The parenthesis of deadline and units closes the task, possibly followed by 。; it may
    come as two groups (``（完成时限：…）（责任单位：…）``). Brackets inside it (各村（社区）)
    are matched, full- and half-width alike. Without brackets, a trailing ``完成时限：…``
    is taken as the parenthesis too.
    """
    body = text.rstrip()
    tail_punct = ""
    groups: list[str] = []
    while True:
        stripped = body.rstrip(" \t\u3000")
        end_punct = ""
        while stripped and stripped[-1] in "。.；;":
            end_punct = stripped[-1] + end_punct
            stripped = stripped[:-1].rstrip(" \t\u3000")
        if not stripped or stripped[-1] not in CLOSE:
            break
        depth, start = 0, -1
        for i in range(len(stripped) - 1, -1, -1):
            c = stripped[i]
            if c in CLOSE:
                depth += 1
            elif c in OPEN:
                depth -= 1
                if depth == 0:
                    start = i
                    break
        if start < 0:
            break
        content = stripped[start + 1 : -1]
        if not looks_like_parenthesis(content):
            break
        groups.insert(0, content)
        body = stripped[:start]
        tail_punct = tail_punct or end_punct
    if not groups:  # 完成时限：…；责任单位：… without brackets, in the last paragraph
        last = body.rfind("\n") + 1
        tail = body[last:]
        m = next((k for k in _KEY.finditer(tail) if _depth_at(tail, k.start()) == 0), None)
        if m is not None and last + m.start() > 0:
            groups = [tail[m.start() :].strip().rstrip("。")]
            body = body[: last + m.start()]
    body = body.rstrip(" \t\u3000\n")
    if groups and tail_punct and body and body[-1] not in SENTENCE_END + "；;：:":
        body += tail_punct.replace(".", "。").replace(";", "；")
    return body, groups


def first_sentence(text: str) -> str:
    """A task's title: its text up to the first 。 (outside quotes), or its first line."""
    depth = 0
    for i, c in enumerate(text):
        if c in QUOTE_OPEN or c in OPEN:
            depth += 1
        elif c in QUOTE_CLOSE or c in CLOSE:
            depth = max(0, depth - 1)
        elif c == "\n":
            return strip_text(text[:i])
        elif depth == 0 and c in SENTENCE_END:
            return strip_text(text[: i + 1])
    return strip_text(text)


# --------------------------------------------------------------------------- citations


@dataclass(frozen=True)
class Citation:
    """A document the preamble cites: 《title》, who issued it, its number （…〔2024〕N号）."""

    title: str
    issuer: str
    number: str | None


_NOTICE = re.compile(r"^(?P<issuer>.+?)关于印发[〈《<](?P<title>.+)[〉》>]的通知$")
_NUMBER = re.compile(r"\s*[（(](?P<n>[^（()）]*?[〔\[［【]\s*\d{4}\s*[〕\]］】][^（()）]*?号)[）)]")
_LEAD_IN = re.compile(
    r"^(?:为了|为|现将|进一步|认真|深入|全面|坚决|切实|贯彻落实|贯彻|落实|执行|学习|根据|按照|依据|依照|"
    r"结合|对照|以及|和|及|与)+"
)


def citations(text: str) -> list[Citation]:
    """The documents cited in ``text``, with their issuers and numbers where the text gives them.

    ``《X关于印发〈Y〉的通知》（号）``: the plan Y, issued by X. ``国务院安委会印发的《Y》``:
    the plan Y, issued by 国务院安委会.
    """
    out: list[Citation] = []
    depth, start, boundary = 0, -1, 0
    for i, c in enumerate(text):
        if c == "《":
            if depth == 0:
                start = i
            depth += 1
        elif c == "》" and depth > 0:
            depth -= 1
            if depth == 0:
                content = text[start + 1 : i]
                m = _NUMBER.match(text, i + 1)
                number = fold(m["n"]).replace("[", "〔").replace("]", "〕") if m else None
                if number is not None:
                    number = re.sub(r"[［【]", "〔", re.sub(r"[］】]", "〕", number))
                notice = _NOTICE.match(content)
                if notice:
                    title, issuer = notice["title"], notice["issuer"]
                else:
                    title, issuer = content, _issuer_before(text[boundary:start])
                out.append(Citation(strip_text(title), strip_text(issuer), number))
                boundary = m.end() if m else i + 1
        elif depth == 0 and c in "，,。；;：:":
            boundary = i + 1
    return out


def _issuer_before(phrase: str) -> str:
    """``为认真贯彻落实国务院安委会印发的`` → 国务院安委会."""
    phrase = strip_text(phrase).lstrip("、")
    phrase = re.sub(r"(?:联合)?(?:印发|制定|发布|下发|出台)(?:的|了)?$|的$", "", phrase)
    phrase = _LEAD_IN.sub("", phrase)
    return phrase if 2 <= len(phrase) <= 40 and not re.search(r"[《》]", phrase) else ""


# --------------------------------------------------------------------------- goals


@dataclass(frozen=True)
class StatedGoal:
    """A goal in the national wording: its kind, the clause as written, its dates."""

    kind: str
    title: str
    due: dt.date
    level: str
    #: For stock_cleared: the last day of discovery it covers (2023年及以前 → 2023-12-31).
    discovered_until: dt.date | None = None


_GOAL_KIND = (("存量", "stock_cleared"), ("增量", "increment_curbed"), ("动态清零", "dynamic_zero"))
_CLAUSE_DEADLINE = re.compile(
    r"^(?:到|至|于|在)?(?P<d>\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?|上半年|下半年|第?[一二三四1-4]季度)?"
    r"(?:年?底|年?末)?(?:以前|之前|前)?)"
)


def stated_goals(sentence: str) -> list[StatedGoal]:
    """Goals stated in one sentence: ``2024年底前基本消除2023年及以前排查发现的重大事故隐患存量，…``.

    A clause is a goal when it opens with a deadline (or follows a clause that is only a
    deadline, ``到2024年底，…``) and names 存量, 增量 or 动态清零.
    """
    out: list[StatedGoal] = []
    pending: tuple[dt.date, str] | None = None
    for raw in re.split(r"(?<=[，,。；;])", sentence):
        clause = strip_text(raw).rstrip("，,。；;")
        folded = fold(clause)
        m = _CLAUSE_DEADLINE.match(folded)
        due = one_day(m["d"]) if m else None
        if m and due is not None and m.group(0) == folded:
            pending = (due, strip_text(raw))  # 到2024年底，
            continue
        if due is None and pending is not None:
            due, clause = pending[0], pending[1] + clause
        pending = None
        kind = next((k for word, k in _GOAL_KIND if word in clause), None)
        if kind is None or due is None:
            continue
        until = None
        if kind == "stock_cleared":
            before = re.search(r"(\d{4})年(?:及|以|之)?(?:以前|之前|前)", folded)
            until = one_day(f"{before[1]}年底") if before else None
        level = "general" if "一般" in clause and "重大" not in clause else "major"
        out.append(StatedGoal(kind, clause, due, level, until))
    return out
