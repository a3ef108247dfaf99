"""``export ledger`` leaves no record out unsaid (issue 18, item 15) and writes no cell a
spreadsheet would run as a formula (item 16)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeplan.cli import app

VALID = Path(__file__).parent / "data" / "valid-minimal"
BROKEN = "HZ-20240101-BAD1"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """valid-minimal with a hazard whose title starts as a formula, and one broken file."""
    root = tmp_path / "plan"
    shutil.copytree(VALID, root)
    hazard = root / "data" / "hazards" / "HZ-20240315-A7K2.yaml"
    text = hazard.read_text(encoding="utf-8")
    hazard.write_text(
        text.replace("title: 井下主排水泵房排水能力不足", "title: '=HYPERLINK(\"http://x\")'"),
        encoding="utf-8",
    )
    (root / "data" / "hazards" / f"{BROKEN}.yaml").write_text("id: [\n", encoding="utf-8")
    return root


def _export(runner: CliRunner, root: Path, out: Path, lang: str, *more: str) -> object:
    return runner.invoke(
        app,
        [
            *("export", "ledger", "--root", str(root), "--lang", lang),
            *("--as-of", "2025-01-01", "--out", str(out), *more),
        ],
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_hazard_whose_file_cannot_be_read_is_named_on_the_cover_and_terminal(
    runner: CliRunner, plan: Path, tmp_path: Path, lang: str
) -> None:
    out = tmp_path / "ledger.csv"
    result = _export(runner, plan, out, lang, "--format", "csv")
    assert BROKEN in result.stderr  # type: ignore[attr-defined]
    cover = (tmp_path / "ledger-cover.csv").read_text(encoding="utf-8-sig")
    assert BROKEN in cover
    assert ("记录待核实" if lang == "zh" else "to be verified") in cover


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_workbook_names_no_tool(
    runner: CliRunner, plan: Path, tmp_path: Path, lang: str
) -> None:
    out = tmp_path / "ledger.xlsx"
    _export(runner, plan, out, lang)
    with zipfile.ZipFile(out) as zf:
        text = b"".join(zf.read(n) for n in zf.namelist())
    assert BROKEN.encode() in text
    assert b"safeplan validate" not in text
    assert b"safeplan" not in text


def test_a_text_cell_that_starts_as_a_formula_gets_the_quote_prefix(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    import openpyxl

    out = tmp_path / "ledger.xlsx"
    _export(runner, plan, out, "en")
    wb = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    cells = [c for row in wb.worksheets[1].iter_rows() for c in row if c.value is not None]
    formula = [c for c in cells if str(c.value).startswith("=")]
    assert formula, "the title should be in the hazards sheet"
    assert all(c.data_type == "s" and c.quotePrefix for c in formula)
    assert not any(
        c.quotePrefix for c in cells if not str(c.value).startswith(("=", "+", "-", "@"))
    )


def test_a_hazard_file_repeating_an_id_is_named_too(
    runner: CliRunner, plan: Path, tmp_path: Path
) -> None:
    hazards = plan / "data" / "hazards"
    (hazards / f"{BROKEN}.yaml").unlink()
    shutil.copyfile(hazards / "HZ-20240902-B3M9.yaml", hazards / "HZ-20240902-B3M9.yml")
    out = tmp_path / "ledger.csv"
    result = _export(runner, plan, out, "en", "--format", "csv")
    cover = (tmp_path / "ledger-cover.csv").read_text(encoding="utf-8-sig")
    assert "HZ-20240902-B3M9.yml" in cover
    assert "HZ-20240902-B3M9.yml" in result.stderr  # type: ignore[attr-defined]
