"""Looking at the delivery queue and queueing failed documents again (`deliveries list`,
`deliveries retry`); delivering them is services/delivery.py."""

from __future__ import annotations

from collections.abc import Sequence

from fordring.domain.errors import InvalidInput
from fordring.services.companies import company_id, resolve_company
from fordring.services.ports import DeliveryView, UnitOfWorkFactory


def list_deliveries(
    company_orgnr: str | None, failed_only: bool, limit: int, uow_factory: UnitOfWorkFactory
) -> list[DeliveryView]:
    with uow_factory() as uow:
        cid = company_id(resolve_company(uow, company_orgnr))
        return uow.deliveries.listing(cid, failed_only=failed_only, limit=limit)


def retry_deliveries(
    company_orgnr: str | None, dispatch_ids: Sequence[int], uow_factory: UnitOfWorkFactory
) -> int:
    """Queue failed deliveries again; InvalidInput naming any id that is not a failed
    delivery of the company (a document that was delivered is never sent again here)."""
    with uow_factory() as uow:
        cid = company_id(resolve_company(uow, company_orgnr))
        requeued = uow.deliveries.requeue(cid, dispatch_ids)
        missing = sorted(set(dispatch_ids) - set(requeued))
        if missing:
            raise InvalidInput.one("id", f"not a failed delivery: {', '.join(map(str, missing))}")
        uow.commit()
    return len(requeued)
