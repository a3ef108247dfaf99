"""Package names imported from their module on first use (PEP 562).

``safeplan.models`` and ``safeplan.edit`` offer their names at the package level, but a
command that needs one model must not import every model, the round-trip YAML and every
edit with it (start-up, issue #24): each package gives its table of homes here.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_names(
    package: str, homes: Mapping[str, str], names: Sequence[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The package's ``__getattr__`` (a name of ``homes`` imported from
    ``package.<home>``, then kept in the package) and its ``__dir__``."""

    def getattr_(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def dir_() -> list[str]:
        return sorted({*vars(sys.modules[package]), *names})

    return getattr_, dir_
