"""Communities (Louvain) and ego networks on graphs whose structure is known."""

from __future__ import annotations

import itertools

import networkx as nx

from bench.synthetic import generate
from innograph.graph.analytics.communities import louvain
from innograph.graph.analytics.projection import Projection
from innograph.graph.service import GraphService
from innograph.model import EntityRecord, RelationRecord


def two_clusters() -> Projection:
    """Two 6-cliques (institutes around 清华, firms around 华为) joined by one relation,
    plus an isolated entity."""
    ents = [EntityRecord("q0", "清华大学", "Institute")]
    ents += [EntityRecord(f"q{i}", f"研究所{i}", "Institute") for i in range(1, 6)]
    ents += [EntityRecord("h0", "华为", "Firm")]
    ents += [EntityRecord(f"h{i}", f"供应商{i}", "Firm") for i in range(1, 6)]
    ents.append(EntityRecord("lonely", "孤岛", "Firm"))
    rels = []
    for group in ("q", "h"):
        for i, j in itertools.combinations(range(6), 2):
            rels.append(RelationRecord(f"{group}{i}", f"{group}{j}", "COLLABORATES_WITH", 1, 0.9))
    # Hubs: one extra spoke each so the named members are the best connected.
    ents += [EntityRecord("qs", "学者", "Academician"), EntityRecord("hs", "工程师", "Person")]
    rels += [
        RelationRecord("qs", "q0", "AFFILIATED_WITH", 1, 0.9),
        RelationRecord("hs", "h0", "AFFILIATED_WITH", 1, 0.9),
    ]
    rels.append(RelationRecord("q5", "h5", "COLLABORATES_WITH", 1, 0.9))
    return Projection.build(ents, rels, version="c")


def test_two_cliques_make_two_named_communities() -> None:
    service = GraphService(None, projection=two_clusters())
    found = service.communities(min_size=3)
    assert len(found) == 2
    by_top = {c.top[0].id: c for c in found}
    assert set(by_top) == {"q0", "h0"}
    assert set(by_top["q0"].members) == {f"q{i}" for i in range(6)} | {"qs"}
    assert by_top["q0"].label.startswith("清华大学 / ")
    assert by_top["h0"].labels == {"Firm": 6, "Person": 1}
    assert all("lonely" not in c.members for c in found)
    only_people = service.communities(min_size=1, labels=["person"])
    assert [c.members for c in only_people] == [["hs"]]


def test_louvain_modularity_is_as_good_as_networkx() -> None:
    graph = generate(1500, 6000, seed=2)
    proj = Projection.build(graph.entities, graph.relations)
    g = nx.Graph()
    g.add_nodes_from(range(proj.node_count))
    g.add_edges_from((u, v) for u, nb in enumerate(proj.nbrs) for v in nb if u < v)
    ours = nx.community.modularity(g, louvain(proj, seed=1))
    theirs = nx.community.modularity(g, nx.community.louvain_communities(g, seed=1))
    assert ours >= theirs - 0.02
    assert louvain(proj, seed=1) == louvain(proj, seed=1)


def test_ego_network_depth_filters_and_limit() -> None:
    service = GraphService(None, projection=two_clusters())
    one = service.neighbors("q0", depth=1)
    assert one.center == "q0" and one.nodes[0].id == "q0"
    assert {n.id for n in one.nodes} == {f"q{i}" for i in range(6)} | {"qs"}
    assert all(one.depth[n.id] <= 1 for n in one.nodes)
    assert not one.truncated
    # Relations among the kept nodes only, each once.
    keys = [r.key for r in one.relations]
    assert len(keys) == len(set(keys)) == 15 + 1
    two = service.neighbors("qs", depth=3)
    assert two.depth["h5"] == 3
    capped = service.neighbors("q0", depth=2, limit=4)
    assert len(capped.nodes) == 4 and capped.truncated
    firms = service.neighbors("h0", depth=2, labels=["Firm"], rel_types=["COLLABORATES_WITH"])
    # The Person spoke and the institute across the bridge are filtered out by label.
    assert set(firms.depth) == {f"h{i}" for i in range(6)}
    across = service.neighbors("h0", depth=2, rel_types=["COLLABORATES_WITH"])
    assert across.depth["q5"] == 2 and "hs" not in across.depth
    assert all(r.type == "COLLABORATES_WITH" for r in firms.relations)
