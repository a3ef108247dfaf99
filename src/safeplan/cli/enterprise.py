"""``safeplan enterprise new|edit|list|show|close|state|duties`` and the dated facts
``check|drill|train|certify|inspect``.

Each command parses what only the command line knows, calls one core function (a view
in ``views/enterprises.py`` or an edit in ``edit/enterprises.py``), prints, and returns
its exit code."""

from __future__ import annotations

from typing import Annotated, Any

from safeplan.cli.editing import on_date
from safeplan.cli.options import (
    EDIT,
    EVIDENCE,
    READ,
    Call,
    NoteOpt,
    OnOpt,
    argument,
    command,
    flag,
    opt,
    option,
)
from safeplan.problems import N_

IdArg = Annotated[
    str,
    argument(N_("The enterprise: its id (credit code), or its name as registered."), "ENTERPRISE"),
]


IndustryOpt = Annotated[
    str | None,
    opt(
        N_(
            "监管行业: metallurgy, nonferrous, building_materials, machinery, light_industry, "
            "textile, tobacco, mining, construction, gas, special_equipment, fire, chemicals, "
            "fireworks, transport, other (also 冶金, 矿山, 危化品 …)."
        ),
        "--industry",
        "INDUSTRY",
    ),
]
GradeOpt = Annotated[
    str | None, opt(N_("分级分类 grade, one of plan.yaml's grades."), "--grade", "GRADE")
]
VillageOpt = Annotated[str | None, opt(N_("村/社区."), "--village", "VILLAGE")]
ByOpt = Annotated[str | None, opt(N_("Who recorded it."), "--by", "NAME")]
AddressOpt = Annotated[str | None, opt(N_("Address."), "--address")]
EmployeesOpt = Annotated[int | None, option(N_("Number of employees."), "--employees", metavar="N")]
DepartmentOpt = Annotated[str | None, opt(N_("行业主管部门."), "--department")]
ParticipantsOpt = Annotated[
    int | None, option(N_("How many took part."), "--participants", metavar="N")
]


@command(READ)
def enterprise_list(
    c: Call,
    industry: IndustryOpt = None,
    grade: GradeOpt = None,
    village: VillageOpt = None,
    high_risk: Annotated[
        bool | None,
        option(
            N_("Only high-risk (高危行业) enterprises, or with --not-high-risk only the others."),
            "--high-risk/--not-high-risk",
        ),
    ] = None,
    state: Annotated[
        str | None,
        opt(
            N_("operating, suspended, dormant or deregistered (also 在营, 注销 …)."),
            "--state",
            "STATE",
        ),
    ] = None,
    behind: Annotated[bool, flag(N_("Only those behind on a duty."), "--behind")] = False,
    duty: Annotated[
        str | None, opt(N_("Only those a duty (its id) binds."), "--duty", "DUTY")
    ] = None,
    search: Annotated[
        str | None, opt(N_("Words to find in the id, name, village or principal."), "--search")
    ] = None,
) -> int:
    from safeplan import vocab
    from safeplan.rules.hints import coded
    from safeplan.views.enterprises import Filters, enterprise_list

    filters = Filters(
        industry=coded(vocab.INDUSTRY, industry, "--industry") if industry else None,
        grade=grade,
        village=village,
        high_risk=high_risk,
        state=coded(vocab.ENTERPRISE_STATE, state, "--state") if state else None,
        behind=behind,
        duty=duty,
        words=search.split() if search else [],
    )
    repo = c.repo()
    view = enterprise_list(repo, c.as_of, filters)
    if view.enterprises or c.json:
        c.show(view, "enterprises:enterprise_listing")
    else:
        c.echo(c.tr(N_("no enterprises match")))
    return c.finish(repo)


@command(READ)
def enterprise_show(c: Call, enterprise: IdArg) -> int:
    from safeplan.views.enterprises import enterprise_detail

    return c.answer(
        lambda repo, day: enterprise_detail(repo, enterprise, day), "enterprises:enterprise_detail"
    )


@command(READ)
def enterprise_duties(c: Call) -> int:
    from safeplan.views.enterprises import duties_view

    return c.answer(duties_view, "enterprises:duties_listing")


