"""The REST API over a real `fordring serve` process (SQLite or PostgreSQL as the suite
runs): every route, 401/403/404 per role, two companies that never see each other, no
write on any 4xx, idempotent repeats (one at a time and 8 at once)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from tests import builders
from tests.api_server import Api, api_server, make_keys
from tests.conftest import BACKEND, Run
from tests.crash import table_rows
from tests.e2e.test_workers import Workers
from tests.scenarios.bankfiles import CLIENT_ACCOUNT, Paid, ocr_file
from tests.sql import connection

from fordring.domain.api_access import Role
from fordring.domain.identifiers import BankAccount
from fordring.domain.webhooks import WebhookType
from fordring.services.api_keys import revoke_api_key
from fordring.services.company_change import company_changes
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.e2e
B_FIRST_INVOICE = 5000
B_FIRST_CUSTOMER = 50000
UNKNOWN_KID = "0000009993"  # a valid MOD10 KID that nothing has: the payment waits
LINE = {"text": "Konsulenttime", "quantity": "7.5", "unit_price": "1200", "vat": "25"}


@dataclass
class World:
    api: Api
    a: dict[Role, str]  # company A's tokens by role
    b: dict[Role, str]  # company B's
    database_url: str
    uow_factory: UnitOfWorkFactory


@pytest.fixture
def world(
    database_url: str,
    uow_factory: UnitOfWorkFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[World]:
    builders.company(uow_factory)
    builders.company(
        uow_factory,
        builders.OTHER_ORGNR,
        name="Annen AS",
        account=BankAccount(builders.OTHER_ACCOUNT),
        first_invoice_number=B_FIRST_INVOICE,
        first_customer_number=B_FIRST_CUSTOMER,
    )
    a = make_keys(uow_factory, builders.ORGNR)
    b = make_keys(uow_factory, builders.OTHER_ORGNR)
    outbox = str(tmp_path / "outbox")
    monkeypatch.setenv("FORDRING_OUTBOX", outbox)  # the CLI's runs' and the server's
    with api_server(database_url, outbox) as api:
        yield World(api, a, b, database_url, uow_factory)


def customer_body(name: str = "Kunde AS", **more: Any) -> dict[str, Any]:
    return {"name": name, "orgnr": builders.CUSTOMER_ORGNR, "city": "Bergen", **more}


def seed(w: World, key: str) -> tuple[int, int, int]:
    """A customer, an invoice to it and a payment on it: their numbers."""
    customer = w.api.call("POST", "/customers", key, customer_body())
    assert customer.status_code == 201, customer.text
    number = customer.json()["number"]
    invoice = w.api.call("POST", "/invoices", key, {"customer": number, "lines": [LINE]})
    assert invoice.status_code == 201, invoice.text
    paid = w.api.call(
        "POST", "/payments", key, {"amount": "100", "invoice": invoice.json()["number"]}
    )
    assert paid.status_code == 201, paid.text
    return number, invoice.json()["number"], paid.json()["payment"]


def test_every_route_answers_with_the_clis_json(world: World) -> None:
    w, key = world, world.a[Role.API_USER]
    company = w.api.call("GET", "/company", key)
    assert company.status_code == 200
    assert company.json()["orgnr"] == builders.ORGNR and company.json()["terms_days"] == 14

    admin = w.a[Role.ADMINISTRATOR]
    terms = w.api.call("PATCH", "/company", admin, {"terms_days": 20, "city": "Bergen"})
    assert (terms.status_code, terms.json()["terms_days"]) == (200, 20), terms.text
    (change,) = company_changes(builders.scope(w.uow_factory), w.uow_factory)
    assert change.actor == "administrator key"  # the key's name
    assert change.fields["terms_days"] == ("14", "20")
    bad = w.api.call("PATCH", "/company", admin, {"account": "123", "kid_algorithm": "mod9"})
    assert {e["field"] for e in bad.json()["errors"]} == {"account", "kid_algorithm"}

    made = w.api.call("POST", "/customers", key, customer_body(email="post@kunde.no"))
    assert made.status_code == 201
    number = made.json()["number"]
    assert made.json()["email"] == "post@kunde.no"
    changed = w.api.call("PATCH", f"/customers/{number}", key, {"city": "Oslo", "exempt": True})
    assert changed.status_code == 200
    assert (changed.json()["city"], changed.json()["exempt"]) == ("Oslo", True)
    assert w.api.call("GET", f"/customers/{number}", key).json()["city"] == "Oslo"
    second = w.api.call("POST", "/customers", key, {"name": "Kari", "kind": "consumer"})
    page = w.api.call("GET", "/customers", key, params={"limit": 1})
    assert [c["number"] for c in page.json()["items"]] == [number]
    assert page.json()["next_after"] == number
    rest = w.api.call("GET", "/customers", key, params={"limit": 1, "after": number})
    assert [c["number"] for c in rest.json()["items"]] == [second.json()["number"]]
    assert rest.json()["next_after"] is None

    invoice = w.api.call(
        "POST", "/invoices", key, {"customer": number, "lines": [LINE, LINE], "terms": 10}
    )
    assert invoice.status_code == 201, invoice.text
    inv = invoice.json()
    assert (inv["total"], inv["open_amount"], inv["status"]) == ("22500.00", "22500.00", "open")
    assert inv["lines"][0]["amount"] == "9000.00"
    other = w.api.call(
        "POST", "/invoices", key, {"customer": second.json()["number"], "lines": [LINE]}
    )
    assert other.status_code == 201
    got = w.api.call("GET", f"/invoices/{inv['number']}", key)
    assert got.json() == inv
    credit = w.api.call("POST", f"/invoices/{inv['number']}/credit-notes", key, {"lines": [LINE]})
    assert credit.status_code == 201, credit.text
    assert (credit.json()["kind"], credit.json()["credits"]) == ("credit_note", inv["number"])
    assert w.api.call("GET", f"/invoices/{inv['number']}", key).json()["open_amount"] == "11250.00"

    listed = w.api.call("GET", "/invoices", key).json()
    assert [i["number"] for i in listed["items"]] == [
        inv["number"],
        inv["number"] + 1,
        inv["number"] + 2,
    ]
    notes = w.api.call("GET", "/invoices", key, params={"kind": "credit_note"}).json()
    assert [i["kind"] for i in notes["items"]] == ["credit_note"]
    mine = w.api.call("GET", "/invoices", key, params={"customer": number}).json()
    assert {i["customer"] for i in mine["items"]} == {number}
    first = w.api.call("GET", "/invoices", key, params={"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next_after"] == inv["number"] + 1

    pdf = w.api.call("GET", f"/invoices/{inv['number']}/pdf", key)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    ehf = w.api.call("GET", f"/invoices/{inv['number']}/ehf", key)
    assert ehf.status_code == 200 and b"<Invoice" in ehf.content
    sent = w.api.call("POST", f"/invoices/{inv['number']}/send", key)
    assert (sent.status_code, sent.json()) == (202, {"queued": 1})
    again = w.api.call("POST", f"/invoices/{inv['number']}/send", key)
    assert again.json() == {"queued": 0}

    spec = w.api.client.get(w.api.base + "/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    docs = w.api.client.get(w.api.base.removesuffix("/v1") + "/docs")
    assert docs.status_code == 200 and "POST /api/v1/invoices" in docs.text


def test_payments_are_registered_listed_and_matched_by_hand(world: World, tmp_path: Path) -> None:
    w, key = world, world.a[Role.API_USER]
    c, i, _ = seed(w, key)
    kid = w.api.call("GET", f"/invoices/{i}", key).json()["kid"]
    paid = w.api.call("POST", "/payments", key, {"amount": "1250.00", "kid": kid})
    assert paid.status_code == 201, paid.text
    assert paid.json()["applied"] == [{"to": f"invoice {i}", "amount": "1250.00"}]
    assert w.api.call("GET", f"/invoices/{i}", key).json()["open_amount"] == "9900.00"
    unknown = w.api.call("POST", "/payments", key, {"amount": "500", "kid": UNKNOWN_KID})
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (422, "kid")
    file = ocr_file(
        tmp_path / "ocr.txt",
        [Paid(f"{n}00.00", UNKNOWN_KID, "2026-03-13") for n in (5, 6, 7)],
    )
    upload = w.api.client.post(
        w.api.base + "/payments/bank-files",
        content=file.read_bytes(),
        params={"filename": "../ocr.txt"},
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/octet-stream"},
    )
    assert upload.status_code == 201, upload.text
    assert (upload.json()["payments"], upload.json()["unmatched"]) == (3, 3)
    before = table_rows(w.database_url)
    for content in (file.read_bytes(), b"not a bank file"):
        again = w.api.client.post(
            w.api.base + "/payments/bank-files",
            content=content,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/octet-stream"},
        )
        assert again.status_code == 422, again.text
    assert table_rows(w.database_url) == before
    waiting = w.api.call("GET", "/payments", key, params={"unmatched": "true"}).json()
    stray, kept, refunded = waiting["items"]
    assert (stray["amount"], stray["status"], stray["kid"]) == ("500.00", "unmatched", UNKNOWN_KID)
    keep = w.api.call("POST", f"/payments/{kept['payment']}/keep", key, {"customer": c})
    assert keep.status_code == 200 and keep.json()["customer"] == c, keep.text
    back = w.api.call("POST", f"/payments/{refunded['payment']}/refund", key)
    assert back.status_code == 200 and back.json()["refunded"] == "700.00", back.text
    twice = w.api.call("POST", f"/payments/{refunded['payment']}/refund", key)
    assert twice.status_code == 409, twice.text
    every = w.api.call("GET", "/payments", key, params={"limit": 1}).json()
    assert every["next_after"] == 1  # the seed's payment, then the one above
    matched = w.api.call("POST", f"/payments/{stray['payment']}/match", key, {"items": [str(i)]})
    assert matched.status_code == 200, matched.text
    assert matched.json()["applied"] == [{"to": f"invoice {i}", "amount": "500.00"}]
    shown = w.api.call("GET", f"/payments/{stray['payment']}", key).json()
    assert (shown["status"], shown["invoices"]) == ("matched", [i])
    again = w.api.call("POST", f"/payments/{stray['payment']}/match", key, {"items": [str(i)]})
    assert again.status_code in (409, 422), again.text
    bad = w.api.call("POST", "/payments", key, {"amount": "1e3", "kid": "123", "to": "x"})
    assert {e["field"] for e in bad.json()["errors"]} == {"amount", "kid", "to"}


def test_cases_are_listed_and_shown_with_history_to_their_company_only(
    world: World, run: Run
) -> None:
    w = world
    builders.cli_case_1(run)  # case 1 of company A, sent 2026-03-05
    key = w.a[Role.READ_ONLY]
    listed = w.api.call("GET", "/cases", key).json()
    assert [(c["number"], c["invoices"], c["principal"]) for c in listed["items"]] == [
        (1, [1], "2500.00")
    ]
    assert w.api.call("GET", "/cases", key, params={"state": "closed"}).json()["items"] == []
    bad = w.api.call("GET", "/cases", key, params={"state": "lost"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "state"
    case = w.api.call("GET", "/cases/1", key).json()
    assert case["case"]["customer"] == 10000 and case["history"]
    assert case["history"][0]["kind"] == "registered"
    for line in ("Vare;1;400;25", "Vare;1;800;25"):  # invoices 2 and 3, and their cases
        on = ("--company", builders.ORGNR)
        done = run(
            *on, "invoice", "create", "--customer", "10000", "--line", line, date="2026-02-16"
        )
        assert done.exit_code == 0, done.output
    sent = run("--company", builders.ORGNR, "collection", "send", "2", "3", date="2026-03-06")
    assert sent.exit_code == 0, sent.output
    whole = w.api.call("GET", "/cases", key).json()["items"]
    paged, after = [], None
    while True:  # pages of one case each hold each case whole, with all its invoices
        asked = {"limit": 1} if after is None else {"limit": 1, "after": after}
        page = w.api.call("GET", "/cases", key, params=asked).json()
        paged += page["items"]
        after = page["next_after"]
        if after is None:
            break
    assert paged == whole and sorted(i for c in whole for i in c["invoices"]) == [1, 2, 3]
    assert len(whole) == 2, whole  # invoices 2 and 3 of one debtor in one new case
    finance, api_user = w.a[Role.FINANCE_USER], w.a[Role.API_USER]
    pause = {"reason": "Kunden ringte"}
    assert w.api.call("POST", "/cases/1/pause", api_user, pause).status_code == 403
    paused = w.api.call("POST", "/cases/1/pause", finance, pause)
    assert paused.status_code == 200, paused.text
    assert paused.json()["state"] == "paused" and paused.json()["closes_by_itself_on"]
    twice = w.api.call("POST", "/cases/1/pause", finance, pause)  # not allowed when paused
    assert (twice.status_code, twice.json()["errors"][0]["code"]) == (422, "rule_violation")
    assert w.api.call("POST", "/cases/1/resume", finance, {}).json()["state"] != "paused"
    note = w.api.call("POST", "/cases/1/messages", finance, {"message": "Avtalt nedbetaling"})
    assert note.status_code == 201, note.text
    history = w.api.call("GET", "/cases/1", key).json()["history"]
    assert [e["kind"] for e in history[-3:]] == ["pause", "resume", "message"]
    assert history[-3]["actor"] == "finance_user key" and "Kunden ringte" in history[-3]["text"]
    bad = w.api.call("POST", "/cases/1/close", finance, {"reason": "a\tb"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "reason"
    assert w.api.call("POST", "/cases/1/undo", finance, {}).status_code == 422
    for role in Role:
        assert w.api.call("POST", "/cases/1/pause", w.b[role], pause).status_code in (403, 404)
        assert w.api.call("GET", "/cases", w.b[role]).json()["items"] == []
        assert w.api.call("GET", "/cases/1", w.b[role]).status_code == 404


def test_the_law_calculators_explain_themselves(world: World) -> None:
    w, key = world, world.a[Role.READ_ONLY]
    asked = {"principal": "10000", "due": "2025-01-15", "to": "2025-03-01"}
    found = w.api.call("GET", "/law/interest", key, params=asked)
    assert found.status_code == 200, found.text
    interest = found.json()
    assert interest["days"] == 45 and interest["periods"][0]["start"] == "2025-01-16"
    assert interest["total"] == amount_sum(p["amount"] for p in interest["periods"])
    wrong = {"principal": "x", "due": "2025-02-30", "to": "2025-03-01"}
    bad = w.api.call("GET", "/law/interest", key, params=wrong)
    assert {e["field"] for e in bad.json()["errors"]} == {"principal", "due"}
    deadline = w.api.call("GET", "/law/deadline", key, params={"sent": "2026-03-06"})
    assert deadline.status_code == 200 and deadline.json()["days"] == 14
    assert (
        w.api.call("GET", "/law/deadline", None, params={"sent": "2026-03-06"}).status_code == 401
    )


def amount_sum(amounts: Iterator[str]) -> str:
    return f"{sum(Decimal(a) for a in amounts):.2f}"


# Every route with what it needs; `{c}` and `{i}` are a customer's and an invoice's number.
ROUTES: list[tuple[str, str, Any, str]] = [
    ("GET", "/company", None, "read"),
    ("PATCH", "/company", {"city": "Bergen"}, "settings"),
    ("GET", "/customers", None, "read"),
    ("GET", "/customers/{c}", None, "read"),
    ("POST", "/customers", {"name": "Ny", "kind": "consumer"}, "write"),
    ("PATCH", "/customers/{c}", {"city": "Oslo"}, "write"),
    ("GET", "/invoices", None, "read"),
    ("GET", "/invoices/{i}", None, "read"),
    ("GET", "/invoices/{i}/ehf", None, "read"),
    ("POST", "/invoices", {"customer": "{c}", "lines": [LINE]}, "write"),
    ("POST", "/invoices/{i}/credit-notes", {"lines": [{**LINE, "quantity": "1"}]}, "write"),
    ("POST", "/invoices/{i}/send", None, "write"),
    ("GET", "/law/deadline?sent=2026-03-06", None, "read"),
    ("GET", "/payments", None, "read"),
    ("GET", "/payments/{p}", None, "read"),
    ("GET", "/cases", None, "read"),
    ("POST", "/payments", {"amount": "10", "invoice": "{i}"}, "write"),
    ("GET", "/collection/agreement", None, "read"),
    ("PATCH", "/collection/agreement", {"settings": {"minimum_amount": "0"}}, "agreement"),
    ("GET", "/collection/eligibility", None, "read"),
    ("POST", "/collection/send", {"all_eligible": True}, "collection"),
    ("GET", "/collection/list", None, "read"),
    ("POST", "/collection/approve", {"all": True}, "collection"),
    ("GET", "/settlements", None, "read"),
    ("GET", "/law/fees?principal=2500&due=2026-03-02&sent=2026-03-24", None, "read"),
    ("GET", "/run", None, "read"),
    ("POST", "/run", {"day": "2026-03-20", "each_day": False}, "run"),
    ("GET", "/api-keys", None, "keys"),
    ("POST", "/api-keys", {"name": "Ny", "role": "read_only"}, "keys"),
    ("GET", "/webhooks", None, "hooks"),
    ("POST", "/webhooks", {"url": "https://x.example", "events": ["case.closed"]}, "hooks"),
]
ALLOWED = {
    Role.ADMINISTRATOR: {
        *("read", "write", "settings", "agreement", "collection", "run", "keys", "hooks")
    },
    Role.FINANCE_USER: {"read", "write", "settings", "collection", "run"},
    Role.API_USER: {"read", "write"},
    Role.READ_ONLY: {"read"},
}


def _filled(value: Any, c: int, i: int, p: int) -> Any:
    if isinstance(value, str):
        text = value.replace("{c}", str(c)).replace("{i}", str(i)).replace("{p}", str(p))
        return int(text) if value in ("{c}", "{i}", "{p}") else text
    if isinstance(value, dict):
        return {k: _filled(v, c, i, p) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v, c, i, p) for v in value]
    return value


def test_401_without_a_valid_key_and_403_for_a_role_without_the_right(world: World) -> None:
    w = world
    c, i, p = seed(w, w.a[Role.ADMINISTRATOR])
    wrong = w.a[Role.ADMINISTRATOR][:-2] + "xx"
    tried = 0
    for method, path, body, need in ROUTES:
        url, sent = _filled(path, c, i, p), _filled(body, c, i, p)
        for bad in (None, "Bearer", "Bearer fk_nothing", f"Bearer {wrong}", "Basic abc"):
            headers = {"Authorization": bad} if bad else None
            answer = w.api.call(method, url, None, sent, headers)
            assert answer.status_code == 401, (method, url, bad, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            tried += 1
        for role, rights in ALLOWED.items():
            answer = w.api.call(method, url, w.a[role], sent)
            expected = {200, 201, 202} if need in rights else {403}
            assert answer.status_code in expected, (role, method, url, answer.text)
            tried += 1
    assert tried == len(ROUTES) * 9
    prefix = w.a[Role.READ_ONLY].split("_")[1]
    revoke_api_key(prefix, builders.scope(w.uow_factory), w.uow_factory)
    assert w.api.call("GET", "/company", w.a[Role.READ_ONLY]).status_code == 401


def test_two_companies_never_see_each_others_customers_or_invoices(world: World) -> None:
    w = world
    a_customer, a_invoice, _ = seed(w, w.a[Role.API_USER])
    b_customer, b_invoice, b_payment = seed(w, w.b[Role.API_USER])
    assert (b_customer, b_invoice) == (B_FIRST_CUSTOMER, B_FIRST_INVOICE)
    # Payments are numbered from 1 in every company: B gets more, so that its last payment
    # has a number A has not (A's numbers are all B's too: tried from A's side only).
    for _ in range(3):
        more = {"amount": "1", "invoice": b_invoice}
        assert w.api.call("POST", "/payments", w.b[Role.API_USER], more).status_code == 201
    b_payment += 3
    attempts = 0
    for mine, other in (
        (w.a, (b_customer, b_invoice, b_payment)),
        (w.b, (a_customer, a_invoice, None)),
    ):
        for role in Role:
            key = mine[role]
            for path in ("/customers", "/invoices", "/invoices?open=true", "/payments"):
                items = w.api.call("GET", path, key).json()["items"]
                assert items, (role, path)
                if path == "/payments":  # told apart by the invoices they paid
                    assert all(other[1] not in x["invoices"] for x in items), (role, path)
                else:
                    assert not {x["number"] for x in items} & {other[0], other[1]}, (role, path)
                attempts += 1
            customers = w.api.call("GET", "/invoices", key, params={"customer": other[0]})
            assert customers.json()["items"] == []
            attempts += 1
            gets = [
                f"/customers/{other[0]}",
                f"/invoices/{other[1]}",
                f"/invoices/{other[1]}/pdf",
                f"/invoices/{other[1]}/ehf",
            ]
            if other[2] is not None:
                gets.append(f"/payments/{other[2]}")
            for path in gets:
                answer = w.api.call("GET", path, key)
                assert answer.status_code == 404, (role, path, answer.text)
                attempts += 1
            assert w.api.call("GET", "/company", key).json()["orgnr"] != (
                builders.OTHER_ORGNR if mine is w.a else builders.ORGNR
            )
            attempts += 1
        writer = mine[Role.API_USER]
        writes: list[tuple[str, str, Any]] = [
            ("PATCH", f"/customers/{other[0]}", {"city": "X"}),
            ("POST", f"/invoices/{other[1]}/credit-notes", {}),
            ("POST", f"/invoices/{other[1]}/send", None),
        ]
        if other[2] is not None:
            writes += [
                ("POST", f"/payments/{other[2]}/match", {"items": [str(other[1])]}),
                ("POST", f"/payments/{other[2]}/refund", None),
                ("POST", f"/payments/{other[2]}/keep", {"customer": 1}),
            ]
        for method, path, body in writes:
            answer = w.api.call(method, path, writer, body)
            assert answer.status_code == 404, (method, path, answer.text)
            attempts += 1
        for path, body in (
            ("/invoices", {"customer": other[0], "lines": [LINE]}),
            ("/payments", {"amount": "1", "invoice": other[1]}),
        ):
            unknown = w.api.call("POST", path, writer, body)
            assert unknown.status_code in (404, 422), (path, unknown.text)
            attempts += 1
    # per role: 4 lists, 1 filter, 4 gets, 1 company; per side: 3 writes, 2 creates;
    # from A's side one more get per role and three more writes
    assert attempts == 2 * (len(Role) * 10 + 5) + len(Role) + 3


def test_no_4xx_writes_anything(world: World) -> None:
    w = world
    key = w.a[Role.API_USER]
    c, i, _ = seed(w, key)
    used = w.api.call(
        "POST", "/customers", key, {"name": "Brukt", "kind": "consumer"}, {"Idempotency-Key": "k1"}
    )
    assert used.status_code == 201
    before = table_rows(w.database_url)
    refused: list[tuple[str, str, Any, dict[str, str] | None, str | None, int]] = [
        ("POST", "/customers", {"name": "", "orgnr": "123"}, None, key, 422),
        ("POST", "/customers", {"name": "X", "color": "red"}, None, key, 422),
        ("POST", "/customers", customer_body(), None, key, 422),  # the orgnr is in use
        ("POST", "/customers", customer_body("Y"), {"Idempotency-Key": "k1"}, key, 422),
        ("POST", "/customers", {"name": "Z", "kind": "consumer"}, None, w.a[Role.READ_ONLY], 403),
        ("POST", "/customers", {"name": "Z", "kind": "consumer"}, None, "fk_bad", 401),
        ("PATCH", f"/customers/{c}", {"email": "not an address"}, None, key, 422),
        ("PATCH", "/customers/99", {"city": "Oslo"}, None, key, 404),
        ("POST", "/invoices", {"customer": c, "lines": []}, None, key, 422),
        ("POST", "/invoices", {"customer": 99, "lines": [LINE]}, None, key, 422),
        (
            "POST",
            "/invoices",
            {"customer": c, "lines": [{**LINE, "vat": "26"}], "due": "2026-02-30"},
            None,
            key,
            422,
        ),
        ("POST", f"/invoices/{i + 99}/credit-notes", {}, None, key, 404),
        ("POST", f"/invoices/{i + 99}/send", None, None, key, 404),
        ("GET", "/invoices?limit=0", None, None, key, 422),
        ("PATCH", "/company", {"terms_days": 999}, None, w.a[Role.ADMINISTRATOR], 422),
        ("PATCH", "/company", {"account": "1"}, None, w.a[Role.FINANCE_USER], 422),
        ("PATCH", "/company", {"city": "Bergen"}, None, key, 403),
    ]
    for method, path, body, headers, token, status in refused:
        answer = w.api.call(method, path, token, body, headers)
        assert answer.status_code == status, (method, path, body, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["status"] == status
    part = {"lines": [{**LINE, "quantity": "7.4"}]}  # 11,100.00 of the 11,150.00 open
    note = w.api.call("POST", f"/invoices/{i}/credit-notes", key, part)
    assert note.status_code == 201, note.text
    before = table_rows(w.database_url)
    twice = w.api.call("POST", f"/invoices/{i}/credit-notes", key, part)  # 50.00 open
    assert twice.status_code == 422, twice.text
    of_note = w.api.call("POST", f"/invoices/{note.json()['number']}/credit-notes", key, {})
    assert of_note.status_code == 422
    assert table_rows(w.database_url) == before


def test_problem_names_every_invalid_field_with_the_clis_codes(world: World) -> None:
    w = world
    key = w.a[Role.API_USER]
    answer = w.api.call(
        "POST",
        "/invoices",
        key,
        {
            "customer": 1,
            "lines": [{"text": "A", "quantity": "x", "unit_price": "1", "vat": "26"}],
            "due": "2026-13-01",
            "currency": "NOKK",
        },
    )
    assert answer.status_code == 422
    found = {(e["field"], e["code"]) for e in answer.json()["errors"]}
    assert {("quantity", "not_a_number"), ("vat", "not_a_vat_rate")} <= found
    assert {f for f, _ in found} >= {"quantity", "vat", "due", "currency"}


def test_idempotent_repeats_give_the_stored_answer_and_one_effect(world: World) -> None:
    w = world
    key = w.a[Role.API_USER]
    body = customer_body("Gjentatt AS")
    first = w.api.call("POST", "/customers", key, body, {"Idempotency-Key": "once"})
    again = w.api.call("POST", "/customers", key, body, {"Idempotency-Key": "once"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    other = w.api.call(
        "POST", "/customers", key, customer_body("Annet"), {"Idempotency-Key": "once"}
    )
    assert other.status_code == 422
    assert other.json()["errors"][0]["code"] == "idempotency_key_reused"
    # The same key in another company is another request.
    theirs = w.api.call("POST", "/customers", w.b[Role.API_USER], body, {"Idempotency-Key": "once"})
    assert theirs.status_code == 201 and theirs.json()["number"] == B_FIRST_CUSTOMER

    invoice = {"customer": first.json()["number"], "lines": [LINE]}
    answers: list[tuple[int, Any]] = []
    start = threading.Barrier(8)

    def repeat() -> None:
        start.wait(timeout=30)
        got = w.api.call("POST", "/invoices", key, invoice, {"Idempotency-Key": "eight"})
        answers.append((got.status_code, got.json()))

    threads = [threading.Thread(target=repeat) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(answers) == 8
    assert {status for status, _ in answers} == {201}
    assert len({repr(body) for _, body in answers}) == 1
    listed = w.api.call("GET", "/invoices", key).json()["items"]
    assert len(listed) == 1
    customers = w.api.call("GET", "/customers", key).json()["items"]
    assert [c["name"] for c in customers] == ["Gjentatt AS"]


def test_creates_sent_at_once_are_numbered_once_each_and_answered_as_alone(world: World) -> None:
    """Creates of one key that come while another is answered are answered together
    (entrypoints/api/together.py): each is numbered once, with no gaps, and answered as
    it reads back; repeats of a key make one invoice; and a create with an unknown
    customer among them gets its own 422 while the others get their 201."""
    w = world
    key = w.a[Role.API_USER]
    customer = w.api.call("POST", "/customers", key, customer_body()).json()["number"]
    with w.uow_factory(builders.scope(w.uow_factory)) as uow:  # each create announced once
        at = datetime(2026, 3, 2, 12, tzinfo=UTC)
        uow.webhooks.add_endpoint(
            "https://192.0.2.2/x", "whsec_AAAA", [WebhookType.INVOICE_ISSUED], at
        )
        uow.commit()

    def at_once(sent: list[tuple[dict[str, Any], str | None]]) -> list[tuple[int, Any]]:
        answers: list[tuple[int, Any]] = [(0, None)] * len(sent)
        start = threading.Barrier(len(sent))

        def send(index: int, body: dict[str, Any], idempotency: str | None) -> None:
            start.wait(timeout=30)
            headers = {"Idempotency-Key": idempotency} if idempotency else None
            got = w.api.call("POST", "/invoices", key, body, headers)
            answers[index] = (got.status_code, got.json())

        threads = [threading.Thread(target=send, args=(i, *x)) for i, x in enumerate(sent)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        return answers

    def invoice(text: str, to: int = customer) -> dict[str, Any]:
        return {"customer": to, "lines": [{**LINE, "text": text}]}

    first = at_once(
        [(invoice(f"Time {i}"), f"key {i}") for i in range(16)]
        + [(invoice("Gjentatt"), "repeated")] * 6
    )
    assert {status for status, _ in first} == {201}
    assert len({repr(body) for _, body in first[16:]}) == 1  # the repeats: one invoice
    second = at_once(
        [(invoice(f"Senere {i}"), None) for i in range(10)]
        + [(invoice("Ukjent", 999_999), None)] * 2
    )
    assert [status for status, _ in second] == [201] * 10 + [422] * 2
    assert {e["field"] for _, body in second[10:] for e in body["errors"]} == {"customer"}
    made = [body for _, body in first[:17] + second[:10]]
    numbers = sorted(body["number"] for body in made)
    assert numbers == list(range(numbers[0], numbers[0] + 27))
    vouchers = sorted(body["voucher"] for body in made)
    assert vouchers == list(range(vouchers[0], vouchers[0] + 27))
    for body in made:
        assert w.api.call("GET", f"/invoices/{body['number']}", key).json() == body
    listed = w.api.call("GET", "/invoices", key, params={"limit": 100}).json()["items"]
    assert len(listed) == 27
    with w.uow_factory(builders.scope(w.uow_factory)) as uow:
        bodies = connection(uow).execute(
            text("SELECT body FROM webhook_message WHERE event_type = 'invoice.issued'")
        )
        announced = sorted(json.loads(body)["data"]["invoice"] for (body,) in bodies)
    assert announced == numbers


ON_A = ("--company", builders.ORGNR)


def test_collection_agreement_eligibility_sending_the_list_and_approval(
    world: World, run: Run
) -> None:
    w = world
    builders.cli_case_1(run)  # case 1 (invoice 1) from 2026-03-05
    ran = run(*ON_A, "run", "--to", "2026-04-08", date="2026-03-05")  # on the list 04-08
    assert ran.exit_code == 0, ran.output
    more = run(*ON_A, "invoice", "create", "--customer", "10000", "--line", "Vare;1;400;25")
    assert more.exit_code == 0, more.output  # invoice 2, due 2026-03-16
    reader, api_user = w.a[Role.READ_ONLY], w.a[Role.API_USER]
    finance, admin = w.a[Role.FINANCE_USER], w.a[Role.ADMINISTRATOR]

    shown = w.api.call("GET", "/collection/agreement", reader)
    assert shown.status_code == 200 and shown.json()["reminder_flow"] == "reminder_first"
    assert shown.json()["invoice_debtor_access"] is False  # off until the creditor says so
    change = {"settings": {"minimum_amount": "100", "invoice_debtor_access": "yes"}}
    assert w.api.call("PATCH", "/collection/agreement", finance, change).status_code == 403
    before = table_rows(w.database_url)
    wrong = {
        "settings": {
            **{"pay_to": "nowhere", "colour": "red", "minimum_amount": "x"},
            "invoice_debtor_access": "maybe",
        }
    }
    bad = w.api.call("PATCH", "/collection/agreement", admin, wrong)
    assert bad.status_code == 422, bad.text
    assert {e["field"] for e in bad.json()["errors"]} == {
        *("pay_to", "colour", "minimum_amount", "invoice_debtor_access")
    }
    assert table_rows(w.database_url) == before
    changed = w.api.call("PATCH", "/collection/agreement", admin, change)
    assert (changed.status_code, changed.json()["minimum_amount"]) == (200, "100.00")
    assert changed.json()["invoice_debtor_access"] is True
    assert w.api.call("GET", "/collection/agreement", reader).json()["minimum_amount"] == "100.00"

    found = w.api.call("GET", "/collection/eligibility", reader, params={"invoice": [1, 2]})
    assert found.status_code == 200, found.text
    one, two = found.json()["items"]
    assert (one["invoice"], one["eligible"], two["invoice"], two["eligible"]) == (1, False, 2, True)
    assert one["reasons"] and all(r["code"] and r["text"] for r in one["reasons"])
    every = w.api.call("GET", "/collection/eligibility", reader).json()["items"]
    assert [e["invoice"] for e in every] == [1, 2]  # every open invoice
    first = w.api.call("GET", "/collection/eligibility", reader, params={"limit": 1}).json()
    assert ([e["invoice"] for e in first["items"]], first["next_after"]) == ([1], 1)
    rest = w.api.call("GET", "/collection/eligibility", reader, params={"after": 1}).json()
    assert ([e["invoice"] for e in rest["items"]], rest["next_after"]) == ([2], None)
    missing = w.api.call("GET", "/collection/eligibility", reader, params={"invoice": 99})
    assert missing.status_code == 404, missing.text

    assert w.api.call("POST", "/collection/send", api_user, {"invoices": [2]}).status_code == 403
    before = table_rows(w.database_url)
    for body in ({"invoices": [1]}, {"invoices": [2], "all_eligible": True}, {}):
        refused = w.api.call("POST", "/collection/send", finance, body)
        assert refused.status_code == 422, (body, refused.text)
    limitation = {"invoices": [2], "limitation_interrupted": "2026-02-30"}
    refused = w.api.call("POST", "/collection/send", finance, limitation)
    assert refused.json()["errors"][0]["field"] == "limitation_interrupted"
    assert table_rows(w.database_url) == before
    once = {"Idempotency-Key": "send-2"}
    sent = w.api.call("POST", "/collection/send", finance, {"invoices": [2]}, once)
    assert sent.status_code == 201, sent.text
    assert [(c["number"], c["invoices"]) for c in sent.json()["cases"]] == [(2, [2])]
    again = w.api.call("POST", "/collection/send", finance, {"invoices": [2]}, once)
    assert again.json() == sent.json() and again.headers["idempotent-replayed"] == "true"

    listed = w.api.call("GET", "/collection/list", reader)
    assert listed.status_code == 200, listed.text
    (line,) = listed.json()["items"]
    assert (line["case"], line["invoices"], line["remaining"]) == (1, [1], "2500.00")
    assert line["notice_date"] < line["deadline"] <= "2026-04-08"
    assert listed.json()["next_after"] is None
    for page, items in (({"limit": 1}, [1]), ({"after": 1}, []), ({"after": 0}, [1])):
        paged = w.api.call("GET", "/collection/list", reader, params=page).json()
        assert [x["case"] for x in paged["items"]] == items and paged["next_after"] is None
    approve = {"cases": [1]}
    assert w.api.call("POST", "/collection/approve", api_user, approve).status_code == 403
    before = table_rows(w.database_url)
    for body, status in (({"cases": [99]}, 404), ({"cases": [2]}, 422), ({}, 422)):
        refused = w.api.call("POST", "/collection/approve", finance, body)
        assert refused.status_code == status, (body, refused.text)
    assert table_rows(w.database_url) == before
    approved = w.api.call("POST", "/collection/approve", finance, approve)
    assert approved.status_code == 200, approved.text
    assert approved.json()["approved"] == [1] and approved.json()["handover_on"] > "2026-04-08"

    attempts = 0  # company B's keys, tried on A's invoices and cases
    for role in Role:
        key = w.b[role]
        assert w.api.call("GET", "/collection/list", key).json()["items"] == []
        elig = w.api.call("GET", "/collection/eligibility", key, params={"invoice": 1})
        assert elig.status_code == 404, elig.text
        theirs = w.api.call("GET", "/collection/agreement", key).json()
        assert theirs["minimum_amount"] == "0.00"  # their own, untouched
        attempts += 3
    before = table_rows(w.database_url)
    for path, body in (("/collection/send", {"invoices": [1]}), ("/collection/approve", approve)):
        answer = w.api.call("POST", path, w.b[Role.FINANCE_USER], body)
        assert answer.status_code == 404, (path, answer.text)
        attempts += 1
    assert table_rows(w.database_url) == before
    assert attempts == len(Role) * 3 + 2


CLIENT = (
    "pay_to=client_account",
    f"client_account={CLIENT_ACCOUNT}",
    "collector_name=Demo Inkasso AS",
    "collector_orgnr=974760673",
)


def test_settlements_are_listed_shown_and_rendered_to_their_company_only(
    world: World, run: Run, tmp_path: Path
) -> None:
    """Case 1 handed over on 04-16 with the client account on its letters, paid in full
    there on 04-17 and settled on Monday 04-20 (tests/scenarios/test_settlement_client_
    account.py tells it): settlement 1 over the API."""
    w = world
    builders.cli_case_1(run)
    for args, day in (
        (("collection", "agreement", "set", "automatic_handover=yes", *CLIENT), "2026-03-05"),
        (("run", "--to", "2026-04-16"), "2026-03-05"),
    ):
        done = run(*ON_A, *args, date=day)
        assert done.exit_code == 0, done.output
    case = w.api.call("GET", "/cases/1", w.a[Role.READ_ONLY]).json()
    paid = ocr_file(
        tmp_path / "klientkonto.txt",
        [Paid(case["owed"], case["case"]["kid"], "2026-04-17")],
        account=CLIENT_ACCOUNT,
    )
    for args, day in (
        (("payments", "import", str(paid)), "2026-04-17"),
        (("run", "--to", "2026-04-20"), "2026-04-17"),
    ):
        done = run(*ON_A, *args, date=day)
        assert done.exit_code == 0, done.output
    key = w.a[Role.READ_ONLY]
    listed = w.api.call("GET", "/settlements", key)
    assert listed.status_code == 200, listed.text
    (item,) = listed.json()["items"]
    assert (item["settlement"], item["day"], item["payments"]) == (1, "2026-04-20", 1)
    assert Decimal(item["received"]) == Decimal(item["kept"]) + Decimal(item["paid_out"])
    assert listed.json()["next_after"] is None
    assert w.api.call("GET", "/settlements", key, params={"after": 1}).json()["items"] == []
    shown = w.api.call("GET", "/settlements/1", key)
    assert shown.status_code == 200, shown.text
    s = shown.json()
    assert (s["collector"], s["paid_out"], s["received"]) == (
        "Demo Inkasso AS",
        item["paid_out"],
        item["received"],
    )
    assert [(p["case"], p["invoices"]) for p in s["payments"]] == [(1, [1])]
    pdf = w.api.call("GET", "/settlements/1/pdf", key)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    csv = w.api.call("GET", "/settlements/1/csv", key)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert case["case"]["kid"] in csv.text
    for path in ("/settlements/2", "/settlements/2/pdf", "/settlements/2/csv"):
        assert w.api.call("GET", path, key).status_code == 404
    attempts = 0  # B's keys on A's settlement
    for role in Role:
        assert w.api.call("GET", "/settlements", w.b[role]).json()["items"] == []
        attempts += 1
        for path in ("/settlements/1", "/settlements/1/pdf", "/settlements/1/csv"):
            assert w.api.call("GET", path, w.b[role]).status_code == 404, (role, path)
            attempts += 1
    assert attempts == len(Role) * 4


def test_the_fee_calculator_explains_itself(world: World) -> None:
    w, key = world, world.a[Role.READ_ONLY]
    asked = {"principal": "2500", "due": "2026-03-02", "sent": "2026-03-24"}
    found = w.api.call("GET", "/law/fees", key, params=asked)
    assert found.status_code == 200, found.text
    fees = found.json()
    assert fees["claim"]["principal"] == "2500.00"
    assert fees["notice_fee"]["allowed"] and fees["notice_fee"]["explanation"]["source"]
    assert set(fees["salaer"]) == {"light", "heavy"}
    wrong = {"principal": "x", "due": "2026-02-30", "sent": "2026-03-24", "paid": "no"}
    bad = w.api.call("GET", "/law/fees", key, params=wrong)
    assert {e["field"] for e in bad.json()["errors"]} == {"principal", "due", "paid"}
    assert w.api.call("GET", "/law/fees", None, params=asked).status_code == 401


def test_the_daily_run_shows_its_last_day_and_is_run_or_queued(
    world: World, tmp_path: Path
) -> None:
    w = world
    status = w.api.call("GET", "/run", w.a[Role.READ_ONLY])
    assert status.status_code == 200, status.text
    assert status.json() == {"company": builders.ORGNR, "last_run": None}
    assert w.api.call("POST", "/run", w.a[Role.API_USER], {}).status_code == 403
    before = table_rows(w.database_url)
    for body in ({"day": "2026-02-30"}, {"day": "2999-01-01"}, {"to": "2026-03-01"}):
        refused = w.api.call("POST", "/run", w.a[Role.FINANCE_USER], body)
        assert refused.status_code == 422, (body, refused.text)
    assert table_rows(w.database_url) == before
    day = {"day": "2026-03-20", "each_day": False}
    ran = w.api.call("POST", "/run", w.a[Role.FINANCE_USER], day)
    if BACKEND == "postgresql":  # queued for `fordring worker`, as run --via-workers does
        assert ran.status_code == 202, ran.text
        assert ran.json()["via_workers"] and isinstance(ran.json()["job"], int)
        again = w.api.call("POST", "/run", w.a[Role.ADMINISTRATOR], day)
        assert (again.status_code, again.json()["job"]) == (202, None)  # queued already
        assert w.api.call("GET", "/run", w.a[Role.READ_ONLY]).json()["last_run"] is None
        workers = Workers(w.database_url, tmp_path)
        try:
            workers.start("one")
            workers.until_done()
        finally:
            workers.stop()
        shown = w.api.call("GET", "/run", w.a[Role.READ_ONLY]).json()
        assert shown["last_run"] == "2026-03-20", workers.logs()
    else:  # in-process
        assert ran.status_code == 200, ran.text
        assert (ran.json()["via_workers"], ran.json()["days"]) == (False, ["2026-03-20"])
        again = w.api.call("POST", "/run", w.a[Role.ADMINISTRATOR], day)
        assert (again.json()["days"], again.json()["already_run_to"]) == ([], "2026-03-20")
        shown = w.api.call("GET", "/run", w.a[Role.READ_ONLY]).json()
        assert shown["last_run"] == "2026-03-20"
    theirs = w.api.call("GET", "/run", w.b[Role.READ_ONLY]).json()
    assert theirs == {"company": builders.OTHER_ORGNR, "last_run": None}


def test_administrators_manage_keys_over_the_api_and_see_each_secret_once(world: World) -> None:
    w = world
    admin = w.a[Role.ADMINISTRATOR]
    body = {"name": "Tripletex sync", "role": "api_user"}
    once = {"Idempotency-Key": "key-1"}
    for role in (Role.FINANCE_USER, Role.API_USER, Role.READ_ONLY):
        assert w.api.call("POST", "/api-keys", w.a[role], body).status_code == 403
        assert w.api.call("GET", "/api-keys", w.a[role]).status_code == 403
    before = table_rows(w.database_url)
    for wrong in ({"name": "", "role": "api_user"}, {"name": "x", "role": "owner"}):
        refused = w.api.call("POST", "/api-keys", admin, wrong)
        assert refused.status_code == 422, refused.text
    assert table_rows(w.database_url) == before
    made = w.api.call("POST", "/api-keys", admin, body, once)
    assert made.status_code == 201, made.text
    token, prefix = made.json()["token"], made.json()["prefix"]
    assert token.startswith(f"fk_{prefix}_") and made.json()["role"] == "api_user"
    again = w.api.call("POST", "/api-keys", admin, body, once)
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == {**made.json(), "token": None}  # the secret is never stored
    assert w.api.call("GET", "/company", token).status_code == 200
    assert w.api.call("PATCH", "/company", token, {"city": "Oslo"}).status_code == 403
    listed = w.api.call("GET", "/api-keys", admin).json()["items"]
    assert prefix in [k["prefix"] for k in listed] and "token" not in listed[0]
    assert len(listed) == len(Role) + 1
    prefixes, after = [], None  # by prefix, two at a time
    while True:
        params = {"limit": 2} | ({"after": after} if after else {})
        page = w.api.call("GET", "/api-keys", admin, params=params).json()
        prefixes += [k["prefix"] for k in page["items"]]
        after = page["next_after"]
        if after is None:
            break
        assert after == prefixes[-1] and len(page["items"]) == 2
    assert prefixes == sorted(k["prefix"] for k in listed)
    assert w.api.call("GET", "/api-keys", admin, params={"after": "xyz"}).status_code == 422
    theirs = w.api.call("GET", "/api-keys", w.b[Role.ADMINISTRATOR]).json()["items"]
    assert prefix not in [k["prefix"] for k in theirs]
    b_prefix = w.b[Role.READ_ONLY].split("_")[1]
    before = table_rows(w.database_url)
    for path in (f"/api-keys/{b_prefix}/revoke", "/api-keys/0123456789ab/revoke"):
        assert w.api.call("POST", path, admin).status_code == 404
    assert w.api.call("POST", "/api-keys/xyz/revoke", admin).status_code == 422
    assert table_rows(w.database_url) == before
    revoked = w.api.call("POST", f"/api-keys/{prefix}/revoke", admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_on"], revoked.text
    assert w.api.call("GET", "/company", token).status_code == 401
    assert w.api.call("GET", "/company", w.b[Role.READ_ONLY]).status_code == 200
