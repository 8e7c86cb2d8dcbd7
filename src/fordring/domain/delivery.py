"""Which channels a document may go by, in which order (SPEC D3, D4; DOMAIN § 2).

An invoice or credit note goes by EHF when the buyer is a Peppol participant that takes
it, else by e-mail with the PDF attached when the customer has an address, else on paper.
A reminder or an interest note may go by e-mail to any address the customer gave; a
collection notice or a payment demand only to an address marked as a reliable channel
(inkassoloven § 3a: "på betryggende måte"), else on paper. Paper is always last: it
needs nothing but a postal address. A channel that fails hands the document to the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from fordring.domain.calendar import next_banking_day
from fordring.domain.collection.letters import LetterKind
from fordring.domain.customers import Customer
from fordring.domain.invoices import InvoiceKind


class Channel(StrEnum):
    EHF = "ehf"
    EMAIL = "email"
    PAPER = "paper"


class Outcome(StrEnum):
    SENT = "sent"  # the channel took it
    FAILED = "failed"  # the channel refused it or was unreachable: the next one is tried
    SKIPPED = "skipped"  # the channel cannot be used for this document (and why)


class DispatchState(StrEnum):
    WAITING = "waiting"
    SENT = "sent"
    FAILED = "failed"  # every channel failed: it needs a person


INVOICE_KINDS = frozenset(kind.value for kind in InvoiceKind)
RELIABLE_EMAIL_MONTHS = 12  # the agreement's default (reliable_email_months)
# Letters that may go electronically only by a reliable channel (inkassoloven §§ 9, 10, 3a;
# the written notice of tvangsfullbyrdelsesloven § 4-18 likewise, issue 12).
NEEDS_RELIABLE_CHANNEL = frozenset(
    {
        LetterKind.COLLECTION_NOTICE.value,
        LetterKind.PAYMENT_DEMAND.value,
        LetterKind.ENFORCEMENT_NOTICE.value,
    }
)


@dataclass(frozen=True, slots=True)
class Step:
    """One channel of a document's chain: to try, or skipped with the reason."""

    channel: Channel
    skip_reason: str = ""

    @property
    def usable(self) -> bool:
        return not self.skip_reason


def chain(
    kind: str,
    customer: Customer,
    *,
    participant: str | None,
    on: date | None = None,
    reliable_months: int = RELIABLE_EMAIL_MONTHS,
) -> tuple[Step, ...]:
    """The channels for a document of `kind` ("invoice", "credit_note" or a letter kind) to
    `customer`, in order; `participant` is the customer's Peppol id when it has one. A
    letter dated `on` goes to a reliable e-mail only while the mark holds that day."""
    if kind in INVOICE_KINDS:
        return (
            _ehf_step(customer, participant),
            _email_step(kind, customer, on, reliable_months),
            _paper_step(customer),
        )
    return (_email_step(kind, customer, on, reliable_months), _paper_step(customer))


def _ehf_step(customer: Customer, participant: str | None) -> Step:
    if not customer.is_business:
        return Step(Channel.EHF, "a consumer does not receive EHF")
    if participant is None:
        return Step(Channel.EHF, "the customer has no Peppol id")
    return Step(Channel.EHF)


def _email_step(kind: str, customer: Customer, on: date | None, months: int) -> Step:
    if not customer.email:
        return Step(Channel.EMAIL, "the customer has no e-mail address")
    if kind in NEEDS_RELIABLE_CHANNEL and not customer.email_reliable:
        return Step(
            Channel.EMAIL,
            "a collection notice or payment demand goes by e-mail only to an address marked "
            "reliable (inkassoloven § 3a)",
        )
    if kind in NEEDS_RELIABLE_CHANNEL and on and not customer.email_reliable_on(on, months):
        since = customer.email_reliable_since
        said = f"set on {since}" if since else "set on an unknown day"
        return Step(
            Channel.EMAIL,
            f"the reliable e-mail mark ({said}) does not hold on the letter's date {on}: "
            f"it lasts {months} months (inkassoloven § 3 a: an address the debtor has "
            "recently used); renew it with `fordring customer change N --email-reliable`",
        )
    return Step(Channel.EMAIL)


def _paper_step(customer: Customer) -> Step:
    if not customer.address.is_complete():
        return Step(Channel.PAPER, "the customer has no complete postal address")
    return Step(Channel.PAPER)


def post_day(document_day: date, sent_on: date, *, late: bool) -> date:
    """The banking day whose post, and print batch, a paper document goes in: its own
    day's, moved to the next banking day when that is none (issue 12). A late document (a
    retry, or one whose day's print batch was made already) goes in the post of the day it
    is sent (`sent_on`), in a new batch of that day, never back into an old day's batch."""
    return next_banking_day(max(document_day, sent_on) if late else document_day)
