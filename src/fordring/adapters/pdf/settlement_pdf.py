"""The settlement statement (oppgjørsoppgave) as a PDF: a `Settlement` turned into the JSON
that templates/settlement.typ lays out, in bokmål, and compiled by Typst.
"""

from __future__ import annotations

from typing import Final

from fordring.adapters.pdf.formatting import NBSP, account_number, amount, day
from fordring.adapters.pdf.renderer import TEMPLATES, compile_document
from fordring.adapters.pdf.template_data import Json
from fordring.domain.collection.letters import Language
from fordring.domain.settlement import SettledPayment, Settlement, SettlementParty

SETTLEMENT_TEMPLATE: Final = TEMPLATES / "settlement.typ"
NB: Final = Language.NB
# The amount columns of a row, in the order the table shows them.
_AMOUNTS: Final = ("amount", "principal", "interest", "fees", "salaer", "credit", "paid_out")


def render_settlement(settlement: Settlement) -> bytes:
    """The settlement statement as a PDF (as many pages as the payments need)."""
    return compile_document(SETTLEMENT_TEMPLATE, settlement_data(settlement), settlement.day)


def settlement_data(settlement: Settlement) -> Json:
    """The statement's data for templates/settlement.typ: every text already formatted.

    Refuses a payment whose parts do not add up to what was received: the statement says
    "of which", so its columns must add up, row by row and in total.
    """
    for p in settlement.payments:
        parts = p.principal + p.interest + p.fees + p.salaer + p.credit
        if parts != p.amount:
            raise ValueError(
                f"payment {p.payment_id}: received {p.amount}, but its parts add up to {parts}"
            )
    totals = {name: amount(getattr(settlement, name), NB) for name in _AMOUNTS if name != "amount"}
    return {
        "lang": NB.value,
        "number": str(settlement.number),
        "date": day(settlement.day, NB),
        "collector": _party(settlement.collector),
        "creditor": _party(settlement.creditor),
        "count": len(settlement.payments),
        # Rows as arrays, not objects: a tenth less JSON to write and parse at 100 000 rows.
        "rows": [_row(p) for p in settlement.payments],
        "totals": {
            **totals,
            "amount": amount(settlement.received, NB),
            "kept": amount(settlement.kept, NB),
            "kept_deducted": amount(-settlement.kept, NB),
        },
    }


def _row(p: SettledPayment) -> list[str]:
    return [
        day(p.received_on, NB),
        p.kid,
        payer_and_customer(p),
        "" if p.case_number is None else str(p.case_number),
        ", ".join(str(n) for n in p.invoice_numbers),
        *(amount(getattr(p, name), NB) for name in _AMOUNTS),
    ]


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


def _party(party: SettlementParty) -> Json:
    """What `sheet` in layout.typ and the statement's head show of a party."""
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
