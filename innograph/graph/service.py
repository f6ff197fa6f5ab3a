"""GraphService: the one entry point the CLI, the HTTP API and the explorer call for
analytics. It keeps the in-memory projection in step with the store (rebuilt when
`store.version()` changes, or extended in place after an ingest via `refresh`), resolves
names to entities, runs the analytics and returns typed results with evidence attached."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path as FsPath
from typing import Any

from innograph.graph.analytics import connectors as conn
from innograph.graph.analytics.communities import communities as find_communities
from innograph.graph.analytics.introductions import introducers
from innograph.graph.analytics.lookup import (
    AmbiguousEntity,
    EntityLookupError,
    EntityNotFound,
    LookupIndex,
)
from innograph.graph.analytics.neighborhood import ego_network
from innograph.graph.analytics.paths import PathQuery, RankedPath, k_shortest_paths
from innograph.graph.analytics.projection import Projection
from innograph.model import (
    Community,
    ConnectorRow,
    EntityDetail,
    EntityRecord,
    EvidenceRecord,
    Hop,
    Introducer,
    Label,
    LookupResult,
    Path,
    RelationRecord,
    Subgraph,
)

__all__ = [
    "AmbiguousEntity",
    "EntityLookupError",
    "EntityNotFound",
    "GraphService",
]

_LABELS = {label.value.lower(): label.value for label in Label}


def normalise_labels(labels: Iterable[str]) -> frozenset[str]:
    """Label names in any case ("institute", "FIRM") -> stored label values."""
    out: set[str] = set()
    for raw in labels:
        value = _LABELS.get(str(raw).strip().lower())
        if value is None:
            raise ValueError(
                f"unknown label {raw!r}; expected one of {', '.join(sorted(_LABELS.values()))}"
            )
        out.add(value)
    return frozenset(out)


class GraphService:
    """Analytics over a store. `store` may be None when a ready projection is given (benches,
    tests of pure analytics); evidence is then left out of results."""

    def __init__(
        self,
        store: Any | None,
        projection: Projection | None = None,
        cache_dir: FsPath | None = None,
        version_ttl: float = 0.0,
    ) -> None:
        if store is None and projection is None:
            raise ValueError("need a store or a projection")
        self.store = store
        self._proj = projection
        # Seconds a checked store version is trusted: 0 asks the store on every call; the
        # HTTP API uses ~1 s so a request costs no version round trip (staleness bound for
        # writes made by other processes; `invalidate()` after writes made through this one).
        self.version_ttl = version_ttl
        self._checked_at = float("-inf")
        self._index: LookupIndex | None = None
        self._metrics = conn.MetricsCache(cache_dir)
        self._lock = threading.RLock()

    @classmethod
    def from_settings(cls, store: Any, settings: Any, version_ttl: float = 0.0) -> GraphService:
        """Service whose connector scores also persist under settings.home/cache."""
        return cls(
            store, cache_dir=FsPath(settings.home) / "cache" / "analytics", version_ttl=version_ttl
        )

    # ---- projection lifecycle -------------------------------------------------------

    def projection(self) -> Projection:
        """The projection, rebuilt first when the store has changed since it was built
        (the version is checked at most every `version_ttl` seconds)."""
        proj = self._proj
        if proj is not None and time.monotonic() - self._checked_at < self.version_ttl:
            return proj
        with self._lock:
            if self.store is None:
                assert self._proj is not None
                return self._proj
            if self._proj is not None and time.monotonic() - self._checked_at < self.version_ttl:
                return self._proj  # another thread checked while this one waited
            version = str(self.store.version())
            if self._proj is None or self._proj.version != version:
                self._proj = Projection.from_store(self.store)
                self._proj.version = version
            self._checked_at = time.monotonic()
            return self._proj

    def invalidate(self) -> None:
        """Forget the last version check, so the next call asks the store (call it after a
        write made outside `refresh`)."""
        self._checked_at = float("-inf")

    def refresh(
        self,
        entities: Iterable[EntityRecord],
        relations: Iterable[RelationRecord],
        version: str | None = None,
    ) -> None:
        """Ingest-time refresh: fold freshly written records into the projection without a
        rebuild. `version` is the store version after the write (read from the store when
        omitted), so the next request does not rebuild again."""
        with self._lock:
            if self._proj is None:
                self.projection()
                return
            if version is None and self.store is not None:
                version = str(self.store.version())
            self._proj.add(entities, relations, version)

    def _lookup_index(self, proj: Projection | None = None) -> LookupIndex:
        proj = proj or self.projection()
        with self._lock:
            if self._index is None or self._index.proj is not proj:
                self._index = LookupIndex(proj)
            else:
                self._index.refresh()
            return self._index

    # ---- lookup ---------------------------------------------------------------------

    def lookup(self, query: str, limit: int = 10) -> LookupResult:
        return self._lookup_index().lookup(query, limit)

    def resolve(self, query: str) -> EntityRecord:
        """The entity a name, alias or id denotes; raises EntityNotFound / AmbiguousEntity
        (both carry ranked `candidates`)."""
        return self._lookup_index().resolve(query)

    def _node(self, proj: Projection, ref: str) -> int:
        i = proj.index.get(ref)
        if i is not None:
            return i
        return proj.index[self._lookup_index(proj).resolve(ref).id]

    # ---- evidence -------------------------------------------------------------------

    def _evidence(self, keys: Sequence[str]) -> dict[str, list[EvidenceRecord]]:
        if self.store is None or not keys:
            return {}
        return self.store.relation_evidence(list(dict.fromkeys(keys)), per_relation=1)

    def _hop(
        self, proj: Projection, u: int, v: int, e: int, evidence: dict[str, list[EvidenceRecord]]
    ) -> Hop:
        key = proj.edge_key(e)
        if proj.edge_is_symmetric(e):
            direction = "undirected"
        else:
            direction = "forward" if proj.esrc[e] == u else "backward"
        others = sorted(
            {proj.type_names[proj.etype[x]] for x in proj.edges_between(u, v) if x != e}
        )
        ev = evidence.get(key) or []
        return Hop(
            source=proj.ids[u],
            target=proj.ids[v],
            source_name=proj.records[u].name,
            target_name=proj.records[v].name,
            type=proj.type_names[proj.etype[e]],
            direction=direction,
            relation_key=key,
            evidence_count=proj.ecount[e],
            confidence=proj.econf[e],
            evidence=ev[0] if ev else None,
            other_types=others,
        )

    # ---- paths ----------------------------------------------------------------------

    def paths(
        self,
        a: str,
        b: str,
        k: int = 1,
        max_hops: int = 6,
        via: Sequence[str] = (),
        avoid: Sequence[str] = (),
        rel_types: Sequence[str] = (),
        with_evidence: bool = True,
    ) -> list[Path]:
        """Shortest connection between a and b plus up to k-1 alternatives (simple paths,
        ranked by hops, then strength, then recency). `via`: labels of which at least one
        intermediate entity must carry one; `avoid`: entities (names or ids) not to pass
        through; `rel_types`: allowed relationship types. [] when nothing within max_hops."""
        if k < 1 or max_hops < 1:
            raise ValueError("k and max_hops must be at least 1")
        proj = self.projection()
        src, dst = self._node(proj, a), self._node(proj, b)
        query = PathQuery(
            k=k,
            max_hops=max_hops,
            via_labels=normalise_labels(via),
            avoid=frozenset(self._node(proj, x) for x in avoid),
            allowed=proj.type_mask([str(t) for t in rel_types]),
        )
        ranked = k_shortest_paths(proj, src, dst, query)
        return self._render_paths(proj, ranked, with_evidence)

    def _render_paths(
        self, proj: Projection, ranked: list[RankedPath], with_evidence: bool
    ) -> list[Path]:
        keys = [proj.edge_key(e) for r in ranked for e in r.edges]
        evidence = self._evidence(keys) if with_evidence else {}
        out: list[Path] = []
        for r in ranked:
            hops = [
                self._hop(proj, r.nodes[i], r.nodes[i + 1], e, evidence)
                for i, e in enumerate(r.edges)
            ]
            out.append(Path([proj.records[n] for n in r.nodes], hops, round(r.strength, 6)))
        return out

    # ---- introductions --------------------------------------------------------------

    def introduce(
        self,
        a: str,
        b: str,
        top: int = 10,
        max_hops: int = 6,
        rel_types: Sequence[str] = (),
        with_evidence: bool = True,
    ) -> list[Introducer]:
        """Ranked intermediaries between a and b (see `introductions` for the score)."""
        proj = self.projection()
        src, dst = self._node(proj, a), self._node(proj, b)
        cands = introducers(
            proj, src, dst, top, max_hops, proj.type_mask([str(t) for t in rel_types])
        )
        edges = [(c.node, src, c.edge_a) for c in cands] + [(c.node, dst, c.edge_b) for c in cands]
        keys = [proj.edge_key(e) for _, _, e in edges if e is not None]
        evidence = self._evidence(keys) if with_evidence else {}
        out: list[Introducer] = []
        for c in cands:
            hops = [
                self._hop(proj, c.node, end, e, evidence)
                for end, e in ((src, c.edge_a), (dst, c.edge_b))
                if e is not None
            ]
            out.append(
                Introducer(
                    entity=proj.records[c.node],
                    score=c.score,
                    paths=c.paths,
                    share=round(c.share, 6),
                    distance_a=c.distance_a,
                    distance_b=c.distance_b,
                    tie_a=round(c.tie_a, 6),
                    tie_b=round(c.tie_b, 6),
                    reason=c.reason,
                    evidence=hops,
                )
            )
        return out

    # ---- super-connectors -----------------------------------------------------------

    def connector_metrics(self) -> conn.ConnectorMetrics:
        """Cached betweenness / brokerage / constraint for the current projection
        (computed on the first call after a change)."""
        proj = self.projection()
        with self._lock:
            return self._metrics.get(proj, conn.SECTOR_PAIRS)

    def connectors(
        self,
        top: int = 20,
        labels: Sequence[str] = (),
        between: tuple[str, str] | None = None,
    ) -> list[ConnectorRow]:
        """Entities ranked by the combined connector score (see `connectors`)."""
        pair = conn.canonical_pair(*between) if between is not None else None
        wanted = tuple(sorted(normalise_labels(labels)))
        proj = self.projection()
        metrics = self.connector_metrics()
        rows = conn.rank_connectors(proj, metrics, top, wanted, pair)
        return [
            ConnectorRow(
                entity=proj.records[r.node],
                score=r.score,
                betweenness=round(r.betweenness, 8),
                brokerage=round(r.brokerage, 6),
                brokerage_pair=r.brokerage_pair,
                constraint=round(r.constraint, 6),
                effective_size=round(r.effective_size, 3),
                degree=proj.degree(r.node),
                neighbour_labels=r.neighbour_labels,
                why=r.why,
                exact=metrics.exact,
                error_bound=round(metrics.error_bound, 6),
            )
            for r in rows
        ]

    # ---- neighbourhoods and communities ---------------------------------------------

    def neighbors(
        self,
        entity_id: str,
        depth: int = 1,
        labels: Sequence[str] = (),
        rel_types: Sequence[str] = (),
        limit: int = 200,
    ) -> Subgraph:
        proj = self.projection()
        center = self._node(proj, entity_id)
        ego = ego_network(
            proj,
            center,
            depth=max(0, depth),
            labels=normalise_labels(labels),
            allowed=proj.type_mask([str(t) for t in rel_types]),
            limit=limit,
        )
        return Subgraph(
            center=proj.ids[center],
            nodes=[proj.records[n] for n in ego.nodes],
            relations=[proj.edge_record(e) for e in ego.edges],
            depth={proj.ids[n]: d for n, d in ego.depth.items()},
            truncated=ego.truncated,
        )

    def communities(
        self,
        min_size: int = 3,
        top: int = 20,
        labels: Sequence[str] = (),
        resolution: float = 1.0,
        seed: int = 0,
        members: int = 10,
    ) -> list[Community]:
        """Louvain communities, largest first, each named by its best-connected members.
        `members` caps the top entities listed per community (ids are all listed)."""
        proj = self.projection()
        groups = find_communities(proj, min_size, top, normalise_labels(labels), resolution, seed)
        return [
            Community(
                id=k,
                size=len(g.members),
                label=g.name,
                top=[proj.records[m] for m in g.members[:members]],
                labels=dict(g.labels),
                members=[proj.ids[m] for m in g.members],
            )
            for k, g in enumerate(groups)
        ]

    # ---- entity detail --------------------------------------------------------------

    def entity(self, ref: str, limit: int = 100) -> EntityDetail:
        """An entity with its relations and their evidence (from the store), and the
        records of the entities on their other ends."""
        proj = self.projection()
        node = self._node(proj, ref)
        entity_id = proj.ids[node]
        if self.store is None:
            rels = [
                proj.edge_record(e)
                for pe in proj.pedge[node]
                for e in (pe if isinstance(pe, tuple) else (pe,))
            ]
            rels = rels[:limit]
            record = proj.records[node]
        else:
            found = self.store.get_entities([entity_id])
            record = found[0] if found else proj.records[node]
            rels = self.store.entity_relations(entity_id, limit=limit, with_evidence=True)
        other_ids = {r.target if r.source == entity_id else r.source for r in rels}
        neighbours = {i: proj.records[proj.index[i]] for i in other_ids if i in proj.index}
        return EntityDetail(
            entity=record, relations=rels, degree=proj.degree(node), neighbours=neighbours
        )
