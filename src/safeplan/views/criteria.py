"""``criteria list|show``: the 判定标准 catalog as of a day, with the major hazards citing
each document (the count reports show per document)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from safeplan.criteria.catalog import Catalog, Resolved, catalog, shipped
from safeplan.errors import UsageError
from safeplan.models.criteria import CriteriaDocument
from safeplan.models.hazard_views import CitedCriterion
from safeplan.models.summary import HazardSummary
from safeplan.models.views import (
    CriteriaList,
    CriterionArticleRow,
    CriterionDetail,
    CriterionItemRow,
    CriterionRow,
    same_named,
)
from safeplan.problems import N_, ListOf
from safeplan.repo.snapshot import Repository


def cited(cat: Catalog, basis: str) -> CitedCriterion | None:
    """The document and item a basis cites, for ``hazard show`` (None: not in the catalog)."""
    r = cat.resolve(basis)
    if not isinstance(r, Resolved):
        return None
    return CitedCriterion(
        document_id=r.document.id,
        number=r.document.number,
        title=r.document.title,
        where=r.citation.where(),
        article_title=r.article.title if r.article else None,
        item_title=r.item.title if r.item else None,
    )


def repo_catalog(repo: Repository) -> Catalog:
    return catalog(repo.snapshot.criteria)


def cited_by_document(
    cat: Catalog, hazards: Iterable[HazardSummary], as_of: dt.date
) -> dict[str, list[str]]:
    """Document id → ids of the major hazards (found by the day, not withdrawn) citing it."""
    out: dict[str, list[str]] = {}
    memo: dict[str, str | None] = {}
    for h in hazards:
        if h.level != "major" or not h.basis or h.discovered_on > as_of:
            continue
        if h.withdrawn_on is not None and h.withdrawn_on <= as_of:
            continue
        if h.basis not in memo:
            r = cat.resolve(h.basis)
            memo[h.basis] = r.document.id if isinstance(r, Resolved) else None
        doc_id = memo[h.basis]
        if doc_id is not None:
            out.setdefault(doc_id, []).append(h.id)
    return out


def _row(cat: Catalog, d: CriteriaDocument, as_of: dt.date, cited: list[str]) -> CriterionRow:
    newer = cat.replacement(d, as_of)
    return CriterionRow(
        **same_named(d, "id number title issuer in_force"),
        superseded_by=newer.number if newer else None,
        industries=list(d.industries),
        local=d.id in cat.local_ids,
        major_hazards=len(cited),
    )


def criteria_list(repo: Repository, as_of: dt.date) -> CriteriaList:
    cat = repo_catalog(repo)
    cited = cited_by_document(cat, repo.hazards, as_of)
    file = shipped()
    return CriteriaList(
        as_of=as_of,
        catalog_version=file.version,
        catalog_dated=file.dated,
        documents=[_row(cat, d, as_of, cited.get(d.id, [])) for d in cat.documents],
    )


def criterion_detail(repo: Repository, typed: str, as_of: dt.date) -> CriterionDetail:
    cat = repo_catalog(repo)
    d = cat.find(typed)
    if d is None:
        found = cat.closest(typed)
        if not found:  # nothing to suggest: say where the catalog is listed instead
            raise UsageError(
                N_(
                    "no document '{name}' in the 判定标准 catalog; 'safeplan criteria list' "
                    "lists them all"
                ),
                name=typed,
            )
        raise UsageError(
            N_("no document '{name}' in the 判定标准 catalog (closest: {closest})"),
            name=typed,
            closest=ListOf(found),
        )
    cited = cited_by_document(cat, repo.hazards, as_of).get(d.id, [])
    return CriterionDetail(
        as_of=as_of,
        document=_row(cat, d, as_of, cited),
        aliases=list(d.aliases),
        issued_on=d.issued_on,
        supersedes=list(d.supersedes),
        source=d.source,
        unconfirmed=list(d.unconfirmed),
        note=d.note,
        articles=None
        if d.articles is None
        else [
            CriterionArticleRow(
                number=a.number,
                title=a.title,
                items=None
                if a.items is None
                else [CriterionItemRow(number=i.number, title=i.title) for i in a.items],
            )
            for a in d.articles
        ],
        articles_complete=d.articles_complete,
        hazards=cited,
    )
