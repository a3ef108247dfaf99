"""The form of ``hazard new``, once: its fields as data and how each is typed; and the
registration facts ``hazard edit`` corrects and the 五落实 ``hazard plan`` sets.

Both front ends take their fields from :data:`NEW_FORM`: the command line its options (name,
metavar, help) and the questions it asks on a terminal, ``safeplan serve`` its page (label,
kind, vocabulary). Both build the ``NewHazard`` with ``register.filled_in``, so a form
refuses what the command refuses. ``hazard edit`` and its page take theirs from :data:`CORRECTIONS`,
each fact by the option ``hazard new`` gives it. The module imports nothing heavy: the CLI
reads it to declare its options when it starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from safeplan.problems import N_

#: How a field is typed: a line, several lines, a date (a deadline may lie ahead), the date of a
#: fact (by default today, never after it), or one of a vocabulary's codes.
Kind = Literal["text", "area", "date", "fact_date", "choice"]
#: When a new hazard needs the field: always, as part of its 五落实 (a major hazard's may
#: follow within days, see ``register.missing_fields``), or never.
Need = Literal["always", "plan", ""]


@dataclass(frozen=True)
class FormField:
    """One field of the form: the ``register.NewHazard`` attribute it fills and how each front end
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


#: The fields of ``hazard new``, in the order its help and its page list them: one a row, what
#: it is, then its help on the command line, its label on the page and its question on a
#: terminal.
# fmt: off
NEW_FORM: tuple[FormField, ...] = (
    FormField("title", "--title", need="always",
              help=N_("The hazard, in a line (隐患名称)."),
              label=N_("Title (隐患名称)"), ask=N_("Title (隐患名称)")),
    FormField("level", "--level", kind="choice", metavar="LEVEL", need="always", vocab="level",
              help=N_("major (重大) or general (一般)."),
              label=N_("Level"), ask=N_("Level: major (重大) or general (一般)")),
    FormField("responsible_unit", "--unit", kind="choice", metavar="UNIT", need="always", vocab="unit",
              help=N_("The responsible unit (责任单位), as the plan writes it."),
              label=N_("Responsible unit (责任单位)"),
              ask=N_("Responsible unit (责任单位), as the plan writes it")),
    FormField("source", "--source", kind="choice", metavar="SOURCE", need="always", vocab="source",
              help=N_("How it was found: self-check (企业自查), inspection (部门检查, also a town's or "
                      "village's own sweep), public-report (群众举报), higher-inspection (上级检查)."),
              label=N_("Source"),
              ask=N_("Source: self-check (排查), inspection (检查), public-report (举报), "
                     "higher-inspection (上级检查)")),
    FormField("discovered_on", "--discovered", kind="fact_date", metavar="DATE", need="always",
              help=N_("Discovered on (YYYY-MM-DD). Default: today."),
              label=N_("Discovered on (default: today)"), ask=N_("Discovered on (YYYY-MM-DD)")),
    FormField("description", "--description", kind="area",
              help=N_("A longer description."), label=N_("Description")),
    FormField("basis", "--basis",
              help=N_("判定依据: the clause the level rests on, e.g. 《煤矿重大事故隐患判定标准》第十条."),
              label=N_("Basis (判定依据)")),
    FormField("industry", "--industry",
              help=N_("The industry (行业领域), e.g. 煤矿."), label=N_("Industry")),
    FormField("enterprise", "--enterprise", metavar="NAME",
              help=N_("The enterprise's name."), label=N_("Enterprise")),
    FormField("credit_code", "--credit-code", metavar="CODE",
              help=N_("The enterprise's 统一社会信用代码 (18 characters)."),
              label=N_("Credit code (统一社会信用代码)")),
    FormField("enterprise_address", "--enterprise-address",
              help=N_("The enterprise's address."), label=N_("Enterprise address")),
    FormField("location", "--location", help=N_("Where the hazard is."), label=N_("Location")),
    FormField("found_by", "--found-by", metavar="NAME",
              help=N_("Who found it."), label=N_("Found by")),
    FormField("responsible_person", "--person", metavar="NAME",
              help=N_("The responsible person at the unit."), label=N_("Responsible person")),
    FormField("measures", "--measures", kind="area", need="plan",
              help=N_("五落实: the rectification measures (措施)."),
              label=N_("Measures (措施)"), ask=N_("Rectification measures (整改措施)")),
    FormField("funds", "--funds", need="plan",
              help=N_("五落实: the funds (资金), e.g. 45万元."),
              label=N_("Funds (资金), e.g. 45万元"), ask=N_("Funds (整改资金), e.g. 45万元")),
    FormField("deadline", "--deadline", kind="date", metavar="DATE", need="plan",
              help=N_("五落实: the rectification deadline (时限, YYYY-MM-DD)."),
              label=N_("Deadline (时限)"), ask=N_("Rectification deadline (整改时限, YYYY-MM-DD)")),
    FormField("plan_person", "--plan-person", metavar="NAME", need="plan",
              help=N_("五落实: the person responsible for the rectification (责任)."),
              label=N_("Person responsible for the rectification"),
              ask=N_("Person responsible for the rectification (责任人)")),
    FormField("contingency_plan", "--contingency", kind="area", need="plan",
              help=N_("五落实: the contingency plan (预案)."),
              label=N_("Contingency plan (预案)"), ask=N_("Contingency plan (应急预案)")),
    FormField("id", "--id", metavar="ID", label=None,
              help=N_("Use this id instead of allocating one (e.g. when importing).")),
    FormField("note", "--note", kind="area",
              help=N_("A first note, dated the discovery day."), label=N_("A first note")),
)
# fmt: on

