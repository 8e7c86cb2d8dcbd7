"""The portal's languages: Norwegian bokmål (the default) and English, from the Babel
catalogues in locale/ (messages.po, compiled to the messages.mo kept beside it; the
texts' ids are English). A browser's choice is kept in a cookie."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("nb", "en")  # the first is the default
DEFAULT_LANGUAGE = LANGUAGES[0]
LANGUAGE_COOKIE = "fordring_lang"


def language_of(cookie: str | None) -> str:
    """The language a request asked for (its cookie), else the default."""
    return cookie if cookie in LANGUAGES else DEFAULT_LANGUAGE


@cache
def translations(language: str) -> Translations:
    """The language's catalogue; English is the texts' own ids (its catalogue may be
    empty), so a text missing from a catalogue shows in English, never as nothing."""
    found = Translations.load(str(LOCALE_DIR), [language], domain="messages")
    if not isinstance(found, Translations):  # no catalogue: Babel returns NullTranslations
        raise FileNotFoundError(f"no compiled catalogue for {language} in {LOCALE_DIR}")
    return found
