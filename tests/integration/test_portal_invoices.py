"""Fakturaer over HTTP in-process on both databases: the list's filters, search and
pages; an invoice's page with its PDF and EHF; sending to collection one by one and in
bulk (with the reasons why not, and nothing sent twice); purrefritak on an invoice and a
customer with the reason; a read-only user refused with nothing written; and another
company's invoice "not found"."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, select, update
from tests import builders
from tests.crash import table_rows
from tests.integration.test_portal_pages import _as, _client, _user_of_role, csrf_of

from fordring.adapters.db.engine import normalise_url
from fordring.adapters.db.tables import case_invoice, collection_case, company, invoice
from fordring.domain.errors import Conflict
from fordring.domain.text_input import parse_customer_details
from fordring.entrypoints.api.calls import RENDERING
from fordring.entrypoints.web import invoices_page
from fordring.services import invoice_portal
from fordring.services.customers import NewCustomer, add_customer
from fordring.services.invoice_documents import send_invoices
from fordring.services.invoicing import NewCreditNote, credit_invoice
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.write_offs import WriteOff, write_off

with warnings.catch_warnings():  # Starlette would have httpx2 (its client, not ours)
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration


@pytest.fixture
def shop(uow_factory: UnitOfWorkFactory) -> dict[str, int]:
    """Invoices 1-3 of Kari Nordmann (1 and 2 can be sent), 4 of Kunde AS credited in full;
    the other company has invoices 1-6."""
    builders.company(uow_factory)
    builders.company(uow_factory, builders.OTHER_ORGNR, name="Andre AS")
    kari = builders.consumer(uow_factory)
    firm = builders.business(uow_factory)
    for _ in range(3):
        builders.invoice(uow_factory, kari)
    builders.invoice(uow_factory, firm, "Lisens;1;500;25")
    credit_invoice(NewCreditNote(4), builders.scope(uow_factory), uow_factory)
    fields = {"kind": "consumer", "name": "Ola Annen", "address": "Vei 9", "postcode": "0565"}
    details = parse_customer_details({**fields, "city": "Oslo"})
    other = builders.scope(uow_factory, builders.OTHER_ORGNR)
    ola = add_customer(NewCustomer(details), other, uow_factory).number
    for _ in range(6):
        builders.invoice(uow_factory, ola, orgnr=builders.OTHER_ORGNR)
    return {"kari": kari, "firm": firm}


@pytest.fixture
def client(database_url: str, shop: dict[str, int]) -> Iterator[TestClient]:
    with _client(database_url) as client:
        yield client


def _numbers(page: httpx.Response) -> list[int]:
    return [int(n) for n in re.findall(r'<tr data-number="(\d+)"', page.text)]


def _states(page: httpx.Response) -> dict[int, str]:
    """Each listed invoice's state as its row shows it (not the filter's options)."""
    rows = re.findall(r'<tr data-number="(\d+)">.*?class="state state-(\w+)"', page.text, re.S)
    return {int(n): state for n, state in rows}


def test_the_list_filters_searches_and_pages_newest_first(
    client: TestClient, uow_factory: UnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as(client, _user_of_role(uow_factory, "read_only"))
    listed = client.get("/portal/invoices")
    assert listed.status_code == 200
    assert _numbers(listed) == [4, 3, 2, 1]  # invoices only, the credit note (5) is not listed
    assert _states(listed) == {4: "credited", 3: "overdue", 2: "overdue", 1: "overdue"}
    assert "2\xa0500,00" in listed.text  # 2 hours at 1 000 and 25 % VAT, the Norwegian way
    assert _numbers(client.get("/portal/invoices?state=credited")) == [4]
    assert _numbers(client.get("/portal/invoices?state=overdue")) == [3, 2, 1]
    assert _numbers(client.get("/portal/invoices?state=open")) == [3, 2, 1]
    assert _numbers(client.get("/portal/invoices?state=paid")) == []
    assert _numbers(client.get("/portal/invoices?state=in_collection")) == []
    assert _numbers(client.get("/portal/invoices?customer=10001")) == [4]
    assert _numbers(client.get("/portal/invoices?q=kunde")) == [4]  # the name, any case
    assert _numbers(client.get("/portal/invoices?q=2")) == [2]  # the number
    assert _numbers(client.get("/portal/invoices?due_from=2026-03-16&due_to=2026-03-16")) == [
        4,
        3,
        2,
        1,
    ]
    assert _numbers(client.get("/portal/invoices?due_to=2026-03-15")) == []
    bad = client.get("/portal/invoices?customer=x&due_from=13.13.2026")
    assert bad.status_code == 422 and "Ikke en dato" in bad.text and _numbers(bad) == []
    monkeypatch.setattr(invoices_page, "PAGE", 3)
    first = client.get("/portal/invoices")
    assert _numbers(first) == [4, 3, 2] and 'href="/portal/invoices?after=2"' in first.text
    assert _numbers(client.get("/portal/invoices?after=2")) == [1]


def test_the_search_finds_by_kid_and_customer_number(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    _as(client, _user_of_role(uow_factory, "read_only"))
    page = client.get("/portal/invoices/3")
    kid = re.search(r"<dt>KID</dt><dd>(\d+)</dd>", page.text)
    assert kid is not None
    assert _numbers(client.get(f"/portal/invoices?q={kid.group(1)}")) == [3]
    assert _numbers(client.get("/portal/invoices?q=10000")) == [3, 2, 1]


def test_digits_that_are_not_ascii_are_refused_not_a_500(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    _as(client, _user_of_role(uow_factory, "read_only"))
    for odd in ("²", "٣", "1²"):
        refused = client.get("/portal/invoices", params={"customer": odd})
        assert refused.status_code == 422 and "Et kundenummer er et heltall" in refused.text, odd
        searched = client.get("/portal/invoices", params={"q": odd})
        assert searched.status_code == 200 and _numbers(searched) == [], odd
        for path in ("", "/pdf", "/ehf"):
            assert client.get(f"/portal/invoices/{odd}{path}").status_code == 404, (odd, path)
        asked = client.get("/portal/invoices/collection", params={"number": odd})
        assert asked.status_code == 200 and "Ingen fakturaer er valgt." in asked.text


def _change_invoice(database_url: str, number: int, **values: object) -> None:
    """Change the first company's invoice `number` behind the services' back (a KID of a
    kind the builders make none of, a change the portal did not make)."""
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.begin() as connection:
            first = select(company.c.id).where(company.c.orgnr == builders.ORGNR)
            connection.execute(
                update(invoice)
                .where(
                    (invoice.c.company_id == first.scalar_subquery()) & (invoice.c.number == number)
                )
                .values(**values)
            )
    finally:
        engine.dispose()


def test_the_search_finds_kids_ending_in_a_dash_long_ones_and_typed_in_groups(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _change_invoice(
        database_url, 3, kid="1000000000000000000000034"
    )  # 25 digits: no invoice number
    _change_invoice(database_url, 2, kid="0000000000000002-")  # MOD11, its check digit '-'
    _as(client, _user_of_role(uow_factory, "read_only"))
    for q, found in (
        ("1000000000000000000000034", [3]),
        ("10000 00000 00000 00000 00034", [3]),
        ("0000000000000002-", [2]),
        (" 0000 0000 0000 0002- ", [2]),
        ("1 0000", [3, 2, 1]),  # the customer number typed with a space
        ("10000000000000000000000340", []),  # 26 characters: no KID, no number
    ):
        searched = client.get("/portal/invoices", params={"q": q})
        assert searched.status_code == 200 and _numbers(searched) == found, q


def test_an_invoice_page_shows_lines_reasons_and_its_documents(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    _as(client, _user_of_role(uow_factory, "read_only"))
    page = client.get("/portal/invoices/4")
    assert page.status_code == 200
    assert "Lisens" in page.text and "625,00" in page.text
    assert 'data-code="SETTLED"' in page.text  # cannot be sent: nothing open
    assert "Send til inkasso</button>" not in page.text  # read-only: no action buttons
    assert "Sett purrefritak" not in page.text
    pdf = client.get("/portal/invoices/4/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    ehf = client.get("/portal/invoices/4/ehf")
    assert ehf.status_code == 200 and b"<Invoice" in ehf.content


def test_the_pdf_is_rendered_holding_the_renderers_lock(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    _as(client, _user_of_role(uow_factory, "read_only"))
    application = client.app.state.application  # type: ignore[attr-defined]
    renderer = application.invoices
    held: list[bool] = []

    class Watching:
        def render_invoices(self, documents: list[object]) -> list[bytes]:
            held.append(RENDERING.locked())
            rendered: list[bytes] = renderer.render_invoices(documents)
            return rendered

    application.__dict__["invoices"] = Watching()
    try:
        assert client.get("/portal/invoices/3/pdf").status_code == 200
    finally:
        application.__dict__["invoices"] = renderer
    assert held == [True]


def test_another_companys_invoice_is_not_found(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "administrator"))
    for path in ("/portal/invoices/6", "/portal/invoices/6/pdf", "/portal/invoices/6/ehf"):
        assert client.get(path).status_code == 404, path
    for path in ("", "/pdf", "/ehf"):  # a credit note's (5) documents as its page
        assert client.get(f"/portal/invoices/5{path}").status_code == 404, path
    page = client.get("/portal/invoices")
    before = table_rows(database_url)
    posted = client.post(
        "/portal/invoices/6/exemption",
        data={"subject": "invoice", "exempt": "yes", "reason": "x", "csrf_token": csrf_of(page)},
    )
    assert posted.status_code == 404
    assert table_rows(database_url) == before


def test_sending_in_bulk_confirms_sends_the_eligible_and_never_twice(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "finance_user"))
    confirm = client.get("/portal/invoices/collection?number=1&number=2&number=4")
    assert confirm.status_code == 200
    assert "2 av de 3 valgte fakturaene kan sendes til inkasso" in confirm.text
    assert 'data-code="SETTLED"' in confirm.text
    token = csrf_of(confirm)
    sent = client.post(
        "/portal/invoices/collection",
        data={"number": ["1", "2", "4"], "csrf_token": token},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    result = client.get(sent.headers["location"])
    assert "Sendt til inkasso: 2 av 3." in result.text
    assert len(re.findall(r'<tr data-number="\d+" class="sent"', result.text)) == 2
    cases = table_rows(database_url)["collection_case"]
    assert len(cases) >= 1
    before = table_rows(database_url)
    again = client.post(
        "/portal/invoices/collection",
        data={"number": ["1", "2"], "csrf_token": token},
    )
    assert "Sendt til inkasso: 0 av 2." in again.text
    assert again.text.count('data-code="ALREADY_SENT"') == 2
    assert table_rows(database_url)["collection_case"] == before["collection_case"]
    assert _numbers(client.get("/portal/invoices?state=in_collection")) == [2, 1]


def test_the_confirmation_posts_only_the_invoices_it_said_can_be_sent(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    """An invoice listed as "cannot be sent" that becomes sendable before the post is not
    sent: the form carries only the ready ones."""
    _as(client, _user_of_role(uow_factory, "finance_user"))
    token = csrf_of(client.get("/portal/invoices/2"))
    exempt = {"subject": "invoice", "exempt": "yes", "reason": "Tvist", "csrf_token": token}
    client.post("/portal/invoices/2/exemption", data=exempt)
    confirm = client.get("/portal/invoices/collection?number=1&number=2")
    assert 'data-code="INVOICE_EXEMPT"' in confirm.text
    form = re.search(r'<form method="post"[^>]*class="confirm">(.*?)</form>', confirm.text, re.S)
    assert form is not None
    posted = re.findall(r'name="number" value="(\d+)"', form.group(1))
    assert posted == ["1"]
    client.post("/portal/invoices/2/exemption", data={**exempt, "exempt": "no"})
    assert "Kan sendes til inkasso." in client.get("/portal/invoices/2").text  # eligible now
    done = client.post(
        "/portal/invoices/collection", data={"number": posted, "csrf_token": csrf_of(confirm)}
    )
    assert "Sendt til inkasso: 1 av 1." in done.text
    assert _numbers(client.get("/portal/invoices?state=in_collection")) == [1]


def test_sending_one_from_its_page(client: TestClient, uow_factory: UnitOfWorkFactory) -> None:
    _as(client, _user_of_role(uow_factory, "finance_user"))
    page = client.get("/portal/invoices/3")
    assert "Kan sendes til inkasso." in page.text and "Send til inkasso</button>" in page.text
    done = client.post(
        "/portal/invoices/collection", data={"number": "3", "csrf_token": csrf_of(page)}
    )
    assert done.status_code == 200 and "Sendt til inkasso: 1 av 1." in done.text
    assert "I inkasso" in client.get("/portal/invoices/3").text


def test_purrefritak_is_set_with_a_reason_shown_and_lifted(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "finance_user"))
    page = client.get("/portal/invoices/2")
    token = csrf_of(page)
    before = table_rows(database_url)
    missing = client.post(
        "/portal/invoices/2/exemption",
        data={"subject": "invoice", "exempt": "yes", "reason": " ", "csrf_token": token},
    )
    assert missing.status_code == 422 and 'data-field="reason"' in missing.text
    assert table_rows(database_url) == before
    data = {"subject": "invoice", "exempt": "yes", "reason": "Tvist om leveransen"}
    done = client.post("/portal/invoices/2/exemption", data={**data, "csrf_token": token})
    assert done.status_code == 200 and "Tvist om leveransen" in done.text
    assert 'data-code="INVOICE_EXEMPT"' in done.text
    twice = table_rows(database_url)
    client.post("/portal/invoices/2/exemption", data={**data, "csrf_token": token})
    assert table_rows(database_url) == twice  # the same again changes nothing
    listed = client.get("/portal/invoices")
    assert "Purrefritak" in listed.text
    customer = {"subject": "customer", "exempt": "yes", "reason": "Dødsbo"}
    done = client.post("/portal/invoices/1/exemption", data={**customer, "csrf_token": token})
    assert 'data-code="CUSTOMER_EXEMPT"' in done.text and "Dødsbo" in done.text
    assert 'data-code="CUSTOMER_EXEMPT"' in client.get("/portal/invoices/3").text
    lift = {"subject": "invoice", "exempt": "no", "reason": "", "csrf_token": token}
    lifted = client.post("/portal/invoices/2/exemption", data=lift)
    assert 'data-code="INVOICE_EXEMPT"' not in lifted.text


def test_purrefritak_is_changed_only_by_yes_or_no(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "finance_user"))
    token = csrf_of(client.get("/portal/invoices/2"))
    data = {"subject": "invoice", "exempt": "yes", "reason": "Tvist", "csrf_token": token}
    client.post("/portal/invoices/2/exemption", data=data)
    before = table_rows(database_url)
    for exempt in ("", "YES", "true", "0"):
        refused = client.post("/portal/invoices/2/exemption", data={**data, "exempt": exempt})
        assert refused.status_code == 422 and 'data-field="exempt"' in refused.text, exempt
        assert "ingenting ble endret" in refused.text
    missing = {k: v for k, v in data.items() if k != "exempt"}
    assert client.post("/portal/invoices/2/exemption", data=missing).status_code == 422
    assert table_rows(database_url) == before  # still exempt: nothing lifted it
    assert 'data-code="INVOICE_EXEMPT"' in client.get("/portal/invoices/2").text


def test_purrefritak_is_refused_on_an_invoice_in_collection(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "finance_user"))
    token = csrf_of(client.get("/portal/invoices/3"))
    client.post("/portal/invoices/collection", data={"number": "3", "csrf_token": token})
    before = table_rows(database_url)
    data = {"subject": "invoice", "exempt": "yes", "reason": "Tvist", "csrf_token": token}
    refused = client.post("/portal/invoices/3/exemption", data=data)
    assert refused.status_code == 422 and 'data-field="exempt"' in refused.text
    assert "sett saken på pause i stedet" in refused.text
    assert table_rows(database_url) == before
    other = client.post("/portal/invoices/2/exemption", data=data)  # not in collection
    assert other.status_code == 200 and 'data-code="INVOICE_EXEMPT"' in other.text


def test_the_last_note_is_shown_only_while_it_tells_the_state(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "finance_user"))
    token = csrf_of(client.get("/portal/invoices/2"))
    data = {"subject": "invoice", "exempt": "yes", "reason": "Tvist om leveransen"}
    assert (
        "Tvist om leveransen"
        in client.post("/portal/invoices/2/exemption", data={**data, "csrf_token": token}).text
    )
    _change_invoice(database_url, 2, reminder_exempt=False)  # lifted without a note
    page = client.get("/portal/invoices/2").text
    assert "Tvist om leveransen" not in page
    assert 'data-code="INVOICE_EXEMPT"' not in page


def test_a_purrefritak_changed_meanwhile_is_a_conflict_and_nothing_is_written(
    uow_factory: UnitOfWorkFactory, shop: dict[str, int]
) -> None:
    """The write is guarded by the value read: someone changing it in between loses no
    change silently."""
    with uow_factory(builders.scope(uow_factory)) as uow:
        browser = uow.invoice_browser
        connection = browser.connection  # type: ignore[attr-defined]

        class Racing:
            """The connection, with another change landing right after the first read."""

            def __init__(self) -> None:
                self.reads = 0

            def execute(self, statement: Any, *args: Any) -> Any:
                result = connection.execute(statement, *args)
                self.reads += 1
                if self.reads == 1:
                    result = list(result)  # read it before the other change
                    connection.execute(
                        update(invoice).where(invoice.c.number == 2).values(reminder_exempt=True)
                    )
                    return _Rows(result)
                return result

        browser.connection = Racing()  # type: ignore[attr-defined]
        with pytest.raises(Conflict):
            browser.set_exempt("invoice", 2, True)


class _Rows:
    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    def scalar_one_or_none(self) -> Any:
        return self.rows[0][0] if self.rows else None


def test_a_read_only_user_is_refused_every_action_and_nothing_is_written(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "read_only"))
    page = client.get("/portal/invoices")
    assert 'type="checkbox"' not in page.text and "Send de valgte" not in page.text
    token = csrf_of(page)
    before = table_rows(database_url)
    posts: list[tuple[str, dict[str, object]]] = [
        ("/portal/invoices/collection", {"number": ["1", "2"]}),
        ("/portal/invoices/1/exemption", {"subject": "invoice", "exempt": "yes", "reason": "x"}),
        ("/portal/invoices/1/exemption", {"subject": "customer", "exempt": "yes", "reason": "x"}),
    ]
    for path, data in posts:
        refused = client.post(path, data={**data, "csrf_token": token})
        assert refused.status_code == 403, path
    assert table_rows(database_url) == before


def test_a_filtered_list_looks_at_a_window_of_invoices_and_the_next_page_goes_on(
    client: TestClient, uow_factory: UnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as(client, _user_of_role(uow_factory, "read_only"))
    monkeypatch.setattr(invoice_portal, "WINDOW", 3)
    first = client.get("/portal/invoices?state=overdue")
    assert _numbers(first) == [3]  # 5 (the credit note), 4 (credited) and 3 looked at
    assert "Søkte i fakturaene ned til nummer 3" in first.text
    assert 'href="/portal/invoices?state=overdue&amp;after=3"' in first.text
    assert _numbers(client.get("/portal/invoices?state=overdue&after=3")) == [2, 1]


def test_a_window_that_found_none_says_so_not_that_none_match(
    client: TestClient, uow_factory: UnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as(client, _user_of_role(uow_factory, "read_only"))
    monkeypatch.setattr(invoice_portal, "WINDOW", 2)
    first = client.get("/portal/invoices?state=overdue")  # 5 (the credit note) and 4 looked at
    assert _numbers(first) == []
    assert "Ingen fakturaer passer." not in first.text
    assert "Ingen blant fakturaene ned til nummer 4; neste side søker videre." in first.text
    assert 'href="/portal/invoices?state=overdue&amp;after=4"' in first.text
    assert _numbers(client.get("/portal/invoices?state=overdue&after=4")) == [3, 2]
    none = client.get("/portal/invoices?state=in_collection&after=2")  # the last window
    assert _numbers(none) == [] and "Ingen fakturaer passer." in none.text


def test_too_many_invoices_or_a_backward_date_range_are_named_and_nothing_is_sent(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "finance_user"))
    many = [str(n) for n in range(1, invoice_portal.MAX_SENT + 2)]
    asked = client.get("/portal/invoices/collection", params={"number": many})
    assert asked.status_code == 422 and "Velg høyst 200 fakturaer" in asked.text
    before = table_rows(database_url)
    sent = client.post(
        "/portal/invoices/collection", data={"number": many, "csrf_token": csrf_of(asked)}
    )
    assert sent.status_code == 422 and "Velg høyst 200 fakturaer" in sent.text
    assert table_rows(database_url) == before
    backward = client.get("/portal/invoices?due_from=2026-03-17&due_to=2026-03-16")
    assert backward.status_code == 422 and "Siste forfallsdato er før den første" in backward.text


def test_an_invoice_page_shows_its_credits_and_its_delivery(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    # queued for delivery
    send_invoices(builders.scope(uow_factory), [3], uow_factory, builders.PIN_KEY)
    _as(client, _user_of_role(uow_factory, "read_only"))
    credited = client.get("/portal/invoices/4").text
    assert "Ingenting er betalt eller kreditert ennå." not in credited
    assert "-625,00" in credited  # the credit note's posting on the invoice
    queued = client.get("/portal/invoices/3").text
    assert "Venter" in queued and "lagt i kø" in queued
    row = re.search(r'<tr data-number="3">.*?</tr>', client.get("/portal/invoices").text, re.S)
    assert row is not None and "Venter" in row.group(0)


def test_a_write_down_is_no_payment_on_the_invoices_page(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    """A write-down (TAP) credits the provision (1580), not the open item: the page lists
    what was paid or credited on the customer ledger only."""
    write_off(WriteOff(2, Decimal("100")), builders.scope(uow_factory), uow_factory)
    _as(client, _user_of_role(uow_factory, "read_only"))
    page = client.get("/portal/invoices/2").text
    assert "Ingenting er betalt eller kreditert ennå." in page
    assert "Tap på faktura 2" not in page


def test_an_invoice_whose_case_closed_is_no_longer_in_collection(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _as(client, _user_of_role(uow_factory, "finance_user"))
    token = csrf_of(client.get("/portal/invoices"))
    for number in ("1", "2"):  # a case each (sent together, the debtor's would be one)
        client.post("/portal/invoices/collection", data={"number": number, "csrf_token": token})
    assert _numbers(client.get("/portal/invoices?state=in_collection")) == [2, 1]
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.begin() as connection:
            first = select(company.c.id).where(company.c.orgnr == builders.ORGNR)
            of_1 = (
                select(case_invoice.c.case_id)
                .join(invoice, invoice.c.id == case_invoice.c.invoice_id)
                .where((invoice.c.company_id == first.scalar_subquery()) & (invoice.c.number == 1))
            )
            connection.execute(
                update(collection_case).where(collection_case.c.id.in_(of_1)).values(state="closed")
            )
    finally:
        engine.dispose()
    assert _numbers(client.get("/portal/invoices?state=in_collection")) == [2]
    assert _numbers(client.get("/portal/invoices?state=overdue")) == [3, 1]
    row = re.search(r'<tr data-number="1">.*?</tr>', client.get("/portal/invoices").text, re.S)
    assert row is not None and "I inkasso" not in row.group(0) and "Forfalt" in row.group(0)


def test_the_name_search_folds_norwegian_letters(
    client: TestClient, uow_factory: UnitOfWorkFactory
) -> None:
    """SQLite's lower() and LIKE fold ASCII only: 'østby' would not find 'Østby AS'."""
    ostby = builders.consumer(uow_factory, "Østby AS")
    builders.invoice(uow_factory, ostby)  # invoice 6
    _as(client, _user_of_role(uow_factory, "read_only"))
    for q in ("østby", "ØSTBY", "Østby as", "stby"):
        assert _numbers(client.get("/portal/invoices", params={"q": q})) == [6], q
    assert _numbers(client.get("/portal/invoices", params={"q": "Øst%"})) == []  # no wildcard


