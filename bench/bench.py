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
  status-ent  the same with 2,000 enterprises of three years of monthly checks beside
              (``status-ent-warm``: both caches warm, against ``status-warm``)
  list      ``safeplan hazard list`` of every generated hazard (and its peak memory)
  fmt-check-first  ``safeplan fmt --check`` on a formatted copy, its memo removed before each
            run (``fmt-check``: with the memo); ``--fmt-only`` measures these rows alone

``--startup-only`` measures the first three alone, round by round (each round's ratio, so
the spread shows how much a busy machine moved it); ``--peak-only`` validate, status and
report weekly on ``-n`` hazards, cold and warm: peak memory (issue #24's 100k limits),
validate ÷ parse and report ÷ validate in CPU seconds.

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
BENCH_DIR = Path(os.environ.get("SAFEPLAN_BENCH_DIR", REPO / ".bench"))
SAFEPLAN = Path(sys.executable).parent / "safeplan"
AS_OF = "2026-11-28"

#: (label, numerator, denominator, target): ratios measured in one run.
TARGETS: list[tuple[str, str, str, float]] = [
    ("validate / parse (CPU)", "validate", "parse", 0.8),
    ("validate warm / cold (CPU)", "validate-warm", "validate", 0.15),
    ("validate 1% changed / cold (CPU)", "validate-1pct", "validate", 0.25),
    ("status warm / cold (CPU)", "status-warm", "status", 0.15),
    ("status 1% changed / cold (CPU)", "status-1pct", "status", 0.25),
    ("status / validate", "status", "validate", 1.3),
    ("status + 2,000 enterprises / without (CPU)", "status-ent", "status", 1.3),
    ("status + 2,000 enterprises / without, warm (CPU)", "status-ent-warm", "status-warm", 1.3),
    ("hazard list / status", "list", "status", 1.2),
    ("--help / import typer", "help", "typer", 1.2),
    ("status (shipped) / import typer", "status-s", "typer", 2.5),
]

#: Issue #24's further rows (``speed_measures``), on each data set: the suffix names it.
SPEED_TARGETS: list[tuple[str, str, str, float]] = [
    ("fmt --check first run (no memo) / validate (CPU)", "fmt-check-first", "validate", 1.5),
    ("fmt --check (canonical, memo) / validate (CPU)", "fmt-check", "validate", 1.5),
    ("report weekly / validate (CPU)", "report", "validate", 1.2),
    ("report weekly, no cache / validate (CPU)", "report-cold", "validate", 1.2),
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
    #: Peak memory (KiB) of the warm-up run: for a ``-warm`` measure, the run that writes
    #: the cache (a user's first command on the plan).
    first_peak_kib: int = 0

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


def quiet(args: Sequence[str]) -> Callable[[], None]:
    """A setup that runs a command once, its output and time thrown away."""

    def setup() -> None:
        subprocess.run(list(args), capture_output=True, env=_env(), check=False)

    return setup


def hazard_paths(root: Path) -> list[Path]:
    return sorted((root / "data" / "hazards").glob("*.yaml"))


def read_all(paths: Sequence[Path]) -> int:
    total = 0
    for p in paths:
        with open(p, "rb") as fh:
            total += len(fh.read())
    return 0


def parse_all(paths: Sequence[Path], cpu: list[float] | None = None) -> int:
    """The yardstick: every hazard file parsed in this process; its CPU seconds go to
    ``cpu`` (validate's ratio to it compares CPU, as issue #24 states the target)."""
    start = time.process_time()
    for p in paths:
        with open(p, "rb") as fh:
            yaml.load(fh.read().decode("utf-8"), Loader=yaml.CSafeLoader)
    if cpu is not None:
        cpu.append(time.process_time() - start)
    return 0


def measures(
    root: Path,
    exe: Path,
    suffix: str = "",
    cache: bool = False,
    floor: bool = True,
    ent_root: Path | None = None,
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
    if ent_root is not None:
        with_ent = [str(exe), "status", "--root", str(ent_root), "--as-of", AS_OF]
        add("status-ent", "status (+2,000 enterprises, no cache)", with_ent, cold)
    if cache:
        some = touch_some(hazard_paths(root))
        add("validate-warm", "validate (generated, warm cache)", validate)
        add("validate-1pct", "validate (generated, 1% changed)", validate, setup=some)
        # Warm: nothing changed since the last status (its day view kept, repo/viewcache.py);
        # the -1pct runs between the rounds change files, so status runs once, untimed, first.
        add("status-warm", "status (generated, warm cache)", status, setup=quiet(status))
        add("status-1pct", "status (generated, 1% changed)", status, setup=some)
        if ent_root is not None:
            with_ent = [str(exe), "status", "--root", str(ent_root), "--as-of", AS_OF]
            add(
                "status-ent-warm",
                "status (+2,000 enterprises, warm cache)",
                with_ent,
                setup=quiet(with_ent),
            )
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
        out.append(fmt_first(canon, exe, suffix))
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
    cold = Measure("report-cold" + suffix, "report weekly --stdout, no cache" + suffix, lambda: 0)
    cold.run = command(
        [str(exe), "report", "weekly", "--stdout", "--root", str(root), "--as-of", AS_OF],
        cold.codes,
        cold.cpu,
        {"SAFEPLAN_NO_CACHE": "1"},
    )
    out.append(cold)
    return out


def fmt_first(canon: Path, exe: Path, suffix: str = "") -> Measure:
    """``fmt --check`` as on a first run: the memo of files proven canonical removed before
    each run, so every file is decided afresh (the fast path, or a round trip)."""
    first = Measure(
        "fmt-check-first" + suffix, "fmt --check (canonical files, no memo)" + suffix, lambda: 0
    )
    first.run = command([str(exe), "fmt", "--check", "--root", str(canon)], first.codes, first.cpu)
    memo = canon / ".safeplan-cache" / "canonical.json"
    first.setup = lambda: memo.unlink(missing_ok=True)
    return first


def fmt_rows(n: int, reps: int, seed: int) -> None:
    """Issue #24's fmt rows alone (``--fmt-only``), on both generators: ``fmt --check`` on
    canonical files, first run (no memo) and warm, against ``validate`` (no cache) of the
    same files, interleaved; each repetition's ratio, then the median and the spread."""
    rows: list[tuple[str, Measure, Measure, Measure]] = []
    for suffix, full, offset in (("", False, 0), (" [full]", True, 1)):
        root = BENCH_DIR / (f"plan{n}" + ("-full" if full else ""))
        gen.generate(root, n, seed + offset, full=full)
        start = time.perf_counter()
        canon = formatted_copy(root, SAFEPLAN)
        print(f"formatted a copy of {root.name} ({time.perf_counter() - start:.0f} s)", flush=True)
        validate = Measure("validate" + suffix, "validate (no cache)" + suffix, lambda: 0)
        validate.run = command(
            [str(SAFEPLAN), "validate", "--root", str(canon)],
            validate.codes,
            validate.cpu,
            {"SAFEPLAN_NO_CACHE": "1"},
        )
        first = fmt_first(canon, SAFEPLAN, suffix)
        warm = Measure("fmt-check" + suffix, "fmt --check (memo)" + suffix, lambda: 0)
        warm.run = command(
            [str(SAFEPLAN), "fmt", "--check", "--root", str(canon)], warm.codes, warm.cpu
        )
        rows.append((suffix, validate, first, warm))
    everything = [m for _, *ms in rows for m in ms]
    _interleaved(everything, reps)
    print(f"\n{'measured (CPU s)':<46} {'median':>8} {'min':>7} {'max':>7}")
    for m in everything:
        bad = sorted(c for c in m.codes if c != 0)
        note = f"  exit {bad}!" if bad else ""
        print(f"  {m.label:<44} {m.cpu_median:8.3f} {min(m.cpu):7.3f} {max(m.cpu):7.3f}{note}")
    print(f"\n{'ratio, each repetition (CPU)':<54} {'median':>7} {'min':>6} {'max':>6}  target")
    for suffix, validate, first, warm in rows:
        for label, m, target in (("first run (no memo)", first, 1.5), ("memo", warm, 0.25)):
            ratios = [a / b for a, b in zip(m.cpu, validate.cpu, strict=True)]
            mid = statistics.median(ratios)
            mark = "ok" if mid <= target else "MISSED"
            print(
                f"  {'fmt --check ' + label + ' / validate' + suffix:<52} {mid:7.2f} "
                f"{min(ratios):6.2f} {max(ratios):6.2f}  ≤ {target:g}  {mark}"
            )


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
    n: int,
    reps: int,
    seed: int,
    baseline: Path | None,
    full: bool = True,
    fmt: bool = True,
    cache_only: bool = False,
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
        Measure("parse", "parse all, CSafeLoader, 1 process", lambda: 0),
    ]
    plain[1].run = lambda: parse_all(paths, plain[1].cpu)
    ent_root = BENCH_DIR / f"plan{n}-enterprises"
    gen.generate(ent_root, n, seed)
    gen.add_enterprises(ent_root, gen.ENTERPRISES_N, seed)
    ours = measures(root, SAFEPLAN, cache=True, ent_root=ent_root)
    theirs = measures(root, baseline, " [baseline]") if baseline else []
    speed = [] if cache_only else speed_measures(root, SAFEPLAN, fmt=fmt)
    if full:
        speed += measures(full_root, SAFEPLAN, " [full]", cache=True, floor=False)
        if not cache_only:
            speed += speed_measures(full_root, SAFEPLAN, " [full]", fmt=fmt)
    everything = [*plain, *ours, *theirs, *speed]
    _interleaved(everything, reps)

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
            rounds = _spread(a, b, cpu).split("(")[-1].rstrip(")")  # each round's ratio
            print(f"  {label + suffix:<52} {value:7.2f}   ≤ {target:g}  {mark:<6}  ({rounds})")
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


def _interleaved(everything: Sequence[Measure], reps: int, setup_first: bool = False) -> None:
    """A warm-up run of each (bytecode written, the page cache and safeplan's caches made;
    ``setup_first``: its setup before it too), then ``reps`` rounds of every measure in turn,
    so that each round's measures share the same few seconds of a shared machine."""
    for m in everything:
        if setup_first and m.setup is not None:
            m.setup()
        m.first_peak_kib = m.run()
        m.first_cpu = m.cpu[0] if m.cpu else None
        m.cpu.clear()
    for _ in range(reps):
        for m in everything:
            if m.setup is not None:
                m.setup()
            t = time.perf_counter()
            m.peak_kib.append(m.run())
            m.times.append(time.perf_counter() - t)


def _spread(a: Measure, b: Measure, cpu: bool) -> str:
    """The ratio of each round (the two were measured side by side): median, min–max."""
    xs = a.cpu if cpu else a.times
    ys = b.cpu if cpu else b.times
    rounds = [x / y for x, y in zip(xs, ys, strict=True) if y > 0]
    if not rounds:
        return ""
    return f"{statistics.median(rounds):7.2f}  ({min(rounds):.2f}–{max(rounds):.2f})"


def startup_rows(reps: int, baseline: Path | None = None) -> None:
    """Start-up alone (``--startup-only``): ``import typer``, ``--help`` and ``status`` on
    the shipped plan (no hazard files: issue #24's row), interleaved, with each round's
    ratio, then ``-X importtime``'s slowest imports of that ``status``. With ``baseline``,
    the same three of that build (its python beside it) in the same rounds."""
    keys = ("typer", "help", "status-s")
    everything = [m for m in measures(BENCH_DIR, SAFEPLAN) if m.key in keys]
    if baseline is not None:
        theirs = measures(BENCH_DIR, baseline, " [baseline]")
        everything += [m for m in theirs if m.key in {k + " [baseline]" for k in keys}]
    _interleaved(everything, reps)
    by_key = {m.key: m for m in everything}
    print(f"start-up, {reps} rounds (wall s: median, min, max; CPU s)")
    for m in everything:
        print(
            f"  {m.label:<44} {m.median:8.3f} {min(m.times):7.3f} {max(m.times):7.3f} "
            f"{m.cpu_median:7.3f}"
        )
    print(f"\n{'ratio (wall; per round: median, min–max)':<44}   value            target")
    for suffix in ("", " [baseline]") if baseline is not None else ("",):
        for label, num, den, target in TARGETS:
            if num + suffix in by_key and den + suffix in by_key:
                a, b = by_key[num + suffix], by_key[den + suffix]
                rounds = [x / y for x, y in zip(a.times, b.times, strict=True)]
                mark = "ok" if statistics.median(rounds) <= target else "MISSED"
                print(f"  {label + suffix:<42} {_spread(a, b, False)}  ≤ {target:g}  {mark}")
                print(f"  {label + suffix + ' (CPU)':<42} {_spread(a, b, True)}")
    print("\n-X importtime, slowest imports of `safeplan status` (shipped plan):")
    for line in importtime(SAFEPLAN, ["status", "--root", str(REPO), "--as-of", AS_OF], 14):
        print("  " + line)


def split_rows(n: int, seed: int, reps: int) -> None:
    """Where reading the hazard files goes (``--split-only``): in this one process, over every
    generated file, the CPU seconds of each stage of ``hazardfile.parse_hazards`` — reading,
    the event parse into plain data, pydantic's validation, the rest (rules within the
    record, placing their findings, the summary) — and of pickling its results both ways,
    as a worker sends them; each ÷ the bare CSafeLoader parse of the same files."""
    import datetime as dt
    import gc
    import pickle

    from safeplan.models.hazards import Hazard
    from safeplan.repo.hazardfile import parse_hazards, prepare
    from safeplan.yamlio import load_fast, read_text

    root = BENCH_DIR / f"plan{n}"
    gen.generate(root, n, seed)
    paths = hazard_paths(root)
    items = [(str(p), p.relative_to(root).as_posix()) for p in paths]
    today = dt.date.fromisoformat(AS_OF)
    prepare()
    took: dict[str, list[float]] = {}
    clock = time.process_time
    gc.disable()  # as read_snapshot does
    for _ in range(max(1, reps)):
        start = clock()
        texts = [read_text(p) for p, _ in items]
        took.setdefault("read", []).append(clock() - start)
        start = clock()
        data = [load_fast(t) for t in texts]
        took.setdefault("events → data", []).append(clock() - start)
        start = clock()
        for d in data:
            Hazard.model_validate(d)
        took.setdefault("pydantic", []).append(clock() - start)
        start = clock()
        results = parse_hazards(items, today)
        took.setdefault("parse_hazards, whole", []).append(clock() - start)
        start = clock()
        pickle.loads(pickle.dumps(results, 5))
        took.setdefault("pickle both ways", []).append(clock() - start)
        parse_all(paths, took.setdefault("bare CSafeLoader parse", []))
        del texts, data, results
        gc.collect()
    gc.enable()
    med = {k: statistics.median(v) for k, v in took.items()}
    med["the rest (rules, places, summary)"] = med["parse_hazards, whole"] - sum(
        med[k] for k in ("read", "events → data", "pydantic")
    )
    base = med["bare CSafeLoader parse"]
    print(f"reading {len(items)} hazard files in one process, {reps} rounds (CPU s, median)")
    for key, value in med.items():
        print(f"  {key:<36} {value:7.3f}   {value / base:5.2f} × parse")


def peak_rows(n: int, seed: int, reps: int) -> None:
    """Peak memory alone (``--peak-only``): validate, status and report weekly on ``n``
    generated hazards, without the cache (every file parsed), with it warm, and the first
    run of each warm measure (validate's writes the cache), against issue #24's limits;
    and, of the same rounds, ``validate`` ÷ the bare parse and ``report weekly`` ÷
    ``validate`` (CPU; each round's ratio, median and spread)."""
    import shutil

    root = BENCH_DIR / f"plan{n}"
    stamp = BENCH_DIR / f"plan{n}.peak-stamp"
    start = time.perf_counter()
    if not (stamp.is_file() and stamp.read_text() == f"{n} {seed}\n" and root.is_dir()):
        # generated once and kept: these commands only read it (100k files take minutes)
        stamp.unlink(missing_ok=True)
        gen.generate(root, n, seed)
        stamp.write_text(f"{n} {seed}\n")
    print(f"{n} hazard files in {root} ({time.perf_counter() - start:.1f} s); {reps} rounds\n")
    cold = {"SAFEPLAN_NO_CACHE": "1"}
    args = {
        "validate": [str(SAFEPLAN), "validate", "--root", str(root)],
        "status": [str(SAFEPLAN), "status", "--root", str(root), "--as-of", AS_OF],
        "report": [str(SAFEPLAN), "report", "weekly", "--stdout", "--root", str(root), "--as-of", AS_OF],
    }  # fmt: skip
    paths = hazard_paths(root)
    # A cache left by an earlier run is removed, so that the first warm run writes it (its
    # peak is printed too: a user's first command on the plan).
    shutil.rmtree(root / ".safeplan-cache", ignore_errors=True)
    parse = Measure("parse", "parse all, CSafeLoader, 1 process", lambda: 0)
    parse.run = lambda: parse_all(paths, parse.cpu)
    everything: list[Measure] = [parse]
    for key, argv in args.items():
        for suffix, env in (("", cold), ("-warm", None)):
            m = Measure(
                key + suffix, f"{key}{' (warm cache)' if env is None else ' (no cache)'}", lambda: 0
            )
            m.run = command(argv, m.codes, m.cpu, env)
            everything.append(m)
    _interleaved(everything, reps)
    print(f"{'measured':<46} {'median':>8} {'CPU s':>7} {'peak MiB':>9}")
    for m in everything:
        print(f"  {m.label:<44} {m.median:8.3f} {m.cpu_median:7.3f} {max(m.peak_kib) / 1024:9.0f}")
    by_key = {m.key: m for m in everything}
    label, num, den, target = TARGETS[0]  # validate / parse (CPU)
    a, b = by_key[num], by_key[den]
    mark = "ok" if a.cpu_median / b.cpu_median <= target else "MISSED"
    print(f"  {label:<44} {_spread(a, b, True)}  ≤ {target:g}  {mark}")
    for key, limit in PEAK_TARGETS:
        for suffix in ("", "-warm"):
            peak = max(by_key[key + suffix].peak_kib) / 1024
            mark = "ok" if peak <= limit else "MISSED"
            print(f"  {'peak MiB ' + key + suffix:<44} {peak:7.0f}   ≤ {limit:g}  {mark}")
        # The warm-up of the -warm measure: validate's writes hazards.json (removed above),
        # status's and report's the day view.
        first = by_key[key + "-warm"].first_peak_kib / 1024
        mark = "ok" if first <= limit else "MISSED"
        label = f"peak MiB {key}-warm, its first run"
        print(f"  {label:<44} {first:7.0f}   ≤ {limit:g}  {mark}")
    for label, num, den, target in SPEED_TARGETS:
        key = {"report": "report-warm", "report-cold": "report"}.get(num)
        if key is None:
            continue
        a, b = by_key[key], by_key[den]
        mark = "ok" if a.cpu_median / b.cpu_median <= target else "MISSED"
        print(f"  {label:<44} {_spread(a, b, True)}  ≤ {target:g}  {mark}")


#: (label, numerator, denominator, target) of the county roll-up (``run_rollup``).
#: CPU seconds (the process and its workers), as issue #24's ratios: a machine busy with
#: other work stretches wall time unevenly; the wall-time ratio is printed beside.
ROLLUP_TARGETS: list[tuple[str, str, str, float]] = [
    ("rollup status cold / validate (one repository, CPU)", "rollup", "validate-one", 1.2),
    ("rollup status warm / cold (CPU)", "rollup-warm", "rollup", 0.15),
    ("rollup export sqlite / rollup status (no cache, CPU)", "rollup-sqlite", "rollup", 2.0),
]
#: The most a roll-up may hold in memory (MiB).
ROLLUP_PEAK_MIB = 1024


def _town_plans(base: Path, towns: int, per_town: int, seed: int) -> list[Path]:
    """``towns`` generated plans of ``per_town`` hazards each (kept between runs: a stamp
    says what was generated)."""
    stamp = base / "stamp"
    want = f"{towns} {per_town} {seed}\n"
    folders = [base / "towns" / f"t{i:02d}" for i in range(towns)]
    if stamp.is_file() and stamp.read_text() == want and all(f.is_dir() for f in folders):
        return folders
    for i, folder in enumerate(folders):
        gen.generate(folder, per_town, seed + i)
    gen.generate(base / "one", towns * per_town, seed)
    stamp.write_text(want)
    return folders


def run_rollup(
    towns: int,
    per_town: int,
    reps: int,
    seed: int,
    baseline: Path | None = None,
    export: bool = True,
) -> None:
    """``rollup status`` over ``towns`` generated towns of ``per_town`` hazards each, against
    ``validate`` of as many hazard files (the same generator) in one repository: cold (no
    cache), warm (nothing changed), and the roll-up's peak memory. ``baseline`` (another
    installation's executable) is measured beside, interleaved, with the same ratios;
    ``export`` False leaves the SQLite export out (it takes about 1.7 × a cold roll-up)."""
    base = BENCH_DIR / f"county-{towns}x{per_town}"
    start = time.perf_counter()
    folders = _town_plans(base, towns, per_town, seed)
    county = base / "county"
    county.mkdir(parents=True, exist_ok=True)
    lines = ["name: 基准县", 'code: "150400000000"', "towns:"]
    for i, folder in enumerate(folders):
        lines += [
            f"  - name: 镇{i:02d}",
            f'    code: "1504001{i:02d}000"',
            f"    path: ../towns/{folder.name}",
        ]
    (county / "county.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(
        f"\ncounty roll-up: {towns} towns × {per_town} hazards = {towns * per_town} "
        f"(generated or reused in {time.perf_counter() - start:.1f} s); {reps} repetitions each\n",
        flush=True,
    )
    cold = {"SAFEPLAN_NO_CACHE": "1"}
    everything: list[Measure] = []
    suffixes = ("", " [baseline]") if baseline else ("",)
    for suffix in suffixes:
        exe = baseline if suffix and baseline else SAFEPLAN
        status = [str(exe), "rollup", "status", "--root", str(county), "--as-of", AS_OF]
        sqlite = [str(exe), "rollup", "export", "sqlite", str(base / "county.db"),
                  "--root", str(county), "--as-of", AS_OF]  # fmt: skip
        for key, label, args, env in (
            ("validate-one", f"validate ({towns * per_town} files, one repository)",
             [str(exe), "validate", "--root", str(base / "one")], cold),
            ("rollup", f"rollup status ({towns} towns, no cache)", status, cold),
            ("rollup-warm", f"rollup status ({towns} towns, warm cache)", status, None),
            ("rollup-sqlite", f"rollup export sqlite ({towns} towns, no cache)", sqlite, cold),
        ):  # fmt: skip
            if key == "rollup-sqlite" and not export:
                continue
            m = Measure(key + suffix, label + suffix, lambda: 0)
            m.run = command(args, m.codes, m.cpu, env)
            everything.append(m)
    _interleaved(everything, reps)
    print(f"{'measured':<46} {'median':>8} {'min':>7} {'max':>7} {'CPU s':>7} {'peak MiB':>9}")
    for m in everything:
        bad = sorted(c for c in m.codes if c not in (0, 1))
        note = f"  exit {bad}!" if bad else ""
        print(
            f"  {m.label:<44} {m.median:8.3f} {min(m.times):7.3f} {max(m.times):7.3f} "
            f"{m.cpu_median:7.3f} {max(m.peak_kib) / 1024:9.0f}{note}"
        )
    by_key = {m.key: m for m in everything}
    for suffix in suffixes:
        print(f"\n{'ratio' + suffix:<56} {'value':>7} {'wall':>6}   target")
        for label, num, den, target in ROLLUP_TARGETS:
            if num + suffix not in by_key:
                continue
            a, b = by_key[num + suffix], by_key[den + suffix]
            value = a.cpu_median / b.cpu_median
            wall = a.median / b.median
            mark = "ok" if value <= target else "MISSED"
            print(f"  {label:<54} {value:7.2f} {wall:6.2f}   ≤ {target:g}  {mark}")
        peaks = [("rollup status", ("rollup", "rollup-warm")), ("rollup export sqlite",
                 ("rollup-sqlite",))]  # fmt: skip
        for what, keys in peaks:
            if any(k + suffix not in by_key for k in keys):
                continue
            peak = max(max(by_key[k + suffix].peak_kib) for k in keys) / 1024
            mark = "ok" if peak <= ROLLUP_PEAK_MIB else "MISSED"
            label = f"{what} peak memory (MiB)"
            print(f"  {label:<54} {peak:7.0f} {'':>6}   ≤ {ROLLUP_PEAK_MIB}  {mark}")


# --------------------------------------------------------------------------- safeplan serve

#: (label, numerator, denominator, target) of `safeplan serve`, measured in one run.
SERVE_TARGETS: list[tuple[str, str, str, float]] = [
    ("serve to first page / status (shipped)", "serve-start", "status-s", 1.5),
    ("hazard list page / hazard list (500)", "page-list", "cli-list", 1.2),
    ("a save / the same CLI edit (500)", "page-save", "cli-save", 1.2),
]


class _Served:
    """``safeplan serve --no-browser --port 0`` as a process, and a client that opened it."""

    def __init__(self, exe: Path, root: Path) -> None:
        import http.cookiejar
        import re
        import urllib.request

        self.proc = subprocess.Popen(
            [str(exe), "serve", "--no-browser", "--port", "0", "--root", str(root)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env(), text=True,
        )  # fmt: skip
        assert self.proc.stdout is not None
        found = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", self.proc.stdout.readline())
        if found is None:
            self.close()
            raise RuntimeError("safeplan serve printed no address")
        self.base = found.group().partition("/?")[0]
        jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(jar)
        self.get(found.group())

    def get(self, url: str) -> str:
        with self.opener.open(url if url.startswith("http") else self.base + url, timeout=60) as r:
            return str(r.read().decode("utf-8"))

    def post(self, path: str, data: dict[str, str]) -> int:
        import urllib.error
        import urllib.parse

        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, body, timeout=60) as r:
                return int(r.status)
        except urllib.error.HTTPError as exc:
            exc.close()
            return int(exc.code)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def serve_ratios(reps: int, seed: int) -> None:
    """`safeplan serve`: start to first page against `status` on the shipped plan; the hazard
    list page and a save (a note, committed) on a 500-hazard plan against `hazard list` and
    `hazard note --commit`. Interleaved, medians, one run."""
    import re

    root = BENCH_DIR / "serve500"
    gen.generate(root, 500, seed)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=bench", "-c",
                 "user.email=bench@safeplan.invalid", "commit", "-q", "-m", "bench"]):  # fmt: skip
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    subprocess.run(["git", "config", "user.name", "bench"], cwd=root, check=True)
    subprocess.run(["git", "config", "user.email", "bench@safeplan.invalid"], cwd=root, check=True)
    hid = hazard_paths(root)[0].stem
    codes: set[int] = set()
    times: dict[str, list[float]] = {k: [] for k in ("serve-start", "status-s", "page-list",
                                                      "cli-list", "page-save", "cli-save")}  # fmt: skip
    status = command([str(SAFEPLAN), "status", "--root", str(REPO), "--as-of", AS_OF], codes)
    listing = command([str(SAFEPLAN), "hazard", "list", "--root", str(root), "--as-of", AS_OF], codes)  # fmt: skip
    server = _Served(SAFEPLAN, root)
    try:
        server.get("/hazards")  # warm: the cache made, the templates compiled
        for i in range(reps + 1):
            t = time.perf_counter()
            started = _Served(SAFEPLAN, REPO)  # the address printed, then its first page
            took = {"serve-start": time.perf_counter() - t}
            started.close()
            t = time.perf_counter()
            status()
            took["status-s"] = time.perf_counter() - t
            t = time.perf_counter()
            server.get("/hazards")
            took["page-list"] = time.perf_counter() - t
            t = time.perf_counter()
            listing()
            took["cli-list"] = time.perf_counter() - t
            form = server.get(f"/hazards/{hid}/note")
            fields = dict(re.findall(r'name="(csrf|hash)" value="([\w-]*)"', form))
            t = time.perf_counter()
            done = server.post(f"/hazards/{hid}/note", {**fields, "step": "save", "text": f"bench web {i}", "on": "2026-11-28"})  # fmt: skip
            took["page-save"] = time.perf_counter() - t
            codes.add(0 if done in (200, 303) else done)
            note = [str(SAFEPLAN), "hazard", "note", hid, f"bench cli {i}", "--on", "2026-11-28",
                    "--commit", "--root", str(root)]  # fmt: skip
            t = time.perf_counter()
            command(note, codes)()
            took["cli-save"] = time.perf_counter() - t
            if i:  # the first round warms up
                for k, v in took.items():
                    times[k].append(v)
    finally:
        server.close()
    print("\nsafeplan serve (median s):")
    for k, v in times.items():
        print(f"  {k:<44} {statistics.median(v):8.3f}")
    for label, num, den, target in SERVE_TARGETS:
        value = statistics.median(times[num]) / statistics.median(times[den])
        mark = "ok" if value <= target else "MISSED"
        print(f"  {label:<42} {value:7.2f}   ≤ {target:g}  {mark}")
    bad = sorted(c for c in codes if c not in (0, 1))
    if bad:
        print(f"  exit codes {bad}!")


