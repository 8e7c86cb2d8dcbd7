"""The payment plan's letters as PDFs (issue 19): the confirmation of a plan or deferral
and the reminder of a missed instalment, in bokmål and English, say what docs/letters.md
("The payment plan's letters") promises: the case, creditor and collector, what is owed
with the § 2-4 addition booked, each instalment's date and amount, where and how to pay,
what a missed instalment brings, and that the reminder charges nothing."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from tests.unit.adapters.test_pdf_letters import COLLECTOR, CREDITOR, a_letter, an_item, text_of

from fordring.adapters.db.letter_codec import decode_letter, encode_letter
from fordring.adapters.pdf import render_letter
from fordring.domain.collection.letters import Letter, LetterKind, PlanTerms
from fordring.domain.collection.payment_plan import Instalment
from fordring.domain.language import Language

D = Decimal
NB, EN = Language.NB, Language.EN
INSTALMENTS = (
    Instalment(1, date(2026, 4, 1), D("5000.00")),
    Instalment(2, date(2026, 5, 4), D("5000.00")),
    Instalment(3, date(2026, 6, 1), D("5000.00")),
    Instalment(4, date(2026, 7, 1), D("5000.00")),
    Instalment(5, date(2026, 8, 3), D("3340.00")),
)  # 12 450 + 35 + salær 10 855 (with the addition 1 125) = 23 340


def a_confirmation(language: Language = NB, *, deferral: bool = False) -> Letter:
    instalments = INSTALMENTS[:1] if deferral else INSTALMENTS
    if deferral:
        instalments = (Instalment(1, date(2026, 4, 15), D("23340.00")),)
    terms = PlanTerms(deferral, instalments, D(0) if deferral else D("1125.00"), 14)
    return a_letter(
        LetterKind.PLAN_CONFIRMATION,
        language,
        collector=COLLECTOR,
        deadline=instalments[0].due_on,
        fee_this_letter=D(0),
        items=(an_item(interest=D(0), interest_from=None, interest_rate=None),),
        salaer=D("10855.00"),
        plan=terms,
    )


def a_plan_reminder(language: Language = NB) -> Letter:
    terms = PlanTerms(
        False, INSTALMENTS, reminder_days=14, missed=INSTALMENTS[1], due_now=D("5000.00"),
        paid=D("5000.00"),
    )  # fmt: skip
    return dataclasses.replace(
        a_confirmation(language), kind=LetterKind.PLAN_REMINDER, deadline=date(2026, 5, 19),
        plan=terms,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (NB, ["Bekreftelse på nedbetalingsavtale", "i 5 avdrag, til sammen kr 23 340,00",
              "Første avdrag, kr 5 000,00, skal være betalt innen 01.04.2026",
              "1 01.04.2026 5 000,00", "2 04.05.2026 5 000,00", "5 03.08.2026 3 340,00",
              "Sum etter avtalen 23 340,00", "Skyldig i alt 23 340,00",
              "Tillegget for nedbetalingsavtale, kr 1 125,00, er lagt til inkassosalæret",
              "inkassoforskriften § 2-4", "Inkassosalær 10 855,00",
              "påminnelse med en frist på 14 dager", "faller avtalen bort",
              "Avtalen gjelder kravet til Fjordkraft Rørlegger AS"]),
        (EN, ["Confirmation of payment plan", "Bekreftelse på nedbetalingsavtale",
              "in 5 instalments, NOK 23,340.00 in all",
              "The first instalment, NOK 5,000.00, is to be paid by 1 Apr 2026",
              "1 1 Apr 2026 5,000.00", "5 3 Aug 2026 3,340.00",
              "Total under the plan 23,340.00", "The payment plan addition, NOK 1,125.00",
              "a reminder with a deadline of 14 days", "the plan ends",
              "The plan concerns the claim of Fjordkraft Rørlegger AS"]),
    ],
)  # fmt: skip
def test_a_confirmation_states_the_instalments_what_is_owed_and_what_a_missed_one_brings(
    language: Language, expected: list[str]
) -> None:
    text = text_of(render_letter(a_confirmation(language)))
    for part in expected:
        assert part in text
    for common in ("Nordlys Inkasso AS", "2026-000123", "8601 11 17947", "0001004200075"):
        assert common in text  # the collector sends it; the case, account and KID


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (NB, ["Bekreftelse på betalingsutsettelse", "Ny betalingsdato er 15.04.2026",
              "hele beløpet, kr 23 340,00", "faller utsettelsen bort uten ny påminnelse"]),
        (EN, ["Confirmation of deferral", "The new payment date is 15 Apr 2026",
              "the whole amount, NOK 23,340.00", "the deferral ends without a further reminder"]),
    ],
)  # fmt: skip
def test_a_deferral_s_confirmation_gives_the_new_payment_date(
    language: Language, expected: list[str]
) -> None:
    text = text_of(render_letter(a_confirmation(language, deferral=True)))
    for part in expected:
        assert part in text
    assert "nedbetalingsavtale" not in text.replace("Bekreftelse på betalingsutsettelse", "")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (NB, ["Påminnelse om avdrag", "avdrag nr. 2 på kr 5 000,00, som forfalt 04.05.2026",
              "Du er nå kr 5 000,00 på etterskudd med avdragene", "innen 19.05.2026",
              "2 (ikke betalt) 04.05.2026", "betalt så langt: kr 5 000,00",
              "gjenstår: kr 18 340,00", "faller nedbetalingsavtalen bort",
              "det er ikke lagt til gebyr"]),
        (EN, ["Reminder of a missed instalment", "Påminnelse om avdrag",
              "instalment no. 2 of NOK 5,000.00, due on 4 May 2026",
              "You are now NOK 5,000.00 behind with your instalments", "by 19 May 2026",
              "2 (not paid) 4 May 2026", "the payment plan ends", "no fee has been added"]),
    ],
)  # fmt: skip
def test_a_plan_reminder_names_the_missed_instalment_the_deadline_and_charges_no_fee(
    language: Language, expected: list[str]
) -> None:
    letter = a_plan_reminder(language)
    text = text_of(render_letter(letter))
    for part in expected:
        assert part in text
    assert letter.total == D("5000.00")  # what it asks now; the plan's rest stays as agreed
    assert "Purring" not in text and "purregebyr" not in text.lower()


def test_a_plan_letter_asks_for_the_plan_or_what_is_behind_it() -> None:
    assert a_confirmation().total == D("23340.00")  # what the plan pays in all
    assert a_confirmation().owed == D("23340.00")  # the items and salær make it up
    assert a_plan_reminder().total == D("5000.00")


@pytest.mark.parametrize(
    "letter", [a_confirmation(), a_plan_reminder(), a_confirmation(EN, deferral=True)]
)
def test_a_plan_letter_round_trips_through_its_stored_json(letter: Letter) -> None:
    assert decode_letter(encode_letter(letter)) == letter


def test_the_creditor_named_when_it_collects_itself_is_not_repeated() -> None:
    own = dataclasses.replace(a_confirmation(), collector=CREDITOR)
    text = text_of(render_letter(own))
    assert "Avtalen gjelder kravet til" not in text
