"""The periodic Peppol cache refresh (services/receivers.py `refresh_receivers`): the
answers about to expire are asked again, the fresh ones are not, and a lookup that fails
keeps the old answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests import builders
from tests.integration.test_delivery import Lookup, _now

from fordring.domain.peppol import INVOICE_DOCUMENT_TYPE, Receiver, Source
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.receivers import RECEIVER_TTL, refresh_receivers

pytestmark = pytest.mark.integration

OLD, FRESH = "0192:923609016", "0192:988077917"


def _cache(uow_factory: UnitOfWorkFactory) -> dict[str, Receiver]:
    with uow_factory(builders.scope(uow_factory)) as uow:
        found = {p: uow.deliveries.receiver(p, INVOICE_DOCUMENT_TYPE) for p in (OLD, FRESH)}
    return {p: r for p, r in found.items() if r is not None}


def _seed(uow_factory: UnitOfWorkFactory) -> None:
    builders.company(uow_factory)
    with uow_factory(builders.scope(uow_factory)) as uow:
        for participant, age in ((OLD, timedelta(hours=23)), (FRESH, timedelta(hours=1))):
            uow.deliveries.save_receiver(
                Receiver(participant, False, Source.SML, _now() - age, reason="not yet")
            )
        uow.commit()


def test_answers_about_to_expire_are_asked_again_the_fresh_ones_not(
    uow_factory: UnitOfWorkFactory,
) -> None:
    _seed(uow_factory)
    lookup = Lookup(True)
    done = refresh_receivers(builders.scope(uow_factory), lookup, uow_factory, _now())
    assert (done.asked, done.failed, lookup.asked) == (1, 0, 1)
    cache = _cache(uow_factory)
    assert cache[OLD].can_receive and cache[OLD].checked_at == _now()
    assert not cache[FRESH].can_receive  # untouched
    again = refresh_receivers(builders.scope(uow_factory), lookup, uow_factory, _now())
    assert (again.asked, lookup.asked) == (0, 1)  # all fresh now: nothing asked


def test_a_failed_lookup_keeps_the_old_answer(uow_factory: UnitOfWorkFactory) -> None:
    _seed(uow_factory)
    done = refresh_receivers(builders.scope(uow_factory), Lookup(None), uow_factory, _now())
    assert (done.asked, done.failed) == (0, 1)
    kept = _cache(uow_factory)[OLD]
    assert kept.checked_at == _now() - timedelta(hours=23) and not kept.can_receive
    assert timedelta(hours=24) == RECEIVER_TTL
