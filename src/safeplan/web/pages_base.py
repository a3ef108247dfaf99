"""What every page of ``safeplan serve`` stands on: the server's settings, the
template environment and the plumbing shared by the pages and the forms (rendering,
messages, the plan, the CSRF check), and the small helpers they share."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse

from safeplan.errors import SafeplanError, UsageError
from safeplan.problems import N_
from safeplan.render.i18n import Translator, translator
from safeplan.vocab import Lang
from safeplan.web import evidence, forms_base, security
from safeplan.web.blocks import Linker, hazard_links, to_html

STATIC = Path(__file__).resolve().parent / "static"
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Form fields and sizes a request may carry (evidence limits are checked again, by file).
MAX_FIELDS = 100
#: How many previews' uploads are kept for their save.
PENDING_LIMIT = 8
#: The largest ledger workbook taken for import.
LEDGER_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Settings:
    """What the server was started with (``cli/serve.py`` reads the clock and the options)."""

    root: Path
    #: Today in the plan's time zone, asked again for every request (the server runs for days).
    today: Callable[[], dt.date]
    lang: Lang
    token: str = field(default_factory=security.new_token)
    csrf: str = field(default_factory=security.new_token)
    #: Messages shown once after a save (a redirect carries their key).
    flashes: dict[str, str] = field(default_factory=dict)
    #: Uploads between the preview and the save, by a random key (the latest few only).
    pending: dict[str, list[evidence.Upload]] = field(default_factory=dict)

    def keep(self, uploads: list[evidence.Upload]) -> str:
        """Keep uploads for the save that follows their preview; the oldest are dropped
        (a preview never saved must not hold memory for ever)."""
        while len(self.pending) >= PENDING_LIMIT:
            self.pending.pop(next(iter(self.pending)))
        key = secrets.token_urlsafe(12)
        self.pending[key] = uploads
        return key


class PagesBase:
    """The plumbing of the routes, over one plan."""

    def __init__(self, s: Settings) -> None:
        from jinja2 import Environment, FileSystemLoader, StrictUndefined

        self.s = s
        self.tr: Translator = translator(s.lang)
        env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.policies["ext.i18n.trimmed"] = True
        env.install_gettext_translations(self.tr.translations, newstyle=True)  # type: ignore[attr-defined]
        env.globals.update(
            label=lambda vocabulary, code: self.tr.label(vocabulary, code) if code else "",
            csrf=s.csrf,
            lang=s.lang,
            vocab_codes=_codes,
        )
        self.env = env

    # ------------------------------------------------------------------ plumbing

    def page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("flash", None)
        context.setdefault("nav", "")
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)

    def message(self, exc: SafeplanError) -> str:
        from safeplan.render.text import render

        return render(exc.template, exc.params, self.tr)

    def problems(self, exc: SafeplanError) -> list[str]:
        from safeplan.render.problems import format_line

        return [format_line(p, self.tr) for p in getattr(exc, "problems", None) or []]

    def repo(self) -> Any:
        from safeplan.repo import load

        return load(self.s.root, today=self.s.today(), cache=True)

    def blocks(self, title: str, block: Any, nav: str, link: Linker | None = hazard_links,
               before: Markup | None = None, after: Markup | None = None, status: int = 200) -> HTMLResponse:  # fmt: skip
        return self.page(
            "screen.html.j2", status, title=title, body=to_html(block, link), nav=nav,
            before=before, after=after,
        )  # fmt: skip

    def screen(self, title: str, view_of: Callable[[Any, dt.date], Any],
               draw: Callable[[Any], Any], nav: str, **extra: Any) -> HTMLResponse:  # fmt: skip
        """A page that is a screen of the command line: the view of the whole plan today,
        drawn, or what refused it under the page's title."""
        try:
            view = view_of(self.repo(), self.s.today())
        except SafeplanError as exc:
            return self.refused(exc, title)
        return self.blocks(title, draw(view), nav, **extra)

    def refused(self, exc: SafeplanError, title: str) -> HTMLResponse:
        return self.page(
            "refused.html.j2", 400, title=title, error=self.message(exc), lines=self.problems(exc)
        )

    def flash(self, request: Request) -> str | None:
        key = request.query_params.get("m")
        return self.s.flashes.pop(key, None) if key else None

    async def form(self, request: Request) -> FormData:
        """The submitted form, after its CSRF token is checked (a refusal reads nothing more)."""
        data = await request.form(max_files=evidence.MAX_FILES + 1, max_fields=MAX_FIELDS)
        got = data.get("csrf")
        if not isinstance(got, str) or not security.same(got, self.s.csrf):
            await data.close()
            raise Refused(403)
        return data

    def _in_git(self) -> bool:
        from safeplan.repo.git import Git

        return _safe(Git(self.s.root, "serve").toplevel) is not None


