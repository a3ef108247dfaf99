"""Reading a citation as officers type it: ``应急管理部令第10号第五条第（三）项``.

Full- and half-width brackets and digits, Chinese or Arabic numerals and spaces are all
accepted; the result is the document part (normalised, to look up in the catalog) and the
article, paragraph and item numbers, or a clause (``5.1.2``) of a national standard."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from safeplan.numerals import chinese_number as chinese_number
from safeplan.numerals import to_chinese as to_chinese

_NUM = r"[0-9零〇一二两三四五六七八九十百]+"

_ARTICLE = re.compile(rf"第({_NUM})条")
_PARAGRAPH = re.compile(rf"^第({_NUM})款")
_ITEM = re.compile(rf"^第?\(({_NUM})\)项?|^第({_NUM})项")
_LONE_ITEM = re.compile(rf"第?\(({_NUM})\)项?$")
_CLAUSE = re.compile(r"(?:\s|第)(\d+(?:\.\d+)+)(?:条|款)?\s*$")
#: What a document number looks like: 应急管理部令第10号, 建质规〔2024〕5号, GB 45067-2024.
_DOC_NUMBER = re.compile(r"令第?\d+号|〔\d{4}〕\d+号|\d+号令|^(gb|aq|db|gb/t)\d")


def normalize(text: str, spaces: bool = False) -> str:
    """A document name or number as compared: widths folded, brackets made one kind, no
    spaces, lower case (``建质规[2024] 5号`` and ``建质规〔2024〕5号`` are the same)."""
    out = unicodedata.normalize("NFKC", text)
    for a, b in (("[", "〔"), ("]", "〕"), ("【", "〔"), ("】", "〕"), ("﹝", "〔"), ("﹞", "〕")):
        out = out.replace(a, b)
    out = re.sub(r"\((\d{4})\)", r"〔\1〕", out)
    out = re.sub(r"\s+", " " if spaces else "", out).strip()
    return out.casefold()


class Citation(NamedTuple):
    """A citation read: the document part (normalised) and where in it."""

    document: str
    article: int | None = None
    paragraph: int | None = None
    item: int | None = None
    clause: str | None = None

    @property
    def looks_cited(self) -> bool:
        """Whether the text has the form of a citation, not a free description."""
        return (
            self.article is not None
            or self.clause is not None
            or _DOC_NUMBER.search(self.document) is not None
        )

    def where(self) -> str:
        """第十一条第（一）项 / 5.1.2: the place cited, written the usual way."""
        if self.clause is not None:
            return self.clause
        out = ""
        if self.article is not None:
            out += f"第{to_chinese(self.article)}条"
        if self.paragraph is not None:
            out += f"第{to_chinese(self.paragraph)}款"
        if self.item is not None:
            out += f"第（{to_chinese(self.item)}）项"
        return out


def _strip(doc: str) -> str:
    return doc.strip("《》<>“”\"'、,，:：;；-—()")


def parse(text: str) -> Citation:
    """Read a citation; what is not one comes back as a document part only
    (``looks_cited`` False), for the caller to treat as free text."""
    n = normalize(text)
    m = _ARTICLE.search(n)
    if m is not None:
        article = chinese_number(m.group(1))
        rest = n[m.end() :]
        paragraph = item = None
        p = _PARAGRAPH.match(rest)
        if p is not None:
            paragraph = chinese_number(p.group(1))
            rest = rest[p.end() :]
        i = _ITEM.match(rest)
        if i is not None:
            item = chinese_number(i.group(1) or i.group(2))
        return Citation(_strip(n[: m.start()]), article, paragraph, item)
    i = _LONE_ITEM.search(n)  # an item of a document without articles: …121号第（六）项
    if i is not None and i.start() > 0:
        return Citation(_strip(n[: i.start()]), item=chinese_number(i.group(1)))
    # a clause after the standard's number, apart or after 第: 'GB 35181-2025 5.1.2'
    c = _CLAUSE.search(normalize(text, spaces=True))
    if c is not None:
        before = normalize(c.string[: c.start()])
        if before:
            return Citation(_strip(before), clause=c.group(1))
    return Citation(_strip(n))
