"""What a command writes: JSON documents of view models, and screens.

JSON never goes through rich or the screens' folding (it would wrap lines). A screen
(``render/screens/``) is laid out for the terminal's width, or not folded at all when
the output is not a terminal and COLUMNS is not set; it is coloured only on a terminal.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from pydantic import BaseModel

    from safeplan.render.grid import Block


def dump_json(view: BaseModel) -> str:
    """A view model as an indented JSON document (non-ASCII kept)."""
    return json.dumps(view.model_dump(mode="json"), ensure_ascii=False, indent=2)


def stream_json(
    head: BaseModel, key: str, items: Iterable[BaseModel], out: TextIO | None = None
) -> None:
    """``{**head, key: [items…]}``, written one item at a time.

    The text is the same as ``json.dumps(…, indent=2)`` of the whole document; the items
    are never all held at once.
    """
    out = out or sys.stdout
    doc: dict[str, Any] = head.model_dump(mode="json")
    doc.pop(key, None)
    text = json.dumps({**doc, key: []}, ensure_ascii=False, indent=2)
    opening, closing = text.rsplit("[]", 1)
    out.write(opening)
    first = True
    for item in items:
        body = json.dumps(item.model_dump(mode="json"), ensure_ascii=False, indent=2)
        out.write(("[\n    " if first else ",\n    ") + body.replace("\n", "\n    "))
        first = False
    out.write(("[]" if first else "\n  ]") + closing + "\n")


# --------------------------------------------------------------------------- screens

#: The narrowest width a screen is laid out for: below it, lines may pass the edge.
MIN_WIDTH = 20


def screen_width(stream: TextIO, environ: Mapping[str, str]) -> int | None:
    """How wide to lay a screen out: COLUMNS when it is set, else the terminal's width;
    None (no folding at all) when the output is not a terminal, so that a pipe, a file or
    ``grep`` sees every record on its lines whole."""
    columns = environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), MIN_WIDTH)
    if not _isatty(stream):
        return None
    try:
        return max(os.get_terminal_size(stream.fileno()).columns, MIN_WIDTH)
    except (OSError, ValueError, AttributeError):
        return 80


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError, AttributeError):
        return False


Styler = Callable[[str, str], str]


def _styler(stream: TextIO, environ: Mapping[str, str]) -> Styler | None:
    """How a run of a style is written: with rich's escape codes on a terminal that takes
    colour (NO_COLOR keeps bold and drops colour; FORCE_COLOR colours a pipe), else None:
    plain text, and rich is not imported at all."""
    forced = environ.get("FORCE_COLOR") or environ.get("TTY_COMPATIBLE") == "1"
    if not forced and not _isatty(stream):
        return None
    from rich.color import ColorSystem
    from rich.console import Console
    from rich.style import Style

    console = Console(file=stream, highlight=False)
    system = {
        "standard": ColorSystem.STANDARD,
        "256": ColorSystem.EIGHT_BIT,
        "truecolor": ColorSystem.TRUECOLOR,
        "windows": ColorSystem.WINDOWS,
    }.get(console.color_system or "")
    if system is None:
        return None
    styles: dict[str, Style] = {}

    def styled(name: str, text: str) -> str:
        if not name:
            return text
        style = styles.get(name)
        if style is None:
            style = console.get_style(name, default="")
            if console.no_color:
                style = style.without_color
            styles[name] = style
        return style.render(text, color_system=system)

    return styled


def write_screen(
    block: Block, environ: Mapping[str, str], out: TextIO | None = None, width: int | None = -1
) -> None:
    """A screen's lines to stdout, written in chunks as they come (a listing of 100,000
    hazards is never held), styled on a terminal, plain in a pipe.

    ``width`` -1: as ``screen_width`` says."""
    out = out or sys.stdout
    if width == -1:
        width = screen_width(out, environ)
    styler = _styler(out, environ)
    chunk: list[str] = []
    for line in block.lines(width):
        if styler is None:
            chunk.append("".join(text for _, text in line))
        else:
            chunk.append("".join(styler(name, text) for name, text in line))
        if len(chunk) >= 512:
            out.write("\n".join(chunk) + "\n")
            chunk.clear()
    if chunk:
        out.write("\n".join(chunk) + "\n")
    out.flush()


def message_lines(text: str, stream: TextIO, environ: Mapping[str, str]) -> str:
    """A message as it is shown: folded as Chinese is typeset on a terminal (so the
    terminal does not cut an id or start a line with '。'), as it is in a pipe; never
    with blanks at the end of a line."""
    width = screen_width(stream, environ) if _isatty(stream) else None
    out: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if width is None or not line:
            out.append(line)
            continue
        from safeplan.render.wrap import fold

        out.extend(fold(line, width))
    return "\n".join(out)
