"""The enterprise forms: registering an enterprise, and a verb for every fact of its
record (inspections, training, drills, its state), each the command line's edit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from safeplan.problems import N_

if TYPE_CHECKING:  # the edits are imported when a form is sent, not when a page is shown
    from safeplan.edit.transaction import EditResult

from safeplan.web.forms_base import BY, FILES, NOTE, ON, Build, Field, Request, Verb, _verbs


def _many(value: str | None) -> list[str]:
    """A list typed in one field (the command line repeats the option): 动火、有限空间."""
    text = value or ""
    for sep in "、，,；;/":
        text = text.replace(sep, " ")
    return text.split()


def _people(r: Request, name: str, option: str) -> int | None:
    value = r.get(name)
    if value is None:
        return None
    if not value.isdigit():
        from safeplan.errors import UsageError

        raise UsageError(N_("'{value}' is not a number of people"), value=value, option=option)
    return int(value)


def new_enterprise(r: Request) -> EditResult:
    from safeplan.edit.enterprises import NewEnterprise, new_enterprise

    new = NewEnterprise(
        name=r.get("name"),
        industry=r.get("industry"),
        registered_on=r.fact_day(),
        credit_code=r.get("credit_code"),
        address=r.get("address"),
        village=r.get("village"),
        grade=r.get("grade"),
        flags=_many(r.get("flags")),
        principal=r.get("principal"),
        principal_phone=r.get("phone"),
        safety_managers=_many(r.get("safety_managers")),
        employees=_people(r, "employees", "--employees"),
        department=r.get("department"),
    )
    return new_enterprise(r.root, new, write=False)


def _fact_value(r: Request, key: str) -> object:
    """One value of a dated fact as the form gives it: a list typed in one field (the
    command repeats --hazard, --work), a number of people, the files sent, or the text."""
    if key == "evidence":
        return list(r.evidence)
    if key in ("hazards", "works"):
        return _many(r.get(key))
    if key == "participants":
        return _people(r, key, "--participants")
    return r.get(key)


def _fact(kind: str, *keys: str) -> Build:
    """A dated fact (``enterprise check|drill|train|certify|inspect``) of the form's values
    ``keys``, in the order the command records them, through the same ``add_fact`` (and
    its ``fact_values`` checks) as the command."""

    def build(r: Request) -> EditResult:
        from safeplan.edit.enterprises import add_fact, fact_values

        given = {key: _fact_value(r, key) for key in keys}
        fact_values(kind, given)  # what the fact needs, refused before the date is read
        return add_fact(r.root, r.subject, kind, r.fact_day(), given, write=False)

    return build


def _state(r: Request) -> EditResult:
    from safeplan.edit.enterprises import set_state

    state = r.need("state", "--state")
    day = r.fact_day()
    return set_state(r.root, r.subject, state, day, r.get("reason"), r.get("by"), write=False)


def _deregister(r: Request) -> EditResult:
    from safeplan.edit.enterprises import set_state

    day = r.fact_day()
    return set_state(
        r.root, r.subject, "deregistered", day, r.get("reason"), r.get("by"), write=False
    )


NEW_ENTERPRISE_FIELDS: tuple[Field, ...] = (
    Field("name", "--name", N_("Name"), required=True),
    Field("industry", "--industry", N_("Industry"), "choice", True, "industry"),
    Field("on", "--on", N_("Registered on (default: today)"), "fact_date"),
    Field("credit_code", "--credit-code", N_("Credit code (统一社会信用代码)")),
    Field("address", "--address", N_("Address")),
    Field("village", "--village", N_("Village")),
    Field("grade", "--grade", N_("Grade"), "choice", vocab="grade"),
    Field("flags", "--flag", N_("Scenarios (粉尘涉爆 …, separated by 、)")),
    Field("principal", "--principal", N_("Principal")),
    Field("phone", "--phone", N_("Principal's phone")),
    Field("safety_managers", "--safety-manager", N_("Safety managers (separated by 、)")),
    Field("employees", "--employees", N_("Employees")),
    Field("department", "--department", N_("Department")),
)

PARTICIPANTS = Field("participants", "--participants", N_("Participants (人数)"))
ENT_HAZARDS = Field(
    "hazards", "--hazard", N_("Hazards found (their ids, separated by 、 or spaces)")
)

NEW_ENTERPRISE = Verb(
    "new",
    N_("登记企业 (register an enterprise)"),
    NEW_ENTERPRISE_FIELDS,
    new_enterprise,
    "enterprise new",
)

ENTERPRISE_VERBS = _verbs(
    "enterprise",
    Verb(
        "check",
        N_("带队检查 (check led by the principal)"),
        (
            Field("led_by", "--led-by", N_("Led by (the principal)"), required=True),
            ON,
            ENT_HAZARDS,
            NOTE,
            FILES,
        ),
        _fact("check", "led_by", "hazards", "note", "evidence"),
    ),
    Verb(
        "drill",
        N_("演练 (drill)"),
        (
            ON,
            Field("kind", "--kind", N_("Kind of drill (疏散逃生, 消防 …)")),
            PARTICIPANTS,
            NOTE,
            FILES,
        ),
        _fact("drill", "kind", "participants", "note", "evidence"),
    ),
    Verb(
        "train",
        N_("培训 (training)"),
        (
            Field("topic", "--topic", N_("Topic (培训内容)"), required=True),
            ON,
            PARTICIPANTS,
            NOTE,
            FILES,
        ),
        _fact("training", "topic", "participants", "note", "evidence"),
    ),
    Verb(
        "certify",
        N_("持证 (certificate)"),
        (
            Field("person", "--person", N_("Holder (持证人)"), required=True),
            Field("role", "--role", N_("Role"), "choice", True, "certificate role"),
            Field("valid_until", "--valid-until", N_("Valid until (有效期至)"), "date", True),
            ON,
            Field("kind", "--kind", N_("Kind of certificate")),
            Field("number", "--number", N_("Certificate number")),
        ),
        _fact("certificate", "person", "role", "kind", "number", "valid_until"),
    ),
    Verb(
        "inspect",
        N_("执法检查 (town inspection)"),
        (
            Field("by", "--by", N_("Inspected by (unit or people)"), required=True),
            ON,
            Field("works", "--work", N_("Kinds of work looked at (动火, 有限空间 …)")),
            Field("findings", "--findings", N_("Findings (发现的问题)"), "area"),
            ENT_HAZARDS,
            FILES,
        ),
        _fact("inspection", "by", "works", "findings", "hazards", "evidence"),
    ),
    Verb(
        "state",
        N_("状态 (停产, 歇业, 在营 again)"),
        (
            Field("state", "--state", N_("State"), "choice", True, "enterprise state"),
            ON,
            Field("reason", "--reason", N_("Why"), "area"),
            BY,
        ),
        _state,
    ),
    Verb(
        "close",
        N_("注销 (deregistered)"),
        (ON, Field("reason", "--reason", N_("Why"), "area"), BY),
        _deregister,
    ),
)
