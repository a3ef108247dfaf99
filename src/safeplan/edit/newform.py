"""The form of ``hazard new``, once: its fields as data, and the :class:`NewHazard` a filled-in
form makes.

Both front ends take their fields from :data:`NEW_FORM`: the command line its options (name,
metavar, help) and the questions it asks on a terminal, ``safeplan serve`` its page (label,
kind, vocabulary). Both build the :class:`NewHazard` with :func:`filled_in`, so a form refuses
what the command refuses. The module imports nothing heavy: the CLI reads it to declare its
options when it starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from safeplan.problems import N_

#: How a field is typed: a line, several lines, a date (a deadline may lie ahead), the date of a
#: fact (by default today, never after it), or one of a vocabulary's codes.
Kind = Literal["text", "area", "date", "fact_date", "choice"]
#: When a new hazard needs the field: always, as part of its 五落实 (a major hazard's may
#: follow within days, see ``register.missing_fields``), or never.
Need = Literal["always", "plan", ""]


@dataclass(frozen=True)
class FormField:
    """One field of the form: the :class:`NewHazard` attribute it fills and how each front end
    shows it."""

    attr: str
    option: str
    help: str
    #: The web page's label (None: the page does not offer it).
    label: str | None
    kind: Kind = "text"
    metavar: str = "TEXT"
    need: Need = ""
    #: What a terminal asks for a needed field that is missing.
    ask: str | None = None
    #: The vocabulary a choice offers (its codes, shown by their labels).
    vocab: str | None = None


#: The fields of ``hazard new``, in the order its help and its page list them.
NEW_FORM: tuple[FormField, ...] = (
    FormField(
        "title",
        "--title",
        N_("The hazard, in a line (隐患名称)."),
        N_("Title (隐患名称)"),
        need="always",
        ask=N_("Title (隐患名称)"),
    ),
    FormField(
        "level",
        "--level",
        N_("major (重大) or general (一般)."),
        N_("Level"),
        kind="choice",
        metavar="LEVEL",
        need="always",
        ask=N_("Level: major (重大) or general (一般)"),
        vocab="level",
    ),
    FormField(
        "responsible_unit",
        "--unit",
        N_("The responsible unit (责任单位), as the plan writes it."),
        N_("Responsible unit (责任单位)"),
        kind="choice",
        metavar="UNIT",
        need="always",
        ask=N_("Responsible unit (责任单位), as the plan writes it"),
        vocab="unit",
    ),
    FormField(
        "source",
        "--source",
        N_(
            "How it was found: self-check (企业自查), inspection (部门检查, also a town's or "
            "village's own sweep), public-report (群众举报), higher-inspection (上级检查)."
        ),
        N_("Source"),
        kind="choice",
        metavar="SOURCE",
        need="always",
        ask=N_(
            "Source: self-check (排查), inspection (检查), public-report (举报), higher-inspection (上级检查)"
        ),
        vocab="source",
    ),
    FormField(
        "discovered_on",
        "--discovered",
        N_("Discovered on (YYYY-MM-DD). Default: today."),
        N_("Discovered on (default: today)"),
        kind="fact_date",
        metavar="DATE",
        need="always",
        ask=N_("Discovered on (YYYY-MM-DD)"),
    ),
    FormField(
        "description", "--description", N_("A longer description."), N_("Description"), kind="area"
    ),
    FormField(
        "basis",
        "--basis",
        N_("判定依据: the clause the level rests on, e.g. 《煤矿重大事故隐患判定标准》第十条."),
        N_("Basis (判定依据)"),
    ),
    FormField("industry", "--industry", N_("The industry (行业领域), e.g. 煤矿."), N_("Industry")),
    FormField(
        "enterprise", "--enterprise", N_("The enterprise's name."), N_("Enterprise"), metavar="NAME"
    ),
    FormField(
        "credit_code",
        "--credit-code",
        N_("The enterprise's 统一社会信用代码 (18 characters)."),
        N_("Credit code (统一社会信用代码)"),
        metavar="CODE",
    ),
    FormField(
        "enterprise_address",
        "--enterprise-address",
        N_("The enterprise's address."),
        N_("Enterprise address"),
    ),
    FormField("location", "--location", N_("Where the hazard is."), N_("Location")),
    FormField("found_by", "--found-by", N_("Who found it."), N_("Found by"), metavar="NAME"),
    FormField(
        "responsible_person",
        "--person",
        N_("The responsible person at the unit."),
        N_("Responsible person"),
        metavar="NAME",
    ),
    FormField(
        "measures",
        "--measures",
        N_("五落实: the rectification measures (措施)."),
        N_("Measures (措施)"),
        kind="area",
        need="plan",
        ask=N_("Rectification measures (整改措施)"),
    ),
    FormField(
        "funds",
        "--funds",
        N_("五落实: the funds (资金), e.g. 45万元."),
        N_("Funds (资金), e.g. 45万元"),
        need="plan",
        ask=N_("Funds (整改资金), e.g. 45万元"),
    ),
    FormField(
        "deadline",
        "--deadline",
        N_("五落实: the rectification deadline (时限, YYYY-MM-DD)."),
        N_("Deadline (时限)"),
        kind="date",
        metavar="DATE",
        need="plan",
        ask=N_("Rectification deadline (整改时限, YYYY-MM-DD)"),
    ),
    FormField(
        "plan_person",
        "--plan-person",
        N_("五落实: the person responsible for the rectification (责任)."),
        N_("Person responsible for the rectification"),
        metavar="NAME",
        need="plan",
        ask=N_("Person responsible for the rectification (责任人)"),
    ),
    FormField(
        "contingency_plan",
        "--contingency",
        N_("五落实: the contingency plan (预案)."),
        N_("Contingency plan (预案)"),
        kind="area",
        need="plan",
        ask=N_("Contingency plan (应急预案)"),
    ),
    FormField(
        "id",
        "--id",
        N_("Use this id instead of allocating one (e.g. when importing)."),
        None,
        metavar="ID",
    ),
    FormField(
        "note",
        "--note",
        N_("A first note, dated the discovery day."),
        N_("A first note"),
        kind="area",
    ),
)

#: Each field by its attribute.
BY_ATTR = {f.attr: f for f in NEW_FORM}
#: Always required, in the order a person is asked for them.
REQUIRED = tuple(f.attr for f in NEW_FORM if f.need == "always")
#: The 五落实: required of a major hazard, but it may come days after registration
#: ('safeplan hazard plan'; rules.plan_within_days); a general hazard needs its deadline.
PLAN_FIELDS = tuple(f.attr for f in NEW_FORM if f.need == "plan")


@dataclass
class NewHazard:
    """The fields of ``hazard new``; ``None`` is 'not given'."""

    title: str | None = None
    level: str | None = None
    responsible_unit: str | None = None
    source: str | None = None
    discovered_on: dt.date | None = None
    description: str | None = None
    basis: str | None = None
    industry: str | None = None
    enterprise: str | None = None
    credit_code: str | None = None
    enterprise_address: str | None = None
    location: str | None = None
    found_by: str | None = None
    responsible_person: str | None = None
    measures: str | None = None
    funds: str | None = None
    deadline: dt.date | None = None
    plan_person: str | None = None
    contingency_plan: str | None = None
    id: str | None = None
    note: str | None = None


def typed(f: FormField, value: str | None, today: dt.date) -> str | dt.date | None:
    """What was typed into one field, read as the field's kind (a date refused clearly)."""
    from safeplan.edit.typed import fact_date, parse_date

    if f.kind == "fact_date":
        return fact_date(value, f.option, today)
    return parse_date(value, f.option) if f.kind == "date" and value is not None else value


def filled_in(values: Mapping[str, str | None], today: dt.date) -> NewHazard:
    """The new hazard a filled-in form gives (``values`` by attribute; None: left empty).

    The discovery day is today unless given; each date is read in the form's order, so a
    form and the command refuse the same first mistake."""
    new = NewHazard()
    for f in NEW_FORM:
        setattr(new, f.attr, typed(f, values.get(f.attr), today))
    return new
