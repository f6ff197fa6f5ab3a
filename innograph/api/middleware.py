"""Body size cap as plain ASGI middleware, so an oversized request is refused from its
Content-Length before any of it is read, and a chunked one as soon as it passes the cap
(the rest is never buffered)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from innograph.api.errors import BodyTooLarge, error_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    """Answer with our JSON error body and close: the rest of the request is never read."""
    payload = json.dumps(error_body(code, message)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class HeaderSizeLimit:
    """431 for a request whose headers add up to more than `max_bytes`. The HTTP parser's
    own cap (`innograph serve` sets h11's max incomplete event size) only applies while a
    head is still arriving: one that arrives whole in a single read is parsed whatever its
    size, so the total is checked here as well, before any route sees the request."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = sum(len(name) + len(value) + 4 for name, value in scope.get("headers", ()))
            if size > self.max_bytes:
                message = f"request headers are larger than the limit of {self.max_bytes} bytes"
                await _refuse(send, 431, "headers_too_large", message)
                return
        await self.app(scope, receive, send)


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send: Send) -> None:
        message = f"request body is larger than the limit of {self.max_bytes} bytes"
        await _refuse(send, 413, "payload_too_large", message)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_bytes:
                    await self._refuse(send)
                    return
        seen = 0
        exceeded = False
        started = False

        async def limited_receive() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            # Whatever the app made of the aborted body (often a 400 from the form parser),
            # the client is told the real reason.
            if exceeded:
                if not started:
                    started = True
                    await self._refuse(send)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)


# Swagger UI and ReDoc (/docs, /redoc) are FastAPI's pages: their scripts and styles come from
# a CDN and an inline bootstrap script, so they get their own, wider policy.
DOCS_PATHS = ("/docs", "/redoc")
CSP = (
    # style attributes allowed: the explorer colours badges with them (no script can run);
    # scripts load only from this origin: never inline, never eval (tests drive the page
    # over the DevTools protocol, which a page's policy does not govern)
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


class SecurityHeaders:
    """Headers every response carries (no MIME sniffing, no framing, no referrer), and a
    Content-Security-Policy on HTML: the explorer under /explore serves its own scripts,
    styles and data: images from this origin, nothing else runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                ]
                ctype = next((v for n, v in headers if n.lower() == b"content-type"), b"")
                if ctype.startswith(b"text/html"):
                    policy = DOCS_CSP if path.startswith(DOCS_PATHS) else CSP
                    extra.append((b"content-security-policy", policy.encode()))
                headers.extend((n, v) for n, v in extra if n not in names)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
