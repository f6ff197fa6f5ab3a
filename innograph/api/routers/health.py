"""Liveness and graph counts."""

from typing import Annotated

from fastapi import APIRouter, Depends

from innograph.api.deps import ApiState, api_state, run_blocking
from innograph.api.errors import ApiError
from innograph.api.limits import Limits
from innograph.api.schemas import Health, Stats


def router(limits: Limits) -> APIRouter:
    r = APIRouter(tags=["health"])

    @r.get("/health", response_model=Health, summary="Is the API up and the graph reachable?")
    async def health(state: Annotated[ApiState, Depends(api_state)]) -> Health:
        try:
            version = await run_blocking(state, state.store.version)
        except ApiError:
            raise
        except Exception as exc:  # the database is down: say so as 503, not 500
            raise ApiError(
                503, "unavailable", "the graph store is not reachable", str(exc)
            ) from exc
        return Health(status="ok", backend=state.store.dialect, version=str(version))

    @r.get("/stats", response_model=Stats, summary="Counts by label and relationship type")
    async def stats(state: Annotated[ApiState, Depends(api_state)]) -> Stats:
        return Stats.from_stats(await run_blocking(state, state.store.stats))

    return r
