"""Ego networks for the explorer: everything within `depth` hops of an entity, filtered by
label and relationship type, capped at a node limit.

When the cap bites, nearer entities win over farther ones and, within one ring, entities
joined by stronger relations and with more connections win; so a hub's 5,000 neighbours
shrink to the few hundred an explorer can draw, best first, and `truncated` says so."""

from __future__ import annotations

from dataclasses import dataclass

from innograph.graph.analytics.projection import Projection


@dataclass(slots=True)
class Ego:
    nodes: list[int]  # the center first, then by ring and rank
    depth: dict[int, int]
    edges: list[int]  # relation ids among the kept nodes
    truncated: bool


def ego_network(
    proj: Projection,
    center: int,
    depth: int = 1,
    labels: frozenset[str] = frozenset(),
    allowed: int | None = None,
    limit: int = 200,
) -> Ego:
    """Entities within `depth` hops of `center` (only through entities whose label is in
    `labels`, when given; the center always stays), and the relations among them."""
    limit = max(1, limit)
    dist = {center: 0}
    kept = [center]
    ring = [center]
    truncated = False
    masks = proj.pair_masks() if allowed is not None else None
    for level in range(1, depth + 1):
        best: dict[int, float] = {}
        for u in ring:
            mrow = masks[u] if masks is not None else None
            for k, w in enumerate(proj.nbrs[u]):
                if w in dist or (mrow is not None and not mrow[k] & (allowed or 0)):
                    continue
                if labels and proj.records[w].label not in labels:
                    continue
                pe = proj.pedge[u][k]
                strength = max(proj.estrength[e] for e in (pe if isinstance(pe, tuple) else (pe,)))
                if strength > best.get(w, -1.0):
                    best[w] = strength
        ranked = sorted(best, key=lambda w: (-best[w], -proj.degree(w), proj.ids[w]))
        room = limit - len(kept)
        if len(ranked) > room:
            ranked = ranked[:room]
            truncated = True
        for w in ranked:
            dist[w] = level
        kept.extend(ranked)
        ring = ranked
        if truncated or not ring:
            break
    keep = set(kept)
    edges: list[int] = []
    for u in kept:
        mrow = masks[u] if masks is not None else None
        for k, w in enumerate(proj.nbrs[u]):
            if w in keep and u < w and (mrow is None or mrow[k] & (allowed or 0)):
                pe = proj.pedge[u][k]
                for e in pe if isinstance(pe, tuple) else (pe,):
                    if allowed is None or (allowed >> proj.etype[e]) & 1:
                        edges.append(e)
    return Ego(kept, dist, edges, truncated)
