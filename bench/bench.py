"""Benchmark start-up, validate, status and listing, on the shipped plan and on generated hazards.

Run by ``make bench``. Generates a synthetic plan into ``.bench/`` (see gen.py), then
measures, in one run, several repetitions each, interleaved so that a busy machine
slows every measurement alike, and prints medians and ratios:

  read      reading the bytes of every hazard file
  parse     a bare single-process parse of every file with CSafeLoader: validate's yardstick
  typer     ``python -c "import typer"``: the floor of every command (typer is fixed)
  help      ``safeplan --help``
  status-s  ``safeplan status`` on the shipped plan
  validate  ``safeplan validate`` on the generated plan
  status    ``safeplan status`` on the generated plan
  list      ``safeplan hazard list`` of every generated hazard (and its peak memory)

validate and status run without the per-file cache (SAFEPLAN_NO_CACHE=1: every file
parsed, "cold"); ``-warm`` runs them with the cache of an unchanged plan, ``-1pct`` with
1 % of the hazard files rewritten (new timestamps) before each run. Their ratios to the
cold run compare CPU seconds (the process and its workers), which a machine busy with
other work disturbs less than wall time.

Targets are ratios measured in one run, never absolute times. ``--baseline
PATH/TO/safeplan`` runs the same commands with another installation beside this one
(before/after). It also prints ``-X importtime``'s top entries for ``--help`` and
``status``. A benchmark reports; it always exits 0.
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
BENCH_DIR = Path(os.environ.get("SAFEPLAN_BENCH_DIR", REPO / ".bench"))
SAFEPLAN = Path(sys.executable).parent / "safeplan"
AS_OF = "2026-11-28"

#: (label, numerator, denominator, target): ratios measured in one run.
TARGETS: list[tuple[str, str, str, float]] = [
    ("validate / parse", "validate", "parse", 1.0),
    ("validate warm / cold (CPU)", "validate-warm", "validate", 0.15),
    ("validate 1% changed / cold (CPU)", "validate-1pct", "validate", 0.25),
    ("status warm / cold (CPU)", "status-warm", "status", 0.15),
    ("status 1% changed / cold (CPU)", "status-1pct", "status", 0.25),
    ("status / validate", "status", "validate", 1.3),
    ("hazard list / status", "list", "status", 1.2),
    ("--help / import typer", "help", "typer", 1.2),
    ("status (shipped) / import typer", "status-s", "typer", 2.5),
]

#: Issue #24's further rows (``speed_measures``), on each data set: the suffix names it.
SPEED_TARGETS: list[tuple[str, str, str, float]] = [
    ("fmt --check (canonical, memo) / validate (CPU)", "fmt-check", "validate", 1.5),
    ("report weekly / validate (CPU)", "report", "validate", 1.2),
]
#: Peak memory of these commands at most so many MiB (the 100k targets, ``make bench-100k``).
PEAK_TARGETS: list[tuple[str, float]] = [
    ("validate", 300),
    ("status", 300),
    ("report", 300),
]


@dataclass
class Measure:
    key: str
    label: str
    run: Callable[[], int]  # returns the peak memory in KiB (0 when not measured)
    times: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)
    codes: set[int] = field(default_factory=set)
    #: CPU seconds of each run (the process and the workers it waited for).
    cpu: list[float] = field(default_factory=list)
    #: Run before each timed run, not timed (e.g. changing files).
    setup: Callable[[], None] | None = None
    #: CPU seconds of the warm-up run (a cache's first, cold run).
    first_cpu: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else self.median


def _env() -> dict[str, str]:
    """The environment a user has: bytecode may be cached (CI sets it off for the tests)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("SAFEPLAN_AS_OF", None)
    env["COLUMNS"] = "100"
    return env


