"""The collection list (inkassoliste, SPEC C9): every Tuesday, the cases newly on the list
go to the creditor as one PDF, by e-mail to the agreement's address when a mail server is
configured, and always into the outbox; in automatic mode they are handed over on Thursday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.letters import CollectionList, Language
from fordring.domain.collection.list_days import handover_day
from fordring.domain.company import Company
from fordring.services.collection_letters import creditor_party
from fordring.services.ports import (
    Attachment,
    DeliveryFailed,
    LetterRenderer,
    Mailer,
    OutgoingMail,
    PaperDocument,
    PaperOutbox,
    UnitOfWork,
)

LIST_ACTOR = "daily run"


@dataclass(frozen=True, slots=True)
class ListSent:
    """The collection list a run made: the cases it names, the hand-over day it announces
    and where its PDF is in the outbox (None in a dry run, which writes nothing)."""

    day: date
    cases: tuple[int, ...]  # case numbers
    handover_on: date | None  # None: the creditor approves each case
    location: str | None


def send_collection_list(
    uow: UnitOfWork,
    company: Company,
    agreement: Agreement,
    day: date,
    renderer: LetterRenderer,
    outbox: PaperOutbox,
    mailer: Mailer | None,
    *,
    dry_run: bool = False,
) -> ListSent | None:
    """Send the list of cases not yet on a sent list; what was sent (None: no case).
    A dry run marks the cases as listed in its transaction but renders, writes and sends
    nothing."""
    listed = uow.collection.listed_cases(unsent_only=True)
    if not listed:
        return None
    creditor = creditor_party(company)
    thursday = handover_day(day) if agreement.automatic_handover else None
    document = CollectionList(
        Language.NB, day, creditor, creditor, tuple(line for _, line, _ in listed), thursday
    )
    numbers = tuple(int(line.case_number) for _, line, _ in listed)
    if dry_run:
        uow.collection.mark_list_sent([case_id for case_id, _, _ in listed], day)
        return ListSent(day, numbers, thursday, None)
    pdf = renderer.render_collection_list(document)
    where = outbox.put(
        PaperDocument(day, "collection-list", pdf, company.name, company.address.street)
    )
    note = f"on the collection list of {day} ({where})"
    if agreement.list_email and mailer is not None:
        try:
            mailer.send(
                OutgoingMail(
                    agreement.list_email,
                    f"Inkassoliste {day}: {len(listed)} saker",
                    _body(document),
                    (Attachment(f"inkassoliste-{day}.pdf", pdf),),
                )
            )
            note += f", e-mailed to {agreement.list_email}"
        except DeliveryFailed as failure:
            note += f"; the e-mail failed: {failure.reason}"
    elif agreement.list_email:
        note += "; no mail server configured (FORDRING_SMTP_URL), so not e-mailed"
    case_ids = [case_id for case_id, _, _ in listed]
    uow.collection.mark_list_sent(case_ids, day)
    uow.collection.add_event_rows(
        [(case_id, "collection_list", note) for case_id in case_ids], day, LIST_ACTOR
    )
    return ListSent(day, numbers, thursday, where)


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
