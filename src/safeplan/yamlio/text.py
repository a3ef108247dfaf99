"""Bytes → text: size limits, the UTF-8 BOM, and encodings named for what they are."""

from __future__ import annotations

from pathlib import Path

from safeplan.problems import N_
from safeplan.yamlio.problem import YamlProblem

#: Files larger than this are refused without being read whole. A hazard record is
#: a few KiB; the shipped tasks.yaml is about 10 KiB.
MAX_FILE_BYTES = 1024 * 1024
_FIRST_READ = 64 * 1024
BOM = b"\xef\xbb\xbf"


def read_bytes(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """A file's bytes, refusing a file over ``max_bytes`` without reading it whole."""
    with open(path, "rb") as fh:
        # A small first read: asking for max_bytes at once allocates (and frees) a
        # buffer that large for every file, which triples the cost of reading 10k files.
        first = min(_FIRST_READ, max_bytes + 1)
        data = fh.read(first)
        if len(data) == first:
            data += fh.read(max_bytes + 1 - first)
    if len(data) > max_bytes:
        raise YamlProblem(
            1,
            1,
            "file-too-large",
            N_("file is larger than {limit} KiB and was not read: split it or remove it"),
            {"limit": max_bytes // 1024},
        )
    return data


def read_text(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a file as UTF-8 text (a BOM is accepted), refusing huge or non-UTF-8 files."""
    return decode(read_bytes(path, max_bytes))


def decode(data: bytes) -> str:
    if data.startswith(BOM):
        data = data[len(BOM) :]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise YamlProblem(
            1, 1, "not-utf8", N_("file is UTF-16, not UTF-8: save it again as UTF-8"), {}
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        # Columns count characters, as editors and libyaml do; the bytes before the
        # first bad one are valid UTF-8.
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8")) + 1
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            template = N_("file is not UTF-8 (byte 0x{byte:02X}): save it again as UTF-8")
        else:
            template = N_(
                "file is not UTF-8; it looks like GBK, as Excel and WPS save it: "
                "save it again as UTF-8"
            )
        raise YamlProblem(line, column, "not-utf8", template, {"byte": data[exc.start]}) from None