def test_the_state_filters_open_overdue_and_paid_tell_them_apart(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    _change_invoice(database_url, 1, due_date=date(2099, 1, 1))  # open, not yet due
    _change_invoice(database_url, 2, open_amount=Decimal(0))  # paid (no credit note)
    _as(client, _user_of_role(uow_factory, "read_only"))
    assert _numbers(client.get("/portal/invoices?state=open")) == [3, 1]  # the overdue too
    assert _numbers(client.get("/portal/invoices?state=overdue")) == [3]
    paid = client.get("/portal/invoices?state=paid")
    assert _numbers(paid) == [2] and _states(paid) == {2: "paid"}
    assert _numbers(client.get("/portal/invoices?state=credited")) == [4]
    assert _states(client.get("/portal/invoices")) == {
        4: "credited",
        3: "overdue",
        2: "paid",
        1: "open",
    }


def test_another_companys_number_is_neither_confirmed_nor_sent(
    client: TestClient, uow_factory: UnitOfWorkFactory, database_url: str
) -> None:
    """Invoice 6 is the other company's only: not listed, not sent, nothing written."""
    _as(client, _user_of_role(uow_factory, "finance_user"))
    asked = client.get("/portal/invoices/collection?number=6")
    assert asked.status_code == 200 and _numbers(asked) == []
    assert "Ingen fakturaer er valgt." in asked.text
    before = table_rows(database_url)
    sent = client.post(
        "/portal/invoices/collection", data={"number": ["6", "3"], "csrf_token": csrf_of(asked)}
    )
    assert sent.status_code == 200 and _numbers(sent) == [3]  # its own 3 only
    after = table_rows(database_url)
    other_cases = [c for c in after["collection_case"] if c not in before["collection_case"]]
    assert len(other_cases) == 1  # invoice 3's
    assert _numbers(client.get("/portal/invoices?state=in_collection")) == [3]
