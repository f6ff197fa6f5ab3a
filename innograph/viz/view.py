"""Views of the graph for the explorer: which entities and relations to draw, where, and how
big. A view is built from a request (a neighbourhood, paths, introducers, connectors or an
overview), through `GraphService` only, capped at a node limit ("showing N of M"), laid out
server-side (`layout`) and cached per request and graph version, so a reload or a second
user costs nothing."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from innograph.errors import InvalidInput
from innograph.model import SYMMETRIC_TYPES, EntityRecord, Path, RelationRecord
from innograph.viz.layout import compute_layout
from innograph.viz.style import sector, style_table

MODES = ("focus", "path", "introduce", "connectors", "all")
DEFAULT_LIMIT = 2000
MAX_LIMIT = 20_000
# Nearest neighbours drawn around each connector in connector mode.
CONNECTOR_NEIGHBOURS = 8
# Relations whose evidence dates are fetched for the date filter; larger views skip dates
# (the store query grows with the keys and the filter means little on a hairball).
DATED_EDGES = 10_000
# Up to this many relations the dates come with the view; beyond, the store query for them
# (about 0.2 ms a relation) would hold up the first picture, so the explorer asks for them
# after drawing (`ViewBuilder.dates`, GET /view/dates/{token}).
INLINE_DATED_EDGES = 600
# Fields of the compact payload, in order (the explorer decodes rows back into objects).
NODE_FIELDS = (
    "id",
    "name",
    "label",
    "aliases",
    "degree",
    "x",
    "y",
    "depth",
    "score",
    "sector",
    "role",
)
EDGE_FIELDS = (
    "source",
    "target",
    "type",
    "confidence",
    "evidence_count",
    "symmetric",
    "date_min",
    "date_max",
)
_SYMMETRIC = {t.value for t in SYMMETRIC_TYPES}


@dataclass(frozen=True, slots=True)
class ViewRequest:
    mode: str = "focus"
    names: tuple[str, ...] = ()  # focus: entities; path/introduce: (source, target)
    hops: int = 1
    limit: int = DEFAULT_LIMIT
    labels: tuple[str, ...] = ()
    rel_types: tuple[str, ...] = ()
    k: int = 3  # path mode
    max_hops: int = 6
    via: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    top: int = 20  # introduce / connectors
    between: tuple[str, ...] = ()  # connectors: a sector pair
    size_by: str = "degree"  # or "score" (connector score)
    layout: bool = True
    seed: int = 0  # layout seed: another seed, another (cached) layout of the same view

    def validate(self) -> ViewRequest:
        if self.mode not in MODES:
            raise InvalidInput(
                f"unknown view mode {self.mode!r}; expected one of {', '.join(MODES)}"
            )
        if self.mode == "focus" and not self.names:
            raise InvalidInput("a focus view needs at least one entity")
        if self.mode in ("path", "introduce") and len(self.names) != 2:
            raise InvalidInput(f"{self.mode} needs exactly two entities")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}")
        if self.hops < 0:
            raise InvalidInput("hops must be at least 0")
        if self.size_by not in ("degree", "score"):
            raise InvalidInput("size_by is degree or score")
        if self.between and len(self.between) != 2:
            raise InvalidInput("between takes two sectors")
        return self


@dataclass(slots=True)
class ViewNode:
    id: str
    name: str
    label: str
    aliases: list[str]
    degree: int
    x: float | None = None
    y: float | None = None
    depth: int = 0
    score: float | None = None
    sector: str = ""
    role: str = ""  # "focus", "source", "target", "introducer", "connector" or ""


@dataclass(slots=True)
class ViewEdge:
    id: str  # the relation key, source|TYPE|target
    source: str
    target: str
    type: str
    confidence: float
    evidence_count: int
    symmetric: bool
    date_min: str = ""  # earliest / latest date of the documents behind its evidence
    date_max: str = ""


@dataclass(slots=True)
class View:
    request: ViewRequest
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    total_nodes: int  # M of "showing N of M"
    truncated: bool
    focus: list[str] = field(default_factory=list)
    highlight_nodes: list[str] = field(default_factory=list)
    highlight_edges: list[str] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)
    introducers: list[Any] = field(default_factory=list)  # model.Introducer
    connectors: list[Any] = field(default_factory=list)  # model.ConnectorRow
    layout_algorithm: str = "none"
    layout_ms: float = 0.0
    build_ms: float = 0.0
    cached: bool = False
    message: str = ""
    token: str = ""  # names the view in the builder's cache (its dates are fetched by it)
    dates_pending: bool = False  # evidence dates not fetched yet (a big view)

    @property
    def shown_nodes(self) -> int:
        return len(self.nodes)

    def graph_json(self) -> dict[str, Any]:
        """Nodes and edges as plain JSON (exports, standalone pages)."""
        return {
            "nodes": [asdict(n) for n in self.nodes],
            "edges": [asdict(e) for e in self.edges],
        }


class ViewBuilder:
    """Builds views over one `GraphService`; keeps the last `cache_size` views per graph
    version (the layout is the expensive part)."""

    def __init__(
        self,
        service: Any,
        cache_size: int = 32,
        default_limit: int = DEFAULT_LIMIT,
        inline_dates: int = INLINE_DATED_EDGES,
    ) -> None:
        self.service = service
        self.default_limit = default_limit
        self.cache_size = cache_size
        self.inline_dates = inline_dates
        self._cache: OrderedDict[tuple[Any, ...], View] = OrderedDict()
        self._tokens: dict[str, tuple[Any, ...]] = {}
        self._lock = threading.Lock()
        self.layouts_computed = 0  # for tests of the cache

    def build(self, request: ViewRequest) -> View:
        request.validate()
        proj = self.service.projection()
        key = (proj.version, proj.revision, id(proj), request)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return replace(hit, cached=True)
        t0 = time.perf_counter()
        view = getattr(self, f"_{request.mode}")(request)
        self._finish(view, request)
        view.build_ms = round((time.perf_counter() - t0) * 1000, 1)
        view.token = hashlib.blake2b(repr(key).encode(), digest_size=8).hexdigest()
        with self._lock:
            self._cache[key] = view
            self._tokens[view.token] = key
            while len(self._cache) > self.cache_size:
                old, gone = self._cache.popitem(last=False)
                self._tokens.pop(gone.token, None)
        return view

    def expand(self, request: ViewRequest, shown: Sequence[str] = ()) -> View:
        """What to add when the explorer expands one entity: its neighbourhood (no
        positions: the page places new nodes by their parent) and every relation joining a
        new node to one already `shown`, which the neighbourhood alone would miss."""
        built = self.build(replace(request, layout=False))
        if not shown:
            return built
        have = set(shown)
        fresh = [n.id for n in built.nodes if n.id not in have]
        if not fresh:
            return built
        known = {e.id for e in built.edges}
        links = [
            r for r in self.service.links(fresh, have, request.rel_types) if r.key not in known
        ]
        extra = [
            ViewEdge(
                id=r.key,
                source=r.source,
                target=r.target,
                type=r.type,
                confidence=round(r.confidence, 4),
                evidence_count=r.evidence_count,
                symmetric=r.type in _SYMMETRIC,
            )
            for r in links
        ]
        if len(extra) <= self.inline_dates:
            probe = View(request, [], extra, total_nodes=0, truncated=False)
            self._fill_dates(probe)
        return replace(built, edges=built.edges + extra)

    def dates(self, token: str) -> dict[str, tuple[str, str]] | None:
        """Earliest and latest evidence date of each dated relation of a cached view (by its
        token), fetched now when the view was sent without them; None when the view has
        left the cache."""
        with self._lock:
            key = self._tokens.get(token)
            view = self._cache.get(key) if key is not None else None
        if view is None:
            return None
        if view.dates_pending:
            self._fill_dates(view)
            view.dates_pending = False
        return {e.id: (e.date_min, e.date_max) for e in view.edges if e.date_min}

    # ---- modes ------------------------------------------------------------------------

    def _focus(self, req: ViewRequest) -> View:
        svc = self.service
        centers = list(dict.fromkeys(svc.resolve(name).id for name in req.names))
        share = max(1, req.limit // len(centers))
        order: dict[str, EntityRecord] = {}
        depth: dict[str, int] = {}
        truncated = False
        total = 0
        for c in centers:
            sub = svc.neighbors(c, req.hops, req.labels, req.rel_types, share)
            truncated |= sub.truncated
            total += (
                svc.reach_count(c, req.hops, req.labels, req.rel_types)
                if sub.truncated
                else len(sub.nodes)
            )
            for rec in sub.nodes:
                order.setdefault(rec.id, rec)
                d = sub.depth.get(rec.id, 0)
                depth[rec.id] = min(d, depth.get(rec.id, d))
        records = list(order.values())[: req.limit]
        view = self._view(req, records, total=max(total, len(records)), truncated=truncated)
        for n in view.nodes:
            n.depth = depth.get(n.id, 0)
            if n.id in centers:
                n.role = "focus"
        view.focus = centers
        view.highlight_nodes = list(centers)
        return view

    def _path(self, req: ViewRequest) -> View:
        svc = self.service
        a, b = (svc.resolve(x) for x in req.names)
        avoid = tuple(svc.resolve(x).id for x in req.avoid)
        found: list[Path] = svc.paths(
            a.id, b.id, req.k, req.max_hops, req.via, avoid, req.rel_types
        )
        seen: dict[str, EntityRecord] = {a.id: a, b.id: b}
        for p in found:
            for rec in p.nodes:
                seen.setdefault(rec.id, rec)
        records = list(seen.values())
        view = self._view(req, records, total=len(records), truncated=False, all_edges=False)
        # Only the relations the paths use: the picture is the answer, not a hairball.
        keys = {h.relation_key for p in found for h in p.hops}
        view.edges = [e for e in view.edges if e.id in keys]
        view.paths = found
        view.focus = [a.id, b.id]
        if found:
            view.highlight_nodes = [n.id for n in found[0].nodes]
            view.highlight_edges = [h.relation_key for h in found[0].hops]
        else:
            view.message = f"no connection between {a.name} and {b.name} within {req.max_hops} hops"
        for n in view.nodes:
            n.role = "source" if n.id == a.id else "target" if n.id == b.id else ""
        return view

    def _introduce(self, req: ViewRequest) -> View:
        svc = self.service
        a, b = (svc.resolve(x) for x in req.names)
        intro = svc.introduce(a.id, b.id, req.top)
        seen: dict[str, EntityRecord] = {a.id: a, b.id: b}
        keys: set[str] = set()
        for i in intro:
            seen.setdefault(i.entity.id, i.entity)
            keys.update(h.relation_key for h in i.evidence)
            # An intermediary two or more hops away from an end: draw one shortest path to
            # it, so the picture shows how it reaches both.
            for end, dist in ((a.id, i.distance_a), (b.id, i.distance_b)):
                if dist > 1:
                    for p in svc.paths(end, i.entity.id, 1, req.max_hops, with_evidence=False):
                        for rec in p.nodes:
                            seen.setdefault(rec.id, rec)
                        keys.update(h.relation_key for h in p.hops)
        view = self._view(req, list(seen.values()), total=len(seen), truncated=False)
        view.edges = [e for e in view.edges if e.id in keys]
        view.introducers = intro
        view.focus = [a.id, b.id]
        view.highlight_nodes = [i.entity.id for i in intro[:1]]
        ranks = {i.entity.id for i in intro}
        for n in view.nodes:
            n.role = (
                "source"
                if n.id == a.id
                else "target"
                if n.id == b.id
                else "introducer"
                if n.id in ranks
                else ""
            )
        if not intro:
            view.message = f"nobody found between {a.name} and {b.name}"
        return view

    def _connectors(self, req: ViewRequest) -> View:
        svc = self.service
        pair = (req.between[0], req.between[1]) if req.between else None
        rows = svc.connectors(req.top, req.labels, pair)
        seen: dict[str, EntityRecord] = {}
        for r in rows:
            seen.setdefault(r.entity.id, r.entity)
        per = max(0, min(CONNECTOR_NEIGHBOURS, (req.limit - len(seen)) // max(1, len(rows))))
        for r in rows:
            if per:
                sub = svc.neighbors(r.entity.id, 1, (), req.rel_types, per + 1)
                for rec in sub.nodes:
                    seen.setdefault(rec.id, rec)
        records = list(seen.values())[: req.limit]
        view = self._view(req, records, total=len(records), truncated=False)
        view.connectors = rows
        scores = {r.entity.id: r.score for r in rows}
        for n in view.nodes:
            if n.id in scores:
                n.role = "connector"
                n.score = scores[n.id]
            else:
                n.score = 0.0
        view.highlight_nodes = [r.entity.id for r in rows[:1]]
        return view

    def _all(self, req: ViewRequest) -> View:
        records, total = self.service.top_entities(req.limit, req.labels)
        return self._view(req, records, total=total, truncated=total > len(records))

    # ---- shared -----------------------------------------------------------------------

    def _view(
        self,
        req: ViewRequest,
        records: Sequence[EntityRecord],
        total: int,
        truncated: bool,
        all_edges: bool = True,
    ) -> View:
        ids = [r.id for r in records]
        degrees = self.service.degrees(ids)
        nodes = [
            ViewNode(
                id=r.id,
                name=r.name,
                label=r.label,
                aliases=list(r.aliases),
                degree=degrees.get(r.id, 0),
                sector=sector(r.label),
            )
            for r in records
        ]
        rels: list[RelationRecord] = self.service.induced(ids, req.rel_types)
        edges = [
            ViewEdge(
                id=r.key,
                source=r.source,
                target=r.target,
                type=r.type,
                confidence=round(r.confidence, 4),
                evidence_count=r.evidence_count,
                symmetric=r.type in _SYMMETRIC,
            )
            for r in rels
        ]
        return View(req, nodes, edges, total_nodes=total, truncated=truncated)

    def _finish(self, view: View, req: ViewRequest) -> None:
        """Scores, evidence dates and the layout, common to every mode."""
        if req.size_by == "score" and req.mode != "connectors":
            scores = self.service.connector_scores([n.id for n in view.nodes])
            for n in view.nodes:
                n.score = scores.get(n.id, 0.0)
        if len(view.edges) <= self.inline_dates:
            self._fill_dates(view)
        else:
            view.dates_pending = True
        if req.layout:
            index = {n.id: k for k, n in enumerate(view.nodes)}
            pairs = [
                (index[e.source], index[e.target])
                for e in view.edges
                if e.source in index and e.target in index
            ]
            center = index.get(view.focus[0]) if view.focus and req.mode == "focus" else None
            lay = compute_layout(len(view.nodes), pairs, seed=req.seed, center=center)
            for n, (x, y) in zip(view.nodes, lay.xy, strict=True):
                n.x, n.y = x, y
            view.layout_algorithm = lay.algorithm
            view.layout_ms = round(lay.ms, 1)
            self.layouts_computed += 1

    def _fill_dates(self, view: View) -> None:
        if not view.edges or len(view.edges) > DATED_EDGES:
            return
        evidence = self.service.evidence([e.id for e in view.edges], per_relation=100)
        for e in view.edges:
            dates = sorted(
                ev.document_date[:10] for ev in evidence.get(e.id, ()) if ev.document_date
            )
            if dates:
                e.date_min, e.date_max = dates[0], dates[-1]


def compact_payload(view: View) -> bytes:
    """The view as the explorer page reads it: like `view_payload` but nodes and edges as
    rows of NODE_FIELDS / EDGE_FIELDS (an edge's id is source|type|target): half the bytes,
    and no per-item validation (a third of the time of a 2,000-node view's answer)."""
    from innograph.api.schemas import ViewOut

    head = ViewOut.from_view(replace(view, nodes=[], edges=[])).model_dump(mode="json")
    head.pop("nodes")
    head.pop("edges")
    head["shown_nodes"] = len(view.nodes)
    head["token"] = view.token
    head["dates_pending"] = view.dates_pending
    head["node_fields"] = list(NODE_FIELDS)
    head["edge_fields"] = list(EDGE_FIELDS)
    head["nodes"] = [
        [n.id, n.name, n.label, n.aliases, n.degree, n.x, n.y, n.depth, n.score, n.sector, n.role]
        for n in view.nodes
    ]
    head["edges"] = [
        [
            e.source,
            e.target,
            e.type,
            e.confidence,
            e.evidence_count,
            int(e.symmetric),
            e.date_min,
            e.date_max,
        ]
        for e in view.edges
    ]
    return json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def view_payload(view: View) -> dict[str, Any]:
    """The JSON the explorer page reads (API responses and standalone pages alike)."""
    from innograph.api.schemas import ViewOut

    return ViewOut.from_view(view).model_dump(mode="json")


def style() -> dict[str, Any]:
    return style_table()


_BUILDERS: weakref.WeakKeyDictionary[Any, ViewBuilder] = weakref.WeakKeyDictionary()
_BUILDERS_LOCK = threading.Lock()


def builder_for(service: Any) -> ViewBuilder:
    """The view builder (and so the layout cache) of one `GraphService`."""
    with _BUILDERS_LOCK:
        found = _BUILDERS.get(service)
        if found is None:
            found = _BUILDERS[service] = ViewBuilder(service)
        return found
