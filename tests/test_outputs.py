"""Output files (issue 18, item 1): ``validate --output``, ``export ledger --out``, ``report``
and ``schema`` write by one rule (``fsio_output.write_output``), over a hostile corpus built here:
a character device, a FIFO with and without a reader, symbolic links, a file safeplan did not
write, and its own earlier outputs."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan import fsio_output
from safeplan.cli import app
from safeplan.errors import UsageError
from safeplan.render.ledger import is_ledger
from safeplan.render.problems import is_validation_report

FOREIGN = b"root:x:0:0:root:/root:/bin/bash\n"


def _validate(runner: CliRunner, root: Path, out: Path, *more: str) -> object:
    return runner.invoke(
        app, ["validate", "--root", str(root), "--lang", "en", "--output", str(out), *more]
    )


def _export(runner: CliRunner, root: Path, out: Path, *more: str) -> object:
    return runner.invoke(
        app,
        [
            *("export", "ledger", "--root", str(root), "--lang", "en"),
            *("--as-of", "2025-01-01", "--out", str(out), *more),
        ],
    )


# --------------------------------------------------------------------------- regular files


def test_a_new_output_is_written_and_written_again_over_itself(
    runner: CliRunner, plan_root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.xml"
    for _ in range(2):
        result = _validate(runner, plan_root, out, "--format", "junit")
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(b'<?xml version="1.0"')
    for fmt in ("json", "text", "gitlab", "github"):
        result = _validate(runner, plan_root, out, "--format", fmt)
        assert result.exit_code == 0, (fmt, result.output)


@pytest.mark.parametrize("fmt", ["junit", "json", "text", "gitlab", "github"])
def test_a_file_safeplan_did_not_write_is_kept_without_force(
    runner: CliRunner, plan_root: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "passwd"
    out.write_bytes(FOREIGN)
    result = _validate(runner, plan_root, out, "--format", fmt)
    assert result.exit_code == 2
    assert "is not a file safeplan wrote" in result.output
    assert "--force" in result.output
    assert out.read_bytes() == FOREIGN
    forced = _validate(runner, plan_root, out, "--format", fmt, "--force")
    assert forced.exit_code == 0, forced.output
    assert out.read_bytes() != FOREIGN


def test_export_ledger_keeps_a_foreign_file_and_replaces_its_own(
    runner: CliRunner, plan_root: Path, tmp_path: Path
) -> None:
    foreign = tmp_path / "passwd"
    foreign.write_bytes(FOREIGN)
    refused = _export(runner, plan_root, foreign)
    assert refused.exit_code == 2, refused.output
    assert foreign.read_bytes() == FOREIGN
    mine = tmp_path / "台账.xlsx"
    assert _export(runner, plan_root, mine).exit_code == 0
    first = mine.stat().st_ino
    again = _export(runner, plan_root, mine)
    assert again.exit_code == 0, again.output
    assert mine.stat().st_ino != first  # replaced atomically (a new file renamed over it)
    with mine.open("rb") as fh:
        assert is_ledger(mine.name, fh)


def test_export_ledger_csv_recognises_its_own_files(
    runner: CliRunner, plan_root: Path, tmp_path: Path
) -> None:
    base = tmp_path / "ledger.csv"
    assert _export(runner, plan_root, base, "--format", "csv").exit_code == 0
    again = _export(runner, plan_root, base, "--format", "csv")
    assert again.exit_code == 0, again.output
    (tmp_path / "ledger-tasks.csv").write_bytes(b"a,b\r\n")  # no BOM: not ours
    assert _export(runner, plan_root, base, "--format", "csv").exit_code == 2


def test_recognisers_do_not_take_other_files(tmp_path: Path) -> None:
    path = tmp_path / "x"
    for data in (b"", FOREIGN, b"PK\x03\x04broken", b'{"files": 1}'):
        path.write_bytes(data)
        with path.open("rb") as fh:
            assert not is_validation_report(path.name, fh)
        with path.open("rb") as fh:
            assert not fsio_output._is_ours(path, is_ledger)


# --------------------------------------------------------------------------- links


def test_a_symlink_is_followed_and_stays_a_link(
    runner: CliRunner, plan_root: Path, tmp_path: Path
) -> None:
    target = tmp_path / "real.json"
    assert _validate(runner, plan_root, target, "--format", "json").exit_code == 0
    link = tmp_path / "link.json"
    link.symlink_to(target)
    result = _validate(runner, plan_root, link, "--format", "junit")
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert target.read_bytes().startswith(b"<?xml")


def test_a_symlink_to_a_foreign_file_is_refused_and_one_to_nothing_too(
    runner: CliRunner, plan_root: Path, tmp_path: Path
) -> None:
    foreign = tmp_path / "passwd"
    foreign.write_bytes(FOREIGN)
    link = tmp_path / "out.xml"
    link.symlink_to(foreign)
    assert _validate(runner, plan_root, link).exit_code == 2
    assert link.is_symlink() and foreign.read_bytes() == FOREIGN
    dangling = tmp_path / "dangling.xml"
    dangling.symlink_to(tmp_path / "nowhere" / "x.xml")
    result = _validate(runner, plan_root, dangling)
    assert result.exit_code == 2
    assert "symbolic link to a file that does not exist" in result.output
    assert dangling.is_symlink() and not (tmp_path / "nowhere").exists()


# --------------------------------------------------------------------------- special files


def _mknod(path: Path, minor: int = 3) -> None:
    """A character device of the memory driver (3: like /dev/null, 7: like /dev/full)."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except (OSError, AttributeError) as exc:
        pytest.skip(f"cannot make a character device here (needs root): {exc}")


