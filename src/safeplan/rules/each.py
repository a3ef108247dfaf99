"""Rules that look at each item of a list: a table of conditions, and "listed twice".

The plan, unit and task rules are mostly "this item, if so, is wrong at that key": a row
of a table says it once (condition, where, code, message, parameters), so a new rule is one
row and every rule reports the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Generic, NamedTuple, TypeVar

from safeplan.problems import Finding, KeyPath

T = TypeVar("T")


class ItemRule(NamedTuple, Generic[T]):
    """An item for which ``when`` holds is wrong at ``at`` (below the item's own path)."""

    when: Callable[[T], bool]
    at: tuple[str | int, ...]
    code: str
    template: str
    params: Callable[[T], dict[str, Any]]
    at_key: bool = False


def each_item(items: Sequence[T], section: str, rules: Iterable[ItemRule[T]]) -> list[Finding]:
    """Every rule against every item of ``section``, in the items' order."""
    rules = tuple(rules)
    out: list[Finding] = []
    for i, item in enumerate(items):
        for rule in rules:
            if rule.when(item):
                where: KeyPath = (section, i, *rule.at)
                out.append(
                    Finding(where, rule.code, rule.template, rule.params(item), at_key=rule.at_key)
                )
    return out


def listed_twice(
    items: Sequence[T],
    section: str,
    field: str,
    key: Callable[[T], Hashable],
    code: str,
    template: str,
    params: Callable[[T], dict[str, Any]],
) -> list[Finding]:
    """The second and later items whose ``key`` an earlier item already has."""
    seen: set[Hashable] = set()
    out: list[Finding] = []
    for i, item in enumerate(items):
        k = key(item)
        if k in seen:
            out.append(Finding((section, i, field), code, template, params(item)))
        seen.add(k)
    return out
