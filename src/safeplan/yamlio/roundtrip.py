"""Round-trip YAML for edits: comments, key order, quoting, line ends and Chinese text survive.

ruamel.yaml's round-trip mode keeps what a person wrote. The helpers below change a
loaded document in place the way a careful person would edit it by hand (see the
notes on comments further down); ``RoundTrip.dump`` writes it back with the file's own
line endings, BOM and style of empty values.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeplan.yamlio.fast import load_fast
from safeplan.yamlio.text import BOM, MAX_FILE_BYTES, read_text


def _rt_yaml(null: str = "", seq_offset: int = 2) -> Any:
    """A fresh round-trip YAML instance: a reused one grows with every load.

    ``null`` is how the file writes an empty value (``null``, ``~`` or nothing) and
    ``seq_offset`` how far a block sequence's dash is indented under its key (0 or 2):
    both are read from the file so that an edit does not restyle untouched lines.
    """
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.Representer = _representer(null)
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=seq_offset + 2, offset=seq_offset)
    y.allow_unicode = True
    return y


_REPRESENTERS: dict[str, Any] = {}


def _representer(null: str) -> Any:
    """A RoundTripRepresenter subclass writing None as ``null`` (without touching ruamel's own)."""
    if null not in _REPRESENTERS:
        from ruamel.yaml.representer import RoundTripRepresenter

        def represent_none(self: Any, data: Any) -> Any:
            return self.represent_scalar("tag:yaml.org,2002:null", null)

        def ignore_aliases(self: Any, data: Any) -> bool:
            return True  # safeplan refuses anchors and aliases: never write one

        cls: Any = type(
            f"_Representer{len(_REPRESENTERS)}",
            (RoundTripRepresenter,),
            {"ignore_aliases": ignore_aliases},
        )
        cls.add_representer(type(None), represent_none)
        _REPRESENTERS[null] = cls
    return _REPRESENTERS[null]


_NULL_VALUE = re.compile(r"^[ \t-]*[^#\s][^#]*?:[ \t]+(null|Null|NULL|~)[ \t]*(?:#.*)?$", re.M)
_SEQ_UNDER_KEY = re.compile(
    r"^( *)[^\s#-][^#]*:[ \t]*(?:#.*)?\r?\n(?:[ \t]*(?:#.*)?\r?\n)*( *)- ", re.M
)


def _null_style(text: str) -> str:
    m = _NULL_VALUE.search(text)
    return m.group(1) if m else "null"


def _seq_offset(text: str) -> int:
    m = _SEQ_UNDER_KEY.search(text)
    if m is None:
        return 2
    return 0 if len(m.group(2)) <= len(m.group(1)) else 2


@dataclass
class RoundTrip:
    """A file loaded for editing, with what is needed to write it back as it was."""

    path: Path
    original: bytes
    data: Any
    newline: str
    bom: bool
    null: str = "null"
    seq_offset: int = 2

    def dump(self) -> bytes:
        y = _rt_yaml(self.null, self.seq_offset)
        buf = io.StringIO()
        y.dump(self.data, buf)
        text = buf.getvalue()
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        out = text.encode("utf-8")
        return BOM + out if self.bom else out


def rt_load(path: Path) -> RoundTrip:
    """Load a file for editing; the fast checks (encoding, size, aliases) apply first."""
    with open(path, "rb") as fh:
        original = fh.read(MAX_FILE_BYTES + 1)
    text = read_text(path)  # raises on size and encoding
    load_fast(text)  # raises, located, on anything the fast path refuses
    null, offset = _null_style(text), _seq_offset(text)
    y = _rt_yaml(null, offset)
    data = y.load(text.replace("\r\n", "\n"))  # ruamel keeps a CR in comments; dump() restores CRLF
    newline = "\r\n" if "\r\n" in text else "\n"
    return RoundTrip(path, original, data, newline, original.startswith(BOM), null, offset)


def rt_dump_new(data: Any) -> bytes:
    """Dump a new record (built from ruamel's CommentedMap or plain dicts)."""
    y = _rt_yaml("null")
    buf = io.StringIO()
    y.dump(rt_new(data), buf)
    return buf.getvalue().encode("utf-8")


# --------------------------------------------------------------------------- round-trip edits
#
# ruamel.yaml keeps a full-line comment with the entry ABOVE it: the comment before
# ``supervision:`` belongs to the last scalar of ``acceptance``. Inserting a key after
# ``acceptance`` naively would put the new key below that comment, stranding it away
# from the key it describes. These helpers move such comments along: when an entry is
# inserted after (or appended to, or replaces) another, the full-line comments that
# followed the old entry follow the new one; the end-of-line comment stays where it was.


def _is_block(value: Any) -> bool:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not isinstance(value, CommentedMap | CommentedSeq) or len(value) == 0:
        return False
    return not value.fa.flow_style()


def _tail_slot(parent: Any, key: Any) -> tuple[Any, Any, int]:
    """Where the comment after the entry ``parent[key]`` is kept: (container, key, index)."""
    from ruamel.yaml.comments import CommentedMap

    value = parent[key]
    while _is_block(value):
        parent = value
        key = list(value.keys())[-1] if isinstance(value, CommentedMap) else len(value) - 1
        value = parent[key]
    return parent, key, 2 if isinstance(parent, CommentedMap) else 0


def _column(node: Any) -> int:
    col = getattr(getattr(node, "lc", None), "col", None)
    return col if isinstance(col, int) else 0


def take_after(parent: Any, key: Any) -> str:
    """Detach the full-line comments (and blank lines) that follow ``parent[key]``.

    Comments indented deeper than ``parent``'s entries, before any blank line, are
    about the entry itself and stay; the rest is about what comes next.
    """
    container, k, index = _tail_slot(parent, key)
    slot = container.ca.items.get(k)
    if not slot or slot[index] is None:
        return ""
    token = slot[index]
    value: str = token.value
    cut = value.find("\n")
    if cut < 0 or cut == len(value) - 1:
        return ""
    lines = value[cut + 1 :].splitlines(keepends=True)
    column = _column(parent)
    n = 0
    while n < len(lines) and lines[n].strip() and len(lines[n]) - len(lines[n].lstrip()) > column:
        n += 1
    eol = value[: cut + 1] + "".join(lines[:n])
    rest = "".join(lines[n:])
    if not rest:
        return ""
    if eol.strip():
        token.value = eol
    else:
        slot[index] = None
        if all(x is None for x in slot):
            del container.ca.items[k]
    return rest


def give_after(parent: Any, key: Any, rest: str) -> None:
    """Attach full-line comments (from ``take_after``) after the entry ``parent[key]``."""
    if not rest:
        return
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.scalarstring import LiteralScalarString
    from ruamel.yaml.tokens import CommentToken

    container, k, index = _tail_slot(parent, key)
    slot = container.ca.items.setdefault(k, [None, None, None, None])
    if slot[index] is not None:
        slot[index].value = slot[index].value + rest
    else:
        # A literal block ends its own last line; any other value needs its line ended.
        ended = isinstance(container[k], LiteralScalarString)
        slot[index] = CommentToken(rest if ended else "\n" + rest, CommentMark(0), None)


def insert_item(seq: Any, index: int, node: Any, move_tail: bool, before: str = "") -> None:
    """Insert ``node`` at ``index`` of a block sequence, keeping comments where they belong.

    The full-line comments after the item before (a heading of the next action) move
    after the new item when ``move_tail``; ``before`` is a comment (already formatted)
    to put between the item before and the new one.
    """
    if index == 0 or not len(seq):
        seq.insert(index, node)
        return
    rest = take_after(seq, index - 1) if move_tail or before else ""
    if before:
        give_after(seq, index - 1, before)
    seq.insert(index, node)
    if rest:
        give_after(seq, index, rest)


def remove_item(seq: Any, index: int, drop_heading: str | None = None) -> None:
    """Remove item ``index``; the comments after it go to the item before (or to the next
    one's place). ``drop_heading`` removes the comment before it when it is that heading."""
    if index > 0 and drop_heading:
        heading = take_after(seq, index - 1)
        if drop_heading not in heading:
            give_after(seq, index - 1, heading)
    rest = take_after(seq, index)
    del seq[index]
    if index > 0:
        give_after(seq, index - 1, rest)
    elif rest.strip() and len(seq):
        seq.yaml_set_comment_before_after_key(
            0,
            before="\n".join(line.strip().lstrip("# ") for line in rest.strip().splitlines()),
            indent=2,
        )


def rt_new(value: Any) -> Any:
    """Plain data → round-trip nodes in block style; text as every YAML reader reads it back.

    Multi-line text becomes a literal block, kept exactly (its trailing newlines too);
    text that a YAML 1.1 or 1.2 reader would take for something else (``10:30``,
    ``1_000``, ``0o7``, ``.inf``, ``y``, ``~``, ``2024-03-05``…) is quoted; line breaks
    other than newline go in double quotes, escaped.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, CommentedMap | CommentedSeq):
        return value
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = rt_new(v)
        return out
    if isinstance(value, list | tuple):
        seq = CommentedSeq(rt_new(v) for v in value)
        if any(isinstance(v, dict) for v in value):
            seq.fa.set_block_style()
        else:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str):
        return text_scalar(value)
    return value


#: Line breaks that only some YAML versions treat as line breaks (NEL, LS, PS): such text
#: is written double-quoted, where they are escaped, so every reader reads the same.
_ODD_BREAKS = frozenset("\x85\u2028\u2029\r")


def text_scalar(value: str) -> Any:
    """How a text value is written so that every YAML reader reads back the same string."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        LiteralScalarString,
        SingleQuotedScalarString,
    )

    if not _ODD_BREAKS.isdisjoint(value):  # in C: a 900 KB value took 0.3 s char by char
        return DoubleQuotedScalarString(value)
    if "\n" in value:
        if value.strip() and not value.startswith((" ", "\t")) and " \n" not in value:
            return LiteralScalarString(value)
        return DoubleQuotedScalarString(value)
    if misread(value):
        return SingleQuotedScalarString(value)
    return value


