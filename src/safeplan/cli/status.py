"""``safeplan status``: one screen that answers "where do we stand"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from safeplan.cli.options import READ, Call, UnitOpt, command

if TYPE_CHECKING:
    from safeplan.repo import Repository
    from safeplan.repo.warm import Warm


@command(READ)
def status(c: Call, unit: UnitOpt = None) -> int:
    from safeplan.repo.warm import warm_plan
    from safeplan.views.kept import kept_overview

    # An unchanged plan: its problems and its day view as last kept (``repo/warm.py``),
    # without reading the records again.
    warm = warm_plan(c.root, c.today()) if c.cache else None
    kept = kept_overview(warm, c.as_of, unit) if warm is not None else None
    if warm is not None and kept is not None:
        repo: Repository | Warm = warm
        view = kept
    else:
        from safeplan.views.overview import cached_overview

        whole = c.repo()
        view = cached_overview(whole, c.as_of, unit)
        repo = whole
    if c.json:
        c.emit(view)
        return c.finish(repo)
    from safeplan.render.screens.overview import status_screen

    c.print(status_screen(view, c.tr))
    return 1 if repo.errors else 0  # the screen says how many problems, and what to run
