"""The catalog of 判定标准: the shipped documents and a plan's own, and citations resolved
against them (the document, its article and item, what replaced it and when)."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from typing import NamedTuple

from safeplan.criteria import LOCAL_FILE as LOCAL_FILE
from safeplan.criteria.cite import Citation, normalize, parse, to_chinese
from safeplan.models.criteria import Article, CriteriaDocument, CriteriaFile, CriterionItem
from safeplan.problems import N_, Finding
from safeplan.vocab import INDUSTRY
from safeplan.yamlio import load_fast


class Resolved(NamedTuple):
    """A citation found in the catalog (``article``/``item`` None where none was cited or
    the document lists none)."""

    citation: Citation
    document: CriteriaDocument
    article: Article | None
    item: CriterionItem | None

    def label(self) -> str:
        """应急管理部令第10号 第三条第（一）项: the document's number and the place cited."""
        where = self.citation.where()
        return f"{self.document.number} {where}" if where else self.document.number


class Unresolved(NamedTuple):
    """A citation the catalog cannot place: ``code`` says why, ``params`` the details."""

    citation: Citation
    code: str
    template: str
    params: dict[str, object]


class Catalog:
    """Documents by id, looked up by number, alias, title or id as officers write them."""

    def __init__(self, documents: Sequence[CriteriaDocument], local_ids: frozenset[str]) -> None:
        self.documents = tuple(documents)
        #: Ids of the documents the plan added (plan/criteria.yaml).
        self.local_ids = local_ids
        self._keys: list[tuple[str, CriteriaDocument]] = []
        for d in self.documents:
            for word in (d.number, *d.aliases, d.title, d.id):
                self._keys.append((normalize(word), d))
        self._keys.sort(key=lambda kd: -len(kd[0]))
        #: A replaced document's id → the documents replacing it (named by number or id).
        exact = {k: d for k, d in reversed(self._keys)}
        self._replaced_by: dict[str, list[CriteriaDocument]] = {}
        for d in self.documents:
            for s in d.supersedes:
                old = exact.get(normalize(s))
                if old is not None:
                    self._replaced_by.setdefault(old.id, []).append(d)

    def by_id(self, doc_id: str) -> CriteriaDocument | None:
        return next((d for d in self.documents if d.id == doc_id), None)

    def find(self, text: str) -> CriteriaDocument | None:
        """A document by its number, an alias, its title or its id (any width, spaces)."""
        key = normalize(text).strip("《》")
        for k, d in self._keys:
            if k == key:
                return d
        for k, d in self._keys:  # the longest name inside the text: 《标准》（令第10号）
            if k and k in key:
                return d
        return None

    def closest(self, text: str, n: int = 3) -> list[str]:
        """The numbers of the documents nearest to ``text`` (difflib), for a message."""
        key = normalize(text)
        by_key = {k: d.number for k, d in self._keys}
        hits = difflib.get_close_matches(key, list(by_key), n=n * 2, cutoff=0.4)
        return list(dict.fromkeys(by_key[h] for h in hits))[:n]

    def replacement(self, doc: CriteriaDocument, day: dt.date) -> CriteriaDocument | None:
        """The document that replaced ``doc`` on or before ``day`` (None: still in force)."""
        for d in self._replaced_by.get(doc.id, []):
            if d.in_force is not None and d.in_force <= day:
                return d
        return None

    def resolve(self, text: str) -> Resolved | Unresolved | None:
        """A citation resolved; None for free text that is no citation at all."""
        c = parse(text)
        doc = self.find(c.document) if c.document else None
        if doc is None:
            if not c.looks_cited:
                return None
            return Unresolved(
                c,
                "unknown-criterion",
                N_(
                    "basis cites '{document}', which the 判定标准 catalog does not have "
                    "(closest: {closest}); correct the citation, or add the document to "
                    "plan/criteria.yaml ('safeplan criteria list' shows the catalog)"
                ),
                {"document": c.document or text, "closest": _list(self.closest(c.document))},
            )
        if c.article is None or doc.articles is None:
            return Resolved(c, doc, None, None)
        article = next((a for a in doc.articles if a.number == c.article), None)
        if article is None and not doc.articles_complete:
            return Resolved(c, doc, None, None)
        if article is None:
            numbers = [a.number for a in doc.articles]
            near = min(numbers, key=lambda n: abs(n - (c.article or 0)))
            return Unresolved(
                c,
                "unknown-criterion-article",
                N_(
                    "basis cites {article} of {document}, whose hazards are in {first} to "
                    "{last} (closest: {closest}); correct the article number"
                ),
                {
                    "article": f"第{to_chinese(c.article)}条",
                    "document": doc.number,
                    "first": f"第{to_chinese(min(numbers))}条",
                    "last": f"第{to_chinese(max(numbers))}条",
                    "closest": f"第{to_chinese(near)}条",
                },
            )
        if c.item is None or article.items is None:
            return Resolved(c, doc, article, None)
        item = next((i for i in article.items if i.number == c.item), None)
        if item is None:
            last = article.items[-1].number
            return Unresolved(
                c,
                "unknown-criterion-item",
                N_(
                    "basis cites item {item} of {article} of {document}, which has items "
                    "（一） to （{last}）; correct the item number"
                ),
                {
                    "item": f"（{to_chinese(c.item)}）",
                    "article": f"第{to_chinese(article.number)}条",
                    "document": doc.number,
                    "last": to_chinese(last),
                },
            )
        return Resolved(c, doc, article, item)


