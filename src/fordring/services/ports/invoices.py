"""Writing and reading invoices."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from fordring.domain.invoices import Invoice

if TYPE_CHECKING:
    from fordring.services.ports.invoice_views import InvoiceSummary, StoredInvoice


class InvoiceRepository(Protocol):
    def reserve_ids(self, count: int) -> int:
        """Reserve `count` consecutive invoice ids; returns the first."""
        ...

    def ready_to_issue(self, count: int) -> tuple[int, int, bool]:
        """What issuing `count` invoices needs before it takes their numbers: the first of
        `count` invoice ids, the first of `count` voucher ids (as `reserve_ids` and
        `ledger.reserve_ids`), and whether a webhook endpoint wants `invoice.issued`
        (`webhooks.wants`); in one round trip where the database allows."""
        ...

    def add_many(
        self, rows: Sequence[tuple[Invoice, Decimal, int]], *, announced: bool | None = None
    ) -> None:
        """Store invoices with their lines: (invoice with id, open amount, voucher id), and
        an `invoice.issued` event for each to the webhook endpoints that want it.
        `announced`: whether some endpoint wants it, if the caller has asked already
        (`webhooks.wants`; False: none is queued); None: asked here."""
        ...

    def kids_taken(self, kids: Iterable[str]) -> dict[str, str]:
        """Those of `kids` an invoice or case of the company has: KID → which ("invoice 12",
        "case 3")."""
        ...

    def get(self, number: int) -> StoredInvoice | None: ...
    def as_stored(self, written: StoredInvoice) -> StoredInvoice:
        """`written` (just stored by `add_many`) as `get` would read it back, without
        reading: the same decimals' scales, so its answer is the same byte for byte."""
        ...

    def list(
        self,
        *,
        open_only: bool,
        after: int | None = None,
        limit: int | None = None,
        customer_number: int | None = None,
        kind: str | None = None,
    ) -> list[InvoiceSummary]:
        """By number; `after` a number and at most `limit` (keyset pagination); only the
        customer's and only of the kind when given."""
        ...

    def existing_numbers(self, numbers: Iterable[int]) -> set[int]: ...
    def highest_number(self) -> int:
        """The highest invoice number of the company (0 when it has none)."""
        ...

    def add_to_open_amounts(self, changes: dict[int, Decimal]) -> None: ...
