"""The debtor's objection page over HTTP in-process (both databases): the form, an
objection with a file (the case stops, the receipt names what was received), and every
refusal writing nothing and leaving no file: a wrong type (HTML named .pdf), a file over
the setting, a body over the route's limit (413 before it is read), a closed case, no
session, and a case named in the form (the visit's case is always the one objected to)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import text
from tests import builders
from tests.attachments import HTML, PDF, PNG
from tests.crash import table_rows
from tests.debtor_pages import DEBTOR, csrf_of, sign_in_debtor
from tests.integration.test_portal_pages import _client

from fordring.adapters.db.engine import open_database
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.integration

MAX = 4096  # FORDRING_ATTACHMENT_MAX_BYTES in these tests
WATCHED = ("collection_case", "case_event", "case_objection", "webhook_message")


@pytest.fixture
def world(uow_factory: UnitOfWorkFactory, database_url: str, run: Any) -> str:
    """Company A and company B, each with its case 1 (reminded by 03-20)."""
    builders.company(uow_factory)
    builders.company(uow_factory, builders.OTHER_ORGNR, name="Andre AS")
    for orgnr in (builders.ORGNR, builders.OTHER_ORGNR):
        builders.cli_case_1(run, orgnr)
        done = run("--company", orgnr, "run", "--to", "2026-03-20", date="2026-03-05")
        assert done.exit_code == 0, done.output
    return database_url


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "attachments"


@pytest.fixture
def client(world: str, folder: Path, uow_factory: UnitOfWorkFactory) -> Iterator[Any]:
    with _client(world, attachments=str(folder), attachment_max_bytes=MAX) as made:
        sign_in_debtor(made, uow_factory, 1)
        yield made


def _watched(database_url: str) -> dict[str, Any]:
    rows = table_rows(database_url)
    return {name: rows[name] for name in WATCHED}


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _object(client: Any, data: dict[str, str], file: tuple[str, bytes, str] | None) -> Any:
    token = csrf_of(client.get(DEBTOR + "/objection"))
    files = {"attachment": file} if file is not None else {"attachment": ("", b"", "")}
    return client.post(DEBTOR + "/objection", data=data | {"csrf_token": token}, files=files,
                       follow_redirects=False)  # fmt: skip


def pdf_text(content: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())


def _state(database_url: str, orgnr: str = builders.ORGNR) -> str:
    rows = table_rows(database_url)
    company = next(c["id"] for c in rows["company"] if c["orgnr"] == orgnr)
    return str(next(c["state"] for c in rows["collection_case"] if c["company_id"] == company))


def test_the_claim_page_leads_to_the_form_with_every_reason(client: Any) -> None:
    claim = client.get(DEBTOR + "/")
    assert 'href="/d/objection"' in claim.text
    form = client.get(DEBTOR + "/objection")
    assert form.status_code == 200
    assert form.text.count('name="reason"') == 6 and "Jeg har allerede betalt" in form.text
    assert 'enctype="multipart/form-data"' in form.text and 'name="attachment"' in form.text


def test_an_objection_with_a_file_stops_the_case_and_shows_the_receipt(
    client: Any, world: str, folder: Path
) -> None:
    sent = _object(client, {"reason": "already_paid", "text": "Betalt 3. mars.\nSe vedlegg."},
                   ("../../kvittering.pdf", PDF, "text/html"))  # fmt: skip
    assert sent.status_code == 303, sent.text
    assert sent.headers["location"] == "/d/objection/receipt"
    receipt = client.get(sent.headers["location"])
    assert "Vi har mottatt innsigelsen din" in receipt.text
    assert "Jeg har allerede betalt" in receipt.text and "kvittering.pdf" in receipt.text
    assert "Betalt 3. mars.\nSe vedlegg." in receipt.text
    assert "ingen purringer, ingen gebyrer" in receipt.text
    # what the code does on resume: the stage's letter again (no letter explaining anything)
    assert "brevet for sakens trinn på nytt, med ny frist og uten nytt gebyr" in receipt.text
    assert "forklarer" not in receipt.text
    kept_pdf = client.get(DEBTOR + "/objection/receipt.pdf")
    assert kept_pdf.status_code == 200 and kept_pdf.content.startswith(b"%PDF-")
    assert kept_pdf.headers["content-disposition"] == 'attachment; filename="innsigelse-sak-1.pdf"'
    assert "Vi har mottatt innsigelsen din" in pdf_text(kept_pdf.content)
    assert "uten nytt gebyr" in pdf_text(kept_pdf.content)
    assert _state(world) == "objected"
    assert _state(world, builders.OTHER_ORGNR) == "reminded"
    (kept,) = _files(folder)
    assert kept.read_bytes() == PDF and kept.name != "kvittering.pdf"
    again = _object(client, {"reason": "already_paid", "text": "Betalt 3. mars.\nSe vedlegg."},
                    ("../../kvittering.pdf", PDF, "text/html"))  # fmt: skip
    assert again.status_code == 303 and len(_files(folder)) == 1  # a form sent twice


@pytest.mark.parametrize(
    ("file", "shown"),
    [
        (("kvittering.pdf", HTML, "application/pdf"), "ikke en PDF, PNG eller JPEG"),
        (("stor.png", PNG + b"\0" * MAX, "image/png"), "Filen er for stor"),
    ],
)
def test_a_wrong_type_or_size_is_refused_with_nothing_written(
    client: Any, world: str, folder: Path, file: tuple[str, bytes, str], shown: str
) -> None:
    before = _watched(world)
    refused = _object(client, {"reason": "not_me", "text": ""}, file)
    assert refused.status_code == 422 and shown in refused.text
    assert 'value="not_me" checked' in refused.text  # the form as sent, to correct
    assert _watched(world) == before and _files(folder) == []


def test_a_body_over_the_routes_limit_is_refused_before_it_is_read(
    client: Any, world: str, folder: Path
) -> None:
    before = _watched(world)
    refused = _object(client, {"reason": "not_me"}, ("big.pdf", PDF + b" " * 200_000, "x"))
    assert refused.status_code == 413
    assert _watched(world) == before and _files(folder) == []


def test_other_needs_words_and_a_reason_not_on_the_list_is_refused(client: Any, world: str) -> None:
    before = _watched(world)
    other = _object(client, {"reason": "other", "text": "  "}, None)
    assert other.status_code == 422 and "Fortell oss hva som er feil" in other.text
    unknown = _object(client, {"reason": "because"}, None)
    assert unknown.status_code == 422 and "Velg en grunn fra listen" in unknown.text
    assert _watched(world) == before


def test_a_case_at_the_legal_stage_records_the_objection_and_says_it_does_not_stop_it(
    client: Any, world: str, folder: Path
) -> None:
    with open_database(world).engine.begin() as c:  # as `collection to-legal` leaves it
        c.execute(text("UPDATE collection_case SET state = 'legal' WHERE number = 1"))
    sent = _object(client, {"reason": "not_me", "text": "Ikke meg"}, ("a.pdf", PDF, "x"))
    assert sent.status_code == 303
    receipt = client.get(DEBTOR + "/objection/receipt")
    assert "stanser den ikke her" in receipt.text and "Saken er stanset" not in receipt.text
    assert "stanser den ikke her" in pdf_text(client.get(DEBTOR + "/objection/receipt.pdf").content)
    rows = table_rows(world)
    (row,) = rows["case_objection"]
    assert row["addition"] and row["text"] == "Ikke meg"
    assert _state(world) == "legal" and len(_files(folder)) == 1
    assert [w["event_type"] for w in rows["webhook_message"]] == []  # no endpoint in this world
    assert rows["case_event"][-1]["kind"] == "object"


def test_a_closed_case_ends_the_visit_with_nothing_written(
    client: Any, world: str, run: Any, folder: Path
) -> None:
    closed = run("--company", builders.ORGNR, "collection", "close", "1", date="2026-03-20")
    assert closed.exit_code == 0, closed.output
    before = _watched(world)
    refused = _object(client, {"reason": "not_me"}, ("a.pdf", PDF, "application/pdf"))
    assert (refused.status_code, refused.headers["location"]) == (303, "/d/sign-in")
    assert _watched(world) == before and _files(folder) == []


def test_the_case_is_always_the_visits_never_one_named_in_the_form(
    client: Any, world: str, run: Any
) -> None:
    a = ("--company", builders.ORGNR)  # A's case 2: the same debtor, a second invoice
    for args, day in (
        (("invoice", "create", "--customer", "10000", "--line", "Time;1;500;25"), "2026-02-16"),
        (("collection", "send", "2"), "2026-03-20"),
    ):
        done = run(*a, *args, date=day)
        assert done.exit_code == 0, done.output
    assert run(*a, "run", "--to", "2026-03-20", date="2026-03-20").exit_code == 0
    before = _states(world)
    assert before[(builders.ORGNR, 2)] in ("registered", "reminded")

    sent = _object(client, {"reason": "not_me", "case": "2", "case_number": "2"}, None)

    assert sent.status_code == 303
    after = _states(world)
    assert after.pop((builders.ORGNR, 1)) == "objected"
    before.pop((builders.ORGNR, 1))
    assert after == before  # A's case 2 and B's case 1 untouched


def _states(database_url: str) -> dict[tuple[str, int], str]:
    rows = table_rows(database_url)
    orgnr = {c["id"]: c["orgnr"] for c in rows["company"]}
    return {(orgnr[c["company_id"]], c["number"]): c["state"] for c in rows["collection_case"]}


def test_signed_out_nothing_is_written(world: str, folder: Path) -> None:
    with _client(world, attachments=str(folder)) as anonymous:
        before = _watched(world)
        form = anonymous.get(DEBTOR + "/objection", follow_redirects=False)
        assert form.status_code == 303 and form.headers["location"] == "/d/sign-in"
        token = csrf_of(anonymous.get(DEBTOR + "/sign-in"))
        sent = anonymous.post(DEBTOR + "/objection", data={"reason": "not_me",
                              "csrf_token": token}, files={"attachment": ("a.pdf", PDF, "x")},
                              follow_redirects=False)  # fmt: skip
        assert sent.status_code == 303 and sent.headers["location"] == "/d/sign-in"
        assert (
            anonymous.get(DEBTOR + "/objection/receipt", follow_redirects=False).status_code == 303
        )
    assert _watched(world) == before and _files(folder) == []


def test_past_the_cases_limit_the_refusal_says_so_not_that_the_case_is_closed(
    client: Any, world: str, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fordring.services.objections.MAX_PER_CASE", 1)
    assert _object(client, {"reason": "not_me"}, None).status_code == 303
    before = _watched(world)

    refused = _object(client, {"reason": "wrong_amount"}, ("a.pdf", PDF, "application/pdf"))

    assert refused.status_code == 409
    assert "så mange innsigelser her som den kan (1)" in refused.text
    assert "avsluttet" not in refused.text
    assert _watched(world) == before and len(_files(folder)) == 0


def test_the_receipt_pdf_is_rendered_once_not_on_every_get(
    client: Any, world: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fordring.adapters.pdf import receipt_pdf

    renders: list[object] = []
    real = receipt_pdf.render_receipt

    def counted(document: Any, day: Any) -> bytes:
        renders.append(day)
        return real(document, day)

    monkeypatch.setattr(receipt_pdf, "render_receipt", counted)
    words = "Ikke meg: kvitteringen lages bare én gang"  # no other test's receipt
    assert _object(client, {"reason": "not_me", "text": words}, None).status_code == 303

    first = client.get(DEBTOR + "/objection/receipt.pdf")
    second = client.get(DEBTOR + "/objection/receipt.pdf")

    assert first.status_code == second.status_code == 200
    assert first.content == second.content and len(renders) == 1
