"""Rules on a major hazard's 判定依据 (basis), against the 判定标准 catalog.

They run across files: the catalog is the shipped one plus the plan's plan/criteria.yaml,
and whether a missing basis is an error depends on plan/plan.yaml's rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING

from safeplan.models.summary import HazardSummary
from safeplan.problems import N_, Coded, Finding, ListOf
from safeplan.rules.cross import FileFinding
from safeplan.vocab import INDUSTRY

if TYPE_CHECKING:  # the catalog is read when a hazard cites a basis, not before
    from safeplan.criteria.catalog import Catalog, Resolved, Unresolved

#: The code of the warning for a major hazard without a basis (``rules.hazards``, within
#: the record): the cross-file rules turn it into an error from the plan's
#: ``rules.basis_required_from``. Here, so the snapshot needs no rule of the hazard record.
BASIS_MISSING = "basis-missing"

#: The industry code of a hazard's enterprise: today the hazard's own ``industry`` read as
#: a word of vocab.INDUSTRY; an enterprise record can answer instead when it has one.
IndustryOf = Callable[[HazardSummary], str | None]


@cache
def _industry(word: str) -> str | None:
    return INDUSTRY.lookup(word)


def hazard_industry(h: HazardSummary) -> str | None:
    return _industry(h.industry) if h.industry else None


def check_basis(
    hazards: Iterable[HazardSummary],
    catalog_of: Callable[[], Catalog],
    required_from: dt.date | None,
    industry_of: IndustryOf = hazard_industry,
) -> list[FileFinding]:
    """Each major hazard's basis resolved in the catalog, in force on its discovery day,
    covering its industry; without a basis, an error from ``required_from``.

    The catalog is asked of ``catalog_of`` when a hazard first cites a basis: a plan whose
    hazards cite none (a new plan, ``status`` on the shipped one) never reads it."""
    out: list[FileFinding] = []
    catalog: Catalog | None = None
    memo: dict[str, Resolved | Unresolved | None] = {}
    #: Hazards citing the same basis, found the same day, in the same industry: one answer.
    seen: dict[tuple[str, dt.date, str | None], list[Finding]] = {}
    for h in hazards:
        if h.level != "major":
            continue
        if h.basis is None:
            if (
                required_from is not None
                and h.discovered_on >= required_from
                and not h.withdrawn_on
            ):
                out.append(FileFinding(h.path, _required(required_from)))
            continue
        if catalog is None:
            catalog = catalog_of()
        if h.basis not in memo:
            memo[h.basis] = catalog.resolve(h.basis)
        key = (h.basis, h.discovered_on, industry_of(h))
        if key not in seen:
            seen[key] = _findings(h, memo[h.basis], catalog, industry_of)
        out += [FileFinding(h.path, f) for f in seen[key]]
    return out


def _required(day: dt.date) -> Finding:
    return Finding(
        ("level",),
        "basis-required",
        N_(
            "a major hazard found from {day} needs its 判定依据 (basis): cite the 判定标准 "
            "item that makes it major (plan/plan.yaml rules: basis_required_from), e.g. "
            "basis: 应急管理部令第10号第三条第（二）项"
        ),
        {"day": day},
    )


def _findings(
    h: HazardSummary,
    found: Resolved | Unresolved | None,
    catalog: Catalog,
    industry_of: IndustryOf,
) -> list[Finding]:
    path = ("basis",)
    if found is None:
        return [
            Finding(
                path,
                "basis-not-cited",
                N_(
                    "basis '{basis}' does not cite a 判定标准 item: write the document's "
                    "number and the item, e.g. 应急管理部令第10号第三条第（二）项 or "
                    "建质规〔2024〕5号第十一条 ('safeplan criteria list' shows the catalog)"
                ),
                {"basis": h.basis},
                severity="warning",
            )
        ]
    from safeplan.criteria.catalog import Unresolved

    if isinstance(found, Unresolved):
        return [Finding(path, found.code, found.template, found.params)]
    doc = found.document
    out: list[Finding] = []
    newer = catalog.replacement(doc, h.discovered_on)
    if newer is not None:
        out.append(
            Finding(
                path,
                "criterion-superseded",
                N_(
                    "basis cites {document}, which {replacement} ({title}) replaced from "
                    "{on}, before this hazard was found ({found}): cite the item of "
                    "{replacement}"
                ),
                {
                    "document": doc.number,
                    "replacement": newer.number,
                    "title": newer.title,
                    "on": newer.in_force,
                    "found": h.discovered_on,
                },
            )
        )
    elif doc.in_force is not None and h.discovered_on < doc.in_force:
        out.append(
            Finding(
                path,
                "criterion-not-in-force",
                N_(
                    "basis cites {document}, in force from {on}, after this hazard was found "
                    "({found}): cite the document in force on that day"
                ),
                {"document": doc.number, "on": doc.in_force, "found": h.discovered_on},
                severity="warning",
            )
        )
    industry = industry_of(h)
    if industry is not None and doc.industries and industry not in doc.industries:
        out.append(
            Finding(
                path,
                "criterion-industry",
                N_(
                    "basis cites {document}, which covers {industries}, not this hazard's "
                    "industry ({industry}): check the citation or the industry"
                ),
                {
                    "document": doc.number,
                    "industries": ListOf(Coded("industry", c) for c in doc.industries),
                    "industry": h.industry,
                },
                severity="warning",
            )
        )
    return out