#: The ledger's rows (issue 24): (label, numerator, denominator, target), CPU ratios.
LEDGER_TARGETS: list[tuple[str, str, str, float]] = [
    ("export ledger / validate (CPU)", "export-ledger", "validate-l", 1.5),
    ("export ledger / validate [full] (CPU)", "export-ledger-full", "validate-l-full", 1.5),
    ("import ledger dry run / validate (CPU)", "import-dry", "validate-imported", 3.0),
    ("import ledger --apply / validate (CPU)", "import-apply", "validate-imported", 3.0),
]
#: Rows of the ledger imported (the issue measures a 5,000-row ledger).
LEDGER_ROWS = 5000
#: The most ``export ledger`` may hold in memory at 100,000 hazards (MiB, ``make bench-100k``).
LEDGER_PEAK_MIB = 500


def ledger_rows(
    n: int,
    reps: int,
    seed: int,
    baseline: Path | None = None,
    full: bool = True,
    imports: bool = True,
) -> None:
    """The ledger's rows: ``export ledger`` against ``validate`` on the generated plan
    (and its peak memory; ``full``: on the second data set too, bench/gen.py --full, as
    ``run`` makes it), and (``imports``) a 5,000-row ledger exported then imported into an empty
    plan (dry run and --apply) against ``validate`` of the result; the round trip must
    refuse no row (its outcome line is printed). With ``baseline`` (another installation's
    safeplan), each command is measured with it too, in the same run, and its ratios printed
    beside (the ratios' denominators are each installation's own validate)."""
    import shutil

    root = BENCH_DIR / f"plan{n}"
    if not root.exists():
        gen.generate(root, n, seed)
    full_root = BENCH_DIR / f"plan{n}-full"
    if full and not full_root.exists():
        gen.generate(full_root, n, seed + 1, full=True)
    small = BENCH_DIR / f"ledger{LEDGER_ROWS}"
    book = BENCH_DIR / "ledger.xlsx"
    exe = str(SAFEPLAN)
    cold = {"SAFEPLAN_NO_CACHE": "1"}
    empty = BENCH_DIR / "ledger-empty"

    def clear() -> None:
        for p in (empty / "data" / "hazards").glob("*.yaml"):
            p.unlink()

    if imports:
        gen.generate(small, LEDGER_ROWS, seed)
        subprocess.run(
            [exe, "export", "ledger", "--root", str(small), "--as-of", AS_OF, "--out", str(book)],
            capture_output=True,
            env=_env(),
            check=False,
        )
        if empty.exists():
            shutil.rmtree(empty)
        shutil.copytree(small / "plan", empty / "plan")
        shutil.copytree(small / "data", empty / "data", ignore=shutil.ignore_patterns("*.yaml"))
        shutil.copy2(small / "data" / "units.yaml", empty / "data" / "units.yaml")
        shutil.copy2(small / "data" / "tasks.yaml", empty / "data" / "tasks.yaml")

        first = subprocess.run(
            [exe, "import", "ledger", str(book), "--root", str(empty), "--apply", "--lang", "en"],
            capture_output=True,
            text=True,
            env=_env(),
            check=False,
        )
        lines = first.stdout.strip().splitlines()
        outcome = next((line for line in reversed(lines) if " to create, " in line), "(no outcome)")
        warnings = sum(": warning: " in line for line in lines)
        print(f"\nledger round trip of {LEDGER_ROWS} rows: {outcome}; {warnings} warnings")

    everything: list[Measure] = []

    def add(key: str, label: str, args: Sequence[str], setup: Callable[[], None] | None) -> None:
        m = Measure(key, label, lambda: 0, setup=setup)
        m.run = command(args, m.codes, m.cpu, cold)
        _LEDGER_ARGS[key] = list(args)
        everything.append(m)

    out = BENCH_DIR / "ledger-export.xlsx"
    add("validate-l", f"validate ({n}, no cache)", [exe, "validate", "--root", str(root)], None)
    add(
        "export-ledger",
        f"export ledger ({n}, no cache)",
        [exe, "export", "ledger", "--root", str(root), "--as-of", AS_OF, "--out", str(out)],
        None,
    )
    if full:
        add(
            "validate-l-full",
            f"validate ({n} full, no cache)",
            [exe, "validate", "--root", str(full_root)],
            None,
        )
        add(
            "export-ledger-full",
            f"export ledger ({n} full, no cache)",
            [
                exe,
                "export",
                "ledger",
                "--root",
                str(full_root),
                "--as-of",
                AS_OF,
                "--out",
                str(out),
            ],
            None,
        )
    if imports:
        imp = [exe, "import", "ledger", str(book), "--root", str(empty)]
        add("import-dry", f"import ledger {LEDGER_ROWS} rows, dry run", imp, clear)
        add("import-apply", f"import ledger {LEDGER_ROWS} rows, --apply", [*imp, "--apply"], clear)
        add(
            "validate-imported",
            f"validate of the imported {LEDGER_ROWS}",
            [exe, "validate", "--root", str(empty)],
            None,
        )
    if baseline is not None:
        for m in list(everything):
            args = [str(baseline) if a == exe else a for a in _LEDGER_ARGS[m.key]]
            add(f"base-{m.key}", f"{m.label} [baseline]", args, m.setup)
    _interleaved(everything, reps, setup_first=True)
    print(f"{'measured':<46} {'median':>8} {'CPU s':>7} {'CPU min–max':>13} {'peak MiB':>9}")
    for m in everything:
        spread = f"{min(m.cpu):.2f}–{max(m.cpu):.2f}"
        print(
            f"  {m.label:<44} {m.median:8.3f} {m.cpu_median:7.3f} {spread:>13} "
            f"{max(m.peak_kib) / 1024:9.0f}"
        )
    by_key = {m.key: m for m in everything}
    # Each repetition's ratio is taken within the repetition (the same few seconds of a
    # shared machine); the median of those, and their spread, beside the ratio of medians.
    print(f"  {'ratio (CPU)':<40} {'value':>7}   target       per repetition: median, min–max")
    for label, num, den, target in LEDGER_TARGETS:
        if num not in by_key or den not in by_key:
            continue
        value = by_key[num].cpu_median / by_key[den].cpu_median
        mark = "ok" if value <= target else "MISSED"
        per = [a / b for a, b in zip(by_key[num].cpu, by_key[den].cpu, strict=True) if b]
        spread = f"{statistics.median(per):.2f}, {min(per):.2f}–{max(per):.2f}" if per else ""
        was = ""
        if f"base-{num}" in by_key:
            before = by_key[f"base-{num}"].cpu_median / by_key[f"base-{den}"].cpu_median
            was = f"   (baseline {before:.2f})"
        print(f"  {label:<40} {value:7.2f}   ≤ {target:g}  {mark:<6}  {spread}{was}")
    for key in ("export-ledger", "export-ledger-full"):
        if key in by_key:
            peak = max(by_key[key].peak_kib) / 1024
            limit = (
                f"   ≤ {LEDGER_PEAK_MIB} at 100k  {'ok' if peak <= LEDGER_PEAK_MIB else 'MISSED'}"
            )
            print(f"  {'peak MiB ' + key:<40} {peak:7.0f}{limit if n >= 100_000 else ''}")


