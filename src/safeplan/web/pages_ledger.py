"""The reports and the ledger (台账) pages of ``safeplan serve``: a report file to
download, the ledger export, and an office's ledger imported after its dry run."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from safeplan.errors import SafeplanError, UsageError
from safeplan.problems import N_
from safeplan.render.i18n import translator
from safeplan.web import evidence
from safeplan.web.pages_base import (
    LEDGER_MAX_BYTES,
    NeedName,
    PagesBase,
)


class LedgerPages(PagesBase):
    """The report and ledger routes."""

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
                blocked = bool(done.errors) or not done.file_count
                if not write or blocked:
                    return import_lines(done, self.tr), done.file_count, blocked
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
