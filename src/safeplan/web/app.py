"""The pages and forms of ``safeplan serve``, as a Starlette application.

Each page reads the plan as the command it stands for does and renders the same view
models (through the CLI's screens, ``blocks``); each form builds the same edit
(``forms``), shows what will change (in words and as a diff), and saves through the
same lock, validation, journal and commit subjects. A refusal shows the CLI's message
beside the field it names; nothing is written on a refusal. A form carries the hash of
the record as it was loaded: a record changed since (another tab, the CLI) is refused.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from safeplan.errors import SafeplanError
from safeplan.problems import N_
from safeplan.web import evidence, forms, forms_enterprise, security
from safeplan.web.blocks import record_links
from safeplan.web.pages_base import (
    ENTERPRISE_FILTERS,
    FILTERS,
    STATIC,
    Refused,
    Settings,
    _enterprise_link,
    _local,
    _record_link,
    _safe,
    _task_link,
)
from safeplan.web.pages_forms import FormPages
from safeplan.web.pages_ledger import LedgerPages


class Pages(FormPages, LedgerPages):
    """The routes, over one plan."""

    # ------------------------------------------------------------------ pages

    async def status(self, request: Request) -> Response:
        from safeplan.render.screens.overview import status_screen
        from safeplan.views.overview import overview

        return self.screen(
            self.tr(N_("Overview")), overview, lambda v: status_screen(v, self.tr, tasks_shown=50),
            "status", link=record_links, before=self._flash_html(request),
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
        from safeplan.views.hazards import hazard_page

        root = self.s.root
        view = hazard_page(root, hid, self.s.today())
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
        from safeplan.render.screens.tasks import task_listing
        from safeplan.views.tasks import task_list

        return self.screen(
            self.tr(N_("Tasks")), task_list, lambda v: task_listing(v, self.tr), "tasks",
            link=_task_link, before=self._flash_html(request),
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
            id=ent.id, name=ent.name, verbs=forms_enterprise.ENTERPRISE_VERBS, hazards=hazards,
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
        from safeplan.render.screens.enterprises import duties_listing
        from safeplan.views.enterprises import duties_view

        return self.screen(
            self.tr(N_("Duties")), duties_view, lambda v: duties_listing(v, self.tr),
            "enterprises", link=_enterprise_link,
        )  # fmt: skip

    async def new_enterprise(self, request: Request) -> Response:
        return await self._form(request, forms_enterprise.NEW_ENTERPRISE, "", "new enterprise")

    async def enterprise_verb(self, request: Request) -> Response:
        verb = forms_enterprise.ENTERPRISE_VERBS.get(request.path_params["verb"])
        if verb is None:
            return self.no_form()
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
