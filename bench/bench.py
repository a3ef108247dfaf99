"""Benchmark validate, status and listing on 10,000 generated hazard files.

Run by ``make bench``. Generates the synthetic plan into ``.bench/`` (see gen.py),
then measures, in one run, several repetitions each, and prints the medians:

  (a) reading the bytes of every hazard file;
  (b) a bare single-process parse of every file (read, decode, ``yaml.load`` with
      CSafeLoader): the yardstick for validate;
  (c) ``safeplan validate`` on the generated plan, a fresh process each time;
  (d) ``safeplan --help``;
  (e) ``safeplan validate`` on the small shipped plan;
  (f) ``safeplan status --as-of 2026-11-28`` on the generated plan, when the command
      exists (``safeplan status --help`` exits 0);
  (g) ``safeplan status`` on the small shipped plan (target: under 0.5 s);
  (h) ``safeplan hazard list`` of all 10,000 hazards.

and the ratios against their targets. A benchmark reports; it always exits 0.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / ".bench"
SAFEPLAN = Path(sys.executable).parent / "safeplan"
AS_OF = "2026-11-28"

#: (label, numerator, denominator or None for an absolute time, target)
TARGETS: list[tuple[str, str, str | None, float]] = [
    ("validate / parse", "validate", "parse", 1.0),
    ("status / validate", "status", "validate", 1.3),
    ("--help (s)", "help", None, 0.3),
    ("status, shipped plan (s)", "status-small", None, 0.5),
]


@dataclass
class Result:
    key: str
    label: str
    times: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def timed(fn: Callable[[], object], reps: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    out: list[float] = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def hazard_paths(root: Path) -> list[Path]:
    return sorted((root / "data" / "hazards").glob("*.yaml"))


def read_all(paths: Sequence[Path]) -> int:
    total = 0
    for p in paths:
        with open(p, "rb") as fh:
            total += len(fh.read())
    return total


def parse_all(paths: Sequence[Path]) -> int:
    count = 0
    for p in paths:
        with open(p, "rb") as fh:
            text = fh.read().decode("utf-8")
        if yaml.load(text, Loader=yaml.CSafeLoader) is not None:
            count += 1
    return count


class Command:
    """A safeplan command line, run as a fresh process; remembers unexpected exit codes."""

    def __init__(self, args: Sequence[str], expect: int = 0) -> None:
        self.args = [str(SAFEPLAN), *args]
        self.expect = expect
        self.codes: set[int] = set()

    def __call__(self) -> None:
        done = subprocess.run(
            self.args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        self.codes.add(done.returncode)

    def note(self) -> str:
        bad = sorted(c for c in self.codes if c != self.expect)
        return f"exit {', '.join(map(str, bad))}!" if bad else ""


def command_exists(*args: str) -> bool:
    done = subprocess.run(
        [str(SAFEPLAN), *args, "--help"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return done.returncode == 0


def run(n: int, reps: int, seed: int) -> list[Result]:
    root = BENCH_DIR / f"plan{n}"
    start = time.perf_counter()
    gen.generate(root, n, seed)
    print(f"generated {n} hazards in {root} ({time.perf_counter() - start:.1f} s)", flush=True)
    paths = hazard_paths(root)
    size = read_all(paths)
    print(f"{len(paths)} files, {size / 1e6:.1f} MB; {reps} repetitions each\n", flush=True)

    results: list[Result] = []

    def measure(key: str, label: str, fn: Callable[[], object], note: str = "") -> Result:
        r = Result(key, label, timed(fn, reps), note)
        if isinstance(fn, Command):
            r.note = fn.note() or note
        print(f"  {label:<44} {r.median:8.3f} s", flush=True)
        results.append(r)
        return r

    measure("read", "(a) read all hazard bytes", lambda: read_all(paths))
    measure("parse", "(b) parse all, CSafeLoader, 1 process", lambda: parse_all(paths))
    measure("validate", "(c) safeplan validate (10k)", Command(["validate", "--root", str(root)]))
    measure("help", "(d) safeplan --help", Command(["--help"]))
    measure(
        "small", "(e) safeplan validate (shipped plan)", Command(["validate", "--root", str(REPO)])
    )
    if command_exists("status"):
        measure(
            "status",
            "(f) safeplan status (10k)",
            Command(["status", "--root", str(root), "--as-of", AS_OF]),
        )
        measure(
            "status-small",
            "(g) safeplan status (shipped plan)",
            Command(["status", "--root", str(REPO), "--as-of", AS_OF]),
        )
        measure(
            "list",
            "(h) safeplan hazard list (10k)",
            Command(["hazard", "list", "--root", str(root), "--as-of", AS_OF]),
        )
    else:
        print("  (f) safeplan status: not available yet (status --help fails)")
    return results


def report(results: list[Result]) -> None:
    by_key = {r.key: r for r in results}
    print("\nmedians (s)                                       median     min     max")
    for r in results:
        extra = f"  {r.note}" if r.note else ""
        print(f"  {r.label:<44} {r.median:8.3f} {min(r.times):7.3f} {max(r.times):7.3f}{extra}")
    print("\nratios                        value   target")
    for label, num, den, target in TARGETS:
        if num not in by_key or (den is not None and den not in by_key):
            print(f"  {label:<26} {'—':>8}   {'≤' if den else '<'} {target:g}   (not measured)")
            continue
        value = by_key[num].median / (by_key[den].median if den else 1.0)
        ok = value <= target if den else value < target
        mark = "ok" if ok else "MISSED"
        print(f"  {label:<26} {value:8.2f}   {'≤' if den else '<'} {target:g}   {mark}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark safeplan on generated hazards.")
    parser.add_argument("-n", type=int, default=gen.DEFAULT_N, help="number of hazard files")
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions per measurement")
    parser.add_argument("--seed", type=int, default=gen.DEFAULT_SEED)
    args = parser.parse_args(argv)
    print(
        f"safeplan bench: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"PyYAML {yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'NO'})"
    )
    try:
        report(run(args.n, max(1, args.reps), args.seed))
    except Exception as exc:  # a benchmark reports; it does not fail the build
        print(f"bench: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
