"""Readers of one phrase of an official plan text: a deadline, a list of units, a unit's kind,
a numeral, a cited document, a stated goal.

Pure functions over strings, so that each form the texts use is tested on its own; the
parser (``plan_text``) calls them as it walks the lines. Full- and half-width forms are
both read (brackets, colons, semicolons, digits); what a reader cannot read it returns as
None, and the parser reports it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from safeplan.dates import in_range
from safeplan.periods import month_end

OPEN = "（("
CLOSE = "）)"
#: What ends a sentence in a task's text (its title is the first sentence).
SENTENCE_END = "。！？!?"
#: Quotation and title marks that a sentence end inside does not end the sentence.
_QUOTE_OPEN = "“‘「『《〈"
_QUOTE_CLOSE = "”’」』》〉"


def fold(text: str) -> str:
    """Full-width digits, letters, brackets and colons as their half-width forms; no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def strip_text(text: str) -> str:
    """A line as the text means it: without the spaces (also U+3000) around it."""
    return text.strip(" \t\u3000\ufeff\r\n")


# --------------------------------------------------------------------------- numerals

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_DIGITS["〇"] = 0
CN_NUMERAL = "[一二三四五六七八九十〇零百]+"


def numeral_value(numeral: str) -> int | None:
    """一 → 1, 十 → 10, 十一 → 11, 二十一 → 21 (the numerals of sections and actions)."""
    if not numeral or any(c not in _DIGITS and c not in "十百" for c in numeral):
        return None
    total, current = 0, 0
    for c in numeral:
        if c == "百":
            total += (current or 1) * 100
            current = 0
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[c]
    return total + current


