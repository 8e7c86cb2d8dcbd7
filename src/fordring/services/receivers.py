"""Whether a Peppol participant takes EHF invoices, asked through the cache (SPEC D2)."""

from __future__ import annotations

from datetime import datetime, timedelta

from fordring.domain.peppol import Receiver, parse_participant
from fordring.services.delivery import RECEIVER_TTL, receiver_of
from fordring.services.ports import ReceiverLookup, UnitOfWorkFactory


def look_up(
    participant: str,
    lookup: ReceiverLookup,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    *,
    fresh: bool = False,
) -> Receiver:
    """The answer for `participant` ("0192:<orgnr>", or a bare orgnr): cached if fresh
    (unless `fresh`), else asked and cached. DeliveryFailed if the network fails."""
    text = participant.strip()
    scheme, value = parse_participant(text if ":" in text else f"0192:{text}")
    with uow_factory() as uow:
        answer = receiver_of(
            uow, lookup, f"{scheme}:{value}", now, timedelta(0) if fresh else RECEIVER_TTL
        )
        uow.commit()
    return answer
