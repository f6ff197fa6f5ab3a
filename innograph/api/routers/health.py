"""Liveness and graph counts."""

from fastapi import APIRouter

from innograph.api.deps import ServiceDep, StateDep, run_blocking
from innograph.api.schemas import Health, Stats

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Is the API up and the graph reachable?")
async def health(state: StateDep, service: ServiceDep) -> Health:
    found = await run_blocking(state, service.health)
    return Health(status="ok", backend=found.backend, version=found.version)


@router.get("/stats", response_model=Stats, summary="Counts by label and relationship type")
async def stats(state: StateDep, service: ServiceDep) -> Stats:
    return Stats.of(await run_blocking(state, service.stats))
