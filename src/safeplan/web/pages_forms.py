"""The forms of ``safeplan serve``: each builds the CLI's edit, previews it (in words
and as a diff) and saves it under the lock, refused if its record changed since it was
loaded."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from safeplan.errors import SafeplanError, UsageError
from safeplan.problems import N_
from safeplan.web import evidence, forms, forms_base
from safeplan.web.pages_base import (
    _NAV,
    Missing,
    NeedName,
    PagesBase,
    _codes,
    _placed,
    _shown_name,
    _values,
)


class FormPages(PagesBase):
    """The form routes (new hazard, a verb on a hazard, task or enterprise)."""

    # ------------------------------------------------------------------ forms

    async def new_hazard(self, request: Request) -> Response:
        return await self._form(request, forms.NEW_HAZARD, "", "new")

    def no_form(self) -> Response:
        """The answer to the address of a form there is not."""
        return Response(self.tr(N_("no such form")), 404, media_type="text/plain")

    async def hazard_verb(self, request: Request) -> Response:
        verb = forms.HAZARD_VERBS.get(request.path_params["verb"])
        if verb is None:
            return self.no_form()
        return await self._form(request, verb, request.path_params["hazard_id"], "hazard")

    async def task_verb(self, request: Request) -> Response:
        verb = forms.TASK_VERBS.get(request.path_params["verb"])
        if verb is None:
            return self.no_form()
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

    async def _form(
        self, request: Request, verb: forms_base.Verb, subject: str, kind: str
    ) -> Response:
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

    async def _uploads(self, data: FormData, verb: forms_base.Verb) -> list[evidence.Upload]:
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
        self, verb: forms_base.Verb, kind: str, subject: str, values: dict[str, str | None],
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
            req = forms_base.Request(self.s.root, subject, values, today, [f.rel for f in files])
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
