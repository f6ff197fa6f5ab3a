"""One error body for every failure: `{"error": {"code", "message", "detail"?, "candidates"?}}`.

Handlers here reshape FastAPI's own errors (validation, unknown routes, wrong methods) into
that body too, so a client parses exactly one error format whatever went wrong."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("innograph.api")

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


class BodyTooLarge(Exception):
    """Raised while reading a request body that passes the size cap (see `middleware`)."""


class ApiError(Exception):
    """An error the API answers on purpose; raised anywhere below a route."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        detail: Any = None,
        candidates: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        self.candidates = candidates
        self.headers = headers


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
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = jsonable_encoder(error_body(code, message, detail, candidates))
    return JSONResponse(body, status_code=status, headers=headers)


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


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(
        exc.status, exc.code, exc.message, exc.detail, exc.candidates, exc.headers
    )


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


async def _body_too_large(_: Request, exc: Exception) -> JSONResponse:
    return error_response(413, "payload_too_large", "request body is too large")


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the log, never to the client.
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "internal server error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(BodyTooLarge, _body_too_large)
    app.add_exception_handler(Exception, _unexpected)
