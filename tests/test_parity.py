"""Engine parity: the same corpus (examples/, plus the shared seed when present) ingested into
FalkorDB and into Neo4j through the real pipeline gives the same graph and the same answers."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Graphs

from innograph.graph.service import GraphService

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED = ROOT.parent / "shared" / "seeds" / "000_08ae5f582f59203a.txt"

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def both(graphs: Graphs) -> Iterator[dict[str, Any]]:
    corpus = [EXAMPLES, *([SEED] if SEED.exists() else [])]
    with graphs.open("falkordb") as (fs, falkor), graphs.open("neo4j") as (ns, neo):
        services = {}
        for name, settings, store in (("falkordb", fs, falkor), ("neo4j", ns, neo)):
            service = GraphService(store, settings)
            report = service.ingest_paths(corpus)
            assert report.read >= 15 and not report.failed, report.failed
            services[name] = service
        yield services


def test_same_counts(both: dict[str, Any]) -> None:
    falkor, neo = both["falkordb"].store.stats(), both["neo4j"].store.stats()
    assert falkor.entities > 50 and falkor.relations > 50
    assert neo.entities_by_label == falkor.entities_by_label
    assert neo.relations_by_type == falkor.relations_by_type
    assert (neo.documents, neo.evidence) == (falkor.documents, falkor.evidence)
    ids = {name: sorted(e.id for e in s.store.iter_entities()) for name, s in both.items()}
    assert ids["neo4j"] == ids["falkordb"]
    keys = {name: sorted(r.key for r in s.store.iter_relations()) for name, s in both.items()}
    assert keys["neo4j"] == keys["falkordb"]


def test_same_top_connectors(both: dict[str, Any]) -> None:
    top = {
        name: [(row.entity.id, round(row.score, 6)) for row in s.connectors(top=10)]
        for name, s in both.items()
    }
    assert len(top["falkordb"]) == 10
    assert top["neo4j"] == top["falkordb"]


def test_same_path_lengths(both: dict[str, Any]) -> None:
    ids = sorted(e.id for e in both["falkordb"].store.iter_entities())
    rng = random.Random(3)
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(40)]
    lengths = {
        name: [[len(p.hops) for p in s.paths(a, b, k=3)] for a, b in pairs]
        for name, s in both.items()
    }
    assert any(lengths["falkordb"])  # some pairs are connected
    assert lengths["neo4j"] == lengths["falkordb"]
    # The store's own shortest paths (used without a projection) agree too.
    for a, b in pairs[:10]:
        hops = {name: {len(p) for p in s.store.shortest_paths(a, b)} for name, s in both.items()}
        assert hops["neo4j"] == hops["falkordb"], (a, b)
