"""Messages in the reader's language: a template and its parameters, rendered when shown."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safeplan.problems import Coded, Fragment, ListOf, Plural, Problem
from safeplan.render.i18n import Translator


def render(template: str, params: dict[str, Any], tr: Translator) -> str:
    """A message in the reader's language; parameters that are words are translated too."""
    return tr(template).format(**{k: param(v, tr) for k, v in params.items()})


def param(value: Any, tr: Translator) -> Any:
    """One parameter as the reader sees it."""
    if isinstance(value, Fragment):
        return render(value.template, value.params, tr)
    if isinstance(value, ListOf):
        items = [str(param(v, tr)) for v in value.items]
        if not items:
            return value.empty
        return tr.join(f"'{i}'" for i in items) if value.quoted else tr.join(items)
    if isinstance(value, Plural):
        return tr.ngettext(value.singular, value.plural, value.n).format(
            n=value.n, **{k: param(v, tr) for k, v in value.params.items()}
        )
    if isinstance(value, Coded):
        return tr.label(value.vocabulary, value.code)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def problem_message(p: Problem, tr: Translator) -> str:
    return render(p.template, p.params, tr)
