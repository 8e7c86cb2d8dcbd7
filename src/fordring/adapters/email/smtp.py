"""The SMTP mailer: one message per call, PDF attachments, refusals reported per recipient.

Configured by a URL: `smtp://[user:password@]host[:port][?starttls=1&from=addr]`
(`smtps://` for TLS from the start), e.g. FORDRING_SMTP_URL=smtp://localhost:25.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from fordring.domain.errors import InvalidInput
from fordring.services.ports import DeliveryFailed, OutgoingMail

TIMEOUT_SECONDS = 30


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    username: str = ""
    password: str = ""
    starttls: bool = False
    tls: bool = False

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise InvalidInput.one("smtp", f"{url!r} is not smtp://host[:port] or smtps://…")
        query = parse_qs(parts.query)
        tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls else 25),
            sender=query.get("from", ["fordring@localhost"])[0],
            username=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            starttls=query.get("starttls", ["0"])[0] in ("1", "true", "yes"),
            tls=tls,
        )


def compose(mail: OutgoingMail, sender: str) -> EmailMessage:
    """The mail as a MIME message with its attachments: from `sender` (the address the
    server may send as) under the mail's sender name, replies to its `reply_to`."""
    message = EmailMessage()
    message["From"] = formataddr((mail.sender_name, sender)) if mail.sender_name else sender
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="fordring")
    message.set_content(mail.body)
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


class SmtpMailer:
    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def send(self, mail: OutgoingMail) -> None:
        s = self.settings
        try:
            client: smtplib.SMTP
            if s.tls:
                client = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS)
            with client:
                if s.starttls:
                    client.starttls(context=ssl.create_default_context())
                if s.username:
                    client.login(s.username, s.password)
                refused = client.send_message(compose(mail, s.sender))
        except smtplib.SMTPRecipientsRefused as error:
            code, reason = next(iter(error.recipients.values()))
            raise DeliveryFailed("email", f"{mail.to} refused: {code} {_text(reason)}") from None
        except smtplib.SMTPResponseException as error:
            raise DeliveryFailed(
                "email", f"server said {error.smtp_code} {_text(error.smtp_error)}"
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed("email", f"{s.host}:{s.port}: {error}") from None
        if refused:
            raise DeliveryFailed("email", f"refused: {', '.join(refused)}")


def _text(reason: bytes | str) -> str:
    return reason.decode(errors="replace") if isinstance(reason, bytes) else reason
