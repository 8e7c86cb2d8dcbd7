"""The letters and the collection list as PDFs: each kind in bokmål and English says what
inkassoloven §§ 9-10 and complaint-board practice require (DOMAIN.md § 2), on one page.

The text is read back from the PDF with pypdf, so the assertions are about what a debtor
actually sees.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from fordring.adapters.pdf import (
    TypstLetterRenderer,
    render_collection_list,
    render_letter,
    render_letters,
)
from fordring.domain.collection.letters import (
    CollectionList,
    InterestPeriod,
    Letter,
    LetterAccess,
    LetterItem,
    LetterKind,
    ListedCase,
    Party,
)
from fordring.domain.language import Language

D = Decimal
NB, EN = Language.NB, Language.EN
CREDITOR = Party(
    "Fjordkraft Rørlegger AS", "Kongens gate 12", "7011", "Trondheim", orgnr="988077917"
)
COLLECTOR = Party("Nordlys Inkasso AS", "Postboks 123 Sentrum", "0102", "Oslo", orgnr="123456785")
DEBTOR = Party("Ærlige Åse Øvrebø", "Bjørnstjerne Bjørnsons gate 7 B", "3044", "Drammen")


def an_item(**changes: Any) -> LetterItem:
    item = LetterItem(
        invoice_number=10042,
        description="Rørleggerarbeid på badet",
        issue_date=date(2026, 1, 5),
        due_date=date(2026, 1, 19),
        original_amount=D("12450.00"),
        principal=D("12450.00"),
        fee=D("35.00"),
        interest=D("187.63"),
        interest_from=date(2026, 1, 20),
        interest_rate=D("12.00"),
    )
    return dataclasses.replace(item, **changes)


def a_letter(kind: LetterKind, language: Language = NB, **changes: Any) -> Letter:
    letter = Letter(
        kind=kind,
        language=language,
        letter_date=date(2026, 3, 2),
        deadline=date(2026, 3, 16),
        creditor=CREDITOR,
        collector=CREDITOR,
        debtor=DEBTOR,
        case_number="2026-000123",
        items=(an_item(),),
        account="86011117947",
        kid="0001004200075",
        fee_this_letter=D("35.00"),
    )
    return dataclasses.replace(letter, **changes)


def a_demand(language: Language = NB, **changes: Any) -> Letter:
    defaults: dict[str, Any] = {
        "collector": COLLECTOR,
        "salaer": D("1120.00"),
        "fee_this_letter": D(0),
        "licensed_collector": True,
    }
    return a_letter(LetterKind.PAYMENT_DEMAND, language, **(defaults | changes))


def an_interest_note(language: Language = NB) -> Letter:
    return a_letter(
        LetterKind.INTEREST_NOTE,
        language,
        fee_this_letter=D(0),
        items=(an_item(principal=D(0), fee=D(0), interest=D("418.36")),),
        interest_periods=(
            InterestPeriod(date(2025, 1, 11), date(2025, 6, 30), 171, D("12.50"), D("298.14")),
            InterestPeriod(date(2025, 7, 1), date(2025, 8, 1), 32, D("12.25"), D("120.22")),
        ),
    )


def a_list(language: Language = NB, handover: date | None = date(2026, 3, 5)) -> CollectionList:
    cases = (
        ListedCase("2026-000101", "Ærlige Åse Øvrebø", (10042,), D("1250"), D("1150"),
                   date(2026, 2, 16), date(2026, 3, 2)),
        ListedCase("2026-000102", "Bjørn Håland", (10043, 10050), D("8000"), D("8000"),
                   date(2026, 2, 16), date(2026, 3, 2)),
    )  # fmt: skip
    return CollectionList(language, date(2026, 3, 3), CREDITOR, COLLECTOR, cases, handover)


def pages_of(pdf: bytes) -> list[str]:
    """The text of each page, with no-break spaces and line breaks as plain spaces."""
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().replace("\xa0", " ").split()) for page in reader.pages]


def text_of(pdf: bytes) -> str:
    return " ".join(pages_of(pdf))


ALL_KINDS = [
    a_letter(LetterKind.REMINDER, fee_this_letter=D(0), items=(an_item(fee=D(0)),)),
    a_letter(LetterKind.COLLECTION_NOTICE),
    a_demand(),
    an_interest_note(),
]


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("letter", ALL_KINDS, ids=[x.kind.value for x in ALL_KINDS])
def test_every_letter_is_one_page_with_sender_address_date_case_and_payment_details(
    letter: Letter, language: Language
) -> None:
    letter = dataclasses.replace(letter, language=language)
    pages = pages_of(render_letter(letter))
    assert len(pages) == 1
    text = pages[0]
    for expected in (
        letter.collector.name,
        "Ærlige Åse Øvrebø",  # æøå survive the font
        "Bjørnstjerne Bjørnsons gate 7 B",
        "3044 Drammen",
        "2026-000123",
        "8601 11 17947",
        "0001004200075",
        "10042",
        "Rørleggerarbeid på badet",
    ):
        assert expected in text
    if language is NB:
        assert "02.03.2026" in text and "16.03.2026" in text and "19.01.2026" in text
    else:
        assert "2 Mar 2026" in text and "16 Mar 2026" in text and "19 Jan 2026" in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (NB, ["Hovedstol 12 450,00", "Gebyrer 35,00", "Forsinkelsesrente 187,63",
              "Å betale 12 672,63", "kr 12 672,63"]),
        (EN, ["Principal 12,450.00", "Fees 35.00", "Late-payment interest 187.63",
              "Amount to pay 12,672.63", "NOK 12,672.63"]),
    ],
)  # fmt: skip
def test_totals_are_itemised_and_formatted_in_the_letters_language(
    language: Language, expected: list[str]
) -> None:
    text = text_of(render_letter(a_letter(LetterKind.COLLECTION_NOTICE, language)))
    for part in expected:
        assert part in text


def test_a_fee_free_reminder_is_a_betalingspaminnelse_and_one_with_a_fee_a_purring() -> None:
    free = a_letter(LetterKind.REMINDER, fee_this_letter=D(0), items=(an_item(fee=D(0)),))
    with_fee = a_letter(LetterKind.REMINDER)
    free_text, fee_text = text_of(render_letter(free)), text_of(render_letter(with_fee))
    assert "Betalingspåminnelse" in free_text
    assert "Purring" not in free_text and "gebyr på" not in free_text
    assert "Purring" in fee_text
    assert "Purregebyr på kr 35,00 er lagt til (inkassoforskriften § 1-2)" in fee_text
    assert "Payment reminder" in text_of(render_letter(dataclasses.replace(free, language=EN)))


def test_a_notice_is_headed_inkassovarsel_and_says_collection_and_costs_follow() -> None:
    text = text_of(render_letter(a_letter(LetterKind.COLLECTION_NOTICE)))
    assert text.startswith("Fjordkraft Rørlegger AS")
    assert "Inkassovarsel" in text
    assert (
        "Kravet vil bli sendt til inkasso dersom det ikke er betalt innen 16.03.2026, "
        "og det kan påløpe omkostninger for deg." in text
    )
    assert "Hovedstol 12 450,00" in text  # without the fee, which has its own line
    assert "Gebyrer 35,00" in text


@pytest.mark.parametrize(
    ("language", "forbidden"),
    [(NB, ["purr", "rettslig", "namsmann", "forliksråd"]), (EN, ["reminder", "court", "legal"])],
)
def test_a_notice_never_mixes_in_a_reminder_nor_threatens_legal_action(
    language: Language, forbidden: list[str]
) -> None:
    text = text_of(render_letter(a_letter(LetterKind.COLLECTION_NOTICE, language))).lower()
    for word in forbidden:
        assert word not in text


def test_an_english_notice_says_collection_and_costs_follow() -> None:
    text = text_of(render_letter(a_letter(LetterKind.COLLECTION_NOTICE, EN)))
    assert "Debt collection notice" in text
    assert "will be sent to debt collection if it has not been paid by 16 Mar 2026" in text
    assert "costs may be added" in text


def test_a_demand_states_everything_inkassoloven_section_10_asks_for() -> None:
    text = text_of(render_letter(a_demand()))
    assert "Betalingsoppfordring" in text
    assert "Kreditor er Fjordkraft Rørlegger AS" in text  # a) the creditor's name
    assert "Rørleggerarbeid på badet" in text  # b) what the claim is for
    for line in (  # c) principal and each additional amount separately
        "Hovedstol 12 450,00",
        "Gebyrer 35,00",
        "Forsinkelsesrente 187,63",
        "Inkassosalær 1 120,00",
        "Å betale 13 792,63",
    ):
        assert line in text
    assert "12,00 % per år fra 20.01.2026" in text  # d) the rate and the day it runs from
    assert "ytterligere kostnader for deg og til rettslig inndriving" in text  # e)
    assert "enten betale kr 13 792,63 eller komme med innsigelser" in text
    assert "Finansklagenemnda Inkasso (inkassoloven § 22)" in text  # f) licensed collector


def test_only_a_licensed_collectors_demand_names_the_complaint_board() -> None:
    assert "Finansklagenemnda" not in text_of(render_letter(a_demand(licensed_collector=False)))
    assert "Finansklagenemnda" in text_of(render_letter(a_demand(EN)))


def test_an_english_demand_states_the_same() -> None:
    text = text_of(render_letter(a_demand(EN)))
    for part in (
        "Payment demand",
        "The creditor is Fjordkraft Rørlegger AS",
        "Collection costs (salær) 1,120.00",
        "12.00% a year from 20 Jan 2026",
        "further costs for you and to collection through the courts",
        "raise any objection",
    ):
        assert part in text


def test_a_creditors_own_demand_calls_the_costs_collection_costs_not_salaer() -> None:
    text = text_of(render_letter(a_demand(collector=CREDITOR, licensed_collector=False)))
    assert "Inndrivingskostnader 1 120,00" in text
    assert "Inkassosalær" not in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (NB, ["Rentenota", "11.01.2025 30.06.2025 171 12,50 % 298,14",
              "01.07.2025 01.08.2025 32 12,25 % 120,22", "Sum forsinkelsesrente 418,36",
              "Å betale 418,36"]),
        (EN, ["Interest note", "11 Jan 2025 30 Jun 2025 171 12.50% 298.14",
              "Total interest 418.36", "Amount to pay 418.36"]),
    ],
)  # fmt: skip
def test_an_interest_note_shows_each_period_with_its_days_rate_and_amount(
    language: Language, expected: list[str]
) -> None:
    text = text_of(render_letter(an_interest_note(language)))
    for part in expected:
        assert part in text


def test_the_collection_list_shows_the_cases_the_total_and_the_handover_day() -> None:
    text = text_of(render_collection_list(a_list()))
    assert "Inkassoliste" in text
    assert "2026-000101 Ærlige Åse Øvrebø 10042 16.02.2026 02.03.2026 1 250,00 1 150,00" in text
    assert "10043, 10050" in text
    assert "Sum (2 saker) 9 250,00 9 150,00" in text
    assert "sendt til inkasso torsdag 05.03.2026 dersom du ikke stopper dem" in text


def test_an_approved_collection_list_waits_for_the_creditor() -> None:
    text = text_of(render_collection_list(a_list(EN, handover=None)))
    assert "Collection list" in text
    assert "will not be sent to debt collection until you approve them" in text
    assert "Total (2 cases) 9,250.00 9,150.00" in text


def test_an_english_list_names_the_handover_day() -> None:
    text = text_of(render_collection_list(a_list(EN)))
    assert "on Thursday 5 Mar 2026 unless you stop them" in text


def test_a_long_consolidated_notice_runs_over_pages_that_are_numbered() -> None:
    items = tuple(an_item(invoice_number=20000 + n) for n in range(70))
    pages = pages_of(render_letter(a_letter(LetterKind.COLLECTION_NOTICE, items=items)))
    assert len(pages) >= 2
    assert f"Side 1 av {len(pages)}" in pages[0]
    assert f"Side {len(pages)} av {len(pages)}" in pages[-1]
    assert "Faktura Gjelder" in pages[1]  # the table's header is repeated


def test_text_from_the_data_is_printed_as_it_is_never_read_as_markup() -> None:
    tricky = "*fet* _kursiv_ #let x = 1 $x$ <a> @b [c] \\ // d"
    text = text_of(
        render_letter(a_letter(LetterKind.REMINDER, items=(an_item(description=tricky),)))
    )
    assert "*fet* _kursiv_ #let x = 1 $x$ <a> @b [c] \\ // d" in text


@pytest.mark.parametrize("kind", [LetterKind.COLLECTION_NOTICE, LetterKind.PAYMENT_DEMAND])
def test_a_notice_or_demand_without_a_deadline_is_refused(kind: LetterKind) -> None:
    with pytest.raises(ValueError, match="deadline"):
        render_letter(a_letter(kind, deadline=None))


def test_a_reminder_without_a_deadline_asks_for_payment_as_soon_as_possible() -> None:
    text = text_of(render_letter(a_letter(LetterKind.REMINDER, deadline=None)))
    assert "betale kr 12 672,63 snarest" in text


def test_the_same_letter_gives_the_same_bytes() -> None:
    letter = a_demand()
    assert render_letter(letter) == render_letter(letter)


def test_bulk_rendering_gives_each_letter_its_own_pdf_in_order() -> None:
    letters = [
        dataclasses.replace(letter, case_number=f"2026-{n:06d}", language=language)
        for n, (letter, language) in enumerate(
            (letter, language) for letter in ALL_KINDS for language in Language
        )
    ]
    long = a_letter(
        LetterKind.COLLECTION_NOTICE,
        case_number="2026-999999",
        items=tuple(an_item(invoice_number=20000 + n) for n in range(70)),
    )
    letters.insert(3, long)
    pdfs = render_letters(letters, workers=1, batch=4)
    assert len(pdfs) == len(letters)
    for letter, pdf in zip(letters, pdfs, strict=True):
        reader = PdfReader(io.BytesIO(pdf))
        assert letter.case_number in text_of(pdf)
        assert reader.metadata is not None and letter.case_number in (reader.metadata.title or "")
        assert text_of(pdf) == text_of(render_letter(letter))
    assert len(pages_of(pdfs[3])) >= 2


def test_bulk_rendering_on_worker_processes_matches_rendering_one_by_one() -> None:
    letters = [
        dataclasses.replace(ALL_KINDS[n % 4], case_number=f"2026-{n:06d}") for n in range(10)
    ]
    with TypstLetterRenderer(workers=2, batch=2) as renderer:
        pdfs = renderer.render_letters(letters)
    assert [text_of(pdf) for pdf in pdfs] == [text_of(render_letter(x)) for x in letters]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_poppler_draws_every_kind(tmp_path: Path) -> None:
    documents = [
        *(render_letter(letter) for letter in ALL_KINDS),
        *render_letters(ALL_KINDS, workers=1, batch=4),  # cut out of one batch PDF
        render_collection_list(a_list()),
    ]
    for n, pdf in enumerate(documents):
        source = tmp_path / f"{n}.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "30", "-png", str(source), str(tmp_path / str(n))],
            check=True,
            capture_output=True,
        )
        assert (tmp_path / f"{n}-1.png").stat().st_size > 1000


DEMAND_PERIODS = (
    InterestPeriod(date(2025, 12, 20), date(2025, 12, 31), 12, D("12.25"), D("50.14"),
                   10042, D("12450.00")),
    InterestPeriod(date(2026, 1, 1), date(2026, 3, 2), 61, D("12.00"), D("121.77"),
                   10042, D("12450.00")),
    InterestPeriod(date(2026, 1, 20), date(2026, 3, 2), 42, D("12.00"), D("6.90"),
                   10043, D("500.00")),
)  # fmt: skip


def a_full_demand(language: Language = NB) -> Letter:
    """A collector's demand with everything issue 12 added: two invoices, each period of
    interest, the interest a day adds, the warning of heavy salær, the client account."""
    return a_demand(
        language,
        collector=dataclasses.replace(COLLECTOR, phone="22 00 00 00", web="nordlys.no"),
        items=(
            an_item(interest=D("171.91")),
            an_item(invoice_number=10043, principal=D("500.00"), interest=D("6.90")),
        ),
        interest_periods=DEMAND_PERIODS,
        account_holder="Nordlys Inkasso AS",
        client_account=True,
        interest_per_day=D("4.26"),
        heavy_salaer=D("2240.00"),
        heavy_salaer_from=date(2026, 4, 14),
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (NB, ["Faktura Av beløp Fra Til og med Dager Rentesats Renter",
              "10042 12 450,00 20.12.2025 31.12.2025 12 12,25 % 50,14",
              "10043 500,00 20.01.2026 02.03.2026 42 12,00 % 6,90",
              "Sum forsinkelsesrente 178,81", "Forsinkelsesrente 178,81",
              "Renter løper videre med kr 4,26 per dag etter 02.03.2026",
              "Er kravet ikke betalt innen 13.04.2026 (28 dager etter fristen), øker "
              "inkassosalæret til kr 2 240,00 (inkassoforskriften § 2-3)",
              "Kontoen 8601 11 17947 er klientkontoen til Nordlys Inkasso AS",
              "Tlf. 22 00 00 00 · nordlys.no"]),
        (EN, ["Invoice On amount From To (incl.) Days Rate Interest",
              "10042 12,450.00 20 Dec 2025 31 Dec 2025 12 12.25% 50.14",
              "Total interest 178.81", "by NOK 4.26 a day after 2 Mar 2026",
              "If the claim is not paid by 13 Apr 2026 (28 days after the deadline), the "
              "collection costs rise to NOK 2,240.00",
              "Account 8601 11 17947 is the client account (klientkonto) of Nordlys Inkasso AS",
              "Tel. 22 00 00 00 · nordlys.no"]),
    ],
)  # fmt: skip
def test_a_demand_shows_each_period_per_invoice_the_interest_a_day_and_heavy_salaer(
    language: Language, expected: list[str]
) -> None:
    """Issue 12 (inkassoloven § 10 (2) d; inkassoforskriften § 2-3): still one page."""
    pages = pages_of(render_letter(a_full_demand(language)))
    assert len(pages) == 1
    for part in expected:
        assert part in pages[0], part
    assert "per år fra" not in pages[0] and "a year from" not in pages[0]


def test_the_access_code_and_pin_are_never_broken_across_lines() -> None:
    """Typst may break a line at a dash: wherever the address leaves the code on the line,
    the code and the PIN are printed whole (issue 19; a debtor types them)."""
    access = LetterAccess("", "ABCD-EFGH-JKMN", "12345678")
    letters = [
        a_letter(
            LetterKind.COLLECTION_NOTICE,
            language,
            access=dataclasses.replace(access, address=f"https://{'a' * n}.example.no/d"),
        )
        for language in Language
        for n in range(1, 40)
    ]
    wanted = {
        Language.NB: "tilgangskode ABCD-EFGH-JKMN og PIN 12345678",
        Language.EN: "access code ABCD-EFGH-JKMN and PIN 12345678",
    }
    for letter, pdf in zip(letters, render_letters(letters, workers=1), strict=True):
        assert wanted[letter.language] in text_of(pdf), letter.access
