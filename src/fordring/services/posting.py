"""Booking one voucher a service has built: numbered in the company's series, stored, and
the open amounts of the invoices and charges it moves updated, so no caller forgets one."""

from __future__ import annotations

from dataclasses import replace

from fordring.domain.ledger import Voucher
from fordring.services.ports import UnitOfWork


def post_voucher(uow: UnitOfWork, cid: int, voucher: Voucher) -> Voucher:
    """Store `voucher` with its id and number; the invoices' and charges' open amounts
    follow its receivable postings. The voucher as stored."""
    booked = replace(voucher, id=uow.ledger.reserve_ids(1), number=uow.series.take("voucher"))
    uow.ledger.add_many([booked])
    uow.invoices.add_to_open_amounts(booked.open_item_changes())
    uow.payments.add_to_charge_open_amounts(booked.charge_changes())
    return booked
