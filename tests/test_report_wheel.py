"""The templates really are package data: a wheel built from the repository, installed in
a fresh virtual environment outside it, writes the same report as the goldens.

Builds the wheel as a user would (``pip wheel . --no-deps``; pip fetches the build backend
from the package index), from a copy of the repository so that nothing is written into it.
The fresh environment borrows safeplan's dependencies from the running one (a ``.pth``
file), never its source.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "data" / "report"

pytestmark = pytest.mark.slow  # pip builds a wheel and installs it in a new environment


def _build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            ".bench",
            "build",
            "dist",
            "*.egg-info",
            "__pycache__",
            ".*_cache",
            "tests",
        ),
    )
    wheels = tmp_path / "wheels"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "-w", str(wheels), "--no-deps", "-q"],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = wheels.glob("safeplan-*.whl")
    return wheel


def test_a_wheel_installed_elsewhere_renders_a_report(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    env_dir = tmp_path / "fresh"
    # No pip of its own (ensurepip is seconds): the running pip installs into it (--python).
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "--python", str(python), "install", "-q"),
            *("--no-deps", "--no-index", str(wheel)),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # Dependencies from the running environment (appended to sys.path, after the wheel).
    fresh_site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (fresh_site / "zz_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    root = tmp_path / "plan"
    for part in ("plan", "data"):
        shutil.copytree(FIXTURE / part, root / part)
    out = tmp_path / "out"
    # "Today" is 2027-01-05, after the fixture's last fact (through safeplan's one clock).
    script = (
        "import datetime as dt, safeplan, sys\n"
        "from safeplan.cli import session, main\n"
        "session.utc_now = lambda: dt.datetime(2027, 1, 5, 4, tzinfo=dt.UTC)\n"
        "print(safeplan.__file__, file=sys.stderr)\n"
        "sys.argv = ['safeplan', *sys.argv[1:]]\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAFEPLAN_", "PYTHON"))}
    done = subprocess.run(
        [
            str(python),
            "-c",
            script,
            "report",
            "weekly",
            "--week",
            "2026-W48",
            "--root",
            str(root),
            "--out",
            str(out),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    used = Path(done.stderr.splitlines()[0])
    assert used.is_relative_to(env_dir) and not used.is_relative_to(REPO), used
    golden = FIXTURE / "golden"
    for name in ("2026-W48.md", "2026-W48.html", "2026-W48-open.svg"):
        assert (out / name).read_bytes() == (golden / name).read_bytes(), name
