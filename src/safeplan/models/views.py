"""What an output shows: typed view models that every renderer renders.

The console screens, ``--json`` (``model_dump(mode="json")``), the reports and the
ledger all render these objects, so two outputs cannot disagree about a figure. The
JSON shape of a command may only grow: fields are added, never removed or renamed
(``SCHEMA_VERSION`` would change if that ever had to happen).

Views hold codes (``overdue``, ``major``), never labels: the renderer chooses the
reader's words.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, Literal, NamedTuple, Self

from pydantic import BaseModel, ConfigDict, PrivateAttr

from safeplan.models.records import (
    Completion,
    Contact,
    ProgressNote,
    TaskReopening,
)

#: Bumped only if a JSON shape ever changes incompatibly.
SCHEMA_VERSION = 1


def same_named(source: object, names: str) -> dict[str, Any]:
    """The attributes of ``source`` that a view shows as they are, under the same names
    (``names``, separated by spaces): a view then spells out only what it adds, counts
    or renames. Not for the views built by the ten thousand (``View.from_fields``)."""
    return {name: getattr(source, name) for name in names.split()}


class View(BaseModel):
    model_config = ConfigDict(defer_build=True, arbitrary_types_allowed=True)

    @classmethod
    def from_fields(cls, values: dict[str, Any], fields_set: set[str] | None = None) -> Self:
        """``model_construct`` for views built by the ten thousand (a row per hazard):
        ``values`` names every field, so nothing is looked up, filled in or checked —
        pydantic's own ``model_construct`` spends most of ``status``'s time after loading
        doing that. A missing field raises here, not when the view is dumped.
        ``fields_set``: one set for every row (a set a row is two kilobytes of each)."""
        if cls.__private_attributes__:  # set up by model_construct only: not for these
            raise TypeError(f"{cls.__name__}.from_fields: a view with private attributes")
        if len(values) != len(cls.model_fields):
            missing = sorted(set(cls.model_fields) - set(values))
            raise TypeError(f"{cls.__name__}.from_fields: not every field given: {missing}")
        keys = cls.__dict__.get("_shared_keys")
        if keys is None:
            keys = _shared_keys(list(cls.model_fields))
            type.__setattr__(cls, "_shared_keys", keys)
        if keys:  # a copy of a dict whose keys are shared stays so: only the values are its own
            fields = keys.copy()
            fields.update(values)
            if len(fields) != len(keys):
                raise TypeError(
                    f"{cls.__name__}.from_fields: not a field: {set(fields) - set(keys)}"
                )
            values = fields
        row = cls.__new__(cls)
        setattr_ = object.__setattr__
        setattr_(row, "__dict__", values)
        if fields_set is None:
            # Every field is set, so every row of the class shares one set of their names (a
            # set of its own is ~1 KiB a row: 120 MiB for 100,000 hazards). Assigning a field
            # adds a name already there; pydantic copies the set when it copies a model.
            fields_set = cls.__dict__.get("_all_fields_set")
            if fields_set is None:
                fields_set = set(cls.model_fields)
                type.__setattr__(cls, "_all_fields_set", fields_set)
        setattr_(row, "__pydantic_fields_set__", fields_set)
        setattr_(row, "__pydantic_extra__", None)
        setattr_(row, "__pydantic_private__", None)
        return row


def _shared_keys(names: list[str]) -> dict[str, Any] | Literal[False]:
    """A dict of ``names`` whose keys a copy shares (CPython's key-sharing dict of an
    instance's attributes), or False where that is no smaller than a plain dict (another
    Python, or more attributes than a shared key table holds: 30 in CPython 3.11).

    A row of 25 fields in a plain dict takes 0.9 KiB; in a copy of this one, 0.3 KiB:
    60 MiB less for ``status`` of 100,000 hazards. The dict is an ordinary dict either
    way, so nothing that reads a row can tell."""

    class _Attributes:
        pass

    holder = _Attributes()
    for name in names:
        setattr(holder, name, None)
    keys = holder.__dict__.copy()
    plain = dict.fromkeys(names)
    return keys if sys.getsizeof(keys) < sys.getsizeof(plain) and keys == plain else False


class Stamp(View):
    """Every JSON document of a reading command starts with its shape's version and its day."""

    schema_version: int = SCHEMA_VERSION
    as_of: dt.date


