"""What a form is, as data: its fields (each a command option), the request a sent form
makes, the verb that builds its edit, and the fields every verb shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from safeplan.problems import N_

if TYPE_CHECKING:  # the edits are imported when a form is sent, not when a page is shown
    from safeplan.edit.transaction import EditResult


Kind = Literal["text", "area", "date", "fact_date", "choice", "file"]


@dataclass(frozen=True)
class Field:
    """One field of a form: it stands for one option of the command."""

    name: str
    option: str
    label: str
    kind: Kind = "text"
    required: bool = False
    #: The vocabulary a choice offers (its codes, shown by their labels).
    vocab: str | None = None


@dataclass(frozen=True)
class Request:
    """What a submitted form holds, read: the values typed (None: left empty)."""

    root: Path
    subject: str
    values: Mapping[str, str | None]
    today: dt.date
    evidence: Sequence[str] = ()

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def fact_day(self, name: str = "on", option: str = "--on") -> dt.date:
        from safeplan.edit.typed import fact_date

        return fact_date(self.get(name), option, self.today)

    def need(self, name: str, option: str) -> str:
        value = self.get(name)
        if value is None:
            from safeplan.errors import UsageError

            raise UsageError(N_("{option} must not be empty"), option=option)
        return value


Build = Callable[[Request], "EditResult"]


@dataclass(frozen=True)
class Verb:
    """A form: the verb in the page's address, its title, its fields, the edit it builds."""

    key: str
    title: str
    fields: tuple[Field, ...]
    build: Build
    #: The command it stands for (shown, so that a terminal user recognises it).
    command: str = ""

    @property
    def evidence(self) -> bool:
        """Evidence files may be uploaded with it (stored beside the record): it has a
        file field."""
        return any(f.kind == "file" for f in self.fields)


def _verbs(group: str, *verbs: Verb) -> dict[str, Verb]:
    """A group's forms by their key; each stands for ``safeplan <group> <key>`` unless it
    names its command."""
    return {v.key: replace(v, command=v.command or f"{group} {v.key}") for v in verbs}


ON = Field("on", "--on", N_("Date (default: today)"), "fact_date")
NOTE = Field("note", "--note", N_("Note (备注)"), "area")
BY = Field("by", "--by", N_("By (name)"))
FILES = Field("files", "--evidence", N_("Evidence files (photos, scans: JPEG, PNG or PDF)"), "file")
