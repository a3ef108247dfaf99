"""Closest names for 'did you mean' hints, and the wordings several layers share."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Protocol

from safeplan import vocab
from safeplan.errors import UsageError
from safeplan.problems import N_, Coded, Fragment, ListOf

#: A unit named in a file that data/units.yaml does not have.
UNKNOWN_UNIT = N_(
    "unknown unit '{name}': add it to data/units.yaml or correct it (closest: {closest})"
)
#: A unit, task or hazard named on the command line that does not exist.
UNKNOWN_NAME = N_("no {what} '{name}' (closest: {closest}; all: '{lister}')")
#: A task number that the plan does not have.
NO_TASK = N_("no task {number}: the plan's tasks are numbered {first}–{last}")
#: A file that must be fixed before a command can use it.
FIX_FIRST = N_("{path} has problems: fix them first (see 'safeplan validate')")
#: A symbolic link that leads out of the plan.
OUTSIDE_ROOT = N_(
    "symbolic link to {target}, outside the plan root: refused; copy the file into the plan instead"
)


def closest(name: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Closest names, for 'did you mean' hints."""
    choices = list(choices)
    found = difflib.get_close_matches(name, choices, n=n, cutoff=0.4)
    if not found:
        found = [c for c in choices if name and (name in c or c in name)][:n]
    return found


class _Numbered(Protocol):
    number: int


#: The command that lists each kind of name, for when nothing is close to what was typed.
LISTERS = {
    "unit": "safeplan unit list",
    "task": "safeplan task list",
    "hazard": "safeplan hazard list",
    "action": "safeplan task list",
    "enterprise": "safeplan enterprise list",
}
_WHAT = {
    "unit": N_("unit"),
    "hazard": N_("hazard"),
    "action": N_("action"),
    "task": N_("task"),
    "enterprise": N_("enterprise"),
}


def unknown(what: str, name: str, choices: Sequence[str]) -> UsageError:
    """An unknown unit, hazard or action named on the command line, with the closest matches."""
    if what == "action":  # few enough to name them all
        return UsageError(
            N_("no {what} '{name}' (there are: {choices})"),
            what=Fragment(_WHAT[what]),
            name=name,
            choices=ListOf(choices),
        )
    found = closest(name, choices)
    if not found:
        return UsageError(
            N_("no {what} '{name}'; '{lister}' lists them all"),
            what=Fragment(_WHAT[what]),
            name=name,
            lister=LISTERS[what],
        )
    return UsageError(
        UNKNOWN_NAME,
        what=Fragment(_WHAT[what]),
        name=name,
        closest=ListOf(found),
        lister=LISTERS[what],
    )


def no_task(number: int, tasks: Sequence[_Numbered]) -> UsageError:
    numbers = sorted(t.number for t in tasks)
    return UsageError(
        NO_TASK,
        number=number,
        first=numbers[0] if numbers else "—",
        last=numbers[-1] if numbers else "—",
    )


def coded(vocabulary: vocab.Vocabulary, value: str, option: str) -> str:
    """The code a typed word means; a usage error offering the words otherwise, or naming
    the choices of a word that could mean two (排查: 企业自查 or 部门检查)."""
    meant = vocabulary.meanings(value)
    if len(meant) > 1:
        raise UsageError(
            N_("{option}: '{value}' could mean any of {choices}: write which one"),
            option=option,
            value=value,
            choices=ListOf(Coded(vocabulary.name, c) for c in meant),
        )
    code = vocabulary.lookup(value)
    if code is None:
        raise UsageError(
            N_("{option}: '{value}' is not one of {choices}"),
            option=option,
            value=value,
            choices=ListOf(f"{t.code} ({t.zh})" for t in vocabulary.terms),
        )
    return code
