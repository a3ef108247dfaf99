"""A county's roll-up: its manifest (``county.yaml``) and the view models of its picture.

The county reads each town's plan repository exactly as the town does (the same loader,
the same status, the same view models) and sums the towns' view models: the figures
here are those models' counts added up, never computed another way. Codes, never
labels: the renderers choose the reader's words.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from safeplan.dates import IsoDate
from safeplan.models.fields import AreaCode, HazardId, NonEmpty, SupervisionLevel
from safeplan.models.records import Record
from safeplan.models.reports import Headline, PeriodView, Split
from safeplan.models.views import GoalView, Rates, Stamp, View
from safeplan.problems import Problem

#: The manifest's file name, at the county repository's root.
COUNTY_FILE = "county.yaml"
#: Where the towns' read-only clones live, one folder per 行政区划代码 (git-ignored).
TOWNS_DIR = ".safeplan-towns"
#: What ``rollup fetch`` last did for each town (when, which commit, what went wrong).
FETCHED_FILE = "fetched.json"

_GIT_URL = re.compile(r"^(?:https?|ssh|git|file)://|^[\w.-]+@[\w.-]+:")
#: A ref a town may name: a branch or a tag, no option, no range, no path tricks.
_REF = re.compile(r"^(?!-)(?!.*\.\.)[\w./-]{1,200}$")


def _ref(value: str) -> str:
    if not _REF.match(value):
        raise PydanticCustomError(
            "git_ref", "'{value}' is not a branch or tag name", {"value": value}
        )
    return value


GitRef = Annotated[str, AfterValidator(_ref)]


class TownEntry(Record):
    """A town of the county and where its plan repository is: ``path`` (a folder on this
    machine, relative to the county repository) or ``git`` (a URL) with ``ref``."""

    name: NonEmpty
    code: AreaCode
    path: NonEmpty | None = None
    git: NonEmpty | None = None
    #: The branch or tag to roll up (``git`` only). Default: the remote's default branch.
    ref: GitRef | None = None

    @model_validator(mode="after")
    def _one_source(self) -> TownEntry:
        if (self.path is None) == (self.git is None):
            raise PydanticCustomError(
                "town_source", "give the town's repository as either 'path' or 'git'", {}
            )
        if self.git is not None and not _GIT_URL.match(self.git):
            raise PydanticCustomError(
                "git_url",
                "'{value}' is not a git URL (https://…, ssh://…, git@host:…, file://…)",
                {"value": self.git},
            )
        if self.git is not None and self.git.startswith("-"):
            raise PydanticCustomError("git_url", "'{value}' is not a git URL", {"value": self.git})
        return self

    @property
    def source(self) -> str:
        return self.git if self.git is not None else str(self.path)


class CountySupervision(Record):
    """挂牌督办 by the county of a town's hazard: kept in the county's own file, naming the
    hazard by (town code, id), because the town's files are the town's."""

    town: AreaCode
    hazard: HazardId
    level: SupervisionLevel = "county"
    by: NonEmpty
    listed_on: IsoDate
    lifted_on: IsoDate | None = None
    document: NonEmpty | None = None


class CountyFile(Record):
    """``county.yaml``: the county and its towns."""

    name: NonEmpty
    #: The county's 12-digit area code (its 6 digits then zeros: 150425000000).
    code: AreaCode
    towns: list[TownEntry] = Field(min_length=1, max_length=5000)
    #: 挂牌督办 by the county of towns' hazards.
    supervision: list[CountySupervision] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> CountyFile:
        seen: set[str] = set()
        for town in self.towns:
            if town.code in seen:
                raise PydanticCustomError(
                    "duplicate_town", "the area code {code} is given twice", {"code": town.code}
                )
            seen.add(town.code)
        return self


# --------------------------------------------------------------------------- the picture


class TownProblem(View):
    """A problem of a town's repository: where (the town's folder, from the county
    repository, then the file's place), its code, and the problem itself (rendered in the
    reader's language; in English in JSON)."""

    location: str
    code: str
    severity: str = "error"
    #: The English message template and its values (JSON readers render them).
    template: str = ""
    params: dict[str, str] = Field(default_factory=dict)
    problem: Problem | None = Field(default=None, exclude=True)


class DutyTotals(View):
    """One duty (by its id) over the towns' enterprises: the counts of each town's own
    ``DutyFigure``, added up."""

    duty: str
    #: The duty's task and title, as the first town that has it names them.
    task: int
    title: str
    total: int = 0
    #: Done the current period (checked this period, for a check duty).
    done: int = 0
    due: int = 0
    overdue: int = 0


class EnterpriseFigures(View):
    """The enterprises' duty figures of one town, or their sum over towns: counts of the
    town's own ``Overview.enterprises`` (``DutiesView``), never recomputed."""

    enterprises: int = 0
    high_risk: int = 0
    #: Enterprises behind on at least one duty (``DutiesView.behind``).
    behind: int = 0
    #: Certificates expired on the day (``DutiesView.expired``).
    expired: int = 0
    duties: list[DutyTotals] = Field(default_factory=list)


