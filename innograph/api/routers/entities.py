"""Entity search, entity detail with its relationships and evidence, neighbourhoods, and the
merges recorded on an entity (list, undo)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from innograph.api.deps import LimitsDep, ServiceDep, StateDep, run_blocking
from innograph.api.limits import Cap
from innograph.api.pagination import decode_cursor, encode_cursor, fingerprint
from innograph.api.schemas import (
    EntityDetail,
    EntityPage,
    EntitySummary,
    MergeList,
    Subgraph,
    UnmergeIn,
    UnmergeOut,
    error_responses,
)
from innograph.api.security import require_writer
from innograph.api.text import clean_query
from innograph.errors import InvalidInput
from innograph.model import Label, RelType

ERRORS = error_responses(404, 422, 503)
WRITE_ERRORS = error_responses(404, 422, 503, 401, 403, 409)
ID_MAX = 128
EntityId = Annotated[str, Path(max_length=ID_MAX)]

router = APIRouter(tags=["entities"])


@router.get(
    "/entities",
    response_model=EntityPage,
    responses=ERRORS,
    summary="Search entities by name or alias",
    description="Prefix/substring match on names and aliases in any script (Simplified, "
    "Traditional, English, any case or width); when nothing matches literally, the "
    "closest names are returned instead (fuzzy). Paginated with an opaque cursor.",
)
async def search(
    state: StateDep,
    service: ServiceDep,
    q: Annotated[
        str, Query(description="Name or part of one."), Cap("max_query_chars", length=True)
    ] = "",
    label: Annotated[list[Label] | None, Query(description="Only these labels.")] = None,
    limit: Annotated[int, Query(ge=1), Cap("max_page")] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> EntityPage:
    query = clean_query(q)
    labels = sorted({x.value for x in label or ()})
    # The cursor remembers which source its pages come from (see `GraphService.search`).
    fp = {src: fingerprint("entities", query, labels, src) for src in ("index", "store")}
    source, offset = None, 0
    if cursor:
        try:
            source, offset = "index", decode_cursor(cursor, fp["index"])
        except InvalidInput:
            source, offset = "store", decode_cursor(cursor, fp["store"])
    page = await run_blocking(state, service.search, query, labels, limit, offset, source)
    return EntityPage(
        items=[EntitySummary.of(e) for e in page.items],
        next_cursor=encode_cursor(offset + limit, fp[page.source]) if page.more else None,
    )


@router.get(
    "/entities/{entity_id}",
    response_model=EntityDetail,
    responses=ERRORS,
    summary="One entity: properties, aliases and relationships with evidence",
)
async def entity(
    state: StateDep,
    service: ServiceDep,
    entity_id: EntityId,
    limit: Annotated[int, Query(ge=1, description="Relationships per page."), Cap("max_page")] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> EntityDetail:
    fp = fingerprint("entity", entity_id)
    offset = decode_cursor(cursor, fp)
    detail = await run_blocking(
        state, lambda: service.entity(entity_id, limit, offset, by_name=False)
    )
    return EntityDetail.of_detail(
        detail, encode_cursor(offset + limit, fp) if detail.more else None
    )


@router.get(
    "/entities/{entity_id}/neighbors",
    response_model=Subgraph,
    responses=ERRORS,
    summary="The neighbourhood of an entity as nodes and edges (for the explorer)",
)
async def neighbors(
    state: StateDep,
    service: ServiceDep,
    entity_id: EntityId,
    depth: Annotated[int, Query(ge=1), Cap("max_depth")] = 1,
    label: Annotated[list[Label] | None, Query(description="Only nodes of these labels.")] = None,
    rel: Annotated[
        list[RelType] | None, Query(description="Only these relationship types.")
    ] = None,
    limit: Annotated[int, Query(ge=1), Cap("max_neighbors")] = 200,
) -> Subgraph:
    labels = tuple(sorted({x.value for x in label or ()}))
    rel_types = tuple(sorted({x.value for x in rel or ()}))
    sub = await run_blocking(
        state, service.neighbors, clean_query(entity_id), depth, labels, rel_types, limit
    )
    return Subgraph.of(sub)


@router.get(
    "/entities/{entity_id}/merges",
    response_model=MergeList,
    responses=ERRORS,
    summary="The merges recorded on an entity",
    description="Every extracted entity that cross-document resolution merged into this "
    "one: its id and name, the names it added, the key both shared, why, from which "
    "document, and whether the merge was undone.",
)
async def merges(state: StateDep, service: ServiceDep, entity_id: EntityId) -> MergeList:
    found = await run_blocking(state, lambda: service.merges(entity_id, by_name=False))
    return MergeList.of(found)


@router.post(
    "/entities/{entity_id}/unmerge",
    response_model=UnmergeOut,
    responses=WRITE_ERRORS,
    dependencies=[Depends(require_writer)],
    summary="Undo a merge: split the merged-in entity back out",
    description="The merged-in entity becomes its own node again with the mentions, "
    "relationships and evidence of the documents it came from (extracted again from "
    "the stored text), and the pair is kept apart in every later ingest. Undoing a "
    "merge that was already undone changes nothing (`changed: false`).",
)
async def unmerge(
    state: StateDep,
    service: ServiceDep,
    limits: LimitsDep,
    entity_id: EntityId,
    body: UnmergeIn,
) -> UnmergeOut:
    result = await run_blocking(
        state,
        lambda: service.unmerge(entity_id, body.merged, by_name=False),
        timeout=limits.ingest_timeout,
    )
    return UnmergeOut.of(result)