def misread(value: str) -> bool:
    """Whether ``value``, written plain, would be read as something other than this text by
    YAML 1.1 readers (PyYAML, libyaml, safeplan's own reader) or by YAML 1.2 ones (ruamel,
    editors, check-jsonschema)."""
    firsts = _resolved_firsts()
    if value and firsts is not None and value[0] not in firsts:  # 隐患…: none looks at it
        return False
    import yaml

    if value in ("y", "Y", "n", "N"):  # booleans in the YAML 1.1 spec, not in PyYAML
        return True
    for tag in (
        _resolver_11().resolve(yaml.ScalarNode, value, (True, False)),
        _resolver_12().resolve(_ruamel_scalar_node(), value, (True, False)),
    ):
        if tag != "tag:yaml.org,2002:str":
            return True
    return False


_RESOLVERS: dict[str, Any] = {}
_FIRSTS: list[frozenset[str] | None] = []


def _resolved_firsts() -> frozenset[str] | None:
    """The first characters on which either reader's implicit resolvers try a plain scalar
    (digits, signs, y/n/t/f/o …): a text starting with any other character is read as text
    by both, so ``misread`` answers it without resolving (``import ledger`` asks this of
    every value of thousands of records). None (no shortcut) if a resolver matches on any
    first character."""
    if not _FIRSTS:
        tables = (_resolver_11().yaml_implicit_resolvers, _resolver_12().versioned_resolver)
        anywhere = any(None in table for table in tables)
        _FIRSTS.append(None if anywhere else frozenset(k for t in tables for k in t))
    return _FIRSTS[0]


