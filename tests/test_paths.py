"""Paths, k alternatives, filters and introductions, checked against networkx on small random
graphs and on hand-made graphs whose answers are known."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from innograph.graph.analytics.introductions import introducers
from innograph.graph.analytics.paths import PathQuery, k_shortest_paths
from innograph.graph.analytics.projection import Projection
from innograph.graph.service import GraphService
from innograph.model import EntityRecord, RelationRecord

LABELS = ["Academician", "Institute", "Firm", "Park", "Technology"]
TYPES = ["COLLABORATES_WITH", "AFFILIATED_WITH", "INVESTS_IN"]


def random_graph(seed: int, n: int = 28) -> tuple[nx.Graph, Projection]:
    rng = random.Random(seed)
    g = nx.gnm_random_graph(n, rng.randint(n, 3 * n), seed=seed)
    for v in g:
        g.nodes[v]["label"] = rng.choice(LABELS)
    for u, v in g.edges:
        g.edges[u, v]["type"] = rng.choice(TYPES)
    ents = [EntityRecord(id=f"n{v}", name=f"node {v}", label=g.nodes[v]["label"]) for v in g]
    rels = [
        RelationRecord(
            source=f"n{u}",
            target=f"n{v}",
            type=g.edges[u, v]["type"],
            evidence_count=rng.randint(1, 5),
            confidence=round(rng.uniform(0.5, 1.0), 2),
        )
        for u, v in g.edges
    ]
    return g, Projection.build(ents, rels, version="test")


def ids(proj: Projection, nodes: list[int]) -> list[int]:
    return [int(proj.ids[n][1:]) for n in nodes]


def assert_valid(g: nx.Graph, path: list[int], a: int, b: int) -> None:
    assert path[0] == a and path[-1] == b
    assert len(set(path)) == len(path), "paths must be simple"
    assert all(g.has_edge(x, y) for x, y in itertools.pairwise(path))


@pytest.mark.parametrize("seed", range(12))
def test_shortest_and_k_paths_match_networkx(seed: int) -> None:
    g, proj = random_graph(seed)
    rng = random.Random(seed)
    for _ in range(8):
        a, b = rng.sample(sorted(g), 2)
        k = rng.randint(1, 6)
        found = k_shortest_paths(
            proj, proj.index[f"n{a}"], proj.index[f"n{b}"], PathQuery(k=k, max_hops=30)
        )
        if not nx.has_path(g, a, b):
            assert found == []
            continue
        expected = [len(p) - 1 for p in itertools.islice(nx.shortest_simple_paths(g, a, b), k)]
        assert [p.hops for p in found] == expected
        assert found[0].hops == nx.shortest_path_length(g, a, b)
        assert len({tuple(p.nodes) for p in found}) == len(found)
        for p in found:
            assert_valid(g, ids(proj, p.nodes), a, b)


@pytest.mark.parametrize("seed", range(8))
def test_avoid_and_relation_type_filters_match_networkx_on_filtered_graph(seed: int) -> None:
    g, proj = random_graph(seed)
    rng = random.Random(100 + seed)
    for _ in range(6):
        a, b, c, d = rng.sample(sorted(g), 4)
        allowed = rng.sample(TYPES, 2)
        sub = nx.Graph(
            (u, v)
            for u, v, t in g.edges(data="type")
            if t in allowed and c not in (u, v) and d not in (u, v)
        )
        sub.add_nodes_from(x for x in g if x not in (c, d))
        q = PathQuery(
            k=3,
            max_hops=30,
            avoid=frozenset({proj.index[f"n{c}"], proj.index[f"n{d}"]}),
            allowed=proj.type_mask(allowed),
        )
        found = k_shortest_paths(proj, proj.index[f"n{a}"], proj.index[f"n{b}"], q)
        if not nx.has_path(sub, a, b):
            assert found == []
            continue
        expected = [len(p) - 1 for p in itertools.islice(nx.shortest_simple_paths(sub, a, b), 3)]
        assert [p.hops for p in found] == expected
        for p in found:
            path = ids(proj, p.nodes)
            assert_valid(sub, path, a, b)
            assert all(proj.type_names[proj.etype[e]] in allowed for e in p.edges)


@pytest.mark.parametrize("seed", range(8))
def test_via_label_gives_the_shortest_path_through_that_label(seed: int) -> None:
    g, proj = random_graph(seed, n=18)
    rng = random.Random(200 + seed)
    for _ in range(5):
        a, b = rng.sample(sorted(g), 2)
        brute = [
            len(p) - 1
            for p in nx.all_simple_paths(g, a, b, cutoff=6)
            if any(g.nodes[x]["label"] == "Park" for x in p[1:-1])
        ]
        q = PathQuery(k=2, max_hops=6, via_labels=frozenset({"Park"}), budget_seconds=10)
        found = k_shortest_paths(proj, proj.index[f"n{a}"], proj.index[f"n{b}"], q)
        if not brute:
            assert found == []
            continue
        assert [p.hops for p in found] == sorted(brute)[:2]
        for p in found:
            assert any(proj.records[x].label == "Park" for x in p.nodes[1:-1])


def line(*names: str, rel_type: str = "COLLABORATES_WITH") -> list[RelationRecord]:
    return [RelationRecord(x, y, rel_type, 1, 0.9) for x, y in itertools.pairwise(names)]


def entities(spec: str) -> list[EntityRecord]:
    """ "a:Firm b:Person" -> records with id = name."""
    out = []
    for item in spec.split():
        name, label = item.split(":")
        out.append(EntityRecord(id=name, name=name, label=label))
    return out


def test_max_hops_and_disconnected_give_no_paths() -> None:
    proj = Projection.build(
        entities("a:Firm b:Firm c:Firm d:Firm e:Firm z:Firm"), line("a", "b", "c", "d", "e")
    )
    service = GraphService(None, projection=proj)
    assert [p.length for p in service.paths("a", "e", max_hops=4)] == [4]
    assert service.paths("a", "e", max_hops=3) == []
    assert service.paths("a", "z") == []


def test_equal_length_paths_rank_by_strength_and_hops_report_direction() -> None:
    ents = entities("a:Academician x:Institute y:Institute b:Firm")
    rels = [
        RelationRecord("a", "x", "AFFILIATED_WITH", 5, 0.95),
        RelationRecord("b", "x", "COLLABORATES_WITH", 4, 0.9),
        RelationRecord("x", "b", "INVESTS_IN", 1, 0.5),
        RelationRecord("a", "y", "AFFILIATED_WITH", 1, 0.6),
        RelationRecord("y", "b", "COLLABORATES_WITH", 1, 0.6),
    ]
    service = GraphService(None, projection=Projection.build(ents, rels))
    best = service.paths("a", "b", k=1)
    assert [n.id for n in best[0].nodes] == ["a", "x", "b"]
    both = service.paths("a", "b", k=2)
    assert [[n.id for n in p.nodes] for p in both] == [["a", "x", "b"], ["a", "y", "b"]]
    assert both[0].strength > both[1].strength
    first, second = both[0].hops
    assert (first.type, first.direction) == ("AFFILIATED_WITH", "forward")
    # Stored b -> x, walked x -> b; the weaker INVESTS_IN on the same pair is listed too.
    assert (second.type, second.direction, second.other_types) == (
        "COLLABORATES_WITH",
        "undirected",
        ["INVESTS_IN"],
    )
    assert second.relation_key == "b|COLLABORATES_WITH|x"
    invest_only = service.paths("a", "b", rel_types=["AFFILIATED_WITH", "invests_in"])
    assert [(h.type, h.direction) for h in invest_only[0].hops] == [
        ("AFFILIATED_WITH", "forward"),
        ("INVESTS_IN", "forward"),
    ]
    backward = service.paths("b", "x", rel_types=["AFFILIATED_WITH", "INVESTS_IN"])
    assert backward[0].hops[0].direction == "backward"


def test_service_filters_resolve_names_and_labels() -> None:
    ents = entities("a:Firm p:Park q:Firm b:Firm")
    rels = line("a", "q", "b") + line("a", "p", "b")
    service = GraphService(None, projection=Projection.build(ents, rels))
    assert [n.id for n in service.paths("a", "b", via=["park"])[0].nodes] == ["a", "p", "b"]
    assert [n.id for n in service.paths("a", "b", avoid=["q"])[0].nodes] == ["a", "p", "b"]
    with pytest.raises(ValueError):
        service.paths("a", "b", via=["Spaceship"])


def test_introducers_count_paths_like_networkx() -> None:
    for seed in range(10):
        g, proj = random_graph(seed, n=24)
        rng = random.Random(300 + seed)
        for _ in range(6):
            a, b = rng.sample(sorted(g), 2)
            if not nx.has_path(g, a, b) or g.has_edge(a, b):
                continue
            paths = list(nx.all_shortest_paths(g, a, b))
            expected: dict[int, int] = {}
            for p in paths:
                for x in p[1:-1]:
                    expected[x] = expected.get(x, 0) + 1
            got = introducers(proj, proj.index[f"n{a}"], proj.index[f"n{b}"], top=100)
            assert {int(proj.ids[c.node][1:]): c.paths for c in got} == expected
            assert all(c.share == pytest.approx(c.paths / len(paths)) for c in got)


def test_introductions_prefer_people_who_know_both_sides() -> None:
    # a and b share three routes: person p knows both well, firm f knows both weakly,
    # and a long route through m1-m2. An already-related pair uses common neighbours.
    ents = entities("a:Firm b:Institute p:Person f:Firm m1:Firm m2:Firm t:Technology")
    rels = [
        RelationRecord("p", "a", "AFFILIATED_WITH", 4, 0.95),
        RelationRecord("p", "b", "AFFILIATED_WITH", 3, 0.9),
        RelationRecord("f", "a", "COLLABORATES_WITH", 1, 0.6),
        RelationRecord("f", "b", "COLLABORATES_WITH", 1, 0.6),
        RelationRecord("a", "t", "FOCUSES_ON", 5, 1.0),
        RelationRecord("b", "t", "FOCUSES_ON", 5, 1.0),
        *line("a", "m1", "m2", "b"),
    ]
    service = GraphService(None, projection=Projection.build(ents, rels))
    intro = service.introduce("a", "b")
    assert [i.entity.id for i in intro] == ["p", "f", "t"]
    assert intro[0].paths == 1 and intro[0].share == pytest.approx(1 / 3)
    assert intro[0].tie_a > intro[1].tie_a
    assert "directly related to both" in intro[0].reason and "AFFILIATED_WITH a" in intro[0].reason
    assert {h.relation_key for h in intro[0].evidence} == {
        "p|AFFILIATED_WITH|a",
        "p|AFFILIATED_WITH|b",
    }
    # Connected only through the long chain: both middle nodes carry every path.
    far = service.introduce("m1", "f")
    assert {i.entity.id for i in far} == {"a"}
    assert far[0].share == 1.0


def test_introduce_same_entity_or_unconnected_is_empty() -> None:
    proj = Projection.build(entities("a:Firm b:Firm c:Firm"), line("a", "b"))
    service = GraphService(None, projection=proj)
    assert service.introduce("a", "a") == []
    assert service.introduce("a", "c") == []
