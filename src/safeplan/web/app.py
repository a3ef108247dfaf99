"""The pages and forms of ``safeplan serve``, as a Starlette application.

Each page reads the plan as the command it stands for does and renders the same view
models (through the CLI's screens, ``blocks``); each form builds the same edit
(``forms``), shows what will change (in words and as a diff), and saves through the
same lock, validation, journal and commit subjects. A refusal shows the CLI's message
beside the field it names; nothing is written on a refusal. A form carries the hash of
the record as it was loaded: a record changed since (another tab, the CLI) is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup
from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from safeplan.errors import SafeplanError, UsageError
from safeplan.problems import N_
from safeplan.render.i18n import Translator, translator
from safeplan.vocab import Lang
from safeplan.web import evidence, forms, security
from safeplan.web.blocks import Linker, hazard_links, record_links, to_html

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


class Pages:
    """The routes, over one plan."""

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

    # ------------------------------------------------------------------ pages

    async def status(self, request: Request) -> Response:
        from safeplan.render.screens.overview import status_screen
        from safeplan.views.overview import overview

        try:
            view = overview(self.repo(), self.s.today())
        except SafeplanError as exc:
            return self.refused(exc, self.tr(N_("Overview")))
        return self.blocks(
            self.tr(N_("Overview")), status_screen(view, self.tr, tasks_shown=50), "status",
            link=record_links, before=self._flash_html(request),
        )  # fmt: skip

    def _flash_html(self, request: Request) -> Markup | None:
        text = self.flash(request)
        return Markup('<p class="flash">{}</p>').format(text) if text else None

    async def hazards(self, request: Request) -> Response:
        from safeplan import vocab
        from safeplan.rules.hints import coded
        from safeplan.views.hazards import hazard_list

        q = {k: (request.query_params.get(k) or "").strip() for k in FILTERS}
        title = self.tr(N_("Hazards"))
        try:
            state = coded(vocab.HAZARD_STATE, q["state"], "--state") if q["state"] else None
            level = coded(vocab.LEVEL, q["level"], "--level") if q["level"] else None
            source = coded(vocab.SOURCE, q["source"], "--source") if q["source"] else None
            repo = self.repo()
            view = hazard_list(
                repo, self.s.today(), state, q["overdue"] == "1", level, q["unit"] or None,
                q["search"] or None, q["enterprise"] or None, source, q["industry"] or None,
            )  # fmt: skip
        except SafeplanError as exc:
            return self.page(
                "hazards.html.j2", 400, title=title, nav="hazards", q=q, error=self.message(exc),
                rows=[], count=0, units=[],
            )  # fmt: skip
        return self.page(
            "hazards.html.j2", title=title, nav="hazards", q=q, error=None,
            rows=list(view.rows()), count=view.count, units=[u.name for u in repo.units],
            flash=self.flash(request),
        )  # fmt: skip

    async def hazard(self, request: Request) -> Response:
        hid = request.path_params["hazard_id"]
        try:
            view, evidence_files = self._hazard_view(hid)
        except SafeplanError as exc:
            from safeplan.repo.find import resolve_hazard

            try:  # typed into the address bar: the end of an id, any case (as the CLI takes it)
                meant = resolve_hazard(self.s.root, hid)
            except SafeplanError:
                return self.refused(exc, hid)
            if meant == hid:
                return self.refused(exc, hid)
            return RedirectResponse(f"/hazards/{meant}", 303)
        from safeplan.render.screens.hazard_detail import hazard_detail as screen

        after = self.env.get_template("hazard_actions.html.j2").render(
            id=view.id, verbs=forms.HAZARD_VERBS, files=evidence_files, state=view.state,
        )  # fmt: skip
        return self.blocks(
            f"{view.id} {view.title}", screen(view, self.tr), "hazards",
            before=self._flash_html(request), after=Markup(after),
        )  # fmt: skip

    def _hazard_view(self, hid: str) -> tuple[Any, list[str]]:
        from safeplan.errors import DataError
        from safeplan.repo import check_hazard_id, hazard_ids, hazard_path
        from safeplan.repo.hazardfile import load_hazard
        from safeplan.repo.layout import not_a_file
        from safeplan.rules.hazards import BROKEN_LOOP
        from safeplan.rules.hints import FIX_FIRST, unknown
        from safeplan.views.hazards import hazard_detail

        root = self.s.root
        check_hazard_id(hid)
        path = hazard_path(root, hid)
        rel = path.relative_to(root).as_posix()
        odd = not_a_file(path, rel)
        if odd is not None:
            raise odd
        if not path.is_file():
            raise unknown("hazard", hid, hazard_ids(root))
        hazard, problems = load_hazard(root, rel)
        if hazard is None:
            raise DataError(FIX_FIRST, problems, path=rel)
        broken = any(p.code in BROKEN_LOOP for p in problems)
        view = hazard_detail(hazard, rel, self.s.today(), broken)
        folder = root / evidence.folder_of(hid)
        files = (
            sorted(f"{evidence.folder_of(hid)}/{p.name}" for p in folder.iterdir() if p.is_file())
            if folder.is_dir() and not folder.is_symlink()
            else []
        )
        return view, files

    async def history(self, request: Request) -> Response:
        from safeplan.repo import check_hazard_id, hazard_path
        from safeplan.repo.git import Git

        hid = request.path_params["hazard_id"]
        try:
            check_hazard_id(hid)
            rel = hazard_path(self.s.root, hid).relative_to(self.s.root).as_posix()
            entries = Git(self.s.root, "serve").file_log(rel)
        except SafeplanError as exc:
            return self.refused(exc, hid)
        return self.page("history.html.j2", title=hid, nav="hazards", id=hid, entries=entries)

    async def file(self, request: Request) -> Response:
        found = evidence.served(self.s.root, request.path_params["rel"])
        if found is None:
            return Response(self.tr(N_("no such evidence file")), 404, media_type="text/plain")
        path, kind = found
        return FileResponse(path, media_type=kind, content_disposition_type="inline")

    async def tasks(self, request: Request) -> Response:
        from safeplan.render.screens.tasks import task_table
        from safeplan.views.tasks import task_list

        try:
            view = task_list(self.repo(), self.s.today())
        except SafeplanError as exc:
            return self.refused(exc, self.tr(N_("Tasks")))
        return self.blocks(
            self.tr(N_("Tasks")), task_table(view.tasks, self.tr), "tasks", link=_task_link,
            before=self._flash_html(request),
        )  # fmt: skip

    async def task(self, request: Request) -> Response:
        from safeplan.render.screens.tasks import task_detail as screen
        from safeplan.views.tasks import task_detail

        n = request.path_params["number"]
        try:
            view = task_detail(self.repo(), n, self.s.today())
        except SafeplanError as exc:
            return self.refused(exc, str(n))
        after = self.env.get_template("task_actions.html.j2").render(n=n, verbs=forms.TASK_VERBS)
        return self.blocks(
            f"{n}．{view.title}", screen(view, self.tr), "tasks",
            before=self._flash_html(request), after=Markup(after),
        )  # fmt: skip

    # ------------------------------------------------------------------ enterprises

    async def enterprises(self, request: Request) -> Response:
        """``enterprise list``, with its filters; an empty plan says how to add one."""
        from safeplan import vocab
        from safeplan.rules.hints import coded
        from safeplan.views.enterprises import Filters, enterprise_list

        q = {k: (request.query_params.get(k) or "").strip() for k in ENTERPRISE_FILTERS}
        title = self.tr(N_("Enterprises"))
        ctx: dict[str, Any] = {"title": title, "nav": "enterprises", "q": q, "error": None,
                               "rows": [], "grades": [], "villages": [], "total": 0,
                               "duties": []}  # fmt: skip
        try:
            repo = self.repo()
            ctx["total"] = len(repo.enterprises)
            ctx["grades"] = [g.code for g in repo.plan.grades] if repo.plan is not None else []
            ctx["villages"] = sorted({e.village for e in repo.enterprises if e.village})
            high = {"1": True, "0": False}.get(q["high_risk"])
            filters = Filters(
                industry=coded(vocab.INDUSTRY, q["industry"], "--industry") if q["industry"] else None,
                grade=q["grade"] or None, village=q["village"] or None, high_risk=high,
                state=coded(vocab.ENTERPRISE_STATE, q["state"], "--state") if q["state"] else None,
                behind=q["behind"] == "1", duty=q["duty"] or None, words=q["search"].split(),
            )  # fmt: skip
            view = enterprise_list(repo, self.s.today(), filters)
        except SafeplanError as exc:
            return self.page("enterprises.html.j2", 400, **{**ctx, "error": self.message(exc)})
        from safeplan.render.screens.enterprises import duty_text

        ctx["duties"] = [(d.id, d.title) for d in repo.plan.duties] if repo.plan is not None else []
        ctx["rows"] = [
            (r, "；".join(duty_text(c, self.tr) for c in r.duties)) for r in view.enterprises
        ]
        return self.page("enterprises.html.j2", flash=self.flash(request), **ctx)

    async def enterprise(self, request: Request) -> Response:
        """``enterprise show``, its hazards linked, and a button for every form."""
        from safeplan.render.screens.enterprises import enterprise_detail as screen
        from safeplan.views.enterprises import enterprise_detail
        from safeplan.views.hazards import hazard_list

        typed = request.path_params["enterprise_id"]
        try:
            repo = self.repo()
            view = enterprise_detail(repo, typed, self.s.today())
        except SafeplanError as exc:
            return self.refused(exc, typed)
        ent = view.record
        if ent.id != typed:  # its name or credit code typed: the page has one address
            return RedirectResponse(f"/enterprises/{ent.id}", 303)
        named = {h for c in ent.checks for h in c.hazards}
        named |= {h for i in ent.inspections for h in i.hazards}
        known = {h.id for h in repo.hazards}
        hazards = list(hazard_list(repo, self.s.today(), enterprise=ent.name).rows())
        listed = {r.id for r in hazards}
        after = self.env.get_template("enterprise_actions.html.j2").render(
            id=ent.id, name=ent.name, verbs=forms.ENTERPRISE_VERBS, hazards=hazards,
            named=sorted(named - listed), known=known, files=self._files(ent.id),
        )  # fmt: skip
        return self.blocks(
            f"{ent.id} {ent.name}", screen(view, self.tr), "enterprises",
            before=self._flash_html(request), after=Markup(after),
        )  # fmt: skip

    def _files(self, record: str) -> list[str]:
        """The evidence files of a record's folder (a hazard's, an enterprise's)."""
        rel = evidence.folder_of(record)
        folder = self.s.root / rel
        if not folder.is_dir() or folder.is_symlink():
            return []
        return sorted(f"{rel}/{p.name}" for p in folder.iterdir() if p.is_file())

    async def duties(self, request: Request) -> Response:
        """``enterprise duties``: each duty's figure, who is behind, expired certificates."""
        from safeplan.render.screens.enterprises import duties_section
        from safeplan.views.enterprises import duties_view

        title = self.tr(N_("Duties"))
        try:
            view = duties_view(self.repo(), self.s.today())
        except SafeplanError as exc:
            return self.refused(exc, title)
        return self.blocks(
            title, duties_section(view, self.tr, shown=len(view.behind)), "enterprises",
            link=_enterprise_link,
        )  # fmt: skip

    async def new_enterprise(self, request: Request) -> Response:
        verb = forms.Verb("new", N_("登记企业 (register an enterprise)"),
                          forms.NEW_ENTERPRISE_FIELDS, forms.new_enterprise,
                          command="enterprise new")  # fmt: skip
        return await self._form(request, verb, "", "new enterprise")

    async def enterprise_verb(self, request: Request) -> Response:
        verb = forms.ENTERPRISE_VERBS.get(request.path_params["verb"])
        if verb is None:
            return Response(self.tr(N_("no such form")), 404, media_type="text/plain")
        from safeplan.edit.enterprises import enterprise_file

        typed = request.path_params["enterprise_id"]
        try:
            stem = enterprise_file(self.s.root, typed)[0].stem
        except SafeplanError as exc:
            return self.refused(exc, typed)
        if stem != typed:  # its name or credit code in any case: one address per record
            return RedirectResponse(f"/enterprises/{stem}/{verb.key}", 303)
        return await self._form(request, verb, stem, "enterprise")

    async def validate(self, request: Request) -> Response:
        from safeplan.render.problems import format_line

        repo = self.repo()
        found = [(format_line(p, self.tr), _record_link(p.path)) for p in repo.problems]
        return self.page(
            "validate.html.j2", title=self.tr(N_("Check")), nav="validate", found=found
        )

    async def reports(self, request: Request) -> Response:
        from safeplan.render.report import FILE_FORMATS as FORMATS

        q = request.query_params
        kind = q.get("kind", "")
        fmt = q.get("format", "")
        title = self.tr(N_("Reports"))
        if not kind:
            return self.page(
                "reports.html.j2", title=title, nav="reports", formats=FORMATS, error=None
            )
        try:
            if kind not in ("week", "month", "quarter") or fmt not in FORMATS:
                raise UsageError(N_("choose a kind of report and a format"))
            name, data = self._report(kind, q.get("period") or None, fmt)
        except SafeplanError as exc:
            return self.page(
                "reports.html.j2", 400, title=title, nav="reports", formats=FORMATS,
                error=self.message(exc),
            )  # fmt: skip
        from safeplan.render.report import CONTENT_TYPES

        return Response(
            data,
            media_type=CONTENT_TYPES.get(fmt, "application/octet-stream"),
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    def _report(self, kind: str, period: str | None, fmt: str) -> tuple[str, bytes]:
        """A report file, as ``report weekly|monthly|quarterly`` writes it."""
        from safeplan import __version__
        from safeplan.periods import choose_period
        from safeplan.render.report import report_file
        from safeplan.repo.git import data_version
        from safeplan.views.reports import report

        span, day = choose_period(kind, period, None, self.s.today())  # type: ignore[arg-type]
        view = report(self.repo(), span, day, version=__version__, data=data_version(self.s.root))
        data = report_file(view, fmt, self.s.lang, self.s.root / "templates")  # type: ignore[arg-type]
        return f"{span.name}.{fmt}", data

    # ------------------------------------------------------------------ the ledger (台账)

    async def ledger(self, request: Request) -> Response:
        """The ledger page: the export to download, and an office's ledger to import, shown
        row by row (the dry run) before anything is written."""
        title = self.tr(N_("Ledger (台账)"))
        ctx: dict[str, Any] = {"title": title, "nav": "ledger", "lines": [], "error": None,
                               "pending": "", "update": False, "add_units": False, "files": 0}  # fmt: skip
        if request.method == "GET":
            return self.page("ledger.html.j2", **ctx)
        data = await self.form(request)
        try:
            blob = None
            item = data.get("ledger")
            if isinstance(item, UploadFile) and item.filename:
                blob = await item.read(LEDGER_MAX_BYTES + 1)
            kept = data.get("pending")
            update, add_units = data.get("update") == "1", data.get("add_units") == "1"
        finally:
            await data.close()
        ctx.update(update=update, add_units=add_units)
        try:
            if blob is None and isinstance(kept, str) and kept in self.s.pending:
                blob = self.s.pending[kept][0].data
            if blob is None:
                raise UsageError(N_("choose the ledger file (.xlsx) to import"))
            if len(blob) > LEDGER_MAX_BYTES or not blob.startswith(b"PK\x03\x04"):
                raise UsageError(
                    N_("the file is not an Excel workbook (.xlsx) of at most {mb} MB"),
                    mb=LEDGER_MAX_BYTES // (1024 * 1024),
                )
            key = ctx["pending"] = self.s.keep([evidence.Upload("ledger.xlsx", blob)])
            done = self._import(blob, update, add_units, write=data.get("step") == "save")
        except SafeplanError as exc:
            ctx["error"] = self.message(exc)
            ctx["lines"] = self.problems(exc)
            return self.page("ledger.html.j2", 400, **ctx)
        except NeedName:
            return RedirectResponse("/name?next=/ledger", 303)
        if isinstance(done, str):
            self.s.pending.pop(key, None)
            flash = secrets.token_urlsafe(8)
            self.s.flashes[flash] = done
            return RedirectResponse(f"/hazards?m={flash}", 303)
        ctx["lines"], ctx["files"], ctx["blocked"] = done
        return self.page("ledger.html.j2", **ctx)

    def _import(self, blob: bytes, update: bool, add_units: bool, write: bool) -> Any:
        """The import's lines, file count and whether it is blocked; or, written, its line."""
        import tempfile

        from safeplan import fsio
        from safeplan.edit import apply
        from safeplan.edit.transaction import commit
        from safeplan.importers.ledger.importer import as_edit, import_ledger, new_id
        from safeplan.render.ledger_import import import_lines
        from safeplan.render.text import render
        from safeplan.repo.git import Git

        git = Git(self.s.root, "serve") if self._in_git() else None
        if write and git is not None:
            if git.identity() is None:
                raise NeedName
            git.check_can_commit()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "ledger.xlsx"
            path.write_bytes(blob)
            with fsio.locked(self.s.root):
                done = import_ledger(
                    path, "ledger.xlsx", self.s.root, self.s.today(), new_id,
                    (translator("zh"), translator("en")), None, None, update, {}, add_units,
                )  # fmt: skip
                blocked = bool(done.errors) or not done.files
                if not write or blocked:
                    return import_lines(done, self.tr), len(done.files), blocked
                result = as_edit(self.s.root, done)
                if git is not None:
                    git.check_clean(result.rels)
                result = apply(result)
                if git is not None:
                    commit(git, result)
        return render(result.template, result.params, self.tr)

    async def ledger_export(self, request: Request) -> Response:
        from safeplan.render.ledger import workbook_bytes
        from safeplan.views.ledger import ledger

        day = self.s.today()
        try:
            data = workbook_bytes(ledger(self.repo(), day), self.tr)
        except SafeplanError as exc:
            return self.refused(exc, self.tr(N_("Ledger (台账)")))
        return Response(
            data,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={
                "content-disposition": f'attachment; filename="ledger-{day.isoformat()}.xlsx"'
            },
        )

    async def static(self, request: Request) -> Response:
        return FileResponse(STATIC / "web.css", media_type="text/css")

    # ------------------------------------------------------------------ who commits, sync

    async def name(self, request: Request) -> Response:
        from safeplan.repo.git import Git

        git = Git(self.s.root, "serve")
        error = None
        if request.method == "POST":
            data = await self.form(request)
            await data.close()
            person = str(data.get("name") or "").strip()
            email = str(data.get("email") or "").strip() or "officer@safeplan.invalid"
            if person and "\n" not in person and "<" not in person and ">" not in person:
                try:
                    git.set_identity(person, email)
                    return RedirectResponse(_local(str(data.get("next") or "/")), 303)
                except SafeplanError as exc:
                    error = self.message(exc)
            else:
                error = self.tr(N_("type your name (it goes into the history of every change)"))
        current = _safe(git.identity)
        return self.page(
            "name.html.j2", 400 if error else 200, title=self.tr(N_("Your name")), nav="name",
            current=current, error=error, next=_local(request.query_params.get("next", "/")),
        )  # fmt: skip

    async def sync(self, request: Request) -> Response:
        from safeplan.repo.git import Git

        git = Git(self.s.root, "serve")
        if request.method == "POST":
            await (await self.form(request)).close()
            try:
                result = git.sync()
            except SafeplanError as exc:
                return self.page("sync.html.j2", 400, title="同步", nav="sync", remotes=[],
                                 result=None, error=self.message(exc))  # fmt: skip
            return self.page("sync.html.j2", title="同步", nav="sync", remotes=git.remotes(),
                             result=result, error=None)  # fmt: skip
        remotes = _safe(git.remotes) or []
        return self.page("sync.html.j2", title="同步", nav="sync", remotes=remotes, result=None,
                         error=None)  # fmt: skip

    # ------------------------------------------------------------------ forms

    async def new_hazard(self, request: Request) -> Response:
        verb = forms.Verb("new", N_("登记 (register a hazard)"), forms.NEW_FIELDS, forms.register,
                          command="hazard new")  # fmt: skip
        return await self._form(request, verb, "", "new")

    async def hazard_verb(self, request: Request) -> Response:
        verb = forms.HAZARD_VERBS.get(request.path_params["verb"])
        if verb is None:
            return Response(self.tr(N_("no such form")), 404, media_type="text/plain")
        return await self._form(request, verb, request.path_params["hazard_id"], "hazard")

    async def task_verb(self, request: Request) -> Response:
        verb = forms.TASK_VERBS.get(request.path_params["verb"])
        if verb is None:
            return Response(self.tr(N_("no such form")), 404, media_type="text/plain")
        return await self._form(request, verb, str(request.path_params["number"]), "task")

    def _record(self, kind: str, subject: str) -> tuple[Path, str] | None:
        """The file a form edits (None for a new hazard), checked before it is used."""
        from safeplan.repo import check_hazard_id, hazard_path
        from safeplan.repo.layout import TASKS_FILE

        if kind == "hazard":
            check_hazard_id(subject)
            path = hazard_path(self.s.root, subject)
        elif kind == "task":
            path = self.s.root / TASKS_FILE
        elif kind == "enterprise":
            from safeplan.edit.enterprises import enterprise_file

            path = enterprise_file(self.s.root, subject)[0]
        else:
            return None
        return path, path.relative_to(self.s.root).as_posix()

    def _hash(self, kind: str, subject: str) -> str:
        record = self._record(kind, subject)
        if record is None:
            return ""
        try:
            return hashlib.sha256(record[0].read_bytes()).hexdigest()
        except OSError:
            return ""

    async def _form(self, request: Request, verb: forms.Verb, subject: str, kind: str) -> Response:
        back = {
            "hazard": f"/hazards/{subject}",
            "task": f"/tasks/{subject}",
            "enterprise": f"/enterprises/{subject}",
            "new enterprise": "/enterprises",
        }.get(kind, "/hazards")
        ctx: dict[str, Any] = {
            "verb": verb, "subject": subject, "back": back, "errors": {}, "error": None,
            "lines": [], "values": {}, "preview": None, "pending": "", "nav": _NAV.get(kind, kind + "s"),
            "units": [], "grades": [], "vocab_codes": _codes, "action": str(request.url.path),
        }  # fmt: skip
        try:
            ctx["hash"] = self._hash(kind, subject)
            if kind == "new":
                from safeplan.edit.context import unit_names

                ctx["units"] = unit_names(self.s.root)
            elif kind == "new enterprise":
                from safeplan.edit.context import context

                ctx["grades"] = [g.code for g in context(self.s.root).plan.grades]
        except SafeplanError as exc:
            return self.refused(exc, subject)
        if request.method == "GET":
            return self.page("form.html.j2", title=self.tr(verb.title), **ctx)
        data = await self.form(request)
        values = _values(data, verb)
        ctx["values"] = values
        ctx["hash"] = str(data.get("hash") or "")
        step = data.get("step")
        try:
            try:
                uploads = await self._uploads(data, verb)
            finally:
                await data.close()  # the spooled upload files, read into memory
            if uploads:
                ctx["pending"] = self.s.keep(uploads)
            result = self._compute(
                verb, kind, subject, values, uploads, ctx["hash"], write=step == "save"
            )
        except SafeplanError as exc:
            ctx.update(_placed(self.message(exc), exc, verb))
            ctx["lines"] = self.problems(exc)
            return self.page("form.html.j2", 400, title=self.tr(verb.title), **ctx)
        except NeedName:
            ctx["error"] = self.tr(N_("type your name first: every save is recorded under it"))
            return RedirectResponse(f"/name?next={back}", 303)
        if step != "save":
            from safeplan.render.text import render

            ctx["preview"] = {
                "change": render(result.template, result.params, self.tr),
                "diff": result.diff(),
                "files": [c.rel for c in result.changes if c.rel.startswith(evidence.EVIDENCE_DIR)],
            }
            return self.page("form.html.j2", title=self.tr(verb.title), **ctx)
        if ctx["pending"]:
            self.s.pending.pop(ctx["pending"], None)
        key = secrets.token_urlsafe(8)
        from safeplan.render.text import render

        self.s.flashes[key] = render(result.template, result.params, self.tr)
        target = {
            "hazard": f"/hazards/{result.subject}",
            "new": f"/hazards/{result.subject}",
            "enterprise": f"/enterprises/{result.subject}",
            "new enterprise": f"/enterprises/{result.subject}",
        }.get(kind, back)
        return RedirectResponse(f"{target}?m={key}", 303)

    async def _uploads(self, data: FormData, verb: forms.Verb) -> list[evidence.Upload]:
        """The files sent with the form, or kept from its preview."""
        if not verb.evidence:
            return []
        kept = data.get("pending")
        if isinstance(kept, str) and kept in self.s.pending:
            return self.s.pending[kept]
        if isinstance(kept, str) and kept and data.get("step") == "save":
            # Previewed with files the server no longer holds (restarted, or many previews
            # since): saving without them would lose the evidence without a word.
            raise UsageError(
                N_(
                    "--evidence: the files chosen are no longer held: choose them again; nothing was written"
                )
            )
        out = []
        for item in data.getlist("files"):
            if isinstance(item, UploadFile) and item.filename:
                blob = await item.read(evidence.MAX_BYTES + 1)
                out.append(evidence.Upload(_shown_name(item.filename), blob))
        evidence.check_uploads(out)
        return out

    def _compute(
        self, verb: forms.Verb, kind: str, subject: str, values: dict[str, str | None],
        uploads: list[evidence.Upload], loaded: str, write: bool,
    ) -> Any:  # fmt: skip
        """The edit, computed under the lock; written and committed when ``write``."""
        from safeplan import fsio
        from safeplan.edit import apply
        from safeplan.edit.transaction import commit
        from safeplan.repo.git import Git

        today = self.s.today()
        git = Git(self.s.root, "serve") if self._in_git() else None
        if write and git is not None:
            if git.identity() is None:
                raise NeedName
            git.check_can_commit()
        with fsio.locked(self.s.root):
            if not kind.startswith("new") and loaded != self._hash(kind, subject):
                from safeplan.errors import RefusedError

                record = self._record(kind, subject)
                raise RefusedError(
                    N_(
                        "{path} changed since you opened it (saved meanwhile from another "
                        "page or the command line): nothing was written; open it again to see "
                        "the change"
                    ),
                    path=record[1] if record else subject,
                )
            files = []
            if uploads:
                from safeplan.edit.typed import fact_date

                day = fact_date(values.get("on"), "--on", today)
                folder = evidence.folder_of(subject, task=kind == "task")
                files = evidence.plan_files(self.s.root, folder, day, verb.key, uploads)
            req = forms.Request(self.s.root, subject, values, today, [f.rel for f in files])
            if kind == "new":
                missing = forms.missing_new(req)
                if missing:
                    raise Missing(missing)
            result = evidence.with_files(verb.build(req), files)
            if not write:
                return result
            if git is not None:
                git.check_clean(result.rels)
            result = apply(result)
            if git is not None:
                commit(git, result)
        return result

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


def _values(data: FormData, verb: forms.Verb) -> dict[str, str | None]:
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


def _placed(message: str, exc: SafeplanError, verb: forms.Verb) -> dict[str, Any]:
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


def create_app(settings: Settings) -> Any:
    """The application: the pages behind the guard (loopback, token, CSRF)."""
    pages = Pages(settings)
    routes = [
        Route("/", pages.status),
        Route("/hazards", pages.hazards),
        Route("/hazards/new", pages.new_hazard, methods=["GET", "POST"]),
        Route("/hazards/{hazard_id}", pages.hazard),
        Route("/hazards/{hazard_id}/history", pages.history),
        Route("/hazards/{hazard_id}/{verb}", pages.hazard_verb, methods=["GET", "POST"]),
        Route("/enterprises", pages.enterprises),
        Route("/enterprises/duties", pages.duties),
        Route("/enterprises/new", pages.new_enterprise, methods=["GET", "POST"]),
        Route("/enterprises/{enterprise_id}", pages.enterprise),
        Route(
            "/enterprises/{enterprise_id}/{verb}", pages.enterprise_verb, methods=["GET", "POST"]
        ),
        Route("/tasks", pages.tasks),
        Route("/tasks/{number:int}", pages.task),
        Route("/tasks/{number:int}/{verb}", pages.task_verb, methods=["GET", "POST"]),
        Route("/files/{rel:path}", pages.file),
        Route("/validate", pages.validate),
        Route("/reports", pages.reports),
        Route("/ledger", pages.ledger, methods=["GET", "POST"]),
        Route("/ledger/export.xlsx", pages.ledger_export),
        Route("/name", pages.name, methods=["GET", "POST"]),
        Route("/sync", pages.sync, methods=["GET", "POST"]),
        Route("/static/web.css", pages.static),
    ]
    tr = pages.tr

    async def refused(request: Request, exc: Exception) -> Response:
        status = exc.status if isinstance(exc, Refused) else 400
        message = N_(
            "the form is not from this page (its CSRF token is missing or wrong): open the "
            "page again; nothing was written"
        )
        return Response(tr(message), status, media_type="text/plain")

    app = Starlette(routes=routes, exception_handlers={Refused: refused})
    words = {
        "host": tr(N_("safeplan serve answers only to this computer (127.0.0.1 or localhost)")),
        "token": tr(
            N_("open the address that 'safeplan serve' printed (it carries this session's token)")
        ),
    }
    return security.Guard(app, settings.token, lambda why: words[why].encode())
