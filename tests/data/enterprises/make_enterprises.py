"""Writes tests/data/enterprises/data/enterprises/*.yaml: a year (2025) of checks, drills
and certificates for enterprises of every kind, some missed, some expired.

Run once by hand after a change (`.venv/bin/python tests/data/enterprises/make_enterprises.py`);
the files are committed, the tests read them as they are."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from safeplan import yamlio
from safeplan.models.fields import credit_check_digit

OUT = Path(__file__).parent / "data" / "enterprises"


def code(body17: str) -> str:
    return body17 + credit_check_digit(body17)


def monthly(year: int, day: int, skip: tuple[int, ...] = (), until: int = 12) -> list[dt.date]:
    return [dt.date(year, m, day) for m in range(1, until + 1) if m not in skip]


def checks(days: list[dt.date], by: str) -> list[dict[str, Any]]:
    return [{"on": d, "led_by": by} for d in days]


def cert(person: str, role: str, on: str, until: str, number: str) -> dict[str, Any]:
    return {
        "on": dt.date.fromisoformat(on),
        "person": person,
        "role": role,
        "number": number,
        "valid_until": dt.date.fromisoformat(until),
    }


D = dt.date
ENTERPRISES: list[dict[str, Any]] = [
    {  # mining: high-risk, every month checked, drills every half-year, certificates valid
        "id": code("91150425MA0N00001"),
        "name": "大井银铅矿业有限公司",
        "credit_code": code("91150425MA0N00001"),
        "village": "大井村",
        "industry": "mining",
        "grade": "A",
        "flags": ["confined_space"],
        "principal": {"name": "王建国", "phone": "13900000001"},
        "safety_managers": [{"name": "李安全"}],
        "employees": 320,
        "department": "县应急管理局",
        "registered_on": D(2025, 1, 1),
        "checks": checks(monthly(2025, 8), "王建国"),
        "drills": [
            {"on": D(2025, 3, 20), "kind": "疏散逃生", "participants": 280},
            {"on": D(2025, 9, 18), "kind": "疏散逃生", "participants": 290},
        ],
        "certificates": [
            cert("王建国", "principal", "2023-05-01", "2026-04-30", "矿主2023001"),
            cert("李安全", "safety_manager", "2023-05-01", "2026-04-30", "矿安2023002"),
            cert("赵师傅", "special_operator", "2022-03-01", "2025-02-28", "特2022003"),
            cert("赵师傅", "special_operator", "2025-02-20", "2031-02-19", "特2025003"),
        ],
    },
    {  # chemicals: high-risk, missed March and August to October; safety manager's certificate expired
        "id": code("91150425MA0N00002"),
        "name": "大井精细化工有限公司",
        "credit_code": code("91150425MA0N00002"),
        "village": "新井村",
        "industry": "chemicals",
        "grade": "A",
        "principal": {"name": "孙化", "phone": "13900000002"},
        "safety_managers": [{"name": "周明"}],
        "employees": 85,
        "registered_on": D(2025, 1, 1),
        "checks": checks(monthly(2025, 12, skip=(3, 8, 9, 10)), "孙化"),
        "drills": [{"on": D(2025, 5, 8), "kind": "危化品泄漏疏散"}],
        "certificates": [
            cert("孙化", "principal", "2024-01-10", "2027-01-09", "化主2024001"),
            cert("周明", "safety_manager", "2022-07-01", "2025-06-30", "化安2022002"),
        ],
    },
    {  # construction, not high-risk by hand (a fit-out firm), quarterly checks
        "id": code("91150425MA0N00003"),
        "name": "大井装饰工程有限公司",
        "credit_code": code("91150425MA0N00003"),
        "village": "大井村",
        "industry": "construction",
        "high_risk": {"value": False, "reason": "只做室内装饰装修，县住建局核定不按高危管理"},
        "grade": "C",
        "principal": {"name": "钱装"},
        "employees": 22,
        "registered_on": D(2024, 9, 1),
        "checks": checks([D(2025, 2, 10), D(2025, 5, 12), D(2025, 8, 11), D(2025, 11, 10)], "钱装"),
        "drills": [{"on": D(2025, 6, 5)}],
    },
    {  # machinery, dust explosion: quarterly, missed Q2; no drill in 2025
        "id": code("91150425MA0N00004"),
        "name": "大井农机配件厂",
        "credit_code": code("91150425MA0N00004"),
        "village": "东山村",
        "industry": "machinery",
        "grade": "B",
        "flags": ["dust_explosion"],
        "principal": {"name": "吴机"},
        "employees": 40,
        "registered_on": D(2025, 1, 1),
        "checks": checks([D(2025, 1, 15), D(2025, 7, 20), D(2025, 10, 9)], "吴机"),
    },
    {  # light industry, ammonia refrigeration: all done
        "id": code("91150425MA0N00005"),
        "name": "大井冷鲜食品有限公司",
        "credit_code": code("91150425MA0N00005"),
        "village": "东山村",
        "industry": "light_industry",
        "grade": "B",
        "flags": ["ammonia_refrigeration", "confined_space"],
        "principal": {"name": "郑冷"},
        "employees": 60,
        "registered_on": D(2025, 1, 1),
        "checks": checks([D(2025, 3, 3), D(2025, 6, 3), D(2025, 9, 3), D(2025, 12, 3)], "郑冷"),
        "drills": [{"on": D(2025, 4, 22), "participants": 55}],
        "trainings": [{"on": D(2025, 3, 1), "topic": "液氨泄漏应急处置", "participants": 50}],
        "inspections": [
            {
                "on": D(2025, 7, 9),
                "by": "镇安监站",
                "works": ["有限空间", "动火"],
                "findings": "有限空间作业审批单不全",
            }
        ],
    },
    {  # textile: suspended from July (停产), so its duties stop
        "id": code("91150425MA0N00006"),
        "name": "大井毛纺厂",
        "credit_code": code("91150425MA0N00006"),
        "village": "新井村",
        "industry": "textile",
        "grade": "C",
        "principal": {"name": "冯纺"},
        "registered_on": D(2025, 1, 1),
        "states": [{"on": D(2025, 7, 1), "state": "suspended", "reason": "订单不足停产"}],
        "checks": checks([D(2025, 2, 1), D(2025, 4, 1)], "冯纺"),
    },
    {  # other, fire key unit, no credit code: a QY id
        "id": "QY-20250101-SC7M",
        "name": "大井镇中心商场",
        "village": "大井村",
        "industry": "other",
        "grade": "B",
        "flags": ["fire_key_unit"],
        "principal": {"name": "陈商"},
        "registered_on": D(2025, 1, 1),
        "checks": checks([D(2025, 3, 28), D(2025, 6, 28), D(2025, 9, 28)], "陈商"),
        "drills": [{"on": D(2025, 11, 9), "kind": "消防疏散"}],
    },
    {  # gas: dormant (歇业) since March
        "id": code("91150425MA0N00008"),
        "name": "大井燃气供应站",
        "credit_code": code("91150425MA0N00008"),
        "village": "西沟村",
        "industry": "gas",
        "grade": "B",
        "principal": {"name": "褚气"},
        "registered_on": D(2025, 1, 1),
        "states": [{"on": D(2025, 3, 15), "state": "dormant"}],
        "checks": checks([D(2025, 2, 20)], "褚气"),
    },
    {  # transport: deregistered (注销) in June; its file and history stay
        "id": code("91150425MA0N00009"),
        "name": "大井货运有限公司",
        "credit_code": code("91150425MA0N00009"),
        "village": "西沟村",
        "industry": "transport",
        "grade": "A",
        "principal": {"name": "卫运"},
        "registered_on": D(2025, 1, 1),
        "states": [{"on": D(2025, 6, 10), "state": "deregistered", "reason": "企业注销"}],
        "checks": checks(monthly(2025, 5, until=5), "卫运"),
        "certificates": [cert("卫运", "principal", "2022-01-01", "2025-12-31", "运主2022001")],
    },
    {  # metallurgy: registered in July 2025, high-risk; missed nothing yet but no certificate
        "id": code("91150425MA0N00010"),
        "name": "大井铸钢有限公司",
        "credit_code": code("91150425MA0N00010"),
        "village": "东山村",
        "industry": "metallurgy",
        "grade": "A",
        "principal": {"name": "蒋钢"},
        "safety_managers": [{"name": "沈安"}],
        "registered_on": D(2025, 7, 10),
        "checks": checks([D(2025, 8, 5), D(2025, 9, 5), D(2025, 11, 5), D(2025, 12, 5)], "蒋钢"),
        "certificates": [cert("蒋钢", "principal", "2025-08-01", "2028-07-31", "冶主2025001")],
    },
    {  # fireworks: high-risk, nothing recorded at all
        "id": code("91150425MA0N00011"),
        "name": "大井烟花爆竹批发部",
        "credit_code": code("91150425MA0N00011"),
        "village": "西沟村",
        "industry": "fireworks",
        "grade": "A",
        "principal": {"name": "韩花"},
        "registered_on": D(2025, 1, 1),
    },
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.yaml"):
        old.unlink()
    for ent in ENTERPRISES:
        (OUT / f"{ent['id']}.yaml").write_bytes(yamlio.rt_dump_new(ent))


if __name__ == "__main__":
    main()
