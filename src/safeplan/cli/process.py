"""What the process a command runs in may assume: set by ``cli.main`` (imported by it, so
kept free of imports: ``safeplan --help`` pays for nothing here)."""

from __future__ import annotations

#: This process runs one command and ends (``cli.main``), as opposed to a test or a server
#: calling commands in a longer life: what a command loaded may then be frozen out of
#: the garbage collector's reach (``gc.freeze``), since the process ends before any of it
#: could become garbage.
ONE_SHOT = False


def settle_loaded() -> None:
    """After a whole plan is loaded: tell the collector that what is alive now stays.

    10,000 hazards are millions of objects; each full collection while the command works
    on them rescans all of them (~0.05 s a collection, ~0.1 s a ``status``). Only in a
    one-shot process: a long-lived one (tests, a server) must keep collecting them."""
    if ONE_SHOT:
        import gc

        gc.freeze()