class PlanHeader(View):
    title: str
    issuer: str
    start: dt.date
    end: dt.date


# --------------------------------------------------------------------------- rows


class TaskRow(View):
    id: str
    number: int
    title: str
    action: str
    deadline: dt.date | None
    ongoing: bool
    units: list[str]
    lead_unit: str
    status: str
    days_overdue: int | None
    days_left: int | None
    done_on: dt.date | None
    last_progress_on: dt.date | None
    #: Done after the deadline (status ``done_late``, 逾期完成), by so many days.
    days_late: int | None = None
    #: Two phases: the deadline, then check-ins once it is done (``status`` is the deadline's
    #: state until then, ``current``/``stale`` after).
    ongoing_after: bool = False


class HazardRow(View):
    id: str
    title: str
    level: str
    state: str
    overdue: bool
    days_overdue: int | None
    days_left: int | None
    deadline: dt.date | None
    discovered_on: dt.date
    responsible_unit: str
    enterprise: str | None
    supervised: bool
    supervision_level: str | None
    double_reported: bool
    closed_on: dt.date | None
    path: str
    #: The deadline in force (``deadline``) comes from an extension (延期).
    extended: bool = False
    #: The deadline the record first set, before any extension.
    original_deadline: dt.date | None = None
    #: Rectified after its deadline (逾期整改), by so many days.
    rectified_late_days: int | None = None
    #: A major hazard without its full 五落实 (五落实未落实).
    plan_missing: bool = False
    #: The record breaks the closed loop (``safeplan validate`` says how): ``state`` is what
    #: it claims, not to be believed.
    invalid: bool = False
    withdrawn_on: dt.date | None = None
    #: 整改资金 in 元, read from what the record writes (``45万元``).
    funds: Decimal | None = None
    source: str | None = None
    industry: str | None = None


class GoalView(View):
    id: str
    kind: str
    title: str
    due: dt.date
    verdict: str
    breaking: list[str]
    total: int
    closed: int
    per_quarter: dict[str, int]
    trend: str
    level: str = "major"
    discovered_until: dt.date | None = None


class UnitLoadView(View):
    name: str
    kind: str
    lead_tasks: list[int]
    co_tasks: list[int]
    lead_open: int
    lead_overdue: int
    co_open: int
    co_overdue: int
    hazards_open: int
    hazards_overdue: int


# --------------------------------------------------------------------------- the rates


class Rates(View):
    """整改率, 销号率 and 重大隐患整改率 of a set of hazards, as county returns define them,
    computed in one place (``views.rates``) for status, reports, the ledger and ``--json``:

    - ``found``: hazards registered (withdrawn ones, 撤销, are left out of every figure);
    - ``rectified``: of them, those whose rectification is done: awaiting acceptance,
      accepted or closed. A failed acceptance (to rectify again) is not rectified, nor is a
      record that breaks the closed loop;
    - ``closed``: of them, those closed (销号);
    - ``rectification_rate`` = rectified ÷ found (整改率); ``closure_rate`` = closed ÷ found
      (销号率); ``major_rectification_rate`` = the same as 整改率, of major hazards alone.
      Percent to one decimal place (half up); None when nothing was found.
    """

    found: int = 0
    rectified: int = 0
    closed: int = 0
    rectification_rate: Decimal | None = None
    closure_rate: Decimal | None = None
    major_found: int = 0
    major_rectified: int = 0
    major_rectification_rate: Decimal | None = None


# --------------------------------------------------------------------------- the overview


class TaskSection(View):
    #: state → count, in the order of ``status.TASK_STATES``.
    counts: dict[str, int]
    items: list[TaskRow]
    #: The tasks a reader must see first (overdue, stale, due soon), most urgent first.
    late: list[int] = []


