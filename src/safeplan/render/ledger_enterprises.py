"""The ledger workbook's enterprise sheet (企业清单): each enterprise with its duties'
state on the ledger's day. Laid out here, written by ``render/ledger.py`` like its other
sheets; the rows are ``views/enterprises.py``'s, so the sheet and ``enterprise list``
cannot disagree."""

from __future__ import annotations

from collections.abc import Sequence

from safeplan.models.enterprise_views import EnterpriseRow
from safeplan.models.ledger import Column
from safeplan.problems import N_
from safeplan.render.i18n import Translator
from safeplan.render.screens.enterprises import duty_text

SHEET_NAME = N_("Enterprises")
ENTERPRISE_COLUMNS: tuple[Column, ...] = (
    Column("number", None, N_("Row no."), "int", 4),
    Column("id", None, N_("Enterprise id"), "text", 20),
    Column("name", None, N_("Name"), "long", 16),
    Column("credit_code", None, N_("Credit code"), "text", 20),
    Column("village", None, N_("Village"), "text", 8),
    Column("industry", None, N_("Industry"), "text", 10),
    Column("high_risk", None, N_("High-risk"), "text", 6),
    Column("grade", None, N_("Grade"), "text", 5),
    Column("state", None, N_("State"), "text", 6),
    Column("principal", None, N_("Principal"), "text", 8),
    Column("duties", None, N_("Duties"), "long", 30),
    Column("expired", None, N_("Expired certificates"), "long", 16),
)


def enterprise_rows(rows: Sequence[EnterpriseRow], tr: Translator) -> list[list[str | int | None]]:
    """The sheet's cells, one row an enterprise, in the reader's words."""
    out: list[list[str | int | None]] = []
    for n, r in enumerate(rows, start=1):
        out.append(
            [
                n,
                r.id,
                r.name,
                r.credit_code,
                r.village,
                tr.label("industry", r.industry),
                tr(N_("yes")) if r.high_risk else tr(N_("no")),
                r.grade,
                tr.label("enterprise state", r.state),
                r.principal,
                "\n".join(duty_text(c, tr) for c in r.duties) or None,
                "\n".join(
                    f"{c.person} {tr.label('certificate role', c.role)} {c.valid_until}"
                    for c in r.expired
                )
                or None,
            ]
        )
    return out