def test_a_character_device_is_written_to_never_replaced(
    runner: CliRunner, plan_root: Path, tmp_path: Path
) -> None:
    dev = tmp_path / "mynull"
    _mknod(dev)
    for result in (_validate(runner, plan_root, dev), _export(runner, plan_root, dev)):
        assert result.exit_code == 0, result.output
        assert stat.S_ISCHR(dev.lstat().st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_full_device_is_an_error_not_a_growing_file(tmp_path: Path) -> None:
    """A private copy of /dev/full (never the system's own, and never through a command of
    the old code, which read the whole target first: endless on this device)."""
    from safeplan.errors import RefusedError

    full = tmp_path / "myfull"
    _mknod(full, 7)
    with pytest.raises(RefusedError) as caught:
        fsio_output.write_output(full, b"x" * 100_000, "myfull", is_ledger)
    assert caught.value.params["path"] == "myfull"
    assert stat.S_ISCHR(full.lstat().st_mode)


def _in_thread(fn: object, timeout: float = 20.0) -> object:
    """Run ``fn`` with a time limit: a hang fails the test instead of blocking the suite."""
    box: list[object] = []
    t = threading.Thread(target=lambda: box.append(fn()), daemon=True)  # type: ignore[operator]
    t.start()
    t.join(timeout)
    assert not t.is_alive(), "the command hung"
    return box[0]


def test_a_fifo_with_a_reader_gets_the_report(
    runner: CliRunner, plan_root: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = _in_thread(lambda: _validate(runner, plan_root, fifo, "--format", "json"))
    reader.join(20)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert got and b'"files_checked": 3' in got[0]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_fifo_nobody_reads_is_refused_at_once(
    runner: CliRunner, plan_root: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = _in_thread(lambda: _export(runner, plan_root, fifo))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "FIFO that nobody is reading" in result.output  # type: ignore[attr-defined]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_folder_or_socket_is_refused(tmp_path: Path) -> None:
    import socket

    with pytest.raises(UsageError):
        fsio_output.write_output(tmp_path, b"x", "here", is_ledger)
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as s:
        try:
            s.bind(str(path))
        except OSError as exc:
            pytest.skip(f"no unix sockets here: {exc}")
        with pytest.raises(UsageError):
            fsio_output.write_output(path, b"x", "s", is_ledger)
        assert stat.S_ISSOCK(path.lstat().st_mode)


def test_dev_stdout_is_the_stream_this_process_holds(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    fsio_output.write_output(Path("/dev/stdout"), b"hello\n", "/dev/stdout", is_ledger)
    assert capfd.readouterr().out == "hello\n"


def test_the_target_is_never_read_to_write_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old write read the whole target first (/dev/zero, /dev/full: endless)."""
    target = tmp_path / "2026-W48.md"
    target.write_bytes(b"old")
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read the target"))
    from safeplan.render.report import is_report

    fsio_output.write_output(target, b"new", "2026-W48.md", is_report)
    with target.open("rb") as fh:
        assert fh.read() == b"new"


def test_report_refuses_a_foreign_file_in_its_folder(
    runner: CliRunner, plan_root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    fifo = out / "2024-W48.md"
    os.mkfifo(fifo)
    result = _in_thread(
        lambda: runner.invoke(
            app,
            [
                *("report", "weekly", "--root", str(plan_root), "--week", "2024-W48"),
                *("--out", str(out), "--format", "md", "--lang", "en"),
            ],
        )
    )
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_csv_files_are_refused_before_any_is_written(
    runner: CliRunner, plan_root: Path, tmp_path: Path
) -> None:
    (tmp_path / "x-tasks.csv").write_bytes(FOREIGN)
    result = _export(runner, plan_root, tmp_path / "x.csv", "--format", "csv")
    assert result.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan-root", "x-tasks.csv"]


def test_validate_refuses_its_output_before_reading_the_plan(
    runner: CliRunner, plan_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import safeplan.repo

    monkeypatch.setattr(safeplan.repo, "load", lambda *a, **k: pytest.fail("read the plan"))
    out = tmp_path / "passwd"
    out.write_bytes(FOREIGN)
    assert _validate(runner, plan_root, out).exit_code == 2


def test_report_writes_none_of_its_files_when_one_is_refused(
    runner: CliRunner, plan_root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    (out / "2024-W48.html").mkdir()  # a folder where the HTML report would go
    result = runner.invoke(
        app,
        [
            *("report", "weekly", "--root", str(plan_root), "--week", "2024-W48"),
            *("--out", str(out), "--lang", "en"),
        ],
    )
    assert result.exit_code == 2, result.output
    assert sorted(p.name for p in out.iterdir()) == ["2024-W48.html"]
