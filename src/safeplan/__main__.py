"""The ``safeplan`` program's entry point (``python -m safeplan`` too).

It imports nothing heavy itself: Ctrl-C pressed while typer, pydantic and the rest are
still being imported ends the run with one line in the reader's language and exit 130,
never a Python traceback (the command line's own handlers are not in place yet).
"""

from __future__ import annotations

import os
import sys

#: typing's names only for the checker: importing typing (and re, enum) here would widen the
#: window in which Ctrl-C is still a traceback.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

#: 128 + SIGINT, as shells report a command stopped by Ctrl-C.
EXIT_INTERRUPTED = 130


def _interrupted_early() -> None:
    """Ctrl-C before any command ran: nothing was written. The language is chosen as for
    any message (``--lang``, ``SAFEPLAN_LANG``, the plan's language, the locale); if that
    cannot be done (a second Ctrl-C), the line is in English."""
    import contextlib

    line = "safeplan: interrupted: nothing was written"
    with contextlib.suppress(BaseException):  # a second Ctrl-C, a broken install: English
        line = "safeplan: " + _translated("interrupted: nothing was written")
    with contextlib.suppress(BaseException):
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED)


def _translated(message: str) -> str:
    """``message`` in the reader's language: with the plan's language when the command
    line's helpers can still be imported (they import typer again), else from
    ``--lang``, ``SAFEPLAN_LANG`` and the locale alone."""
    from safeplan.render.i18n import choose_language, translator

    try:
        from pathlib import Path

        from safeplan.cli.lang import detect

        return translator(detect(sys.argv[1:], os.environ, Path.cwd()))(message)
    except (Exception, KeyboardInterrupt):  # typer's import fails again, not merely slow
        pass
    args = sys.argv[1:]
    option = None
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            option = args[i + 1]
        elif arg.startswith("--lang="):
            option = arg[len("--lang=") :]
    return translator(choose_language(option, None, os.environ))(message)


def _unraisable(hook: Callable[[Any], object]) -> Callable[[Any], object]:
    """Ctrl-C that lands in a callback Python cannot raise from (an import lock's cleanup)
    is printed as 'Exception ignored …' with a traceback, and lost. Send it again instead,
    so that it arrives where it can be handled; other such errors go to Python's hook."""

    def unraisable(info: Any) -> object:
        if isinstance(info.exc_value, KeyboardInterrupt):
            import signal

            os.kill(os.getpid(), signal.SIGINT)
            return None
        return hook(info)

    return unraisable


def main() -> None:
    """Import the command line (typer and the rest), then run it."""
    sys.unraisablehook = _unraisable(sys.unraisablehook)
    try:
        from safeplan.cli import main as run
    except KeyboardInterrupt:
        _interrupted_early()
        return
    run()


if __name__ == "__main__":
    main()
