"""A new record's file written straight from its data, byte for byte as ``rt_dump_new``.

``import ledger`` writes thousands of new hazard files; ruamel's emitter took three
quarters of its time (about 30 ms a record). Most records are maps, lists of maps and
text that YAML reads back plain: those are written here directly. Anything else — a
multi-line text, a text that needs quotes other than single ones, an empty list, a value
of another type — goes to ruamel (:func:`~safeplan.yamlio.roundtrip.rt_dump_new`), so the
bytes never differ (a test compares the two on generated and corpus records).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from safeplan.yamlio.roundtrip import misread, rt_dump_new

#: Text ruamel writes plain in a block mapping: printable, no indicator first, no ': ' or
#: ' #', no space at either end (a conservative subset of what ruamel's analysis allows).
_PLAIN = re.compile(
    r"[^\s\-?:,\[\]{}#&*!|>'\"%@`\ufeff]"
    r"(?:[^\x00-\x1f\x7f-\x9f\ufeff\ud800-\udfff\ufffe\uffff]*"
    r"[^\s:\x00-\x1f\x7f-\x9f\ufeff\ud800-\udfff\ufffe\uffff])?"
)
#: In a flow sequence (``[a, b]``) the flow indicators may not appear either.
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")
#: Keys written plain: identifiers.
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class _Fallback(Exception):
    """A value this writer does not write exactly as ruamel would."""


def _scalar(value: object, flow: bool = False) -> str:
    if isinstance(value, bool) or value is None:
        raise _Fallback
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if type(value) is str:
        if value in _PLAIN_OK and not flow:
            return value
        if (
            _PLAIN.fullmatch(value)
            and ": " not in value
            and " #" not in value
            and not value.startswith(("---", "..."))  # a document marker to ruamel: quoted
            and "\u2028" not in value  # line breaks to YAML 1.1: double-quoted
            and "\u2029" not in value
            and not (flow and _FLOW_UNSAFE.search(value))
            and not misread(value)
        ):
            if not flow and len(_PLAIN_OK) < _MEMO_MAX:
                _PLAIN_OK.add(value)
            return value
        raise _Fallback
    if isinstance(value, str) and type(value).__name__ == "SingleQuotedScalarString":
        if "\n" in value or flow or not value.strip() or value != value.strip():
            raise _Fallback
        return "'" + value.replace("'", "''") + "'"
    raise _Fallback


def _key(key: object) -> str:
    """A key as ruamel (YAML 1.2) writes it: plain, ``on`` included."""
    if key in _KEYS_OK:  # a record's few dozen keys, written thousands of times
        return key  # type: ignore[return-value]
    if not isinstance(key, str) or not _KEY.fullmatch(key) or key.lower() in _RESERVED:
        raise _Fallback
    if len(_KEYS_OK) < _MEMO_MAX:
        _KEYS_OK.add(key)
    return key


#: Keys and plain texts already found writable as they are (an import writes the same
#: units, levels and enterprises in thousands of records); at most so many of each kept.
_MEMO_MAX = 20_000
_KEYS_OK: set[object] = set()
_PLAIN_OK: set[str] = set()


#: Identifiers YAML 1.2 reads as something other than text.
_RESERVED = frozenset(("true", "false", "null"))


def _mapping(data: dict[Any, Any], indent: int, out: list[str], first: str = "") -> None:
    """A block mapping at ``indent``; ``first`` prefixes its first line (a list's dash)."""
    if not data:
        raise _Fallback
    pad = " " * indent
    for i, (k, v) in enumerate(data.items()):
        lead = first if i == 0 and first else pad
        name = _key(k)
        if isinstance(v, dict):
            out.append(f"{lead}{name}:\n")
            _mapping(v, indent + 2, out)
        elif isinstance(v, list | tuple):
            if not v:
                raise _Fallback
            if all(isinstance(item, dict) for item in v):
                out.append(f"{lead}{name}:\n")
                for item in v:
                    _mapping(item, indent + 4, out, " " * (indent + 2) + "- ")
            elif any(isinstance(item, dict | list | tuple) for item in v):
                raise _Fallback
            else:
                out.append(f"{lead}{name}: [{', '.join(_scalar(x, flow=True) for x in v)}]\n")
        elif type(v) is str and "\n" in v:
            out.append(f"{lead}{name}: {_literal(v, indent + 2)}")
        else:
            out.append(f"{lead}{name}: {_scalar(v)}\n")


#: A line of a literal block written as is: printable, no tab, no space at its end.
_LINE = re.compile(
    r"[^\s\x00-\x1f\x7f-\x9f\ufeff\ud800-\udfff\ufffe\uffff\u2028\u2029]"
    r"(?:[^\t\x00-\x1f\x7f-\x9f\ufeff\ud800-\udfff\ufffe\uffff\u2028\u2029]*"
    r"[^\s\x00-\x1f\x7f-\x9f\ufeff\ud800-\udfff\ufffe\uffff\u2028\u2029])?"
)


def _literal(value: str, indent: int) -> str:
    """Multi-line text as a literal block (``|``, or ``|-`` without a final line break),
    as ``text_scalar`` has ruamel write it; other shapes (blank lines, several final
    breaks, odd characters) fall back."""
    body = value[:-1] if value.endswith("\n") else value
    lines = body.split("\n")
    if not all(_LINE.fullmatch(line) for line in lines):
        raise _Fallback
    pad = " " * indent
    head = "|" if value.endswith("\n") else "|-"
    return head + "\n" + "".join(f"{pad}{line}\n" for line in lines)


def dump_new(data: dict[str, Any]) -> bytes:
    """A new record's file, as :func:`rt_dump_new` writes it (faster where it can be)."""
    direct = dump_direct(data)
    return direct if direct is not None else rt_dump_new(data)


def dump_direct(data: dict[str, Any]) -> bytes | None:
    """The file as this writer writes it, or None where ruamel is to write it. What it
    writes reads back as ``data`` by construction: every text is written plain only when
    both YAML 1.1 and 1.2 resolve it as that text (``misread``), every key is an
    identifier, and the layout is its own (tests compare its bytes with ruamel's and read
    them back with every reader)."""
    out: list[str] = []
    try:
        _mapping(data, 0, out)
    except _Fallback:
        return None
    return "".join(out).encode("utf-8")
