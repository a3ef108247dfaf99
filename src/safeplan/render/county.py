"""The county's report (``rollup report``) through the reports' Jinja environment.

Only the package's own templates are used (``county.md.j2``, ``county.html.j2``): a
county never runs a template from a town's repository, nor from its own (there is no
override folder). The formats are the reports' own table (``render.report.FORMATS``).
"""

from __future__ import annotations

import re
from typing import Any, BinaryIO

from safeplan.models.rollup import CountyReport, DutyTotals, EnterpriseFigures
from safeplan.problems import N_
from safeplan.render.i18n import translator
from safeplan.render.report import FORMATS, Format, environment
from safeplan.render.report_words import percent_text, period_text, sign_labels
from safeplan.render.screens.common import RATES_DEFINITION, rate_cell
from safeplan.render.text import problem_message
from safeplan.vocab import Lang

#: The template of each format.
COUNTY_TEMPLATES: dict[Format, str] = {fmt: f"county.{fmt}.j2" for fmt in FORMATS}
_TITLES = {
    "week": N_("{county}: weekly roll-up of the towns"),
    "month": N_("{county}: monthly roll-up of the towns"),
    "quarter": N_("{county}: quarterly roll-up of the towns"),
}


def report_name(view: CountyReport, fmt: Format) -> str:
    """``county-2026-11.md``: a county report's file, by its period."""
    return f"county-{view.period.name}.{fmt}"


_DUTIES_NOTE = N_(
    "Task: of the enterprises the task's duty binds, those that have done its current "
    "period / all it binds. "
    "Behind on a duty: enterprises overdue on at least one duty. The figures are each "
    "town's own status."
)


def _duty_cell(figures: EnterpriseFigures, duty: DutyTotals) -> str:
    """``3 / 8``: of the enterprises ``duty`` binds in ``figures``, those done (— if none)."""
    mine = next((d for d in figures.duties if d.duty == duty.duty), None)
    return "—" if mine is None else f"{mine.done} / {mine.total}"


def render_county(view: CountyReport, fmt: Format, lang: Lang) -> str:
    """The county's report as text, in one format."""
    tr = translator(lang)
    env = environment(fmt, lang, None)
    helpers: dict[str, Any] = {
        "report_title": tr(_TITLES[view.period.kind]).format(county=view.county.name),
        "period_label": period_text(view, tr),
        "rate_cell": lambda r, name: rate_cell(r, name, tr),
        "pct": percent_text,
        "rates_definition": tr(RATES_DEFINITION),
        "problem_text": lambda p: problem_message(p.problem, tr) if p.problem else p.template,
        "sign": sign_labels(tr),
        # What made the report goes in the document's properties, never on its page.
        "provenance": f"safeplan {view.version}; data: each town's git commit, as named",
        "duty_head": lambda d: tr(N_("Task {task}")).format(task=d.task),
        "duty_cell": _duty_cell,
        "duties_note": tr(_DUTIES_NOTE),
    }
    return env.get_template(COUNTY_TEMPLATES[fmt]).render(r=view, **helpers)


_NAME = re.compile(r"^county-\d{4}-(?:W\d{2}|\d{2}|Q[1-4])\.(?:md|html|docx|pdf)$")


def is_county_report(name: str, fh: BinaryIO) -> bool:
    """Whether an existing file is a county report safeplan wrote (by its name, as a town's
    report is known: ``county-2026-11.md``)."""
    return _NAME.match(name) is not None
