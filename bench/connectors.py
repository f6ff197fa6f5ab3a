"""Super-connector ranking: time on a large generated graph, and agreement with exact
networkx betweenness (plus the speed-up over it) on a small one.

    python bench/connectors.py [--edges 1000000] [--small-entities 10000] [--json]

Large graph: time for `GraphService.connectors(top=50)` from a cold cache (betweenness,
three sector-pair brokerage measures, constraint, effective size, ranking). Small graph
(--small-entities entities, 5 relations each): the same ranking's top 20 against the top 20
of networkx's exact `betweenness_centrality`, timed in the same run. With --json the last
line is {"seconds_1m": ..., "top20_overlap": ..., "speedup_vs_networkx_exact": ...}.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import generate  # noqa: E402
from innograph.graph.analytics.projection import Projection  # noqa: E402
from innograph.graph.service import GraphService  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def large(edges: int, seed: int) -> dict[str, float]:
    graph = generate(max(10, edges // 5), edges, seed=seed)
    proj = Projection.build(graph.entities, graph.relations, version="bench-large")
    del graph
    service = GraphService(None, projection=proj)
    started = time.perf_counter()
    rows = service.connectors(top=50)
    seconds = time.perf_counter() - started
    again = time.perf_counter()
    service.connectors(top=50, between=("academia", "industry"))
    cached = time.perf_counter() - again
    metrics = service.connector_metrics()
    print(f"large graph: {proj.node_count:,} entities, {proj.edge_count:,} relations")
    print(
        f"  top 50 in {seconds:.1f} s cold ({'exact' if metrics.exact else f'{metrics.samples} sampled sources'},"
        f" error bound {metrics.error_bound:.3f}), {cached * 1000:.0f} ms from cache"
    )
    for r in rows[:5]:
        print(f"  {r.score:.3f}  {r.entity.label:<12} {r.entity.name}  -  {r.why}")
    return {"seconds_1m": seconds, "cached_ms": cached * 1000, "samples_1m": metrics.samples}


def small(entities: int, seed: int) -> dict[str, float]:
    import networkx as nx

    graph = generate(entities, entities * 5, seed=seed)
    proj = Projection.build(graph.entities, graph.relations, version="bench-small")
    service = GraphService(None, projection=proj)
    started = time.perf_counter()
    rows = service.connectors(top=20)
    ours_s = time.perf_counter() - started
    metrics = service.connector_metrics()

    g = nx.Graph()
    g.add_nodes_from(range(proj.node_count))
    g.add_edges_from((u, v) for u, nb in enumerate(proj.nbrs) for v in nb if u < v)
    started = time.perf_counter()
    exact = nx.betweenness_centrality(g, normalized=True)
    nx_s = time.perf_counter() - started
    nx_top = {proj.ids[i] for i in sorted(exact, key=lambda i: -exact[i])[:20]}
    ours_top = {r.entity.id for r in rows}
    bet_top = {
        proj.ids[i]
        for i in sorted(range(proj.node_count), key=lambda i: -metrics.betweenness[i])[:20]
    }
    overlap = len(nx_top & ours_top) / 20
    bet_overlap = len(nx_top & bet_top) / 20
    worst = max(abs(metrics.betweenness[i] - exact[i]) for i in range(proj.node_count))
    print(f"small graph: {proj.node_count:,} entities, {proj.edge_count:,} relations")
    print(
        f"  ours {ours_s:.2f} s ({'exact' if metrics.exact else f'{metrics.samples} sampled sources'},"
        f" bound {metrics.error_bound:.3f}, worst observed error {worst:.4f});"
        f" networkx exact betweenness {nx_s:.1f} s"
    )
    print(
        f"  top-20 overlap with exact betweenness: combined score {overlap:.2f}, betweenness alone {bet_overlap:.2f}"
    )
    return {
        "top20_overlap": overlap,
        "top20_overlap_betweenness_only": bet_overlap,
        "speedup_vs_networkx_exact": nx_s / ours_s if ours_s else 0.0,
        "ours_small_s": ours_s,
        "networkx_exact_s": nx_s,
        "max_abs_error": worst,
        "error_bound_small": metrics.error_bound,
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--edges", type=int, default=1_000_000)
    ap.add_argument("--small-entities", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result: dict[str, float] = {}
    result.update(small(args.small_entities, args.seed))
    result.update(large(args.edges, args.seed))
    print(f"{'measure':<34}{'value':>12}")
    for key in (
        "seconds_1m",
        "top20_overlap",
        "speedup_vs_networkx_exact",
        "networkx_exact_s",
        "ours_small_s",
    ):
        print(f"{key:<34}{result[key]:>12.2f}")
    print(f"peak RSS {rss_mb():.0f} MB")
    if args.json:
        print(json.dumps({k: round(v, 4) for k, v in result.items()}))


if __name__ == "__main__":
    main()
