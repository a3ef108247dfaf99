"""Problems as plain JSON values, and back, checked field by field: what the per-file
cache (``repo/cache_codec.py``) and the whole-plan entry (``repo/warm.py``) keep of a
message. Apart from the hazard codec so that reading an entry imports no record model."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from safeplan.problems import Coded, Fragment, ListOf, Plural, Problem


class _Bad(Exception):
    """The cache file is not what this safeplan wrote: ignore all of it."""


class _Uncacheable(Exception):
    """A result holds a value the cache cannot store: read the file again next time."""


def _list(x: Any) -> list[Any]:
    if not isinstance(x, list):
        raise _Bad
    return x


def _str(x: Any) -> str:
    if not isinstance(x, str):
        raise _Bad
    return x


def _bool(x: Any) -> bool:
    if not isinstance(x, bool):
        raise _Bad
    return x


def _int(x: Any) -> int:
    if not isinstance(x, int) or isinstance(x, bool):
        raise _Bad
    return x


def _date(x: Any) -> dt.date:
    return dt.date.fromordinal(_int(x))


def _enc_problem(p: Problem) -> list[Any]:
    return [p.line, p.column, p.code, p.template, _enc_params(p.params), p.severity]


def _dec_problem(x: Any, rel: str) -> Problem:
    line, column, code, template, params, severity = _list(x)
    if severity not in ("error", "warning"):
        raise _Bad
    return Problem(
        rel, _int(line), _int(column), _str(code), _str(template), _dec_params(params), severity
    )


def _enc_params(params: dict[str, Any]) -> dict[str, Any]:
    return {_key_str(k): _enc(v) for k, v in params.items()}


def _key_str(k: Any) -> str:
    if not isinstance(k, str):
        raise _Uncacheable
    return k


def _dec_params(x: Any) -> dict[str, Any]:
    if not isinstance(x, dict):
        raise _Bad
    return {_str(k): _dec(v) for k, v in x.items()}


def _enc(v: Any) -> Any:
    """A message parameter as JSON: plain values as they are, the others tagged."""
    if v is None or isinstance(v, (str, bool, int)):
        return v
    if isinstance(v, float):
        return {"f": repr(v)}
    if isinstance(v, dt.datetime):
        raise _Uncacheable
    if isinstance(v, dt.date):
        return {"d": v.toordinal()}
    if isinstance(v, Decimal):
        return {"D": str(v)}
    if isinstance(v, Coded):
        return {"C": [v.vocabulary, v.code]}
    if isinstance(v, Fragment):
        return {"F": [v.template, _enc_params(v.params)]}
    if isinstance(v, ListOf):
        return {"L": [[_enc(i) for i in v.items], v.quoted, v.empty]}
    if isinstance(v, Plural):
        return {"P": [v.singular, v.plural, v.n, _enc_params(v.params)]}
    if isinstance(v, tuple):
        return {"t": [_enc(i) for i in v]}
    if isinstance(v, list):
        return {"l": [_enc(i) for i in v]}
    raise _Uncacheable


def _dec(x: Any) -> Any:
    if x is None or isinstance(x, (str, bool, int)):
        return x
    if not isinstance(x, dict) or len(x) != 1:
        raise _Bad
    ((tag, body),) = x.items()
    if tag == "f":
        return float(_str(body))
    if tag == "d":
        return _date(body)
    if tag == "D":
        return Decimal(_str(body))
    if tag == "C":
        a, b = _list(body)
        return Coded(_str(a), _str(b))
    if tag == "F":
        a, b = _list(body)
        return Fragment(_str(a), _dec_params(b))
    if tag == "L":
        items, quoted, empty = _list(body)
        return ListOf([_dec(i) for i in _list(items)], _bool(quoted), _str(empty))
    if tag == "P":
        a, b, n, params = _list(body)
        return Plural(_str(a), _str(b), _int(n), _dec_params(params))
    if tag == "t":
        return tuple(_dec(i) for i in _list(body))
    if tag == "l":
        return [_dec(i) for i in _list(body)]
    raise _Bad
