"""One task or one hazard as a row: the fields every listing and JSON document shares."""

from __future__ import annotations

from safeplan.models.records import Task
from safeplan.models.summary import HazardSummary
from safeplan.models.views import HazardRow, TaskRow, same_named
from safeplan.status import HazardStatus, TaskStatus


def task_row(task: Task, st: TaskStatus) -> TaskRow:
    return TaskRow.model_construct(
        id=f"T{task.number}",
        **same_named(task, "number title action deadline ongoing ongoing_after"),
        units=list(task.units),
        lead_unit=task.units[0],
        status=st.state,
        **same_named(st, "days_overdue days_left done_on last_progress_on days_late"),
    )


def hazard_row(h: HazardSummary, st: HazardStatus) -> HazardRow:
    return HazardRow.from_fields(
        dict(
            id=h.id,
            title=h.title,
            level=h.level,
            state=st.state,
            overdue=st.overdue,
            days_overdue=st.days_overdue,
            days_left=st.days_left,
            deadline=st.deadline,
            discovered_on=h.discovered_on,
            responsible_unit=h.responsible_unit,
            enterprise=h.enterprise,
            supervised=st.supervised,
            supervision_level=st.supervision_level,
            double_reported=st.double_reported,
            closed_on=st.closed_on,
            path=h.path,
            extended=st.extended,
            original_deadline=st.original_deadline,
            rectified_late_days=st.rectified_late_days,
            plan_missing=st.plan_missing,
            invalid=st.invalid,
            withdrawn_on=h.withdrawn_on,
            funds=h.funds,
            source=h.source,
            industry=h.industry,
        )
    )
