"""The day view an unchanged plan kept (``repo/viewcache.py``), read back without the
modules that compute views: a warm ``status`` (and each unchanged town of ``rollup
status``) shows it after importing only the view models."""

from __future__ import annotations

import datetime as dt

from safeplan.models.views import Overview
from safeplan.repo.warm import Warm


def kept_overview(warm: Warm, as_of: dt.date, unit: str | None = None) -> Overview | None:
    """The view ``views.overview.cached_overview`` kept for the plan that ``warm`` stands
    for (an unchanged plan, ``repo/warm.py``), or None: read the plan and compute it."""
    from safeplan.repo.viewcache import basis_key, read_view

    key = basis_key(warm.view_basis, "overview", [as_of.isoformat(), unit or ""])
    body = read_view(warm.root, key)
    return None if body is None else decoded_view(body)


def decoded_view(body: bytes) -> Overview | None:
    """A kept view, or None when it does not validate (damaged: computed again)."""
    from pydantic import ValidationError

    try:
        kept = Overview.model_validate_json(body)
        if kept.enterprises is not None:  # typed loosely in Overview: made whole here
            from safeplan.models.enterprise_views import DutiesView

            kept.enterprises = DutiesView.model_validate(kept.enterprises)
        return kept
    except (ValidationError, ValueError):
        return None
