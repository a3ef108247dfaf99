"""Bytes → text: size limits, the UTF-8 BOM, and encodings named for what they are."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from safeplan.problems import N_, Fragment
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


_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: Characters of Latin-1 that double-encoded UTF-8 is made of (å¤§ for 大).
_LATIN1 = re.compile("[\u0080-\u00ff]")
#: What charset-normalizer may find, in words a person can act on.
_ENCODINGS = {
    "gb18030": N_("GBK, as Excel and WPS save it"),
    "gbk": N_("GBK, as Excel and WPS save it"),
    "gb2312": N_("GBK, as Excel and WPS save it"),
    "hz": N_("GBK, as Excel and WPS save it"),
    "big5": N_("Big5 (traditional Chinese)"),
    "big5hkscs": N_("Big5 (traditional Chinese)"),
    "cp950": N_("Big5 (traditional Chinese)"),
    "shift_jis": N_("Shift-JIS (Japanese)"),
    "cp932": N_("Shift-JIS (Japanese)"),
    "euc_jp": N_("EUC-JP (Japanese)"),
    "euc_kr": N_("EUC-KR (Korean)"),
    "cp949": N_("EUC-KR (Korean)"),
}


def _not_utf8(template: str, **params: Any) -> YamlProblem:
    return YamlProblem(1, 1, "not-utf8", template, params)


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is accepted); any other encoding is named for what it is."""
    if data.startswith(BOM):
        data = data[len(BOM) :]
    elif data[:4] in _UTF32_BOMS:
        raise _not_utf8(N_("file is UTF-32, not UTF-8: save it again as UTF-8"))
    elif data[:2] in _UTF16_BOMS:
        raise _not_utf8(N_("file is UTF-16, not UTF-8: save it again as UTF-8"))
    elif len(data) >= 8 and data.count(0) * 3 >= len(data):
        # Text where every other (or three in four) byte is NUL: UTF-16 or UTF-32 without a BOM.
        wide = "UTF-32" if data.count(b"\x00\x00\x00") * 4 >= len(data) // 2 else "UTF-16"
        raise _not_utf8(
            N_("file is {encoding} (without a byte-order mark), not UTF-8: save it again as UTF-8"),
            encoding=wide,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _other_encoding(data, exc) from None
    if _LATIN1.search(text):
        _double_encoded(text)
    return text


def _other_encoding(data: bytes, exc: UnicodeDecodeError) -> YamlProblem:
    line = data.count(b"\n", 0, exc.start) + 1
    # Columns count characters, as editors and libyaml do; the bytes before the first bad
    # one are valid UTF-8.
    line_start = data.rfind(b"\n", 0, exc.start) + 1
    column = len(data[line_start : exc.start].decode("utf-8")) + 1
    import charset_normalizer  # only for files that are not UTF-8

    best = charset_normalizer.from_bytes(data).best()
    words = _ENCODINGS.get(best.encoding) if best is not None else None
    if words is not None:
        return YamlProblem(
            line,
            column,
            "not-utf8",
            N_("file is not UTF-8; it looks like {encoding}: save it again as UTF-8"),
            {"encoding": Fragment(words)},
        )
    return YamlProblem(
        line,
        column,
        "not-utf8",
        N_("file is not UTF-8 (byte 0x{byte:02X}): save it again as UTF-8"),
        {"byte": data[exc.start]},
    )


def _double_encoded(text: str) -> None:
    """UTF-8 saved as if it were Latin-1 and then as UTF-8 again (大 became å¤§)."""
    for codec in ("latin-1", "cp1252"):
        try:
            again = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if any(ord(ch) > 0x2FF for ch in again):
            raise _not_utf8(
                N_(
                    "file is UTF-8 encoded twice (its Chinese reads like 'å¤§'): it was "
                    "opened as Latin-1 and saved again; save the original as UTF-8"
                )
            )
