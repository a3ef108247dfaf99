"""The 判定标准 catalog's records: the package's catalog and a plan's plan/criteria.yaml.

Metadata and short titles only (never the documents' text), each document with the
source its facts were checked against, so that a reader can tell what to trust."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from safeplan.dates import IsoDate
from safeplan.models.fields import NonEmpty
from safeplan.models.records import Record

Number = Annotated[int, Field(ge=1, le=999)]


class CriterionItem(Record):
    """One item (项) of an article, by number, with a short title."""

    number: Number
    title: NonEmpty


class Article(Record):
    """One article (条); ``items`` None: its items are not listed (any item is accepted)."""

    number: Number
    title: NonEmpty | None = None
    items: list[CriterionItem] | None = None


class CriteriaDocument(Record):
    """One 判定标准: what a citation names, when it is in force, what it replaced."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    #: 文号 or 标准号 as issued: 应急管理部令第10号, 建质规〔2024〕5号, GB 45067-2024.
    number: NonEmpty
    #: Other ways officers write the number (应急部10号令).
    aliases: list[NonEmpty] = Field(default_factory=list)
    title: NonEmpty
    issuer: NonEmpty
    issued_on: IsoDate | None = None
    #: The day it took force (None: not known; then it is never "not yet in force").
    in_force: IsoDate | None = None
    #: Numbers (or ids) of the documents it replaced from its ``in_force`` day.
    supersedes: list[NonEmpty] = Field(default_factory=list)
    #: Industry codes (vocab.INDUSTRY) it covers; empty: any.
    industries: list[str] = Field(default_factory=list)
    #: Where its facts were checked (an address, a gazette, a notice).
    source: NonEmpty
    #: Facts no reachable source confirmed (``number``, ``in_force``, ``supersedes`` …).
    unconfirmed: list[str] = Field(default_factory=list)
    note: NonEmpty | None = None
    #: None: its articles are not listed, a citation is checked for its form only.
    articles: list[Article] | None = None
    #: Whether ``articles`` lists every article that names hazards: only then is a cited
    #: article missing from it an error (a partial list gives short titles only).
    articles_complete: bool = False


class CriteriaFile(Record):
    """The catalog shipped with safeplan, or a plan's own (plan/criteria.yaml)."""

    version: Annotated[int, Field(ge=1)] = 1
    dated: IsoDate | None = None
    documents: list[CriteriaDocument] = Field(default_factory=list)
