"""The plan's text as it arrives: UTF-8 text, GB18030/GBK text, or a Word document (.docx).

Offices get the issued plan as a Word document (WPS saves .docx too) or as text saved by
a Chinese Windows tool (GBK). Each is read into the same text, so that every kind imports
to the same plan; what kind it was is said, because ``plan/source.txt`` then keeps the
text as UTF-8, not the bytes that arrived. Anything else (a .doc, a PDF, another encoding)
is refused with what to do. Pure apart from reading the one file; python-docx is imported
only for a .docx.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from safeplan import yamlio
from safeplan.errors import DataError, UsageError
from safeplan.importers.plantext.words import numeral_of
from safeplan.problems import N_, Problem

Kind = Literal["utf-8", "gb18030", "docx"]

#: A Word document with pictures can be larger than any text file: read up to this many bytes.
MAX_DOCX_BYTES = 32 * 1024 * 1024
#: A .docx whose parts unpack to more than this is refused (a zip bomb, not a plan).
MAX_DOCX_UNPACKED = 256 * 1024 * 1024
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003 .doc, .wps, old Excel
_PDF = b"%PDF"
_GB_FAMILY = frozenset(("gb18030", "gbk", "gb2312"))


@dataclass(frozen=True)
class Source:
    """The text read, the bytes ``plan/source.txt`` keeps, and what the file was."""

    #: What plan/source.txt keeps: the file as it came when it is UTF-8, else its text in UTF-8.
    data: bytes
    text: str
    kind: Kind


def _refuse(shown: str, template: str, **params: Any) -> DataError:
    problem = Problem(shown, 1, 1, "not-plan-text", template, params)
    return DataError(
        N_("{path} cannot be read as the plan's text: nothing was written"), [problem], path=shown
    )


def read_source(path: Path, shown: str) -> Source:
    """The plan's text from ``path`` (``shown`` is how messages name it)."""
    if path.is_dir():
        raise UsageError(N_("{path} is a folder: give the plan's text (.txt or .docx)"), path=shown)
    if not path.is_file():
        raise UsageError(
            N_("{path}: no such file (give the plan's text as a .txt or .docx file)"), path=shown
        )
    try:
        data = yamlio.read_bytes(path, MAX_DOCX_BYTES)
    except yamlio.YamlProblem as exc:
        raise _refuse(shown, exc.template, **exc.params) from None
    except OSError as exc:
        raise UsageError(
            N_("cannot read {path}: {reason}"), path=shown, reason=exc.strerror or str(exc)
        ) from None
    return source_of(data, shown)


def source_of(data: bytes, shown: str) -> Source:
    """The text of a file's bytes: a .docx by its zip signature, else text in UTF-8 or GBK."""
    if data.startswith(_ZIP):
        text = docx_text(data, shown)
        return Source(text.encode("utf-8"), text, "docx")
    if data.startswith(_OLE):
        raise _refuse(
            shown,
            N_(
                "file is an old Word or WPS document (.doc/.wps), which cannot be read: open "
                "it in Word or WPS and save it as .docx (or as text), then import that"
            ),
        )
    if data.startswith(_PDF):
        raise _refuse(
            shown,
            N_(
                "file is a PDF, which cannot be read as the plan's text: import the Word "
                "document (.docx) it was made from, or save its text as .txt"
            ),
        )
    if len(data) > yamlio.MAX_FILE_BYTES:
        raise _refuse(
            shown,
            N_("file is larger than {limit} KiB and was not read: split it or remove it"),
            limit=yamlio.MAX_FILE_BYTES // 1024,
        )
    try:
        return Source(data, yamlio.decode(data), "utf-8")
    except yamlio.YamlProblem as exc:
        gb = _gb18030(data) if exc.code == "not-utf8" else None
        if gb is not None:
            return Source(gb.encode("utf-8"), gb, "gb18030")
        problem = Problem(shown, exc.line, exc.column, exc.code, exc.template, exc.params)
        raise DataError(
            N_("{path} cannot be read as the plan's text: nothing was written"),
            [problem],
            path=shown,
        ) from None


def _gb18030(data: bytes) -> str | None:
    """The text of GB18030 (GBK, GB2312) bytes, when they are that and nothing else."""
    if b"\x00" in data:
        return None
    import charset_normalizer  # only for text that is not UTF-8

    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding not in _GB_FAMILY:
        return None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text.lstrip("\ufeff")


