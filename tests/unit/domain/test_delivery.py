"""Which channels a document may go by, and which day's post paper goes in (domain/delivery.py)."""

from __future__ import annotations

from datetime import date

import pytest

from fordring.domain.company import Address
from fordring.domain.customers import Customer, CustomerKind
from fordring.domain.delivery import Channel, chain, post_day

HOME = Address("Vei 3", "0565", "Oslo")


def _customer(kind: CustomerKind = CustomerKind.BUSINESS, **changes: object) -> Customer:
    fields: dict[str, object] = {
        "id": 1,
        "number": 10000,
        "kind": kind,
        "name": "Kunde AS",
        "orgnr": "123456785" if kind is CustomerKind.BUSINESS else None,
        "address": HOME,
        "email": "post@kunde.example",
    }
    fields.update(changes)
    return Customer(**fields)  # type: ignore[arg-type]


def _usable(steps: tuple[object, ...]) -> list[str]:
    return [s.channel.value for s in steps if s.usable]  # type: ignore[attr-defined]


def test_an_invoice_to_a_business_tries_ehf_then_email_then_paper() -> None:
    steps = chain("invoice", _customer(), participant="0192:123456785")
    assert [s.channel for s in steps] == [Channel.EHF, Channel.EMAIL, Channel.PAPER]
    assert _usable(steps) == ["ehf", "email", "paper"]


def test_a_consumer_never_gets_ehf() -> None:
    steps = chain("invoice", _customer(CustomerKind.CONSUMER), participant=None)
    assert steps[0].channel is Channel.EHF and "consumer" in steps[0].skip_reason
    assert _usable(steps) == ["email", "paper"]


@pytest.mark.parametrize("kind", ["collection_notice", "payment_demand"])
def test_notices_and_demands_go_by_email_only_to_a_reliable_address(kind: str) -> None:
    plain = chain(kind, _customer(CustomerKind.CONSUMER), participant=None)
    assert _usable(plain) == ["paper"]
    assert "reliable" in plain[0].skip_reason and "3a" in plain[0].skip_reason
    trusted = chain(kind, _customer(CustomerKind.CONSUMER, email_reliable=True), participant=None)
    assert _usable(trusted) == ["email", "paper"]


@pytest.mark.parametrize("kind", ["reminder", "interest_note"])
def test_reminders_and_interest_notes_may_go_to_any_address(kind: str) -> None:
    assert _usable(chain(kind, _customer(CustomerKind.CONSUMER), participant=None)) == [
        "email",
        "paper",
    ]


def test_letters_never_go_by_ehf() -> None:
    steps = chain("reminder", _customer(), participant="0192:123456785")
    assert Channel.EHF not in [s.channel for s in steps]


def test_no_address_and_no_email_leaves_nothing_usable() -> None:
    lost = _customer(CustomerKind.CONSUMER, email="", address=Address())
    assert _usable(chain("invoice", lost, participant=None)) == []


def test_a_reliable_channel_needs_an_address() -> None:
    with pytest.raises(Exception, match="email"):
        _customer(email="", email_reliable=True)


def test_a_notice_goes_to_a_reliable_email_only_while_the_mark_holds() -> None:
    """Issue 12 (inkassoloven § 3 a): the mark lasts `reliable_months` from its day."""
    marked = _customer(email_reliable=True, email_reliable_since=date(2025, 3, 25))
    held = chain("collection_notice", marked, participant=None, on=date(2026, 3, 24))
    assert _usable(held) == ["email", "paper"]
    expired = chain("collection_notice", marked, participant=None, on=date(2026, 3, 25))
    assert _usable(expired) == ["paper"] and "12 months" in expired[0].skip_reason
    longer = chain(
        "payment_demand", marked, participant=None, on=date(2026, 3, 25), reliable_months=13
    )
    assert _usable(longer) == ["email", "paper"]
    # A reminder may go to any address the customer gave, mark or not.
    assert _usable(chain("reminder", marked, participant=None, on=date(2027, 1, 1)))[0] == "email"


def test_a_mark_without_its_day_does_not_hold() -> None:
    unknown = _customer(email_reliable=True, email_reliable_since=None)
    steps = chain("collection_notice", unknown, participant=None, on=date(2026, 3, 24))
    assert _usable(steps) == ["paper"] and "unknown day" in steps[0].skip_reason


# Which day's post a paper document goes in (issue 14).
FRIDAY, SATURDAY, MONDAY, WEDNESDAY = (date(2026, 3, d) for d in (6, 7, 9, 11))


def test_paper_goes_in_its_own_days_post_even_when_sent_later() -> None:
    assert post_day(MONDAY, WEDNESDAY, late=False) == MONDAY
    assert post_day(SATURDAY, WEDNESDAY, late=False) == MONDAY  # no post on Saturday


def test_late_paper_goes_in_the_post_of_the_day_it_is_sent() -> None:
    assert post_day(FRIDAY, WEDNESDAY, late=True) == WEDNESDAY
    assert post_day(FRIDAY, SATURDAY, late=True) == MONDAY


def test_late_paper_never_goes_in_a_post_before_its_own_day() -> None:
    """Sent on an earlier business date (a run simulating days ahead)."""
    assert post_day(WEDNESDAY, MONDAY, late=True) == WEDNESDAY
