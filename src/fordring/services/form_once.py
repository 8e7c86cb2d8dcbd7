"""A portal form's single-use token (`once`): the page puts a new one in a form that
makes something (an API key, a webhook endpoint), and the use case claims it in the
transaction that makes it, so the same form sent again (a reload, a double click) makes
nothing the second time. The claim is a row of the API's idempotency table (a key of
its own prefix), forgotten with the API's after its days."""

from __future__ import annotations

import secrets
from datetime import date

from fordring.domain.errors import Conflict
from fordring.services.ports import UnitOfWork

PREFIX = "portal-form:"  # claims of forms, apart from the API's Idempotency-Keys
MAX_LENGTH = 100


class AlreadyDone(Conflict):
    """The form with this token was sent before: what it made is made (and a secret it
    showed is not shown again)."""


def new_once() -> str:
    """A new token for a form: 32 random bytes, URL-safe text."""
    return secrets.token_urlsafe(32)


def claim_once(uow: UnitOfWork, once: str | None, on: date) -> None:
    """Claim the form's token in `uow`'s transaction (nothing if there is none, as from
    the API or the command line); AlreadyDone if it was claimed before (a claim whose
    transaction rolled back is none)."""
    if once is None:
        return
    if not uow.idempotency.claim(PREFIX + once[:MAX_LENGTH], "portal form", on):
        raise AlreadyDone("this form was sent before: made already")