def docx_text(data: bytes, shown: str) -> str:
    """A Word document's paragraphs in order, one a line; a table's cells give theirs, row by
    row (a cell merged over several columns once)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile:
        raise _refuse(
            shown,
            N_(
                "file starts as a zip archive (as a .docx does) but is damaged: open it in "
                "Word or WPS and save it again"
            ),
        ) from None
    if "word/document.xml" not in names:
        raise _refuse(
            shown,
            N_(
                "file is a zip archive but not a Word document (.docx): import the plan's "
                ".docx or .txt"
            ),
        )
    if unpacked > MAX_DOCX_UNPACKED:
        raise _refuse(
            shown,
            N_("file unpacks to more than {limit} MiB, which no plan needs: it was not read"),
            limit=MAX_DOCX_UNPACKED // (1024 * 1024),
        )
    import docx  # only for a Word document
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document)
        lines: list[str] = []

        def walk(block: Any) -> None:
            for item in block.iter_inner_content():
                if isinstance(item, Table):
                    for row in item.rows:
                        seen: list[Any] = []  # the cells' elements: a merged cell repeats
                        for cell in row.cells:
                            if not any(cell._tc is tc for tc in seen):
                                seen.append(cell._tc)
                                walk(cell)
                else:
                    lines.extend((numbering.label(item) + item.text).split("\n"))

        walk(document)
    except Exception as exc:  # a damaged document from outside: say so, never a traceback
        raise _refuse(
            shown,
            N_(
                "file looks like a Word document (.docx) but cannot be read ({reason}): open "
                "it in Word or WPS and save it again"
            ),
            reason=str(exc) or type(exc).__name__,
        ) from None
    return "\n".join(line.rstrip() for line in lines) + "\n"


# --------------------------------------------------------------------------- Word's numbering

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_CHINESE = frozenset(
    (
        "chineseCounting",
        "chineseCountingThousand",
        "chineseLegalSimplified",
        "ideographDigital",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    )
)


def _roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def number_text(n: int, fmt: str) -> str:
    """A counter as Word shows it in a format (decimal 3, chineseCounting 三, …)."""
    if fmt in _CHINESE:
        return numeral_of(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "ideographTraditional":
        return _STEMS[(n - 1) % 10]
    if fmt in ("lowerLetter", "upperLetter"):
        return _letters(n) if fmt == "lowerLetter" else _letters(n).upper()
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n) if fmt == "lowerRoman" else _roman(n).upper()
    if fmt == "none":
        return ""
    return str(n)  # decimal, and what else Word has


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str


class _Numbering:
    """Word's automatic numbering as the document shows it (``1．``, ``（一）``): python-docx
    gives a paragraph's text without it, and a plan numbered that way would lose its task
    numbers. The counters run per list, a level restarting under the level above it."""

    def __init__(self, document: Any) -> None:
        self.lists: dict[str, dict[int, _Level]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.styles: dict[str, Any] = {}
        root = self._part(document)
        if root is None:
            return
        abstract: dict[str, dict[int, _Level]] = {}
        for a in root.iter(f"{_W}abstractNum"):
            abstract[a.get(f"{_W}abstractNumId", "")] = {
                int(lvl.get(f"{_W}ilvl", "0")): self._level(lvl) for lvl in a.iter(f"{_W}lvl")
            }
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            levels = dict(abstract.get(ref.get(f"{_W}val", "") if ref is not None else "", {}))
            for override in num.iter(f"{_W}lvlOverride"):
                ilvl = int(override.get(f"{_W}ilvl", "0"))
                lvl = override.find(f"{_W}lvl")
                start = override.find(f"{_W}startOverride")
                if lvl is not None:
                    levels[ilvl] = self._level(lvl)
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = _Level(int(start.get(f"{_W}val", "1")), old.fmt, old.text)
            self.lists[num.get(f"{_W}numId", "")] = levels
        self.styles = {s.style_id: s for s in document.styles if s.style_id}

    @staticmethod
    def _part(document: Any) -> Any:
        rels = document.part.rels.values()
        for rel in rels:
            if rel.reltype.endswith("/numbering") and not rel.is_external:
                return rel.target_part.element
        return None

    @staticmethod
    def _level(lvl: Any) -> _Level:
        def val(tag: str, default: str) -> str:
            found = lvl.find(f"{_W}{tag}")
            return found.get(f"{_W}val", default) if found is not None else default

        return _Level(int(val("start", "1")), val("numFmt", "decimal"), val("lvlText", ""))

    def _num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        """The list and level of a paragraph: its own, else its style's (and theirs)."""
        p_pr = paragraph._p.find(f"{_W}pPr")
        element = p_pr.find(f"{_W}numPr") if p_pr is not None else None
        style_id = None
        if p_pr is not None and p_pr.find(f"{_W}pStyle") is not None:
            style_id = p_pr.find(f"{_W}pStyle").get(f"{_W}val")
        seen: set[str] = set()
        while element is None and style_id and style_id not in seen:
            seen.add(style_id)
            style = self.styles.get(style_id)
            if style is None:
                break
            s_pr = style.element.find(f"{_W}pPr")
            element = s_pr.find(f"{_W}numPr") if s_pr is not None else None
            based = style.element.find(f"{_W}basedOn")
            style_id = based.get(f"{_W}val") if based is not None else None
        if element is None:
            return None
        num_id = element.find(f"{_W}numId")
        ilvl = element.find(f"{_W}ilvl")
        if num_id is None:
            return None
        level = int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
        return num_id.get(f"{_W}val", "0"), level

    def label(self, paragraph: Any) -> str:
        """The number Word shows before the paragraph, as text ('' when it has none)."""
        found = self._num_pr(paragraph)
        if found is None:
            return ""
        num_id, level = found
        levels = self.lists.get(num_id)
        if not levels or level not in levels or levels[level].fmt == "bullet":
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters[level] + 1 if level in counters else levels[level].start
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]

        def shown(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lvl = levels.get(k)
            if lvl is None:
                return ""
            return number_text(counters.get(k, lvl.start), lvl.fmt)

        return re.sub(r"%([1-9])", shown, levels[level].text)
