"""Looking at the delivery queue and queueing failed documents again (`deliveries list`,
`deliveries retry`); delivering them is services/delivery.py."""

from __future__ import annotations

from collections.abc import Sequence

from fordring.domain.errors import InvalidInput
from fordring.services.ports import DeliveryView, UnitOfWorkFactory
from fordring.services.scope import Scope


def list_deliveries(
    scope: Scope, failed_only: bool, limit: int, uow_factory: UnitOfWorkFactory
) -> list[DeliveryView]:
    with uow_factory(scope) as uow:
        return uow.deliveries.listing(failed_only=failed_only, limit=limit)


def retry_deliveries(
    scope: Scope, dispatch_ids: Sequence[int], uow_factory: UnitOfWorkFactory
) -> int:
    """Queue failed deliveries again; InvalidInput naming any id that is not a failed
    delivery of the company (a document that was delivered is never sent again here)."""
    with uow_factory(scope) as uow:
        requeued = uow.deliveries.requeue(dispatch_ids)
        missing = sorted(set(dispatch_ids) - set(requeued))
        if missing:
            raise InvalidInput.one("id", f"not a failed delivery: {', '.join(map(str, missing))}")
        uow.commit()
    return len(requeued)
