"""The message catalogs: every message translated, placeholders kept, the shipped .mo up to date."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from safeplan.render.i18n import translator

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
            "-k",
            "NP_:1,2",
            "-o",
            str(pot),
            str(PKG),
        ],
        capture_output=True,
        check=True,
    )
    with pot.open("rb") as fh:
        return {_key(m.id) for m in read_po(fh) if m.id}


def _key(msgid: object) -> str | tuple[str, ...]:
    """A msgid, or a plural msgid as the tuple of its forms."""
    return msgid if isinstance(msgid, str) else tuple(msgid)  # type: ignore[arg-type]


def _strings(string: object) -> list[str]:
    return [string] if isinstance(string, str) else [s for s in string]  # type: ignore[attr-defined]


def test_every_message_in_the_source_has_a_chinese_translation(tmp_path: Path) -> None:
    with PO.open("rb") as fh:
        po = {_key(m.id): m.string for m in read_po(fh) if m.id}
    extracted = _extracted(tmp_path)
    assert len(extracted) > 200 and "overdue" in extracted  # the extraction itself worked
    assert any(isinstance(m, tuple) for m in extracted)  # plural forms are extracted too
    missing = sorted((m for m in extracted if not all(_strings(po.get(m) or ""))), key=str)
    assert missing == [], "run `make i18n` and translate these in safeplan.po"


def test_translations_keep_the_placeholders() -> None:
    with PO.open("rb") as fh:
        for m in read_po(fh):
            if m.id and any(_strings(m.string)):
                wanted = set(FIELD.findall(_strings(m.id)[-1]))
                for string in _strings(m.string):
                    assert set(FIELD.findall(string)) == wanted, m.id


def test_compiled_catalog_matches_the_po_file() -> None:
    with PO.open("rb") as fh:
        po = {
            _key(m.id): _strings(m.string) for m in read_po(fh) if m.id and any(_strings(m.string))
        }
    with MO.open("rb") as fh:
        # An untranslated plural is compiled as its English forms; the test above catches it.
        mo = {
            _key(m.id): _strings(m.string)
            for m in read_mo(fh)
            if m.id and not set(_strings(m.string)) <= set(_strings(m.id))
        }
    assert mo == po, "the .mo is stale: run `make i18n`"


def test_translator() -> None:
    assert translator("zh")("overdue") == "逾期"
    assert translator("en")("overdue") == "overdue"


def test_plural_forms_and_lists_follow_the_language() -> None:
    from safeplan.problems import NP_, ListOf
    from safeplan.render.text import param

    one = NP_(
        "{files} file checked: no problems found.", "{files} files checked: no problems found.", 1
    )
    en, zh = translator("en"), translator("zh")
    assert en.ngettext(one.singular, one.plural, 1) == "{files} file checked: no problems found."
    assert en.ngettext(one.singular, one.plural, 2) == "{files} files checked: no problems found."
    assert zh.ngettext(one.singular, one.plural, 1) == zh.ngettext(one.singular, one.plural, 2)
    assert param(ListOf(["镇安监站", "镇党政办"]), en) == "镇安监站, 镇党政办"
    assert param(ListOf(["镇安监站", "镇党政办"]), zh) == "镇安监站、镇党政办"
    assert param(ListOf([], empty="—"), zh) == "—"
    assert param(ListOf(["a", "b"], quoted=True), en) == "'a', 'b'"
