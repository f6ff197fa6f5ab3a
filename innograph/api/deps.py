"""Per-application state and the dependencies routes ask for: the app's `GraphService`
(`ServiceDep`), its limits (`LimitsDep`), the state itself (`StateDep`), and the way blocking
work runs off the event loop with a deadline (`run_blocking`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import Depends, Request

from innograph.config import Limits, Settings
from innograph.errors import Timeout
from innograph.graph.service import GraphService
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
    _service: GraphService | None = None
    _service_lock: threading.Lock = field(default_factory=threading.Lock)

    def service(self) -> GraphService:
        """The one `GraphService` of this app. It keeps its in-memory projection and checks
        `store.version()` itself (at most every `limits.staleness` seconds), and its writes
        are seen by the next query at once."""
        if self._service is None:
            with self._service_lock:
                if self._service is None:
                    self._service = GraphService.from_settings(
                        self.store, self.settings, version_ttl=self.limits.staleness
                    )
        return self._service


async def api_state(request: Request) -> ApiState:
    state: ApiState = request.app.state.api
    return state


StateDep = Annotated[ApiState, Depends(api_state)]


async def graph_service(state: StateDep) -> GraphService:
    return state.service()


async def api_limits(state: StateDep) -> Limits:
    return state.limits


ServiceDep = Annotated[GraphService, Depends(graph_service)]
LimitsDep = Annotated[Limits, Depends(api_limits)]


async def run_blocking(
    state: ApiState, fn: Callable[..., T], *args: Any, timeout: float | None = None
) -> T:
    """Run a blocking service call in a worker thread under the query deadline (or
    `timeout`). On timeout the client gets a 503 at once; the thread is abandoned and
    finishes alone (a write keeps the write lock until it has)."""
    limit = state.limits.query_timeout if timeout is None else timeout
    with anyio.move_on_after(limit) as scope:
        return await anyio.to_thread.run_sync(
            lambda: fn(*args), limiter=state.limiter, abandon_on_cancel=True
        )
    assert scope.cancelled_caught
    raise Timeout(f"the query did not finish within {limit:g} s")
