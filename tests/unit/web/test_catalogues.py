"""The portal's Babel catalogues (entrypoints/web/locale): every text of the templates is
in each catalogue, Norwegian has a translation of each, and the compiled .mo files that
are committed (a fresh clone works without compiling) say what the .po files say."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from fordring.entrypoints.web.i18n import LANGUAGES, LOCALE_DIR, translations

WEB = LOCALE_DIR.parent


def _template_texts() -> set[str]:
    method_map = [("templates/**.html", "jinja2")]
    return {str(found[2]) for found in extract_from_dir(str(WEB), method_map)}


def _catalogue(language: str, suffix: str) -> dict[str, str]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"messages.{suffix}"
    with Path(path).open("rb") as handle:
        read = read_po(handle) if suffix == "po" else read_mo(handle)
    return {str(m.id): str(m.string) for m in read if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_of_the_templates_is_in_the_catalogue(language: str) -> None:
    texts = _template_texts()
    assert texts, "no texts found: the extraction is broken"
    assert texts <= set(_catalogue(language, "po"))


def test_every_text_has_a_norwegian_translation() -> None:
    untranslated = [k for k, v in _catalogue("nb", "po").items() if not v]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_file_is_the_po_file_compiled(language: str) -> None:
    assert _catalogue(language, "mo") == {
        k: v for k, v in _catalogue(language, "po").items() if v
    }, "run: pybabel compile -d src/fordring/entrypoints/web/locale"


def test_norwegian_is_the_default_and_english_shows_the_texts_themselves() -> None:
    assert LANGUAGES[0] == "nb"
    assert translations("nb").gettext("Cases") == "Under behandling"
    assert translations("en").gettext("Cases") == "Cases"
