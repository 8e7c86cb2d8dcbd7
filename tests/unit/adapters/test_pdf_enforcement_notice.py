"""The notice of enforcement (varsel om tvangsfullbyrdelse, tvangsfullbyrdelsesloven
§ 4-18) as a PDF, in bokmål and English: one page, the claim itemised, the deadline and
what follows if it passes (issue 12)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.unit.adapters.test_pdf_letters import COLLECTOR, a_letter, pages_of, text_of

from fordring.adapters.pdf import render_letter
from fordring.domain.collection.letters import Letter, LetterKind
from fordring.domain.language import Language


def a_notice(language: Language = Language.NB, **changes: object) -> Letter:
    defaults: dict[str, object] = {
        "collector": COLLECTOR,
        "salaer": Decimal("1120.00"),
        "fee_this_letter": Decimal(0),
        "licensed_collector": True,
    }
    return a_letter(LetterKind.ENFORCEMENT_NOTICE, language, **(defaults | changes))


@pytest.mark.parametrize("language", list(Language))
def test_the_notice_is_one_page_with_the_claim_and_its_deadline(language: Language) -> None:
    pages = pages_of(render_letter(a_notice(language)))
    assert len(pages) == 1
    text = pages[0]
    assert "Nordlys Inkasso AS" in text and "Fjordkraft Rørlegger AS" in text
    assert "Varsel om tvangsfullbyrdelse" in text and "§ 4-18" in text
    assert "0001004200075" in text  # the KID


def test_the_bokmal_notice_says_enforcement_may_follow_the_deadline() -> None:
    text = text_of(render_letter(a_notice()))
    assert "Er kravet ikke betalt innen 16.03.2026, kan kreditor begjære tvangsfullbyrdelse" in text
    for line in ("Hovedstol 12 450,00", "Inkassosalær 1 120,00", "Å betale 13 792,63"):
        assert line in text
    assert "12,00 % per år fra 20.01.2026" in text


def test_the_english_notice_says_the_same() -> None:
    text = text_of(render_letter(a_notice(Language.EN)))
    assert "Notice of enforcement" in text
    assert "the creditor may ask the enforcement officer" in text


def test_a_notice_without_a_deadline_is_refused() -> None:
    with pytest.raises(ValueError, match="deadline"):
        render_letter(a_notice(deadline=None))