def _list(items: list[str]) -> str:
    return "、".join(items) if items else "—"


@cache
def shipped() -> CriteriaFile:
    """The catalog shipped with safeplan (package data), read once."""
    text = files("safeplan.criteria").joinpath("catalog.yaml").read_text(encoding="utf-8")
    return CriteriaFile.model_validate(load_fast(text))


def catalog(local: CriteriaFile | None = None) -> Catalog:
    """The shipped catalog with a plan's own documents added (a local id replaces none)."""
    docs = list(shipped().documents)
    local_docs = list(local.documents) if local is not None else []
    return Catalog([*docs, *local_docs], frozenset(d.id for d in local_docs))


def check_file(file: CriteriaFile, known: Sequence[CriteriaDocument] = ()) -> list[Finding]:
    """A catalog's own integrity: ids and numbers once, supersedes resolve, industries are
    codes, articles and items once each. ``known``: documents already there (the shipped
    ones, for a plan's file)."""
    out: list[Finding] = []
    seen: dict[str, str] = {}
    for d in known:
        for word in (d.id, d.number, *d.aliases):
            seen.setdefault(normalize(word), d.id)
    names = set(seen)
    for d in file.documents:
        names.update(normalize(w) for w in (d.id, d.number, *d.aliases))
    for i, d in enumerate(file.documents):
        base = ("documents", i)
        for key, word in (("id", d.id), ("number", d.number)):
            other = seen.get(normalize(word))
            if (other is not None and other != d.id) or (key == "id" and other == d.id):
                out.append(
                    Finding(
                        (*base, key),
                        "criteria-duplicate",
                        N_(
                            "'{value}' is already in the catalog ({other}): give each document its own"
                        ),
                        {"value": word, "other": other},
                    )
                )
        for w in (d.id, d.number, *d.aliases):
            seen.setdefault(normalize(w), d.id)
        for j, s in enumerate(d.supersedes):
            if normalize(s) not in names:
                out.append(
                    Finding(
                        (*base, "supersedes", j),
                        "criteria-unknown-superseded",
                        N_(
                            "'{value}' is not in the catalog: add the document it replaced "
                            "(so that citations of it can be dated), or correct the number"
                        ),
                        {"value": s},
                    )
                )
        for j, code in enumerate(d.industries):
            if code not in INDUSTRY:
                out.append(
                    Finding(
                        (*base, "industries", j),
                        "criteria-unknown-industry",
                        N_("'{value}' is not an industry: use one of {codes}"),
                        {"value": code, "codes": ", ".join(INDUSTRY.codes)},
                    )
                )
        for j, a in enumerate(d.articles or []):
            if sum(1 for b in d.articles or [] if b.number == a.number) > 1:
                out.append(
                    Finding(
                        (*base, "articles", j, "number"),
                        "criteria-duplicate-article",
                        N_("article {value} is listed twice"),
                        {"value": a.number},
                    )
                )
            for k, it in enumerate(a.items or []):
                if sum(1 for x in a.items or [] if x.number == it.number) > 1:
                    out.append(
                        Finding(
                            (*base, "articles", j, "items", k, "number"),
                            "criteria-duplicate-item",
                            N_("item {value} is listed twice"),
                            {"value": it.number},
                        )
                    )
    return out
