"""The in-memory analytics projection: entities and relations as index-addressed adjacency
lists, built from the store's iterators (derived state, always rebuildable).

Engine choice, by measurement (synthetic 1M-relationship / 200k-entity graph from
`synthetic.generate`, 2 shared cores; bench/paths.py, bench/connectors.py):

* Paths, Yen's k alternatives and introductions run on plain Python adjacency lists with a
  layered bidirectional BFS: p50/p95 0.4/1.9 ms for one path, 17/42 ms for k=5, 3.6/21 ms
  for introductions over 100 random connected pairs. networkx on the same pairs is about as
  fast (0.1/0.6 ms `shortest_path`, 12/30 ms `shortest_simple_paths` k=5; it is the same
  algorithm in Python) but cannot express our filters (relationship types per query, "via
  a node of label L"), strength ranking or shortest-path counts without copying the graph.
  The compiled libraries do worse per query because they search from one side only:
  igraph `get_shortest_paths` 2 ms median / 18 ms max, igraph `get_k_shortest_paths` k=5
  2.4 s, rustworkx `dijkstra_shortest_paths` 175 ms, `all_shortest_paths` 218 ms.
* Betweenness, cross-sector (source/target-restricted) betweenness, constraint, clustering
  and Louvain use igraph (C): one Brandes source costs 82 ms in igraph against 2.7 s in
  networkx, and `betweenness(sources=..., targets=...)` gives sampled-source and group
  betweenness directly (rustworkx has neither). Ranking 50 connectors on the 1M graph takes
  17 s cold; on a 10k-entity graph it is 109x faster than networkx's exact betweenness
  (8 s against 881 s) with the same top 20. Louvain on the 1M graph: 6.8 s.

The igraph view is built lazily from the same arrays and dropped on any change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from innograph.gcbatch import fewer_collections
from innograph.model import SYMMETRIC_TYPES, EntityRecord, RelationRecord, relation_year

if TYPE_CHECKING:
    import igraph

    from innograph.graph.store import GraphStore
    from innograph.graph.store.columns import GraphColumns


def relation_strength(evidence_count: int, confidence: float) -> float:
    """Strength of one relationship in [0, 1): confidence of its best evidence, discounted
    when only a few sentences support it (1 sentence -> 0.5, 2 -> 0.75, 3 -> 0.875 ...)."""
    return max(0.0, min(1.0, confidence)) * (1.0 - 0.5 ** max(0, evidence_count))


def _year(properties: dict[str, object]) -> int:
    return relation_year(properties)


# Journal entries kept (see Projection.journal); past this, dependants rebuild instead.
JOURNAL_LIMIT = 200_000


class Projection:
    """Nodes are dense ints 0..n-1. Each node has a list of distinct neighbours (`nbrs`) and,
    parallel to it, the edge id(s) joining the pair (`pedge`: an int, or a tuple when several
    relationships of different types join the same two entities). Edges keep only what
    ranking needs (ends, type, evidence count, confidence, year); evidence text stays in the
    store and is fetched for the few relations a result shows."""

    def __init__(self, version: str = "") -> None:
        self.version = version
        self.ids: list[str] = []
        self.index: dict[str, int] = {}
        self.records: list[EntityRecord] = []
        self.nbrs: list[list[int]] = []
        self.pedge: list[list[int | tuple[int, ...]]] = []
        self.esrc: list[int] = []
        self.etgt: list[int] = []
        self.etype: list[int] = []
        self.ecount: list[int] = []
        self.econf: list[float] = []
        self.eyear: list[int] = []
        self.estrength: list[float] = []
        self.type_names: list[str] = []
        self.type_ids: dict[str, int] = {}
        self._igraph: igraph.Graph | None = None
        self._pmask: list[list[int]] | None = None
        # Bumped on every change so dependants (lookup index, caches) know to refresh.
        self.revision = 0
        # Entities each `add` inserted or replaced: (revision, node, record before or None),
        # so the name index can follow a small change instead of re-indexing every name.
        # Covers the revisions after `journal_floor`.
        self.journal: list[tuple[int, int, EntityRecord | None]] = []
        self.journal_floor = 0

    # ---- building --------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        entities: Iterable[EntityRecord],
        relations: Iterable[RelationRecord],
        version: str = "",
    ) -> Projection:
        proj = cls(version)
        proj.add(entities, relations)
        return proj

    @classmethod
    def from_store(cls, store: GraphStore) -> Projection:
        # Version first: a write racing the iteration makes the next check rebuild again
        # rather than leaving a half-new projection labelled with the new version.
        columns = getattr(store, "graph_columns", None)
        if columns is not None:
            return cls.from_columns(columns())
        version = store.version()
        # Engines without a bulk column reader go through the same column loader, so that
        # both give one projection of one graph (see _from_columns).
        from innograph.graph.store.columns import columns_from_records

        return cls.from_columns(
            columns_from_records(store.iter_entities(), store.iter_relations(), version)
        )

    @classmethod
    def from_columns(cls, cols: GraphColumns) -> Projection:
        """Built from the graph in columns with array operations: the same structure `add`
        builds one relation at a time (distinct neighbours per node, ascending; edge ids of
        a pair ascending), at a fraction of the cost (a 1M-relationship graph in ~2 s
        instead of ~40 s through records)."""
        # Millions of fresh lists and ints: at the default threshold the collector would
        # walk them again and again while they are built (0.6 s of 1.1 s at 200k edges).
        with fewer_collections():
            return cls._from_columns(cols)

    @classmethod
    def _from_columns(cls, cols: GraphColumns) -> Projection:
        import numpy as np

        proj = cls(cols.version)
        n = len(cols.records)
        # Canonical order, not the engine's: nodes by entity id, relationship types by name,
        # edges by (source, type, target). Where paths tie, searches follow adjacency order,
        # and connector sampling draws by node number: this way one graph gives the same
        # answers whichever engine (and insertion history) it is loaded from.
        by_id = sorted(range(n), key=[rec.id for rec in cols.records].__getitem__)
        proj.records = [cols.records[i] for i in by_id]
        proj.ids = [rec.id for rec in proj.records]
        proj.index = {entity_id: i for i, entity_id in enumerate(proj.ids)}
        # Engine keys -> dense node numbers; relationships with an unknown end are skipped
        # (the store never holds dangling ones, but a write may race the reading).
        keys = cols.keys[np.array(by_id, dtype=np.int64)] if n else cols.keys
        ends = np.concatenate([keys, cols.src, cols.dst])
        low, top = (int(ends.min()), int(ends.max())) if len(ends) else (0, -1)
        if low >= 0 and top < 4 * len(ends) + 1024:
            # Engine keys are small non-negative integers (FalkorDB: internal node ids): a
            # lookup table maps them in one gather, where a binary search per end cost more.
            table = np.full(top + 1, -1, dtype=np.int64)
            table[keys] = np.arange(n, dtype=np.int64)

            def dense(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
                found_at = table[values]
                found = found_at >= 0
                return np.where(found, found_at, 0), found

        else:
            order = np.argsort(keys, kind="stable")
            sorted_keys = keys[order]

            def dense(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
                pos = np.searchsorted(sorted_keys, values)
                pos_clipped = np.minimum(pos, max(0, n - 1))
                found = (pos < n) & (sorted_keys[pos_clipped] == values) if n else pos < 0
                return order[pos_clipped], found

        u, found_u = dense(cols.src)
        v, found_v = dense(cols.dst)
        keep = found_u & found_v & (u != v)
        type_names = sorted(cols.type_names)
        rank = np.array([type_names.index(name) for name in cols.type_names], dtype=np.int64)
        u, v = u[keep], v[keep]
        types = rank[cols.types[keep]] if len(rank) else cols.types[keep]
        kinds = max(1, len(type_names))
        if n * n * kinds < 2**62:
            # One int64 sort key (source, type, target), stable like lexsort for repeats.
            by = np.argsort((u * kinds + types) * n + v, kind="stable")
        else:
            by = np.lexsort((v, types, u))
        u, v, types = u[by], v[by], types[by]
        counts = cols.counts[keep][by]
        conf = cols.confidence[keep][by]
        years = cols.years[keep][by]
        m = len(u)
        proj.type_names = type_names
        proj.type_ids = {name: i for i, name in enumerate(proj.type_names)}
        proj.esrc = u.tolist()
        proj.etgt = v.tolist()
        proj.etype = types.tolist()
        proj.ecount = counts.tolist()
        proj.econf = conf.tolist()
        proj.eyear = years.tolist()
        proj.estrength = (np.clip(conf, 0.0, 1.0) * (1.0 - 0.5 ** np.maximum(counts, 0))).tolist()
        # Adjacency: both directions of every edge, grouped by (node, neighbour).
        a = np.concatenate([u, v])
        b = np.concatenate([v, u])
        e = np.concatenate([np.arange(m), np.arange(m)])
        if n * n * max(m, 1) < 2**62:
            # One int64 sort key (node, neighbour, edge), unique: cheaper than lexsort.
            by = np.argsort((a * n + b) * max(m, 1) + e)
        else:
            by = np.lexsort((e, b, a))
        a, b, e = a[by], b[by], e[by]
        first = np.ones(len(a), dtype=bool)
        first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        starts = np.flatnonzero(first)
        sizes = np.diff(np.append(starts, len(a)))
        pair_edges: list[int | tuple[int, ...]] = e[starts].tolist()
        for g in np.flatnonzero(sizes > 1).tolist():
            s = int(starts[g])
            pair_edges[g] = tuple(e[s : s + int(sizes[g])].tolist())
        neighbours = b[starts].tolist()
        bounds = np.concatenate([[0], np.cumsum(np.bincount(a[starts], minlength=n))]).tolist()
        proj.nbrs = [neighbours[bounds[i] : bounds[i + 1]] for i in range(n)]
        proj.pedge = [pair_edges[bounds[i] : bounds[i + 1]] for i in range(n)]
        proj.revision = proj.journal_floor = 1
        return proj

    def add(
        self,
        entities: Iterable[EntityRecord],
        relations: Iterable[RelationRecord],
        version: str | None = None,
    ) -> None:
        """Upsert entities and relations (ingest-time refresh). A relation already present
        (same source, type, target) has its counts replaced; one whose end is unknown is
        skipped, since the store never holds dangling relationships."""
        # The first fill of an empty projection is not journalled: dependants index it whole.
        journal = self.journal if self.ids else None
        revision = self.revision + 1
        for rec in entities:
            i = self.index.get(rec.id)
            if i is None:
                i = self.index[rec.id] = len(self.ids)
                self.ids.append(rec.id)
                self.records.append(rec)
                self.nbrs.append([])
                self.pedge.append([])
                if journal is not None:
                    journal.append((revision, i, None))
            else:
                if journal is not None:
                    journal.append((revision, i, self.records[i]))
                self.records[i] = rec
        if journal is None or len(journal) > JOURNAL_LIMIT:
            self.journal = []
            self.journal_floor = revision
        for rel in relations:
            self._add_relation(rel)
        self._igraph = None
        self._pmask = None
        self.revision += 1
        if version is not None:
            self.version = version

    def _type_id(self, name: str) -> int:
        t = self.type_ids.get(name)
        if t is None:
            t = self.type_ids[name] = len(self.type_names)
            self.type_names.append(name)
        return t

    def _add_relation(self, rel: RelationRecord) -> None:
        u = self.index.get(rel.source)
        v = self.index.get(rel.target)
        if u is None or v is None or u == v:
            return
        t = self._type_id(rel.type)
        existing = self.edges_between(u, v)
        for e in existing:
            if self.etype[e] == t and self.esrc[e] == u:
                self._set_edge(e, rel)
                return
        e = len(self.esrc)
        self.esrc.append(u)
        self.etgt.append(v)
        self.etype.append(t)
        self.ecount.append(0)
        self.econf.append(0.0)
        self.eyear.append(0)
        self.estrength.append(0.0)
        self._set_edge(e, rel)
        if existing:
            k = self.nbrs[u].index(v)
            self.pedge[u][k] = (*existing, e)
            k = self.nbrs[v].index(u)
            self.pedge[v][k] = (*existing, e)
        else:
            self.nbrs[u].append(v)
            self.pedge[u].append(e)
            self.nbrs[v].append(u)
            self.pedge[v].append(e)

    def _set_edge(self, e: int, rel: RelationRecord) -> None:
        self.ecount[e] = rel.evidence_count
        self.econf[e] = rel.confidence
        self.eyear[e] = _year(rel.properties)
        self.estrength[e] = relation_strength(rel.evidence_count, rel.confidence)

    # ---- reading ---------------------------------------------------------------------

    @property
    def node_count(self) -> int:
        return len(self.ids)

    @property
    def edge_count(self) -> int:
        return len(self.esrc)

    def degree(self, u: int) -> int:
        return len(self.nbrs[u])

    def label(self, u: int) -> str:
        return self.records[u].label

    def edges_between(self, u: int, v: int) -> tuple[int, ...]:
        """Edge ids joining u and v (any direction, any type); () when not adjacent."""
        nb = self.nbrs[u]
        if len(nb) > len(self.nbrs[v]):
            u, v, nb = v, u, self.nbrs[v]
        try:
            k = nb.index(v)
        except ValueError:
            return ()
        pe = self.pedge[u][k]
        return pe if isinstance(pe, tuple) else (pe,)

    def best_edge(self, u: int, v: int, allowed: int | None = None) -> int | None:
        """The strongest relation between u and v among the allowed types (bitmask)."""
        best: int | None = None
        for e in self.edges_between(u, v):
            if allowed is not None and not (allowed >> self.etype[e]) & 1:
                continue
            if best is None or self.estrength[e] > self.estrength[best]:
                best = e
        return best

    def edge_key(self, e: int) -> str:
        return f"{self.ids[self.esrc[e]]}|{self.type_names[self.etype[e]]}|{self.ids[self.etgt[e]]}"

    def edge_is_symmetric(self, e: int) -> bool:
        return self.type_names[self.etype[e]] in SYMMETRIC_TYPES

    def edge_record(self, e: int) -> RelationRecord:
        return RelationRecord(
            source=self.ids[self.esrc[e]],
            target=self.ids[self.etgt[e]],
            type=self.type_names[self.etype[e]],
            evidence_count=self.ecount[e],
            confidence=self.econf[e],
            properties={"last_seen": str(self.eyear[e])} if self.eyear[e] else {},
        )

    def type_mask(self, rel_types: Sequence[str]) -> int | None:
        """Bitmask of allowed relationship types, None for "all". Unknown names allow
        nothing (a filter on a type the graph never saw matches no edge)."""
        if not rel_types:
            return None
        mask = 0
        for name in rel_types:
            t = self.type_ids.get(str(name).upper())
            if t is not None:
                mask |= 1 << t
        return mask

    def pair_masks(self) -> list[list[int]]:
        """Per node, parallel to `nbrs`: bitmask of the relationship types joining the pair.
        Built on the first type-filtered query and kept until the next change."""
        if self._pmask is None:
            et = self.etype
            masks: list[list[int]] = []
            for pes in self.pedge:
                row = []
                for pe in pes:
                    if isinstance(pe, tuple):
                        m = 0
                        for e in pe:
                            m |= 1 << et[e]
                        row.append(m)
                    else:
                        row.append(1 << et[pe])
                masks.append(row)
            self._pmask = masks
        return self._pmask

    def pair_strength(self, u: int, v: int, allowed: int | None = None) -> float:
        e = self.best_edge(u, v, allowed)
        return 0.0 if e is None else self.estrength[e]

    def igraph(self) -> igraph.Graph:
        """Simple undirected igraph view (one edge per adjacent pair), vertex i = node i."""
        if self._igraph is None:
            import igraph

            pairs = [(u, v) for u, nb in enumerate(self.nbrs) for v in nb if u < v]
            self._igraph = igraph.Graph(n=self.node_count, edges=pairs, directed=False)
        return self._igraph

    def components(self) -> list[int]:
        """Connected-component id per node."""
        membership: list[int] = self.igraph().connected_components().membership
        return membership
