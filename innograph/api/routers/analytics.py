"""Paths, introductions and connectors. Source and target may be ids or names; a name that
is unknown or means several entities is a 404 listing the ranked candidates."""

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query

from innograph.api.deps import ServiceDep, StateDep, run_blocking
from innograph.api.limits import Cap
from innograph.api.lookup import name_param
from innograph.api.schemas import (
    ConnectorOut,
    ConnectorsResult,
    IntroductionsResult,
    PathsResult,
    error_responses,
)
from innograph.model import Label, RelType

ERRORS = error_responses(404, 422, 503)
MAX_AVOID = 20


class Sector(StrEnum):
    ACADEMIA = "academia"
    INDUSTRY = "industry"
    GOVERNMENT = "government"


Name = Annotated[
    str,
    Query(min_length=1, description="An id or a name."),
    Cap("max_query_chars", length=True),
]

router = APIRouter(tags=["analytics"])


@router.get(
    "/paths",
    response_model=PathsResult,
    responses=ERRORS,
    summary="How two entities are connected: the k shortest paths with evidence per hop",
)
async def paths(
    state: StateDep,
    service: ServiceDep,
    source: Name,
    target: Name,
    k: Annotated[int, Query(ge=1), Cap("max_k")] = 1,
    max_hops: Annotated[int, Query(ge=1), Cap("max_hops")] = 6,
    via: Annotated[
        list[Label] | None,
        Query(description="Only paths passing through an entity of one of these labels."),
    ] = None,
    avoid: Annotated[
        list[str] | None,
        Query(
            max_length=MAX_AVOID,
            description="Entities (ids or names) the paths must not pass through.",
        ),
    ] = None,
    rel: Annotated[
        list[RelType] | None, Query(description="Only these relationship types.")
    ] = None,
) -> PathsResult:
    a, b = name_param(source, "source"), name_param(target, "target")
    avoided = tuple(name_param(x, "avoid", state.limits.max_query_chars) for x in avoid or ())
    found = await run_blocking(
        state,
        service.connection,
        a,
        b,
        k,
        max_hops,
        tuple(sorted({x.value for x in via or ()})),
        avoided,
        tuple(sorted({x.value for x in rel or ()})),
    )
    return PathsResult.of(found)


@router.get(
    "/introductions",
    response_model=IntroductionsResult,
    responses=ERRORS,
    summary="Who could introduce source to target, ranked, with reasons and evidence",
)
async def introductions(
    state: StateDep,
    service: ServiceDep,
    source: Name,
    target: Name,
    top: Annotated[int, Query(ge=1), Cap("max_page")] = 10,
) -> IntroductionsResult:
    a, b = name_param(source, "source"), name_param(target, "target")
    found = await run_blocking(state, service.introductions, a, b, top)
    return IntroductionsResult.of(found)


@router.get(
    "/connectors",
    response_model=ConnectorsResult,
    responses=ERRORS,
    summary="Entities that bridge otherwise separate parts of the graph (brokers)",
)
async def connectors(
    state: StateDep,
    service: ServiceDep,
    top: Annotated[int, Query(ge=1), Cap("max_page")] = 20,
    label: Annotated[list[Label] | None, Query(description="Only these labels.")] = None,
    between: Annotated[
        list[Sector] | None,
        Query(
            max_length=2,
            description="Two different sectors: rank by brokerage between them "
            "(academia = academicians, institutes; industry = firms, parks; "
            "government = organisations).",
        ),
    ] = None,
) -> ConnectorsResult:
    found = await run_blocking(
        state,
        service.connectors,
        top,
        tuple(sorted({x.value for x in label or ()})),
        tuple(x.value for x in between or ()) or None,
    )
    return ConnectorsResult(connectors=[ConnectorOut.of(c) for c in found])
