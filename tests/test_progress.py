"""The progress bar of long reads: the core reports through a callback, the command line
draws a bar on a terminal after about a second, and never in a pipe, under CI or for
machine output."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app
from safeplan.cli import progress as cli_progress
from safeplan.cli.progress import ProgressBar, wanted
from safeplan.repo import parallel
from safeplan.repo.listing import hazard_entries

DATA = Path(__file__).resolve().parent / "data"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("tty", "environ", "machine", "expected"),
    [
        (True, {}, False, True),
        (False, {}, False, False),  # a pipe or a file
        (True, {"CI": "true"}, False, False),
        (True, {"CI": "1"}, False, False),
        (True, {"CI": "0"}, False, True),  # CI switched off by hand
        (True, {"CI": ""}, False, True),
        (True, {}, True, False),  # --json, validate --format json
    ],
)
def test_a_bar_is_wanted_only_where_a_person_watches(
    tty: bool, environ: dict[str, str], machine: bool, expected: bool
) -> None:
    stream = Tty() if tty else io.StringIO()
    assert wanted(stream, environ, machine) is expected


def test_the_bar_waits_about_a_second_and_is_taken_off_at_the_end() -> None:
    now = [0.0]
    stream = Tty()
    with ProgressBar(stream, "Reading", clock=lambda: now[0]) as bar:
        bar(100, 1000)
        now[0] = 0.5
        bar(400, 1000)
        assert not bar.shown  # quick work: nothing drawn
        now[0] = 1.2
        bar(500, 1000)
        assert bar.shown and bar.bar is not None
        bar(1000, 1000)
    assert bar.bar is None  # stopped (transient: the line is cleared)


def test_work_done_before_the_delay_never_shows_a_bar() -> None:
    now = [0.0]
    bar = ProgressBar(Tty(), "Reading", clock=lambda: now[0])
    now[0] = 5.0
    bar(1000, 1000)  # finished: nothing left to show
    assert not bar.shown
    off = ProgressBar(Tty(), "Reading", clock=lambda: now[0], delay=0, enabled=False)
    off(1, 1000)
    assert not off.shown


def _hazard_plan(plan_root: Path) -> Path:
    hazards = plan_root / "data" / "hazards"
    hazards.mkdir(exist_ok=True)
    for src in sorted((DATA / "status" / "hazards").glob("*.yaml")):
        shutil.copy(src, hazards / src.name)
    return plan_root


@pytest.mark.parametrize("workers", [1, 2])
def test_the_core_reports_how_far_it_has_come(
    plan_root: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    root = _hazard_plan(plan_root)
    entries, _ = hazard_entries(root)
    assert len(entries) >= 2
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 0)
    heard: list[tuple[int, int]] = []
    got = parallel.read_hazards(entries, workers, None, lambda d, t: heard.append((d, t)))
    assert len(got) == len(entries)
    assert heard and heard[-1] == (len(entries), len(entries))
    assert [d for d, _ in heard] == sorted(d for d, _ in heard)
    assert all(t == len(entries) for _, t in heard)


@pytest.mark.parametrize(
    ("args", "environ", "tty", "shown"),
    [
        (["status"], {}, True, True),
        (["validate"], {}, True, True),
        (["status"], {}, False, False),  # piped
        (["status"], {"CI": "true"}, True, False),
        (["status", "--json"], {}, True, False),
        (["validate", "--format", "json"], {}, True, False),
        (["hazard", "list", "--json"], {}, True, False),
        (["report", "weekly", "--json"], {}, True, False),  # the command's own --json
        (["report", "weekly", "--stdout"], {}, True, True),
    ],
)
def test_commands_show_the_bar_only_on_a_terminal(
    plan_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    environ: dict[str, str],
    tty: bool,
    shown: bool,
) -> None:
    root = _hazard_plan(plan_root)
    started: list[int] = []
    monkeypatch.setattr(cli_progress, "DELAY", 0.0)  # every read counts as long
    monkeypatch.setattr(cli_progress, "_isatty", lambda stream: tty)

    class Drawn:
        def update(self, task: object, completed: int, total: int) -> None:
            assert 0 < completed < total or completed == total

        def stop(self) -> None:
            pass

    def start(self: ProgressBar, total: int) -> None:
        started.append(total)
        self.bar, self.shown = Drawn(), True

    monkeypatch.setattr(ProgressBar, "_start", start)
    monkeypatch.setattr(parallel, "PROGRESS_STEP", 1)
    monkeypatch.delenv("CI", raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(
        app, ["--no-cache", *args, "--root", str(root), "--as-of", "2026-11-28"]
    )
    assert result.exit_code in (0, 1), result.output
    assert bool(started) is shown
