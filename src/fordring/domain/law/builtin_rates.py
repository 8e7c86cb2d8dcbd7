"""The built-in Norwegian rate tables (DOMAIN.md §§ 3-6), each row with its source.

Rows marked `confirmed=False` were not confirmed by a primary source; an operator can
replace any row, or add the next half-year's, through the rates file (docs/law.md).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fordring.domain.law.periods import HalfYear
from fordring.domain.law.tables import (
    DatedTable,
    RateBook,
    Row,
    SalaerBand,
    SalaerScale,
    Validity,
    ValueKind,
)

D = Decimal

SATS_SOURCE = "inkassoforskriften § 1-1 (3); regjeringen.no; kred.no; sergel.no"
SATS_2026_SOURCE = "kred.no rates 2026; sergel.no (two secondary sources)"
FEE_SOURCE = "inkassoforskriften § 1-2 (1)-(2)"
FEE_2020_SOURCE = FEE_SOURCE + "; regjeringen.no press release on halved collection fees (2020)"
DEMAND_SOURCE = "inkassoforskriften § 1-2 (3)"
SALAER_SOURCE = "inkassoforskriften ch. 2"
SALAER_REFS = " (advokatwulff.no text; bahs.no; sergel.no; retrieve.no)"
RATE_SOURCE = "forsinkelsesrenteloven § 3; regjeringen.no; forsinkelsesrente.net; kred.no 2026"
COMPENSATION_SOURCE = "forsinkelsesrenteloven § 3a"
FEE_CUT = date(2020, 10, 1)  # the 2020 change applies to claims falling due from this date

INKASSOSATS = (
    Row(date(2015, 1, 1), D(650), SATS_SOURCE),
    Row(date(2016, 1, 1), D(670), SATS_SOURCE),
    Row(date(2017, 1, 1), D(700), SATS_SOURCE),
    Row(date(2026, 1, 1), D(750), SATS_2026_SOURCE, confirmed=False),
)

REMINDER_FEE_FRACTION = (
    Row(date(2015, 1, 1), D("0.1"), FEE_SOURCE),
    Row(FEE_CUT, D("0.05"), FEE_2020_SOURCE),
)

DEMAND_FEE_FRACTION = (
    Row(date(2017, 1, 1), D("0.3"), DEMAND_SOURCE),
    Row(FEE_CUT, D("0.15"), DEMAND_SOURCE + "; regjeringen.no (2020)"),
)

_BANDS: SalaerScale = tuple(
    SalaerBand(None if up_to is None else D(up_to), D(light), D(light) * 2)
    for up_to, light in (
        (500, "0.25"),
        (1000, "0.35"),
        (2500, "0.40"),
        (10000, "0.80"),
        (50000, "1.60"),
        (250000, "3.60"),
        (None, "7.20"),
    )
)
# The scale before the 2020 change (issue 12), for claims due from 2010-01-01 to 2020-09-30:
# light 0.5 / 1 / 2 / 4 / 8 × sats, heavy twice that, bands up to 2 500 / 10 000 / 50 000 /
# 250 000 / above. DOMAIN.md § 14 guessed the bands 1 000 / 10 000 / 100 000 / 500 000; the
# regulation's text as quoted by advokatwulff.no, totalkapital.no's 2019 table (350 / 700 /
# 1 400 / 2 800 / 5 600 at sats 700) and the 2020 cuts by band (bahs.no, kraviainkasso.no:
# -50 % up to 500, -30 % to 1 000, -20 % to 50 000, -10 % above, which turn this scale into
# the 2020 one) all give these bands.
# totalkapital.no: for "krav som er forfalt til betaling 1.1.2010 eller senere"
OLD_SCALE_FROM = date(2010, 1, 1)
_OLD_BANDS: SalaerScale = tuple(
    SalaerBand(None if up_to is None else D(up_to), D(light), D(light) * 2)
    for up_to, light in (
        (2500, "0.5"),
        (10000, "1"),
        (50000, "2"),
        (250000, "4"),
        (None, "8"),
    )
)
OLD_SALAER_SOURCE = (
    "inkassoforskriften §§ 2-2, 2-3 before the 2020 change (text quoted by advokatwulff.no; "
    "totalkapital.no 'Inkassosalærene 2019'; bahs.no and kraviainkasso.no on the 2020 cuts)"
)
_SCALE_NOTE = "claims due before 2010-01-01 need their scale in the rates file"
SALAER_SCALE = (
    Row(OLD_SCALE_FROM, _OLD_BANDS, OLD_SALAER_SOURCE, note=_SCALE_NOTE),
    Row(FEE_CUT, _BANDS, SALAER_SOURCE + SALAER_REFS),
)
SALAER_BUSINESS_FACTOR = (
    Row(OLD_SCALE_FROM, D("1.5"), OLD_SALAER_SOURCE + ", business debtor (totalkapital: 525)"),
    Row(FEE_CUT, D("1.5"), SALAER_SOURCE + ", business debtor" + SALAER_REFS),
)
SALAER_NO_VAT_ADDITION = (
    Row(
        OLD_SCALE_FROM,
        D("0.25"),
        OLD_SALAER_SOURCE + ", claim not from VAT-liable business (totalkapital: 437.50)",
    ),
    Row(FEE_CUT, D("0.25"), SALAER_SOURCE + ", creditor without VAT deduction" + SALAER_REFS),
)
SALAER_PAYMENT_PLAN = (
    Row(
        OLD_SCALE_FROM,
        D("1.5"),
        SALAER_SOURCE + ", payment plan of more than 4 instalments (before 2020)",
        confirmed=False,
        note="UNCONFIRMED: older texts say 1.5 × rettsgebyret; the value is the 2020 row's",
    ),
    Row(
        FEE_CUT,
        D("1.5"),
        SALAER_SOURCE + ", payment plan of more than 4 instalments",
        confirmed=False,
        note="current text UNCONFIRMED",
    ),
)


def _half(label: str, percent: str, confirmed: bool = True) -> Row[Decimal]:
    return Row(HalfYear.parse(label).start, D(percent), RATE_SOURCE, confirmed)


FORSINKELSESRENTE = (
    _half("2015 H1", "9.25"),
    _half("2015 H2", "9.00"),
    _half("2016 H1", "8.75"),
    *(_half(h, "8.50") for h in ("2016 H2", "2017 H1", "2017 H2", "2018 H1", "2018 H2")),
    _half("2019 H1", "8.75"),
    _half("2019 H2", "9.25"),
    _half("2020 H1", "9.50"),
    _half("2020 H2", "8.00"),
    _half("2021 H1", "8.00"),
    _half("2021 H2", "8.00"),
    _half("2022 H1", "8.50"),
    _half("2022 H2", "9.25"),
    _half("2023 H1", "10.75"),
    _half("2023 H2", "11.75"),
    _half("2024 H1", "12.50"),
    _half("2024 H2", "12.50", confirmed=False),
    _half("2025 H1", "12.50"),
    _half("2025 H2", "12.25", confirmed=False),
    _half("2026 H1", "12.00"),
    # 2026 H2: not known yet; the operator supplies it in the rates file.
)

# Each half-year's amount with where it was found (issue 12: 2022 H1 is 390, not 400). A
# half-year no source names carries the last amount forward, unconfirmed, with a note.
_COMPENSATION_LISTED: dict[str, tuple[int, str]] = {
    "2016 H2": (370, "regjeringen.no: forskrift om forsinkelsesrente, i kraft 1. juli 2016"),
    "2018 H1": (380, "forliksraadet.no: satser fra 1. januar 2018"),
    "2018 H2": (380, "kredinor.no: standardkompensasjon fra 1. juli 2018 uendret 380"),
    "2019 H2": (390, "hokas.no, citing regjeringen.no 'Regelendringer fra 1. juli 2019'"),
    "2020 H2": (430, "bsregnskap.no: fra 1. juli 2020, 430 kroner"),
    "2021 H1": (400, "DOMAIN.md § 5: 2021 400"),
    "2021 H2": (400, "totalkapital.no: fra 1. juli 2021, 400 kroner"),
    "2022 H1": (390, "community.visma.com: fra 1. januar 2022, 390 (ned fra 400); kred.no"),
    "2022 H2": (400, "community.visma.com; lovdata FOR-2022-06-24-1178: 400"),
    "2023 H1": (410, "regnskapnorge.no: fra 1. januar 2023, 410 kroner"),
    "2024 H1": (470, "regjeringen.no: fra 1. januar 2024, 470 kroner"),
    "2025 H1": (470, "lovdata FOR-2024-12-19-3279 § 2: 470 kroner"),
    "2026 H1": (460, "kred.no rates 2026"),
}


def _compensation_rows() -> tuple[Row[Decimal], ...]:
    rows: list[Row[Decimal]] = []
    half, last = HalfYear.parse("2016 H2"), HalfYear.parse("2026 H1")
    amount, since = 0, half
    while half <= last:
        listed = _COMPENSATION_LISTED.get(str(half))
        if listed is not None:
            amount, found = listed
            since = half
            source = f"{COMPENSATION_SOURCE}; {found}"
            rows.append(Row(half.start, D(amount), source))
        else:
            note = f"UNCONFIRMED: no source found; the amount of {since} carried forward"
            rows.append(Row(half.start, D(amount), COMPENSATION_SOURCE, False, note))
        half = half.next()
    return tuple(rows)


def rate_book() -> RateBook:
    """The built-in tables, before any operator override."""
    by_due = "the claim's due date"
    return RateBook(
        inkassosats=DatedTable(
            "inkassosats",
            "inkassosats",
            "the day a letter is sent (fees) or the principal is paid (salær)",
            ValueKind.AMOUNT,
            Validity.UNTIL_CHANGED,
            INKASSOSATS,
        ),
        reminder_fee_fraction=DatedTable(
            "reminder_fee_fraction",
            "reminder/notice fee fraction",
            by_due,
            ValueKind.FRACTION,
            Validity.UNTIL_CHANGED,
            REMINDER_FEE_FRACTION,
        ),
        demand_fee_fraction=DatedTable(
            "demand_fee_fraction",
            "own-collection demand fee fraction",
            by_due,
            ValueKind.FRACTION,
            Validity.UNTIL_CHANGED,
            DEMAND_FEE_FRACTION,
        ),
        salaer_scale=DatedTable(
            "salaer_scale",
            "salær scale",
            by_due,
            ValueKind.SALAER_SCALE,
            Validity.UNTIL_CHANGED,
            SALAER_SCALE,
        ),
        salaer_business_factor=DatedTable(
            "salaer_business_factor",
            "salær factor for business debtors",
            by_due,
            ValueKind.FACTOR,
            Validity.UNTIL_CHANGED,
            SALAER_BUSINESS_FACTOR,
        ),
        salaer_no_vat_addition=DatedTable(
            "salaer_no_vat_addition",
            "salær addition when the creditor cannot deduct VAT",
            by_due,
            ValueKind.FACTOR,
            Validity.UNTIL_CHANGED,
            SALAER_NO_VAT_ADDITION,
        ),
        salaer_payment_plan=DatedTable(
            "salaer_payment_plan",
            "salær addition for a payment plan (× inkassosats)",
            by_due,
            ValueKind.FACTOR,
            Validity.UNTIL_CHANGED,
            SALAER_PAYMENT_PLAN,
        ),
        forsinkelsesrente=DatedTable(
            "forsinkelsesrente",
            "late-interest rate",
            "each day of delay",
            ValueKind.PERCENT,
            Validity.HALF_YEAR,
            FORSINKELSESRENTE,
        ),
        standardkompensasjon=DatedTable(
            "standardkompensasjon",
            "standard compensation",
            "the first day of delay (the day after the due date)",
            ValueKind.AMOUNT,
            Validity.HALF_YEAR,
            _compensation_rows(),
        ),
    )
