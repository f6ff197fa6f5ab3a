"""Who may write. Reads are open; POST and DELETE need the API key when one is configured
(`INNOGRAPH_API_KEY`), and without a key only clients on the loopback interface may write,
so a server started for local use is not an open write endpoint by accident."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import threading
from pathlib import Path
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


class KeyRing:
    """The valid keys: INNOGRAPH_API_KEY plus the lines of INNOGRAPH_API_KEY_FILE, the file
    read again when its size, mtime or inode change (one stat per request), so keys rotate
    without a restart. An unreadable file holds no keys (requests are refused, not let in)."""

    def __init__(self, key: str | None, path: Path | None) -> None:
        self.key = key
        self.path = path
        self._stamp: tuple[int, int, int] | None = None
        self._file_keys: list[str] = []
        self._lock = threading.Lock()

    def current(self) -> list[str]:
        fixed = [self.key] if self.key else []
        if self.path is None:
            return fixed
        try:
            st = self.path.stat()
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            return fixed
        with self._lock:
            if stamp != self._stamp:
                try:
                    lines = self.path.read_text(encoding="utf-8").splitlines()
                except (OSError, UnicodeDecodeError):
                    lines = []
                self._file_keys = [k.strip() for k in lines if k.strip() and not k.startswith("#")]
                self._stamp = stamp
            return fixed + self._file_keys

    @property
    def configured(self) -> bool:
        return bool(self.key) or self.path is not None


def key_ring(request: Request) -> KeyRing:
    ring: KeyRing | None = getattr(request.app.state, "key_ring", None)
    if ring is None:
        settings = request.app.state.settings
        ring = KeyRing(settings.api_key, settings.api_key_file)
        request.app.state.key_ring = ring
    return ring


def _check_key(ring: KeyRing, given: str | None) -> None:
    if not given:
        raise ApiError(
            401,
            "unauthorized",
            "this endpoint needs an API key in X-API-Key or Authorization: Bearer",
            headers={"WWW-Authenticate": "Bearer"},
        )
    # Every key compared, each in constant time: no early exit tells which one came close.
    matches = [keys_match(given, key) for key in ring.current()]
    if not any(matches):
        raise ApiError(403, "forbidden", "the API key is not valid")


def require_reader(
    request: Request,
    api_key: Annotated[str | None, Depends(api_key_header)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Every route's dependency: nothing unless reads need a key (then a valid key)."""
    if not request.app.state.settings.reads_need_key or request.url.path == "/health":
        return
    _check_key(key_ring(request), api_key or (credentials.credentials if credentials else None))


def check_writer(
    request: Request,
    api_key: str | None,
    credentials: HTTPAuthorizationCredentials | None,
) -> None:
    ring = key_ring(request)
    if not ring.configured:
        client = request.client.host if request.client else None
        if is_loopback(client):
            return
        raise ApiError(
            403,
            "forbidden",
            "writes are only allowed from localhost when no INNOGRAPH_API_KEY is configured",
        )
    _check_key(ring, api_key or (credentials.credentials if credentials else None))


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