def _resolver_11() -> Any:
    if "11" not in _RESOLVERS:
        import yaml

        _RESOLVERS["11"] = yaml.resolver.Resolver()  # type: ignore[no-untyped-call,unused-ignore]
    return _RESOLVERS["11"]


def _resolver_12() -> Any:
    if "12" not in _RESOLVERS:
        from ruamel.yaml.resolver import VersionedResolver

        _RESOLVERS["12"] = VersionedResolver(version=(1, 2))
    return _RESOLVERS["12"]


def _ruamel_scalar_node() -> Any:
    from ruamel.yaml.nodes import ScalarNode

    return ScalarNode


def rt_set(parent: Any, key: str, value: Any, order: Sequence[str] = ()) -> None:
    """Set ``parent[key]`` in place, keeping the comments around it where they belong.

    A new key goes where ``order`` (the record's field order) puts it among the keys
    present; without ``order``, at the end.
    """
    value = rt_new(value)
    keys = list(parent.keys())
    if key in parent:
        rest = take_after(parent, key)
        parent[key] = value
        give_after(parent, key, rest)
        return
    position = len(keys)
    if key in order:
        rank = {k: i for i, k in enumerate(order)}
        mine = rank[key]
        position = 0
        for i, k in enumerate(keys):
            if rank.get(k, -1) < mine:
                position = i + 1
    rest = take_after(parent, keys[position - 1]) if position > 0 else ""
    parent.insert(position, key, value)
    give_after(parent, key, rest)


def rt_delete(parent: Any, key: str) -> Any:
    """Remove ``parent[key]`` and return its value; the comments after it stay in place."""
    keys = list(parent.keys())
    position = keys.index(key)
    rest = take_after(parent, key)
    value = parent.pop(key)
    parent.ca.items.pop(key, None)
    if position > 0:
        give_after(parent, keys[position - 1], rest)
    elif rest:
        parent.yaml_set_start_comment(rest.strip("\n"))
    return value


