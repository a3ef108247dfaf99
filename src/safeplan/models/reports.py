"""What a weekly, monthly or quarterly report shows: one view model, rendered by every template.

The report holds the ``Overview`` of its as-of day (the figures ``safeplan status
--as-of`` shows for that day, the very same objects) and, beside it, what happened in
the period: counts of dated facts, split the way county returns split them (by level
and by source), by industry, the events themselves, and the series the charts draw.
Codes, never labels: the templates choose the reader's words.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import Field

from safeplan.models.enterprise_views import DutiesView, EnterpriseRow
from safeplan.models.views import (
    GoalView,
    HazardRow,
    Overview,
    PlanHeader,
    Rates,
    Stamp,
    TaskRow,
    View,
)

if TYPE_CHECKING:
    from safeplan.models.records import Plan

#: The counts of a report, in the order a return lists them. ``found`` … ``withdrawn``
#: are facts dated in the period; ``open`` and ``overdue`` are the state at its end.
FIGURES = (
    "found",
    "rectified",
    "accepted",
    "failed",
    "closed",
    "extended",
    "reopened",
    "withdrawn",
    "open",
    "overdue",
)


class PeriodView(View):
    """The period a report covers: ``2026-W48`` is ISO week 48 of the ISO year 2026."""

    kind: str
    name: str
    start: dt.date
    end: dt.date
    #: The ISO week-numbering year for a week, the calendar year otherwise.
    year: int
    #: The week of the year, the month, or the quarter.
    number: int


class Split(View):
    """One count, and the same count by level (重大/一般) and by source (企业自查 …)."""

    total: int = 0
    by_level: dict[str, int] = Field(default_factory=dict)
    by_source: dict[str, int] = Field(default_factory=dict)


class Rate(View):
    """Closed ÷ found (withdrawn hazards count in neither): the 销号率. Kept in the JSON
    as it was (it was first, wrongly, called 整改率); ``Rates`` holds 整改率 and 销号率 as
    county returns define them."""

    closed: int
    found: int
    #: Percent, to one decimal place; None when nothing was found.
    percent: Decimal | None


class Headline(View):
    """The figures a reader looks at first."""

    tasks_done: int
    tasks_overdue: int
    tasks_due_soon: int
    #: Of the hazards found in the period, closed by its end ÷ found in the period (销号率;
    #: see ``rates_period``).
    rate_period: Rate
    #: Closed ÷ found, every hazard registered up to the as-of day (销号率; see ``rates_total``).
    rate_total: Rate
    #: Major hazards not closed at the end of the period.
    major_open: int
    #: Of those, under listed supervision (挂牌督办), by supervision level.
    major_supervised: dict[str, int]
    #: Of those, without their full 五落实.
    major_plan_missing: int
    #: Of those, without the 双报告 (to the regulator and the workers' congress).
    major_not_double_reported: int
    #: 整改率, 销号率 and 重大隐患整改率 of the hazards found in the period, at its end.
    rates_period: Rates = Rates()
    #: 整改率, 销号率 and 重大隐患整改率 of every hazard registered up to the as-of day.
    rates_total: Rates = Rates()
    #: Of the tasks done (``tasks_done``), those done after their deadline (逾期完成).
    tasks_done_late: int = 0


class IndustryRow(View):
    #: None: the records do not name an industry.
    industry: str | None
    found: int
    closed: int
    open: int
    open_major: int
    overdue: int
    found_total: int
    closed_total: int
    #: 销号率 of the industry (see ``rates``).
    rate_total: Rate
    #: 整改资金 of the hazards registered up to the as-of day (withdrawn ones left out), 元:
    #: the sum of those that record it (0 when none does: see ``funds_reported``).
    funds: Decimal
    #: 整改率, 销号率 and 重大隐患整改率 of the industry's hazards registered up to the day.
    rates: Rates = Rates()
    #: How many of the industry's hazards record their 整改资金; the others are unknown
    #: (未填报), not zero.
    funds_reported: int = 0
    funds_missing: int = 0


class HazardEvent(View):
    """A dated fact of a hazard in the period."""

    on: dt.date
    #: registered, rectified, accepted, failed, closed, extended, reopened, withdrawn
    kind: str
    id: str
    title: str
    level: str
    source: str
    unit: str
    #: For an extension: the deadline before it and the one it set.
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None


class TaskEvent(View):
    """A task's completion or progress note in the period."""

    on: dt.date
    #: done, progress
    kind: str
    number: int
    title: str
    unit: str
    note: str | None = None
    by: str | None = None