@command(EDIT)
def enterprise_new(
    c: Call,
    name: Annotated[str | None, opt(N_("The enterprise's name."), "--name", "NAME")] = None,
    industry: IndustryOpt = None,
    on: Annotated[
        str | None, opt(N_("Registered in the plan from (default: today)."), "--on", "DATE")
    ] = None,
    credit_code: Annotated[
        str | None,
        opt(N_("统一社会信用代码 (18 characters): it becomes the id."), "--credit-code", "CODE"),
    ] = None,
    address: AddressOpt = None,
    village: VillageOpt = None,
    grade: GradeOpt = None,
    flags: Annotated[
        list[str] | None,
        opt(
            N_(
                "A scenario: dust_explosion, ammonia_refrigeration, confined_space, "
                "fire_key_unit (also 粉尘涉爆 …); repeat for several."
            ),
            "--flag",
            "FLAG",
        ),
    ] = None,
    high_risk: Annotated[
        bool | None,
        option(
            N_("Set 高危行业 against what the industry says (needs --high-risk-reason)."),
            "--high-risk/--not-high-risk",
        ),
    ] = None,
    high_risk_reason: Annotated[
        str | None, opt(N_("Why 高危行业 differs from the industry."), "--high-risk-reason")
    ] = None,
    principal: Annotated[str | None, opt(N_("主要负责人."), "--principal", "NAME")] = None,
    phone: Annotated[str | None, opt(N_("The principal's phone."), "--phone", "PHONE")] = None,
    safety_managers: Annotated[
        list[str] | None,
        opt(N_("安全管理人员; repeat for several."), "--safety-manager", "NAME"),
    ] = None,
    employees: EmployeesOpt = None,
    department: DepartmentOpt = None,
    enterprise_id: Annotated[
        str | None, opt(N_("An id, for an enterprise without a credit code."), "--id", "ID")
    ] = None,
) -> None:
    from safeplan.edit.enterprises import NewEnterprise, new_enterprise

    new = NewEnterprise(
        name=name,
        industry=industry,
        registered_on=on_date(c.session, on),
        credit_code=credit_code,
        address=address,
        village=village,
        grade=grade,
        flags=flags or [],
        high_risk=high_risk,
        high_risk_reason=high_risk_reason,
        principal=principal,
        principal_phone=phone,
        safety_managers=safety_managers or [],
        employees=employees,
        department=department,
        id=enterprise_id,
    )
    c.edit(lambda: new_enterprise(c.root, new, write=False))


@command(EDIT)
def enterprise_edit(
    c: Call,
    enterprise: IdArg,
    name: Annotated[str | None, opt(N_("The corrected name."), "--name", "NAME")] = None,
    credit_code: Annotated[
        str | None, opt(N_("统一社会信用代码."), "--credit-code", "CODE")
    ] = None,
    address: AddressOpt = None,
    village: VillageOpt = None,
    industry: IndustryOpt = None,
    grade: GradeOpt = None,
    employees: EmployeesOpt = None,
    department: DepartmentOpt = None,
    on: OnOpt = None,
    by: ByOpt = None,
    reason: Annotated[str | None, opt(N_("Why it is corrected."), "--reason")] = None,
) -> None:
    from safeplan.edit.enterprises import correct

    values = {
        k: v
        for k, v in (
            ("name", name),
            ("credit_code", credit_code),
            ("address", address),
            ("village", village),
            ("industry", industry),
            ("grade", grade),
            ("employees", None if employees is None else str(employees)),
            ("department", department),
        )
        if v is not None
    }
    day = on_date(c.session, on)
    c.edit(lambda: correct(c.root, enterprise, values, day, by, reason, write=False))


@command(EDIT)
def enterprise_state(
    c: Call,
    enterprise: IdArg,
    state: Annotated[
        str,
        argument(
            N_("operating, suspended, dormant or deregistered (在营, 停产, 歇业, 注销)."), "STATE"
        ),
    ],
    on: OnOpt = None,
    reason: Annotated[str | None, opt(N_("Why."), "--reason")] = None,
    by: ByOpt = None,
) -> None:
    _state(c, enterprise, state, on, reason, by)


@command(EDIT)
def enterprise_close(
    c: Call,
    enterprise: IdArg,
    on: OnOpt = None,
    reason: Annotated[str | None, opt(N_("Why (注销, 关闭 …)."), "--reason")] = None,
    by: ByOpt = None,
) -> None:
    _state(c, enterprise, "deregistered", on, reason, by)


def _state(
    c: Call, enterprise: str, state: str, on: str | None, reason: str | None, by: str | None
) -> None:
    """``enterprise state`` and ``enterprise close`` (which is ``state deregistered``)."""
    from safeplan.edit.enterprises import set_state

    day = on_date(c.session, on)
    c.edit(lambda: set_state(c.root, enterprise, state, day, reason, by, write=False))


def _fact(c: Call, enterprise: str, kind: str, on: str | None, values: dict[str, Any]) -> None:
    from safeplan.edit.enterprises import add_fact, fact_values

    fact_values(kind, values)  # what the fact needs, refused before the date is read
    day = on_date(c.session, on)
    c.edit(lambda: add_fact(c.root, enterprise, kind, day, values, write=False))


HazardsOpt = Annotated[
    list[str] | None,
    opt(N_("A hazard found, by its id; repeat for several."), "--hazard", "ID"),
]


