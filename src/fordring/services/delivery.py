"""Delivering queued documents by the chain EHF -> e-mail -> paper (SPEC D3, D4).

Documents are queued (`delivery_queue.queue_invoices`; the daily run its letters and
collection list) in the transaction that makes them; `deliver_waiting` takes the queue a
batch at a time (a list by `collection_list.deliver_lists`). Each document walks the
channels `domain.delivery.chain` allows: EHF through the access point when the Peppol
lookup says the buyer takes it, e-mail with the PDF attached, paper into a day's post. A
channel that fails (an invalid EHF, an access point or SMTP refusal, an unreachable
lookup) is logged and the next tried; every try is a `delivery_attempt` row, so
`deliveries list` can explain each document.

A batch's sending happens before its transaction commits: if the process dies between
the two, that batch is sent again on the next run (at least once, never lost). The paper
of the day is joined into print batches afterwards (print_batches.py).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from fordring.domain.calendar import next_banking_day
from fordring.domain.collection.agreement import Agreement, with_settings
from fordring.domain.collection.letters import Letter
from fordring.domain.company import Company
from fordring.domain.customers import Customer
from fordring.domain.delivery import Channel, DispatchState, Outcome, Step, chain, post_day
from fordring.domain.errors import InvalidInput
from fordring.domain.invoice_document import InvoiceDocument
from fordring.domain.peppol import (
    CREDIT_NOTE_DOCUMENT_TYPE,
    INVOICE_DOCUMENT_TYPE,
    NORWEGIAN_ORGNR_SCHEME,
    Receiver,
    participant_for,
)
from fordring.services.collection_list import ListDelivered, deliver_lists
from fordring.services.delivery_channels import DeliveryChannels
from fordring.services.delivery_mail import mail_text
from fordring.services.ports import (
    Attachment,
    AttemptRecord,
    Compiled,
    DeliveryFailed,
    DispatchDone,
    OutgoingEhf,
    OutgoingMail,
    PaperDocument,
    ReceiverLookup,
    Rendered,
    RenderFailed,
    UnitOfWork,
    UnitOfWorkFactory,
    WaitingDispatch,
)
from fordring.services.print_batches import make_print_batches
from fordring.services.progress import Progress, no_progress
from fordring.services.receivers import receiver_of
from fordring.services.scope import Scope

BATCH = 200


@dataclass
class DeliveryReport:
    sent: Counter[str] = field(default_factory=Counter)  # channel -> documents
    failed: int = 0  # documents no channel took
    print_batches: list[str] = field(default_factory=list)
    lists: list[ListDelivered] = field(default_factory=list)  # collection lists taken

    @property
    def total(self) -> int:
        return sum(self.sent.values()) + self.failed


def deliver_waiting(
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    channels: DeliveryChannels,
    now: Callable[[], datetime],
    *,
    batch: int = BATCH,
    progress: Progress = no_progress,
) -> DeliveryReport:
    """Deliver every queued document of the company, a batch per transaction (`progress` hears
    of each); then join what went on paper, and an interrupted delivery's, into print batches.
    In one process: on PostgreSQL workers the same batches are jobs (`deliver_batch`) that
    several workers share, and the print batches a job run after the last (docs/workers.md)."""
    report = DeliveryReport()
    while _deliver_one(scope, uow_factory, channels, now, batch, report):
        progress(sum(report.sent.values()) + report.failed, None)
    report.print_batches = make_print_batches(scope, uow_factory, channels.outbox)
    return report


def deliver_batch(
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    channels: DeliveryChannels,
    now: Callable[[], datetime],
    *,
    batch: int = BATCH,
) -> DeliveryReport:
    """One batch of the company's queue in one transaction: the first `batch` waiting
    documents no other deliverer holds (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so deliverers
    running at once take different documents and none twice), delivered, recorded,
    committed. No print batch is made (`make_print_batches`, once every batch is done).
    `report.total` is how many it took: 0 when nothing waited unclaimed."""
    report = DeliveryReport()
    _deliver_one(scope, uow_factory, channels, now, batch, report)
    return report


def waiting_documents(scope: Scope, uow_factory: UnitOfWorkFactory) -> int:
    """How many of the company's documents wait in the queue (those being delivered
    included: they wait until their batch commits)."""
    with uow_factory(scope) as uow:
        return uow.deliveries.count_waiting()


def _deliver_one(
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    channels: DeliveryChannels,
    now: Callable[[], datetime],
    batch: int,
    report: DeliveryReport,
) -> bool:
    """Deliver and commit one batch, counted into `report`; whether there was one."""
    with uow_factory(scope) as uow:
        company = uow.company.current()
        waiting = uow.deliveries.waiting(batch)
        if not waiting:
            return False
        lists = [w for w in waiting if w.collection_list_id is not None]
        for done in deliver_lists(uow, company, channels, now, lists):  # first, as before
            report.lists.append(done)
            report.failed += done.channel is None
            report.sent.update([done.channel.value] if done.channel else [])
        documents = [w for w in waiting if w.collection_list_id is None]
        if documents:
            chain_batch = _Batch(uow, company, channels, now, scope.business_date)
            chain_batch.deliver(documents, report)
        uow.commit()
    return True


@dataclass
class _Item:
    """One queued document on its way through the chain."""

    dispatch: WaitingDispatch
    customer: Customer
    steps: tuple[Step, ...]
    document: InvoiceDocument | None = None
    letter: Letter | None = None
    pdf: bytes = b""
    compiled: Compiled | None = None  # the compile `pdf` was cut from (for the print batch)
    done: Channel | None = None
    where: str = ""
    post_day: date | None = None  # on paper: the day whose post it went in


class _Batch:
    def __init__(
        self,
        uow: UnitOfWork,
        company: Company,
        channels: DeliveryChannels,
        now: Callable[[], datetime],
        sent_on: date,  # the business date: the post a late paper document goes in
    ) -> None:
        self.uow, self.company, self.channels, self.now = uow, company, channels, now
        self.sent_on = sent_on
        self.attempts: list[AttemptRecord] = []
        self.seller = f"{NORWEGIAN_ORGNR_SCHEME}:{company.orgnr}"  # its Peppol participant id
        # One answer (or failure) per receiver and document type for the whole batch: many
        # invoices to one buyer ask the cache, or the network, once.
        self.receivers: dict[tuple[str, str], Receiver | DeliveryFailed] = {}
        settings = uow.collection.settings()
        self.reliable_months = with_settings(Agreement(), settings).reliable_email_months

    def deliver(self, waiting: list[WaitingDispatch], report: DeliveryReport) -> None:
        items = self._items(waiting)
        self._by_ehf([i for i in items if self._reached(i, Channel.EHF)])
        self._render([i for i in items if i.done is None])
        self._by_email([i for i in items if self._reached(i, Channel.EMAIL)])
        self._on_paper([i for i in items if self._reached(i, Channel.PAPER)])
        done: list[DispatchDone] = []
        rendered: list[tuple[int, str, str]] = []
        today = self.now().date()
        for item in items:
            state = DispatchState.SENT if item.done is not None else DispatchState.FAILED
            channel = item.done.value if item.done is not None else ""
            on_paper = _name(item) if item.post_day is not None else ""
            done.append(
                DispatchDone(item.dispatch.id, state.value, channel, today, item.post_day, on_paper)
            )
            if item.done is None:
                report.failed += 1
            else:
                report.sent[channel] += 1
            if item.dispatch.letter_id is not None:
                where = item.where or "undelivered"
                rendered.append(
                    (item.dispatch.letter_id, where, hashlib.sha256(item.pdf).hexdigest())
                )
        self.uow.deliveries.record(self.attempts, done)
        self.uow.collection.mark_rendered(rendered)
        # a sent letter's PIN is no longer kept in clear: printed again it shows masked
        # (decision 0015); one not sent keeps it for its next try
        self.uow.debtor_access.forget_pins(
            [i.dispatch.letter_id for i in items if i.done is not None and i.dispatch.letter_id]
        )
        self.uow.debtor_access.forget_invoice_pins(
            [i.dispatch.invoice_id for i in items if i.done is not None and i.dispatch.invoice_id]
        )

    # --- what the batch is ----------------------------------------------------------------
    def _items(self, waiting: list[WaitingDispatch]) -> list[_Item]:
        customer_ids = [w.customer_id for w in waiting if w.customer_id is not None]
        customers = self.uow.deliveries.customers(customer_ids)
        invoice_ids = [w.invoice_id for w in waiting if w.invoice_id is not None]
        invoices = self.uow.deliveries.invoice_documents(invoice_ids)
        periods = self.uow.recurring.periods_of(invoice_ids) if invoice_ids else {}
        # issue 19: the invoices that print the debtor's code and PIN (decision 0016)
        accesses = self.uow.debtor_access.invoice_prints(invoice_ids) if invoice_ids else {}
        letters = self.uow.deliveries.letters([w.letter_id for w in waiting if w.letter_id])
        items = []
        for w in waiting:
            assert w.customer_id is not None  # only the collection list has none
            buyer = customers[w.customer_id]
            participant = participant_for(buyer.orgnr, buyer.peppol_id)
            letter = letters.get(w.letter_id) if w.letter_id is not None else None
            steps = chain(
                w.kind,
                buyer,
                participant=participant,
                on=letter.letter_date if letter is not None else None,
                reliable_months=self.reliable_months,
            )
            item = _Item(w, buyer, steps)
            if w.invoice_id is not None:
                invoice, credited = invoices[w.invoice_id]
                start, end, text = periods.get(w.invoice_id, (None, None, ""))
                item.document = InvoiceDocument(
                    invoice,
                    self.company,
                    buyer,
                    credited,
                    text,
                    start,
                    end,
                    access=accesses.get(w.invoice_id),
                )
            elif w.letter_id is not None:
                item.letter = letters[w.letter_id]
            items.append(item)
        return items

    # --- the channels ---------------------------------------------------------------------
    def _by_ehf(self, items: list[_Item]) -> None:
        ch = self.channels
        for item in items:
            document = item.document
            assert document is not None
            if ch.receivers is None or ch.ehf is None or ch.access_point is None:
                self._log(item, Channel.EHF, Outcome.SKIPPED, "no Peppol access point configured")
                continue
            participant = participant_for(item.customer.orgnr, item.customer.peppol_id)
            assert participant is not None
            kind = (
                CREDIT_NOTE_DOCUMENT_TYPE
                if document.invoice.is_credit_note
                else INVOICE_DOCUMENT_TYPE
            )
            try:
                receiver = self._receiver(ch.receivers, participant, kind)
                if not receiver.can_receive:
                    why = receiver.reason or "does not take this EHF document"
                    self._log(
                        item,
                        Channel.EHF,
                        Outcome.SKIPPED,
                        f"{participant}: {why} ({receiver.source})",
                    )
                    continue
                ubl = ch.ehf.write(document)
                name = f"{self.company.orgnr}-{document.name}"
                reference = ch.access_point.submit(
                    OutgoingEhf(name, self.seller, participant, kind, ubl)
                )
            except DeliveryFailed as error:
                self._log(item, Channel.EHF, Outcome.FAILED, error.reason)
                continue
            except InvalidInput as error:
                self._log(item, Channel.EHF, Outcome.FAILED, f"not a valid EHF: {error}")
                continue
            self._sent(item, Channel.EHF, reference)

    def _receiver(self, lookup: ReceiverLookup, participant: str, kind: str) -> Receiver:
        """What the cache or the lookup says, asked once per batch; DeliveryFailed again
        for every document of a receiver whose lookup failed."""
        known = self.receivers.get((participant, kind))
        if known is None:
            try:
                known = receiver_of(
                    self.uow, lookup, participant, self.now(), self.channels.receiver_ttl, kind
                )
            except DeliveryFailed as error:
                known = error
            self.receivers[participant, kind] = known
        if isinstance(known, DeliveryFailed):
            raise known
        return known

    def _render(self, items: list[_Item]) -> None:
        """The PDF of every document still to deliver, in two bulk renders (invoices and
        letters). A document the renderer cannot lay out fails alone: it is logged, goes
        nowhere, and waits in `deliveries list --failed`; the rest of the batch goes on."""
        invoices = [i for i in items if i.document is not None]
        letters = [i for i in items if i.letter is not None]
        ch = self.channels

        def render_invoices(batch: list[_Item]) -> list[Rendered]:
            return ch.invoice_pdf.rendered_invoices([i.document for i in batch if i.document])

        def render_letters(batch: list[_Item]) -> list[Rendered]:
            return ch.letter_pdf.rendered_letters([i.letter for i in batch if i.letter])

        renderers: tuple[tuple[list[_Item], Callable[[list[_Item]], list[Rendered]]], ...] = (
            (invoices, render_invoices),
            (letters, render_letters),
        )
        for group, render in renderers:
            if not group:
                continue
            try:
                pdfs = render(group)
            except RenderFailed:
                pdfs = [self._render_alone(item, render) for item in group]
            for item, rendered in zip(group, pdfs, strict=True):
                item.pdf, item.compiled = rendered.pdf, rendered.compiled

    def _render_alone(
        self, item: _Item, render: Callable[[list[_Item]], list[Rendered]]
    ) -> Rendered:
        try:
            (rendered,) = render([item])
        except RenderFailed as error:
            self.attempts.append(
                AttemptRecord(
                    item.dispatch.id, "pdf", self.now(), Outcome.FAILED.value, f"no PDF: {error}"
                )
            )
            item.steps = ()  # nothing can carry it
            return Rendered(b"")
        return rendered

    def _by_email(self, items: list[_Item]) -> None:
        mailer = self.channels.mailer
        for item in items:
            if mailer is None:
                self._log(item, Channel.EMAIL, Outcome.SKIPPED, "no SMTP server configured")
                continue
            number = item.document.invoice.number if item.document is not None else 0
            # A letter is from whoever sends it: the collector once a case is handed over.
            sender = item.letter.collector if item.letter is not None else None
            name = sender.name if sender is not None else self.company.name
            reply_to = sender.email if sender is not None else self.company.email
            subject, body = mail_text(item.dispatch.kind, number, item.customer.language, name)
            to = item.customer.email
            attachments = (Attachment(f"{_name(item)}.pdf", item.pdf),)
            try:
                mailer.send(OutgoingMail(to, subject, body, attachments, name, reply_to))
            except DeliveryFailed as error:
                self._log(item, Channel.EMAIL, Outcome.FAILED, error.reason)
                continue
            self._sent(item, Channel.EMAIL, f"e-mail to {to}")

    def _on_paper(self, items: list[_Item]) -> None:
        own = {i.dispatch.id: _own_day(i) for i in items}
        batched = self.uow.deliveries.batched_days({next_banking_day(d) for d in own.values()})
        documents, days = [], []
        for item in items:
            buyer, day = item.customer, own[item.dispatch.id]
            # Paper goes in its own day's post (the next banking day's when the post does not
            # go that day, issue 12), unless it is late: sent again, or its day's batch is made.
            late = item.dispatch.tried or next_banking_day(day) in batched
            days.append(post_day(day, self.sent_on, late=late))
            address = buyer.address
            documents.append(
                PaperDocument(
                    days[-1],
                    _name(item),
                    item.pdf,
                    buyer.name,
                    f"{address.street}, {address.postcode} {address.city}",
                    self.company.orgnr,
                    item.compiled,
                )
            )
        put = self.channels.outbox.put_all(documents) if documents else []
        for item, on_post, where in zip(items, days, put, strict=True):
            if isinstance(where, DeliveryFailed):  # e.g. a day folder that is a link
                self._log(item, Channel.PAPER, Outcome.FAILED, where.reason)
                continue
            item.post_day = on_post  # in no print batch until it is in the outbox
            self._sent(item, Channel.PAPER, where)

    def _reached(self, item: _Item, channel: Channel) -> bool:
        """Whether `channel` is to be tried: nothing took the document yet and its chain
        allows the channel (a step the chain skips is logged with its reason)."""
        if item.done is not None:
            return False
        step = next((s for s in item.steps if s.channel is channel), None)
        if step is None:
            return False
        if not step.usable:
            self._log(item, channel, Outcome.SKIPPED, step.skip_reason)
        return step.usable

    # --- the log --------------------------------------------------------------------------
    def _log(self, item: _Item, channel: Channel, outcome: Outcome, detail: str) -> None:
        self.attempts.append(
            AttemptRecord(item.dispatch.id, channel.value, self.now(), outcome.value, detail)
        )

    def _sent(self, item: _Item, channel: Channel, reference: str) -> None:
        item.done, item.where = channel, reference
        self._log(item, channel, Outcome.SENT, reference)


def _own_day(item: _Item) -> date:
    """A letter's date; the day an invoice was queued."""
    return item.letter.letter_date if item.letter is not None else item.dispatch.queued_on


def _name(item: _Item) -> str:
    if item.document is not None:
        return item.document.name
    assert item.letter is not None
    return f"case-{item.letter.case_number}-{item.letter.kind.value}"
