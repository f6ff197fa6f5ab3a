"""Who may write. Reads are open; POST and DELETE need the API key when one is configured
(`INNOGRAPH_API_KEY`), and without a key only clients on the loopback interface may write,
so a server started for local use is not an open write endpoint by accident."""

from __future__ import annotations

import hmac
import ipaddress
import logging
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from innograph.api.errors import ApiError

log = logging.getLogger("innograph.api")

# auto_error=False: a missing header is our 401 in our error body, not FastAPI's 403.
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="ApiKey")
bearer = HTTPBearer(auto_error=False, scheme_name="Bearer")


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def keys_match(given: str, expected: str) -> bool:
    # Constant time, so the key cannot be guessed a character at a time from timings.
    return hmac.compare_digest(given.encode(), expected.encode())


def check_writer(
    request: Request,
    api_key: str | None,
    credentials: HTTPAuthorizationCredentials | None,
) -> None:
    expected: str | None = request.app.state.settings.api_key
    if expected is None:
        client = request.client.host if request.client else None
        if is_loopback(client):
            return
        raise ApiError(
            403,
            "forbidden",
            "writes are only allowed from localhost when no INNOGRAPH_API_KEY is configured",
        )
    given = api_key or (credentials.credentials if credentials else None)
    if not given:
        raise ApiError(
            401,
            "unauthorized",
            "this endpoint needs an API key in X-API-Key or Authorization: Bearer",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not keys_match(given, expected):
        raise ApiError(403, "forbidden", "the API key is not valid")


def require_writer(
    request: Request,
    api_key: Annotated[str | None, Depends(api_key_header)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """The dependency every write route declares."""
    check_writer(request, api_key, credentials)


def warn_if_open(api_key: str | None) -> None:
    if api_key is None:
        log.warning(
            "INNOGRAPH_API_KEY is not set: POST/DELETE are accepted from localhost only, "
            "without authentication. Set INNOGRAPH_API_KEY before exposing this server."
        )
