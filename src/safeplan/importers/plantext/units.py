"""The units a task names (牵头/配合 lists, 和/及 between names, groups such as 各村（社区）),
and what kind of body each is. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from safeplan.importers.plantext.words import CLOSE, OPEN, strip_text

#: How a unit's name ends when it names a body (so that 和/及 between two such names
#: separates them, while 住房和城乡建设局 stays one name).
UNIT_END = re.compile(
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


def split_depth0(text: str, separators: str) -> list[str]:
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
            if UNIT_END.search(left) and UNIT_END.search(right):
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
    for part in split_depth0(strip_text(text).strip("。."), "、，,；;"):
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


#: A unit's kind by how its name ends, first match wins (站/所 only at the plan's level).
_KIND_BY_ENDING = (
    (re.compile(r"(委员会|委会|委)$"), "committee"),
    (re.compile(r"(村|社区|嘎查|居委会)$"), "committee"),
    (re.compile(r"(办公室|办事处|办)$"), "office"),
    (re.compile(r"(站|所)$"), "station"),
    (re.compile(r"(学校|院|馆)$"), "institution"),
    (re.compile(r"(局|队|部|厅|处|科|公司)$"), "agency"),
)


#: The levels whose own 局/队 are the town's bodies (镇属机构).
_TOWN_LEVELS = ("镇", "乡", "街道", "苏木")


def kind_of(name: str, level: str, place: str = "") -> tuple[str, str]:
    """The kind of a unit, guessed from how its name ends, and the ending that decided.

    站/所 of the plan's own level (镇安监站, 镇财政所) is a station; a 站/所 without the
    level's prefix (市场监管所) is the outpost of an agency above. 办 → office, 局/队/部 →
    agency, 委 → committee, 中心 → institution; a name that stands for several units is
    a group. A 局/队 of the plan's own level (镇综合执法局) is the town's own body (镇属机构),
    not an agency's outpost. Anything else is taken for an agency. Always to be checked by a
    person.
    """
    if is_group(name):
        return "group", "各/有关"
    bare = re.sub(r"[（(][^（()）]*[）)]", "", name)
    if bare.endswith("中心"):
        return "institution", "中心"
    for ending, kind in _KIND_BY_ENDING:
        m = ending.search(bare)
        if m is None:
            continue
        at_level = not level or bare.startswith(level) or bool(place and bare.startswith(place))
        if kind == "station" and not at_level:
            return "agency", f"{m[1]} without {level}"  # 市场监管所: an agency's outpost
        if kind == "agency" and level in _TOWN_LEVELS and at_level:
            return "town-body", f"{level}…{m[1]}"  # 镇综合执法局: the town's own body
        return kind, m[1]
    return "agency", ""
