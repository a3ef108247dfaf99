"""The hazard's history on the model: plan versions, cycles, the plan and cycle of a day, and
the view ``hazard show`` renders from them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from safeplan.models.hazards import CORRECTABLE_FIELDS, FIXED_FIELDS, REGISTRATION_FIELDS, Hazard
from safeplan.views.hazard_detail import hazard_history
from safeplan.views.hazards import hazard_detail
from safeplan.yamlio import load_fast

RICH = Path(__file__).parent / "data" / "history" / "HZ-20240105-RICH.yaml"
D = dt.date


@pytest.fixture(scope="module")
def rich() -> Hazard:
    """Two plan versions, an extension, a failed acceptance, a revoked closure, closed again."""
    return Hazard.model_validate(load_fast(RICH.read_text("utf-8")))


def test_plan_versions_oldest_first_with_the_day_each_took_force(rich: Hazard) -> None:
    versions = rich.plan_versions()
    assert [v.deadline for v in versions] == [D(2024, 3, 31), D(2024, 5, 30)]
    assert [rich.plan_set_on(v) for v in versions] == [D(2024, 1, 8), D(2024, 3, 1)]
    assert [at for at, _ in rich.plan_versions_at()] == [
        ("plan_revisions", 0, "previous"),
        ("rectification_plan",),
    ]
    # before the first version took force, the first is the plan
    assert rich.plan_on(D(2024, 1, 6)) is versions[0]
    assert rich.plan_on(D(2024, 2, 29)) is versions[0]
    assert rich.plan_on(D(2024, 3, 1)) is versions[1]
    assert rich.deadline_in_force() == D(2024, 7, 31)


def test_cycles_keep_the_failed_acceptance_and_the_revoked_closure(rich: Hazard) -> None:
    cycles = rich.cycles()
    assert [c.ended_by.on if c.ended_by else None for c in cycles] == [
        D(2024, 4, 20),
        D(2024, 6, 1),
        None,
    ]
    assert [c.at for c in cycles] == [
        ("reopenings", 0, "previous"),
        ("reopenings", 1, "previous"),
        (),
    ]
    assert cycles[0].acceptance is not None and cycles[0].acceptance.result == "failed"
    assert cycles[1].closure is not None and cycles[2].closure is not None
    # the cycle of a day, without the facts dated after it
    assert rich.cycle_on(D(2024, 4, 10)) == (cycles[0].rectification, None, None)
    assert rich.cycle_on(D(2024, 5, 20)) == (
        cycles[1].rectification,
        cycles[1].acceptance,
        cycles[1].closure,
    )
    assert rich.cycle_on(D(2024, 7, 15)) == (rich.rectification, None, None)


def test_registration_fields_are_one_list(rich: Hazard) -> None:
    from safeplan.edit.corrections import EDIT_OPTIONS

    assert set(FIXED_FIELDS) <= set(REGISTRATION_FIELDS)
    assert set(EDIT_OPTIONS) == set(REGISTRATION_FIELDS)
    assert not set(FIXED_FIELDS) & set(CORRECTABLE_FIELDS)
    assert rich.registration_value("enterprise.credit_code") == "91150425MA0N4XKJ2U"
    assert rich.registration_value("discovered_on") == "2024-01-05"
    assert (
        Hazard.model_validate(
            {**load_fast(RICH.read_text("utf-8")), "enterprise": None}
        ).registration_value("enterprise.name")
        is None
    )


def test_hazard_show_s_view_holds_the_history(rich: Hazard) -> None:
    history = hazard_history(rich)
    assert [p.revised_on for p in history.plans] == [D(2024, 3, 1), None]
    assert history.plans[0].revised_by == "赵六"
    assert history.plan_in_force() is rich.rectification_plan
    assert [c.reopened_reason for c in history.earlier_cycles()] == ["验收不合格", "复查发现问题"]
    assert history.current_cycle().closure == rich.closure
    doc = hazard_detail(rich, str(RICH), D(2026, 11, 28)).model_dump(mode="json")
    # --json only grows: the record is there as before, and the history beside it
    assert doc["record"]["extensions"][0]["from"] == "2024-05-30"
    assert doc["history"]["extensions"][0]["from"] == "2024-05-30"
    assert len(doc["history"]["cycles"]) == 3
    assert doc["history"]["cycles"][0]["reopened_on"] == "2024-04-20"


def test_a_revised_plan_without_a_plan_in_force_has_none(rich: Hazard) -> None:
    history = hazard_history(rich.model_copy(update={"rectification_plan": None}))
    assert history.plan_in_force() is None
    assert [p.revised_on for p in history.plans] == [D(2024, 3, 1)]


def test_facts_removed_since_a_base_are_found_through_the_history(rich: Hazard) -> None:
    from safeplan.rules.history import lost_hazard_facts

    assert lost_hazard_facts(rich, rich, "main", "x.yaml") == []
    # a reopening again: the current cycle moves under reopenings, nothing is lost
    reopened = rich.model_copy(
        update={
            "rectification": None,
            "acceptance": None,
            "closure": None,
            "reopenings": [
                *rich.reopenings,
                rich.reopenings[1].model_copy(
                    update={
                        "on": D(2024, 8, 1),
                        "previous": rich.reopenings[1].previous.model_copy(
                            update={
                                "rectification": rich.rectification,
                                "acceptance": rich.acceptance,
                                "closure": rich.closure,
                            }
                        ),
                    }
                ),
            ],
        }
    )
    assert lost_hazard_facts(rich, reopened, "main", "x.yaml") == []
    stripped = rich.model_copy(
        update={
            "reopenings": rich.reopenings[:1],
            "plan_revisions": [],
            "supervision": [],
            "double_report": None,
            "found_by": "王二",
        }
    )
    found = lost_hazard_facts(rich, stripped, "main", "x.yaml")
    assert [(f.path, f.code) for f in found] == [
        (("reopenings",), "fact-removed"),
        (("supervision",), "fact-removed"),
        (("double_report",), "fact-removed"),
        (("double_report",), "fact-removed"),
        (("plan_revisions",), "fact-removed"),
        # found_by is a registration fact too: changed without a correction, a warning
        (("found_by",), "uncorrected-change"),
    ]
