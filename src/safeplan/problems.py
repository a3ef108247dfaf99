"""Problems found in the data, separate from how they are reported.

A Problem carries an English message template and its parameters; it is put into
the reader's language only when it is shown (``safeplan.render.text``). Parameters
that are themselves words to translate are a :class:`Fragment`, lists to join in the
reader's way are a :class:`ListOf`, and counts that choose a plural form a
:class:`Plural`: the core never joins words or picks plural forms itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, NamedTuple

Severity = Literal["error", "warning"]
KeyPath = tuple[str | int, ...]

# Plain classes and NamedTuples rather than dataclasses: this module is imported by
# every command before it does anything, and a dataclass costs a millisecond to define.


def N_(template: str) -> str:
    """Mark a message template for extraction into the catalogs (translated when shown)."""
    return template


class Fragment:
    """A translatable piece of a message, used as a parameter of another message."""

    __slots__ = ("params", "template")

    def __init__(self, template: str, params: dict[str, Any] | None = None) -> None:
        self.template = template
        self.params: dict[str, Any] = params or {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fragment) and (self.template, self.params) == (
            other.template,
            other.params,
        )

    def __hash__(self) -> int:
        return hash(self.template)

    def __repr__(self) -> str:
        return f"Fragment({self.template!r})"

    def __str__(self) -> str:
        return self.template.format(**self.params)


class ListOf:
    """Items joined the reader's way: ``a, b`` in English, ``a、b`` in Chinese.

    ``quoted`` puts each item in quotes (``'a', 'b'``); ``empty`` is shown for no items.
    """

    __slots__ = ("empty", "items", "quoted")

    def __init__(self, items: Iterable[Any], quoted: bool = False, empty: str = "—") -> None:
        self.items = tuple(items)
        self.quoted = quoted
        self.empty = empty

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ListOf) and (self.items, self.quoted, self.empty) == (
            other.items,
            other.quoted,
            other.empty,
        )

    def __hash__(self) -> int:
        return hash((self.items, self.quoted, self.empty))

    def __repr__(self) -> str:
        return f"ListOf({list(self.items)!r})"

    def __str__(self) -> str:
        return ", ".join(map(str, self.items)) or self.empty


class Plural:
    """A count with its words: ``Plural(N_("{n} file"), N_("{n} files"), 3)``."""

    __slots__ = ("n", "params", "plural", "singular")

    def __init__(
        self, singular: str, plural: str, n: int, params: dict[str, Any] | None = None
    ) -> None:
        self.singular = singular
        self.plural = plural
        self.n = n
        self.params: dict[str, Any] = params or {}

    def __str__(self) -> str:
        return (self.singular if self.n == 1 else self.plural).format(n=self.n, **self.params)


class Coded(NamedTuple):
    """A coded value (``county``) shown as its label in the reader's language (县级)."""

    vocabulary: str
    code: str


def NP_(singular: str, plural: str, n: int, **params: Any) -> Plural:
    """Mark a plural pair for extraction (as ngettext) and bind its count."""
    return Plural(singular, plural, n, params)


class Problem:
    """A problem at a place in a file: ``path:line:column``, a code, and its message."""

    __slots__ = ("code", "column", "line", "params", "path", "severity", "template")

    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        code: str,
        template: str,
        params: dict[str, Any] | None = None,
        severity: Severity = "error",
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.code = code
        self.template = template
        self.params: dict[str, Any] = params if params is not None else {}
        self.severity: Severity = severity

    def _key(self) -> tuple[str, int, int, str, str, str]:
        return (self.path, self.line, self.column, self.code, self.template, self.severity)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Problem({self.location()} {self.code} {self.severity})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Problem, (*self._key()[:5], self.params, self.severity))

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


class Finding(NamedTuple):
    """A problem at a key path of a record; the loader finds its line and column."""

    path: KeyPath
    code: str
    template: str
    params: dict[str, Any]
    severity: Severity = "error"
    at_key: bool = False


def counts(problems: Iterable[Problem]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = warnings = 0
    for p in problems:
        if p.severity == "error":
            errors += 1
        else:
            warnings += 1
    return errors, warnings
