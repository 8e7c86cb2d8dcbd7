"""Handing a UBL document to a Peppol access point: through a folder or an HTTP API.

Sending over Peppol (AS4, certificates) is the access point's job; fordring only hands the
document over and keeps the reference it gets back.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fordring.adapters.safe_files import folder
from fordring.domain.errors import InvalidInput
from fordring.domain.peppol import BILLING_PROCESS, PROCESS_SCHEME
from fordring.services.ports import DeliveryFailed, OutgoingEhf

CHANNEL = "peppol"
EXCERPT_CHARS = 200
MAX_RESPONSE_BYTES = 100_000
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}")


class FolderAccessPoint:
    """An access point that picks up plain UBL from a folder.

    `submit` writes `<root>/<name>.json` (the routing: sender, receiver, document type,
    process, sha256 of the UBL) and then `<root>/<name>.xml`, each to a hidden temporary
    name first and renamed into place (never through a link: adapters/safe_files.py), so
    the access point never reads half a file and finds the routing before the document.
    Submitting the same name with the same bytes again changes nothing and returns the
    same path; with other bytes it is refused, since what was handed over may already be
    on its way. One writer per name is assumed (the
    check and the rename are not one atomic step). What the access point does with the
    files afterwards (moving them to `sent/` or `error/`) is its own business.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def submit(self, document: OutgoingEhf) -> str:
        _check_name(document.name)
        name = f"{document.name}.xml"
        target = self.root / name
        try:
            with folder(self.root) as root:
                handed = root.read(name)
                if handed is None:
                    root.write(f"{document.name}.json", _sidecar(document), durable=True)
                    root.write(name, document.ubl, durable=True)
        except OSError as error:
            raise DeliveryFailed(CHANNEL, f"cannot write {target}: {error}") from None
        if handed is not None and handed != document.ubl:
            raise DeliveryFailed(
                CHANNEL, f"{target} was handed over with other content; it is not replaced"
            )
        return str(target)


class HttpAccessPoint:
    """An access point with an HTTP API (the assumed API, which a small shim can provide):

        POST {base_url}/outbox
        Content-Type: application/xml          body: the UBL document
        X-Peppol-Sender: 0192:923456783        the seller's participant id
        X-Peppol-Receiver: 0192:988077917      the buyer's participant id
        X-Peppol-Document-Type: busdox-docid-qns::urn:oasis:…::2.1
        X-Peppol-Process: cenbii-procid-ubl::urn:fdc:peppol.eu:2017:poacc:billing:01:1.0
        Idempotency-Key: <document name>       the same key again returns the first answer
        Authorization: Bearer <token>          when a token is configured

    answered with 2xx and JSON `{"id": "<the access point's reference>"}`. Anything else
    (another status, a body without an id, no answer within `timeout` seconds) is
    DeliveryFailed with the status and the start of the body. Redirects are not followed.
    """

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 30.0) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidInput.one("access_point", f"{base_url!r} is not an http(s) URL")
        self.outbox = f"{base_url.rstrip('/')}/outbox"
        self.token = token
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirects())

    def submit(self, document: OutgoingEhf) -> str:
        request = urllib.request.Request(
            self.outbox, data=document.ubl, method="POST", headers=self._headers(document)
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status, body = response.status, response.read(MAX_RESPONSE_BYTES)
        except urllib.error.HTTPError as error:
            with error:
                excerpt = _excerpt(error.read(MAX_RESPONSE_BYTES))
            raise DeliveryFailed(
                CHANNEL, f"the access point answered {error.code}: {excerpt}"
            ) from None
        except (OSError, ValueError, http.client.HTTPException) as error:
            raise DeliveryFailed(CHANNEL, f"the access point did not answer: {error}") from None
        return _reference(status, body)

    def _headers(self, document: OutgoingEhf) -> dict[str, str]:
        headers = {
            "Content-Type": "application/xml",
            "Accept": "application/json",
            "X-Peppol-Sender": document.sender,
            "X-Peppol-Receiver": document.receiver,
            "X-Peppol-Document-Type": document.document_type,
            "X-Peppol-Process": f"{PROCESS_SCHEME}::{BILLING_PROCESS}",
            "Idempotency-Key": document.name,
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """urllib would turn a redirected POST into a GET without the document."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _reference(status: int, body: bytes) -> str:
    """The access point's id from a 2xx JSON answer `{"id": "..."}`."""
    try:
        answer = json.loads(body)
    except ValueError:
        answer = None
    reference = answer.get("id") if isinstance(answer, dict) else None
    if isinstance(reference, int | str) and not isinstance(reference, bool) and str(reference):
        return str(reference)
    raise DeliveryFailed(
        CHANNEL, f"the access point answered {status} without an id: {_excerpt(body)}"
    )


def _excerpt(body: bytes) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())
    return text if len(text) <= EXCERPT_CHARS else f"{text[:EXCERPT_CHARS]}…"


def _check_name(name: str) -> None:
    """A name that is a plain file name: no folders, no hidden files, no surprises."""
    if not _NAME.fullmatch(name):
        raise DeliveryFailed(CHANNEL, f"{name!r} cannot be a file name (letters, digits, ._-)")


def _sidecar(document: OutgoingEhf) -> bytes:
    routing = {
        "name": document.name,
        "sender": document.sender,
        "receiver": document.receiver,
        "document_type": document.document_type,
        "process": f"{PROCESS_SCHEME}::{BILLING_PROCESS}",
        "sha256": hashlib.sha256(document.ubl).hexdigest(),
    }
    return (json.dumps(routing, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
