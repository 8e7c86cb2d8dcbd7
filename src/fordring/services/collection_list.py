"""The collection list (inkassoliste, SPEC C9): every Tuesday, the cases newly on the list
go to the creditor as one PDF, by e-mail to the agreement's address when a mail server is
configured, and always into the outbox; in automatic mode they are handed over on Thursday.
The day stores and queues the list; the delivery step renders and sends it after the day
commits (never inside the day's transaction)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.history import EventKind, HistoryEvent
from fordring.domain.collection.letters import CollectionList
from fordring.domain.collection.list_days import handover_day
from fordring.domain.company import Company
from fordring.domain.delivery import Channel, DispatchState, Outcome
from fordring.domain.language import Language
from fordring.services.collection_letters import creditor_party
from fordring.services.ports import (
    Attachment,
    AttemptRecord,
    DeliveryFailed,
    DispatchDone,
    LetterRenderer,
    Mailer,
    OutgoingMail,
    PaperDocument,
    PaperOutbox,
    RenderFailed,
    UnitOfWork,
    WaitingDispatch,
)
from fordring.services.scope import DAILY_RUN

LIST_ACTOR = str(DAILY_RUN)
NO_MAILER = "no mail server configured (FORDRING_SMTP_URL), so not e-mailed"


class ListChannels(Protocol):
    """What delivering a list needs of the delivery chain (`DeliveryChannels` has it)."""

    @property
    def letter_pdf(self) -> LetterRenderer: ...
    @property
    def outbox(self) -> PaperOutbox: ...
    @property
    def mailer(self) -> Mailer | None: ...


@dataclass(frozen=True, slots=True)
class ListSent:
    """The collection list a run made: the cases it names, the hand-over day it announces
    and where its PDF is in the outbox once delivered (None in a dry run, which writes
    nothing)."""

    day: date
    cases: tuple[int, ...]  # case numbers
    handover_on: date | None  # None: the creditor approves each case
    location: str | None  # set once delivered: the day only queues it


@dataclass(frozen=True, slots=True)
class ListDelivered:
    """A list the delivery step took: its day, its place in the outbox (None: it could not
    be rendered) and the channel that took it (None: failed, waiting for a retry)."""

    day: date
    location: str | None
    channel: Channel | None


def send_collection_list(
    uow: UnitOfWork,
    company: Company,
    agreement: Agreement,
    day: date,
    *,
    dry_run: bool = False,
) -> ListSent | None:
    """Put the cases not yet on a sent list on today's list and queue it for delivery, in
    the day's transaction; what it names (None: no case). Nothing leaves here: the delivery
    step renders the list into the outbox and e-mails it after the day commits
    (`deliver_lists`), so a mail server that fails cannot undo the day. A dry run marks
    the cases in its transaction and queues nothing."""
    listed = uow.collection.listed_cases(unsent_only=True)
    if not listed:
        return None
    creditor = creditor_party(company)
    thursday = handover_day(day) if agreement.automatic_handover else None
    document = CollectionList(
        Language.NB, day, creditor, creditor, tuple(line for _, line, _ in listed), thursday
    )
    numbers = tuple(int(line.case_number) for _, line, _ in listed)
    case_ids = [case_id for case_id, _, _ in listed]
    uow.collection.mark_list_sent(case_ids, day)
    if dry_run:
        return ListSent(day, numbers, thursday, None)
    dispatch_id = uow.deliveries.queue_list(document, agreement.list_email or "")
    note = f"on the collection list of {day} (delivery {dispatch_id})"
    if agreement.list_email:
        note += f", to be e-mailed to {agreement.list_email}"
    uow.collection.add_event_rows(
        [
            HistoryEvent(case_id, EventKind.COLLECTION_LIST, note, {"list_date": day.isoformat()})
            for case_id in case_ids
        ],
        day,
        LIST_ACTOR,
    )
    return ListSent(day, numbers, thursday, None)


def deliver_lists(
    uow: UnitOfWork,
    company: Company,
    channels: ListChannels,
    now: Callable[[], datetime],
    waiting: Sequence[WaitingDispatch],
) -> list[ListDelivered]:
    """Deliver queued collection lists: render each into the outbox (always: the creditor's
    copy), then e-mail it to the address the day took from the agreement. A refused or
    unreachable mail server leaves the list failed, like any document no channel took,
    until `deliveries retry` queues it again; the outbox copy is the same file each time."""
    if not waiting:
        return []
    stored = uow.deliveries.lists([w.collection_list_id for w in waiting if w.collection_list_id])
    attempts: list[AttemptRecord] = []
    done: list[DispatchDone] = []
    delivered: list[ListDelivered] = []

    def log(dispatch_id: int, channel: str, outcome: Outcome, detail: str) -> None:
        attempts.append(AttemptRecord(dispatch_id, channel, now(), outcome.value, detail))

    for w in waiting:
        assert w.collection_list_id is not None
        queued = stored[w.collection_list_id]
        document = queued.document
        try:
            pdf = channels.letter_pdf.render_collection_list(document)
        except RenderFailed as error:
            log(w.id, "pdf", Outcome.FAILED, f"no PDF: {error}")
            done.append(DispatchDone(w.id, DispatchState.FAILED.value, "", now().date()))
            delivered.append(ListDelivered(document.list_date, None, None))
            continue
        try:
            where = channels.outbox.put(
                PaperDocument(
                    document.list_date,
                    "collection-list",
                    pdf,
                    company.name,
                    company.address.street,
                    company.orgnr,
                )
            )
        except DeliveryFailed as error:  # e.g. a day folder that is a link
            log(w.id, Channel.PAPER.value, Outcome.FAILED, error.reason)
            done.append(DispatchDone(w.id, DispatchState.FAILED.value, "", now().date()))
            delivered.append(ListDelivered(document.list_date, None, None))
            continue
        log(w.id, Channel.PAPER.value, Outcome.SENT, where)
        channel: Channel | None = Channel.PAPER
        if queued.email and channels.mailer is None:
            log(w.id, Channel.EMAIL.value, Outcome.SKIPPED, NO_MAILER)
        elif queued.email and channels.mailer is not None:
            try:
                channels.mailer.send(_mail(queued.email, document, pdf))
                log(w.id, Channel.EMAIL.value, Outcome.SENT, f"e-mail to {queued.email}")
                channel = Channel.EMAIL
            except DeliveryFailed as error:
                log(w.id, Channel.EMAIL.value, Outcome.FAILED, error.reason)
                channel = None
        state = DispatchState.SENT if channel is not None else DispatchState.FAILED
        done.append(DispatchDone(w.id, state.value, channel.value if channel else "", now().date()))
        delivered.append(ListDelivered(document.list_date, where, channel))
    uow.deliveries.record(attempts, done)
    return delivered


def _mail(to: str, document: CollectionList, pdf: bytes) -> OutgoingMail:
    day = document.list_date
    return OutgoingMail(
        to,
        f"Inkassoliste {day}: {len(document.cases)} saker",
        _body(document),
        (Attachment(f"inkassoliste-{day}.pdf", pdf),),
    )


def _body(document: CollectionList) -> str:
    lines = [
        f"Inkassolisten for {document.creditor.name} per {document.list_date} er vedlagt:",
        f"{len(document.cases)} saker der fristen i inkassovarselet er ute, til sammen "
        f"{document.total} kr.",
    ]
    if document.handover_date:
        lines.append(
            f"Sakene sendes til inkasso torsdag {document.handover_date} om du ikke "
            "stopper dem (fordring collection pause|close)."
        )
    else:
        lines.append("Godkjenn sakene for inkasso med `fordring collection approve`.")
    return "\n".join(lines)
