"""The SMTP mailer against a real SMTP server (aiosmtpd) on localhost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.smtp_server import REFUSED, Mailbox, free_port, smtp_server

from fordring.adapters.email.smtp import SmtpMailer, SmtpSettings, compose
from fordring.domain.errors import InvalidInput
from fordring.services.ports import Attachment, DeliveryFailed, OutgoingMail


@pytest.fixture
def server() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as running:
        yield running


def test_a_mail_arrives_with_its_pdf(server: tuple[Mailbox, int]) -> None:
    mailbox, port = server
    mailer = SmtpMailer(SmtpSettings.from_url(f"smtp://127.0.0.1:{port}?from=inkasso@demo.no"))
    pdf = b"%PDF-1.7 test"
    mailer.send(
        OutgoingMail(
            "kreditor@demo.no",
            "Inkassoliste 2026-03-03",
            "Vedlagt.",
            (Attachment("inkassoliste.pdf", pdf),),
        )
    )
    (message,) = mailbox.messages
    assert message["From"] == "inkasso@demo.no" and message["Subject"] == "Inkassoliste 2026-03-03"
    parts = [p for p in message.walk() if p.get_filename() == "inkassoliste.pdf"]
    assert parts[0].get_payload(decode=True) == pdf


def test_a_refused_recipient_is_reported_with_the_server_reason(
    server: tuple[Mailbox, int],
) -> None:
    _, port = server
    mailer = SmtpMailer(SmtpSettings.from_url(f"smtp://127.0.0.1:{port}"))
    with pytest.raises(DeliveryFailed, match=r"550 5\.1\.1 no such user"):
        mailer.send(OutgoingMail(REFUSED, "x", "y"))


def test_an_unreachable_server_is_a_delivery_failure() -> None:
    mailer = SmtpMailer(SmtpSettings.from_url(f"smtp://127.0.0.1:{free_port()}"))
    with pytest.raises(DeliveryFailed, match=r"email: 127\.0\.0\.1"):
        mailer.send(OutgoingMail("a@b.no", "x", "y"))


def test_a_bad_smtp_url_names_the_setting() -> None:
    with pytest.raises(InvalidInput, match="smtp"):
        SmtpSettings.from_url("http://example")


def test_a_mail_with_a_sender_name_is_from_that_name_and_replies_go_to_its_address() -> None:
    """A collector's letter: the server's own address under the collector's name, replies
    to the collector (issue 12)."""
    mail = OutgoingMail(
        "kari@example.no", "Betalingsoppfordring fra Inkasso AS", "Vedlagt.",
        sender_name="Inkasso AS", reply_to="post@inkasso.no",
    )  # fmt: skip
    message = compose(mail, "fordring@demo.no")
    assert message["From"] == "Inkasso AS <fordring@demo.no>"
    assert message["Reply-To"] == "post@inkasso.no"
    assert compose(OutgoingMail("kari@example.no", "x", "y"), "a@b.no")["Reply-To"] is None
