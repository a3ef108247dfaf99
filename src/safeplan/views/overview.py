"""What ``safeplan status`` shows: tasks, hazards, goals and the load per unit on a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from safeplan.models.records import Task
from safeplan.models.summary import HazardSummary
from safeplan.models.views import (
    GoalView,
    HazardSection,
    Overview,
    PlanHeader,
    TaskSection,
    UnitLoadView,
    same_named,
)
from safeplan.repo import Repository
from safeplan.status import (
    HAZARD_STATES,
    TASK_STATES,
    GoalResult,
    HazardStatus,
    StatusCache,
    TaskStatus,
    UnitLoad,
    evaluate_goal,
    members,
    task_involves,
    unit_loads,
)
from safeplan.views.rates import rates
from safeplan.views.rows import hazard_row, task_row
from safeplan.views.selection import check_unit, task_states, units_by_name

#: Task states a reader must see first, in this order.
LATE_STATES = ("overdue", "stale", "due_soon")


def goal_view(g: GoalResult) -> GoalView:
    return GoalView.model_construct(
        **same_named(g, "id kind title due verdict total closed trend level discovered_until"),
        breaking=list(g.breaking),
        per_quarter=dict(g.per_quarter),
    )


def load_view(load: UnitLoad) -> UnitLoadView:
    return UnitLoadView.model_construct(**vars(load))


def plan_header(repo: Repository) -> PlanHeader | None:
    plan = repo.plan
    if plan is None:
        return None
    return PlanHeader(
        title=plan.title, issuer=plan.issuer, start=plan.period.start, end=plan.period.end
    )


def overview(
    repo: Repository, as_of: dt.date, unit: str | None = None, cache: StatusCache | None = None
) -> Overview:
    """Everything ``safeplan status`` shows, optionally for one unit (``cache``: statuses
    already computed, shared with the caller, as the ledger does, so none is computed twice)."""
    check_unit(repo, unit)
    by_name = units_by_name(repo)
    states = task_states(repo.tasks, as_of, repo.plan, repo.enterprises)
    cache = cache if cache is not None else StatusCache()
    known = [(h, cache.get(h, as_of)) for h in repo.hazards if h.discovered_on <= as_of]
    loads = unit_loads(repo.units, repo.tasks, states, known)
    tasks: Sequence[Task] = repo.tasks
    hazards = known
    if unit is not None:
        tasks = [t for t in tasks if task_involves(t, unit, by_name)]
        wanted = members(unit, by_name)
        hazards = [(h, st) for h, st in hazards if h.responsible_unit in wanted]
        loads = [load for load in loads if load.name in wanted]

    plan = repo.plan
    goals = [evaluate_goal(g, repo.hazards, as_of, cache) for g in plan.goals] if plan else []
    return Overview(
        as_of=as_of,
        unit=unit,
        problems=repo.errors,
        tasks=task_section(tasks, states),
        hazards=hazard_section(hazards),
        goals=[goal_view(g) for g in goals],
        units=[load_view(load) for load in loads],
        unreadable_hazard_files=list(repo.unreadable_hazards),
        plan=plan_header(repo),
        enterprises=_enterprises(repo, as_of),
    )


def cached_overview(repo: Repository, as_of: dt.date, unit: str | None = None) -> Overview:
    """``overview``, or the same view kept from the last run when nothing it is computed
    from has changed (``repo/viewcache.py``; never with ``--no-cache``)."""
    from safeplan.repo.viewcache import read_view, view_key, write_view
    from safeplan.views.kept import decoded_view

    key = view_key(repo, "overview", [as_of.isoformat(), unit or ""])
    if key is not None:
        body = read_view(repo.root, key)
        kept = None if body is None else decoded_view(body)
        if kept is not None:
            return kept  # else damaged: computed again, and kept again
    view = overview(repo, as_of, unit)
    if key is not None:
        write_view(repo.root, key, view.model_dump_json().encode("utf-8"))
    return view


def _enterprises(repo: Repository, as_of: dt.date) -> object:
    """The enterprises section, only for a plan that has enterprises (a DutiesView)."""
    if not repo.enterprises:
        return None
    from safeplan.views.enterprises import duties_view

    return duties_view(repo, as_of)


def task_section(tasks: Sequence[Task], states: Mapping[int, TaskStatus]) -> TaskSection:
    """The tasks by status, and the late ones: overdue, stale, due soon, longest late first."""
    counts: dict[str, int] = {s: 0 for s in TASK_STATES}
    for t in tasks:
        counts[states[t.number].state] += 1
    late = [t for t in tasks if states[t.number].state in LATE_STATES]
    late.sort(
        key=lambda t: (
            TASK_STATES.index(states[t.number].state),
            -(states[t.number].days_overdue or 0),
        )
    )
    return TaskSection.model_construct(
        counts=counts,
        items=[task_row(t, states[t.number]) for t in tasks],
        late=[t.number for t in late],
    )


def hazard_section(known: Sequence[tuple[HazardSummary, HazardStatus]]) -> HazardSection:
    """The hazards known on the day by level and state; the overdue ones, major and longest
    overdue first; withdrawn ones apart (counted in their own column, listed, not shown)."""
    by_level: dict[str, dict[str, int]] = {}
    withdrawn = [(h, st) for h, st in known if st.state == "withdrawn"]
    hazards = [(h, st) for h, st in known if st.state != "withdrawn"]
    for h, st in [*hazards, *withdrawn]:
        row = by_level.setdefault(
            h.level, {s: 0 for s in (*HAZARD_STATES, "overdue", "invalid", "withdrawn")}
        )
        row["invalid" if st.invalid and st.state != "withdrawn" else st.state] += 1
        row["overdue"] += st.overdue
    overdue = [(h, st) for h, st in hazards if st.overdue]
    overdue.sort(key=lambda hs: (hs[0].level != "major", -(hs[1].days_overdue or 0)))
    items = [hazard_row(h, st) for h, st in hazards]
    return HazardSection.model_construct(
        counts=by_level,
        items=items,
        overdue=[h.id for h, _ in overdue],
        total=len(hazards),
        plan_missing=[h.id for h, st in hazards if st.plan_missing],
        invalid=[h.id for h, st in hazards if st.invalid],
        withdrawn=[hazard_row(h, st) for h, st in withdrawn],
        rates=rates(items),
    )
