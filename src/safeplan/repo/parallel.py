"""Reading many hazard files in worker processes and this one: small chunks taken in turn
from a shared counter, so a process slowed down (by a busy machine) does less of the work;
the workers send back small summaries and problems, not models. ``repo.snapshot`` reads a
plan through :func:`read_hazards`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the hazard pipeline is imported when there is a hazard file to read
    from safeplan.repo.hazardfile import HazardFile, Keep

#: Below this many hazard files one process is faster than starting workers.
PARALLEL_THRESHOLD = 400

#: In one process, progress is told after every so many hazard files.
PROGRESS_STEP = 200
#: Told how far reading has come: (hazard files read, hazard files to read). The core
#: reports; the command line decides whether and how to show it (``cli/progress.py``).
Progress = Callable[[int, int], None]


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use (containers)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


_Chunks = list[list[tuple[str, str]]]
#: In a worker process: the shared chunk counter, the chunks, the day and the keeper
#: (inherited when the worker starts, not sent with each task).
_WORK: tuple[Any, _Chunks, dt.date | None, Keep | None] | None = None


def _set_work(counter: Any, chunks: _Chunks, today: dt.date | None, keep: Keep | None) -> None:
    global _WORK
    _WORK = (counter, chunks, today, keep)


def _take_chunks(
    counter: Any,
    chunks: _Chunks,
    today: dt.date | None,
    keep: Keep | None = None,
    progress: Progress | None = None,
    total: int = 0,
) -> list[tuple[int, list[HazardFile]]]:
    """Read chunks until none is left, taking the next one from the shared counter.

    ``progress`` (in the main process) hears after each chunk how many files all the
    processes have taken so far: the chunks are small, so that is close to what is read."""
    from safeplan.repo.hazardfile import parse_hazards

    done: list[tuple[int, list[HazardFile]]] = []
    size = len(chunks[0]) if chunks else 0
    while True:
        with counter.get_lock():
            i = counter.value
            counter.value = i + 1
        if i >= len(chunks):
            return done
        done.append((i, parse_hazards(chunks[i], today, keep)))
        if progress is not None:
            progress(min(counter.value * size, total), total)


def _worker_take() -> list[tuple[int, list[HazardFile]]]:
    assert _WORK is not None
    return _take_chunks(*_WORK)


def read_hazards(
    files: Sequence[tuple[str, str]],
    workers: int | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    keep: Keep | None = None,
) -> list[HazardFile]:
    """Read hazard files, in worker processes and this one, in the order given.

    The files are cut into small chunks that each process takes in turn from a shared
    counter, so a process slowed down (by a busy machine) does less of the work.
    """
    if not files:  # a plan without hazards imports none of the hazard pipeline
        return []
    from safeplan.repo.hazardfile import parse_hazards

    items = list(files)
    n = workers if workers is not None else _cpus()
    if n <= 1 or len(items) < PARALLEL_THRESHOLD:
        if progress is None:
            return parse_hazards(items, today, keep)
        out: list[HazardFile] = []
        step = PROGRESS_STEP
        for i in range(0, len(items), step):
            out += parse_hazards(items[i : i + step], today, keep)
            progress(len(out), len(items))
        return out
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from safeplan.repo.hazardfile import prepare

    prepare()

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else None)
    size = min(max(len(items) // (n * 16), 50), 500)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    counter = ctx.Value("i", 0)
    by_chunk: dict[int, list[HazardFile]] = {}
    with ProcessPoolExecutor(
        max_workers=n - 1,
        mp_context=ctx,
        initializer=_set_work,
        initargs=(counter, chunks, today, keep),
    ) as pool:
        futures = [pool.submit(_worker_take) for _ in range(n - 1)]
        by_chunk.update(_take_chunks(counter, chunks, today, keep, progress, len(items)))
        for fut in futures:
            by_chunk.update(fut.result())
    if progress is not None:
        progress(len(items), len(items))
    return [r for i in range(len(chunks)) for r in by_chunk[i]]
