"""The collection list: e-mailed on the first Tuesday after the deadline (to a real SMTP
server), approved by the creditor, or handed over automatically on the Thursday."""

from __future__ import annotations

import email
import json
import socket
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from tests import builders
from tests.builders import cli_company, cli_consumer
from tests.conftest import Run
from tests.smtp_server import Mailbox, free_port

from fordring.services.list_approval import collection_list
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.e2e


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def pdf_bytes(part: Message) -> bytes:
    """An attachment's decoded bytes."""
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes), type(payload)
    return payload


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    received = Inbox()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("FORDRING_SMTP_URL", f"smtp://127.0.0.1:{port}?from=fordring@test.no")
    yield received
    controller.stop()


@pytest.fixture
def listed(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Case 1 notified on 2026-03-24 (deadline 04-07), on the list from 04-08."""
    monkeypatch.setenv("FORDRING_OUTBOX", str(tmp_path / "outbox"))
    cli_company(run)
    cli_consumer(run)
    run("invoice", "create", "--customer", "10000", "--line", "Time;2;1000;25", date="2026-02-16")
    run("collection", "agreement", "set", "list_email=kreditor@test.no")
    run("collection", "send", "1", date="2026-03-05")
    run("run", "--to", "2026-04-13", date="2026-03-05")
    return run


def test_the_list_is_emailed_on_the_first_tuesday_with_its_pdf(listed: Run, inbox: Inbox) -> None:
    listed("run", date="2026-04-14")
    (message,) = inbox.messages
    assert message["To"] == "kreditor@test.no" and "Inkassoliste 2026-04-14" in message["Subject"]
    (pdf,) = [p for p in message.walk() if p.get_filename() == "inkassoliste-2026-04-14.pdf"]
    assert pdf_bytes(pdf).startswith(b"%PDF-")
    listed_cases = json.loads(listed("collection", "list").output)
    assert [(c["case"], c["list_sent_on"]) for c in listed_cases] == [(1, "2026-04-14")]
    listed("run", date="2026-04-21")
    assert len(inbox.messages) == 1  # a case goes on one list only


def test_automatic_mode_hands_over_on_thursday_approval_mode_waits(
    listed: Run, inbox: Inbox
) -> None:
    listed("collection", "agreement", "set", "automatic_handover=yes")
    steps = json.loads(listed("run", "--to", "2026-04-16", date="2026-04-14").output)["steps"]
    assert [(s["day"], s["step"]) for s in steps] == [("2026-04-16", "hand_over")]
    assert json.loads(listed("collection", "case", "1").output)["state"] == "in_collection"


def test_the_creditor_approves_listed_cases(listed: Run, inbox: Inbox) -> None:
    listed("run", "--to", "2026-04-20", date="2026-04-14")
    assert json.loads(listed("collection", "case", "1").output)["state"] == "listed"
    done = json.loads(listed("collection", "approve", "--all", date="2026-04-20").output)
    assert done["approved"] == [1]
    assert json.loads(listed("collection", "case", "1").output)["state"] == "listed"
    steps = json.loads(listed("run", "--to", "2026-04-21").output)["steps"]
    assert [(s["day"], s["step"], s["letter"]) for s in steps] == [
        ("2026-04-21", "hand_over", "payment_demand")
    ]
    assert json.loads(listed("collection", "case", "1").output)["state"] == "in_collection"
    refused = listed("collection", "approve", "1")
    assert refused.exit_code == 2 and "cannot hand over" in refused.output


def test_a_failing_mail_server_does_not_undo_the_day_and_the_list_goes_out_once_later(
    listed: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mail server is down on Tuesday 04-14: the day is booked all the same (the case
    is on that day's list, the run is done), the list waits failed in the delivery queue,
    and once the server is up the next delivery e-mails it, exactly once."""
    port = free_port()  # nothing listens here yet
    monkeypatch.setenv("FORDRING_SMTP_URL", f"smtp://127.0.0.1:{port}?from=fordring@test.no")
    done = listed("run", date="2026-04-14")
    assert done.exit_code == 0, done.output
    out = json.loads(done.output)
    assert [x["cases"] for x in out["collection_lists"]] == [[1]]
    assert out["deliveries"]["failed"] == 1
    listed_cases = json.loads(listed("collection", "list").output)
    assert [(c["case"], c["list_sent_on"]) for c in listed_cases] == [(1, "2026-04-14")]
    again = json.loads(listed("run", date="2026-04-14").output)
    assert again["already_run_to"] == "2026-04-14"  # the day was committed
    (failed,) = json.loads(listed("deliveries", "list", "--failed").output)
    assert (failed["document"], failed["state"]) == ("collection list 2026-04-14", "failed")
    assert [(a["channel"], a["outcome"]) for a in failed["attempts"]] == [
        ("paper", "sent"),
        ("email", "failed"),
    ]
    mailbox = Mailbox()
    server = Controller(mailbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        retried = listed("deliveries", "retry", str(failed["id"]), date="2026-04-15")
        assert retried.exit_code == 0, retried.output
        assert json.loads(retried.output)["sent"] == {"email": 1}
        assert json.loads(listed("deliveries", "send", date="2026-04-15").output)["sent"] == {}
        assert listed("run", date="2026-04-21").exit_code == 0
    finally:
        server.stop()
    (message,) = mailbox.messages
    assert message["To"] == "kreditor@test.no" and "Inkassoliste 2026-04-14" in message["Subject"]
    (pdf,) = [p for p in message.walk() if p.get_filename() == "inkassoliste-2026-04-14.pdf"]
    assert pdf_bytes(pdf).startswith(b"%PDF-")


def test_the_list_comes_in_pages_by_case_number(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, uow_factory: UnitOfWorkFactory
) -> None:
    """Three cases on the list (the API's `GET /collection/list` pages), read two at a
    time: none skipped or repeated, and a page is never short while more follow."""
    monkeypatch.setenv("FORDRING_OUTBOX", str(tmp_path / "outbox"))
    cli_company(run)
    cli_consumer(run)
    for _ in range(3):
        run(
            "invoice",
            "create",
            "--customer",
            "10000",
            "--line",
            "Time;2;1000;25",
            date="2026-02-16",
        )
    for number in ("1", "2", "3"):
        assert run("collection", "send", number, date="2026-03-05").exit_code == 0
    assert run("run", "--to", "2026-04-13", date="2026-03-05").exit_code == 0
    whole = [c["case"] for c in json.loads(run("collection", "list").output)]
    assert len(whole) == 3, whole
    scope = builders.scope(uow_factory)
    pages, after = [], None
    while True:
        page = collection_list(scope, uow_factory, after=after, limit=2)
        pages.append([int(line.case_number) for line, _ in page])
        if len(page) < 2:
            break
        after = pages[-1][-1]
    assert pages == [whole[:2], whole[2:]]