@command(EDIT, EVIDENCE)
def enterprise_check(
    c: Call,
    enterprise: IdArg,
    led_by: Annotated[
        str | None, opt(N_("Who led it (the principal)."), "--led-by", "NAME")
    ] = None,
    on: OnOpt = None,
    hazards: HazardsOpt = None,
    note: NoteOpt = None,
) -> None:
    _fact(
        c,
        enterprise,
        "check",
        on,
        {"led_by": led_by, "hazards": hazards or [], "note": note, "evidence": c.evidence},
    )


@command(EDIT, EVIDENCE)
def enterprise_drill(
    c: Call,
    enterprise: IdArg,
    on: OnOpt = None,
    kind: Annotated[str | None, opt(N_("What kind of drill (疏散逃生, 消防 …)."), "--kind")] = None,
    participants: ParticipantsOpt = None,
    note: NoteOpt = None,
) -> None:
    _fact(
        c,
        enterprise,
        "drill",
        on,
        {"kind": kind, "participants": participants, "note": note, "evidence": c.evidence},
    )


@command(EDIT, EVIDENCE)
def enterprise_train(
    c: Call,
    enterprise: IdArg,
    topic: Annotated[str | None, opt(N_("What the training was."), "--topic")] = None,
    on: OnOpt = None,
    participants: ParticipantsOpt = None,
    note: NoteOpt = None,
) -> None:
    _fact(
        c,
        enterprise,
        "training",
        on,
        {"topic": topic, "participants": participants, "note": note, "evidence": c.evidence},
    )


@command(EDIT)
def enterprise_certify(
    c: Call,
    enterprise: IdArg,
    person: Annotated[str | None, opt(N_("Whose certificate."), "--person", "NAME")] = None,
    role: Annotated[
        str | None,
        opt(
            N_("principal, safety_manager or special_operator (also 主要负责人, 安全管理人员 …)."),
            "--role",
            "ROLE",
        ),
    ] = None,
    valid_until: Annotated[
        str | None, opt(N_("The last day it is valid."), "--valid-until", "DATE")
    ] = None,
    on: OnOpt = None,
    kind: Annotated[str | None, opt(N_("The certificate's kind."), "--kind")] = None,
    number: Annotated[str | None, opt(N_("The certificate's number."), "--number")] = None,
) -> None:
    _fact(
        c,
        enterprise,
        "certificate",
        on,
        {
            "person": person,
            "role": role,
            "kind": kind,
            "number": number,
            "valid_until": valid_until,
        },
    )


@command(EDIT, EVIDENCE)
def enterprise_inspect(
    c: Call,
    enterprise: IdArg,
    by: Annotated[str | None, opt(N_("Who inspected (unit or people)."), "--by", "NAME")] = None,
    on: OnOpt = None,
    works: Annotated[
        list[str] | None,
        opt(
            N_("A kind of work looked at (动火, 有限空间, 高处作业, 临时用电 …); repeat."), "--work"
        ),
    ] = None,
    findings: Annotated[str | None, opt(N_("What was found."), "--findings")] = None,
    hazards: HazardsOpt = None,
) -> None:
    _fact(
        c,
        enterprise,
        "inspection",
        on,
        {
            "by": by,
            "works": works or [],
            "findings": findings,
            "hazards": hazards or [],
            "evidence": c.evidence,
        },
    )


@command(EDIT)
def enterprise_link(c: Call) -> None:
    from safeplan.edit.link import NameMismatch, link

    found: list[NameMismatch] = []

    def compute() -> Any:
        result, warnings = link(c.root, write=False)
        found.extend(warnings)
        return result

    c.edit(compute)
    for w in found:
        c.echo(
            c.tr(
                N_(
                    "warning: credit code {code} is registered as {registered} ({path}); the "
                    "hazards name it {name}: linked by the code — correct one of the names"
                )
            ).format(code=w.code, registered=w.registered_name, path=w.path, name=w.hazard_name),
            err=True,
        )


@command(EDIT)
def enterprise_import(
    c: Call,
    file: Annotated[str, argument(N_("The office's list: .xlsx or .csv (UTF-8)."), "FILE")],
    sheet: Annotated[
        str | None,
        opt(N_("The sheet to read (default: the first with headings)."), "--sheet", "NAME"),
    ] = None,
    on: Annotated[
        str | None,
        opt(
            N_("Registered in the plan from, where the list has no such column (default: today)."),
            "--on",
            "DATE",
        ),
    ] = None,
) -> None:
    from pathlib import Path

    from safeplan.edit.transaction import EditResult, FileChange
    from safeplan.importers.enterprise_list import import_enterprises

    day = on_date(c.session, on)

    def compute() -> EditResult:
        files, rows = import_enterprises(c.root, Path(file), file, day, sheet)
        return EditResult(
            c.root,
            tuple(FileChange(c.root / rel, rel, None, data) for rel, data in files.items()),
            N_("{file}: {n} enterprises imported"),
            {"file": file, "n": rows},
            f"企业：导入 {file}（{rows} 家）",
            "enterprises",
        )

    c.edit(compute)
