"""What a ledger import found, as lines in the reader's language (``import ledger`` prints
them; ``safeplan serve`` shows them as the preview before anything is written)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from safeplan.problems import N_, Fragment, ListOf
from safeplan.render.i18n import Translator
from safeplan.render.problems import format_line
from safeplan.render.text import render as _render_text

if TYPE_CHECKING:
    from safeplan.importers.ledger.importer import LedgerImport


def render(tr: Translator, template: str, **params: Any) -> str:
    return _render_text(template, params, tr)


def import_lines(done: LedgerImport, tr: Translator) -> list[str]:
    """The sheet read, then each row's outcome with its problems under it: what `import
    ledger` prints, and what the import page of `safeplan serve` shows before writing."""
    out: list[str] = []
    out.append(
        render(
            tr,
            N_("{path}: sheet '{sheet}', headings in row {row}: {columns}"),
            path=done.shown,
            sheet=done.sheet,
            row=done.heading_row,
            columns=ListOf([h for h, _ in done.columns]),
        )
    )
    by_row: dict[int, list[str]] = {}
    for p in done.problems:
        by_row.setdefault(p.line, []).append(format_line(p, tr))
    for line in by_row.pop(done.heading_row, []):
        out.append(line)
    if done.defaults:
        out.append(
            render(
                tr,
                N_("the same for every row (--set, defaults:): {values}"),
                values=ListOf([f"{h} = {v}" for h, v in done.defaults]),
            )
        )
    if done.adds_units:
        out.append(
            render(
                tr,
                N_("adds to data/units.yaml (--add-units): {units}"),
                units=ListOf(list(done.new_units)),
            )
        )
    words = {
        "create": N_("row {row}: create {id} {title} ({path})"),
        "create-note": N_("row {row}: create {id} {title} ({path}); {what}"),
        "update": N_("row {row}: update {id} {title} ({path}): {what}"),
        "unchanged": N_("row {row}: {id} {title}: the register already says this"),
        "skip": N_("row {row}: {what}"),
        "error": N_("row {row}: not imported ({title})"),
    }
    for r in done.rows:
        what = Fragment(r.template, r.params) if r.template else ""
        key = "create-note" if r.action == "create" and r.template else r.action
        out.append(
            render(
                tr,
                words[key],
                row=r.row,
                id=r.id or "",
                title=r.title or "?",
                path=r.rel or "",
                what=what,
            )
        )
        for line in by_row.pop(r.row, []):
            out.append(line)
    for lines in by_row.values():
        for line in lines:
            out.append(line)
    out.append(
        render(
            tr,
            N_(
                "{create} to create, {update} to update, {unchanged} unchanged, {skip} skipped, {error} with errors"
            ),
            create=done.count("create"),
            update=done.count("update"),
            unchanged=done.count("unchanged"),
            skip=done.count("skip"),
            error=done.count("error"),
        )
    )
    return out
