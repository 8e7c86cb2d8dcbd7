"""An invoice or credit note as a document: everything its PDF and its EHF must show.

The ledger's `Invoice` knows lines, VAT and totals; a document adds who sends it (the
seller, with organisation number, VAT registration and account), who receives it, what a
credit note credits, and for a recurring invoice the period it is for. The PDF renderer
and the EHF (Peppol BIS Billing 3.0) builder both read only this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fordring.domain.collection.letters import LetterAccess
from fordring.domain.company import Company
from fordring.domain.customers import Customer
from fordring.domain.invoices import Invoice
from fordring.domain.language import Language

INVOICE_TYPE_CODE = "380"  # UNCL1001 commercial invoice
CREDIT_NOTE_TYPE_CODE = "381"  # UNCL1001 credit note
UNIT_CODE = "C62"  # UN/ECE Rec 20 "one": the unit when a line names none


@dataclass(frozen=True, slots=True)
class CreditedInvoice:
    """The invoice a credit note credits (Peppol BG-3, preceding invoice reference)."""

    number: int
    issue_date: date


@dataclass(frozen=True, slots=True)
class InvoiceDocument:
    """One invoice or credit note with its seller and buyer, ready to render or send."""

    invoice: Invoice
    seller: Company
    buyer: Customer
    credited: CreditedInvoice | None = None  # set on a credit note
    period_text: str = ""  # a recurring invoice's period, e.g. "Husleie mars 2026"
    period_start: date | None = None  # a recurring invoice's period (Peppol BG-14)
    period_end: date | None = None
    buyer_reference: str = ""  # Peppol BT-10; the customer number when empty
    # issue 19: the debtor's page, code and PIN the PDF prints (agreement setting
    # invoice_debtor_access); the EHF carries none (the buyer's system shows it)
    access: LetterAccess | None = None

    @property
    def language(self) -> Language:
        return self.buyer.language

    @property
    def reference(self) -> str:
        """The buyer reference the EHF carries: given, else the customer number."""
        return self.buyer_reference or str(self.buyer.number)

    @property
    def name(self) -> str:
        """A file name stem that is unique per company: invoice-1001, credit-note-1002."""
        kind = "credit-note" if self.invoice.is_credit_note else "invoice"
        return f"{kind}-{self.invoice.number}"