class TaskGroup(View):
    """Tasks of one lead unit."""

    unit: str
    tasks: list[TaskRow]


class ReportGoal(View):
    goal: GoalView
    #: The hazards that break the goal (or, before it is due, would break it), as rows.
    breaking: list[HazardRow]


class WeekPoint(View):
    """Hazards not closed at the end of a week (or on the as-of day, for the last one)."""

    name: str
    on: dt.date
    major: int
    general: int


class MonthPoint(View):
    """Hazards found, and hazards closed, in a month."""

    name: str
    found: int
    closed: int


class Charts(View):
    open_by_week: list[WeekPoint]
    found_closed_by_month: list[MonthPoint]
    #: Task state → count at the end of the period (the overview's counts).
    tasks: dict[str, int]


class DataVersion(View):
    """Which data the report was made from."""

    #: The last git commit of the plan's files (None: not a git repository).
    commit: str | None = None
    #: The plan's files have changes not committed yet.
    modified: bool = False


class CriterionCount(View):
    """Major hazards by the 判定标准 their basis cites (registered by the report's day)."""

    number: str
    title: str
    major: int
    #: Of which not closed at the end of the period.
    open_major: int


class Signature(View):
    """Who signs a report printed as a 公文 attachment: the 落款 and the 填报 line (from the
    plan's ``report:`` section; None is a blank to fill in by hand)."""

    #: 落款 and 填报单位: the ``report:`` section's, else the plan's issuer.
    issuing_unit: str | None = None
    filled_by: str | None = None
    reviewer: str | None = None
    phone: str | None = None

    @classmethod
    def of(cls, plan: Plan | None) -> Signature:
        """The plan's ``report:`` section, its issuing unit defaulting to the plan's issuer:
        one rule for the reports and the ledger's 填报 line."""
        if plan is None:
            return cls()
        info = plan.report
        return cls(
            issuing_unit=info.issuing_unit or plan.issuer,
            filled_by=info.filled_by,
            reviewer=info.reviewer,
            phone=info.phone,
        )


class ReportEnterprises(View):
    """The enterprises' duties in a report: each duty's figure as of the report's day, and
    the high-risk enterprises with no principal-led check in the period."""

    duties: DutiesView
    unchecked: list[EnterpriseRow]


class Report(Stamp):
    """A report of one period, computed as of its last day."""

    period: PeriodView
    plan: PlanHeader | None
    #: The plan's title without its period and without 方案: what the town calls the
    #: action in a report's title (大井镇安全生产治本攻坚三年行动).
    series: str
    overview: Overview
    figures: dict[str, Split]
    headline: Headline
    industries: list[IndustryRow]
    hazard_events: list[HazardEvent]
    task_events: list[TaskEvent]
    #: Nothing happened in the period: no hazard fact, no task done, no progress note.
    nil: bool
    overdue_tasks: list[TaskGroup]
    #: Major hazards not closed at the end, overdue first (longest first), then by days left.
    open_major: list[HazardRow]
    goals: list[ReportGoal]
    charts: Charts
    version: str
    data: DataVersion
    #: Major hazards counted by the document their basis cites (none cited: empty).
    criteria: list[CriterionCount] = Field(default_factory=list)
    #: The 判定标准 item each open major hazard's basis cites (id → 应急管理部令第10号
    #: 第三条第（二）项), for those the catalog has.
    open_major_criteria: dict[str, str] = Field(default_factory=dict)
    #: The 落款 and the 填报 line.
    sign: Signature = Signature()
    #: Only for a plan that has enterprises.
    enterprises: ReportEnterprises | None = None