def command(
    args: Sequence[str],
    codes: set[int],
    cpu: list[float] | None = None,
    extra_env: dict[str, str] | None = None,
) -> Callable[[], int]:
    """A command run as a fresh process; returns its peak memory (KiB) from wait4 and adds
    its CPU seconds (user + system, with the children it waited for) to ``cpu``."""
    env = {**_env(), **(extra_env or {})}

    def run() -> int:
        proc = subprocess.Popen(
            list(args), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        codes.add(proc.returncode)
        if cpu is not None:
            cpu.append(usage.ru_utime + usage.ru_stime)
        return int(usage.ru_maxrss)

    return run


def touch_some(paths: Sequence[Path], share: float = 0.01) -> Callable[[], None]:
    """Rewrite ``share`` of the files with their own bytes: new timestamps, same content,
    so the cache must read them again (and the results stay clean)."""
    step = max(1, round(1 / share))
    chosen = list(paths[::step])

    def setup() -> None:
        for p in chosen:
            p.write_bytes(p.read_bytes())

    return setup


def hazard_paths(root: Path) -> list[Path]:
    return sorted((root / "data" / "hazards").glob("*.yaml"))


def read_all(paths: Sequence[Path]) -> int:
    total = 0
    for p in paths:
        with open(p, "rb") as fh:
            total += len(fh.read())
    return 0


def parse_all(paths: Sequence[Path]) -> int:
    for p in paths:
        with open(p, "rb") as fh:
            yaml.load(fh.read().decode("utf-8"), Loader=yaml.CSafeLoader)
    return 0


def measures(
    root: Path, exe: Path, suffix: str = "", cache: bool = False, floor: bool = True
) -> list[Measure]:
    python = exe.parent / "python"
    out: list[Measure] = []
    cold = {"SAFEPLAN_NO_CACHE": "1"}

    def add(
        key: str,
        label: str,
        args: Sequence[str],
        env: dict[str, str] | None = None,
        setup: Callable[[], None] | None = None,
    ) -> None:
        m = Measure(key + suffix, label + suffix, lambda: 0, setup=setup)
        m.run = command(args, m.codes, m.cpu, env)
        out.append(m)

    if floor:  # start-up: the same whatever the data set
        add("typer", "python -c 'import typer'", [str(python), "-c", "import typer"])
        add("help", "safeplan --help", [str(exe), "--help"])
        add(
            "status-s",
            "status (shipped plan)",
            [str(exe), "status", "--root", str(REPO), "--as-of", AS_OF],
        )
    validate = [str(exe), "validate", "--root", str(root)]
    status = [str(exe), "status", "--root", str(root), "--as-of", AS_OF]
    add("validate", "validate (generated, no cache)", validate, cold)
    add("status", "status (generated, no cache)", status, cold)
    if cache:
        some = touch_some(hazard_paths(root))
        add("validate-warm", "validate (generated, warm cache)", validate)
        add("validate-1pct", "validate (generated, 1% changed)", validate, setup=some)
        add("status-warm", "status (generated, warm cache)", status)
        add("status-1pct", "status (generated, 1% changed)", status, setup=some)
    add(
        "list",
        "hazard list (generated, no cache)",
        [str(exe), "hazard", "list", "--root", str(root), "--as-of", AS_OF],
        cold,
    )
    return out


def formatted_copy(root: Path, exe: Path) -> Path:
    """A copy of a generated plan put in the canonical layout once (not timed): what
    ``fmt --check`` meets in a plan kept with safeplan. The copy's fmt memo is then warm."""
    import shutil

    dest = root.parent / (root.name + "-fmt")
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(root, dest, symlinks=True)
    shutil.rmtree(dest / ".safeplan-cache", ignore_errors=True)
    subprocess.run(
        [str(exe), "fmt", "--root", str(dest)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
        check=False,
    )
    return dest


def speed_measures(root: Path, exe: Path, suffix: str = "", fmt: bool = True) -> list[Measure]:
    """Issue #24's rows beyond validate and status: ``fmt --check`` on canonical files
    (its memo warm: the warm-up run proves every file once, and that run's CPU is kept
    as ``fmt-check-cold``) and ``report weekly`` to stdout, both with the cache as a
    user has it."""
    out: list[Measure] = []
    if fmt:  # formatting a copy first takes a round-trip of every file (minutes at 10k)
        canon = formatted_copy(root, exe)
        check = Measure(
            "fmt-check" + suffix, "fmt --check (canonical files, memo)" + suffix, lambda: 0
        )
        check.run = command(
            [str(exe), "fmt", "--check", "--root", str(canon)], check.codes, check.cpu
        )
        out.append(check)
    report = Measure("report" + suffix, "report weekly --stdout" + suffix, lambda: 0)
    report.run = command(
        [str(exe), "report", "weekly", "--stdout", "--root", str(root), "--as-of", AS_OF],
        report.codes,
        report.cpu,
    )
    out.append(report)
    return out


def print_speed_ratios(by_key: dict[str, Measure], suffixes: Sequence[str]) -> None:
    """The further rows' ratios and peak memory targets, per data set."""
    for suffix in suffixes:
        for label, num, den, target in SPEED_TARGETS:
            a, b = by_key.get(num + suffix), by_key.get(den + suffix)
            if a is None or b is None:
                continue
            value = a.cpu_median / b.cpu_median
            mark = "ok" if value <= target else "MISSED"
            print(f"  {label + suffix:<52} {value:7.2f}   ≤ {target:g}  {mark}")
        cold = by_key.get("fmt-check" + suffix)
        if cold is not None and cold.first_cpu is not None and "validate" + suffix in by_key:
            value = cold.first_cpu / by_key["validate" + suffix].cpu_median
            print(f"  {'fmt --check, first run (no memo) / validate' + suffix:<52} {value:7.2f}")
        for key, limit in PEAK_TARGETS:
            m = by_key.get(key + suffix)
            if m is None or not any(m.peak_kib):
                continue
            peak = max(m.peak_kib) / 1024
            mark = "ok" if peak <= limit else "MISSED"
            print(f"  {'peak MiB ' + key + suffix:<52} {peak:7.0f}   ≤ {limit:g} (at 100k)  {mark}")


def importtime(exe: Path, args: Sequence[str], top: int = 8) -> list[str]:
    """The slowest imports of a command, by cumulative time, as -X importtime reports them."""
    python = exe.parent / "python"
    code = (
        "import sys; from safeplan.cli import main; sys.argv = ['safeplan', *sys.argv[1:]]; main()"
    )
    done = subprocess.run(
        [str(python), "-X", "importtime", "-c", code, *args],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line[len("import time:") :].split("|")
        if not name.startswith(" " * 3):  # top-level and one below: where the time goes
            rows.append((int(cumulative), name.rstrip()))
    rows.sort(reverse=True)
    return [f"{us / 1000:8.1f} ms  {name}" for us, name in rows[:top]]


def run(
    n: int, reps: int, seed: int, baseline: Path | None, full: bool = True, fmt: bool = True
) -> None:
    root = BENCH_DIR / f"plan{n}"
    start = time.perf_counter()
    gen.generate(root, n, seed)
    paths = hazard_paths(root)
    size = sum(p.stat().st_size for p in paths)
    print(
        f"generated {len(paths)} hazard files ({size / 1e6:.1f} MB) in {root} "
        f"({time.perf_counter() - start:.1f} s); {reps} repetitions each\n",
        flush=True,
    )
    # The second data set of issue #24: every kind of fact, records ~2.7x as long.
    full_root = BENCH_DIR / f"plan{n}-full"
    if full:
        start = time.perf_counter()
        gen.generate(full_root, n, seed + 1, full=True)
        size = sum(p.stat().st_size for p in hazard_paths(full_root))
        print(
            f"generated {n} full hazard files ({size / 1e6:.1f} MB) in {full_root} "
            f"({time.perf_counter() - start:.1f} s)\n",
            flush=True,
        )

    # Timings of clean data measure the work; problems would add their reporting to it.
    for label, exe in (("safeplan", SAFEPLAN), ("baseline", baseline)):
        if exe is None:
            continue
        checked = subprocess.run(
            [str(exe), "validate", "--root", str(root), "--lang", "en"],
            capture_output=True,
            text=True,
            env=_env(),
            check=False,
        )
        summary = (checked.stdout.strip().splitlines() or ["(no output)"])[-1]
        print(f"{label} validate of the generated data: {summary}")
        if checked.returncode != 0:
            print("  not clean: the timings below include reporting those problems")
    print()

    plain = [
        Measure("read", "read all hazard bytes", lambda: read_all(paths)),
        Measure("parse", "parse all, CSafeLoader, 1 process", lambda: parse_all(paths)),
    ]
    ours = measures(root, SAFEPLAN, cache=True)
    theirs = measures(root, baseline, " [baseline]") if baseline else []
    speed = speed_measures(root, SAFEPLAN, fmt=fmt)
    if full:
        speed += measures(full_root, SAFEPLAN, " [full]", cache=True, floor=False)
        speed += speed_measures(full_root, SAFEPLAN, " [full]", fmt=fmt)
    everything = [*plain, *ours, *theirs, *speed]
    for m in everything:  # warm up: bytecode written, files in the page cache, the cache made
        m.run()
        m.first_cpu = m.cpu[0] if m.cpu else None
        m.cpu.clear()
    for _ in range(reps):
        for m in everything:
            if m.setup is not None:
                m.setup()
            t = time.perf_counter()
            peak = m.run()
            m.times.append(time.perf_counter() - t)
            m.peak_kib.append(peak)

    print(f"{'measured':<46} {'median':>8} {'min':>7} {'max':>7} {'CPU s':>7} {'peak MiB':>9}")
    for m in everything:
        peak = f"{max(m.peak_kib) / 1024:9.0f}" if any(m.peak_kib) else ""
        cpu = f"{m.cpu_median:7.3f}" if m.cpu else " " * 7
        bad = sorted(c for c in m.codes if c not in (0, 1))
        note = f"  exit {bad}!" if bad else ""
        print(
            f"  {m.label:<44} {m.median:8.3f} {min(m.times):7.3f} {max(m.times):7.3f} "
            f"{cpu} {peak}{note}"
        )

    by_key = {m.key: m for m in everything}
    print(f"\n{'ratio':<54} {'value':>7}   target")
    for suffix in ("", " [baseline]") if baseline else ("",):
        for label, num, den, target in TARGETS:
            a, b = by_key.get(num + suffix), by_key.get(den if den in ("parse",) else den + suffix)
            if a is None or b is None:
                continue
            cpu = "(CPU)" in label
            value = a.cpu_median / b.cpu_median if cpu else a.median / b.median
            mark = "ok" if value <= target else "MISSED"
            print(f"  {label + suffix:<52} {value:7.2f}   ≤ {target:g}  {mark}")
    print_speed_ratios(by_key, ["", " [full]"] if full else [""])
    for label, num, den, target in TARGETS:  # the validate/status rows on the second data set
        a, b = by_key.get(num + " [full]"), by_key.get(den if den == "parse" else den + " [full]")
        if full and a is not None and b is not None and den != "parse":
            cpu = "(CPU)" in label
            value = a.cpu_median / b.cpu_median if cpu else a.median / b.median
            mark = "ok" if value <= target else "MISSED"
            print(f"  {label + ' [full]':<52} {value:7.2f}   ≤ {target:g}  {mark}")
    floor = subprocess.run(
        [
            str(SAFEPLAN.parent / "python"),
            "-c",
            "import time, subprocess, sys, statistics\n"
            "def t(c):\n"
            "    xs=[]\n"
            "    for _ in range(7):\n"
            "        s=time.perf_counter(); subprocess.run([sys.executable,'-c',c]); xs.append(time.perf_counter()-s)\n"
            "    return statistics.median(xs)\n"
            "a=t('import typer'); b=t('import typer; from pydantic import BaseModel; import rich.console, yaml')\n"
            "print(f'{b/a:.2f}')",
        ],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    ).stdout.strip()
    print(
        f"\nfor scale: importing typer + pydantic + rich + yaml alone takes {floor}× "
        "`import typer` (the imports status cannot avoid)"
    )
    for args in (["--help"], ["status", "--root", str(REPO), "--as-of", AS_OF]):
        print(f"\n-X importtime, slowest imports of `safeplan {' '.join(args[:1])}`:")
        for line in importtime(SAFEPLAN, args):
            print("  " + line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark safeplan on generated hazards.")
    parser.add_argument("-n", type=int, default=gen.DEFAULT_N, help="number of hazard files")
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions per measurement")
    parser.add_argument("--seed", type=int, default=gen.DEFAULT_SEED)
    parser.add_argument(
        "--baseline", type=Path, help="another installation's safeplan executable, measured beside"
    )
    parser.add_argument(
        "--one-set", action="store_true", help="only bench/gen.py's first data set (not --full)"
    )
    parser.add_argument(
        "--no-fmt", action="store_true", help="leave out fmt --check (it formats a copy first)"
    )
    args = parser.parse_args(argv)
    print(
        f"safeplan bench: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"PyYAML {yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'NO'})"
    )
    try:
        run(args.n, max(1, args.reps), args.seed, args.baseline, not args.one_set, not args.no_fmt)
    except Exception as exc:  # a benchmark reports; it does not fail the build
        print(f"bench: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
