"""The message catalogs: every message translated, placeholders kept, the shipped .mo up to date."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from safeplan.i18n import translator

PKG = Path(__file__).resolve().parent.parent / "src" / "safeplan"
PO = PKG / "locale" / "zh_CN" / "LC_MESSAGES" / "safeplan.po"
MO = PO.with_suffix(".mo")
FIELD = re.compile(r"\{(\w+)(?::[^}]*)?\}")


def _extracted(tmp: Path) -> set[str]:
    """Msgids in the source, extracted the way `make i18n` does."""
    pot = tmp / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "--no-location",
            "--omit-header",
            "-k",
            "N_",
            "-k",
            "_",
            "-o",
            str(pot),
            str(PKG),
        ],
        capture_output=True,
        check=True,
    )
    with pot.open("rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


def test_every_message_in_the_source_has_a_chinese_translation(tmp_path: Path) -> None:
    with PO.open("rb") as fh:
        po = {m.id: m.string for m in read_po(fh) if m.id}
    extracted = _extracted(tmp_path)
    assert len(extracted) > 200 and "overdue" in extracted  # the extraction itself worked
    missing = sorted(msgid for msgid in extracted if not po.get(msgid))
    assert missing == [], "run `make i18n` and translate these in safeplan.po"


def test_translations_keep_the_placeholders() -> None:
    with PO.open("rb") as fh:
        for m in read_po(fh):
            if m.id and m.string:
                assert set(FIELD.findall(m.id)) == set(FIELD.findall(str(m.string))), m.id


def test_compiled_catalog_matches_the_po_file() -> None:
    with PO.open("rb") as fh:
        po = {m.id: m.string for m in read_po(fh) if m.id and m.string}
    with MO.open("rb") as fh:
        mo = {m.id: m.string for m in read_mo(fh) if m.id}
    assert mo == po, "the .mo is stale: run `make i18n`"


def test_translator() -> None:
    assert translator("zh")("overdue") == "逾期"
    assert translator("en")("overdue") == "overdue"
