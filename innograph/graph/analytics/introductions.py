"""Who could introduce A to B: the intermediaries on the shortest connections between them.

Score of an intermediary v (documented here because users see its effect, not its formula):

    score(v) = kind(v) * (0.5 * share(v) + 0.25 * tie_a(v) + 0.25 * tie_b(v))

* share(v): the fraction of all shortest A-B paths that pass through v, i.e. how many
  independent shortest routes it sits on (sigma_A(v) * sigma_B(v) / sigma_AB, computed
  exactly from the bidirectional BFS's path counts). When A and B are already directly
  related, the routes considered are the two-hop ones (their common neighbours).
* tie_a(v), tie_b(v): strength of v's own relation to A and to B (0 when not adjacent),
  see `projection.relation_strength`. Someone who knows both well beats a distant broker.
* kind(v): people make introductions (1.0); organisations do through their staff (0.8);
  an event both attended is a weaker prompt (0.5); a shared technology or place is a topic,
  not an introducer (0.3).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from innograph.graph.analytics.paths import Filters, Meeting, Side, meet
from innograph.graph.analytics.projection import Projection
from innograph.model import Label

KIND_WEIGHT: dict[str, float] = {
    Label.ACADEMICIAN.value: 1.0,
    Label.PERSON.value: 1.0,
    Label.INSTITUTE.value: 0.8,
    Label.FIRM.value: 0.8,
    Label.PARK.value: 0.8,
    Label.ORGANIZATION.value: 0.8,
    Label.EVENT.value: 0.5,
    Label.TECHNOLOGY.value: 0.3,
    Label.PLACE.value: 0.3,
}


@dataclass(slots=True)
class IntroCandidate:
    node: int
    score: float
    paths: int
    share: float
    distance_a: int
    distance_b: int
    tie_a: float
    tie_b: float
    edge_a: int | None  # its strongest relation to A, when adjacent
    edge_b: int | None
    reason: str


def _through_counts(
    proj: Projection, side: Side, m: Meeting, other: Side, allowed: int | None
) -> dict[int, int]:
    """For every node on this side's part of the shortest-path DAG: sigma_side(v) times the
    number of shortest paths from v onwards to the far end (propagated back from the
    meeting nodes, where it is the other side's sigma)."""
    dist = side.dist
    tau: dict[int, int] = {x: other.sigma[x] for x in m.meet}
    masks = proj.pair_masks() if allowed is not None else None
    layer = set(m.meet)
    for depth in range(side.depth, 0, -1):
        prev: dict[int, int] = defaultdict(int)
        for v in layer:
            tv = tau[v]
            mrow = masks[v] if masks is not None else None
            for k, w in enumerate(proj.nbrs[v]):
                if dist.get(w) == depth - 1 and (mrow is None or mrow[k] & (allowed or 0)):
                    prev[w] += tv
        for w, t in prev.items():
            tau[w] = tau.get(w, 0) + t
        layer = set(prev)
    return {v: side.sigma[v] * t for v, t in tau.items()}


def _reason(proj: Projection, c: IntroCandidate, a: int, b: int, total: int) -> str:
    name_a, name_b = proj.records[a].name, proj.records[b].name
    parts: list[str] = []
    if c.edge_a is not None and c.edge_b is not None:
        parts.append(
            f"directly related to both: {proj.type_names[proj.etype[c.edge_a]]} {name_a}"
            f" and {proj.type_names[proj.etype[c.edge_b]]} {name_b}"
        )
    elif c.edge_a is not None:
        parts.append(
            f"directly related to {name_a} ({proj.type_names[proj.etype[c.edge_a]]}),"
            f" {c.distance_b} hops from {name_b}"
        )
    elif c.edge_b is not None:
        parts.append(
            f"directly related to {name_b} ({proj.type_names[proj.etype[c.edge_b]]}),"
            f" {c.distance_a} hops from {name_a}"
        )
    else:
        parts.append(f"{c.distance_a} hops from {name_a}, {c.distance_b} from {name_b}")
    parts.append(f"on {c.paths} of {total} shortest connections ({c.share:.0%})")
    return "; ".join(parts)


def introducers(
    proj: Projection, a: int, b: int, top: int = 10, max_hops: int = 6, allowed: int | None = None
) -> list[IntroCandidate]:
    """Ranked intermediaries between a and b (see the module docstring for the score)."""
    if a == b:
        return []
    f = Filters(allowed=allowed)
    m = meet(proj, a, b, max_hops, f, count=True)
    if m is None:
        return []
    if m.d == 1:
        # Already related: the introducers are the entities both know (two-hop routes).
        common = set(proj.nbrs[a]).intersection(proj.nbrs[b])
        if allowed is not None:
            common = {
                v
                for v in common
                if proj.best_edge(a, v, allowed) is not None
                and proj.best_edge(v, b, allowed) is not None
            }
        through = dict.fromkeys(common, 1)
        dist_a = dict.fromkeys(common, 1)
        dist_b = dict.fromkeys(common, 1)
    else:
        through = _through_counts(proj, m.a, m, m.b, allowed)
        for v, n in _through_counts(proj, m.b, m, m.a, allowed).items():
            through.setdefault(v, n)
        dist_a, dist_b = m.a.dist, m.b.dist
    through.pop(a, None)
    through.pop(b, None)
    total = sum(through.values()) if m.d == 1 else m.path_count
    out: list[IntroCandidate] = []
    for v, n in through.items():
        da = dist_a.get(v)
        db = dist_b.get(v)
        # A node found from one side only lies at (d - its depth) from the other end.
        if da is None and db is not None:
            da = m.d - db
        if db is None and da is not None:
            db = m.d - da
        if da is None or db is None:
            continue
        ea = proj.best_edge(v, a, allowed) if da == 1 else None
        eb = proj.best_edge(v, b, allowed) if db == 1 else None
        tie_a = proj.estrength[ea] if ea is not None else 0.0
        tie_b = proj.estrength[eb] if eb is not None else 0.0
        share = n / total if total else 0.0
        kind = KIND_WEIGHT.get(proj.records[v].label, 0.5)
        score = kind * (0.5 * share + 0.25 * tie_a + 0.25 * tie_b)
        out.append(IntroCandidate(v, round(score, 6), n, share, da, db, tie_a, tie_b, ea, eb, ""))
    out.sort(key=lambda c: (-c.score, -c.paths, proj.ids[c.node]))
    out = out[:top]
    for c in out:
        c.reason = _reason(proj, c, a, b, total)
    return out