def numeral_of(value: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一 (to name a missing action)."""
    digits = "零一二三四五六七八九"
    if value < 10:
        return digits[value]
    if value < 20:
        return "十" + (digits[value % 10] if value % 10 else "")
    if value < 100:
        return digits[value // 10] + "十" + (digits[value % 10] if value % 10 else "")
    return str(value)


# --------------------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class Deadline:
    """What a 完成时限 says: a day, or ongoing (长期坚持) with how often to report."""

    day: dt.date | None
    ongoing: bool = False
    #: For ongoing tasks, the check-in the text names (每季度 → quarter); None: not named.
    check_in: str | None = None


_ONGOING = re.compile(r"长期坚持|持续推进|常态化|长期|持续开展|持续|常抓不懈|长效")
_PERIODIC = (
    (re.compile(r"每半年"), "half-year"),
    (re.compile(r"每(?:个)?月"), "month"),
    (re.compile(r"每(?:个)?季(?:度)?"), "quarter"),
    (re.compile(r"每年(?:度)?"), "year"),
)
_LEAD_WORDS = re.compile(r"^(?:截止到|截止至|截至|截止|在|于|到|至)")
_TAIL_WORDS = re.compile(r"(?:全面完成|基本完成|完成|以前|之前|前|为止|止|以内|内|结束)$")
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"), "day"),
    (re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?:底|末|份|中旬|下旬)?"), "month"),
    (re.compile(r"(?P<y>\d{4})年(?P<h>上|下)半年(?:底|末)?"), "half"),
    (re.compile(r"(?P<y>\d{4})年第?(?P<q>[一二三四1-4])季度(?:底|末)?"), "quarter"),
    (re.compile(r"(?P<y>\d{4})年(?:年?底|年?末|全年)?"), "year"),
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"), "day"),
)


def _one_day(text: str) -> dt.date | None:
    """The day a deadline phrase names, or None (also for a day outside the dates the
    records may hold: 0000年, 2200年 are typing mistakes, not deadlines)."""
    day = _named_day(text)
    return day if day is not None and in_range(day) else None


def _named_day(text: str) -> dt.date | None:
    t = _LEAD_WORDS.sub("", text)
    for _ in range(2):  # 底前完成: two tail words
        t = _TAIL_WORDS.sub("", t)
    for pattern, kind in _FORMS:
        m = pattern.fullmatch(t)
        if m is None:
            continue
        try:
            year = int(m["y"])
            if kind == "day":
                return dt.date(year, int(m["m"]), int(m["d"]))
            if kind == "month":
                return month_end(year, int(m["m"]))
            if kind == "half":
                return month_end(year, 6 if m["h"] == "上" else 12)
            if kind == "quarter":
                return month_end(year, _QUARTER[m["q"]] * 3)
            return dt.date(year, 12, 31)
        except ValueError:  # 2024年13月, 2024年2月30日
            return None
    return None


def _one(text: str) -> Deadline | None:
    """One deadline phrase: a date form, a range (its end), or an ongoing form."""
    check_in = next((code for pattern, code in _PERIODIC if pattern.search(text)), None)
    if (_ONGOING.search(text) or check_in is not None) and not re.search(r"\d", text):
        return Deadline(None, True, check_in)  # 长期坚持, 每月调度: no date in it
    day = _one_day(text)
    if day is None:
        parts = [p for p in re.split(r"[—–~～]+|至", text) if p]
        if len(parts) == 2:
            end = parts[1]
            if not re.match(r"\d{4}", end):  # 2024年6月—12月: the year of the start
                start = re.match(r"\d{4}年", parts[0])
                end = (start.group(0) if start else "") + end
            day = _one_day(end)
    return None if day is None else Deadline(day)


def read_deadline(text: str) -> tuple[Deadline | None, bool]:
    """A 完成时限 as written → (the deadline or None if unreadable, whether it named several).

    ``2024年12月`` and ``2024年12月底前`` mean 2024-12-31; ``2025年上半年`` 2025-06-30;
    ``2024年第三季度`` 2024-09-30; ``长期坚持``, ``持续推进``, ``常态化开展`` are ongoing, and
    ``每季度``/``每月``/``每年`` ongoing with that check-in. Of several dates the latest is kept.
    """
    folded = fold(text).strip("。.；;，,、")
    if not folded:
        return None, False
    whole = _one(folded)
    if whole is not None:
        return whole, False
    pieces = [p for p in re.split(r"[、，,；;]|和|及", folded) if p]
    readings = [_one(p) for p in pieces]
    if len(pieces) < 2 or any(r is None for r in readings):
        return None, False
    found = [r for r in readings if r is not None]
    days = [r.day for r in found if r.day is not None]
    if not days:  # 长期坚持，每月调度: ongoing, with the check-in named
        check_in = next((r.check_in for r in found if r.check_in), None)
        return Deadline(None, True, check_in), False
    if len(days) == len(found) == 1:
        return found[0], False
    return Deadline(max(days)), True


# --------------------------------------------------------------------------- units

#: How a unit's name ends when it names a body (so that 和/及 between two such names
#: separates them, while 住房和城乡建设局 stays one name).
_UNIT_END = re.compile(
    r"(?:站|所|办|局|委|中心|队|部|院|会|室|司|厅|处|科|组|村|社区|街道|镇|乡|苏木|嘎查|"
    r"单位|部门|企业|公司|府|机构|[）)])$"
)
_GROUP = re.compile(
    r"各职能站所|各站所|站所$|有关部门|相关部门|各部门|职能部门|有关单位|相关单位|成员单位|"
    r"各单位|直属单位|各职能部门"
)
_LEVELS = ("自治区", "街道", "苏木", "省", "市", "盟", "州", "县", "旗", "区", "镇", "乡")
_ORG_SUFFIX = re.compile(
    r"(?:人民政府|政府|党委|安全生产委员会办公室|安全生产委员会|安委会办公室|安委会|安委办|"
    r"委员会|办公室|办事处)$"
)


@dataclass
class UnitList:
    """A 责任单位 phrase read: the units that lead (牵头), the others, and those that co-operate."""

    lead: list[str] = field(default_factory=list)
    main: list[str] = field(default_factory=list)
    co: list[str] = field(default_factory=list)

    def ordered(self) -> list[str]:
        """The units in the plan's order with the lead first: lead, then named, then co-operating."""
        return list(dict.fromkeys([*self.lead, *self.main, *self.co]))

    def extend(self, other: UnitList) -> None:
        self.lead += other.lead
        self.main += other.main
        self.co += other.co


def _split_depth0(text: str, separators: str) -> list[str]:
    """Split at separators outside brackets: 各村（社区） stays one name."""
    out, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in OPEN:
            depth += 1
        elif c in CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and c in separators:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


def _split_and(piece: str) -> list[str]:
    """``A和B``, ``A及B``: two units when both sides name a body, else one name."""
    depth = 0
    for i, c in enumerate(piece):
        if c in OPEN:
            depth += 1
        elif c in CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and c in "和及" and 0 < i < len(piece) - 1:
            left, right = piece[:i], _strip_marker(piece[i + 1 :])[0]
            if _UNIT_END.search(left) and _UNIT_END.search(right):
                return [left, *_split_and(piece[i + 1 :])]
    return [piece]


_MARK_ONE = re.compile(r"[（(](牵头|配合|协办|参与)(?:单位)?[）)]$")
_MARK_RUN = re.compile(r"(?:为|作为)?(牵头|负责|配合|协助|协同|协办|参与)(?:单位)?$")


def _strip_marker(piece: str) -> tuple[str, str | None, bool]:
    """(name, 'lead'|'co'|None, whether the marker covers the items before it too)."""
    m = _MARK_ONE.search(piece)
    if m:
        return piece[: m.start()], "lead" if m[1] == "牵头" else "co", False
    m = _MARK_RUN.search(piece)
    if m and m.start() > 0:
        return piece[: m.start()], "lead" if m[1] in ("牵头", "负责") else "co", True
    return piece, None, False


def _clean_unit(name: str) -> str:
    name = strip_text(name)
    name = re.sub(r"^(?:由|请)", "", name)
    name = re.sub(r"(?:按职责分工负责|按职责负责|分别负责|按职责分工|等单位|等部门|等)$", "", name)
    return strip_text(name)


def read_units(text: str, role: str | None = None) -> UnitList:
    """A 责任单位 phrase → units in order, with who leads.

    Separators: 、，,；; and 和/及 between two names; names with brackets stay whole.
    ``A牵头，B、C配合`` makes A the lead and B, C co-operating (a marker after several
    names covers them all: ``A、B牵头``); ``B（牵头）`` marks B alone. ``role`` is the role
    the key gave (``牵头单位`` → lead, ``配合单位`` → co).
    """
    out = UnitList()
    run: list[str] = []
    for part in _split_depth0(strip_text(text).strip("。."), "、，,；;"):
        for piece in _split_and(strip_text(part)):
            name, mark, covers_run = _strip_marker(strip_text(piece))
            name = _clean_unit(name)
            if mark is None:
                if name:
                    run.append(name)
                continue
            if covers_run:
                names = [*run, name] if name else run
                run = []
            else:
                names = [name] if name else []
            (out.lead if mark == "lead" else out.co).extend(names)
    if role == "lead":
        out.lead.extend(run)
    elif role == "co":
        out.co.extend(run)
    else:
        out.main.extend(run)
    return out


def is_group(name: str) -> bool:
    """镇级各职能站所, 县有关部门: a name that stands for several of the plan's units."""
    return bool(_GROUP.search(name))


def place_of(issuer: str) -> str:
    """大井镇人民政府 → 大井镇: the place an issuer governs (empty when it cannot tell)."""
    place = _ORG_SUFFIX.sub("", strip_text(issuer))
    for _ in range(2):
        place = _ORG_SUFFIX.sub("", place)
    return place if place and place != issuer and level_of(place) else ""


def level_of(place: str) -> str:
    """大井镇 → 镇, 某某旗 → 旗: how the plan's own units are prefixed."""
    return next((lv for lv in _LEVELS if place.endswith(lv)), "")


def group_prefix(name: str, level: str) -> str:
    """The level a group covers: 镇级各职能站所 → 镇, 县有关部门 → 县, 各有关部门 → the plan's."""
    m = _GROUP.search(name)
    head = name[: m.start()] if m else ""
    head = re.sub(r"(?:级|直|属)$", "", head.rstrip("各"))
    return head or level


def kind_of(name: str, level: str, place: str = "") -> tuple[str, str]:
    """The kind of a unit, guessed from how its name ends, and the ending that decided.

    站/所 of the plan's own level (镇安监站, 镇财政所) is a station; a 站/所 without the
    level's prefix (市场监管所) is the outpost of an agency above. 办 → office, 局/队/部 →
    agency, 委 → committee, 中心 → institution; a name that stands for several units is
    a group. Anything else is taken for an agency. Always to be checked by a person.
    """
    if is_group(name):
        return "group", "各/有关"
    bare = re.sub(r"[（(][^（()）]*[）)]", "", name)
    if bare.endswith("中心"):
        return "institution", "中心"
    m = re.search(r"(委员会|委会|委)$", bare)
    if m:
        return "committee", m[1]
    m = re.search(r"(村|社区|嘎查|居委会)$", bare)
    if m:
        return "committee", m[1]
    m = re.search(r"(办公室|办事处|办)$", bare)
    if m:
        return "office", m[1]
    m = re.search(r"(站|所)$", bare)
    if m:
        if not level or bare.startswith(level) or (place and bare.startswith(place)):
            return "station", m[1]
        return "agency", f"{m[1]} without {level}"  # 市场监管所: an agency's outpost
    m = re.search(r"(学校|院|馆)$", bare)
    if m:
        return "institution", m[1]
    m = re.search(r"(局|队|部|厅|处|科|公司)$", bare)
    if m:
        return "agency", m[1]
    return "agency", ""


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
    parts = [strip_text(p) for p in _split_depth0(content, "；;")]
    return any(len(fold(p)) < 30 and _is_deadline(p) for p in parts if p)


def read_parenthesis(content: str) -> Parenthesis:
    """``完成时限：2024年12月；责任单位：镇安监站、镇党政办`` in any order and either width;
    also without keys (``镇安监站牵头，镇党政办配合；2025年6月底前``). A key's value runs to
    the next key or semicolon; what follows a semicolon without a key is read on its own."""
    out = Parenthesis()
    spans: list[tuple[str | None, str, str]] = []  # (key, value, phrase)
    for segment in _split_depth0(content, "；;"):
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
    return bool(names) and all(_UNIT_END.search(n) and len(n) <= 20 for n in names)


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
        if c in _QUOTE_OPEN or c in OPEN:
            depth += 1
        elif c in _QUOTE_CLOSE or c in CLOSE:
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
        due = _one_day(m["d"]) if m else None
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
            until = _one_day(f"{before[1]}年底") if before else None
        level = "general" if "一般" in clause and "重大" not in clause else "major"
        out.append(StatedGoal(kind, clause, due, level, until))
    return out


# --------------------------------------------------------------------------- periods

_PERIOD = re.compile(r"(?P<a>\d{4})\s*年?\s*(?:[—–\-－~～至到]+|—)\s*(?P<b>\d{4})\s*年")


def period_of(text: str) -> tuple[int, int] | None:
    """（2024—2026年） → (2024, 2026)."""
    m = _PERIOD.search(unicodedata.normalize("NFKC", text))
    if m is None:
        return None
    a, b = int(m["a"]), int(m["b"])
    return (a, b) if 1950 <= a <= b <= 2099 else None
