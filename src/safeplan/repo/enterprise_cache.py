"""The per-file cache of enterprise files: a valid record without problems, kept until
its file changes, so that ``status`` on a warm plan does not parse 2,000 files of checks.

The same rules of trust as the hazards' cache (``repo/cache.py``, whose key, stamp and
racy-timestamp test this uses): an entry is keyed by the file's size, mtime_ns, ctime_ns
and inode; a file whose timestamps lie within ``RACY_NS`` of the cache's making is served
only if the hash of its text matches; the file is plain JSON checked on load, anything
unexpected discards it; it is written whole and renamed into place, and a cache that
cannot be written is skipped.

Only a file read without a single problem is kept (the few with problems are read again
each time, so their messages are always the rules' own), with its latest fact day: a
fact after ``--as-of`` is a problem, so such a file is read again too. The record is kept
as its JSON dump (set fields only) and rebuilt without validation by :func:`_build`,
which the writer checks: an entry is stored only if the rebuilt record equals the record
validation gave (same values, same fields set).
"""

from __future__ import annotations

import datetime as dt
import json
import types
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from safeplan.models.enterprises import FACT_KEYS, EnterpriseRecord
from safeplan.problems import Problem
from safeplan.repo.cache import _key, _stamp
from safeplan.repo.cachefile import CacheWriter
from safeplan.repo.filestamp import RACY_NS, read_cache_json
from safeplan.repo.layout import CACHE_DIR, ENTERPRISE_CACHE_FILE
from safeplan.repo.parse import text_digest
from safeplan.yamlio import YamlProblem, read_text

CACHE_FILE = ENTERPRISE_CACHE_FILE

#: One file read: the record (None: invalid), its problems, its text's hash (None: unread).
Read = Callable[[str, str], tuple[EnterpriseRecord | None, list[Problem], str | None]]


# --------------------------------------------------------------------------- rebuilding

#: Per model, the function that rebuilds it from its dump.
_BUILDERS: dict[type[BaseModel], Callable[[Any], Any]] = {}


def _same(v: Any) -> Any:
    return v


