"""Path, k-paths and introduction latency on a generated graph, against networkx.

    python bench/paths.py [--edges 1000000] [--pairs 100] [--baseline-pairs 10] [--json]

Builds the projection from `bench.synthetic` records (about edges/5 entities),
then times `GraphService.paths` (k=1 and k=5) and `GraphService.introduce` over random
connected pairs; the service runs without a store, so this is the in-memory part (evidence
comes from one batched store query per answer). The baseline is networkx on the same graph
and a subsample of the pairs: `shortest_path` (bidirectional BFS) for k=1 and
`shortest_simple_paths` for k=5; hop counts are cross-checked against it. With --json the
last line is {"p95_ms_k1": ..., "p95_ms_k5": ..., "p95_ms_introduce": ..., "edges": ...}.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import generate  # noqa: E402
from innograph.graph.analytics.projection import Projection  # noqa: E402
from innograph.graph.service import GraphService  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def rss_mb() -> float:
    """Peak resident memory of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss_mb()


def timed(fn: object, *args: object, **kwargs: object) -> tuple[float, object]:
    started = time.perf_counter()
    out = fn(*args, **kwargs)  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000, out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--edges", type=int, default=1_000_000)
    ap.add_argument("--entities", type=int, default=0, help="default: edges / 5")
    ap.add_argument("--pairs", type=int, default=100)
    ap.add_argument("--baseline-pairs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    entities = args.entities or max(10, args.edges // 5)

    t0 = time.perf_counter()
    graph = generate(entities, args.edges, seed=args.seed)
    gen_s = time.perf_counter() - t0
    rss_before = current_rss_mb()
    t0 = time.perf_counter()
    proj = Projection.build(graph.entities, graph.relations, version="bench")
    build_s = time.perf_counter() - t0
    rss_after = current_rss_mb()
    del graph
    gc.collect()
    service = GraphService(None, projection=proj)

    rng = random.Random(args.seed)
    membership = proj.components()
    pairs: list[tuple[str, str]] = []
    while len(pairs) < args.pairs:
        a, b = rng.randrange(proj.node_count), rng.randrange(proj.node_count)
        if a != b and membership[a] == membership[b]:
            pairs.append((proj.ids[a], proj.ids[b]))

    k1: list[float] = []
    k5: list[float] = []
    intro: list[float] = []
    hops1: list[int] = []
    hops5: list[list[int]] = []
    for a, b in pairs:
        ms, res = timed(service.paths, a, b, k=1, max_hops=8)
        k1.append(ms)
        hops1.append(res[0].length if res else -1)  # type: ignore[index]
        ms, res = timed(service.paths, a, b, k=5, max_hops=8)
        k5.append(ms)
        hops5.append([p.length for p in res])  # type: ignore[union-attr]
        ms, _ = timed(service.introduce, a, b, top=10, max_hops=8)
        intro.append(ms)

    # Baseline: networkx on the same graph, a subsample of the same pairs.
    import networkx as nx

    t0 = time.perf_counter()
    g = nx.Graph()
    g.add_nodes_from(range(proj.node_count))
    g.add_edges_from((u, v) for u, nb in enumerate(proj.nbrs) for v in nb if u < v)
    nx_build_s = time.perf_counter() - t0
    nx_k1: list[float] = []
    nx_k5: list[float] = []
    mismatches = 0
    for i, (a, b) in enumerate(pairs[: args.baseline_pairs]):
        u, v = proj.index[a], proj.index[b]
        ms, path = timed(nx.shortest_path, g, u, v)
        nx_k1.append(ms)
        ms, paths = timed(
            lambda u=u, v=v: list(itertools.islice(nx.shortest_simple_paths(g, u, v), 5))
        )
        nx_k5.append(ms)
        if len(path) - 1 != hops1[i] or [len(p) - 1 for p in paths] != hops5[i]:  # type: ignore[arg-type, union-attr]
            mismatches += 1

    rows = [
        ("paths k=1", k1, nx_k1),
        ("paths k=5", k5, nx_k5),
        ("introduce top=10", intro, []),
    ]
    print(
        f"graph: {proj.node_count:,} entities, {proj.edge_count:,} relations (generated in {gen_s:.1f} s)"
    )
    print(
        f"projection build: {build_s:.1f} s, +{rss_after - rss_before:.0f} MB resident"
        f" (records + projection: {rss_after:.0f} MB)"
    )
    print(f"networkx graph build (baseline): {nx_build_s:.1f} s; peak RSS now {rss_mb():.0f} MB")
    print(
        f"{'query':<18}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'nx p50 ms':>12}{'nx p95 ms':>12}"
    )
    for name, ours, base in rows:
        print(
            f"{name:<18}{len(ours):>5}{percentile(ours, 50):>10.1f}{percentile(ours, 95):>10.1f}"
            f"{max(ours):>10.1f}"
            + (
                f"{percentile(base, 50):>12.1f}{percentile(base, 95):>12.1f}"
                if base
                else f"{'-':>12}{'-':>12}"
            )
        )
    print(f"hop counts differing from networkx on {len(nx_k1)} baseline pairs: {mismatches}")
    result = {
        "p95_ms_k1": round(percentile(k1, 95), 2),
        "p95_ms_k5": round(percentile(k5, 95), 2),
        "p95_ms_introduce": round(percentile(intro, 95), 2),
        "p50_ms_k1": round(percentile(k1, 50), 2),
        "p50_ms_k5": round(percentile(k5, 50), 2),
        "p50_ms_introduce": round(percentile(intro, 50), 2),
        "nx_p95_ms_k1": round(percentile(nx_k1, 95), 2),
        "nx_p95_ms_k5": round(percentile(nx_k5, 95), 2),
        "baseline_mismatches": mismatches,
        "build_s": round(build_s, 2),
        "projection_mb": round(rss_after - rss_before),
        "peak_rss_mb": round(rss_mb()),
        "edges": proj.edge_count,
        "entities": proj.node_count,
    }
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
