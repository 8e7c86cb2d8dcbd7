"""The collector's repository on a real database: a case KID is claimed once per collector
across its creditors (the database refuses a second claim), its bank files are found by
content or bank id, and its queue is numbered and assigned once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError
from tests import builders
from tests.builders import ORGNR, OTHER_ORGNR, cli_case_1, cli_company, cli_other_company
from tests.conftest import Run

from fordring.domain.collector import new_collector
from fordring.domain.errors import NotFound
from fordring.domain.identifiers import BankAccount, Orgnr
from fordring.services.collector_ports import ClientBankFile, ClientPayment
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.integration

DAY = date(2026, 3, 10)


def two_companies_with_case_1(run: Run) -> None:
    """Test AS and Annen AS, each with case 1 for Kari Nordmann's invoice 1."""
    cli_company(run)
    cli_other_company(run)
    for orgnr in (ORGNR, OTHER_ORGNR):
        cli_case_1(run, orgnr)


def collector_with_creditors(
    uow_factory: UnitOfWorkFactory, orgnr: str = "974760673", account: str = "15032080119"
) -> tuple[int, list[int]]:
    with uow_factory.unscoped() as uow:
        collector_id = uow.collectors.add(
            new_collector(
                orgnr=Orgnr(orgnr), name="Demo Inkasso AS", accounts=[BankAccount(account)]
            )
        )
        companies = [c.id for c in uow.companies.all() if c.id is not None]
        numbers = [uow.collectors.serve(collector_id, c, DAY) for c in sorted(companies)]
        uow.commit()
    assert numbers == [1, 2]
    return collector_id, sorted(companies)


def test_one_kid_cannot_be_claimed_by_two_creditors_of_one_collector(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    two_companies_with_case_1(run)
    collector_id, (a, b) = collector_with_creditors(uow_factory)
    with uow_factory.unscoped() as uow:
        kids_a = uow.collectors.open_case_kids(a)
        kids_b = uow.collectors.open_case_kids(b)
    # On their own, both companies' case 1 carry invoice 1's KID: unique per company only.
    assert [k for k, _ in kids_a] == [k for k, _ in kids_b] == ["0000000018"]
    with uow_factory.unscoped() as uow:
        uow.collectors.register_kids(collector_id, a, kids_a)
        uow.commit()
    with uow_factory.unscoped() as uow, pytest.raises(IntegrityError):
        uow.collectors.register_kids(collector_id, b, kids_b)
    with uow_factory.unscoped() as uow:
        assert uow.collectors.taken_kids(collector_id, ["0000000018", "123"]) == {"0000000018": a}


def test_the_same_kid_at_another_collector_is_its_own(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    two_companies_with_case_1(run)
    first, (a, b) = collector_with_creditors(uow_factory)
    with uow_factory.unscoped() as uow:
        second = uow.collectors.add(
            new_collector(
                orgnr=Orgnr("923609016"),
                name="Andre Inkasso AS",
                accounts=[BankAccount("97100000001")],
            )
        )
        uow.collectors.register_kids(first, a, uow.collectors.open_case_kids(a))
        uow.collectors.register_kids(second, b, uow.collectors.open_case_kids(b))
        uow.commit()
        assert uow.collectors.taken_kids(first, ["0000000018"]) == {"0000000018": a}
        assert uow.collectors.taken_kids(second, ["0000000018"]) == {"0000000018": b}
        assert uow.collectors.served_by(a) == (first, 1)


def test_a_client_account_belongs_to_one_collector(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory.unscoped() as uow:
        uow.collectors.add(
            new_collector(orgnr=Orgnr("974760673"), name="A", accounts=[BankAccount("15032080119")])
        )
        uow.commit()
        assert uow.collectors.account_owner(["15032080119", "97100000001"]) == {
            "15032080119": "974760673"
        }
    with uow_factory.unscoped() as uow, pytest.raises(IntegrityError):
        uow.collectors.add(
            new_collector(orgnr=Orgnr("923609016"), name="B", accounts=[BankAccount("15032080119")])
        )


def queued(amount: str, kid: str = "") -> ClientPayment:
    return ClientPayment(0, "15032080119", "Ntry 1", DAY, Decimal(amount), kid=kid)


def test_the_queue_numbers_on_across_files_and_assigns_once(
    uow_factory: UnitOfWorkFactory,
) -> None:
    builders.company(uow_factory)
    with uow_factory.unscoped() as uow:
        (company_id,) = [c.id for c in uow.companies.all()]
        assert company_id is not None
        collector_id = uow.collectors.add(
            new_collector(orgnr=Orgnr("974760673"), name="A", accounts=[BankAccount("15032080119")])
        )
        files = [
            uow.collectors.add_bank_file(
                collector_id,
                ClientBankFile("camt054", f"M-{n}", f"f{n}.xml", DAY, 1),
                f"{n}" * 64,
                Decimal("1.00"),
            )
            for n in (1, 2)
        ]
        uow.collectors.queue(collector_id, files[0], [queued("100.00"), queued("200.00", "18")])
        uow.collectors.queue(collector_id, files[1], [queued("-50.00")])
        uow.commit()
    with uow_factory.unscoped() as uow:
        found = uow.collectors.queued(collector_id)
        assert [(p.number, p.amount, p.kid) for p in found] == [
            (1, Decimal("100.00"), ""),
            (2, Decimal("200.00"), "18"),
            (3, Decimal("-50.00"), ""),
        ]
        assert uow.collectors.find_bank_file(collector_id, "1" * 64, "ocr", "x") is not None
        assert uow.collectors.find_bank_file(collector_id, "9" * 64, "camt054", "M-2") is not None
        assert uow.collectors.find_bank_file(collector_id, "9" * 64, "ocr", "M-2") is None
        first = found[0]
        assert first.id is not None
        assert uow.collectors.assign(first.id, company_id, 77, DAY)
        assert not uow.collectors.assign(first.id, company_id, 78, DAY)  # assigned already
        uow.commit()
        assert [p.number for p in uow.collectors.queued(collector_id)] == [2, 3]
        everything = uow.collectors.queued(collector_id, everything=True)
        assert (everything[0].status, everything[0].payment_id) == ("assigned", 77)


def test_a_creditors_scope_sees_only_its_own_collector_and_claims_its_own_cases(
    run: Run, uow_factory: UnitOfWorkFactory
) -> None:
    two_companies_with_case_1(run)
    collector_id, (a, b) = collector_with_creditors(uow_factory)
    with uow_factory.unscoped() as uow:
        case_a, case_b = (uow.collectors.open_case_kids(c)[0][1] for c in (a, b))
        with uow.within(a, business_date=DAY) as scoped:
            assert scoped.client_kids.served() == (collector_id, 1)
            with pytest.raises(NotFound):  # company B's case, named in A's scope
                scoped.client_kids.register([("0002000000014", case_b)])
            scoped.client_kids.register([("0001000000016", case_a)])
            scoped.commit()
        uow.commit()
    with uow_factory.unscoped() as uow:
        assert uow.collectors.taken_kids(collector_id, ["0001000000016", "0002000000014"]) == {
            "0001000000016": a
        }


def test_a_company_no_collector_serves_claims_nothing(uow_factory: UnitOfWorkFactory) -> None:
    builders.company(uow_factory)
    with uow_factory(builders.scope(uow_factory)) as uow:
        assert uow.client_kids.served() is None
        uow.client_kids.register([])
