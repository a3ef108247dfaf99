"""The ``safeplan`` program's entry point (``python -m safeplan`` too).

It imports nothing heavy itself: Ctrl-C pressed while typer, pydantic and the rest are
still being imported ends the run with one line in the reader's language and exit 130,
never a Python traceback (the command line's own handlers are not in place yet).
"""

from __future__ import annotations

import itertools
import os
import sys

#: 128 + SIGINT, as shells report a command stopped by Ctrl-C.
EXIT_INTERRUPTED = 130


def _interrupted_early() -> None:
    """Ctrl-C before any command ran: nothing was written. The language is ``--lang``,
    ``SAFEPLAN_LANG`` or the locale (finding the plan's own language needs the command
    line, whose import was what the interruption stopped)."""
    line = "safeplan: interrupted: nothing was written"
    try:
        from safeplan.render.i18n import choose_language, translator

        args = sys.argv[1:]
        option = next(
            (v for k, v in itertools.pairwise(args) if k == "--lang"),
            next((a[7:] for a in args if a.startswith("--lang=")), None),
        )
        tr = translator(choose_language(option, None, os.environ))
        line = "safeplan: " + tr("interrupted: nothing was written")
    except BaseException:  # a second Ctrl-C, or a broken install: the English line
        pass
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except BaseException:
        pass
    os._exit(EXIT_INTERRUPTED)


def main() -> None:
    """Import the command line (typer and the rest), then run it."""
    try:
        from safeplan.cli import main as run
    except KeyboardInterrupt:
        _interrupted_early()
        return
    run()


if __name__ == "__main__":
    main()
