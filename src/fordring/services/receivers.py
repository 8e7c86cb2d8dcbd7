"""Whether a Peppol participant takes EHF invoices or credit notes, asked through a cache
in the database (SPEC D2): the delivery chain and `fordring peppol lookup` both ask here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from fordring.domain.peppol import INVOICE_DOCUMENT_TYPE, ParticipantId, Receiver, Source
from fordring.services.ports import DeliveryFailed, ReceiverLookup, UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Scope

RECEIVER_TTL = timedelta(hours=24)  # how long a lookup's answer is trusted
REFRESH_AHEAD = timedelta(hours=2)  # the periodic refresh asks again this long before
REFRESH_BATCH = 500  # answers asked again per refresh at most (the oldest first)


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


@dataclass(frozen=True, slots=True)
class Refreshed:
    asked: int  # answers asked again and saved
    failed: int  # lookups that failed: their old answer stays (and expires as before)


def refresh_receivers(
    scope: Scope,
    lookup: ReceiverLookup,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    *,
    ttl: timedelta = RECEIVER_TTL,
    ahead: timedelta = REFRESH_AHEAD,
    batch: int = REFRESH_BATCH,
) -> Refreshed:
    """Ask again the cached answers that expire within `ahead` (the periodic Peppol cache
    refresh, docs/workers.md), so the day's delivery finds its receivers fresh and does
    not wait on, or fail with, the SML and SMPs. The cache is global: any company's scope
    reads and writes it, as the delivery does. The lookups are made outside any
    transaction; what they answered is saved in one."""
    with uow_factory(scope) as uow:
        stale = uow.deliveries.stale_receivers(now - ttl + ahead, batch)
    answers: list[Receiver] = []
    failed = 0
    for participant, document_type in stale:
        try:
            answers.append(lookup.lookup_document(participant, document_type))
        except DeliveryFailed:
            failed += 1
    if answers:
        with uow_factory(scope) as uow:
            for answer in answers:
                uow.deliveries.save_receiver(answer)
            uow.commit()
    return Refreshed(len(answers), failed)
