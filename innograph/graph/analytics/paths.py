"""Shortest connections between two entities: a layered bidirectional BFS (the core of
paths, Yen's alternatives and introductions) and Yen's k shortest simple paths on top.

Traversal is undirected (a collaboration is a connection whichever way it was written);
each hop later reports the direction the relation is stored in. Paths are sequences of
distinct entities; when two entities are joined by relations of several types, the hop
uses the strongest allowed one and lists the others.

Ranking: by number of hops, then by strength (mean of hop strengths, see
`projection.relation_strength`: best confidence discounted when few sentences support it),
then by recency (the oldest hop's last-seen year, when the store records one).
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Collection
from dataclasses import dataclass

from innograph.graph.analytics.projection import Projection


@dataclass(slots=True)
class Side:
    """One direction of a bidirectional BFS: distance and number of shortest paths from
    its root to every node it has reached, and its current frontier (deepest layer)."""

    root: int
    dist: dict[int, int]
    sigma: dict[int, int]
    frontier: list[int]
    pred: dict[int, int]  # node -> the node it was first reached from (root -> -1)
    depth: int = 0


@dataclass(slots=True)
class Meeting:
    """Result of a bidirectional search: d = shortest distance, `meet` = nodes where the two
    searches met (on the A side at depth a.depth, on the B side at depth b.depth)."""

    a: Side
    b: Side
    meet: list[int]
    d: int

    @property
    def path_count(self) -> int:
        return sum(self.a.sigma[m] * self.b.sigma[m] for m in self.meet)


@dataclass(slots=True)
class Filters:
    """Per-query traversal constraints. `blocked` nodes are never entered; the edges between
    `spur` and the nodes in `first_blocked` are treated as absent (Yen's deviation rule: the
    spur node may not leave the way an earlier path did); `allowed` is a relationship-type
    bitmask (None = all types)."""

    blocked: Collection[int] = frozenset()
    first_blocked: Collection[int] = frozenset()
    spur: int = -1
    allowed: int | None = None

    def banned_from(self, u: int) -> Collection[int]:
        """Neighbours u may not step to because of the removed spur edges."""
        if not self.first_blocked:
            return ()
        if u == self.spur:
            return self.first_blocked
        if u in self.first_blocked:
            return (self.spur,)
        return ()


def _expand(proj: Projection, side: Side, f: Filters, count: bool) -> None:
    """Replace side.frontier with the next full layer, updating dist (and sigma)."""
    nbrs = proj.nbrs
    dist, sigma, pred = side.dist, side.sigma, side.pred
    nxt: list[int] = []
    level = side.depth + 1
    blocked = f.blocked
    masks = proj.pair_masks() if f.allowed is not None else None
    allowed = f.allowed or 0
    for u in side.frontier:
        su = sigma[u] if count else 0
        row = nbrs[u]
        banned = f.banned_from(u)
        if masks is None and not banned:
            # The hot loop: no per-edge filter beyond blocked nodes.
            for w in row:
                if w in blocked:
                    continue
                d = dist.get(w)
                if d is None:
                    dist[w] = level
                    pred[w] = u
                    if count:
                        sigma[w] = su
                    nxt.append(w)
                elif count and d == level:
                    sigma[w] += su
            continue
        mrow = masks[u] if masks is not None else None
        for k, w in enumerate(row):
            if (mrow is not None and not mrow[k] & allowed) or w in blocked or w in banned:
                continue
            d = dist.get(w)
            if d is None:
                dist[w] = level
                pred[w] = u
                if count:
                    sigma[w] = su
                nxt.append(w)
            elif count and d == level:
                sigma[w] += su
    side.frontier = nxt
    side.depth = level


def meet(
    proj: Projection,
    a: int,
    b: int,
    max_hops: int = 6,
    filters: Filters | None = None,
    count: bool = False,
) -> Meeting | None:
    """Layered bidirectional BFS from a and b; None when they are not connected within
    max_hops. Always expands the side whose frontier has the smaller total degree, and
    always a whole layer, so that `sigma` counts all shortest paths when `count` is set.

    Why the first meeting is shortest: before a layer of side X is expanded the two visited
    sets are disjoint, so any a-b path is longer than depth(X) + depth(Y); every node of the
    new layer already seen by Y therefore lies on Y's frontier, at distance exactly
    depth(X) + 1 + depth(Y)."""
    f = filters or Filters()
    sa = Side(a, {a: 0}, {a: 1}, [a], {a: -1})
    sb = Side(b, {b: 0}, {b: 1}, [b], {b: -1})
    if a == b:
        return Meeting(sa, sb, [a], 0)
    nbrs = proj.nbrs
    while sa.frontier and sb.frontier and sa.depth + sb.depth < max_hops:
        cost_a = sum(len(nbrs[x]) for x in sa.frontier)
        cost_b = sum(len(nbrs[x]) for x in sb.frontier)
        side, other = (sa, sb) if cost_a <= cost_b else (sb, sa)
        _expand(proj, side, f, count)
        other_dist = other.dist
        met = [w for w in side.frontier if w in other_dist]
        if met:
            return Meeting(sa, sb, met, sa.depth + sb.depth)
    return None


# Meeting points compared when choosing among equally short paths; bounds the work on
# hub-rich layers where thousands of nodes meet.
MAX_MEET_CHOICES = 64


def _chain(side: Side, node: int) -> list[int]:
    out: list[int] = []
    while node != -1:
        out.append(node)
        node = side.pred[node]
    return out


def _chain_strength(proj: Projection, chain: list[int], allowed: int | None) -> float:
    total = 0.0
    for u, v in itertools.pairwise(chain):
        e = proj.best_edge(u, v, allowed)
        total += proj.estrength[e] if e is not None else 0.0
    return total


def path_from_meeting(proj: Projection, m: Meeting, allowed: int | None = None) -> list[int]:
    """A shortest a-b path through one of the meeting points: each side's half follows the
    BFS tree (first discovery), and among the first MAX_MEET_CHOICES meeting points the
    one giving the strongest path wins, so ties in length lean to better-evidenced routes
    without enumerating every shortest path."""
    if m.d == 0:
        return [m.a.root]
    best: tuple[float, list[int]] | None = None
    for x in m.meet[:MAX_MEET_CHOICES]:
        path = _chain(m.a, x)[::-1] + _chain(m.b, x)[1:]
        if len(m.meet) == 1:
            return path
        score = _chain_strength(proj, path, allowed)
        if best is None or score > best[0]:
            best = (score, path)
    return best[1] if best else []


def shortest_path(
    proj: Projection, a: int, b: int, max_hops: int = 6, filters: Filters | None = None
) -> list[int] | None:
    """A shortest simple a-b path (see `path_from_meeting`), as node indices, or None."""
    f = filters or Filters()
    m = meet(proj, a, b, max_hops, f)
    if m is None:
        return None
    return path_from_meeting(proj, m, f.allowed) or None


@dataclass(slots=True)
class RankedPath:
    nodes: list[int]
    edges: list[int]  # strongest allowed relation per hop
    strength: float  # mean hop strength
    oldest_year: int  # year of the least recently seen hop (0 = unknown)

    @property
    def hops(self) -> int:
        return len(self.edges)

    def rank_key(self) -> tuple[int, float, int]:
        return (self.hops, -self.strength, -self.oldest_year)


def rank(proj: Projection, nodes: list[int], allowed: int | None) -> RankedPath | None:
    edges: list[int] = []
    for u, v in itertools.pairwise(nodes):
        e = proj.best_edge(u, v, allowed)
        if e is None:
            return None
        edges.append(e)
    strength = sum(proj.estrength[e] for e in edges) / len(edges) if edges else 1.0
    oldest = min((proj.eyear[e] for e in edges), default=0)
    return RankedPath(nodes, edges, strength, oldest)


@dataclass(slots=True)
class PathQuery:
    k: int = 1
    max_hops: int = 6
    via_labels: frozenset[str] = frozenset()
    avoid: frozenset[int] = frozenset()
    allowed: int | None = None
    # Time allowed for Yen's enumeration; matters with `via`, when the label is rare near
    # a and b and many shorter paths have to be enumerated and skipped first.
    budget_seconds: float = 2.0


def _satisfies_via(proj: Projection, nodes: list[int], via: frozenset[str]) -> bool:
    return not via or any(proj.records[n].label in via for n in nodes[1:-1])


def k_shortest_paths(proj: Projection, a: int, b: int, q: PathQuery) -> list[RankedPath]:
    """Up to q.k simple a-b paths of at most q.max_hops hops, shortest first (Yen 1971 over
    the bidirectional BFS). With via labels, paths are enumerated in the same length order and
    those without an intermediate entity of a via label are skipped, so the first ones
    returned are the shortest that satisfy it. Result order: `RankedPath.rank_key`."""
    if a == b or a in q.avoid or b in q.avoid:
        return []
    base = Filters(blocked=q.avoid, allowed=q.allowed)
    first = shortest_path(proj, a, b, q.max_hops, base)
    if first is None:
        return []
    deadline = time.perf_counter() + q.budget_seconds
    found: list[list[int]] = [first]  # every path Yen has settled, accepted or not
    accepted: list[RankedPath] = []
    seen = {tuple(first)}
    heap: list[tuple[int, float, int, list[int]]] = []
    tie = itertools.count()

    def accept(nodes: list[int]) -> None:
        if _satisfies_via(proj, nodes, q.via_labels):
            r = rank(proj, nodes, q.allowed)
            if r is not None:
                accepted.append(r)

    accept(first)
    # Candidates pop shortest first and, among equally short ones, strongest first; so ties
    # at the k-th place lean to stronger paths without enumerating every equal-length path.
    while len(accepted) < q.k:
        prev = found[-1]
        for i in range(len(prev) - 1):
            spur = prev[i]
            root = prev[: i + 1]
            first_blocked = {p[i + 1] for p in found if len(p) > i + 1 and p[: i + 1] == root}
            blocked = set(q.avoid)
            blocked.update(root[:-1])
            budget = q.max_hops - i
            if budget <= 0:
                continue
            spur_path = shortest_path(
                proj, spur, b, budget, Filters(blocked, first_blocked, spur, q.allowed)
            )
            if spur_path is None:
                continue
            total = root[:-1] + spur_path
            key = tuple(total)
            if key in seen:
                continue
            seen.add(key)
            r = rank(proj, total, q.allowed)
            if r is not None:
                heapq.heappush(heap, (r.hops, -r.strength, next(tie), total))
        if not heap or time.perf_counter() > deadline:
            break
        hops, _, _, nxt = heapq.heappop(heap)
        if hops > q.max_hops:
            break
        found.append(nxt)
        accept(nxt)
    accepted.sort(key=RankedPath.rank_key)
    return accepted[: q.k]
