"""How a route answers: read the key (`Authorization: Bearer …`, a collector's creditor in
`Fordring-Creditor`) and the `Idempotency-Key` from the request, and hand the service call
to `answer_request`, which runs it in the request's one transaction. A route copies this:

    @router.post("/customers", status_code=201, response_model=CustomerOut)
    def create(body: CustomerIn, request: Request) -> Response:
        def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
            return json_answer(CustomerOut.of(add_customer(..., scope, uows)), 201)
        return call(request, Permission.WRITE_CUSTOMERS, work, body)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from fordring import bootstrap
from fordring.domain.api_access import Permission
from fordring.domain.errors import InvalidInput
from fordring.entrypoints.api.together import Together
from fordring.services.api_keys import Unauthenticated
from fordring.services.api_requests import (
    Answer,
    Credentials,
    Idempotency,
    Work,
    answer_request,
    answer_together,
    read_in_request,
)
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope

T = TypeVar("T")
C = TypeVar("C")

# The PDF renderers are one per process and render one document at a time: an invoice's or
# a settlement's PDF, and a daily run done in-process (its letters and invoices), take it.
RENDERING = threading.Lock()

CREDITOR_HEADER = "Fordring-Creditor"
IDEMPOTENCY_HEADER = "Idempotency-Key"
READS = frozenset({"GET", "HEAD"})  # they change nothing: answered read-only


def json_answer(model: BaseModel, status: int = 200) -> Answer:
    return Answer(status, model.model_dump_json().encode())


def application(request: Request) -> bootstrap.Application:
    app: bootstrap.Application = request.app.state.application
    return app


def credentials(request: Request) -> Credentials:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("send the API key as `Authorization: Bearer fk_…`")
    app = application(request)
    creditor = request.headers.get(CREDITOR_HEADER)
    return Credentials(token.strip(), creditor, app.api_hmac_key, app.verified_keys)


def read(
    request: Request, permission: Permission, reader: Callable[[Scope, UnitOfWorkFactory], T]
) -> T:
    """What `reader` (a service call) returns, if the request's key may `permission`."""
    app = application(request)
    return read_in_request(
        app.uow_factory.unscoped, credentials(request), bootstrap.today(), permission, reader
    )


def call(
    request: Request, permission: Permission, work: Work, body: BaseModel | bytes | None = None
) -> Response:
    """Answer `request` with `work` (a service call) if its key may `permission`."""
    app = application(request)
    answer = answer_request(
        app.uow_factory.unscoped,
        credentials(request),
        bootstrap.today(),
        permission,
        work,
        _idempotency(request, body),
        reading=request.method in READS,
    )
    return _response(answer)


def call_together(
    request: Request,
    permission: Permission,
    body: BaseModel,
    command: Callable[[], C],
    work: Callable[[Scope, UnitOfWorkFactory, list[C]], list[Answer]],
    alone: Callable[[C], Work],
    together: Together[tuple[Idempotency | None, C], Response],
) -> Response:
    """`call(request, permission, alone(command()), body)`, answered together with the
    requests of the same key that come while one of them is answered (`together.py`):
    `command()` is the request's typed command, `work` answers the commands of several
    requests in one unit of work (all or none). A request whose body has a problem is
    refused as `call` refuses it: after its key and role are checked."""
    try:
        cmd = command()
    except InvalidInput as error:
        return call(request, permission, _refusing(error), body)
    app, given = application(request), credentials(request)

    def answers(items: Sequence[tuple[Idempotency | None, C]]) -> list[Response | None]:
        done = answer_together(
            app.uow_factory.unscoped,
            given,
            bootstrap.today(),
            permission,
            [idempotency for idempotency, _ in items],
            lambda scope, uows, doing: work(scope, uows, [items[i][1] for i in doing]),
        )
        return [None if answer is None else _response(answer) for answer in done]

    group = (request.url.path, given.token, given.creditor)
    item = (_idempotency(request, body), cmd)
    return together.answer(
        group, item, answers, lambda: call(request, permission, alone(cmd), body)
    )


def _refusing(error: InvalidInput) -> Work:
    """Work that refuses with `error` (a body with a problem), once the key and role are
    checked, as a route's own work would."""

    def refused(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        raise error

    return refused


def _idempotency(request: Request, body: BaseModel | bytes | None) -> Idempotency | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None or request.method != "POST":  # a GET's key is ignored
        return None
    if isinstance(body, bytes):
        content = body
    else:
        content = body.model_dump_json().encode() if body is not None else b""
    line = f"{request.method} {request.url.path}?{request.url.query}\n".encode()
    return Idempotency(key, line + content)


def _response(answer: Answer) -> Response:
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
    return Response(answer.body, answer.status, headers=headers, media_type=answer.media_type)
