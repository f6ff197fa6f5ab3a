"""The FastAPI application factory. The store is opened when the app starts (lifespan) and
closed when it stops, unless the caller handed one in, which then stays the caller's."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import anyio
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from innograph.api.deps import ApiState
from innograph.api.errors import install_error_handlers
from innograph.api.freshness import Freshness
from innograph.api.middleware import BodySizeLimit, HeaderSizeLimit, SecurityHeaders
from innograph.api.routers import analytics, documents, entities, health, views
from innograph.api.routing import bind_limits
from innograph.api.security import require_reader, warn_if_open
from innograph.config import Limits, Settings, load_settings
from innograph.graph.store import GraphStore, open_store

# Every router of the API, in the order /docs lists them.
ROUTERS = (health.router, entities.router, analytics.router, documents.router, views.router)

DESCRIPTION = """\
Read and grow the InnoGraph knowledge graph: academicians, institutes, firms, parks and
technologies, and who works with whom, each relationship with the sentences that support it.

* Reads are open. Writes (`POST`/`DELETE /documents`, `POST /entities/{id}/unmerge`) need
  `X-API-Key` or `Authorization: Bearer` matching `INNOGRAPH_API_KEY`; with no key
  configured they are accepted from localhost only.
* Every error has the body `{"error": {"code", "message", "detail"?, "candidates"?}}`.
* Limits (depth, k, hops, page size, upload size, query time) are in the parameter maxima
  below and configurable through `INNOGRAPH_API_*` variables (see `innograph.api.limits`).
"""


def create_app(
    settings: Settings | None = None,
    store: GraphStore | None = None,
    limits: Limits | None = None,
    warm: bool = False,
) -> FastAPI:
    """The app. `settings` default to `load_settings()`; `limits` (the API's caps) to the
    settings' own. `warm` (what `serve` does): build the analytics projection during start-up
    and the name index right after, in the background, so the first queries are as fast
    as the rest, and keep them current from a background task (see
    `innograph.api.freshness`)."""
    settings = settings or load_settings()
    limits = limits or settings.limits

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warn_if_open(
            settings.api_key or (str(settings.api_key_file) if settings.api_key_file else None)
        )
        owns = store is None
        opened = store
        if opened is None:
            opened = await anyio.to_thread.run_sync(open_store, settings)
            await anyio.to_thread.run_sync(opened.ensure_schema)
        app.state.api = ApiState(settings=settings, limits=limits, store=opened, owns_store=owns)
        refresher: asyncio.Task[None] | None = None
        try:
            if warm:
                freshness = Freshness(app.state.api)
                await anyio.to_thread.run_sync(lambda: freshness.check(names=False))
                refresher = asyncio.get_running_loop().create_task(freshness.run())
            yield
        finally:
            if refresher is not None:
                refresher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await refresher
            if owns:
                await anyio.to_thread.run_sync(opened.close)

    app = FastAPI(
        title="InnoGraph API",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # An API answers the path it was given: no 307 to a slash-less twin, which would
        # also bounce ids that end in an (encoded) slash.
        redirect_slashes=False,
        dependencies=[Depends(require_reader)],
    )
    app.state.settings = settings
    app.state.limits = limits
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(bind_limits(router, limits))
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["X-API-Key", "Authorization", "Content-Type"],
        )
    # Outermost, so an oversized body is refused before anything else reads it.
    app.add_middleware(BodySizeLimit, max_bytes=limits.max_upload_bytes)
    app.add_middleware(HeaderSizeLimit, max_bytes=limits.max_header_bytes)
    # Outermost of all, so refusals (413, CORS preflights) carry the headers too.
    app.add_middleware(SecurityHeaders)
    return app
