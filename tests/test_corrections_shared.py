"""One "correct a hazard": ``hazard edit`` and ``import ledger --update`` share the code that
corrects registration facts, so they refuse the same things the same way."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from safeplan import edit
from safeplan.errors import SafeplanError
from safeplan.importers.ledger.update import update_record

HAZARD = """\
id: HZ-20250102-AAAA
title: 配电箱未上锁
level: general
discovered_on: 2025-01-02
source: self-check
responsible_unit: 镇安监站
rectification_plan:
  deadline: 2025-01-09
"""
CODE = "91150425MA0N4XKJ2U"
DAY = dt.date(2026, 11, 28)


@pytest.fixture
def root(plan_root: Path) -> Path:
    for f in (plan_root / "data" / "hazards").glob("*"):
        f.unlink()
    (plan_root / "data" / "hazards" / "HZ-20250102-AAAA.yaml").write_text(HAZARD, "utf-8")
    return plan_root


def test_a_credit_code_without_an_enterprise_is_refused_by_edit_and_ledger_alike(
    root: Path,
) -> None:
    path = root / "data" / "hazards" / "HZ-20250102-AAAA.yaml"
    with pytest.raises(SafeplanError) as refused:
        edit.edit_registration(
            root, "HZ-20250102-AAAA", {"enterprise.credit_code": CODE}, DAY, write=False
        )
    said: list[tuple[Any, str, dict[str, Any]]] = []

    def report(column: Any, template: str, params: dict[str, Any], *rest: Any) -> None:
        said.append((column, template, params))

    existing = SimpleNamespace(id="HZ-20250102-AAAA", path="data/hazards/HZ-20250102-AAAA.yaml")
    record = {"id": "HZ-20250102-AAAA", "enterprise": {"credit_code": CODE}}
    outcome, change = update_record(report, root, existing, record, DAY, 2, None)
    assert outcome.action == "error" and change is None
    # The same message as 'hazard edit' gives, not pydantic's English cut short.
    assert [s[1] for s in said] == [refused.value.template]
    assert path.read_text("utf-8") == HAZARD


def test_the_ledger_update_corrects_as_hazard_edit_does(root: Path) -> None:
    """Both leave the same dated correction (from → to) and write the code quoted."""
    existing = SimpleNamespace(id="HZ-20250102-AAAA", path="data/hazards/HZ-20250102-AAAA.yaml")
    record = {"id": "HZ-20250102-AAAA", "enterprise": {"name": "某某公司", "credit_code": CODE}}
    outcome, change = update_record(lambda *a: None, root, existing, record, DAY, 2, None)
    assert outcome.action == "update" and change is not None
    by_ledger = change[2].decode()
    by_edit = edit.edit_registration(
        root,
        "HZ-20250102-AAAA",
        {"enterprise.name": "某某公司", "enterprise.credit_code": CODE},
        DAY,
        write=False,
    )
    assert by_edit.changes[0].new.decode() == by_ledger
    assert f"credit_code: '{CODE}'" in by_ledger
    assert "field: enterprise.credit_code\n    to: " in by_ledger
