"""Shared fixtures: a frozen copy of the Dajing plan in a temporary folder, a CLI runner, and
an environment that owes nothing to the machine (no SAFEPLAN_* settings, no git identity or
git configuration of the user's, no working folder inside this repository)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.testing
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
#: The Dajing plan (plan/ and data/) as shipped when the tests were written. The tests build
#: their plans from this copy, never from the repository's own plan/ and data/: an office keeps
#: its register in this repository, and its hazards must not change what the tests expect.
#: Only tests/test_shipped_data.py reads the shipped plan.
FIXTURE_PLAN = REPO / "tests" / "data" / "dajing"

#: Who commits in the tests' git repositories (set in the environment of every test).
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "safeplan-tests",
    "GIT_AUTHOR_EMAIL": "tests@safeplan.invalid",
    "GIT_COMMITTER_NAME": "safeplan-tests",
    "GIT_COMMITTER_EMAIL": "tests@safeplan.invalid",
}


def bench_gen() -> Any:
    """``bench/gen.py``, the benchmark's generator of hazard files, for the tests that read
    generated plans (``bench/`` is not a package: it is put on the path for the import only)."""
    import sys

    if "gen" not in sys.modules:
        sys.path.insert(0, str(REPO / "bench"))
        try:
            import gen  # noqa: F401
        finally:
            sys.path.remove(str(REPO / "bench"))
    return sys.modules["gen"]


def with_status_hazards(root: Path) -> Path:
    """``root`` (a copy of the fixture plan) given the status hazards of tests/data/status
    (overdue, closed, supervised …) and the evidence they name."""
    hazards = root / "data" / "hazards"
    hazards.mkdir(exist_ok=True)
    for src in sorted((REPO / "tests" / "data" / "status" / "hazards").glob("*.yaml")):
        shutil.copy(src, hazards / src.name)
    evidence = root / "evidence" / "HZ-20240315-A7K2"
    evidence.mkdir(parents=True)
    (evidence / "rectified.pdf").write_bytes(b"%PDF")
    return root


def copy_plan(dest: Path) -> Path:
    """``dest`` made a writable copy of the fixture plan (plan/ and data/); returns ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURE_PLAN / "plan", dest / "plan")
    shutil.copytree(FIXTURE_PLAN / "data", dest / "data")
    return dest


def enterprise_plan(dest: Path) -> Path:
    """``dest`` made a copy of the fixture plan with enterprises: the dajing plan, its
    plan.yaml given grades and duties, and the enterprises of tests/data/enterprises/."""
    copy_plan(dest)
    extra = Path(__file__).resolve().parent / "data" / "enterprises"
    plan = dest / "plan" / "plan.yaml"
    plan.write_bytes(plan.read_bytes() + (extra / "plan-enterprises.yaml").read_bytes())
    shutil.copytree(extra / "data" / "enterprises", dest / "data" / "enterprises")
    return dest


