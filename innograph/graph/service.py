"""GraphService: the one typed entry point every CLI command, API route and explorer view
calls, for reads and writes alike. It keeps the in-memory projection in step with the store
(rebuilt when `store.version()` changes, or extended in place after an ingest via
`refresh`), resolves names to entities, runs the analytics and returns the typed records of
`innograph.model` with evidence attached. Writes (ingest, delete, unmerge) go through one
path, `_writing`: one writer at a time, and the next read checks the store version.

Errors are those of `innograph.errors`: a name that is unknown or means several entities
raises `EntityNotFound` / `AmbiguousEntity` with ranked candidates, a bad value
`InvalidInput`, an unknown document `DocumentNotFound`."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path as FsPath
from typing import TYPE_CHECKING

from innograph.config import Settings
from innograph.errors import (
    AmbiguousEntity,
    DocumentNotFound,
    EntityLookupError,
    EntityNotFound,
    InvalidInput,
    MergeNotFound,
    StoreUnavailable,
)
from innograph.graph.analytics import connectors as conn
from innograph.graph.analytics.communities import communities as find_communities
from innograph.graph.analytics.introductions import introducers
from innograph.graph.analytics.lookup import LookupIndex
from innograph.graph.analytics.neighborhood import ego_network
from innograph.graph.analytics.paths import PathQuery, RankedPath, k_shortest_paths
from innograph.graph.analytics.projection import Projection
from innograph.graph.store import GraphStore
from innograph.model import (
    Candidate,
    Community,
    Connection,
    ConnectorRow,
    DocumentDetail,
    EntityDetail,
    EntityMerges,
    EntityRecord,
    EvidenceRecord,
    Failure,
    GraphStats,
    Hop,
    IngestReport,
    Introducer,
    Introductions,
    Label,
    LookupResult,
    Path,
    RelationRecord,
    SearchPage,
    StoreHealth,
    Subgraph,
    UnmergeResult,
)
from innograph.names import clean_query

if TYPE_CHECKING:
    from innograph.ingest.service import DocumentOutcome, Ingestor, Progress

__all__ = [
    "AmbiguousEntity",
    "EntityLookupError",
    "EntityNotFound",
    "GraphService",
]

log = logging.getLogger(__name__)

_LABELS = {label.value.lower(): label.value for label in Label}

# How many ranked matches the in-memory index is asked for at most by a name search (exact,
# prefix, fuzzy); deeper pages come from the store.
INDEX_WINDOW = 500
# Candidates an unknown-id error suggests.
SUGGESTIONS = 10


def normalise_labels(labels: Iterable[str], parameter: str = "label") -> frozenset[str]:
    """Label names in any case ("institute", "FIRM") -> stored label values."""
    out: set[str] = set()
    for raw in labels:
        value = _LABELS.get(str(raw).strip().lower())
        if value is None:
            raise InvalidInput(
                f"unknown label {raw!r}; expected one of {', '.join(sorted(_LABELS.values()))}",
                parameter=parameter,
            )
        out.add(value)
    return frozenset(out)


class GraphService:
    """Answers over a store. `store` may be None when a ready projection is given (benches,
    tests of pure analytics); evidence is then left out of results and writes are refused.
    Build it with `from_settings` everywhere else: connector scores then persist under the
    settings' cache directory, and ingest follows the settings (statistical NER)."""

    def __init__(
        self,
        store: GraphStore | None,
        settings: Settings | None = None,
        *,
        projection: Projection | None = None,
        cache_dir: FsPath | None = None,
        version_ttl: float = 0.0,
    ) -> None:
        if store is None and projection is None:
            raise ValueError("need a store or a projection")
        self._store = store
        self.settings = settings
        self._proj = projection
        # Seconds a checked store version is trusted: 0 asks the store on every call; the
        # HTTP API uses ~1 s so a request costs no version round trip (staleness bound for
        # writes made by other processes; writes through this service invalidate at once).
        self.version_ttl = version_ttl
        self._checked_at = float("-inf")
        self._index: LookupIndex | None = None
        self._metrics = conn.MetricsCache(cache_dir)
        self._lock = threading.RLock()
        # Extraction and identity resolution share mutable state (the alias table): one
        # writer at a time.
        self._write_lock = threading.Lock()
        self._ingestor: Ingestor | None = None

    @classmethod
    def from_settings(
        cls, store: GraphStore, settings: Settings, version_ttl: float = 0.0
    ) -> GraphService:
        """The service of a process: connector scores also persist under the settings'
        cache directory."""
        return cls(store, settings, cache_dir=settings.cache_dir, version_ttl=version_ttl)

    @property
    def store(self) -> GraphStore:
        """The store (answers that need one raise when the service has only a projection)."""
        if self._store is None:
            raise RuntimeError("this GraphService has a projection but no store")
        return self._store

    # ---- projection lifecycle -------------------------------------------------------

    def projection(self) -> Projection:
        """The projection, rebuilt first when the store has changed since it was built
        (the version is checked at most every `version_ttl` seconds)."""
        proj = self._proj
        if proj is not None and time.monotonic() - self._checked_at < self.version_ttl:
            return proj
        with self._lock:
            if self._store is None:
                assert self._proj is not None
                return self._proj
            if self._proj is not None and time.monotonic() - self._checked_at < self.version_ttl:
                return self._proj  # another thread checked while this one waited
            version = str(self._store.version())
            proj = self._proj
            if proj is None or (proj.version != version and not self._catch_up(proj)):
                proj = Projection.from_store(self._store)
                proj.version = version
                self._proj = proj
            self._checked_at = time.monotonic()
            return proj

    def _catch_up(self, proj: Projection) -> bool:
        """Folds the changes written since `proj.version` into it (the store's change
        records: the entities and relationships each write touched), instead of reloading
        the graph. False when the store cannot tell (another epoch, a delete, records
        pruned, or a store without change records): the caller reloads."""
        if self._store is None:
            return False
        found = self._store.changes_since(proj.version)
        if found is None:
            return False
        newest, entity_ids, keys = found
        entities = self._store.get_entities(entity_ids) if entity_ids else []
        relations = self._store.get_relations(keys) if keys else []
        proj.add(entities, relations, newest)
        return True

    def invalidate(self) -> None:
        """Forget the last version check, so the next call asks the store (writes through
        this service do it themselves)."""
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
            if version is None and self._store is not None:
                version = str(self._store.version())
            self._proj.add(entities, relations, version)

    def _lookup_index(self, proj: Projection | None = None) -> LookupIndex:
        proj = proj or self.projection()
        with self._lock:
            if self._index is None or self._index.proj is not proj:
                self._index = LookupIndex(proj)
            else:
                self._index.refresh()
            return self._index

    # ---- the store itself -----------------------------------------------------------

    def health(self) -> StoreHealth:
        """Whether the store answers; `StoreUnavailable` when it does not."""
        store = self.store
        try:
            version = store.version()
        except Exception as exc:  # any driver error: the database is down or unreachable
            raise StoreUnavailable("the graph store is not reachable", detail=str(exc)) from exc
        return StoreHealth(backend=store.dialect, version=str(version))

    def stats(self) -> GraphStats:
        """Counts by label and relationship type, documents, evidence."""
        return self.store.stats()

    # ---- lookup and search ----------------------------------------------------------

    def lookup(self, query: str, limit: int = 10) -> LookupResult:
        return self._lookup_index().lookup(query, limit)

    def resolve(self, query: str, parameter: str | None = None) -> EntityRecord:
        """The entity a name, alias or id denotes; raises EntityNotFound / AmbiguousEntity
        (both carry ranked `candidates`; `parameter` names the input in their message)."""
        return self._lookup_index().resolve(query, parameter)

    def _node(self, proj: Projection, ref: str, parameter: str | None = None) -> int:
        i = proj.index.get(ref)
        if i is not None:
            return i
        return proj.index[self._lookup_index(proj).resolve(ref, parameter).id]

    def suggest(self, text: str, limit: int = SUGGESTIONS) -> list[Candidate]:
        """Entities a string (an unknown id, say) might name, best first."""
        query = clean_query(text)
        return list(self.lookup(query, limit).candidates[:limit]) if query else []

    def search(
        self,
        query: str,
        labels: Sequence[str] = (),
        limit: int = 20,
        offset: int = 0,
        source: str | None = None,
    ) -> SearchPage:
        """A page of entities matching `query`: ranked matches (exact, then prefix, then
        near misses) from the in-memory name index, which answers in about a millisecond;
        when the index knows nothing about the query, the store's substring search, which
        takes ten or more. `source` ("index" or "store") keeps later pages on the source
        the first page came from."""
        wanted = sorted(normalise_labels(labels))
        if not query:
            return SearchPage(items=[], more=False, source=source or "index")
        if source != "store":
            items, more = self._index_page(query, wanted, offset, limit)
            if items or offset:
                return SearchPage(items=items, more=more, source="index")
        found = self.store.search_entities(query, wanted, limit + 1, offset)
        return SearchPage(items=found[:limit], more=len(found) > limit, source="store")

    def _index_page(
        self, query: str, labels: Sequence[str], offset: int, limit: int
    ) -> tuple[list[EntityRecord], bool]:
        proj = self.projection()
        want = min(INDEX_WINDOW, (offset + limit + 1) * (4 if labels else 1))
        cands = [c for c in self.lookup(query, want).candidates if not labels or c.label in labels]
        page = [proj.index.get(c.id) for c in cands[offset : offset + limit]]
        return [proj.records[i] for i in page if i is not None], len(cands) > offset + limit

    # ---- evidence -------------------------------------------------------------------

    def _evidence(self, keys: Sequence[str]) -> dict[str, list[EvidenceRecord]]:
        if self._store is None or not keys:
            return {}
        return self._store.relation_evidence(list(dict.fromkeys(keys)), per_relation=1)

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

    def connection(
        self,
        source: str,
        target: str,
        k: int = 1,
        max_hops: int = 6,
        via: Sequence[str] = (),
        avoid: Sequence[str] = (),
        rel_types: Sequence[str] = (),
        with_evidence: bool = True,
    ) -> Connection:
        """How `source` and `target` (ids or names) are connected: the shortest path plus
        up to k-1 alternatives (simple paths, ranked by hops, then strength, then recency).
        `via`: labels of which at least one intermediate entity must carry one; `avoid`:
        entities (names or ids) not to pass through; `rel_types`: allowed relationship
        types. No paths when nothing connects them within max_hops."""
        if k < 1 or max_hops < 1:
            raise InvalidInput("k and max_hops must be at least 1", parameter="k")
        proj = self.projection()
        src = self._node(proj, source, "source")
        dst = self._node(proj, target, "target")
        query = PathQuery(
            k=k,
            max_hops=max_hops,
            via_labels=normalise_labels(via, "via"),
            avoid=frozenset(self._node(proj, x, "avoid") for x in avoid),
            allowed=proj.type_mask([str(t) for t in rel_types]),
        )
        ranked = k_shortest_paths(proj, src, dst, query)
        return Connection(
            source=proj.records[src],
            target=proj.records[dst],
            paths=self._render_paths(proj, ranked, with_evidence),
        )

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
        """The paths of `connection` alone ([] when nothing within max_hops)."""
        return self.connection(a, b, k, max_hops, via, avoid, rel_types, with_evidence).paths

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

    def introductions(
        self,
        source: str,
        target: str,
        top: int = 10,
        max_hops: int = 6,
        rel_types: Sequence[str] = (),
        with_evidence: bool = True,
    ) -> Introductions:
        """Who could introduce `source` to `target`: ranked intermediaries (see
        `introductions` for the score), each with its own relations to both as evidence."""
        proj = self.projection()
        src = self._node(proj, source, "source")
        dst = self._node(proj, target, "target")
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
        return Introductions(source=proj.records[src], target=proj.records[dst], introducers=out)

    def introduce(
        self,
        a: str,
        b: str,
        top: int = 10,
        max_hops: int = 6,
        rel_types: Sequence[str] = (),
        with_evidence: bool = True,
    ) -> list[Introducer]:
        """The introducers of `introductions` alone."""
        return self.introductions(a, b, top, max_hops, rel_types, with_evidence).introducers

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
        between: Sequence[str] | None = None,
    ) -> list[ConnectorRow]:
        """Entities ranked by the combined connector score (see `connectors`); `between`:
        two sectors (academia, industry, government) to rank by brokerage between."""
        pair = None
        if between:
            if len(between) != 2:
                raise InvalidInput("`between` takes two different sectors", parameter="between")
            pair = conn.canonical_pair(between[0], between[1])
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
        """The entity (an id or a name) and what lies within `depth` hops of it."""
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

    # ---- entity and document detail -------------------------------------------------

    def entity(
        self, ref: str, limit: int = 100, offset: int = 0, *, by_name: bool = True
    ) -> EntityDetail:
        """An entity with one page of its relations and their evidence (from the store),
        both ends' names on each relation, and the records of the entities on their other
        ends. `ref` is an id, or (with `by_name`) any name or alias; an unknown id raises
        `EntityNotFound` suggesting what the string might name."""
        proj = self.projection()
        if self._store is None:
            node = self._node(proj, ref)
            every = [
                proj.edge_record(e)
                for pe in proj.pedge[node]
                for e in (pe if isinstance(pe, tuple) else (pe,))
            ]
            record, rels = proj.records[node], every[offset : offset + limit + 1]
        else:
            found = self._store.get_entities([ref])
            if not found and by_name:
                found = self._store.get_entities([self.resolve(ref).id])
            if not found:
                raise EntityNotFound(ref, self.suggest(ref), message=f"no entity with id {ref!r}")
            record = found[0]
            rels = self._store.entity_relations(record.id, limit + 1, offset, True)
        more, rels = len(rels) > limit, rels[:limit]
        neighbours = self._records({r.target if r.source == record.id else r.source for r in rels})
        _name_ends(rels, {record.id: record, **neighbours})
        at = proj.index.get(record.id)
        return EntityDetail(
            entity=record,
            relations=rels,
            degree=proj.degree(at) if at is not None else len(rels),
            neighbours=neighbours,
            more=more,
        )

    def _records(self, ids: Iterable[str]) -> dict[str, EntityRecord]:
        """Entity records by id: from the projection, the rest (written since it was
        built) from the store."""
        proj = self.projection()
        out = {i: proj.records[proj.index[i]] for i in ids if i in proj.index}
        missing = sorted(set(ids) - set(out))
        if missing and self._store is not None:
            out.update((e.id, e) for e in self._store.get_entities(missing))
        return out

    def document(self, document_id: str) -> DocumentDetail:
        """A document's metadata, the entities it mentions and the relations it supports."""
        doc = self.store.get_document(document_id)
        if doc is None:
            raise DocumentNotFound(document_id)
        rels = self.store.document_relations(document_id)
        ids = sorted({x for rel in rels for x in (rel.source, rel.target)})
        ents = self.store.get_entities(ids) if ids else []
        _name_ends(rels, {e.id: e for e in ents})
        return DocumentDetail(document=doc, entities=ents, relations=rels)

    # ---- merges ---------------------------------------------------------------------

    def merges(self, ref: str, *, by_name: bool = True) -> EntityMerges:
        """The merges recorded on an entity (an id, or with `by_name` any name)."""
        from innograph.ingest.merges import UnknownEntity, entity_merges

        entity_id = self.resolve(ref).id if by_name else ref
        try:
            entity, records = entity_merges(self.store, entity_id)
        except UnknownEntity:
            raise EntityNotFound(
                ref, self.suggest(ref), message=f"no entity with id {ref!r}"
            ) from None
        return EntityMerges(entity=entity, merges=records)

    # ---- writes: one path -----------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Every write: one writer at a time (extraction and identity resolution share the
        alias table), and afterwards the next read checks the store version."""
        with self._write_lock:
            try:
                yield
            finally:
                self.invalidate()

    def ingestor(self) -> Ingestor:
        """The ingest flow of this service (its resolver's alias table is kept between
        uploads)."""
        if self._ingestor is None:
            self._ingestor = self._new_ingestor()
        return self._ingestor

    def _new_ingestor(self, workers: int = 1) -> Ingestor:
        from innograph.ingest.service import Ingestor

        stat_ner = self.settings.stat_ner if self.settings is not None else None
        return Ingestor(self.store, workers=workers, stat_ner=stat_ner)

    def ingest_text(
        self,
        text: str,
        name: str = "upload.txt",
        *,
        title: str = "",
        url: str = "",
        source: str = "",
        date: str = "",
    ) -> DocumentOutcome:
        """Add one document given as text; posting the same content again changes nothing."""
        with self._writing():
            return self.ingestor().ingest_text(
                text, name, title=title, url=url, source=source, date=date
            )

    def ingest_bytes(self, data: bytes, name: str, **meta: str) -> list[DocumentOutcome | Failure]:
        """Add the documents of one file's bytes (a jsonl feed holds several); a document
        that cannot be read or extracted is a `Failure`, the others still land."""
        with self._writing():
            return self.ingestor().ingest_bytes(data, name, **meta)

    def ingest_paths(
        self,
        paths: Sequence[str | FsPath],
        workers: int = 1,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Ingest files and folders (recursively), extraction in `workers` processes."""
        with self._writing():
            return self._new_ingestor(workers).ingest_paths(paths, progress=progress)

    def delete_document(self, document_id: str) -> None:
        """Delete a document, its evidence, and what only it supported."""
        with self._writing():
            if not self.store.delete_document(document_id):
                raise DocumentNotFound(document_id)

    def unmerge(self, ref: str, merged: str, *, by_name: bool = True) -> UnmergeResult:
        """Undo a merge into `ref` (see `innograph.ingest.merges.unmerge`): `merged` is the
        merged-in id, or a name its merge record shows."""
        from innograph.ingest.merges import UnknownEntity
        from innograph.ingest.merges import unmerge as undo

        entity_id = self.resolve(ref).id if by_name else ref
        with self._writing():
            try:
                return undo(self.ingestor(), entity_id, merged)
            except UnknownEntity:
                raise EntityNotFound(
                    ref, self.suggest(ref), message=f"no entity with id {ref!r}"
                ) from None
            except MergeNotFound as exc:
                exc.detail = {"entity": entity_id, "merged": merged, **(exc.detail or {})}
                raise

    # ---- views (the explorer) ---------------------------------------------------------

    def records(self, ids: Sequence[str]) -> list[EntityRecord]:
        """Records of the given entity ids that exist, in the given order."""
        proj = self.projection()
        return [proj.records[proj.index[i]] for i in ids if i in proj.index]

    def degrees(self, ids: Sequence[str]) -> dict[str, int]:
        """Distinct neighbours per entity id (ids not in the graph are left out)."""
        proj = self.projection()
        return {i: proj.degree(proj.index[i]) for i in ids if i in proj.index}

    def induced(self, ids: Sequence[str], rel_types: Sequence[str] = ()) -> list[RelationRecord]:
        """Every relation (of the allowed types) joining two of the given entities."""
        proj = self.projection()
        nodes = [proj.index[i] for i in dict.fromkeys(ids) if i in proj.index]
        keep = set(nodes)
        allowed = proj.type_mask([str(t) for t in rel_types])
        out: list[RelationRecord] = []
        for u in nodes:
            for k, w in enumerate(proj.nbrs[u]):
                if w not in keep or w < u:
                    continue
                pe = proj.pedge[u][k]
                for e in pe if isinstance(pe, tuple) else (pe,):
                    if allowed is None or (allowed >> proj.etype[e]) & 1:
                        out.append(proj.edge_record(e))
        return out

    def links(
        self, ids: Sequence[str], others: Iterable[str], rel_types: Sequence[str] = ()
    ) -> list[RelationRecord]:
        """Every relation (of the allowed types) joining one of `ids` to one of `others` or
        to another of `ids`; it reads only the adjacency of `ids`, so a few new nodes are
        joined to a big view at the cost of their own degree."""
        proj = self.projection()
        nodes = [proj.index[i] for i in dict.fromkeys(ids) if i in proj.index]
        mine = set(nodes)
        other = {proj.index[i] for i in others if i in proj.index} - mine
        allowed = proj.type_mask([str(t) for t in rel_types])
        out: list[RelationRecord] = []
        for u in nodes:
            for k, w in enumerate(proj.nbrs[u]):
                if not (w in other or (w in mine and w > u)):
                    continue
                pe = proj.pedge[u][k]
                for e in pe if isinstance(pe, tuple) else (pe,):
                    if allowed is None or (allowed >> proj.etype[e]) & 1:
                        out.append(proj.edge_record(e))
        return out

    def top_entities(
        self, limit: int, labels: Sequence[str] = ()
    ) -> tuple[list[EntityRecord], int]:
        """The `limit` best-connected entities (of the given labels), and how many there are
        in all: the overview of a graph too big to draw whole."""
        proj = self.projection()
        wanted = normalise_labels(labels)
        nodes = [u for u in range(proj.node_count) if not wanted or proj.records[u].label in wanted]
        total = len(nodes)
        if len(nodes) > limit:
            nodes.sort(key=lambda u: (-proj.degree(u), proj.ids[u]))
            nodes = nodes[: max(0, limit)]
        return [proj.records[u] for u in nodes], total

    def reach_count(
        self,
        entity_id: str,
        depth: int = 1,
        labels: Sequence[str] = (),
        rel_types: Sequence[str] = (),
    ) -> int:
        """How many entities `neighbors` would return without a limit (the "of M" of a
        capped view)."""
        proj = self.projection()
        center = self._node(proj, entity_id)
        ego = ego_network(
            proj,
            center,
            depth=max(0, depth),
            labels=normalise_labels(labels),
            allowed=proj.type_mask([str(t) for t in rel_types]),
            limit=proj.node_count,
        )
        return len(ego.nodes)

    def connector_scores(self, ids: Sequence[str]) -> dict[str, float]:
        """Betweenness of each entity relative to the graph's highest, in [0, 1] (the
        explorer's "size by connector score")."""
        proj = self.projection()
        metrics = self.connector_metrics()
        best = max(metrics.betweenness, default=0.0) or 1.0
        same_order = metrics.ids == proj.ids
        where = proj.index if same_order else {x: k for k, x in enumerate(metrics.ids)}
        return {
            i: round(metrics.betweenness[where[i]] / best, 6)
            for i in ids
            if where.get(i) is not None
        }

    def evidence(
        self, keys: Sequence[str], per_relation: int = 20
    ) -> dict[str, list[EvidenceRecord]]:
        """Supporting sentences of relations given by key (`source|TYPE|target`), best
        first, with their documents' title, date and path; {} without a store."""
        if self._store is None or not keys:
            return {}
        return self._store.relation_evidence(list(dict.fromkeys(keys)), per_relation=per_relation)


def _name_ends(rels: Iterable[RelationRecord], records: dict[str, EntityRecord]) -> None:
    for rel in rels:
        if rel.source in records:
            rel.source_name = records[rel.source].name
        if rel.target in records:
            rel.target_name = records[rel.target].name
