"""The form of ``hazard new`` is one list (``edit.new_form.NEW_FORM``): the command's options,
the page's fields and the :class:`NewHazard` they build all come from it; ``hazard edit``
names each registration fact by the same option (``CORRECTIONS``), ``hazard plan`` each part
of the 五落实 (``PLAN_PARTS``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import typer

from safeplan.cli import app
from safeplan.edit.new_form import (
    CORRECTIONS,
    NEW_FORM,
    PLAN_FIELDS,
    PLAN_OPTIONS,
    PLAN_PARTS,
    REGISTRATION_OPTIONS,
    REQUIRED,
    PlanFields,
    plan_given,
)
from safeplan.edit.register import NewHazard, filled_in
from safeplan.errors import UsageError
from safeplan.models.hazards import EDIT_OPTIONS, REGISTRATION_FIELDS
from safeplan.web import forms
from safeplan.web.forms_base import Request

TODAY = dt.date(2026, 12, 1)


def test_the_form_names_each_field_of_a_new_hazard_once() -> None:
    attrs = [f.attr for f in NEW_FORM]
    assert sorted(attrs) == sorted(f.name for f in fields(NewHazard))
    assert len({f.option for f in NEW_FORM}) == len(NEW_FORM)
    assert REQUIRED == ("title", "level", "responsible_unit", "source", "discovered_on")
    assert PLAN_FIELDS == ("measures", "funds", "deadline", "plan_person", "contingency_plan")
    assert all(f.ask for f in NEW_FORM if f.need), "a needed field a terminal cannot ask for"


def _options(command: str) -> list[tuple[str, str | None, str | None]]:
    """The options of ``hazard <command>`` as typer made them: name, metavar, help."""
    group: Any = typer.main.get_command(app)  # typer's own copy of click's classes
    made = group.get_command(None, "hazard").get_command(None, command)  # (lazy groups)
    return [(p.opts[0], p.metavar, p.help) for p in made.params if p.param_type_name == "option"]


def test_the_command_takes_its_options_from_the_form_in_its_order() -> None:
    shown, own = _options("new"), [(f.option, f.metavar, f.help) for f in NEW_FORM]
    assert shown[: len(own)] == own
    assert [o for o, _, _ in shown[len(own) :]] == ["--root", "--lang", "--dry-run", "--commit"]


def test_a_correction_names_each_registration_fact_by_its_option_in_hazard_new() -> None:
    assert sorted(k.key for k in CORRECTIONS) == sorted(REGISTRATION_FIELDS)
    assert {k.key: k.field.option for k in CORRECTIONS} == EDIT_OPTIONS == REGISTRATION_OPTIONS
    shown = _options("edit")
    own = [(k.field.option, k.field.metavar, k.help) for k in CORRECTIONS]
    assert shown[: len(own)] == own
    rest = ["--reason", "--on", "--by", "--root", "--lang", "--dry-run", "--commit"]
    assert [o for o, _, _ in shown[len(own) :]] == rest
    page = {f.name: f for f in forms.HAZARD_VERBS["edit"].fields}
    assert page["discovered"].kind == "date" and page["level"].vocab == "level"
    assert [f.option for f in page.values()][: len(own)] == list(REGISTRATION_OPTIONS.values())


def test_the_page_takes_its_fields_from_the_form() -> None:
    offered = [f for f in NEW_FORM if f.label is not None]
    assert [f.option for f in forms.NEW_FIELDS] == [f.option for f in offered]
    assert "--id" not in {f.option for f in forms.NEW_FIELDS}  # an id is the command's alone
    by_name = {f.name: f for f in forms.NEW_FIELDS}
    assert {n for n, f in by_name.items() if f.required} == {"title", "level", "unit", "source"}
    assert by_name["discovered"].kind == "fact_date" and by_name["deadline"].kind == "date"
    assert by_name["unit"].vocab == "unit" and by_name["person"].label == "Responsible person"


def test_the_plan_names_each_part_of_the_five_by_its_option_in_hazard_new() -> None:
    assert [p.attr for p in PLAN_PARTS] == [f.name for f in fields(PlanFields)]
    assert PLAN_OPTIONS == {  # what hazard plan's messages name, as its --help has them
        "measures": "--measures",
        "funds": "--funds",
        "deadline": "--deadline",
        "responsible_person": "--plan-person",
        "contingency_plan": "--contingency",
    }
    assert [p.field.attr for p in PLAN_PARTS] == list(PLAN_FIELDS)
    shown = _options("plan")
    own = [(p.field.option, p.field.metavar, p.help) for p in PLAN_PARTS]
    assert shown[: len(own)] == own
    rest = ["--on", "--by", "--reason", "--root", "--lang", "--dry-run", "--commit"]
    assert [o for o, _, _ in shown[len(own) :]] == rest
    page = [(f.option, f.label, f.kind) for f in forms.HAZARD_VERBS["plan"].fields]
    assert page[: len(own)] == [(p.field.option, p.label, p.field.kind) for p in PLAN_PARTS]
    given = plan_given({"deadline": "2026年1月5日", "responsible_person": "张三"})
    assert given == PlanFields(deadline=dt.date(2026, 1, 5), responsible_person="张三")
    with pytest.raises(UsageError) as caught:
        plan_given({"deadline": "2026-02-30"})
    assert caught.value.params["option"] == "--deadline"


def test_a_filled_in_form_reads_what_was_typed_as_the_command_does() -> None:
    new = filled_in({"title": "水泵", "deadline": "2026/12/31", "note": "一"}, TODAY)
    assert new == NewHazard(
        title="水泵", discovered_on=TODAY, deadline=dt.date(2026, 12, 31), note="一"
    )
    assert filled_in({"discovered_on": "2026年11月5日"}, TODAY).discovered_on == dt.date(
        2026, 11, 5
    )
    for values, option in (
        ({"discovered_on": "2026-12-02"}, "--discovered"),  # a fact after today
        ({"deadline": "2026-13-01"}, "--deadline"),
        ({"discovered_on": "soon", "deadline": "later"}, "--discovered"),  # the form's order
    ):
        with pytest.raises(UsageError) as caught:
            filled_in(values, TODAY)
        assert caught.value.params["option"] == option


def test_the_page_names_the_fields_a_new_hazard_still_needs(plan_root: Path) -> None:
    sent = Request(plan_root, "", {"title": "水泵", "level": "general"}, TODAY)
    assert forms.missing_new(sent) == ["unit", "source", "deadline"]
    sent = Request(plan_root, "", {"level": "major", "discovered": "2026-11-01"}, TODAY)
    assert forms.missing_new(sent) == [
        "title", "unit", "source", "measures", "funds", "deadline", "plan_person", "contingency",
    ]  # fmt: skip
