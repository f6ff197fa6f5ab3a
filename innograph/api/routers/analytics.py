"""Paths, introductions and connectors. Source and target may be ids or names; a name that
is unknown or means several entities is a 404 listing the ranked candidates."""

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from innograph.api.deps import ApiState, api_state, run_blocking
from innograph.api.errors import ApiError
from innograph.api.limits import Limits
from innograph.api.lookup import resolve_entity
from innograph.api.schemas import (
    ConnectorOut,
    ConnectorsResult,
    EntitySummary,
    ErrorBody,
    IntroducerOut,
    IntroductionsResult,
    PathOut,
    PathsResult,
)
from innograph.model import EntityRecord, Introducer, Label, Path, RelType

ERRORS = {404: {"model": ErrorBody}, 422: {"model": ErrorBody}, 504: {"model": ErrorBody}}
MAX_AVOID = 20


class Sector(StrEnum):
    ACADEMIA = "academia"
    INDUSTRY = "industry"
    GOVERNMENT = "government"


def _invalid(exc: ValueError, param: str) -> ApiError:
    return ApiError(
        422,
        "invalid_parameters",
        str(exc),
        [{"loc": ["query", param], "msg": str(exc), "type": "value_error"}],
    )


def router(limits: Limits) -> APIRouter:
    r = APIRouter(tags=["analytics"])
    qmax = limits.max_query_chars
    Name = Annotated[str, Query(min_length=1, max_length=qmax, description="An id or a name.")]

    @r.get(
        "/paths",
        response_model=PathsResult,
        responses=ERRORS,
        summary="How two entities are connected: the k shortest paths with evidence per hop",
    )
    async def paths(
        state: Annotated[ApiState, Depends(api_state)],
        source: Name,
        target: Name,
        k: Annotated[int, Query(ge=1, le=limits.max_k)] = 1,
        max_hops: Annotated[int, Query(ge=1, le=limits.max_hops)] = 6,
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
        for item in avoid or ():
            if len(item) > qmax:
                raise ApiError(422, "invalid_parameters", "an `avoid` entry is too long")
        via_labels = tuple(sorted({x.value for x in via or ()}))
        rel_types = tuple(sorted({x.value for x in rel or ()}))

        def run() -> tuple[EntityRecord, EntityRecord, list[Path]]:
            a = resolve_entity(state, "source", source)
            b = resolve_entity(state, "target", target)
            avoid_ids = tuple(resolve_entity(state, "avoid", x).id for x in avoid or ())
            try:
                found = state.service().paths(
                    a.id, b.id, k, max_hops, via_labels, avoid_ids, rel_types
                )
            except ValueError as exc:
                raise _invalid(exc, "via") from None
            return a, b, found

        a, b, found = await run_blocking(state, run)
        return PathsResult(
            source=EntitySummary.from_record(a),
            target=EntitySummary.from_record(b),
            paths=[PathOut.from_path(p) for p in found],
        )

    @r.get(
        "/introductions",
        response_model=IntroductionsResult,
        responses=ERRORS,
        summary="Who could introduce source to target, ranked, with reasons and evidence",
    )
    async def introductions(
        state: Annotated[ApiState, Depends(api_state)],
        source: Name,
        target: Name,
        top: Annotated[int, Query(ge=1, le=limits.max_page)] = 10,
    ) -> IntroductionsResult:
        def run() -> tuple[EntityRecord, EntityRecord, list[Introducer]]:
            a = resolve_entity(state, "source", source)
            b = resolve_entity(state, "target", target)
            return a, b, state.service().introduce(a.id, b.id, top)

        a, b, found = await run_blocking(state, run)
        return IntroductionsResult(
            source=EntitySummary.from_record(a),
            target=EntitySummary.from_record(b),
            introducers=[IntroducerOut.from_introducer(i) for i in found],
        )

    @r.get(
        "/connectors",
        response_model=ConnectorsResult,
        responses=ERRORS,
        summary="Entities that bridge otherwise separate parts of the graph (brokers)",
    )
    async def connectors(
        state: Annotated[ApiState, Depends(api_state)],
        top: Annotated[int, Query(ge=1, le=limits.max_page)] = 20,
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
        pair = tuple(x.value for x in between or ())
        if pair and (len(pair) != 2 or pair[0] == pair[1]):
            raise _invalid(ValueError("`between` takes two different sectors"), "between")
        try:
            found = await run_blocking(
                state,
                state.service().connectors,
                top,
                tuple(sorted({x.value for x in label or ()})),
                pair or None,
            )
        except ValueError as exc:
            raise _invalid(exc, "between") from None
        return ConnectorsResult(connectors=[ConnectorOut.from_row(c) for c in found])

    return r