#: Each field by its attribute.
BY_ATTR = {f.attr: f for f in NEW_FORM}
#: Always required, in the order a person is asked for them.
REQUIRED = tuple(f.attr for f in NEW_FORM if f.need == "always")
#: The 五落实: required of a major hazard, but it may come days after registration
#: ('safeplan hazard plan'; rules.plan_within_days); a general hazard needs its deadline.
PLAN_FIELDS = tuple(f.attr for f in NEW_FORM if f.need == "plan")


@dataclass(frozen=True)
class Correction:
    """One registration fact ``hazard edit`` corrects: its record key (dotted for the
    enterprise's), what the command's help and the page say of it, and how the page asks
    for it (a correction left empty changes nothing, so a date has no default)."""

    key: str
    help: str
    label: str
    kind: Literal["text", "date", "choice"] = "text"
    vocab: str | None = None

    @property
    def field(self) -> FormField:
        """The field of ``hazard new`` that gives this fact: a fact has one option."""
        return BY_ATTR[_ATTR_OF_FACT.get(self.key, self.key)]


#: The registration facts a :class:`NewHazard` names otherwise than the record.
_ATTR_OF_FACT = {"enterprise.name": "enterprise", "enterprise.credit_code": "credit_code"}


#: The registration facts of ``hazard edit``, in the order its help lists them.
CORRECTIONS: tuple[Correction, ...] = (
    Correction("title", N_("The corrected title."), N_("Title")),
    Correction("responsible_unit", N_("The corrected responsible unit."), N_("Responsible unit")),
    Correction(
        "responsible_person", N_("The corrected responsible person."), N_("Responsible person")
    ),
    Correction("enterprise.name", N_("The corrected enterprise name."), N_("Enterprise")),
    Correction(
        "enterprise.credit_code",
        N_("The corrected 统一社会信用代码."),
        N_("Credit code (统一社会信用代码)"),
    ),
    Correction("location", N_("The corrected location."), N_("Location")),
    Correction("industry", N_("The corrected industry."), N_("Industry")),
    Correction("description", N_("The corrected description."), N_("Description")),
    Correction("basis", N_("The corrected 判定依据."), N_("Basis (判定依据)")),
    Correction(
        "level",
        N_("The corrected level: major (重大) or general (一般); needs --reason."),
        N_("Level"),
        "choice",
        "level",
    ),
    Correction("source", N_("The corrected source (隐患来源)."), N_("Source"), "choice", "source"),
    Correction(
        "discovered_on", N_("The corrected discovery date (发现日期)."), N_("Discovered on"), "date"
    ),
    Correction("found_by", N_("The corrected finder (发现人)."), N_("Found by")),
)


#: The registration facts a correction may change, in the order they are corrected (and
#: recorded), with the option (or form field) that gives each: ``hazard edit`` and the
#: web's 更正 form.
_FACTS = {c.key: c for c in CORRECTIONS}
REGISTRATION_OPTIONS = {
    key: _FACTS[key].field.option
    for key in (
        "level",
        "source",
        "discovered_on",
        "found_by",
        "title",
        "responsible_unit",
        "responsible_person",
        "enterprise.name",
        "enterprise.credit_code",
        "location",
        "industry",
        "description",
        "basis",
    )
}


@dataclass(frozen=True)
class PlanPart:
    """One part of the 五落实 ``hazard plan`` adds or revises: its ``PlanFields`` attribute,
    the field of ``hazard new`` that gives it (option, metavar, kind), the command's help and
    the page's label."""

    attr: str
    new: str
    help: str
    label: str

    @property
    def field(self) -> FormField:
        return BY_ATTR[self.new]


#: The 五落实 of ``hazard plan``, in the order its help and its page list them.
# fmt: off
PLAN_PARTS: tuple[PlanPart, ...] = (
    PlanPart("measures", "measures", N_("The rectification measures (整改措施)."), N_("Measures (措施)")),
    PlanPart("funds", "funds", N_("The funds (整改资金), e.g. 45万元."), N_("Funds (资金), e.g. 45万元")),
    PlanPart("deadline", "deadline", N_("The rectification deadline (整改时限)."), N_("Deadline (时限)")),
    PlanPart("responsible_person", "plan_person",
             N_("The person responsible for the rectification (整改责任人)."), N_("Person responsible (责任)")),
    PlanPart("contingency_plan", "contingency_plan",
             N_("The contingency plan (应急预案)."), N_("Contingency plan (预案)")),
)
# fmt: on


#: The options of ``hazard plan``, by ``PlanFields`` attribute: what a message names.
PLAN_OPTIONS = {p.attr: p.field.option for p in PLAN_PARTS}


@dataclass
class PlanFields:
    """The 五落实 given to ``hazard plan``; None is 'not given' (keep what the plan says)."""

    measures: str | None = None
    funds: str | None = None
    deadline: dt.date | None = None
    responsible_person: str | None = None
    contingency_plan: str | None = None

    def given(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def plan_given(values: Mapping[str, str | None]) -> PlanFields:
    """The 五落实 a filled-in ``hazard plan`` gives (``values`` by ``PlanFields`` attribute;
    None: left empty, kept as the plan says), its deadline read as a date."""
    from safeplan.edit.typed import parse_date

    given = PlanFields()
    for part in PLAN_PARTS:
        value = values.get(part.attr)
        typed = (
            value
            if value is None or part.field.kind != "date"
            else parse_date(value, part.field.option)
        )
        setattr(given, part.attr, typed)
    return given


def typed(f: FormField, value: str | None, today: dt.date) -> str | dt.date | None:
    """What was typed into one field, read as the field's kind (a date refused clearly)."""
    from safeplan.edit.typed import fact_date, parse_date

    if f.kind == "fact_date":
        return fact_date(value, f.option, today)
    return parse_date(value, f.option) if f.kind == "date" and value is not None else value
