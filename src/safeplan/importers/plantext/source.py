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
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from safeplan import yamlio
from safeplan.errors import DataError, UsageError
from safeplan.problems import N_, Problem

Kind = Literal["utf-8", "gb18030", "docx"]

#: A Word document with pictures can be larger than any text file: read up to this many bytes.
MAX_DOCX_BYTES = 32 * 1024 * 1024
#: A .docx whose parts unpack to more than this is refused (a zip bomb, not a plan).
MAX_DOCX_UNPACKED = 256 * 1024 * 1024
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003 .doc, .wps, old Excel
_PDF = b"%PDF"
_GB_FAMILY = frozenset(("gb18030", "gbk", "gb2312", "hz"))


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
                    lines.extend(item.text.split("\n"))

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
