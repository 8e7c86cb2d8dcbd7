"""The typed errors as RFC 9457 problem details (`application/problem+json`), mapped once
for every route: InvalidInput 422 naming every field with the CLI's codes (404 when what
it names is not there), NotFound 404, Conflict 409, Forbidden 403, a wrong key 401.
A route raises; its request's transaction was not committed, so nothing was written."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from fordring.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolation,
    Unfinished,
)
from fordring.entrypoints.api.schemas import ProblemField, ProblemOut
from fordring.services.api_keys import Unauthenticated

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("fordring.api")

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Invalid input",
    500: "Internal error",
}


def problem(
    status: int,
    detail: str,
    errors: Sequence[ProblemField] = (),
    headers: dict[str, str] | None = None,
) -> Response:
    body = ProblemOut(
        title=TITLES.get(status, "Error"), status=status, detail=detail, errors=list(errors)
    )
    return Response(
        body.model_dump_json(), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def _invalid(_: Request, error: Exception) -> Response:
    assert isinstance(error, InvalidInput)
    fields = [
        ProblemField(field=p.field, code=p.code, message=p.reason, where=p.where or None)
        for p in error.problems
    ]
    if fields and all(p.code == "not_found" for p in error.problems):
        return problem(404, str(error), fields)
    return problem(422, str(error), fields)


def _unparsed(_: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    fields = []
    for found in error.errors():
        where = [str(part) for part in found.get("loc", ()) if part != "body"]
        name = where[-1] if where else "body"
        if found.get("type") == "extra_forbidden":
            code = "unknown_field"
        elif found.get("type") == "missing":
            code = "required"
        else:
            code = "invalid"
        place = ".".join(where[:-1]) or None
        fields.append(ProblemField(field=name, code=code, message=found["msg"], where=place))
    return problem(422, "; ".join(f"{f.field}: {f.message}" for f in fields), fields)


def _simple(status: int, code: str) -> Any:
    def handle(_: Request, error: Exception) -> Response:
        return problem(status, str(error), [ProblemField(field="", code=code, message=str(error))])

    return handle


def _unauthenticated(_: Request, error: Exception) -> Response:
    return problem(401, str(error), headers={"WWW-Authenticate": "Bearer"})


def _http(_: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    headers = dict(error.headers) if error.headers else None
    return problem(error.status_code, str(error.detail), headers=headers)


def _unexpected(_: Request, error: Exception) -> Response:
    # The text of a database error holds SQL and parameters: logged, never answered.
    log.exception("unexpected error in a request", exc_info=error)
    return problem(500, f"unexpected {type(error).__name__}")


def install(app: FastAPI) -> None:
    app.add_exception_handler(InvalidInput, _invalid)
    app.add_exception_handler(RequestValidationError, _unparsed)
    app.add_exception_handler(RuleViolation, _simple(422, "rule_violation"))
    app.add_exception_handler(NotFound, _simple(404, "not_found"))
    app.add_exception_handler(Conflict, _simple(409, "conflict"))
    app.add_exception_handler(Forbidden, _simple(403, "forbidden"))
    app.add_exception_handler(Unfinished, _simple(500, "unfinished"))
    app.add_exception_handler(Unauthenticated, _unauthenticated)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
