"""One error body for every failure: `{"error": {"code", "message", "detail"?, "candidates"?}}`.

`STATUS` is the one place where the errors of `innograph.errors` get their HTTP status; the
handlers here also reshape FastAPI's own errors (validation, unknown routes, wrong methods)
into the same body, so a client parses exactly one error format whatever went wrong."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from innograph.errors import (
    Conflict,
    EntityLookupError,
    InnographError,
    InvalidInput,
    LimitExceeded,
    NotFound,
    StoreUnavailable,
    Timeout,
    TooLarge,
)

log = logging.getLogger("innograph.api")

# The HTTP status of each error class; a subclass takes its nearest listed ancestor's.
STATUS: dict[type[InnographError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,
    LimitExceeded: 422,
    TooLarge: 413,
    # The contract for capped work: 503 + Retry-After (the server is busy), not a
    # gateway's 504.
    Timeout: 503,
    StoreUnavailable: 503,
}
# Candidates listed with an unknown or ambiguous name.
MAX_CANDIDATES = 10

_CODE_FOR_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_parameters",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
    504: "timeout",
}


class ApiError(InnographError):
    """An error that only means something over HTTP (authentication, media types): it
    carries its own status. Everything else raises the errors of `innograph.errors`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        detail: Any = None,
        candidates: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message, detail=detail, code=code)
        self.status = status
        self.candidates = candidates
        self.headers = headers


class BodyTooLarge(TooLarge):
    """Raised while reading a request body that passes the size cap (see `middleware`)."""

    def __init__(self, message: str = "request body is too large") -> None:
        super().__init__(message)


def status_of(exc: InnographError) -> int:
    if isinstance(exc, ApiError):
        return exc.status
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def error_body(
    code: str,
    message: str,
    detail: Any = None,
    candidates: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code, "message": message}
    if detail is not None:
        err["detail"] = detail
    if candidates is not None:
        err["candidates"] = candidates
    return {"error": err}


def error_response(
    status: int,
    code: str,
    message: str,
    detail: Any = None,
    candidates: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = jsonable_encoder(error_body(code, message, detail, candidates))
    return JSONResponse(body, status_code=status, headers=dict(headers) if headers else None)


def _candidates(exc: InnographError) -> list[dict[str, Any]] | None:
    if isinstance(exc, ApiError):
        return exc.candidates
    if isinstance(exc, EntityLookupError):
        from innograph.api.schemas import CandidateOut

        return [CandidateOut.of(c).model_dump() for c in exc.candidates[:MAX_CANDIDATES]]
    return None


def _validation_detail(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Keep where and why; drop the echoed input, which may be huge or hostile.
    out = []
    for e in exc.errors():
        out.append(
            {
                "loc": [str(p) for p in e.get("loc", ())],
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
        )
    return out


async def _innograph_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InnographError)
    status = status_of(exc)
    if status >= 500 and not isinstance(exc, (StoreUnavailable, Timeout)):
        log.error("error on %s %s", request.method, request.url.path, exc_info=exc)
    headers = exc.headers if isinstance(exc, ApiError) else None
    if isinstance(exc, (Timeout, StoreUnavailable)):
        headers = {**(headers or {}), "Retry-After": "1"}
    return error_response(status, exc.code, exc.message, exc.detail, _candidates(exc), headers)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(
        422, "invalid_parameters", "invalid request parameters", _validation_detail(exc)
    )


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _CODE_FOR_STATUS.get(exc.status_code, f"http_{exc.status_code}")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    detail = None if isinstance(exc.detail, str) else exc.detail
    return error_response(exc.status_code, code, message, detail, headers=exc.headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the log, never to the client.
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "internal server error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(InnographError, _innograph_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