class HazardSection(View):
    #: level → state → count, plus ``overdue``, ``invalid`` and ``withdrawn`` per level. An
    #: invalid record counts under ``invalid``, not its state; a withdrawn one under
    #: ``withdrawn`` only, and not in ``total``.
    counts: dict[str, dict[str, int]]
    #: The hazards counted (withdrawn ones are in ``withdrawn``).
    items: list[HazardRow]
    #: Overdue hazards, major first, longest overdue first.
    overdue: list[str] = []
    total: int = 0
    #: Major hazards without their full 五落实.
    plan_missing: list[str] = []
    #: Records that break the closed loop.
    invalid: list[str] = []
    withdrawn: list[HazardRow] = []
    #: 整改率, 销号率 and 重大隐患整改率 of the hazards counted (see ``Rates``).
    rates: Rates = Rates()


class Overview(Stamp):
    unit: str | None
    problems: int
    tasks: TaskSection
    hazards: HazardSection
    goals: list[GoalView]
    units: list[UnitLoadView]
    unreadable_hazard_files: list[str] = []
    plan: PlanHeader | None = None
    #: The enterprises' duties (a ``models.enterprise_views.DutiesView``, which builds on
    #: this module), only for a plan that has enterprises.
    enterprises: Any = None


# --------------------------------------------------------------------------- listings and details


class TaskList(Stamp):
    tasks: list[TaskRow]


class TaskDetail(TaskRow, Stamp):
    text: str
    progress: list[ProgressNote]
    done: Completion | None
    reopenings: list[TaskReopening]
    action_title: str | None = None
    check_in: str | None = None


class HazardTexts(NamedTuple):
    id: str
    level: str
    title: str
    responsible_unit: str
    deadline: dt.date | None
    state: str
    days_overdue: int | None
    extended: bool = False
    rectified_late_days: int | None = None
    plan_missing: bool = False
    invalid: bool = False


class HazardList(Stamp):
    """The hazards of a listing: rows are made one at a time, when they are rendered.

    A listing may hold 100,000 hazards; ``rows()`` yields them lazily so that neither
    the screen nor ``--json`` holds them all at once.
    """

    count: int = 0
    _make_rows: Callable[[], Iterator[HazardRow]] | None = PrivateAttr(default=None)
    _make_texts: Callable[[], Iterator[HazardTexts]] | None = PrivateAttr(default=None)

    def rows(self) -> Iterator[HazardRow]:
        """The rows, made afresh on each call."""
        return self._make_rows() if self._make_rows is not None else iter(())

    def texts(self) -> Iterator[HazardTexts]:
        """What a table of the rows shows, as light tuples: for laying it out in one cheap
        pass before the rows are made (a table of 100,000 rows must not make them twice)."""
        return self._make_texts() if self._make_texts is not None else iter(())


class UnitRow(UnitLoadView):
    full_name: str | None
    members: list[str]


class UnitList(Stamp):
    units: list[UnitRow]


class UnitDetail(Stamp):
    name: str
    kind: str
    full_name: str | None
    members: list[str]
    lead_tasks: list[TaskRow]
    co_tasks: list[TaskRow]
    hazards: list[HazardRow]
    contact: Contact | None = None


# --------------------------------------------------------------------------- 判定标准 catalog


class CriterionItemRow(View):
    number: int
    title: str


class CriterionArticleRow(View):
    number: int
    title: str | None
    #: None: the catalog does not list its items.
    items: list[CriterionItemRow] | None


class CriterionRow(View):
    """One document of the catalog, as ``criteria list`` shows it."""

    id: str
    number: str
    title: str
    issuer: str
    in_force: dt.date | None
    #: The document that replaced it on or before the day (None: in force).
    superseded_by: str | None
    industries: list[str]
    #: Where the plan's own file added it (plan/criteria.yaml), not the shipped catalog.
    local: bool
    #: Major hazards (not withdrawn) whose basis cites it.
    major_hazards: int


class CriteriaList(Stamp):
    catalog_version: int
    catalog_dated: dt.date | None
    documents: list[CriterionRow]


class CriterionDetail(Stamp):
    document: CriterionRow
    aliases: list[str]
    issued_on: dt.date | None
    supersedes: list[str]
    source: str
    unconfirmed: list[str]
    note: str | None
    #: None: articles not listed (citations of it are checked for their form only).
    articles: list[CriterionArticleRow] | None
    articles_complete: bool
    #: Ids of the major hazards citing it.
    hazards: list[str]
