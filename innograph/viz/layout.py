"""Server-side graph layout for the explorer: positions are computed once per view, cached,
and sent with the data, so the browser draws with physics off.

Algorithm, by measurement (bench/explorer.py --layouts; synthetic graphs from
bench/synthetic.py, 3 relations per entity, 2 shared cores): igraph's Fruchterman-Reingold
with its grid approximation takes 0.25 s on 2,000 nodes and 0.41 s on 5,000 (500
iterations; 200 are enough for big views, see NITER_BIG); DrL 11.5 s / 18.7 s; LGL 0.28 s /
0.77 s; graphopt 3.5 s / 21 s; Kamada-Kawai 4.7 s on 2,000; networkx `spring_layout` 6.9 s /
30.4 s. Fruchterman-Reingold is also what vis-network's own physics approximates, so the
picture looks like what users expect.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Target distance between joined nodes on screen (vis-network canvas units = CSS px at
# zoom 1): far enough for a label, near enough that a 2,000-node view fits one screen
# when zoomed out.
EDGE_LENGTH = 110.0
# Exact (all-pairs) repulsion up to this many nodes, igraph's grid approximation beyond.
GRID_FROM = 1000
# Iterations: igraph's 500 for small views; big views settle by 200 (the median edge
# against the median distance of random pairs, a measure of how well the layout keeps
# neighbours together, is within 2% of 500 iterations' on the 2,000- and 5,000-node bench
# graphs) at 40% of the time.
NITER_SMALL = 500
NITER_BIG = 200
_RNG_LOCK = threading.Lock()


@dataclass(slots=True)
class Layout:
    xy: list[tuple[float, float]]
    algorithm: str
    ms: float


def _initial(n: int, seed: int) -> np.ndarray:
    """A deterministic start (igraph otherwise draws from Python's global RNG): points on
    a phyllotaxis spiral, which spreads any n evenly without random clumps."""
    k = np.arange(n, dtype=float)
    golden = math.pi * (3.0 - math.sqrt(5.0))
    r = np.sqrt(k + 0.5) * 1.0
    theta = k * golden + seed
    return np.column_stack([r * np.cos(theta), r * np.sin(theta)])


def _gather(coords: np.ndarray, membership: list[int]) -> np.ndarray:
    """Small components (isolated nodes above all) drift far out under FR's repulsion, a
    2,000-node overview then fits into a tenth of the screen; each is moved in along its
    own direction to just outside the largest component, keeping its shape."""
    member = np.asarray(membership)
    if member.size == 0 or member.max() == 0:
        return coords
    main = int(np.argmax(np.bincount(member)))
    core = coords[member == main]
    middle = core.mean(axis=0)
    reach = float(np.hypot(*(core - middle).T).max()) if len(core) > 1 else 1.0
    step = max(reach * 0.06, 1e-6)
    out = coords.copy()
    for c in np.unique(member):
        if c == main:
            continue
        sel = member == c
        centre = coords[sel].mean(axis=0)
        offset = centre - middle
        dist = float(np.hypot(*offset))
        spread = float(np.hypot(*(coords[sel] - centre).T).max()) if sel.sum() > 1 else 0.0
        want = reach + step + spread
        if dist > want:
            out[sel] += offset / dist * (want - dist)
    return out


def compute_layout(
    n: int, pairs: Sequence[tuple[int, int]], seed: int = 0, center: int | None = None
) -> Layout:
    """Positions for nodes 0..n-1 joined by `pairs` (undirected; duplicates fine), scaled so
    the median edge is EDGE_LENGTH long and, when `center` is given, that node sits at the
    origin."""
    t0 = time.perf_counter()
    if n == 0:
        return Layout([], "none", 0.0)
    if n == 1:
        return Layout([(0.0, 0.0)], "none", 0.0)
    import igraph

    simple = sorted({(min(a, b), max(a, b)) for a, b in pairs if a != b})
    g = igraph.Graph(n=n, edges=simple, directed=False)
    start = _initial(n, seed)
    # igraph's layouts draw from one process-wide generator (Python's `random` module by
    # default); a seeded one for the duration makes a view's layout reproducible.
    with _RNG_LOCK:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            found = g.layout_fruchterman_reingold(
                seed=start.tolist(),
                niter=NITER_SMALL if n <= GRID_FROM else NITER_BIG,
                grid=n > GRID_FROM,
            )
        finally:
            igraph.set_random_number_generator(random)
    coords = _gather(np.asarray(found.coords, dtype=float), g.connected_components().membership)
    if simple:
        e = np.asarray(simple)
        lengths = np.hypot(*(coords[e[:, 0]] - coords[e[:, 1]]).T)
        typical = float(np.median(lengths)) or 1.0
    else:
        typical = 1.0
    coords *= EDGE_LENGTH / typical
    origin = coords[center] if center is not None else coords.mean(axis=0)
    coords -= origin
    xy = [(round(float(x), 1), round(float(y), 1)) for x, y in coords]
    return Layout(
        xy,
        "fruchterman_reingold" + ("_grid" if n > GRID_FROM else ""),
        (time.perf_counter() - t0) * 1000,
    )