class Refused(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


class NeedName(Exception):
    """A save before git knows who commits: the officer is asked for their name first."""


class Missing(UsageError):
    """A new hazard without the fields it needs: each is named beside its field."""

    def __init__(self, fields: list[str]) -> None:
        super().__init__(N_("fill in the fields marked: a new hazard needs them"))
        self.fields = fields


FILTERS = ("state", "level", "unit", "search", "enterprise", "source", "industry", "overdue")
ENTERPRISE_FILTERS = (
    "industry",
    "grade",
    "village",
    "high_risk",
    "state",
    "behind",
    "duty",
    "search",
)
#: The menu entry a form's page is under.
_NAV = {"new": "news", "new enterprise": "enterprises", "enterprise": "enterprises"}


def _codes(vocabulary: str) -> tuple[str, ...]:
    from safeplan import vocab

    return {v.name: v for v in vocab.ALL}[vocabulary].codes


def _values(data: FormData, verb: forms_base.Verb) -> dict[str, str | None]:
    """The form's text fields: blank means not given; text as the command line checks it."""
    from safeplan.edit.typed import check_text

    out: dict[str, str | None] = {}
    for f in verb.fields:
        if f.kind == "file":
            continue
        raw = data.get(f.name)
        value = raw.strip() if isinstance(raw, str) else ""
        if value:
            try:
                check_text(f.option, value)
            except UsageError:
                value = ""
        out[f.name] = value.replace("\r\n", "\n") or None
    return out


def _placed(message: str, exc: SafeplanError, verb: forms_base.Verb) -> dict[str, Any]:
    """A refusal beside the field it names (by its option), else above the form."""
    if isinstance(exc, Missing):
        return {"errors": {f: "" for f in exc.fields}, "error": message}
    option = exc.params.get("option")
    for f in verb.fields:
        if option is not None and f.option == option:
            return {"errors": {f.name: message}, "error": None}
    return {"errors": {}, "error": message}


def _shown_name(name: str) -> str:
    """An uploaded file's name, for messages only: its last part, printable, short."""
    base = name.replace("\\", "/").rpartition("/")[2]
    return "".join(ch for ch in base if ch.isprintable())[:80] or "?"


def _local(target: str) -> str:
    """Only a path on this server may be redirected to."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def _safe(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except SafeplanError:
        return None


def _task_link(text: str) -> str | None:
    t = text.strip()
    return f"/tasks/{t}" if t.isdigit() and len(t) <= 3 else None


def _enterprise_link(text: str) -> str | None:
    """An enterprise id in the first column of a table (credit code or QY-…)."""
    from safeplan.models.fields import HAZARD_ID_RE

    t = text.strip()
    return f"/enterprises/{t}" if t and HAZARD_ID_RE.match(t) and not t.isdigit() else None


def _record_link(rel: str) -> str | None:
    if rel.startswith("data/hazards/"):
        return "/hazards/" + rel.rpartition("/")[2].rpartition(".")[0]
    if rel.startswith("data/enterprises/"):
        return "/enterprises/" + rel.rpartition("/")[2].rpartition(".")[0]
    if rel == "data/tasks.yaml":
        return "/tasks"
    return None