def rt_append(parent: Any, key: str, item: Any, order: Sequence[str] = ()) -> None:
    """Append ``item`` to the list ``parent[key]`` (created if missing or null)."""
    from ruamel.yaml.comments import CommentedSeq

    item = rt_new(item)
    current = parent.get(key)
    if not isinstance(current, CommentedSeq):
        rt_set(parent, key, [], order)
        current = parent[key]
    if isinstance(item, dict | list) and current.fa.flow_style():
        # [] or [a, b] becomes a block list: the comments after the key follow its new end.
        rest = take_after(parent, key)
        current.fa.set_block_style()
        current.append(item)
        give_after(parent, key, rest)
        return
    if _is_block(current):
        rest = take_after(current, len(current) - 1)
        current.append(item)
        give_after(current, len(current) - 1, rest)
    else:
        current.append(item)


def rt_reorder(
    parent: Any, keys: Sequence[Any], column: int | None = None, start: int | None = None
) -> None:
    """Put the entries of the mapping ``parent`` in the order ``keys`` (a permutation of its
    keys), each with the full-line comments above it; the comments above the first entry
    and below the last stay at the top and at the bottom.

    With ``column`` (where the entries will be written), the comments of the mapping are
    indented as its entries are, so that a re-indented file does not leave them behind;
    those above its first entry by ``start`` (a list item's: where its dash is).
    """
    old = list(parent.keys())
    new = list(keys)
    if sorted(map(str, new)) != sorted(map(str, old)) or len(new) != len(old):
        raise ValueError("rt_reorder: keys must be the mapping's own keys")
    if not old or (new == old and column is None):
        return
    was = _column(parent)
    above = {key: take_after(parent, old[i - 1]) for i, key in enumerate(old) if i > 0}
    below = take_after(parent, old[-1])
    if column is not None:
        above = {key: _reindent(text, column) for key, text in above.items()}
        below = _reindent(below, column, was)  # what is less indented belongs further out
        for token in (parent.ca.comment[1] or []) if parent.ca.comment else []:
            if token.value.lstrip().startswith("#"):
                token.start_mark.column = column if start is None else start
    for key in new:
        parent.move_to_end(key)
    if above.get(new[0]):
        first = above[new[0]]
        _add_start_comment(parent, first if start is None else _reindent(first, start))
    for before, key in itertools.pairwise(new):
        give_after(parent, before, above.get(key, ""))
    give_after(parent, new[-1], below)


def _reindent(text: str, column: int, at_least: int = 0) -> str:
    """Full-line comments indented by ``column``, those indented ``at_least`` or more."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        stripped = line.lstrip(" ")
        if stripped.startswith("#") and len(line) - len(stripped) >= at_least:
            lines[i] = " " * column + stripped
    return "".join(lines)


def _add_start_comment(parent: Any, text: str) -> None:
    """Add full-line comments (text as ``take_after`` gives it) before a mapping's first entry."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    tokens = []
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        column = len(line) - len(stripped) if stripped else 0
        tokens.append(CommentToken(stripped + "\n", CommentMark(column), None))
    if parent.ca.comment is None:
        parent.ca.comment = [None, []]
    if parent.ca.comment[1] is None:
        parent.ca.comment[1] = []
    parent.ca.comment[1].extend(tokens)


def _has_comments(node: Any) -> bool:
    """Whether a list or mapping holds a comment anywhere inside it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    ca = node.ca
    if ca.comment and any(ca.comment):
        return True
    if any(any(slot) for slot in ca.items.values() if slot):
        return True
    children = node.values() if isinstance(node, CommentedMap) else node
    return any(_has_comments(v) for v in children if isinstance(v, CommentedMap | CommentedSeq))


def rt_restyle(parent: Any, key: Any, flow: bool) -> bool:
    """Write ``parent[key]`` (a list or a mapping) in flow style (``[a, b]``) or in block
    style, keeping the comments that follow it. A value with a comment inside stays in
    block style (flow style has no room for it). Whether the style changed."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    value = parent[key]
    if not isinstance(value, CommentedMap | CommentedSeq) or len(value) == 0:
        return False
    if bool(value.fa.flow_style()) == flow:
        return False
    rest = take_after(parent, key)
    if flow and _has_comments(value):
        give_after(parent, key, rest)
        return False
    if flow:
        value.fa.set_flow_style()
    else:
        value.fa.set_block_style()
    give_after(parent, key, rest)
    return True


def rt_reindent_items(seq: Any, column: int) -> None:
    """Indent the full-line comments between the items of a block list (and after its last
    item, those that belong to the list) by ``column``, where its dashes will be written."""
    was = _column(seq)
    for i in range(len(seq)):
        rest = take_after(seq, i)
        give_after(seq, i, _reindent(rest, column, was))