class Figures(View):
    """The figures of one town, or their sum over towns: each is a count of the town's
    ``status`` view model (``Overview``), added up."""

    towns: int = 0
    #: task state → count (``Overview.tasks.counts``).
    tasks: dict[str, int] = Field(default_factory=dict)
    #: level → state → count (``Overview.hazards.counts``).
    hazards: dict[str, dict[str, int]] = Field(default_factory=dict)
    hazards_total: int = 0
    overdue: int = 0
    overdue_major: int = 0
    plan_missing: int = 0
    invalid: int = 0
    withdrawn: int = 0
    #: 整改率, 销号率 and 重大隐患整改率: the counts added up, the percentages of the sums.
    rates: Rates = Rates()
    #: 挂牌督办 in force on the day, by level (a town's own, and the county's on roll-up).
    supervised: dict[str, int] = Field(default_factory=dict)
    #: 整改资金 (元) recorded, by level of hazard (withdrawn ones left out).
    funds: dict[str, Decimal] = Field(default_factory=dict)
    #: goal verdict → count (the plan's goals).
    goals: dict[str, int] = Field(default_factory=dict)
    #: Validation problems (errors) of the data.
    problems: int = 0
    #: The enterprises' duty figures (None: no enterprises in the town, or in any town).
    enterprises: EnterpriseFigures | None = None


class TownView(View):
    """One town in the county's picture: where its data comes from, and its figures (or
    why there are none)."""

    name: str
    code: str
    source: str
    #: The commit rolled up (None: not a git repository, or not fetched).
    commit: str | None = None
    #: When ``rollup fetch`` last reached the town (None: never, or a local folder).
    fetched_on: dt.date | None = None
    #: The last fetch failed: the data is that of ``fetched_on``.
    fetch_error: str | None = None
    #: The town could be read: ``figures`` and ``goals`` are its own.
    loaded: bool = False
    figures: Figures = Figures()
    goals: list[GoalView] = Field(default_factory=list)
    problems: list[TownProblem] = Field(default_factory=list)


class BreakdownRow(View):
    """The hazards of the towns of one industry, source or level (None: not recorded)."""

    key: str | None
    found: int
    open: int
    overdue: int
    major: int
    rates: Rates = Rates()
    funds: Decimal = Decimal(0)


class RankRow(View):
    name: str
    code: str
    overdue_major: int
    overdue: int
    rectification_rate: Decimal | None


class SupervisedRow(View):
    """A hazard under the county's 挂牌督办, as the town's data has it."""

    town: str
    code: str
    hazard: str
    title: str | None
    level: str | None
    state: str | None
    overdue: bool = False
    listed_on: dt.date
    by: str
    #: The town has no such hazard (its data, or the county's file, is wrong).
    missing: bool = False


class CountyStatus(Stamp):
    """``safeplan rollup status``: the county's picture on a day."""

    name: str
    code: str
    towns: list[TownView]
    #: The towns' figures added up (the towns not loaded are named in ``missing``).
    totals: Figures
    #: Towns whose data is not in the totals, by name.
    missing: list[str] = Field(default_factory=list)
    #: Towns whose data is that of an earlier fetch (the last one failed), by name.
    stale: list[str] = Field(default_factory=list)
    by_industry: list[BreakdownRow] = Field(default_factory=list)
    by_source: list[BreakdownRow] = Field(default_factory=list)
    by_level: list[BreakdownRow] = Field(default_factory=list)
    #: Towns by overdue major hazards (most first), then 整改率 (lowest first).
    ranking: list[RankRow] = Field(default_factory=list)
    supervision: list[SupervisedRow] = Field(default_factory=list)
    #: The county's own hazards (its repository's data/hazards/), when it keeps a plan.
    own: TownView | None = None


# --------------------------------------------------------------------------- the report


class TownPeriod(View):
    """One town's figures of a period: its own report's (``views.reports``), as they are."""

    name: str
    code: str
    commit: str | None = None
    loaded: bool = False
    #: The town's ``Report.figures``: found … withdrawn in the period, open and overdue at
    #: its end, each by level and source.
    figures: dict[str, Split] = Field(default_factory=dict)
    #: The town's ``Report.headline`` (None: the town cannot be read).
    headline: Headline | None = None


class CountyReport(Stamp):
    """``safeplan rollup report``: the county's period, as of its last day."""

    period: PeriodView
    #: The county's picture as of the period's last day (``rollup status --as-of``).
    county: CountyStatus
    towns: list[TownPeriod]
    #: The towns' period figures added up (the towns not read are in ``county.missing``).
    figures: dict[str, Split]
    version: str
