"""Innbetalinger and Oppgjør over HTTP in-process on the test's database (web/
payments_page.py, web/settlements_page.py): a real OCR giro and camt.054 file uploaded,
a bad one and the same one again refused with nothing written, an unmatched payment
matched by hand against several invoices, refunded, kept as credit; a settlement listed,
shown and downloaded; a read-only user refused (403, nothing written); another company's
payment or settlement not found (404)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from tests import builders
from tests.crash import table_rows
from tests.scenarios.bankfiles import Paid, camt054_file, ocr_file
from tests.settled import COLLECTOR, settled_payment

from fordring import bootstrap
from fordring.adapters.passwords import Argon2PasswordHasher
from fordring.domain.errors import Conflict
from fordring.entrypoints.api.app import create_app
from fordring.entrypoints.web import payments_page, settlements_page
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.users import NewUser, add_user

with warnings.catch_warnings():  # Starlette would have httpx2 (its client, not ours)
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration

PASSWORD = "riktig-passord-42"
FINANCE, READER, OTHER = "kari@test.no", "les@test.no", "ola@andre.no"
SECRET = "test-api-key-secret-0123456789"
UNKNOWN_KID = "0000009993"  # a valid MOD10 KID that nothing has: the payment waits


def _client(database_url: str) -> TestClient:
    application = bootstrap.Application(
        bootstrap.Settings(database_url=database_url, api_key_secret=SECRET)
    )
    application.__dict__["password_hasher"] = Argon2PasswordHasher(time_cost=1, memory_cost=1024)
    return TestClient(create_app(application), base_url="http://127.0.0.1")


@pytest.fixture
def database(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """Test AS with a finance user and a read-only user; Andre AS with a user of its own."""
    builders.company(uow_factory)
    builders.company(uow_factory, builders.OTHER_ORGNR, name="Andre AS")
    fast = Argon2PasswordHasher(time_cost=1, memory_cost=1024)
    for email, role, orgnr in (
        (FINANCE, "finance_user", builders.ORGNR),
        (READER, "read_only", builders.ORGNR),
        (OTHER, "finance_user", builders.OTHER_ORGNR),
    ):
        user = NewUser(email, email.split("@")[0].title(), role, PASSWORD)
        add_user(user, builders.scope(uow_factory, orgnr), uow_factory, fast)
    return uow_factory


def _signed_in(database_url: str, email: str, orgnr: str = builders.ORGNR) -> TestClient:
    client = _client(database_url)
    form = client.get("/portal/sign-in")
    data = {"orgnr": orgnr, "email": email, "password": PASSWORD, "csrf_token": csrf_of(form)}
    done = client.post("/portal/sign-in", data=data, follow_redirects=False)
    assert done.status_code == 303, done.text
    return client


@pytest.fixture
def finance(database: UnitOfWorkFactory, database_url: str) -> Iterator[TestClient]:
    with _signed_in(database_url, FINANCE) as client:
        yield client


@pytest.fixture
def reader(database: UnitOfWorkFactory, database_url: str) -> Iterator[TestClient]:
    with _signed_in(database_url, READER) as client:
        yield client


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None, page.text
    return found.group(1)


def _days_ago(days: int) -> str:
    return (bootstrap.today() - timedelta(days=days)).isoformat()


def upload(client: TestClient, file: Path, *, htmx: bool = False) -> httpx.Response:
    token = csrf_of(client.get("/portal/payments"))
    headers = {"HX-Request": "true", "X-CSRF-Token": token} if htmx else {}
    answer: httpx.Response = client.post(
        "/portal/payments/upload",
        data={} if htmx else {"csrf_token": token},
        files={"file": (file.name, file.read_bytes(), "application/octet-stream")},
        headers=headers,
    )
    return answer


def post(client: TestClient, path: str, **fields: str | list[str]) -> httpx.Response:
    page = client.get(path.rsplit("/", 1)[0])
    data: dict[str, str | list[str]] = {"csrf_token": csrf_of(page), **fields}
    answer: httpx.Response = client.post(path, data=data, follow_redirects=False)
    return answer


def figure(page: httpx.Response, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]*)<', page.text)
    assert found is not None, page.text
    return found.group(1)


def unmatched_file(tmp_path: Path, *amounts: str, transmission: str = "1000001") -> Path:
    """An OCR giro file of payments with a KID that nothing has: each waits unmatched."""
    day = _days_ago(2)
    paid = [Paid(a, UNKNOWN_KID, day, archive_ref=f"{n:09d}") for n, a in enumerate(amounts, 1)]
    return ocr_file(tmp_path / f"ocr-{transmission}.txt", paid, transmission=transmission)


def test_an_ocr_file_is_imported_once_and_its_unmatched_payments_wait_with_suggestions(
    finance: TestClient, database: UnitOfWorkFactory, database_url: str, tmp_path: Path
) -> None:
    customer = builders.business(database)
    invoice = builders.invoice(database, customer)  # 2500.00 open: the suggestion
    kid = builders.invoice(database, customer).invoice.kid  # another, paid 100.00 by KID
    paid = [Paid("2500.00", UNKNOWN_KID, _days_ago(2)), Paid("100.00", kid, _days_ago(2))]
    file = ocr_file(tmp_path / "OCR.D061226", paid)
    done = upload(finance, file)
    assert done.status_code == 200, done.text
    assert "Importerte OCR.D061226" in done.text
    assert [figure(done, n) for n in ("payments", "matched", "unmatched")] == ["2", "1", "1"]
    assert figure(done, "total") == "2\xa0600,00"
    assert "Ingen innbetalinger venter" not in done.text  # the queue is not shown, but linked
    assert 'data-payment="' not in done.text and 'href="/portal/payments">' in done.text
    queue = finance.get("/portal/payments")
    assert 'data-payment="1"' in queue.text and 'data-payment="2"' not in queue.text
    assert f"Faktura {invoice.invoice.number} (2\xa0500,00)" in queue.text  # the suggestion
    every = finance.get("/portal/payments?show=all")
    assert 'data-payment="2"' in every.text and "Avstemt" in every.text

    before = table_rows(database_url)
    again = upload(finance, file)  # the same file: refused whole, nothing booked again
    assert again.status_code == 409
    assert "Denne filen er importert før, så ingenting ble bokført på nytt." in again.text
    assert table_rows(database_url) == before


def test_the_same_file_imported_at_the_same_moment_is_answered_as_imported_before(
    finance: TestClient, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lost = "file: 'ocr.txt' (ocr 1) was imported by someone else at the same moment"

    def other_won(*args: object) -> None:  # what the import that waited on the key raises
        raise Conflict(f"{lost}; nothing was booked")

    monkeypatch.setattr(payments_page, "import_bank_file", other_won)
    before = table_rows(database_url)
    for htmx in (False, True):
        again = upload(finance, unmatched_file(tmp_path, "100.00"), htmx=htmx)
        assert again.status_code == 409, again.text
        assert "Denne filen er importert før, så ingenting ble bokført på nytt." in again.text
        assert "at the same moment" in again.text
    assert table_rows(database_url) == before


def test_any_file_name_the_browser_sends_is_made_a_name_to_keep(
    finance: TestClient, tmp_path: Path
) -> None:
    """(A NUL httpx sends as %00: tests/unit/web/test_upload_name.py has it.)"""
    token = csrf_of(finance.get("/portal/payments"))
    for n, (sent, kept) in enumerate(
        [
            ("..", "upload"),
            (".", "upload"),
            ("../../etc/passwd", "passwd"),
            ("C:\\bank\\OCR.txt", "OCR.txt"),
            ("å" * 300, "å" * 100),  # 600 bytes: cut to 200
            ("x" * 300, "x" * 200),
        ],
        2,
    ):
        file = unmatched_file(tmp_path, "100.00", transmission=f"{1000000 + n}")
        done = finance.post(
            "/portal/payments/upload",
            data={"csrf_token": token},
            files={"file": (sent, file.read_bytes(), "text/plain")},
        )
        assert done.status_code == 200, (sent, done.text)
        assert f"Importerte {kept}" in done.text, sent


def test_a_page_after_the_largest_number_is_empty_and_one_beyond_refused(
    finance: TestClient,
) -> None:
    last = finance.get(f"/portal/payments?after={2**63 - 2}&show=all")
    assert last.status_code == 200 and 'data-payment="' not in last.text
    assert finance.get(f"/portal/payments?after={2**63 - 1}").status_code == 422
    assert finance.get(f"/portal/settlements?after={2**63 - 1}").status_code == 200
    assert finance.get(f"/portal/settlements/1?after={2**63 - 1}").status_code == 404


def test_a_camt054_file_is_imported_and_answered_as_htmx_asked(
    finance: TestClient, tmp_path: Path
) -> None:
    file = camt054_file(
        tmp_path / "camt054.xml",
        [Paid("1234.50", UNKNOWN_KID, _days_ago(1), payer_name="Ola Nordmann")],
        version="001.08",
        account=builders.ACCOUNT,
    )
    done = upload(finance, file, htmx=True)
    assert done.status_code == 200, done.text
    assert done.text.lstrip().startswith('<div id="upload-result"')  # the fragment only
    assert figure(done, "unmatched") == "1" and figure(done, "total") == "1\xa0234,50"
    shown = finance.get("/portal/payments/1")
    assert "Ola Nordmann" in shown.text and "1\xa0234,50" in shown.text


def test_a_bad_file_is_refused_naming_the_problem_and_nothing_is_written(
    finance: TestClient, database_url: str, tmp_path: Path
) -> None:
    before = table_rows(database_url)
    bad = tmp_path / "bad.txt"
    bad.write_text("this is no bank file\n")
    refused = upload(finance, bad)
    assert refused.status_code == 422
    assert "Filen ble avvist, og ingenting ble bokført:" in refused.text
    assert "Ingen innbetalinger venter" not in refused.text
    assert 'href="/portal/payments">' in refused.text
    assert "file" in refused.text
    nothing = finance.post(
        "/portal/payments/upload", data={"csrf_token": csrf_of(finance.get("/portal/payments"))}
    )
    assert nothing.status_code == 422 and "choose a bank file" in nothing.text
    assert table_rows(database_url) == before


def test_an_upload_over_the_limit_is_refused_before_it_is_read(
    finance: TestClient,
    reader: TestClient,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(payments_page.BODY_LIMITS, "/payments/upload", 2000)
    before = table_rows(database_url)
    token = csrf_of(finance.get("/portal/payments"))
    big = unmatched_file(tmp_path, *["100.00"] * 20)  # 20 payments: over 2000 bytes
    assert big.stat().st_size > 2000
    refused = upload(finance, big)
    assert refused.status_code == 413 and "Filen er større enn portalen tar imot" in refused.text
    # declared too large, it is refused unread: not parsed (a broken form would be a 400)
    unread = finance.post(
        "/portal/payments/upload",
        content=b"x" * 3000,
        headers={"Content-Type": "multipart/form-data; boundary=b", "X-CSRF-Token": token},
    )
    assert unread.status_code == 413
    # sent in chunks without a length, it is counted as it comes
    chunked = finance.post(
        "/portal/payments/upload",
        content=iter([b"x" * 1000] * 3),
        headers={"Content-Type": "multipart/form-data; boundary=b", "X-CSRF-Token": token},
    )
    assert chunked.status_code == 413
    anonymous = _client(database_url).post(
        "/portal/payments/upload", files={"file": (big.name, big.read_bytes(), "text/plain")}
    )
    assert anonymous.status_code == 413
    small = unmatched_file(tmp_path, "100.00", transmission="1000002")
    assert upload(reader, small).status_code == 403  # within the limit: the role refuses
    assert table_rows(database_url) == before
    assert upload(finance, small).status_code == 200


def test_an_unmatched_payment_is_matched_by_hand_against_several_invoices_once(
    finance: TestClient, database: UnitOfWorkFactory, database_url: str, tmp_path: Path
) -> None:
    customer = builders.business(database)
    first = builders.invoice(database, customer, on=bootstrap.today() - timedelta(days=5))
    second = builders.invoice(database, customer, on=bootstrap.today() - timedelta(days=5))
    assert upload(finance, unmatched_file(tmp_path, "5100.00")).status_code == 200
    shown = finance.get("/portal/payments/1")
    assert "Avstem manuelt" in shown.text and 'name="item"' not in shown.text  # no suggestion
    numbers = [str(first.invoice.number), str(second.invoice.number)]
    matched = post(finance, "/portal/payments/1/match", items=" ".join(numbers))
    assert (matched.status_code, matched.headers["location"]) == (
        303,
        "/portal/payments/1?done=matched",
    )
    shown = finance.get(matched.headers["location"])
    assert "Avstemt og bokført." in shown.text
    assert f'class="invoices">{", ".join(numbers)}<' in shown.text
    assert "Avstem manuelt" not in shown.text
    assert '<dt>Kreditt</dt><dd class="amount">100,00</dd>' in shown.text  # 5100 - 2 x 2500
    before = table_rows(database_url)
    again = post(finance, "/portal/payments/1/match", items=numbers[0])
    assert again.status_code == 409
    assert "Innbetalingen er ikke lenger uavstemt" in again.text
    assert table_rows(database_url) == before


def test_the_match_form_names_a_bad_item_and_writes_nothing(
    finance: TestClient, database_url: str, tmp_path: Path
) -> None:
    assert upload(finance, unmatched_file(tmp_path, "300.00")).status_code == 200
    before = table_rows(database_url)
    for items in ("faktura 12", "", "99999"):
        refused = post(finance, "/portal/payments/1/match", items=items)
        assert refused.status_code == 422, (items, refused.text)
        assert 'data-field="item"' in refused.text
    assert table_rows(database_url) == before


def test_a_suggestion_is_chosen_by_its_checkbox(
    finance: TestClient, database: UnitOfWorkFactory, tmp_path: Path
) -> None:
    customer = builders.business(database)
    invoice = builders.invoice(database, customer, on=bootstrap.today() - timedelta(days=5))
    assert upload(finance, unmatched_file(tmp_path, "2500.00")).status_code == 200
    shown = finance.get("/portal/payments/1")
    number = str(invoice.invoice.number)
    assert f'name="item" value="{number}"> Faktura {number}: Kunde AS,' in shown.text
    assert "skylder 2\xa0500,00 <small>(samme beløp)</small>" in shown.text
    done = post(finance, "/portal/payments/1/match", item=[number])
    assert done.status_code == 303, done.text
    assert f'class="invoices">{number}<' in finance.get("/portal/payments/1").text


def test_a_suggestion_ticked_and_typed_too_is_paid_once(
    finance: TestClient, database: UnitOfWorkFactory, tmp_path: Path
) -> None:
    customer = builders.business(database)
    invoice = builders.invoice(
        database, customer, "Konsulenttime;1;800;25", on=bootstrap.today() - timedelta(days=5)
    )  # 1000.00
    assert upload(finance, unmatched_file(tmp_path, "2000.00")).status_code == 200
    number = str(invoice.invoice.number)
    done = post(finance, "/portal/payments/1/match", item=[number], items=f"{number} {number}")
    assert done.status_code == 303, done.text
    shown = finance.get("/portal/payments/1")
    assert f'class="invoices">{number}<' in shown.text
    assert '<dt>Kreditt</dt><dd class="amount">1\xa0000,00</dd>' in shown.text
    with database(builders.scope(database)) as uow:
        stored = uow.invoices.get(invoice.invoice.number)
        assert stored is not None and stored.open_amount == 0


def test_an_unmatched_payment_is_refunded_once_and_another_kept_as_credit(
    finance: TestClient, database: UnitOfWorkFactory, database_url: str, tmp_path: Path
) -> None:
    customer = builders.business(database)
    assert upload(finance, unmatched_file(tmp_path, "700.00", "600.00")).status_code == 200
    refunded = post(finance, "/portal/payments/1/refund")
    assert refunded.status_code == 303, refunded.text
    shown = finance.get(refunded.headers["location"])
    assert "Tilbakebetalingen er bokført" in shown.text and 'class="refund"' not in shown.text
    before = table_rows(database_url)
    twice = post(finance, "/portal/payments/1/refund")
    assert twice.status_code == 409 and "ingenting igjen å tilbakebetale" in twice.text
    assert table_rows(database_url) == before

    unknown = post(finance, "/portal/payments/2/keep", customer="99999")
    assert unknown.status_code == 422 and 'data-field="customer"' in unknown.text
    assert table_rows(database_url) == before
    kept = post(finance, "/portal/payments/2/keep", customer=str(customer))
    assert kept.status_code == 303, kept.text
    shown = finance.get(kept.headers["location"])
    assert "Beholdt som kundens kreditt." in shown.text and str(customer) in shown.text
    again = post(finance, "/portal/payments/2/keep", customer=str(customer))
    assert again.status_code == 409


def test_a_read_only_user_sees_no_forms_and_is_refused_when_posting_anyway(
    finance: TestClient,
    reader: TestClient,
    database: UnitOfWorkFactory,
    database_url: str,
    tmp_path: Path,
) -> None:
    customer = builders.business(database)
    invoice = builders.invoice(database, customer)
    assert upload(finance, unmatched_file(tmp_path, "500.00")).status_code == 200
    listed = reader.get("/portal/payments")
    assert listed.status_code == 200 and 'data-payment="1"' in listed.text
    assert 'id="upload"' not in listed.text
    shown = reader.get("/portal/payments/1")
    assert shown.status_code == 200
    assert "<form" not in shown.text.split("</header>")[1]  # no match, keep or refund
    before = table_rows(database_url)
    token = csrf_of(reader.get("/portal/"))
    for path, data in (
        ("/portal/payments/1/match", {"items": str(invoice.invoice.number)}),
        ("/portal/payments/1/refund", {}),
        ("/portal/payments/1/keep", {"customer": str(customer)}),
    ):
        refused = reader.post(path, data={"csrf_token": token, **data})
        assert refused.status_code == 403, (path, refused.text)
        assert "Rollen din tillater ikke dette" in refused.text
    file = unmatched_file(tmp_path, "800.00", transmission="1000002")
    refused = reader.post(
        "/portal/payments/upload",
        data={"csrf_token": token},
        files={"file": (file.name, file.read_bytes(), "text/plain")},
    )
    assert refused.status_code == 403
    assert table_rows(database_url) == before


def test_another_companys_payment_is_not_found(
    finance: TestClient, database: UnitOfWorkFactory, database_url: str, tmp_path: Path
) -> None:
    with _signed_in(database_url, OTHER, builders.OTHER_ORGNR) as other:
        assert upload(other, unmatched_file(tmp_path, "100.00", "200.00")).status_code == 200
    assert (
        upload(finance, unmatched_file(tmp_path, "300.00", transmission="1000002")).status_code
        == 200
    )
    assert finance.get("/portal/payments/1").status_code == 200
    before = table_rows(database_url)
    assert finance.get("/portal/payments/2").status_code == 404  # Andre AS's second
    token = csrf_of(finance.get("/portal/"))
    for action, data in (("match", {"items": "1"}), ("refund", {}), ("keep", {"customer": "1"})):
        answer = finance.post(f"/portal/payments/2/{action}", data={"csrf_token": token, **data})
        assert answer.status_code == 404, (action, answer.text)
    assert table_rows(database_url) == before


def test_a_settlement_is_listed_shown_and_downloaded_to_its_company_only(
    finance: TestClient,
    reader: TestClient,
    database: UnitOfWorkFactory,
    database_url: str,
    tmp_path: Path,
) -> None:
    kid = settled_payment(database, tmp_path)
    listed = reader.get("/portal/settlements")
    assert listed.status_code == 200 and 'data-settlement="1"' in listed.text
    assert "2\xa0500,00" in listed.text
    assert reader.get("/portal/settlements?after=1").text.count("data-settlement=") == 0
    shown = reader.get("/portal/settlements/1")
    assert shown.status_code == 200
    assert COLLECTOR in shown.text and kid in shown.text
    csv = reader.get("/portal/settlements/1/csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert 'filename="oppgjor-1.csv"' in csv.headers["content-disposition"]
    assert kid in csv.text
    pdf = reader.get("/portal/settlements/1/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for path in ("/settlements/2", "/settlements/2/pdf", "/settlements/2/csv"):
        assert reader.get("/portal" + path).status_code == 404
    with _signed_in(database_url, OTHER, builders.OTHER_ORGNR) as other:
        assert 'data-settlement="' not in other.get("/portal/settlements").text
        for path in ("/settlements/1", "/settlements/1/pdf", "/settlements/1/csv"):
            assert other.get("/portal" + path).status_code == 404, path


def test_a_settlements_payments_are_shown_a_page_at_a_time(
    reader: TestClient, database: UnitOfWorkFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settled_payment(database, tmp_path, invoices=3)
    monkeypatch.setattr(settlements_page, "LINES", 2)
    first = reader.get("/portal/settlements/1")
    assert '<dd class="amount">7\xa0500,00</dd>' in first.text  # the settlement's, not the page's
    found = re.search(r'href="(/portal/settlements/1\?after=\d+)" rel="next"', first.text)
    assert found is not None, first.text
    rest = reader.get(found.group(1))
    assert 'rel="next"' not in rest.text
    # each payment once, a page of two and the rest: (its invoices, its amount)
    pages = [_settled_rows(first), _settled_rows(rest)]
    assert [len(rows) for rows in pages] == [2, 1]
    assert sorted(row for rows in pages for row in rows) == [
        (str(n), "2\xa0500,00") for n in (1, 2, 3)
    ]


def _settled_rows(page: httpx.Response) -> list[tuple[str, str]]:
    """A settlement page's payments: (invoices, amount) of each row of its table."""
    body = page.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in re.findall(r"(?s)<tr>(.*?)</tr>", body):
        cells = re.findall(r"(?s)<td[^>]*>(.*?)</td>", row)
        rows.append((cells[5], cells[6]))
    return rows


def test_the_navigation_links_both_pages(finance: TestClient) -> None:
    page = finance.get("/portal/")
    assert 'href="/portal/payments"' in page.text and 'href="/portal/settlements"' in page.text
