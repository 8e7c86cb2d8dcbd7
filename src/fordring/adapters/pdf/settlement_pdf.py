"""The settlement statement (oppgjørsoppgave) as a PDF: a `Settlement` turned into the JSON
templates/settlement.typ lays out (bokmål), compiled by Typst a thousand payments at a
time and joined into one PDF whose pages are numbered over the whole.
"""

from __future__ import annotations

import io
from contextlib import ExitStack
from datetime import date
from decimal import Decimal
from typing import Final

import pikepdf

from fordring.adapters.pdf.formatting import NBSP, account_number, amount, day
from fordring.adapters.pdf.renderer import TEMPLATES, compile_document
from fordring.adapters.pdf.template_data import Json
from fordring.domain.language import Language
from fordring.domain.settlement import SettledPayment, Settlement, SettlementParty

SETTLEMENT_TEMPLATE: Final = TEMPLATES / "settlement.typ"
# Payments per Typst compile. Typst's memory grows with the document (about 60 kB a row)
# and it keeps the last ten compiles cached: 100 000 rows at once took 105 s and 12 GB,
# a thousand at a time 68 s and 1.1 GB.
ROWS_PER_COMPILE: Final = 1_000
# How many of a part's last rows carry their number: more than a page holds (about 40).
_MARKED: Final = 100
_OVERLAY: Final = pikepdf.Name("/SidetallOverlegg")
_WHERE_MARKED_ROWS: Final = "query(<row>).map(m => (m.value, m.location().page()))"
NB: Final = Language.NB
_ORE: Final = Decimal("0.01")
# The amount columns of a row, in the order the table shows them.
_AMOUNTS: Final = ("amount", "principal", "interest", "fees", "salaer", "credit", "paid_out")


def render_settlement(settlement: Settlement, *, rows_per_compile: int = ROWS_PER_COMPILE) -> bytes:
    """The settlement statement as a PDF: the parties and a summary, then one table row per
    payment and the totals; its pages numbered "Side n av m" when there are several."""
    data = settlement_data(settlement)
    rows = data["rows"]
    assert isinstance(rows, list)
    size = max(rows_per_compile, 2 * _MARKED)
    parts: list[tuple[bytes, int | None]] = []
    start = 0
    while True:
        last = start + size >= len(rows)
        part = {
            **data,
            "rows": rows[start : start + size],
            "start": start,
            "first": start == 0,
            "last": last,
            "marked": _MARKED,
        }
        pdf, marks = compile_document(
            SETTLEMENT_TEMPLATE, part, settlement.day, ask=None if last else _WHERE_MARKED_ROWS
        )
        if last:
            parts.append((pdf, None))
            return _joined(parts, data, settlement.day)
        keep, start = _cut(marks, start + size)
        parts.append((pdf, keep))


def _cut(marks: object, end: int) -> tuple[int | None, int]:
    """How many pages of a part to keep and the row the next part starts with: all pages
    but the last, whose first row starts the next part, so no page is left half empty.
    Only if the marked rows do not reach back over the last page, the whole part."""
    pages: dict[int, int] = {}  # page -> its first marked row
    for row, page in marks if isinstance(marks, list) else ():
        pages[page] = min(row, pages.get(page, row))
    last = max(pages, default=0)
    if last < 2 or min(pages) == last:
        return None, end
    return last - 1, pages[last]


def settlement_data(settlement: Settlement) -> Json:
    """The statement's data for templates/settlement.typ: every text already formatted.

    Refuses a payment whose parts do not add up to what was received, or that is not in
    whole øre: the statement says "of which", so its columns must add up exactly.
    """
    for p in settlement.payments:
        parts = p.principal + p.interest + p.fees + p.salaer + p.credit
        if parts != p.amount:
            raise ValueError(
                f"payment {p.payment_id}: received {p.amount}, but its parts add up to {parts}"
            )
        if any(getattr(p, name).quantize(_ORE) != getattr(p, name) for name in _AMOUNTS):
            raise ValueError(f"payment {p.payment_id}: an amount is not a whole number of øre")
    totals = {name: amount(getattr(settlement, name), NB) for name in _AMOUNTS[1:]}
    return {
        "lang": NB.value,
        "number": str(settlement.number),
        "date": day(settlement.day, NB),
        "collector": _party(settlement.collector),
        "creditor": _party(settlement.creditor),
        "count": len(settlement.payments),
        # Rows as arrays, not objects: less JSON to write and parse at 100 000 rows.
        "rows": [_row(p) for p in settlement.payments],
        "totals": {
            **totals,
            "amount": amount(settlement.received, NB),
            "kept": amount(settlement.kept, NB),
            "kept_deducted": amount(-settlement.kept, NB),
        },
    }


