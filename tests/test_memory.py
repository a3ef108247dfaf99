"""What keeps 100,000 hazards small in memory (issue #24): repeated values held once, rows
whose dicts share their keys. Each test checks the saving AND that nothing it shows changed."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import bench_gen
from safeplan.models import summary
from safeplan.models.hazards import Hazard
from safeplan.models.summary import shared, shared_day, shared_text, summarize

D = dt.date.fromisoformat


def _hazard(n: int, **more: Any) -> Hazard:
    data: dict[str, Any] = {
        "id": f"HZ-20240315-A7K{n}",
        "title": "消防通道堵塞",
        "level": "general",
        "discovered_on": "2024-03-15",
        "source": "inspection",
        "responsible_unit": "镇安监站",
        "enterprise": {"name": "大井县百佳超市", "credit_code": "91150425MA0N2X7K3C"},
        "rectification_plan": {"deadline": "2024-04-30", "funds": "2万元"},
        **more,
    }
    return Hazard.model_validate(data)


def test_equal_values_are_one_object_and_equal_to_what_was_given() -> None:
    a, b = D("2024-03-15"), D("2024-03-15")
    assert a is not b
    assert shared(a) is shared(b) and shared(b) == b
    assert shared_day(None) is None and shared_text(None) is None
    text = "".join(["镇安", "监站"])  # made at run time: not the literal's object
    assert shared_text(text) is shared_text("镇安监站") and shared_text(text) == "镇安监站"


def test_amounts_that_print_otherwise_are_never_swapped() -> None:
    # Decimal('1.0') == Decimal('1'), but the ledger and --json print them apart.
    one, one_point_zero = shared(Decimal("1")), shared(Decimal("1.0"))
    assert str(one) == "1" and str(one_point_zero) == "1.0"
    # Nor a day for a datetime, or True for 1: each value is kept under its own type.
    assert shared(1) is not True and type(shared(dt.datetime(2024, 3, 15))) is dt.datetime


def test_the_memo_starts_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summary, "_SHARED", {})
    monkeypatch.setattr(summary, "SHARED_MAX", 3)
    for n in range(10):
        assert shared(1000 + n) == 1000 + n
    assert 0 < len(summary._SHARED[int]) <= 3


def test_summaries_share_their_repeated_values_and_read_as_before() -> None:
    one = summarize(_hazard(1), "data/hazards/HZ-20240315-A7K1.yaml")
    two = summarize(_hazard(2), "data/hazards/HZ-20240315-A7K2.yaml")
    for field in (
        "discovered_on",
        "deadline",
        "level",
        "source",
        "responsible_unit",
        "enterprise",
        "credit_code",
        "cycles",
        "deadlines",
        "funds",
        "plan_gaps",
    ):
        assert getattr(one, field) is getattr(two, field), field
    assert one.funds == Decimal("20000") and one.deadline == D("2024-04-30")
    assert one.cycles[0].rectified_on is None and one.deadlines[0].on == D("2024-03-15")
    assert one._replace(id=two.id, path=two.path) == two


def _row_values(**changes: Any) -> dict[str, Any]:
    from safeplan.models.views import HazardRow

    values: dict[str, Any] = dict.fromkeys(HazardRow.model_fields)
    values.update(id="HZ-1", title="消防通道堵塞", level="general", state="open", overdue=False)
    values.update(supervised=False, double_reported=False, path="data/hazards/HZ-1.yaml")
    values.update(discovered_on=D("2024-03-15"), responsible_unit="镇安监站", extended=False)
    values.update(plan_missing=False, invalid=False, funds=Decimal("20000"), **changes)
    return values


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="CPython's key-sharing dicts")
def test_a_hazard_row_is_a_third_of_a_plain_dict_and_dumps_the_same() -> None:
    from safeplan.models.views import HazardRow

    values = _row_values()
    row = HazardRow.from_fields(dict(values))
    plain = HazardRow.model_construct(**values)
    assert row.model_dump(mode="json") == plain.model_dump(mode="json")
    assert row.model_dump_json() == plain.model_dump_json()
    assert row == plain and row.model_copy(update={"state": "closed"}).state == "closed"
    assert sys.getsizeof(row.__dict__) * 2 < sys.getsizeof(dict(values))


def test_a_row_with_a_wrong_field_name_is_refused() -> None:
    from safeplan.models.views import HazardRow

    values = _row_values()
    values["titel"] = values.pop("title")
    with pytest.raises(TypeError, match="titel"):
        HazardRow.from_fields(values)
    with pytest.raises(TypeError, match="not every field"):
        HazardRow.from_fields({"id": "HZ-1"})


def test_the_ledger_keeps_repeated_facts_once() -> None:
    from safeplan.views.ledger import hazard_facts

    plan = {"deadline": "2024-04-30", "responsible_person": "王五", "contingency_plan": "撤人"}
    done = {
        "rectification": {"on": "2024-04-20"},
        "acceptance": {"on": "2024-04-25", "by": "县应急管理局"},
        "closure": {"on": "2024-04-28", "reviewer": "站长"},
    }
    one = hazard_facts(_hazard(1, rectification_plan=plan, **done), D("2024-05-01"))
    fresh = {k: "".join(list(v)) for k, v in plan.items()}  # equal texts, other objects
    two = hazard_facts(_hazard(2, rectification_plan=fresh, **done), D("2024-05-01"))
    for field in ("deadline", "plan_person", "contingency_plan", "rectified_on", "accepted_by"):
        assert getattr(one, field) is getattr(two, field), field
    assert one == two and one.reviewer == "站长" and one.closed_on == D("2024-04-28")


def test_ledger_cells_are_made_when_read_and_are_the_same_each_time() -> None:
    from safeplan.render.ledger_cells import MadeRows

    made: list[int] = []

    def make(n: int) -> list[Any]:
        made.append(n)
        return [n, str(n)]

    rows = MadeRows([1, 2, 3], make)
    assert made == [] and len(rows) == 3
    assert list(rows) == [[1, "1"], [2, "2"], [3, "3"]] == list(rows)
    assert rows[1] == [2, "2"] and rows[:2] == [[1, "1"], [2, "2"]] and rows[-1] == [3, "3"]
    assert made == [1, 2, 3, 1, 2, 3, 2, 1, 2, 3]  # nothing kept between reads


def test_days_from_the_cache_are_made_once_and_refused_as_fromordinal_refuses() -> None:
    from safeplan.models.summary import day_of

    n = D("2024-03-15").toordinal()
    assert day_of(n) is day_of(n) == D("2024-03-15")
    for bad in (float(n), str(n), 0, None):
        with pytest.raises((TypeError, ValueError)):
            day_of(bad)  # type: ignore[arg-type]


def test_summaries_from_the_cache_share_as_those_read_from_files(tmp_path: Path) -> None:
    from conftest import FIXTURE_PLAN
    from safeplan.repo import load

    gen = bench_gen()

    root = gen.generate(tmp_path / "gen", 40, 7, base=FIXTURE_PLAN)
    cold = load(root, cache=True)  # read from the files, and the cache written
    warm = load(root, cache=True)  # every summary from the cache
    assert warm.snapshot.hazards_token is not None and warm.hazards == cold.hazards
    assert summary._SHARED == {} and summary._DAYS == {}  # let go once the plan is read
    first: dict[object, object] = {}
    repeated = 0
    for h in warm.hazards:
        for value in (h.level, h.responsible_unit, h.source, h.discovered_on):
            key = (type(value), value)
            if key in first:
                repeated += 1
                assert first[key] is value, value
            first[key] = value
    assert repeated > len(warm.hazards)  # the fixture repeats levels, units and sources
