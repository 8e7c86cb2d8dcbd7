"""`UblEhfWriter`: the EhfWriter port. An InvoiceDocument as the UBL file to send, written,
checked by the pre-send rules and by the UBL 2.1 schema; InvalidInput naming every problem.
"""

from __future__ import annotations

from fordring.adapters.ehf import rules, schema, ubl
from fordring.domain.invoice_document import InvoiceDocument


class UblEhfWriter:
    """Peppol BIS Billing 3.0 Invoice or CreditNote, the bytes exactly as checked."""

    def write(self, document: InvoiceDocument) -> bytes:
        xml = ubl.render(document)
        root = ubl.parse(xml)
        rules.check(document, root)
        schema.check(root)
        return xml
