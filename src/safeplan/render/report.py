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
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from safeplan.errors import DataError
from safeplan.models.reports import Report
from safeplan.models.rollup import CountyReport
from safeplan.problems import N_
from safeplan.render.i18n import Translator, translator
from safeplan.vocab import Lang

if TYPE_CHECKING:
    from jinja2 import BaseLoader, Environment

from safeplan.render.report_markup import _html_finalize, _md_finalize
from safeplan.render.report_words import (
    Words,
    day_text,
    document_title,
    percent_text,
    period_text,
    provenance_text,
    short_period_text,
    title_text,
    wan_text,
)

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
