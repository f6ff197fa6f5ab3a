"""Entity search, entity detail with its relationships and evidence, neighbourhoods, and the
merges recorded on an entity (list, undo)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from innograph.api.deps import ApiState, api_state, run_blocking
from innograph.api.errors import ApiError
from innograph.api.limits import Limits
from innograph.api.lookup import index_search, not_found
from innograph.api.pagination import decode_cursor, encode_cursor, fingerprint
from innograph.api.schemas import (
    EntityDetail,
    EntityPage,
    EntitySummary,
    ErrorBody,
    MergeList,
    MergeOut,
    RelationOut,
    Subgraph,
    UnmergeIn,
    UnmergeOut,
)
from innograph.api.security import require_writer
from innograph.api.text import clean_query
from innograph.model import EntityRecord, Label, RelationRecord, RelType

ERRORS = {404: {"model": ErrorBody}, 422: {"model": ErrorBody}, 504: {"model": ErrorBody}}
WRITE_ERRORS = {
    **ERRORS,
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    409: {"model": ErrorBody},
}
ID_MAX = 128


def router(limits: Limits) -> APIRouter:
    r = APIRouter(tags=["entities"])
    qmax = limits.max_query_chars

    @r.get(
        "/entities",
        response_model=EntityPage,
        responses=ERRORS,
        summary="Search entities by name or alias",
        description="Prefix/substring match on names and aliases in any script (Simplified, "
        "Traditional, English, any case or width); when nothing matches literally, the "
        "closest names are returned instead (fuzzy). Paginated with an opaque cursor.",
    )
    async def search(
        state: Annotated[ApiState, Depends(api_state)],
        q: Annotated[str, Query(max_length=qmax, description="Name or part of one.")] = "",
        label: Annotated[list[Label] | None, Query(description="Only these labels.")] = None,
        limit: Annotated[int, Query(ge=1, le=limits.max_page)] = 20,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
    ) -> EntityPage:
        query = clean_query(q)
        labels = sorted({x.value for x in label or ()})
        # The cursor remembers which source its pages come from: the ranked in-memory index
        # (exact, prefix, near misses), or the store's substring search when the index knew
        # nothing about the query.
        fp_index = fingerprint("entities", query, labels, "index")
        fp_store = fingerprint("entities", query, labels, "store")
        mode, offset = "index", 0
        if cursor:
            try:
                offset = decode_cursor(cursor, fp_index)
            except ApiError:
                mode, offset = "store", decode_cursor(cursor, fp_store)
        if not query:
            return EntityPage(items=[], next_cursor=None)

        def page() -> tuple[str, list[EntitySummary], bool]:
            if mode == "index":
                items, more = index_search(state, query, labels, offset, limit)
                if items or offset:
                    return "index", items, more
            found = state.store.search_entities(query, labels, limit + 1, offset)
            items = [EntitySummary.from_record(e) for e in found[:limit]]
            return "store", items, len(found) > limit

        used, items, more = await run_blocking(state, page)
        fp = fp_index if used == "index" else fp_store
        return EntityPage(
            items=items, next_cursor=encode_cursor(offset + limit, fp) if more else None
        )

    @r.get(
        "/entities/{entity_id}",
        response_model=EntityDetail,
        responses=ERRORS,
        summary="One entity: properties, aliases and relationships with evidence",
    )
    async def entity(
        state: Annotated[ApiState, Depends(api_state)],
        entity_id: Annotated[str, Path(max_length=ID_MAX)],
        limit: Annotated[
            int, Query(ge=1, le=limits.max_page, description="Relationships per page.")
        ] = 50,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
    ) -> EntityDetail:
        fp = fingerprint("entity", entity_id)
        offset = decode_cursor(cursor, fp)

        def load() -> tuple[EntityRecord, list[RelationRecord], dict[str, str]] | None:
            found = state.store.get_entities([entity_id])
            if not found:
                return None
            rels = state.store.entity_relations(entity_id, limit + 1, offset, True)
            others = {x for rel in rels[:limit] for x in (rel.source, rel.target)}
            names = {e.id: e.name for e in state.store.get_entities(sorted(others))}
            return found[0], rels, names

        loaded = await run_blocking(state, load)
        if loaded is None:
            raise await not_found(state, entity_id, "entity")
        record, rels, names = loaded
        more = len(rels) > limit
        return EntityDetail.from_record(
            record,
            [RelationOut.from_record(rel, names) for rel in rels[:limit]],
            encode_cursor(offset + limit, fp) if more else None,
        )

    @r.get(
        "/entities/{entity_id}/neighbors",
        response_model=Subgraph,
        responses=ERRORS,
        summary="The neighbourhood of an entity as nodes and edges (for the explorer)",
    )
    async def neighbors(
        state: Annotated[ApiState, Depends(api_state)],
        entity_id: Annotated[str, Path(max_length=ID_MAX)],
        depth: Annotated[int, Query(ge=1, le=limits.max_depth)] = 1,
        label: Annotated[
            list[Label] | None, Query(description="Only nodes of these labels.")
        ] = None,
        rel: Annotated[
            list[RelType] | None, Query(description="Only these relationship types.")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=limits.max_neighbors)] = 200,
    ) -> Subgraph:
        service = state.service()
        labels = tuple(sorted({x.value for x in label or ()}))
        rel_types = tuple(sorted({x.value for x in rel or ()}))
        try:
            sub = await run_blocking(
                state, service.neighbors, entity_id, depth, labels, rel_types, limit
            )
        except LookupError:  # unknown id (KeyError) or a name that is not one entity
            sub = None
        if sub is None:
            raise await not_found(state, entity_id, "entity")
        return Subgraph.from_result(sub)

    @r.get(
        "/entities/{entity_id}/merges",
        response_model=MergeList,
        responses=ERRORS,
        summary="The merges recorded on an entity",
        description="Every extracted entity that cross-document resolution merged into this "
        "one: its id and name, the names it added, the key both shared, why, from which "
        "document, and whether the merge was undone.",
    )
    async def merges(
        state: Annotated[ApiState, Depends(api_state)],
        entity_id: Annotated[str, Path(max_length=ID_MAX)],
    ) -> MergeList:
        from innograph.ingest.merges import UnknownEntity, entity_merges

        try:
            entity, records = await run_blocking(state, entity_merges, state.store, entity_id)
        except UnknownEntity:
            raise await not_found(state, entity_id, "entity") from None
        return MergeList(
            entity=EntitySummary.from_record(entity),
            merges=[MergeOut.from_record(m) for m in records],
        )

    @r.post(
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
        state: Annotated[ApiState, Depends(api_state)],
        entity_id: Annotated[str, Path(max_length=ID_MAX)],
        body: UnmergeIn,
    ) -> UnmergeOut:
        from innograph.ingest.merges import MergeError, UnknownEntity, UnknownMerge
        from innograph.ingest.merges import unmerge as undo

        ingestor = state.ingestor()

        def run() -> UnmergeOut:
            # The ingestor's resolver is shared with uploads: one writer at a time.
            with state.ingest_lock:
                try:
                    return UnmergeOut.from_result(undo(ingestor, entity_id, body.merged))
                finally:
                    state.wrote()

        try:
            return await run_blocking(state, run, timeout=limits.ingest_timeout)
        except UnknownEntity:
            raise await not_found(state, entity_id, "entity") from None
        except UnknownMerge as exc:
            raise ApiError(
                404,
                "merge_not_found",
                str(exc),
                detail={
                    "entity": entity_id,
                    "merged": body.merged,
                    "merges": list(
                        {
                            m.from_id: {"from_id": m.from_id, "name": m.name} for m in exc.merges
                        }.values()
                    ),
                },
            ) from None
        except MergeError as exc:
            raise ApiError(409, "conflict", str(exc)) from None

    return r
