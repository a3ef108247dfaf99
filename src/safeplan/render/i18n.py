"""The reader's language: choosing it, the message catalogs, plurals and lists.

English msgids live in the code; Chinese is in ``locale/zh_CN/LC_MESSAGES/safeplan.po``
(``make i18n`` extracts new msgids and compiles the ``.mo`` that is shipped; a test keeps
the two in step). A :class:`Translator` is what every renderer takes: gettext and
ngettext, the language's way of joining a list, and the labels of coded values. Its
``translations`` can be installed in Jinja's i18n extension as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from safeplan.vocab import BY_NAME, Lang, Vocabulary

if TYPE_CHECKING:
    import gettext

DOMAIN = "safeplan"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
_GETTEXT_LOCALE = {"zh": "zh_CN", "en": "en"}
#: How a list is joined, and how the parts of a detail are.
_LIST_SEPARATOR = {"zh": "、", "en": ", "}
_VOCABULARIES = BY_NAME


@cache
def translations(lang: Lang) -> gettext.NullTranslations:
    import gettext

    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[_GETTEXT_LOCALE[lang]], fallback=True)


class Translator:
    """Everything language-dependent a renderer needs, for one language."""

    def __init__(self, lang: Lang) -> None:
        self.lang: Lang = lang
        self.translations = translations(lang)

    def __call__(self, message: str) -> str:
        return self.translations.gettext(message)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def join(self, items: Iterable[str]) -> str:
        return _LIST_SEPARATOR[self.lang].join(items)

    def label(
        self, vocabulary: str | Vocabulary, code: str, long: bool = False, formal: bool = False
    ) -> str:
        """A code's label; ``formal`` in documents for the county (一般事故隐患, not 一般隐患)."""
        v = _VOCABULARIES[vocabulary] if isinstance(vocabulary, str) else vocabulary
        return v.label(code, self.lang, long, formal)


@cache
def translator(lang: Lang) -> Translator:
    return Translator(lang)


def parse_lang(value: str) -> Lang | None:
    """``zh``, ``zh-CN``, ``zh_CN.UTF-8``, ``en``, ``en-US``, ``C`` … → a supported language."""
    v = value.strip().lower().replace("_", "-")
    if v.startswith("zh"):
        return "zh"
    if v.startswith("en") or v in ("c", "posix") or v.startswith("c."):
        return "en"
    return None


def lang_of_plan(language: str) -> Lang:
    """The output language a plan's ``language`` field asks for."""
    return "zh" if language.lower().startswith("zh") else "en"


def choose_language(
    option: str | None,
    plan_language: str | None,
    environ: Mapping[str, str],
) -> Lang:
    """The one place the language is chosen: the option (or SAFEPLAN_LANG), the plan's
    language, then the locale (LC_ALL, LC_MESSAGES, LANG, in POSIX order), else English.

    ``option`` is ``--lang``; ``environ`` holds the environment the CLI passes in.
    """
    for value in (option, environ.get("SAFEPLAN_LANG")):
        if value:
            chosen = parse_lang(value)
            if chosen is not None:
                return chosen
    if plan_language:
        return lang_of_plan(plan_language)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return parse_lang(value) or "en"
    return "en"
