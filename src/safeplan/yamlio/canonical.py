"""The canonical layout of the plan's files: what ``safeplan fmt`` writes, and what every
edit command already writes, so that two people's edits give the same lines.

- keys in the order the record declares them (``safeplan.models``); a key the record
  does not know stays after the key it followed;
- two-space indentation, a list's dash two spaces in under its key;
- text plain, quoted only where a YAML reader would take it for something else
  (``'yes'``, ``'0012'``), several lines as a literal block; a credit code always in
  single quotes (an all-digit code is a number otherwise);
- dates as ``YYYY-MM-DD``, never quoted; an empty value as ``null``;
- lists of words in flow style (``[镇安监站, 镇党政办]``), lists of records and records
  in block style;
- the old supervision levels (省级/市级/县级/镇级) as their codes (``county``).

Comments stay (a comment above a key moves with it), and so do the line endings and a
BOM. Nothing else changes, and that is proven for every file before it is given back:
safeplan's own reader must read the same values from the new text (but for the levels
rewritten), and the new text must hold the same comments. A file that fails the proof
is left as it is (:class:`NotFormatted`).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import types
import typing
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel

from safeplan import vocab
from safeplan.models.hazards import Enterprise, Hazard, Supervision
from safeplan.models.records import Plan, TasksFile, UnitsFile
from safeplan.problems import N_
from safeplan.yamlio.emit import _KEY, _PLAIN, _RESERVED, _Fallback, _literal
from safeplan.yamlio.fast import load_fast
from safeplan.yamlio.problem import YamlProblem
from safeplan.yamlio.roundtrip import (
    RoundTrip,
    misread,
    rt_load,
    rt_reindent_items,
    rt_reorder,
    rt_restyle,
    text_scalar,
)
from safeplan.yamlio.text import decode, read_bytes

#: The record each kind of file holds.
MODELS: dict[str, type[BaseModel]] = {
    "plan": Plan,
    "units": UnitsFile,
    "tasks": TasksFile,
    "hazard": Hazard,
}

#: Key orders that differ from the order the record declares its fields (none today: the
#: models declare their fields in the order the files are written).
ORDERS: dict[type[BaseModel], tuple[str, ...]] = {}

#: The words older files wrote for a supervision level, and their codes.
OLD_LEVELS = {t.zh: t.code for t in vocab.SUPERVISION_LEVEL.terms}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: How far the keys of a nested mapping, and of a mapping in a list, are indented.
MAPPING_INDENT = 2
SEQUENCE_INDENT = 4


class NotFormatted(Exception):
    """A file left as it is: ruamel.yaml cannot read it for editing (``unproven`` False:
    the file's own problems say why), or the new layout failed the proof (True: a bug)."""

    def __init__(self, detail: str, unproven: bool = True) -> None:
        super().__init__(detail)
        self.unproven = unproven


# --------------------------------------------------------------------------- shapes

Kind = Literal["model", "models", "words", "text", "date", "credit", "level", "other"]


class Shape(NamedTuple):
    """What a field holds, as far as the layout cares."""

    kind: Kind
    model: type[BaseModel] | None = None
    #: For ``words``: the kind of each item (``text`` or ``date``).
    item: Kind = "other"


_SHAPES: dict[type[BaseModel], dict[str, Shape]] = {}


def shapes(model: type[BaseModel]) -> dict[str, Shape]:
    """Each field of a record by the key the file writes (its alias), in declared order."""
    if model not in _SHAPES:
        out: dict[str, Shape] = {}
        for name, info in model.model_fields.items():
            out[info.alias or name] = _shape(model, name, info.annotation)
        _SHAPES[model] = out
    return _SHAPES[model]


def _shape(model: type[BaseModel], name: str, annotation: Any) -> Shape:
    if (model, name) == (Enterprise, "credit_code"):
        return Shape("credit")
    if (model, name) == (Supervision, "level"):
        return Shape("level")
    inner = _unwrap(annotation)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return Shape("model", inner)
    if typing.get_origin(inner) is list:
        (item,) = typing.get_args(inner) or (Any,)
        item = _unwrap(item)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return Shape("models", item)
        return Shape("words", item=_scalar_kind(item))
    return Shape(_scalar_kind(inner))


_RANKS: dict[type[BaseModel], dict[str, int]] = {}


def ranks(model: type[BaseModel]) -> dict[str, int]:
    """Each key of a record → its place in the canonical order."""
    if model not in _RANKS:
        fields = shapes(model)
        declared = ORDERS.get(model, ())
        order = [*declared, *(f for f in fields if f not in declared)]
        _RANKS[model] = {k: i for i, k in enumerate(order)}
    return _RANKS[model]


def _unwrap(annotation: Any) -> Any:
    """``X | None`` → ``X``; ``Annotated[X, …]`` → ``X``."""
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    return annotation


def _scalar_kind(annotation: Any) -> Kind:
    if annotation is dt.date:
        return "date"
    if annotation is str or typing.get_origin(annotation) is Literal:
        return "text"
    return "other"


# --------------------------------------------------------------------------- formatting


def canonical(path: Path, kind: str) -> tuple[bytes, bytes]:
    """The bytes of the file at ``path``, and the same file in the canonical layout (the
    same bytes when it already is).

    The file is read once. A file the fast path (:func:`already_canonical`) vouches for
    is answered from its libyaml parse; every other one is round-tripped with ruamel.yaml,
    which alone writes a new layout.

    Raises :class:`YamlProblem` when safeplan cannot read it, :class:`NotFormatted`
    when it cannot prove the layout keeps every value and comment.
    """
    original = read_bytes(path)
    text = decode(original)
    before = load_fast(text)
    if already_canonical(text, before, kind):
        return original, original
    return round_trip(path, original, text, before, kind)


def round_trip(
    path: Path, original: bytes, text: str, before: Any, kind: str
) -> tuple[bytes, bytes]:
    """The canonical layout by a ruamel.yaml round trip of the file (its bytes, text and
    plain data as :func:`canonical` read them): the slow path, and the reference."""
    from ruamel.yaml.comments import CommentedMap

    rt = rt_load_checked(path, (original, text))
    if not isinstance(rt.data, CommentedMap) or not isinstance(before, dict):
        return rt.original, rt.original  # not a record at all: validate says what it is
    expected = copy.deepcopy(before)
    _record(rt.data, expected, MODELS[kind], 0)
    out = replace(rt, null="null", seq_offset=2).dump()
    if out != rt.original:  # the same bytes need no proof
        _prove(text, out, expected)
    return rt.original, out


def rt_load_checked(path: Path, read: tuple[bytes, str] | None = None) -> RoundTrip:
    """``rt_load``, with ruamel's own refusals (an impossible plain date) as NotFormatted."""
    try:
        return rt_load(path, read)
    except YamlProblem:
        raise
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise NotFormatted(str(exc), unproven=False) from None
    except Exception as exc:  # ruamel's own parse errors: the fast reader accepted the text
        if type(exc).__module__.startswith("ruamel"):
            raise NotFormatted(str(exc), unproven=False) from None
        raise


def _record(
    node: Any, fast: dict[Any, Any], model: type[BaseModel], column: int, item: bool = False
) -> None:
    """One record (a mapping whose keys are written at ``column``; ``item``: in a list) in
    place: its values, then the order of its keys."""
    fields = shapes(model)
    for key in list(node.keys()):
        shape = fields.get(key) if isinstance(key, str) else None
        if shape is not None and key in fast:
            fast[key] = _value(node, key, fast[key], shape, column)
    rank = ranks(model)
    order: list[tuple[float, int, Any]] = []
    last = -1.0
    for i, key in enumerate(node.keys()):
        if isinstance(key, str) and key in rank:
            last = float(rank[key])
            order.append((last, i, key))
        else:  # unknown to the record: stays after the key it followed
            order.append((last + 0.5, i, key))
    start = column - SEQUENCE_INDENT + MAPPING_INDENT if item else None
    rt_reorder(node, [key for _, _, key in sorted(order)], column, start)


def _value(parent: Any, key: Any, fast: Any, shape: Shape, column: int) -> Any:
    """``parent[key]`` (a key written at ``column``) in its canonical form; the value
    safeplan should read afterwards."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    value = parent[key]
    if shape.kind == "model" and isinstance(value, CommentedMap) and isinstance(fast, dict):
        assert shape.model is not None
        rt_restyle(parent, key, flow=False)
        _record(value, fast, shape.model, column + MAPPING_INDENT)
        return fast
    if shape.kind == "models" and isinstance(value, CommentedSeq) and isinstance(fast, list):
        assert shape.model is not None
        rt_restyle(parent, key, flow=False)
        for i, item in enumerate(value):
            if isinstance(item, CommentedMap) and i < len(fast) and isinstance(fast[i], dict):
                rt_restyle(value, i, flow=False)
                _record(item, fast[i], shape.model, column + SEQUENCE_INDENT, item=True)
        rt_reindent_items(value, column + MAPPING_INDENT)
        return fast
    if shape.kind == "words" and isinstance(value, CommentedSeq) and isinstance(fast, list):
        item_shape = Shape(shape.item)
        for i in range(min(len(value), len(fast))):
            fast[i] = _value(value, i, fast[i], item_shape, column)
        if all(not isinstance(v, CommentedMap | CommentedSeq) for v in value):
            rt_restyle(parent, key, flow=True)
        return fast
    if not isinstance(fast, str) or isinstance(value, CommentedMap | CommentedSeq):
        return fast  # a number, true/false, null, or something the record does not expect
    if shape.kind == "level" and fast in OLD_LEVELS:
        _set(parent, key, OLD_LEVELS[fast])
        return OLD_LEVELS[fast]
    if shape.kind in ("text", "level"):
        _set(parent, key, text_scalar(fast))
    elif shape.kind == "credit":
        from ruamel.yaml.scalarstring import SingleQuotedScalarString

        _set(parent, key, SingleQuotedScalarString(fast))
    elif shape.kind == "date" and _DATE.fullmatch(fast):
        try:
            day = dt.date(int(fast[:4]), int(fast[5:7]), int(fast[8:]))
        except ValueError:
            return fast  # not a real day: validate says so; the text stays as written
        if not isinstance(value, dt.date):
            _set(parent, key, day)
    return fast


def _set(parent: Any, key: Any, new: Any) -> None:
    """Replace a scalar, keeping its comments (a literal block ends its own line)."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.compat import ordereddict
    from ruamel.yaml.scalarstring import LiteralScalarString

    old = parent[key]
    if type(old) is type(new) and old == new:
        return
    # Not parent[key] = new: ruamel keeps the old quotes when plain text is assigned.
    if isinstance(parent, CommentedMap):
        ordereddict.__setitem__(parent, key, new)
    else:
        list.__setitem__(parent, key, new)
    was_block, is_block = isinstance(old, LiteralScalarString), isinstance(new, LiteralScalarString)
    if was_block == is_block:
        return
    slot = parent.ca.items.get(key)
    index = 0 if isinstance(key, int) else 2
    token = slot[index] if slot and len(slot) > index else None
    if token is None:
        return
    if was_block and not token.value.startswith(("\n", " ", "#")):
        token.value = "\n" + token.value
    elif is_block and token.value.startswith("\n"):
        token.value = token.value[1:]


# --------------------------------------------------------------------------- the fast path
#
# Most files ``fmt --check`` meets are already canonical, and proving that with a
# round trip costs ~6 ms a file (19x validate on 10k files). The fast path writes the
# canonical layout itself, from the plain data libyaml read, for the records whose every
# value it knows how ruamel.yaml writes (``emit.py``'s rules, with the record's shapes),
# and compares: the same text means the round trip would give back the same bytes.
# Text the writer cannot produce (a comment, an anchor, a tag, flow style, quotes it would
# not write, keys out of order or unknown, long values, odd characters) never compares
# equal, and anything it does not know how ruamel writes raises _Fallback: both go to the
# round trip, which decides as before. A test holds the two paths to the same answer file
# by file, and holds every text the writer produces to be its own round trip.


def already_canonical(text: str, data: Any, kind: str) -> bool:
    """Whether the file whose text is ``text`` (BOM removed) and plain data ``data`` is
    proven canonical without a round trip; False: not known (the round trip decides)."""
    if type(data) is not dict:
        return False
    head = ""
    if text.startswith("#"):  # a heading: comment lines at the top, kept as they are
        m = _HEADING.match(text)
        if m is None:
            return False
        head = m.group().replace("\r\n", "\n")
    out: list[str] = [head]
    try:
        _fast_record(data, MODELS[kind], 0, out)
    except _Fallback:
        return False
    body = "".join(out)
    if "\r\n" in text:  # as RoundTrip.dump writes the file's own line ends
        body = body.replace("\n", "\r\n")
    return body == text


#: Full-line comments at the very top of a file (and blank lines after them), which the
#: round trip writes back as they are: ``#`` in the first column, printable text.
_HEADING = re.compile(
    r"#[^\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ufeff]*\r?\n"
    r"(?:(?:#[^\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ufeff]*)?\r?\n)*"
)


_FAST_FIELDS: dict[type[BaseModel], dict[str, tuple[int, Shape]]] = {}


def _fast_fields(model: type[BaseModel]) -> dict[str, tuple[int, Shape]]:
    """The keys the fast path writes (plain identifiers), with their rank and shape."""
    if model not in _FAST_FIELDS:
        rank, fields = ranks(model), shapes(model)
        _FAST_FIELDS[model] = {
            k: (rank[k], fields[k]) for k in fields if _KEY.fullmatch(k) and k not in _RESERVED
        }
    return _FAST_FIELDS[model]


def _fast_record(
    data: dict[Any, Any], model: type[BaseModel], indent: int, out: list[str], first: str = ""
) -> None:
    """A record in block style, keys at ``indent``; ``first``: its first line's lead (a
    list item's dash). Raises _Fallback for anything it does not write as ruamel would."""
    if not data:
        raise _Fallback
    fields = _fast_fields(model)
    pad = " " * indent
    lead = first or pad
    last = -1
    for key, value in data.items():
        got = fields.get(key) if type(key) is str else None
        if got is None or got[0] <= last:  # unknown, or out of the canonical order
            raise _Fallback
        last, shape = got
        kind = shape.kind
        if type(value) is str:
            if kind == "date":
                out.append(f"{lead}{key}: {_fast_date(value)}\n")
            elif kind == "credit":
                out.append(f"{lead}{key}: {_fast_quoted(value)}\n")
            elif kind == "text" or kind == "level" or kind == "other":
                if kind == "level" and value in OLD_LEVELS:
                    raise _Fallback  # rewritten as its code
                if "\n" not in value:
                    out.append(f"{lead}{key}: {_fast_text(value)}\n")
                elif kind == "other":  # its style is kept as written: not known here
                    raise _Fallback
                else:
                    out.append(f"{lead}{key}: {_literal(value, indent + MAPPING_INDENT)}")
            else:
                raise _Fallback
        elif type(value) is dict:
            if kind != "model" or shape.model is None:
                raise _Fallback
            out.append(f"{lead}{key}:\n")
            _fast_record(value, shape.model, indent + MAPPING_INDENT, out)
        elif type(value) is list:
            if not value:
                if kind != "models" and kind != "words":
                    raise _Fallback
                out.append(f"{lead}{key}: []\n")  # kept in flow style: nothing to restyle
            elif kind == "models" and shape.model is not None:
                out.append(f"{lead}{key}:\n")
                dash = " " * (indent + MAPPING_INDENT) + "- "
                for item in value:
                    if type(item) is not dict:
                        raise _Fallback
                    _fast_record(item, shape.model, indent + SEQUENCE_INDENT, out, dash)
            elif kind == "words":
                words = ", ".join([_fast_word(item, shape.item) for item in value])
                if len(words) > _LONG:
                    raise _Fallback
                out.append(f"{lead}{key}: [{words}]\n")
            else:
                raise _Fallback
        else:
            out.append(f"{lead}{key}: {_fast_other(value)}\n")
        lead = pad


#: Longer values go to the round trip: ruamel folds a line longer than its width (4096)
#: at a space; well below that, nothing is folded.
_LONG = 1000
#: A text written in single quotes as is: printable, no space at either end, no break.
_QUOTABLE = re.compile(
    r"[^\s\x00-\x1f\x7f-\x9f\ufeff\ud800-\udfff\ufffe\uffff\u2028\u2029]"
    r"(?:[^\x00-\x1f\x7f-\x9f\ufeff\ud800-\udfff\ufffe\uffff\u2028\u2029]*"
    r"[^\s\x00-\x1f\x7f-\x9f\ufeff\ud800-\udfff\ufffe\uffff\u2028\u2029])?"
)
#: What a plain text may not hold in a flow list (``[a, b]``), on top of the block rules.
_FLOW_RISKY = re.compile(r"[,\[\]{}:?]")


def _fast_text(value: str, flow: bool = False) -> str:
    """One line of text as ``text_scalar`` has ruamel write it: plain, or in single quotes
    where a reader would take it for something else (neither holds an odd line break,
    ``_ODD_BREAKS``: ``text_scalar`` writes those in double quotes)."""
    if len(value) > _LONG:
        raise _Fallback
    if misread(value):
        return _fast_quoted(value)
    if (
        _PLAIN.fullmatch(value)
        and "\u2028" not in value  # _PLAIN holds no other odd break; a set test of
        and "\u2029" not in value  # every character cost 4 % of a first fmt --check
        and ": " not in value
        and " #" not in value
        and not value.startswith(("---", "..."))  # a document marker to ruamel
        and not (flow and _FLOW_RISKY.search(value))
    ):
        return value
    raise _Fallback


def _fast_quoted(value: str) -> str:
    if len(value) > _LONG or not _QUOTABLE.fullmatch(value):
        raise _Fallback
    return "'" + value.replace("'", "''") + "'"


def _fast_date(value: str) -> str:
    """A date field's text: a real day is written plain, as it is; anything else is kept
    as written (not known here)."""
    if _DATE.fullmatch(value):
        try:
            dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
        except ValueError:
            raise _Fallback from None
        return value
    raise _Fallback


def _fast_word(value: Any, kind: Kind) -> str:
    if type(value) is str:
        if kind == "text":
            return _fast_text(value, flow=True)
        if kind == "date":
            return _fast_date(value)
        raise _Fallback
    if value is None:
        raise _Fallback
    return _fast_other(value)


def _fast_other(value: Any) -> str:
    """A value the layout keeps: a whole number as decimal digits, true/false, null."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return str(value)
    raise _Fallback  # a float keeps its own spelling; anything else is not known here


# --------------------------------------------------------------------------- the proof


def _prove(text: str, out: bytes, expected: Any) -> None:
    """The new text reads as the old one did (but for what was meant to change), and keeps
    every comment."""
    new_text = decode(out)
    try:
        after = load_fast(new_text)
    except YamlProblem as exc:
        raise NotFormatted(f"the new layout does not read back: {exc}") from None
    if after != expected:
        raise NotFormatted("the new layout reads as other values")
    if comments(new_text) != comments(text):
        raise NotFormatted("the new layout does not keep every comment")


def comments(text: str) -> Counter[str]:
    """Every comment of a YAML text (each as written, without the space around it).

    A text without '#' has none (most records: no scan at all). Otherwise libyaml's C
    scanner finds the scalars, whose text is blanked out slice by slice, not character by
    character: a 900 KB value took seconds with the pure-Python scanner and a per-character
    loop, twice for every file ``fmt`` rewrites.
    """
    if "#" not in text:
        return Counter()
    spans = _scalar_spans(text)
    masked: list[str] = []
    at = 0
    for start, end in spans:
        if start < at:  # a token inside one already masked
            start = at
        if end <= start:
            continue
        masked.append(text[at:start])
        masked.append(_NOT_NEWLINE.sub(" ", text[start:end]))
        at = end
    masked.append(text[at:])
    found: Counter[str] = Counter()
    for line in "".join(masked).splitlines():
        m = _COMMENT.search(line)
        if m is not None:
            found[line[m.end() - 1 :].strip()] += 1
    return found


def _scalar_spans(text: str) -> list[tuple[int, int]]:
    """Where the scalars, tags, anchors and aliases of ``text`` are (character indices)."""
    import yaml

    kinds = (yaml.ScalarToken, yaml.TagToken, yaml.AnchorToken, yaml.AliasToken)
    loaders = [getattr(yaml, "CSafeLoader", None), yaml.SafeLoader]
    for loader in [x for x in loaders if x is not None]:
        try:
            return [
                (token.start_mark.index, token.end_mark.index)
                for token in yaml.scan(text, Loader=loader)
                if isinstance(token, kinds)
            ]
        except yaml.YAMLError as exc:
            if loader is yaml.SafeLoader:
                raise NotFormatted(f"the comments could not be read: {exc}") from None
    raise AssertionError("unreachable")  # pragma: no cover


_NOT_NEWLINE = re.compile(r"[^\n]")
#: Where a comment starts: ``#`` at the start of a line or after a space or a tab.
_COMMENT = re.compile(r"(?:^|[ \t])#")


def format_problem(exc: NotFormatted) -> tuple[str, dict[str, Any]]:
    """What to say about a file left as it was (the details are for a bug report)."""
    return (
        N_(
            "left as it is: safeplan could not prove that the canonical layout keeps every "
            "value and comment of this file ({detail}); please report it"
        ),
        {"detail": str(exc)},
    )
