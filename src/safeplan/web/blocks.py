"""The console's screens (``render/screens``) as HTML: the same blocks, laid out by the browser.

A page of ``safeplan serve`` shows what the command shows because it renders the very
blocks the command prints: a grid becomes a table (stacked at phone width by the style
sheet), fields a definition list, text paragraphs. Nothing is decided here, and every
text is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from markupsafe import Markup, escape

from safeplan.render import grid
from safeplan.render.grid import Block, Fields, Grid, Paragraph, Stack, Text

#: A hazard id or a task number in a cell, to link to its page (None: no link).
Linker = Callable[[str], str | None]

_HAZARD_ID = re.compile(r"\b[A-Z][A-Z0-9]*-[0-9]{8}-[A-Z0-9]{2,}\b")


def hazard_links(text: str) -> str | None:
    m = _HAZARD_ID.fullmatch(text.strip())
    return f"/hazards/{m.group()}" if m else None


def record_links(text: str) -> str | None:
    """A hazard id or a task number (the first column of the overview's tables)."""
    t = text.strip()
    if t.isdigit() and len(t) <= 3:
        return f"/tasks/{t}"
    return hazard_links(t)


def _runs_html(p: Paragraph, link: Linker | None) -> Markup:
    runs = grid._runs(p)
    out = []
    for style, text in runs:
        piece = escape(text)
        href = link(text) if link is not None else None
        if href is not None:
            piece = Markup('<a href="{}">{}</a>').format(href, text)
        if style:
            classes = " ".join("s-" + s for s in style.split() if s.isalnum())
            piece = Markup('<span class="{}">{}</span>').format(classes, piece)
        out.append(piece)
    return Markup("").join(out)


def _cell_html(paras: Iterable[Paragraph], link: Linker | None) -> Markup:
    return Markup("<br>").join(_runs_html(p, link) for p in paras)


def to_html(block: Block, link: Linker | None = hazard_links) -> Markup:
    """A screen block as HTML (a fragment: tables, lists, paragraphs); ``link`` makes the
    first column of a table (an id, a number) a link to its record."""
    if isinstance(block, Stack):
        return Markup("").join(to_html(b, link) for b in block.blocks)
    if isinstance(block, Grid):
        return _grid(block, link)
    if isinstance(block, Fields):
        items = [
            Markup("<dt>{}</dt><dd>{}</dd>").format(label, _cell_html(paras, None))
            for label, paras in block.rows
        ]
        return Markup('<dl class="fields">{}</dl>').format(Markup("").join(items))
    if isinstance(block, Text):
        parts = [_runs_html(p, link) for p in block.paragraphs]
        if not any(grid._plain(p).strip() for p in block.paragraphs):
            return Markup("")
        return Markup("").join(Markup("<p>{}</p>").format(p) for p in parts if p)
    return Markup("<pre>{}</pre>").format(
        "\n".join("".join(t for _, t in line) for line in block.lines(None))
    )


def _grid(g: Grid, link: Linker | None) -> Markup:
    head = ""
    if g.header:
        head = Markup("<thead><tr>{}</tr></thead>").format(
            Markup("").join(Markup("<th>{}</th>").format(c.header) for c in g.columns)
        )
    rows = []
    for row in g._rows():
        cells = [
            Markup('<td data-label="{}" class="{}">{}</td>').format(
                col.header,
                "num" if col.justify == "right" else "",
                _cell_html(paras, link if i == 0 else None),
            )
            for i, (col, paras) in enumerate(zip(g.columns, row, strict=False))
        ]
        rows.append(Markup("<tr>{}</tr>").format(Markup("").join(cells)))
    title = Markup("<h2>{}</h2>").format(g.title) if g.title else ""
    caption = Markup('<p class="dim">{}</p>').format(g.caption) if g.caption else ""
    return Markup(
        '{}<div class="table"><table class="grid">{}<tbody>{}</tbody></table></div>{}'
    ).format(title, head, Markup("").join(rows), caption)
