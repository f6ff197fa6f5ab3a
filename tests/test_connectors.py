"""Super-connectors: betweenness against networkx (exact, and sampled within its stated
bound), cross-sector brokerage against a hand count, constraint against networkx, the
ranking on a hub-and-spoke graph, filters, and the metric cache."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import pytest

from bench.synthetic import generate
from innograph.graph.analytics import connectors as conn
from innograph.graph.analytics.projection import Projection
from innograph.graph.service import GraphService
from innograph.model import EntityRecord, RelationRecord

LABELS = ["Academician", "Institute", "Firm", "Park", "Organization", "Technology"]


def random_graph(seed: int, n: int = 40) -> tuple[nx.Graph, Projection]:
    rng = random.Random(seed)
    g = nx.gnm_random_graph(n, rng.randint(n, 3 * n), seed=seed)
    labels = {v: rng.choice(LABELS) for v in g}
    nx.set_node_attributes(g, labels, "label")
    ents = [EntityRecord(f"n{v}", f"node {v}", labels[v]) for v in g]
    rels = [RelationRecord(f"n{u}", f"n{v}", "COLLABORATES_WITH", 1, 0.9) for u, v in g.edges]
    return g, Projection.build(ents, rels, version=f"s{seed}")


@pytest.mark.parametrize("seed", range(6))
def test_exact_betweenness_equals_networkx(seed: int) -> None:
    g, proj = random_graph(seed)
    values, exact, _ = conn.betweenness(proj)
    assert exact
    expected = nx.betweenness_centrality(g, normalized=True)
    for v in g:
        assert values[proj.index[f"n{v}"]] == pytest.approx(expected[v], abs=1e-9)


def test_sampled_betweenness_is_within_its_stated_bound() -> None:
    graph = generate(600, 2400, seed=5)
    proj = Projection.build(graph.entities, graph.relations)
    g = nx.Graph((proj.index[r.source], proj.index[r.target]) for r in graph.relations)
    exact = nx.betweenness_centrality(g, normalized=True)
    values, is_exact, used = conn.betweenness(proj, samples=150, seed=1)
    assert not is_exact and used == 150
    bound = conn.error_bound(proj.node_count, used)
    worst = max(abs(values[v] - exact[v]) for v in g)
    assert worst <= bound
    # The bound is loose; in practice the top of the ranking is what matters.
    top_exact = set(sorted(exact, key=lambda v: -exact[v])[:10])
    top_sampled = set(sorted(range(proj.node_count), key=lambda v: -values[v])[:10])
    assert len(top_exact & top_sampled) >= 8


def test_cross_sector_share_matches_hand_count() -> None:
    g, proj = random_graph(11, n=30)
    share = conn.cross_sector(proj, ("academia", "industry"), samples=None)
    sector = {v: conn._SECTOR_OF.get(g.nodes[v]["label"]) for v in g}
    left = [v for v in g if sector[v] == "academia"]
    right = [v for v in g if sector[v] == "industry"]
    through = dict.fromkeys(g, 0.0)
    pairs = 0
    for s in left:
        for t in right:
            if not nx.has_path(g, s, t):
                continue
            pairs += 1
            paths = list(nx.all_shortest_paths(g, s, t))
            for p in paths:
                for x in p[1:-1]:
                    through[x] += 1 / len(paths)
    for v in g:
        assert share[proj.index[f"n{v}"]] == pytest.approx(through[v] / pairs, abs=1e-9)


def test_constraint_matches_networkx() -> None:
    g, proj = random_graph(3)
    metrics = conn.compute_metrics(proj)
    expected = nx.constraint(g)
    for v in g:
        if g.degree(v):
            assert metrics.constraint[f"n{v}"] == pytest.approx(expected[v], abs=1e-9)
    eff = nx.effective_size(g)
    for v in g:
        if g.degree(v):
            i = proj.index[f"n{v}"]
            assert metrics.effective_size[i] == pytest.approx(eff[v], abs=1e-9)
            assert metrics.efficiency[i] == pytest.approx(eff[v] / g.degree(v), abs=1e-9)


def hub_and_spoke() -> Projection:
    """A park joining 6 institutes and 5 firms, each spoke with one private contact; a
    chain elsewhere gives other nodes some betweenness too."""
    ents = [EntityRecord("hub", "中关村科技园", "Park")]
    rels = []
    for i in range(6):
        ents += [
            EntityRecord(f"i{i}", f"研究院{i}", "Institute"),
            EntityRecord(f"x{i}", f"学者{i}", "Academician"),
        ]
        rels += [
            RelationRecord(f"i{i}", "hub", "PART_OF", 2, 0.9),
            RelationRecord(f"x{i}", f"i{i}", "AFFILIATED_WITH", 1, 0.8),
        ]
    for j in range(5):
        ents += [
            EntityRecord(f"f{j}", f"公司{j}", "Firm"),
            EntityRecord(f"y{j}", f"工程师{j}", "Person"),
        ]
        rels += [
            RelationRecord(f"f{j}", "hub", "PART_OF", 2, 0.9),
            RelationRecord(f"y{j}", f"f{j}", "AFFILIATED_WITH", 1, 0.8),
        ]
    ents += [EntityRecord(c, c, "Firm") for c in ("c1", "c2", "c3")]
    rels += [
        RelationRecord("f0", "c1", "INVESTS_IN", 1, 0.7),
        RelationRecord("c1", "c2", "INVESTS_IN", 1, 0.7),
        RelationRecord("c2", "c3", "INVESTS_IN", 1, 0.7),
    ]
    return Projection.build(ents, rels, version="hub")


def test_hub_ranks_first_with_a_reason() -> None:
    service = GraphService(None, projection=hub_and_spoke())
    rows = service.connectors(top=5)
    assert rows[0].entity.id == "hub"
    assert rows[0].neighbour_labels == {"Institute": 6, "Firm": 5}
    assert rows[0].why.startswith("bridges 6 institutes and 5 firms")
    assert "academia–industry" in rows[0].why
    assert rows[0].constraint < min(r.constraint for r in rows[1:])
    assert rows[0].exact and rows[0].error_bound == 0.0
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)


def test_label_and_sector_filters() -> None:
    service = GraphService(None, projection=hub_and_spoke())
    firms = service.connectors(top=3, labels=["firm"])
    assert firms and all(r.entity.label == "Firm" for r in firms)
    assert firms[0].entity.id == "f0"
    between = service.connectors(top=1, between=("industry", "academia"))
    assert between[0].entity.id == "hub"
    assert between[0].brokerage_pair == ("academia", "industry")
    with pytest.raises(ValueError):
        service.connectors(between=("academia", "academia"))


def test_metrics_are_cached_per_version_in_memory_and_on_disk(tmp_path: Path) -> None:
    proj = hub_and_spoke()
    cache = conn.MetricsCache(tmp_path)
    first = cache.get(proj, conn.SECTOR_PAIRS)
    assert cache.get(proj, conn.SECTOR_PAIRS) is first
    assert len(list(tmp_path.glob("connectors-*.json"))) == 1
    # A new process (new cache object) reads the file instead of recomputing.
    again = conn.MetricsCache(tmp_path).get(proj, conn.SECTOR_PAIRS)
    assert again.betweenness == first.betweenness and again.seconds == first.seconds
    # A change to the projection invalidates the in-memory entry.
    proj.add(
        [EntityRecord("new", "新公司", "Firm")],
        [RelationRecord("new", "hub", "PART_OF", 1, 0.9)],
        version="hub2",
    )
    changed = cache.get(proj, conn.SECTOR_PAIRS)
    assert changed is not first and len(changed.betweenness) == proj.node_count


def test_large_graph_is_sampled_and_constraint_filled_for_shown_rows() -> None:
    graph = generate(4000, 14000, seed=9)
    proj = Projection.build(graph.entities, graph.relations, version="big")
    assert proj.node_count * proj.edge_count > conn.EXACT_WORK
    service = GraphService(None, projection=proj)
    rows = service.connectors(top=5)
    metrics = service.connector_metrics()
    assert not metrics.exact and metrics.samples == conn.sample_size(
        proj.node_count, proj.edge_count
    )
    assert rows[0].error_bound == pytest.approx(
        conn.error_bound(proj.node_count, metrics.samples), abs=1e-6
    )
    assert set(metrics.constraint) == {r.entity.id for r in rows}
    # Computed for the shown rows only, the same values as for the whole graph (whose
    # agreement with networkx is checked on small graphs above).
    everything = conn._constraint(proj, range(proj.node_count))
    for r in rows:
        assert r.constraint == pytest.approx(everything[r.entity.id], abs=1e-6)
    exact, _, _ = conn.betweenness(proj, samples=proj.node_count)
    top_exact = {proj.ids[i] for i in sorted(range(proj.node_count), key=lambda i: -exact[i])[:10]}
    assert {r.entity.id for r in rows} <= top_exact
