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

and, in their own rows (``export_rows``), ``export sqlite`` and ``export postgres`` (into a
new database of a throwaway cluster, tests/pgcluster.py) of the same hazards, each ÷ status.

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
import contextlib
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


def measures(root: Path, exe: Path, suffix: str = "", cache: bool = False) -> list[Measure]:
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


def run(n: int, reps: int, seed: int, baseline: Path | None) -> None:
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
    everything = [*plain, *ours, *theirs]
    for m in everything:  # warm up: bytecode written, files in the page cache, the cache made
        m.run()
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
    print(f"\n{'ratio':<36} {'value':>7}   target")
    for suffix in ("", " [baseline]") if baseline else ("",):
        for label, num, den, target in TARGETS:
            a, b = by_key.get(num + suffix), by_key.get(den if den in ("parse",) else den + suffix)
            if a is None or b is None:
                continue
            cpu = "(CPU)" in label
            value = a.cpu_median / b.cpu_median if cpu else a.median / b.median
            mark = "ok" if value <= target else "MISSED"
            print(f"  {label + suffix:<34} {value:7.2f}   ≤ {target:g}  {mark}")
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


#: Export targets (issue 23): export ÷ status of the same hazards, both without the cache.
EXPORT_TARGETS: list[tuple[str, str, str, float]] = [
    ("export sqlite / status", "export-sqlite", "status", 2.0),
    ("export postgres / status", "export-postgres", "status", 3.0),
]


def export_rows(n: int, reps: int) -> None:
    """``export sqlite`` and ``export postgres`` of the generated plan, each ÷ ``status``
    (all cold: every file parsed). PostgreSQL runs as a throwaway cluster; each timed
    export goes into a new, empty database (the full load, not the idempotent re-export)."""
    root = BENCH_DIR / f"plan{n}"
    if not root.exists():
        gen.generate(root, n, gen.DEFAULT_SEED)
    sys.path.insert(0, str(REPO / "tests"))
    from pgcluster import cluster, pg_bindir

    cold = {"SAFEPLAN_NO_CACHE": "1"}
    exe = str(SAFEPLAN)
    common = ["--root", str(root), "--as-of", AS_OF]
    out: list[Measure] = []

    def add(key: str, label: str, args: Sequence[str], setup: Callable[[], None] | None = None):
        m = Measure(key, label, lambda: 0, setup=setup)
        m.run = command(args, m.codes, m.cpu, cold)
        out.append(m)

    add("status", "status (generated, no cache)", [exe, "status", *common])
    db = BENCH_DIR / "export.db"
    add("export-sqlite", "export sqlite", [exe, "export", "sqlite", str(db), "--force", *common])
    bindir = pg_bindir()
    with contextlib.ExitStack() as stack:
        if bindir is None:
            print("\nexport postgres: not measured, no PostgreSQL binaries (initdb) found")
        else:
            server = stack.enter_context(cluster(bindir))
            url = server.replace("/postgres?", "/bench?")

            def fresh() -> None:
                for sql in ("DROP DATABASE IF EXISTS bench", "CREATE DATABASE bench"):
                    subprocess.run(
                        [str(SAFEPLAN.parent / "python"), "-c", _SQL, server, sql], check=True
                    )

            add(
                "export-postgres",
                "export postgres (new database)",
                [exe, "export", "postgres", url, *common],
                fresh,
            )
        for m in out:  # warm up
            if m.setup is not None:
                m.setup()
            m.run()
            m.cpu.clear()
        for _ in range(reps):
            for m in out:
                if m.setup is not None:
                    m.setup()
                t = time.perf_counter()
                peak = m.run()
                m.times.append(time.perf_counter() - t)
                m.peak_kib.append(peak)
    print(f"\nexport of {n} hazards, {reps} repetitions each")
    print(f"{'measured':<46} {'median':>8} {'min':>7} {'max':>7} {'CPU s':>7} {'peak MiB':>9}")
    for m in out:
        bad = sorted(c for c in m.codes if c not in (0, 1))
        note = f"  exit {bad}!" if bad else ""
        print(
            f"  {m.label:<44} {m.median:8.3f} {min(m.times):7.3f} {max(m.times):7.3f} "
            f"{m.cpu_median:7.3f} {max(m.peak_kib) / 1024:9.0f}{note}"
        )
    by_key = {m.key: m for m in out}
    print(f"\n{'ratio':<36} {'value':>7}   target")
    for label, num, den, target in EXPORT_TARGETS:
        a, b = by_key.get(num), by_key.get(den)
        if a is None or b is None:
            continue
        value = a.median / b.median
        mark = "ok" if value <= target else "MISSED"
        print(f"  {label:<34} {value:7.2f}   ≤ {target:g}  {mark}")


#: Runs one statement outside a transaction (CREATE DATABASE cannot run inside one).
_SQL = "import sys, psycopg; psycopg.connect(sys.argv[1], autocommit=True).execute(sys.argv[2])"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark safeplan on generated hazards.")
    parser.add_argument("-n", type=int, default=gen.DEFAULT_N, help="number of hazard files")
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions per measurement")
    parser.add_argument("--seed", type=int, default=gen.DEFAULT_SEED)
    parser.add_argument(
        "--baseline", type=Path, help="another installation's safeplan executable, measured beside"
    )
    parser.add_argument(
        "--export-only", action="store_true", help="measure only the export rows (export_rows)"
    )
    args = parser.parse_args(argv)
    print(
        f"safeplan bench: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"PyYAML {yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'NO'})"
    )
    try:
        if not args.export_only:
            run(args.n, max(1, args.reps), args.seed, args.baseline)
        export_rows(args.n, max(1, args.reps))
    except Exception as exc:  # a benchmark reports; it does not fail the build
        print(f"bench: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