def payer_and_customer(p: SettledPayment) -> str:
    """Who paid and, when it says more, for which customer: `Kari Nordmann / 1042 Nordmann
    AS`; just `Kari Nordmann (1042)` when the payer is the customer."""
    number = "" if p.customer_number is None else str(p.customer_number)
    payer, name = p.payer.strip(), p.customer_name.strip()
    if not payer or payer == name:
        who = name or payer
        return f"{who} ({number})" if number and who else who or number
    customer = f"{number} {name}".strip()
    return f"{payer} / {customer}" if customer else payer


def _row(p: SettledPayment) -> list[str]:
    return [
        day(p.received_on, NB),
        _breakable_kid(p.kid),
        payer_and_customer(p),
        "" if p.case_number is None else str(p.case_number),
        ", ".join(str(n) for n in p.invoice_numbers),
        *(amount(getattr(p, name), NB) for name in _AMOUNTS),
    ]


def _breakable_kid(kid: str) -> str:
    """Its column holds 15 digits; a longer KID (up to 25) may wrap after each 15th."""
    return "\u200b".join(kid[i : i + 15] for i in range(0, len(kid), 15))


def _party(party: SettlementParty) -> Json:
    """What the statement's head and footer show of a party (`lines` and `email`: none)."""
    return {
        "name": party.name,
        "lines": [],
        "orgnr": _orgnr(party.orgnr) if party.orgnr else None,
        "email": None,
        "account": account_number(party.account) if party.account else None,
    }


def _orgnr(orgnr: str) -> str:
    digits = orgnr.replace(" ", "")
    if len(digits) == 9 and digits.isdigit():
        return NBSP.join((digits[:3], digits[3:6], digits[6:]))
    return orgnr


def _joined(parts: list[tuple[bytes, int | None]], data: Json, dated: date) -> bytes:
    """The parts' pages (the first `keep` of each, or all) as one PDF; with several pages,
    "Side n av m" laid over each."""
    with ExitStack() as stack:
        sources = [
            (stack.enter_context(pikepdf.open(io.BytesIO(pdf))), keep) for pdf, keep in parts
        ]
        pages = [page for source, keep in sources for page in source.pages[:keep]]
        if len(pages) == 1:
            return parts[0][0]
        numbers_pdf, _ = compile_document(
            SETTLEMENT_TEMPLATE, {**data, "rows": [], "numbers": len(pages)}, dated
        )
        numbers = stack.enter_context(pikepdf.open(io.BytesIO(numbers_pdf)))
        target = stack.enter_context(pikepdf.new())
        target.pages.extend(pages)
        for page, number in zip(target.pages, numbers.pages, strict=True):
            _lay_over(target, page, number)
        first = sources[0][0]
        target.docinfo = target.make_indirect(pikepdf.Dictionary(dict(first.docinfo.items())))
        target.Root.Lang = pikepdf.String(str(data["lang"]))
        out = io.BytesIO()
        target.save(out, deterministic_id=True)
        return out.getvalue()


def _lay_over(target: pikepdf.Pdf, page: pikepdf.Page, over: pikepdf.Page) -> None:
    """Draw `over` on top of `page`, under a fixed name (pikepdf's `add_overlay` picks a
    random one: the same statement would not give the same bytes)."""
    form = target.copy_foreign(over.as_form_xobject())
    page.add_resource(form, pikepdf.Name.XObject, _OVERLAY)
    page.contents_add(target.make_stream(b"q"), prepend=True)
    page.contents_add(target.make_stream(b"Q q " + bytes(_OVERLAY) + b" Do Q"))
