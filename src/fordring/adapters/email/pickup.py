"""A mail pickup folder: each message as an RFC 5322 `.eml` file for a mail server to send.

Many mail servers (and mail relays in locked-down networks) pick up outgoing mail from a
folder; the demo uses one so its e-mail can be read without a server. A message is
written to a temporary name and renamed (never through a link: adapters/safe_files.py),
so a half-written file is never picked up; the
file name is a digest of the recipient, subject, body and attachments, so the same mail
twice is one file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from fordring.adapters.email.smtp import compose
from fordring.adapters.safe_files import folder
from fordring.services.ports import DeliveryFailed, OutgoingMail


class PickupFolderMailer:
    def __init__(self, root: str | Path, sender: str = "fordring@localhost") -> None:
        self.root = Path(root)
        self.sender = sender

    def send(self, mail: OutgoingMail) -> None:
        message = compose(mail, self.sender).as_bytes()
        digest = hashlib.sha256(f"{mail.to}\n{mail.subject}\n{mail.body}".encode())
        for attachment in mail.attachments:
            digest.update(attachment.content)
        key = digest.hexdigest()[:20]
        try:
            with folder(self.root) as pickup:
                pickup.write(f"{key}.eml", message)
        except OSError as error:
            raise DeliveryFailed("email", f"pickup folder {self.root}: {error}") from None
