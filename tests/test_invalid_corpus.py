"""The invalid-data corpus: every case's exact ``safeplan validate --lang en`` output.

Each folder in ``tests/data/invalid/`` is an overlay on ``tests/data/valid-minimal/``:
its files replace (or add to) the valid tree, a file named ``<name>.delete`` removes
``<name>``, and ``expected.txt`` holds the exact text output. The exit code is 1 when
the expected output reports errors, else 0.

``SAFEPLAN_UPDATE_GOLDENS=1`` rewrites ``expected.txt`` from the current output (that
is what ``make goldens`` does): read every changed file before committing it.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app

DATA = Path(__file__).resolve().parent / "data"
VALID = DATA / "valid-minimal"
INVALID = DATA / "invalid"
#: Files of a case folder that describe the case rather than overlay the tree.
META = {"expected.txt", "expected-zh.txt", "README.md"}
DELETE_SUFFIX = ".delete"
UPDATE = os.environ.get("SAFEPLAN_UPDATE_GOLDENS") == "1"

CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


def build_tree(case: Path, dest: Path) -> Path:
    """valid-minimal copied to ``dest`` with the case's overlay applied (bytes kept as they are)."""
    shutil.copytree(VALID, dest)
    for src in sorted(case.rglob("*")):
        rel = src.relative_to(case)
        if src.is_dir() or (len(rel.parts) == 1 and rel.name in META):
            continue
        if src.name.endswith(DELETE_SUFFIX):
            target = dest / rel.parent / src.name[: -len(DELETE_SUFFIX)]
            assert target.exists(), f"{case.name}: {rel} deletes a file valid-minimal does not have"
            target.unlink()
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(src.read_bytes())
    return dest


#: "Today" for the corpus, so that a fact dated after it is found the same way every day.
TODAY = "2026-11-28"


def run_validate(root: Path, lang: str = "en") -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["validate", "--lang", lang, "--root", str(root), "--as-of", TODAY]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout


def expected_exit(text: str) -> int:
    """1 when the summary line counts errors, 0 when it counts none; anything else is a bug."""
    last = text.splitlines()[-1]
    if last.endswith("files checked: no problems found."):
        return 0
    m = re.fullmatch(r"\d+ files checked; errors: (\d+), warnings: \d+\.", last)
    assert m, f"not a summary line: {last!r}"
    return 1 if int(m.group(1)) else 0


def test_valid_minimal_is_valid() -> None:
    code, out = run_validate(VALID)
    assert out == "5 files checked: no problems found.\n"
    assert code == 0


def test_corpus_is_not_empty() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", CASES)
def test_case(name: str, tmp_path: Path) -> None:
    case = INVALID / name
    root = build_tree(case, tmp_path / "root")
    code, out = run_validate(root)
    golden = case / "expected.txt"
    if UPDATE:
        golden.write_text(out, encoding="utf-8", newline="\n")
    assert golden.is_file(), f"{name}: no expected.txt (run with SAFEPLAN_UPDATE_GOLDENS=1)"
    expected = golden.read_text(encoding="utf-8")
    assert out == expected
    assert code == expected_exit(expected)
    assert "Traceback" not in out
    zh = case / "expected-zh.txt"
    if zh.is_file():  # the same problems, as a Chinese reader sees them
        zh_code, zh_out = run_validate(root, "zh")
        if UPDATE:
            zh.write_text(zh_out, encoding="utf-8", newline="\n")
        assert zh_out == zh.read_text(encoding="utf-8")
        assert zh_code == code


ZH_CASES = [name for name in CASES if (INVALID / name / "expected-zh.txt").is_file()]


def test_some_cases_pin_the_chinese_messages() -> None:
    assert len(ZH_CASES) >= 8
