"""File names reach no terminal or CI log raw (issue 18, item 11): every path shown, in every
format of ``validate`` and in ``import text``, is escaped as record text is (``inert``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app

#: Retitles the window and clears the screen when printed raw.
TITLE = "HZ-20240101-\x1b]0;PWNED\x07\x1b[2J.yaml"
#: Starts a GitHub workflow command when printed raw at the start of a line.
COMMAND = "HZ-20240101-X\n::error::PWNED.yaml"
#: Shows a different name than the one on disk when printed raw.
BIDI = "HZ-20240101-\u202eLMY.yaml"

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("name", [TITLE, COMMAND, BIDI])
@pytest.mark.parametrize("fmt", ["text", "json", "github", "gitlab", "junit"])
def test_a_hostile_file_name_is_escaped_in_every_format(
    runner: CliRunner, plan_root: Path, name: str, fmt: str
) -> None:
    (plan_root / "data" / "hazards").mkdir(exist_ok=True)
    (plan_root / "data" / "hazards" / name).write_text("id: x\n", encoding="utf-8")
    result = runner.invoke(
        app, ["validate", "--root", str(plan_root), "--lang", "en", "--format", fmt]
    )
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert not RAW.search(out.replace("\n", "")), out
    assert not any(line.startswith("::error::") for line in out.splitlines()), out
    if fmt == "text":
        assert re.search(r"HZ-20240101-(\\x1b\]0;PWNED\\x07|X\\n::error::|\\u202e)", out), out
    if fmt in ("json", "gitlab"):
        json.loads(out)


def test_import_text_escapes_its_path_argument(runner: CliRunner, plan_root: Path) -> None:
    text = (Path(__file__).parent / "data" / "dajing" / "plan" / "source.txt").read_text(
        encoding="utf-8"
    )
    name = plan_root / "a\x1b]0;PWNED\x07\x1b[2Jb.txt"
    name.write_text(text, encoding="utf-8")
    result = runner.invoke(
        app, ["import", "text", str(name), "--root", str(plan_root), "--lang", "en"]
    )
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "a\\x1b]0;PWNED\\x07\\x1b[2Jb.txt" in result.output


def test_a_mistyped_command_is_echoed_escaped(runner: CliRunner) -> None:
    result = runner.invoke(app, ["x\x1b[2Jy", "--lang", "en"])
    assert result.exit_code == 2
    assert "No such command 'x\\x1b[2Jy'" in result.output


def test_fmt_check_names_a_hostile_file_escaped(runner: CliRunner, plan_root: Path) -> None:
    (plan_root / "data" / "hazards").mkdir(exist_ok=True)
    path = plan_root / "data" / "hazards" / TITLE
    path.write_text("title: 配电箱\nid: HZ-20240101-AAAA\n", encoding="utf-8")
    result = runner.invoke(app, ["fmt", "--check", "--root", str(plan_root), "--lang", "en"])
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b]0;PWNED\\x07" in result.output
