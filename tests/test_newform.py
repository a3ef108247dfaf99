"""The form of ``hazard new`` is one list (``edit.newform.NEW_FORM``): the command's options,
the page's fields and the :class:`NewHazard` they build all come from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import typer

from safeplan.cli import app
from safeplan.edit.newform import NEW_FORM, PLAN_FIELDS, REQUIRED, NewHazard, filled_in
from safeplan.errors import UsageError
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


def test_the_command_takes_its_options_from_the_form_in_its_order() -> None:
    group: Any = typer.main.get_command(app)  # typer's own copy of click's classes
    new = group.get_command(None, "hazard").get_command(None, "new")  # (lazy groups)
    shown = [(p.opts[0], p.metavar, p.help) for p in new.params if p.param_type_name == "option"]
    own = [(f.option, f.metavar, f.help) for f in NEW_FORM]
    assert shown[: len(own)] == own
    assert [o for o, _, _ in shown[len(own) :]] == ["--root", "--lang", "--dry-run", "--commit"]


def test_the_page_takes_its_fields_from_the_form() -> None:
    offered = [f for f in NEW_FORM if f.label is not None]
    assert [f.option for f in forms.NEW_FIELDS] == [f.option for f in offered]
    assert "--id" not in {f.option for f in forms.NEW_FIELDS}  # an id is the command's alone
    by_name = {f.name: f for f in forms.NEW_FIELDS}
    assert {n for n, f in by_name.items() if f.required} == {"title", "level", "unit", "source"}
    assert by_name["discovered"].kind == "fact_date" and by_name["deadline"].kind == "date"
    assert by_name["unit"].vocab == "unit" and by_name["person"].label == "Responsible person"


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