#: The command line of each ledger measure (to run it again with a baseline installation).
_LEDGER_ARGS: dict[str, list[str]] = {}


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
        _interleaved(out, reps, setup_first=True)
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


#: The on/off options of ``main``: which rows to measure, which to leave out.
FLAGS: tuple[tuple[str, str], ...] = (
    ("--rollup-only", "measure the roll-up alone"),
    ("--rollup-no-export", "leave the roll-up's SQLite export out"),
    ("--ledger-only", "measure the ledger's rows alone (issue 24)"),
    ("--cache-only", "only validate and status, cold, warm and 1%% changed, on both data sets"),
    ("--no-import", "the ledger's rows without import ledger"),
    ("--one-set", "only bench/gen.py's first data set (not --full)"),
    ("--no-fmt", "leave out fmt --check (it formats a copy first)"),
    ("--fmt-only", "measure fmt --check's rows alone (issue 24)"),
    ("--startup-only", "only start-up: import typer, --help, status"),
    ("--peak-only", "only validate, status and report weekly: peak memory, report ÷ validate (-n)"),
    ("--split-only", "only where reading hazard files goes, stage by stage, in one process (-n)"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark safeplan on generated hazards.")
    parser.add_argument("-n", type=int, default=gen.DEFAULT_N, help="number of hazard files")
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions per measurement")
    parser.add_argument("--seed", type=int, default=gen.DEFAULT_SEED)
    parser.add_argument(
        "--baseline", type=Path, help="another installation's safeplan executable, measured beside"
    )
    parser.add_argument(
        "--rollup",
        metavar="TOWNSxN",
        default="10x1000",
        help="the county roll-up's towns and hazards per town (0 to skip; bench-100k: 20x5000)",
    )
    for flag, what in FLAGS:
        parser.add_argument(flag, action="store_true", help=what)
    args = parser.parse_args(argv)
    print(
        f"safeplan bench: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"PyYAML {yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'NO'})"
    )
    if args.fmt_only:
        fmt_rows(args.n, max(1, args.reps), args.seed)
        return 0
    if args.startup_only:
        startup_rows(max(1, args.reps), args.baseline)
        return 0
    if args.split_only:
        split_rows(args.n, args.seed, max(1, args.reps))
        return 0
    if args.peak_only:
        peak_rows(args.n, args.seed, max(1, args.reps))
        return 0
    if args.ledger_only:
        ledger_rows(
            args.n,
            min(3, max(1, args.reps)),
            args.seed,
            args.baseline,
            not args.one_set,
            not args.no_import,
        )
        return 0
    if args.cache_only:
        run(args.n, max(1, args.reps), args.seed, args.baseline, not args.one_set, False, True)
        return 0
    try:
        if not args.rollup_only:
            run(
                args.n, max(1, args.reps), args.seed, args.baseline,
                not args.one_set, not args.no_fmt,
            )  # fmt: skip
        if args.rollup not in ("0", ""):
            towns, _, per_town = args.rollup.partition("x")
            run_rollup(
                int(towns), int(per_town), max(1, args.reps), args.seed, args.baseline,
                not args.rollup_no_export,
            )  # fmt: skip
    except Exception as exc:  # a benchmark reports; it does not fail the build
        print(f"bench: {type(exc).__name__}: {exc}", file=sys.stderr)
    try:
        if not args.rollup_only:
            ledger_rows(
                args.n, min(3, max(1, args.reps)), args.seed, args.baseline, not args.one_set
            )
    except Exception as exc:  # a benchmark reports; it does not fail the build
        print(f"bench: {type(exc).__name__}: {exc}", file=sys.stderr)
    try:
        if not args.rollup_only:
            export_rows(args.n, max(1, args.reps))
    except Exception as exc:  # a benchmark reports; it does not fail the build
        print(f"bench: {type(exc).__name__}: {exc}", file=sys.stderr)
    try:
        if not args.rollup_only:
            serve_ratios(max(1, args.reps), args.seed)
    except Exception as exc:  # a benchmark reports; it does not fail the build
        print(f"bench: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
