"""Per-application state and the dependencies routes ask for: the store, the shared
analytics service, the ingestor, and the way blocking work is run off the event loop with a
deadline."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio
from fastapi import Request

from innograph.api.errors import ApiError
from innograph.api.limits import Limits
from innograph.config import Settings
from innograph.graph.store import GraphStore

T = TypeVar("T")


@dataclass
class ApiState:
    settings: Settings
    limits: Limits
    store: GraphStore
    owns_store: bool
    # Bounds threads busy with store/analytics work; abandoned (timed-out) calls keep their
    # token until they really finish, so a flood of slow queries cannot pile up threads.
    limiter: anyio.CapacityLimiter = field(default_factory=lambda: anyio.CapacityLimiter(16))
    _service: Any = None
    _service_lock: threading.Lock = field(default_factory=threading.Lock)
    _ingestor: Any = None
    # Extraction and identity resolution share mutable state (alias table): one upload at a time.
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)

    def service(self) -> Any:
        """The one `GraphService` of this app. It keeps its in-memory projection and checks
        `store.version()` itself, so a write through any client is seen by the next query."""
        if self._service is None:
            with self._service_lock:
                if self._service is None:
                    from innograph.graph.service import GraphService

                    self._service = GraphService.from_settings(
                        self.store, self.settings, version_ttl=self.limits.staleness
                    )
        return self._service

    def wrote(self) -> None:
        """After a write through this process: the next query checks the store version."""
        if self._service is not None:
            self._service.invalidate()

    def ingestor(self) -> Any:
        if self._ingestor is None:
            from innograph.ingest.service import Ingestor

            self._ingestor = Ingestor(self.store)
        return self._ingestor


def api_state(request: Request) -> ApiState:
    return request.app.state.api


async def run_blocking(
    state: ApiState, fn: Callable[..., T], *args: Any, timeout: float | None = None
) -> T:
    """Run a blocking store/analytics call in a worker thread under the query deadline.
    On timeout the client gets a 504 at once; the thread is abandoned and finishes alone."""
    limit = state.limits.query_timeout if timeout is None else timeout
    with anyio.move_on_after(limit) as scope:
        return await anyio.to_thread.run_sync(
            lambda: fn(*args), limiter=state.limiter, abandon_on_cancel=True
        )
    assert scope.cancelled_caught
    raise ApiError(504, "timeout", f"the query did not finish within {limit:g} s")
