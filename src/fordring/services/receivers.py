"""Whether a Peppol participant takes EHF invoices or credit notes, asked through a cache
in the database (SPEC D2): the delivery chain and `fordring peppol lookup` both ask here."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from fordring.domain.peppol import INVOICE_DOCUMENT_TYPE, ParticipantId, Receiver, Source
from fordring.services.ports import ReceiverLookup, UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Scope

RECEIVER_TTL = timedelta(hours=24)  # how long a lookup's answer is trusted


def look_up(
    participant: ParticipantId,
    lookup: ReceiverLookup,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    *,
    document_type: str = INVOICE_DOCUMENT_TYPE,
    fresh: bool = False,
) -> Receiver:
    """The answer for `participant`: cached if fresh (unless `fresh`), else asked and
    cached. DeliveryFailed if the network fails."""
    with uow_factory(scope) as uow:
        ttl = timedelta(0) if fresh else RECEIVER_TTL
        answer = receiver_of(uow, lookup, str(participant), now, ttl, document_type)
        uow.commit()
    return answer


def receiver_of(
    uow: UnitOfWork,
    lookup: ReceiverLookup,
    participant: str,
    now: datetime,
    ttl: timedelta = RECEIVER_TTL,
    document_type: str = INVOICE_DOCUMENT_TYPE,
) -> Receiver:
    """What the cache says of `participant` and `document_type` if fresh, else what the
    lookup says (then cached)."""
    cached = uow.deliveries.receiver(participant, document_type)
    if cached is not None and now - cached.checked_at < ttl:
        return dataclasses.replace(cached, source=Source.CACHE)
    answer = lookup.lookup_document(participant, document_type)
    uow.deliveries.save_receiver(answer)
    return answer
