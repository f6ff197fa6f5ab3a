"""The analytics projection read in columns from a real store equals the one built record
by record from the store's iterators, and stays equal under incremental refresh."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from innograph.graph.analytics.projection import Projection
from innograph.graph.store.falkordb import FalkorStore

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import generate  # noqa: E402


def shape(proj: Projection) -> dict[str, Any]:
    """Everything analytics reads, in terms of entity ids (node numbering may differ)."""
    ids = proj.ids
    edges = {
        (ids[proj.esrc[e]], proj.type_names[proj.etype[e]], ids[proj.etgt[e]]): (
            proj.ecount[e],
            round(proj.econf[e], 6),
            proj.eyear[e],
            round(proj.estrength[e], 6),
        )
        for e in range(proj.edge_count)
    }
    adjacency = {ids[u]: sorted(ids[v] for v in proj.nbrs[u]) for u in range(proj.node_count)}
    pairs = {
        (ids[u], ids[v]): sorted(proj.type_names[proj.etype[e]] for e in proj.edges_between(u, v))
        for u in range(proj.node_count)
        for v in proj.nbrs[u]
    }
    records = {r.id: (r.name, r.label, sorted(r.aliases), r.properties) for r in proj.records}
    return {"edges": edges, "adjacency": adjacency, "pairs": pairs, "records": records}


def test_columns_equal_records(falkor_store: FalkorStore) -> None:
    graph = generate(entities=400, relations=1_500, seed=5)
    docs = graph.to_extractions(50)
    # Relationship properties with a year, as the record path reads them.
    for i, extraction in enumerate(docs):
        for j, relation in enumerate(extraction.relations):
            if (i + j) % 3 == 0:
                relation.properties = {"last_seen": f"{2010 + j % 9}-01-01", "role": "x, y"}
    falkor_store.write(docs)
    fast = Projection.from_columns(falkor_store.graph_columns(page=97))
    slow = Projection.build(
        falkor_store.iter_entities(), falkor_store.iter_relations(), falkor_store.version()
    )
    assert fast.version == slow.version
    assert fast.edge_count == slow.edge_count > 1_400
    assert any(year for year in fast.eyear)
    assert shape(fast) == shape(slow)


def test_columns_of_an_empty_graph(falkor_store: FalkorStore) -> None:
    proj = Projection.from_columns(falkor_store.graph_columns())
    assert (proj.node_count, proj.edge_count) == (0, 0)


def test_service_catches_up_with_writes_instead_of_reloading(falkor_store: FalkorStore) -> None:
    from innograph.graph.service import GraphService

    graph = generate(entities=300, relations=900, seed=9)
    docs = graph.to_extractions(30)
    docs = docs[10:] + docs[:10]  # the spine (every entity) comes first: keep some for later
    falkor_store.write(docs[:20])
    service = GraphService(falkor_store)
    first = service.projection()
    assert service.lookup(docs[0].entities[0].name).match is not None
    falkor_store.write(docs[20:])  # another writer, as far as the service knows
    falkor_store.keep_apart(graph.entities[0].id, graph.entities[1].id)
    second = service.projection()
    assert second is first  # caught up in place
    assert second.version == falkor_store.version()
    reloaded = Projection.from_store(falkor_store)
    assert shape(second) == shape(reloaded)
    # The name index follows: an entity of the later documents only is found by name.
    early = {e.id for d in docs[:20] for e in d.entities}
    late = next(e for d in docs[20:] for e in d.entities if e.id not in early)
    assert service.resolve(late.name).id == late.id
    # A delete cannot be replayed: the service reloads.
    falkor_store.delete_document(docs[-1].document.id)
    third = service.projection()
    assert third is not first
    assert shape(third) == shape(Projection.from_store(falkor_store))


def test_sparse_engine_keys_give_the_same_projection(falkor_store: FalkorStore) -> None:
    # Keys far apart (an engine whose internal ids are not dense) take the binary-search
    # path instead of the lookup table; the projection is the same, edge order included.
    graph = generate(entities=300, relations=1_000, seed=8)
    falkor_store.write(graph.to_extractions(40))
    columns = falkor_store.graph_columns()
    dense = Projection.from_columns(columns)
    spread = 10_000_019
    sparse = Projection.from_columns(
        replace(
            columns,
            keys=columns.keys * spread,
            src=columns.src * spread,
            dst=columns.dst * spread,
        )
    )
    assert shape(sparse) == shape(dense)
    assert (sparse.esrc, sparse.etgt, sparse.pedge) == (dense.esrc, dense.etgt, dense.pedge)
