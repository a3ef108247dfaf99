"""Reports through Jinja: the environment, the helpers templates use, and ``render``.

``render(view, template, lang)`` is a pure function of the report's view model: the same
view gives the same text, byte for byte (no clock; nothing of the machine it runs on).

- Templates ship inside the package (``safeplan/templates/``). A plan's own ``templates/``
  folder overrides a built-in template of the same name; ``builtin/<name>`` always names
  the built-in one, so a plan's ``weekly.md.j2`` may ``{% extends "builtin/weekly.md.j2" %}``
  and replace a block. Every template, the plan's and the built-in ones alike, runs in
  Jinja's immutable sandbox: it can show the view's values and call the helpers below,
  and nothing else: a template that reaches for Python's internals (``__class__``,
  ``__globals__``, a private attribute) or mutates a value is a located error and runs no
  further. ``render.templates.check_templates`` finds such a template before any report is made.
- StrictUndefined: a misspelt name in a template is an error, never an empty cell.
- HTML: autoescape is on for every template the HTML environment loads (``.html.j2``
  included, which ``select_autoescape``'s defaults would miss); the charts are SVG built
  with every text escaped (``render/charts.py``).
- Markdown: every ``{{ … }}`` is escaped for Markdown (``md_escape``) unless marked safe,
  so a record's ``|``, ``<``, ``*`` or line break cannot break a table or make a link.
- Words: the i18n extension with safeplan's catalog (``{% trans %}``, ``_()``), and the
  labels of coded values (``label``), in the reader's language.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from safeplan.errors import DataError
from safeplan.models.reports import HazardEvent, IndustryRow, Rate, Report, TaskEvent
from safeplan.models.rollup import CountyReport
from safeplan.models.views import GoalView, HazardRow, Rates, TaskRow
from safeplan.problems import N_, NP_
from safeplan.render.i18n import Translator, translator
from safeplan.render.text import param
from safeplan.vocab import Lang

if TYPE_CHECKING:
    from jinja2 import BaseLoader, Environment

Format = Literal["md", "html", "docx", "pdf"]
#: The formats rendered through Jinja templates (docx is built by ``render.docx``; the
#: pdf is the html, printed by ``render.pdf``).
FORMATS: tuple[Format, ...] = ("md", "html")
#: The media type of each format, for a download (``safeplan serve``'s reports page).
CONTENT_TYPES: dict[str, str] = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
#: Every format a report file can be written in: the templates' and the printed ones.
FILE_FORMATS: tuple[Format, ...] = ("md", "html", "docx", "pdf")
#: Where the built-in templates are (package data).
BUILTIN_DIR = Path(__file__).resolve().parent.parent / "templates"
#: The template of each kind of report and format.
TEMPLATES: dict[tuple[str, Format], str] = {
    (kind, fmt): f"{name}.{fmt}.j2"
    for kind, name in (("week", "weekly"), ("month", "monthly"), ("quarter", "quarterly"))
    for fmt in FORMATS
}
#: The charts of a report, by key (``2026-W48-open.svg`` beside the Markdown).
CHART_KEYS = ("open", "monthly", "tasks")

_MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)
_QUARTERS = (N_("Q1 {year}"), N_("Q2 {year}"), N_("Q3 {year}"), N_("Q4 {year}"))
_TITLES = {
    "week": N_("{series}: weekly report"),
    "month": N_("{series}: monthly report"),
    "quarter": N_("{series}: quarterly report"),
}


# --------------------------------------------------------------------------- words


def day_text(day: dt.date, tr: Translator, year: bool = True) -> str:
    """``2026年11月29日`` / ``November 29, 2026``; without the year: ``11月29日``."""
    month = tr(_MONTHS[day.month - 1])
    if year:
        return tr(N_("{month_name} {day}, {year}")).format(
            month_name=month, day=day.day, year=day.year
        )
    return tr(N_("{month_name} {day}")).format(month_name=month, day=day.day)


def period_text(view: Report | CountyReport, tr: Translator) -> str:
    """``2026年第48周（11月23日—11月29日）``, ``2026年11月``, ``2026年第四季度``."""
    p = view.period
    if p.kind == "week":
        same = p.start.year == p.end.year == p.year
        days = tr(N_(" ({start} – {end})")).format(
            start=day_text(p.start, tr, year=not same), end=day_text(p.end, tr, year=not same)
        )
        return tr(N_("Week {week} of {year}")).format(week=p.number, year=p.year) + days
    if p.kind == "month":
        month = tr(_MONTHS[p.number - 1])
        return tr(N_("{month_name} {year}")).format(month_name=month, year=p.year)
    return tr(_QUARTERS[p.number - 1]).format(year=p.year)


def title_text(view: Report, tr: Translator) -> str:
    """《大井镇安全生产治本攻坚三年行动周报》."""
    series = view.series or (view.plan.title if view.plan else "safeplan")
    return tr(_TITLES[view.period.kind]).format(series=series)


_DOC_TITLES = {
    "week": N_("{series} weekly work report ({period})"),
    "month": N_("{series} monthly work report ({period})"),
    "quarter": N_("{series} quarterly work report ({period})"),
}


def short_period_text(view: Report, tr: Translator) -> str:
    """``2026年第47周``, ``2026年11月``, ``2026年第四季度``: the period as a title names it."""
    p = view.period
    if p.kind == "week":
        return tr(N_("Week {week} of {year}")).format(week=p.number, year=p.year)
    if p.kind == "month":
        month = tr(_MONTHS[p.number - 1])
        return tr(N_("{month_name} {year}")).format(month_name=month, year=p.year)
    return tr(_QUARTERS[p.number - 1]).format(year=p.year)


def document_title(view: Report, tr: Translator) -> str:
    """``大井镇安全生产治本攻坚三年行动工作周报（2026年第47周）``: the title of the report as a
    公文 attachment, without 《》 (a document does not quote its own title), with its period."""
    series = view.series or (view.plan.title if view.plan else "")
    return tr(_DOC_TITLES[view.period.kind]).format(
        series=series, period=short_period_text(view, tr)
    )


#: A blank between a Chinese character and a digit, either way round (``逾期 966 天``).
_CJK_DIGIT = re.compile(
    r"(?<=[\u3400-\u9fff\uff08\uff09\u3001\uff1a\uff0c\u201c\u201d])[ \u00a0]+(?=[0-9])"
    r"|(?<=[0-9%])[ \u00a0]+(?=[\u3400-\u9fff\uff08\uff09])"
)


def join_numbers(text: str, lang: Lang) -> str:
    """Numbers joined to their measure words, as official Chinese text writes them
    (``2项``, ``逾期966天``): the documents' rule (HTML, Word, PDF). The screens and the
    Markdown keep a blank either side, which reads better in a terminal."""
    return _CJK_DIGIT.sub("", text) if lang == "zh" else text


def provenance_text(view: Report) -> str:
    """What made the document, for its properties (never its printed text):
    ``safeplan 0.1.0; data: git commit 6afcda175dce``."""
    data = view.data
    if data.commit is None:
        source = "data: not in a git repository"
    else:
        source = f"data: git commit {data.commit}"
        if data.modified:
            source += ", with changes not committed"
    return f"safeplan {view.version}; {source}"


def percent_text(r: Rate | Decimal | None) -> str:
    """``62.5%`` (a ``Rate`` or a rate of ``Rates``); ``—`` when nothing was found."""
    value = r.percent if isinstance(r, Rate) else r
    return "—" if value is None else f"{value}%"


def wan_text(amount: Decimal) -> str:
    """元 as 万元 with two decimals: 452500 → 45.25."""
    return f"{(amount / 10000).quantize(Decimal('0.01'))}"


# --------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#$!])")
_MD_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
#: What would start a list item, or underline a heading, at the start of a line.
_MD_LIST = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([-+])(?=\s|$)|^([=-])(?=[=-]*\s*$)")


def _md_line(line: str) -> str:
    stripped = line.lstrip(" ")
    # Leading blanks would make an indented code block: keep them, as references.
    lead = "&#32;" * (len(line) - len(stripped))
    m = _MD_LIST.match(stripped)
    if m is not None and m[1] is not None:
        stripped = f"{m[1]}\\{m[2]}{stripped[m.end() :]}"
    elif m is not None:
        stripped = "\\" + stripped
    return lead + stripped


def md_escape(value: object) -> str:
    """Text that stays text in Markdown (CommonMark and GitHub/Gitee tables): HTML
    characters become entities, Markdown's punctuation is backslash-escaped, and a line
    break is ``<br>``, so a cell stays one cell and a list item one item."""
    text = str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text).replace("\t", " ")
    return "<br>".join(_md_line(line) for line in _MD_BREAKS.split(text))


def _md_finalize(value: object) -> object:
    from markupsafe import Markup

    if isinstance(value, Markup):
        return str(value)
    return md_escape(value)


def _html_finalize(lang: Lang) -> Callable[[object], object]:
    """Every value an HTML template shows, numbers joined to measure words (``2项``)."""
    from markupsafe import Markup, escape

    def finalize(value: object) -> object:
        if lang != "zh" or value is None:
            return value
        if isinstance(value, Markup):
            return Markup(join_numbers(str(value), lang))
        return Markup(join_numbers(str(escape(value)), lang))

    return finalize


# --------------------------------------------------------------------------- the environment


def builtin_names() -> list[str]:
    """The built-in templates, by name (what ``report templates`` lists and copies)."""
    return sorted(
        p.relative_to(BUILTIN_DIR).as_posix()
        for p in BUILTIN_DIR.rglob("*")
        if p.is_file() and p.suffix in (".j2", ".css")
    )


def _loader(overrides: Path | None) -> BaseLoader:
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

    builtin = FileSystemLoader(BUILTIN_DIR, encoding="utf-8")
    loaders: list[BaseLoader] = [PrefixLoader({"builtin": builtin})]
    if overrides is not None and overrides.is_dir():
        loaders.append(FileSystemLoader(overrides, encoding="utf-8"))
    loaders.append(builtin)
    return ChoiceLoader(loaders)


def _bytecode_cache(folder: Path | None, fmt: Format) -> Any:
    """Compiled templates kept in ``folder`` (the user's own cache, never the plan's: a file
    there is loaded as code, outside the sandbox), one sub-folder per format and version of
    safeplan, since the format's settings (escaping, finalize) are compiled into the code
    and Jinja's key is the template's name and source alone. A cache that cannot be read
    or written is passed over: the template is compiled as if there were none."""
    if folder is None:
        return None
    from jinja2 import FileSystemBytecodeCache
    from jinja2.bccache import Bucket

    from safeplan import __version__

    class QuietCache(FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, ValueError, EOFError, TypeError):
                bucket.reset()

        def dump_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    where = folder / f"templates-{__version__}-{fmt}"
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return QuietCache(str(where))


def environment(
    fmt: Format, lang: Lang, overrides: Path | None = None, compiled: Path | None = None
) -> Environment:
    """The Jinja environment of one format and language (``compiled``: a folder where
    compiled templates are kept between runs, see :func:`_bytecode_cache`)."""
    from jinja2 import StrictUndefined, select_autoescape
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    tr = translator(lang)
    if fmt == "html":
        # Every template of the HTML environment is escaped, whatever its name: the
        # extensions are listed for clarity, and default=True covers any other name.
        autoescape: bool | Callable[[str | None], bool] = select_autoescape(
            enabled_extensions=("html", "html.j2", "htm", "svg", "xml", "css"),
            default_for_string=True,
            default=True,
        )
        finalize: Callable[..., Any] | None = _html_finalize(lang)
    else:
        autoescape = False
        finalize = _md_finalize
    env = ImmutableSandboxedEnvironment(
        loader=_loader(overrides),
        undefined=StrictUndefined,
        autoescape=autoescape,
        finalize=finalize,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(compiled, fmt),
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(tr.translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(_globals(fmt, tr))
    env.filters.update(
        day=lambda d, year=True: day_text(d, tr, year),
        pct=percent_text,
        wan=wan_text,
        join_words=lambda items: tr.join(str(i) for i in items),
    )
    return env


_FIGURE_LABELS = {
    "found": N_("Found in the period"),
    "rectified": N_("Rectified in the period"),
    "accepted": N_("Accepted in the period"),
    "failed": N_("Failed acceptance in the period"),
    "closed": N_("Closed (销号) in the period"),
    "extended": N_("Extended (延期) in the period"),
    "reopened": N_("Reopened after closure in the period"),
    "withdrawn": N_("Withdrawn (撤销) in the period"),
    "open": N_("Not closed at the end"),
    "overdue": N_("Overdue at the end"),
}
_EVENTS = {
    "registered": N_("hazard registered"),
    "rectified": N_("rectification done"),
    "accepted": N_("acceptance passed"),
    "failed": N_("acceptance failed"),
    "closed": N_("closed (销号)"),
    "extended": N_("deadline extended"),
    "reopened": N_("reopened after closure"),
    "withdrawn": N_("withdrawn (撤销)"),
}


class Words:
    """What the templates say about a report's rows, in the reader's language (the same
    wordings as the screens where there is one: ``render.screens``)."""

    def __init__(self, view: Report, tr: Translator) -> None:
        self.view = view
        self.tr = tr

    def figure_label(self, name: str) -> str:
        return self.tr(_FIGURE_LABELS[name])

    def event_label(self, e: HazardEvent) -> str:
        """What happened, in a word (延期), without the dates of an extension."""
        return self.tr(_EVENTS[e.kind])

    def event_text(self, e: HazardEvent) -> str:
        text = self.tr(_EVENTS[e.kind])
        if e.kind == "extended" and e.deadline_to is not None:
            old = e.deadline_from.isoformat() if e.deadline_from else "—"
            text = self.tr(N_("extended from {old} to {new}")).format(
                old=old, new=e.deadline_to.isoformat()
            )
        return text

    def task_event(self, e: TaskEvent) -> str:
        if e.kind == "done":
            done = self.tr(N_("task done"))
            return (
                done if not e.note else self.tr(N_("{what}: {note}")).format(what=done, note=e.note)
            )
        if e.by:
            return self.tr(N_("{note} ({by})")).format(note=e.note or "", by=e.by)
        return e.note or ""

    def task_state(self, row: TaskRow) -> str:
        from safeplan.render.screens.common import task_state_text

        return task_state_text(row, self.tr)

    def hazard_state(self, row: HazardRow) -> str:
        """The state, then overdue or days left and what else a reader must know, in a line."""
        return self.tr(N_("; ")).join(self.hazard_lines(row))

    def hazard_lines(self, row: HazardRow) -> list[str]:
        """The state, then overdue or days left and what else a reader must know."""
        tr = self.tr
        if row.invalid:
            return [tr(N_("invalid record"))]
        lines = [tr.label("hazard state", row.state)]
        if row.overdue and row.days_overdue is not None:
            lines.append(
                str(param(NP_("overdue {n} day", "overdue {n} days", row.days_overdue), tr))
            )
        elif row.days_left is not None:
            lines.append(str(param(NP_("{n} day left", "{n} days left", row.days_left), tr)))
        if row.rectified_late_days is not None:
            late = NP_("rectified {n} day late", "rectified {n} days late", row.rectified_late_days)
            lines.append(str(param(late, tr)))
        return lines

    def deadline_text(self, row: HazardRow) -> str:
        if row.deadline is None:
            return "—"
        if row.extended and row.original_deadline is not None:
            return self.tr(N_("{deadline} (extended; first {original})")).format(
                deadline=row.deadline.isoformat(), original=row.original_deadline.isoformat()
            )
        return row.deadline.isoformat()

    def deadline_note(self, row: HazardRow) -> str:
        """``(extended; first 2026-09-30)`` under a deadline an extension set."""
        if not row.extended or row.original_deadline is None:
            return ""
        return self.tr(N_("(extended; first {original})")).format(
            original=row.original_deadline.isoformat()
        )

    def supervision_text(self, row: HazardRow) -> str:
        if not row.supervised or row.supervision_level is None:
            return "—"
        return self.tr.label("supervision level", row.supervision_level)

    def supervision_levels(self, counts: dict[str, int]) -> str:
        """`` (county 1, city 1)`` / ``（县级 1 项、市级 1 项）``, or nothing."""
        if not counts:
            return ""
        items = [
            self.tr(N_("{level} {n}")).format(level=self.tr.label("supervision level", code), n=n)
            for code, n in counts.items()
        ]
        return self.tr(N_(" ({levels})")).format(levels=self.tr.join(items))

    def rate_label(self, name: str) -> str:
        from safeplan.render.screens.common import RATES

        return self.tr(RATES[name][0])

    def rate_cell(self, r: Rates, name: str) -> str:
        from safeplan.render.screens.common import rate_cell

        return rate_cell(r, name, self.tr)

    def funds_text(self, row: IndustryRow) -> str:
        """整改资金 in 万元; unknown is not zero: 未填报 when no hazard records it, and how
        many do not beside a sum of those that do."""
        if not row.funds_reported and row.funds_missing:
            return self.tr(N_("not reported"))
        amount = wan_text(row.funds)
        if row.funds_missing:
            return self.tr(N_("{amount} ({n} not reported)")).format(
                amount=amount, n=row.funds_missing
            )
        return amount

    def problems_note(self) -> str:
        """The warning atop a report whose data has problems: the county reads it, so it
        names no tool (记录待核实), unlike the status screen."""
        note = NP_(
            "Records to be verified: {n} problem found in the data, so the figures below "
            "may be incomplete.",
            "Records to be verified: {n} problems found in the data, so the figures below "
            "may be incomplete.",
            self.view.overview.problems,
        )
        return str(param(note, self.tr))

    def goal_detail(self, g: GoalView) -> str:
        from safeplan.render.screens.overview import goal_detail

        return goal_detail(g, self.tr)

    def sign_labels(self) -> dict[str, str]:
        return sign_labels(self.tr)

    def footer(self) -> str:
        tr, view = self.tr, self.view
        data = view.data
        if data.commit is None:
            source = tr(N_("data: not in a git repository"))
        elif data.modified:
            source = tr(N_("data: git commit {commit}, with changes not committed")).format(
                commit=data.commit
            )
        else:
            source = tr(N_("data: git commit {commit}")).format(commit=data.commit)
        parts = [
            tr(N_("Period: {period}")).format(period=period_text(view, tr)),
            tr(N_("as of {date}")).format(date=view.as_of.isoformat()),
            tr(N_("safeplan {version}")).format(version=view.version),
            source,
        ]
        return tr(N_("; ")).join(parts)


def sign_labels(tr: Translator) -> dict[str, str]:
    """The words of the 附件 label, the 落款 and the 填报 line (a town's report, a county's)."""
    return {
        "attachment": tr(N_("Attachment")),
        "unit": tr(N_("Reporting unit (seal)")),
        "filled_by": tr(N_("Filled in by")),
        "reviewer": tr(N_("Reviewed by")),
        "phone": tr(N_("Phone")),
        "date": tr(N_("Date filled in")),
    }


def _globals(fmt: Format, tr: Translator) -> dict[str, Any]:
    from markupsafe import Markup

    from safeplan import vocab
    from safeplan.models.reports import FIGURES

    def label(vocabulary: str, code: str | None, long: bool = False) -> str:
        return "—" if code is None else tr.label(vocabulary, code, long, formal=True)

    def plural(singular: str, plural_: str, n: int, **params: Any) -> str:
        return tr.ngettext(singular, plural_, n).format(n=n, **params)

    return {
        "label": label,
        "lang": tr.lang,
        "fmt": fmt,
        "ngettext_": plural,
        # Between two sentences of a paragraph: nothing in Chinese, a space in English.
        "sep": Markup("" if tr.lang == "zh" else " "),
        "colon": Markup("：" if tr.lang == "zh" else ": "),
        "levels": vocab.LEVEL.codes,
        "sources": vocab.SOURCE.codes,
        "figure_names": FIGURES,
    }


def _view_globals(view: Report, fmt: Format, tr: Translator) -> dict[str, Any]:
    from markupsafe import Markup

    from safeplan.render import charts
    from safeplan.render.screens.common import RATES, RATES_DEFINITION
    from safeplan.status import TASK_STATES

    words = Words(view, tr)
    counts = view.overview.tasks.counts

    def chart(key: str) -> Markup:
        return Markup(charts.chart(view, key, tr))

    def chart_file(key: str) -> str:
        return chart_name(view, key)

    return {
        "report_title": title_text(view, tr),
        "doc_title": document_title(view, tr),
        "short_period": short_period_text(view, tr),
        "provenance": provenance_text(view),
        "sign": words.sign_labels(),
        "sign_unit": view.sign.issuing_unit or (view.plan.issuer if view.plan else ""),
        "period_label": period_text(view, tr),
        "footer_text": words.footer(),
        "problems_note": words.problems_note(),
        "chart": chart,
        "chart_file": chart_file,
        # A column of zeros of the rarer states says nothing (as on the status screen).
        "task_states": [
            s for s in TASK_STATES if counts.get(s) or s not in ("current", "stale", "done_late")
        ],
        "figure_label": words.figure_label,
        "rate_names": tuple(RATES),
        "rate_label": words.rate_label,
        "rate_cell": words.rate_cell,
        "rates_definition": tr(RATES_DEFINITION),
        "funds_text": words.funds_text,
        "event_text": words.event_text,
        "event_label": words.event_label,
        "task_event": words.task_event,
        "task_state": words.task_state,
        "hazard_state": words.hazard_state,
        "hazard_lines": words.hazard_lines,
        "deadline_note": words.deadline_note,
        "deadline_text": words.deadline_text,
        "supervision_text": words.supervision_text,
        "supervision_levels": words.supervision_levels,
        "goal_detail": words.goal_detail,
    }


def render(
    view: Report,
    template: str,
    lang: Lang,
    overrides: Path | None = None,
    compiled: Path | None = None,
) -> str:
    """One report as text: ``template`` (e.g. ``weekly.html.j2``) rendered with ``view``
    (``compiled``: where compiled templates are kept between runs).

    A template that cannot be used (a plan's own, with a mistake in it) is a
    ``DataError`` that names the template and its line."""
    from jinja2 import TemplateError

    fmt: Format = "html" if ".html" in template else "md"
    env = environment(fmt, lang, overrides, compiled)
    try:
        tpl = env.get_template(template)
        return tpl.render(r=view, **_view_globals(view, fmt, translator(lang)))
    except TemplateError as exc:
        raise _template_error(exc, template, overrides) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        # A plan's own template may compute ({{ 1/0 }}, {{ "x" + 1 }}) or be in another
        # encoding: its mistake, reported at its line. In a built-in one it is a bug.
        if overrides is None or not _raised_in(exc, overrides):
            raise
        raise _template_error(exc, template, overrides) from None


def _raised_in(exc: Exception, folder: Path) -> bool:
    """Whether ``exc`` was raised while running (or reading) a template of ``folder``."""
    if isinstance(exc, UnicodeDecodeError):
        return True  # only a plan's own file can be in another encoding: ours are UTF-8
    tb = exc.__traceback__
    while tb is not None:
        name = Path(tb.tb_frame.f_code.co_filename)
        if name.is_absolute() and name.is_relative_to(folder):
            return True
        tb = tb.tb_next
    return False


def _template_error(exc: Exception, template: str, overrides: Path | None) -> DataError:
    """Where a template went wrong: its file (a plan's own, or a built-in) and line."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    name, line = template, 0
    if isinstance(exc, TemplateSyntaxError):
        name, line = exc.filename or exc.name or template, exc.lineno
    else:
        tb = exc.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code
            if code.co_filename.endswith((".j2", ".css")):
                name, line = code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    if isinstance(exc, UnicodeDecodeError) and overrides is not None:
        name = str(overrides / template)  # write the file in UTF-8
    if isinstance(exc, TemplateNotFound):
        reason = f"no template named '{exc.name}'"
    else:
        reason = getattr(exc, "message", None) or str(exc)
    path = Path(name)
    for folder, shown in ((overrides, "templates"), (BUILTIN_DIR, "builtin")):
        if folder is not None and path.is_absolute() and path.is_relative_to(folder):
            name = f"{shown}/{path.relative_to(folder).as_posix()}"
    where = f"{name}:{line}" if line else name
    return DataError(
        N_("{where}: the report template cannot be used: {reason}"), where=where, reason=reason
    )


def template_for(view: Report, fmt: Format) -> str:
    return TEMPLATES[(view.period.kind, fmt)]


def chart_name(view: Report, key: str) -> str:
    """``2026-W48-open.svg``: the chart's file beside the Markdown report."""
    return f"{view.period.name}-{key}.svg"


def chart_files(view: Report, lang: Lang) -> dict[str, str]:
    """The charts of the Markdown report, as SVG files by name."""
    from safeplan.render import charts

    tr = translator(lang)
    return {
        chart_name(view, key): charts.chart(view, key, tr, standalone=True) for key in CHART_KEYS
    }


_REPORT_NAME = re.compile(r"^\d{4}-(?:W\d{2}|\d{2}|Q[1-4])(?:\.(?:md|html|docx|pdf)|-[a-z]+\.svg)$")


def is_report(name: str, fh: BinaryIO) -> bool:
    """Whether an existing file is one ``report`` wrote (so the next report of that period
    replaces it without ``--force``): known by its name, ``2026-W48.md`` or
    ``2026-W48-open.svg``, never by what it holds."""
    return _REPORT_NAME.match(name) is not None


def printed(view: Report | CountyReport, fmt: Format, html: str, lang: Lang) -> bytes:
    """A Word or PDF file of a report (a town's or a county's), made from its HTML report: the
    one way to print, for the CLI, ``safeplan serve`` and the county alike."""
    if fmt == "docx":
        from safeplan.render.docx import docx_bytes

        return docx_bytes(view, html, lang)
    from safeplan.render.pdf import pdf_bytes

    return pdf_bytes(html)


def report_file(
    view: Report,
    fmt: Format,
    lang: Lang,
    overrides: Path | None,
    compiled: Path | None = None,
) -> bytes:
    """The bytes of a town's report in one format (templates for md and html; docx and pdf
    printed from the html; ``compiled``: where compiled templates are kept)."""
    if fmt in FORMATS:
        return render(view, template_for(view, fmt), lang, overrides, compiled).encode("utf-8")
    html = render(view, template_for(view, "html"), lang, overrides, compiled)
    return printed(view, fmt, html, lang)