@pytest.fixture(scope="session")
def _empty_git_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty file that git reads as the user's global configuration."""
    path = tmp_path_factory.mktemp("git-config") / "gitconfig"
    path.write_text("", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def _scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of every test's own working folder and cache folder. ``tempfile.mkdtemp``
    in it is one system call; ``tmp_path_factory.mktemp`` lists every folder the session has
    made to number the next one (a few ms a call by the end of a run: quadratic)."""
    return tmp_path_factory.mktemp("scratch")


@pytest.fixture(autouse=True)
def _clean_environment(
    monkeypatch: pytest.MonkeyPatch,
    _scratch: Path,
    _empty_git_config: Path,
) -> None:
    """Tests see no SAFEPLAN_* settings, no GitHub Actions and no colour settings of the caller;
    git knows who commits without the user's ~/.gitconfig, which is never read nor written; and
    the working folder is an empty temporary one, so no command finds this repository's plan."""
    for name in (
        "SAFEPLAN_ROOT",
        "SAFEPLAN_LANG",
        "SAFEPLAN_AS_OF",
        "SAFEPLAN_DEBUG",
        "SAFEPLAN_NO_CACHE",
        "GITHUB_ACTIONS",
        "NO_COLOR",
        "FORCE_COLOR",
        "COLUMNS",
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_CONFIG",
        "GIT_CONFIG_COUNT",
        "GIT_CONFIG_SYSTEM",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in GIT_IDENTITY.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(_empty_git_config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    # The user's cache folder (compiled report templates) is this test process's own:
    # ~/.cache untouched. The templates are compiled once a process, not once a test (the
    # cache is keyed by each template's source and safeplan's version; the tests of the
    # cache itself, in test_report_cli.py, give their own folder).
    monkeypatch.setenv("XDG_CACHE_HOME", str(_scratch / "xdg-cache"))
    monkeypatch.chdir(tempfile.mkdtemp(prefix="cwd-", dir=_scratch))


#: openpyxl's cells (typed) of each workbook the suite read, by the workbook's bytes and the
#: sheet asked for: the many tests that read one fixture workbook pay for openpyxl once (per
#: test process), and every read by the direct reader is still compared with them.
_OPENPYXL_CELLS: dict[tuple[bytes, str | None], Any] = {}


def _typed_cells(sheets: Any) -> Any:
    """Sheets with each value's type beside it (1 == True in Python: the types must agree)."""
    return [
        (s.name, [(r, {c: (type(v), v) for c, v in row.items()}) for r, row in s.rows])
        for s in sheets
    ]


def xlsx_cross_check(direct: Any) -> Any:
    """``direct`` (the direct .xlsx reader's ``_read_fast``) made to compare what it reads
    with openpyxl's path: the test fails when the two give other cells or types."""
    import hashlib

    from safeplan.importers.ledger import workbook

    def both(zf: Any, path: Path, members: Any, sheet: str | None, shown: str) -> Any:
        fast = direct(zf, path, members, sheet, shown)
        if fast is not None:
            key = (hashlib.sha256(path.read_bytes()).digest(), sheet)
            slow = _OPENPYXL_CELLS.get(key)
            if slow is None:
                try:  # an error here is the readers disagreeing, never the test's expected one
                    extras = {
                        n: workbook._scan_xml(zf, m, n, shown)
                        for n, m in members.items()
                        if sheet is None or n == sheet
                    }
                    slow = _typed_cells(workbook._read_openpyxl(path, shown, sheet, extras))
                except Exception as exc:
                    pytest.fail(f"{path}: openpyxl's path failed: {exc}")
                _OPENPYXL_CELLS[key] = slow
            # pytest.fail, not assert: the reader turns an Exception into "damaged workbook"
            # (a DataError), which a test expecting a refusal would take for its own.
            if _typed_cells(fast) != slow:
                pytest.fail(f"{path}: the .xlsx readers disagree:\n{_typed_cells(fast)}\n{slow}")
        return fast

    both.direct = direct  # type: ignore[attr-defined]
    return both


@pytest.fixture(autouse=True)
def _xlsx_readers_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every workbook a test reads in-process through the direct .xlsx reader is read by
    openpyxl too, and the two must give the same cells, type by type (the direct reader
    replaced openpyxl for speed only). openpyxl reads each workbook once per test process
    (``_OPENPYXL_CELLS``); tests/test_ledger_sheetxml.py proves the check still fails."""
    from safeplan.importers.ledger import workbook

    monkeypatch.setattr(workbook, "_read_fast", xlsx_cross_check(workbook._read_fast))


#: The click command typer builds from each app, built once a test process: typer's
#: CliRunner builds it again on every ``invoke`` (all 70-odd commands' signatures, hints and
#: help: a twentieth of the suite's time), although the same app always gives the same
#: command. The build itself is what every first invoke of a process still runs.
_COMMANDS: dict[int, Any] = {}
_build_command = typer.testing._get_command


def _command_of(app: Any) -> Any:
    key = id(app)
    if key not in _COMMANDS:
        _COMMANDS[key] = (app, _build_command(app))  # the app kept: its id stays its own
    return _COMMANDS[key][1]


typer.testing._get_command = _command_of


@pytest.fixture
def plan_root(tmp_path: Path) -> Path:
    """A writable copy of the fixture plan (plan/ and data/)."""
    return copy_plan(tmp_path / "plan-root")


@pytest.fixture
def runner() -> Iterator[CliRunner]:
    yield CliRunner()


@pytest.fixture
def git_identity(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A git that knows who commits, whatever the machine's own configuration says."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR", "GIT_COMMITTER"):
        monkeypatch.setenv(f"{name}_NAME", "测试员")
        monkeypatch.setenv(f"{name}_EMAIL", "tester@example.org")


@pytest.fixture
def no_git_identity(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A git that does not know who commits (and may not guess)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR", "GIT_COMMITTER"):
        monkeypatch.delenv(f"{name}_NAME", raising=False)
        monkeypatch.delenv(f"{name}_EMAIL", raising=False)
    monkeypatch.delenv("EMAIL", raising=False)
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "user.useConfigOnly")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "true")


def ledger_maker() -> Any:
    """tests/data/ledgers/make_ledgers.py as a module: the workbooks the ledger tests build."""
    import importlib.util

    path = Path(__file__).resolve().parent / "data" / "ledgers" / "make_ledgers.py"
    spec = importlib.util.spec_from_file_location("make_ledgers", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
