"""``safeplan status``: one screen that answers "where do we stand"."""

from __future__ import annotations

from safeplan.cli.options import READ, Call, UnitOpt, command


@command(READ)
def status(c: Call, unit: UnitOpt = None) -> int:
    from safeplan.views.overview import cached_overview

    repo = c.repo()
    view = cached_overview(repo, c.as_of, unit)
    if c.json:
        c.emit(view)
        return c.finish(repo)
    from safeplan.render.screens.overview import status_screen

    c.print(status_screen(view, c.tr))
    return 1 if repo.errors else 0  # the screen says how many problems, and what to run
