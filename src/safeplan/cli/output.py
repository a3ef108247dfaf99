"""Machine-readable output: JSON documents of view models, streamed where they may be long.

JSON never goes through rich (it would wrap lines).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from pydantic import BaseModel


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