def _converter(annotation: Any) -> Callable[[Any], Any]:
    """How a JSON value of a field's type becomes the value validation would give."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _converter(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(inner) != 1:
            return _same
        conv = _converter(inner[0])
        return _same if conv is _same else (lambda v: None if v is None else conv(v))
    if origin is list:
        conv = _converter(typing.get_args(annotation)[0])
        return _same if conv is _same else (lambda v: [conv(i) for i in v])
    if annotation is dt.date:
        return dt.date.fromisoformat
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _builder(annotation)
    return _same


def _builder(cls: type[BaseModel]) -> Callable[[Any], Any]:
    """A model from its JSON dump (set fields only), without validation (as
    ``View.from_fields`` builds views): the writer made sure it equals the validated one.
    Made once per model (a dump holds tens of thousands of checks)."""
    found = _BUILDERS.get(cls)
    if found is not None:
        return found
    convs: dict[str, Callable[[Any], Any] | None] = {}
    fixed: dict[str, Any] = {}
    factories: list[tuple[str, Callable[[], Any]]] = []

    def build(raw: Any) -> Any:
        if type(raw) is not dict:
            raise ValueError("not an object")
        values = dict(fixed)
        for name, factory in factories:
            if name not in raw:
                values[name] = factory()
        for k, v in raw.items():
            conv = convs[k]  # KeyError: a field the model has not
            values[k] = v if conv is None else conv(v)
        if len(values) != len(convs):
            raise ValueError("a required field is missing")
        obj = cls.__new__(cls)
        setattr_ = object.__setattr__
        setattr_(obj, "__dict__", values)
        setattr_(obj, "__pydantic_fields_set__", set(raw))
        setattr_(obj, "__pydantic_extra__", None)
        setattr_(obj, "__pydantic_private__", None)
        return obj

    _BUILDERS[cls] = build  # before the fields: a model may contain itself
    for name, f in cls.model_fields.items():
        conv = _converter(f.annotation)
        convs[name] = None if conv is _same else conv
        if f.default_factory is not None:
            factories.append((name, f.default_factory))  # type: ignore[arg-type]
        elif not f.is_required():
            fixed[name] = f.default
    return build


def _build(cls: type[BaseModel], raw: Any) -> Any:
    return _builder(cls)(raw)


def _fields_set(a: Any, b: Any) -> bool:
    """Whether two records set the same fields, at every depth."""
    if isinstance(a, BaseModel):
        if type(a) is not type(b) or a.model_fields_set != b.model_fields_set:
            return False
        return all(_fields_set(getattr(a, k), getattr(b, k)) for k in type(a).model_fields)
    if isinstance(a, list):
        return len(a) == len(b) and all(_fields_set(x, y) for x, y in zip(a, b, strict=True))
    return True


def encode(record: EnterpriseRecord) -> dict[str, Any] | None:
    """The record as stored, or None when rebuilding it would not give it back."""
    raw = record.model_dump(mode="json", exclude_unset=True)
    try:
        again = _build(EnterpriseRecord, json.loads(json.dumps(raw)))
    except (ValueError, TypeError, KeyError):
        return None
    if again != record or again.model_dump() != record.model_dump():
        return None
    return raw if _fields_set(again, record) else None


def latest_day(record: EnterpriseRecord) -> dt.date:
    """The latest day the record dates a fact (or its registration) on."""
    days = [record.registered_on, *(s.on for s in record.states)]
    for key in FACT_KEYS:
        days.extend(f.on for f in getattr(record, key))
    return max(days)


# --------------------------------------------------------------------------- reading


def _load(root: Path, stamp: str) -> tuple[dict[str, Any], str | None]:
    """The cache as stored (empty if it is not this safeplan's, or not whole) and the hash
    of its bytes."""
    try:
        data, token = read_cache_json(root / CACHE_DIR / CACHE_FILE)
    except (OSError, ValueError, RecursionError):
        return {}, None
    if (
        not isinstance(data, dict)
        or data.get("stamp") != stamp
        or not isinstance(data.get("started"), int)
        or not isinstance(data.get("files"), dict)
    ):
        return {}, None
    return data, token


def _serve(
    raw: Any, key: tuple[int, ...], started: int, path: str, today: dt.date | None
) -> EnterpriseRecord | None:
    try:
        if not isinstance(raw, dict) or raw.get("k") != list(key):
            return None
        latest = dt.date.fromordinal(raw["t"])
        if today is not None and latest > today:
            return None  # a fact after the day: the rules say where
        if max(key[1], key[2]) + RACY_NS > started:
            try:
                if text_digest(read_text(path)) != raw["h"]:
                    return None
            except (OSError, YamlProblem):
                return None
        record = _build(EnterpriseRecord, raw["r"])
    except (TypeError, ValueError, KeyError, IndexError, OverflowError, AttributeError):
        return None
    return record if isinstance(record, EnterpriseRecord) else None


def read_with_cache(
    root: Path, entries: Sequence[tuple[str, str]], today: dt.date | None, read: Read
) -> tuple[list[tuple[EnterpriseRecord | None, list[Problem]]], str | None]:
    """Each entry's record and problems: from the cache when its file is unchanged and was
    read without a problem, else through ``read``; the cache is then rewritten if anything
    changed. Also the hash of the cache's bytes when they served every entry as they stand
    (nothing read again or rewritten: the records are what those bytes decode to), else
    None (``repo/viewcache.py`` keys a view on it)."""
    stamp = _stamp()
    store, token = _load(root, stamp)
    writer = CacheWriter.open(root, CACHE_FILE)  # before the stats: it bounds what may be racy
    try:
        files = store.get("files", {})
        old_started = store.get("started", 0)
        out: list[tuple[EnterpriseRecord | None, list[Problem]]] = []
        new_files: dict[str, Any] = {}
        changed = False
        for path, rel in entries:
            key = _key(path)
            hit = None
            if key is not None and rel in files:
                hit = _serve(files[rel], key, old_started, path, today)
            if hit is not None and key is not None:
                new_files[rel] = files[rel]
                if max(key[1], key[2]) + RACY_NS > old_started:
                    changed = True  # re-stamped with this run's time, it is trusted next time
                out.append((hit, []))
            else:
                changed = True
                record, problems, text_hash = read(path, rel)
                if (
                    record is not None
                    and not problems
                    and text_hash is not None
                    and key is not None
                ):
                    enc = encode(record)
                    if enc is not None:
                        new_files[rel] = {
                            "k": list(key),
                            "h": text_hash,
                            "t": latest_day(record).toordinal(),
                            "r": enc,
                        }
                out.append((record, problems))
        changed = changed or set(files) != set(new_files)
        if writer is not None and changed:
            writer.commit({"stamp": stamp, "started": writer.started, "files": new_files})
    finally:
        if writer is not None:
            writer.discard()
    return out, None if changed else token
