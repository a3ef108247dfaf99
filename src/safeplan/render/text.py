"""Messages in the reader's language: a template and its parameters, rendered when shown."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from safeplan.characters import CONTROL_CHARACTERS, INVISIBLE_CHARACTERS
from safeplan.problems import Coded, Fragment, ListOf, Plural, Problem
from safeplan.render.i18n import Translator

#: What a record's text may hold that must not reach a terminal as it is: control
#: characters (ESC clears screens and retitles windows), invisible ones, and line breaks
#: other than newline.
_UNSAFE = re.compile(f"[{CONTROL_CHARACTERS}{INVISIBLE_CHARACTERS}\x85\u2028\u2029]")
_UNSAFE_IN_LINE = re.compile(f"[\n\r\t{CONTROL_CHARACTERS}{INVISIBLE_CHARACTERS}\x85\u2028\u2029]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(m.group()) or (
        f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    )


def inert(text: str, one_line: bool = False) -> str:
    """Text shown as it is, never acted on: control and invisible characters appear as
    escapes (``\\x1b``, ``\\u200c``); with ``one_line`` newlines too, so a message stays
    on its own line and still names its file."""
    pattern = _UNSAFE_IN_LINE if one_line else _UNSAFE
    return pattern.sub(_escape, text) if pattern.search(text) else text


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
    if isinstance(value, str):
        return inert(value, one_line=True)
    return value


def problem_message(p: Problem, tr: Translator) -> str:
    return render(p.template, p.params, tr)
