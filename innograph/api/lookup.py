"""Turning what a client typed (an id or a name) into one entity, or into a 404 that lists
the ranked candidates it could have meant."""

from __future__ import annotations

from collections.abc import Sequence

from innograph.api.deps import ApiState, run_blocking
from innograph.api.errors import ApiError
from innograph.api.schemas import CandidateOut, EntitySummary
from innograph.api.text import clean_query
from innograph.graph.lookup import AmbiguousEntity, EntityLookupError, EntityNotFound
from innograph.model import Candidate, EntityRecord

MAX_CANDIDATES = 10


def _candidates(cands: Sequence[Candidate]) -> list[CandidateOut]:
    return [CandidateOut.from_candidate(c) for c in cands[:MAX_CANDIDATES]]


def fuzzy_candidates(
    state: ApiState, query: str, labels: Sequence[str], limit: int
) -> list[EntitySummary]:
    """Near misses for a search that matched nothing literally (blocking)."""
    result = state.service().lookup(query)
    ids = [c.id for c in result.candidates if not labels or c.label in labels][:limit]
    if not ids:
        return []
    by_id = {e.id: e for e in state.store.get_entities(ids)}
    return [EntitySummary.from_record(by_id[i]) for i in ids if i in by_id]


def _lookup_error(what: str, query: str, exc: EntityLookupError) -> ApiError:
    kind = "ambiguous" if isinstance(exc, AmbiguousEntity) else "not_found"
    message = (
        f"{what} {query!r} could mean several entities; pass one of the candidates' ids"
        if kind == "ambiguous"
        else f"no {what} matches {query!r}"
    )
    return ApiError(
        404,
        "ambiguous_entity" if kind == "ambiguous" else "entity_not_found",
        message,
        detail={"query": query, "parameter": what},
        candidates=[c.model_dump() for c in _candidates(exc.candidates)],
    )


async def resolve_entity(state: ApiState, what: str, query: str) -> EntityRecord:
    """The one entity `query` (an id or a name) denotes; 404 with candidates otherwise."""
    text = clean_query(query)
    if not text:
        raise ApiError(
            422,
            "invalid_parameters",
            f"{what} is empty",
            [{"loc": ["query", what], "msg": "empty after cleaning", "type": "value_error"}],
        )
    service = state.service()
    try:
        return await run_blocking(state, service.resolve, text)
    except (EntityNotFound, AmbiguousEntity) as exc:
        raise _lookup_error(what, text, exc) from None


async def not_found(state: ApiState, entity_id: str, what: str) -> ApiError:
    """A 404 for an unknown entity id, suggesting entities the string might name."""
    text = clean_query(entity_id)
    cands: list[Candidate] = []
    if text:
        result = await run_blocking(state, state.service().lookup, text)
        cands = list(result.candidates)
    return ApiError(
        404,
        "entity_not_found",
        f"no {what} with id {entity_id!r}",
        detail={"id": entity_id},
        candidates=[c.model_dump() for c in _candidates(cands)],
    )
