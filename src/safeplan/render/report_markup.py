"""Escaping for the report templates: every ``{{ … }}`` escaped for Markdown unless
marked safe (a record's ``|``, ``*`` or line break cannot break a table or make a link),
and the HTML finalizer."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from safeplan.render.report_words import join_numbers
from safeplan.vocab import Lang

if TYPE_CHECKING:
    pass


# --------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#$!])")
_MD_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
#: What would start a list item, or underline a heading, at the start of a line.
_MD_LIST = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([-+])(?=\s|$)|^([=-])(?=[=-]*\s*$)")


def _md_line(line: str) -> str:
    stripped = line.lstrip(" ")
    # Leading blanks would make an indented code block: keep them, as references.
    lead = "&#32;" * (len(line) - len(stripped))
    m = _MD_LIST.match(stripped)
    if m is not None and m[1] is not None:
        stripped = f"{m[1]}\\{m[2]}{stripped[m.end() :]}"
    elif m is not None:
        stripped = "\\" + stripped
    return lead + stripped


#: Text with none of these (most names, titles, numbers and dates) is its own escape: the
#: characters escaped, a line break, a tab, or what may start a list item or a heading's
#: underline (a leading blank, digit, ``-``, ``+`` or ``=``).
_MD_ANY = re.compile(r"[\\`*_\[\]|~#$!&<>\t\r\n\x85\u2028\u2029]|^[ 0-9=+-]")


def md_escape(value: object) -> str:
    """Text that stays text in Markdown (CommonMark and GitHub/Gitee tables): HTML
    characters become entities, Markdown's punctuation is backslash-escaped, and a line
    break is ``<br>``, so a cell stays one cell and a list item one item."""
    text = str(value)
    if _MD_ANY.search(text) is None:  # a report shows thousands of values: most plain
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text).replace("\t", " ")
    return "<br>".join(_md_line(line) for line in _MD_BREAKS.split(text))


def _md_finalize(value: object) -> object:
    if type(value) is str:  # the common case, without markupsafe's class check
        return md_escape(value)
    from markupsafe import Markup

    if isinstance(value, Markup):
        return str(value)
    return md_escape(value)


def _html_finalize(lang: Lang) -> Callable[[object], object]:
    """Every value an HTML template shows, numbers joined to measure words (``2项``)."""
    from markupsafe import Markup, escape

    def finalize(value: object) -> object:
        if lang != "zh" or value is None:
            return value
        if isinstance(value, Markup):
            return Markup(join_numbers(str(value), lang))
        return Markup(join_numbers(str(escape(value)), lang))

    return finalize
