"""Message catalogs (gettext): English msgids in the code, Chinese in ``locale/zh_CN``.

The catalog source is ``locale/zh_CN/LC_MESSAGES/safeplan.po``; ``make i18n`` extracts
new msgids and compiles the ``.mo`` that is shipped. A test keeps the two in step.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DOMAIN = "safeplan"
LOCALE_DIR = Path(__file__).parent / "locale"

_GETTEXT_LOCALE = {"zh": "zh_CN", "en": "en"}


@cache
def translations(lang: Lang) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[_GETTEXT_LOCALE[lang]], fallback=True)


def translator(lang: Lang) -> Callable[[str], str]:
    """The gettext function for a language."""
    return translations(lang).gettext


def lang_of_plan(language: str) -> Lang:
    """The output language a plan's ``language`` field asks for."""
    return "zh" if language.lower().startswith("zh") else "en"


def parse_lang(value: str) -> Lang | None:
    """``zh``, ``zh-CN``, ``zh_CN.UTF-8``, ``en``, ``en-US`` … → a supported language."""
    v = value.strip().lower().replace("_", "-")
    if v.startswith("zh"):
        return "zh"
    if v.startswith("en"):
        return "en"
    return None
