"""``safeplan criteria list`` and ``criteria show`` (``views/criteria.py``)."""

from __future__ import annotations

from safeplan.criteria.cite import to_chinese
from safeplan.models.views import CriteriaList, CriterionDetail, CriterionRow
from safeplan.problems import N_
from safeplan.render.grid import Block, Cell, Col, Fields, Grid, Stack, blank
from safeplan.render.i18n import Translator
from safeplan.render.screens.common import text_line


def _industries(row: CriterionRow, tr: Translator) -> str:
    return tr.join([tr.label("industry", c) for c in row.industries]) or "—"


def _state(row: CriterionRow, tr: Translator) -> str:
    if row.superseded_by:
        return tr(N_("replaced by {number}")).format(number=row.superseded_by)
    return tr(N_("in force"))


def criteria_table(view: CriteriaList, tr: Translator) -> Grid:
    caption = tr(
        N_("Catalog version {version}, dated {dated}; * the plan's own (plan/criteria.yaml)")
    )
    table = Grid(
        Col(tr(N_("Number")), head=True),
        Col(tr(N_("Title"))),
        Col(tr(N_("In force"))),
        Col(tr(N_("State"))),
        Col(tr(N_("Industries"))),
        Col(tr(N_("Major hazards")), "right"),
        caption=caption.format(version=view.catalog_version, dated=view.catalog_dated or "—"),
    )
    for d in view.documents:
        number = f"{d.number} *" if d.local else d.number
        when = str(d.in_force) if d.in_force else "—"
        table.add_row(
            number, d.title, when, _state(d, tr), _industries(d, tr), str(d.major_hazards)
        )
    return table


def criterion_detail(view: CriterionDetail, tr: Translator) -> Block:
    d = view.document
    rows: list[tuple[str, Cell]] = [
        (tr(N_("Number")), d.number),
        (tr(N_("Title")), d.title),
        (tr(N_("Issuer")), d.issuer),
        (tr(N_("Issued on")), str(view.issued_on) if view.issued_on else "—"),
        (tr(N_("In force")), str(d.in_force) if d.in_force else "—"),
        (tr(N_("State")), _state(d, tr)),
        (tr(N_("Industries")), _industries(d, tr)),
    ]
    if view.supersedes:
        rows.append((tr(N_("Replaces")), "、".join(view.supersedes)))
    if view.aliases:
        rows.append((tr(N_("Also written")), "、".join(view.aliases)))
    rows.append((tr(N_("Verified from")), view.source))
    if view.unconfirmed:
        rows.append((tr(N_("Unconfirmed")), "、".join(view.unconfirmed)))
    if view.note:
        rows.append((tr(N_("Note")), view.note))
    rows.append((tr(N_("Major hazards citing it")), "、".join(view.hazards) or "—"))
    parts: list[Block] = [Fields(rows), blank()]
    if view.articles is None:
        parts.append(
            text_line(
                tr(N_("Articles not listed: citations of it are checked for their form only."))
            )
        )
        return Stack(*parts)
    table = Grid(Col(tr(N_("Article")), head=True), Col(tr(N_("Item"))), Col(tr(N_("Title"))))
    for a in view.articles:
        table.add_row(f"第{to_chinese(a.number)}条", "", a.title or "")
        for i in a.items or []:
            table.add_row("", f"（{to_chinese(i.number)}）", i.title)
    parts.append(table)
    if not view.articles_complete:
        parts.append(
            text_line(tr(N_("Only some articles are listed: others are checked for form only.")))
        )
    return Stack(*parts)
