"""Turning what a client typed (an id or a name) into one entity, or into a 404 that lists
the ranked candidates it could have meant."""

from __future__ import annotations

from collections.abc import Sequence

from innograph.api.deps import ApiState, run_blocking
from innograph.api.errors import ApiError
from innograph.api.schemas import CandidateOut, EntitySummary
from innograph.api.text import clean_query
from innograph.graph.analytics.lookup import AmbiguousEntity, EntityLookupError, EntityNotFound
from innograph.model import Candidate, EntityRecord

MAX_CANDIDATES = 10


def _candidates(cands: Sequence[Candidate]) -> list[CandidateOut]:
    return [CandidateOut.from_candidate(c) for c in cands[:MAX_CANDIDATES]]


# How many ranked matches the in-memory index is asked for at most (exact, prefix, fuzzy);
# deeper pages of a search come from the store.
INDEX_WINDOW = 500


def index_search(
    state: ApiState, query: str, labels: Sequence[str], offset: int, limit: int
) -> tuple[list[EntitySummary], bool]:
    """A page of ranked matches (exact, then prefix, then near misses) from the analytics
    service's in-memory name index, and whether more follow (blocking). The index answers
    in about a millisecond where the store's substring scan takes ten or more."""
    service = state.service()
    proj = service.projection()
    want = min(INDEX_WINDOW, (offset + limit + 1) * (4 if labels else 1))
    cands = [c for c in service.lookup(query, want).candidates if not labels or c.label in labels]
    page = cands[offset : offset + limit]
    out = []
    for c in page:
        i = proj.index.get(c.id)
        if i is not None:
            out.append(EntitySummary.from_record(proj.records[i]))
    return out, len(cands) > offset + limit


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


def resolve_entity(state: ApiState, what: str, query: str) -> EntityRecord:
    """The one entity `query` (an id or a name) denotes; 404 with candidates otherwise.
    Blocking: call it inside the same worker-thread job as the analytics that follow, so a
    request makes one thread hop, not one per name."""
    text = clean_query(query)
    if not text:
        raise ApiError(
            422,
            "invalid_parameters",
            f"{what} is empty",
            [{"loc": ["query", what], "msg": "empty after cleaning", "type": "value_error"}],
        )
    try:
        return state.service().resolve(text)
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
