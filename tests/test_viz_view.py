"""The explorer's view builder without a browser: caps and "showing N of M", the per-view
layout cache, styling by label and relationship type, layouts, exports and the standalone
page (checked for a self-contained document)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from bench.synthetic import generate
from innograph.graph.analytics.projection import Projection
from innograph.graph.service import GraphService
from innograph.model import EntityRecord, Label, RelationRecord, RelType
from innograph.viz import assets, export, style
from innograph.viz.layout import EDGE_LENGTH, compute_layout
from innograph.viz.view import (
    NODE_FIELDS,
    ViewBuilder,
    ViewRequest,
    compact_payload,
    view_payload,
)


def star_service(leaves: int = 30) -> GraphService:
    """A hub institute with `leaves` firms around it, a chain of two people hanging off the
    first firm, and one technology nobody is linked to."""
    hub = EntityRecord("o-hub", "中心研究院", Label.INSTITUTE.value, ["Hub Institute"])
    firms = [EntityRecord(f"o-f{i:03d}", f"企业{i}", Label.FIRM.value) for i in range(leaves)]
    people = [
        EntityRecord("p-a", "王伟", Label.ACADEMICIAN.value),
        EntityRecord("p-b", "李娜", Label.PERSON.value),
    ]
    lone = EntityRecord("t-x", "量子计算", Label.TECHNOLOGY.value)
    rels = [RelationRecord(f.id, "o-hub", RelType.COLLABORATES_WITH.value, 2, 0.9) for f in firms]
    rels += [
        RelationRecord("p-a", firms[0].id, RelType.FOUNDED.value, 1, 0.8),
        RelationRecord("p-b", "p-a", RelType.AFFILIATED_WITH.value, 1, 0.7),
    ]
    proj = Projection.build([hub, *firms, *people, lone], rels, version="v1")
    return GraphService(None, projection=proj)


def test_focus_view_is_capped_and_says_of_how_many() -> None:
    svc = star_service(30)
    view = ViewBuilder(svc).build(ViewRequest(names=("中心研究院",), hops=1, limit=10))
    assert view.shown_nodes == 10
    assert view.total_nodes == 31  # the hub and its 30 firms
    assert view.truncated
    assert view.nodes[0].id == "o-hub" and view.nodes[0].role == "focus"
    ids = {n.id for n in view.nodes}
    assert all(e.source in ids and e.target in ids for e in view.edges)
    assert len(view.edges) == 9  # the hub to each of the 9 firms kept

    full = ViewBuilder(svc).build(ViewRequest(names=("Hub Institute",), hops=2, limit=2000))
    assert not full.truncated
    assert full.shown_nodes == full.total_nodes == 32  # + the founder two hops out
    depth = {n.id: n.depth for n in full.nodes}
    assert depth["o-hub"] == 0 and depth["o-f000"] == 1 and depth["p-a"] == 2


def test_filters_by_label_and_type_narrow_the_view() -> None:
    svc = star_service(5)
    b = ViewBuilder(svc)
    only_founded = b.build(
        ViewRequest(names=("企业0",), hops=2, rel_types=(RelType.FOUNDED.value,))
    )
    assert {n.id for n in only_founded.nodes} == {"o-f000", "p-a"}
    assert [e.type for e in only_founded.edges] == ["FOUNDED"]
    firms_only = b.build(ViewRequest(names=("中心研究院",), labels=("Firm",)))
    assert {n.label for n in firms_only.nodes[1:]} == {"Firm"}


def test_overview_takes_the_best_connected_and_counts_all() -> None:
    svc = star_service(30)
    view = ViewBuilder(svc).build(ViewRequest(mode="all", limit=3))
    assert view.total_nodes == 34 and view.shown_nodes == 3 and view.truncated
    assert view.nodes[0].id == "o-hub"  # degree 30
    assert view.nodes[1].id == "o-f000"  # degree 2 (hub and founder)


def test_layout_is_cached_per_view_and_graph_version() -> None:
    svc = star_service(20)
    b = ViewBuilder(svc)
    req = ViewRequest(names=("中心研究院",), hops=2)
    first = b.build(req)
    assert not first.cached and b.layouts_computed == 1
    again = b.build(req)
    assert again.cached and b.layouts_computed == 1
    assert [(n.x, n.y) for n in again.nodes] == [(n.x, n.y) for n in first.nodes]
    b.build(ViewRequest(names=("中心研究院",), hops=1))
    assert b.layouts_computed == 2
    # A change to the graph is a new version: the cached layout is not reused.
    svc.projection().add(
        [EntityRecord("o-new", "新研究院", "Institute")],
        [RelationRecord("o-new", "o-hub", RelType.COLLABORATES_WITH.value, 1, 0.9)],
    )
    changed = b.build(req)
    assert not changed.cached and b.layouts_computed == 3
    assert "o-new" in {n.id for n in changed.nodes}


def test_layout_spreads_nodes_centres_the_focus_and_is_deterministic() -> None:
    svc = star_service(12)
    view = ViewBuilder(svc).build(ViewRequest(names=("中心研究院",), hops=2))
    pos = {n.id: (n.x or 0.0, n.y or 0.0) for n in view.nodes}
    assert all(n.x is not None and n.y is not None for n in view.nodes)
    assert pos["o-hub"] == (0.0, 0.0)
    pts = list(pos.values())
    closest = min(
        ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
        for i, a in enumerate(pts)
        for b in pts[i + 1 :]
    )
    assert closest > 10  # nobody drawn on top of anybody
    again = ViewBuilder(svc).build(ViewRequest(names=("中心研究院",), hops=2))
    assert {n.id: (n.x or 0.0, n.y or 0.0) for n in again.nodes} == pos


def test_layout_of_a_synthetic_graph_has_the_target_edge_length() -> None:
    g = generate(entities=1500, relations=4500, seed=3)
    proj = Projection.build(g.entities, g.relations)
    pairs = [(u, v) for u, nb in enumerate(proj.nbrs) for v in nb if u < v]
    lay = compute_layout(proj.node_count, pairs)
    assert lay.algorithm == "fruchterman_reingold_grid"
    lengths = sorted(
        ((lay.xy[u][0] - lay.xy[v][0]) ** 2 + (lay.xy[u][1] - lay.xy[v][1]) ** 2) ** 0.5
        for u, v in pairs
    )
    assert lengths[len(lengths) // 2] == pytest.approx(EDGE_LENGTH, rel=0.05)
    assert len(set(lay.xy)) == proj.node_count


def test_styles_cover_every_label_and_type_and_nodes_carry_them() -> None:
    table = style.style_table()
    assert set(table["nodes"]) == {x.value for x in Label}
    assert set(table["edges"]) == {x.value for x in RelType}
    # Shapes tell labels apart without colour; colours are distinct too.
    shapes = [v["shape"] for v in table["nodes"].values()]
    colours = [v["color"] for v in table["nodes"].values()]
    assert len(set(shapes)) == len(shapes) and len(set(colours)) == len(colours)
    assert table["edges"]["COLLABORATES_WITH"]["arrows"] is False
    assert table["edges"]["FOUNDED"]["arrows"] is True
    assert "Noto Sans CJK SC" in table["font"] and "Microsoft YaHei" in table["font"]
    view = ViewBuilder(star_service(3)).build(ViewRequest(names=("王伟",), hops=2))
    by_id = {n.id: n for n in view.nodes}
    assert by_id["p-a"].label == "Academician" and by_id["p-a"].sector == "academia"
    assert by_id["o-f000"].sector == "industry"
    assert {e.symmetric for e in view.edges if e.type == "COLLABORATES_WITH"} == {True}


def test_connector_and_path_views() -> None:
    svc = star_service(6)
    b = ViewBuilder(svc)
    conn = b.build(ViewRequest(mode="connectors", top=2))
    assert conn.connectors[0].entity.id == "o-hub"
    scored = {n.id: n.score or 0.0 for n in conn.nodes}
    assert scored["o-hub"] == max(scored.values()) and conn.nodes[0].role == "connector"
    path = b.build(ViewRequest(mode="path", names=("李娜", "企业3"), k=2))
    assert [n.id for n in path.paths[0].nodes] == ["p-b", "p-a", "o-f000", "o-hub", "o-f003"]
    assert path.highlight_nodes == [n.id for n in path.paths[0].nodes]
    assert set(path.highlight_edges) == {e.id for e in path.edges}
    none = b.build(ViewRequest(mode="path", names=("李娜", "量子计算")))
    assert none.paths == [] and "no connection" in none.message


def test_bad_requests_are_refused() -> None:
    b = ViewBuilder(star_service(2))
    for req in (
        ViewRequest(mode="nope", names=("王伟",)),
        ViewRequest(mode="focus"),
        ViewRequest(mode="path", names=("王伟",)),
        ViewRequest(names=("王伟",), limit=0),
        ViewRequest(names=("王伟",), size_by="colour"),
    ):
        with pytest.raises(ValueError):
            b.build(req)


def test_exports_round_trip(tmp_path: Path) -> None:
    svc = star_service(4)
    dump = export.collect(svc)
    assert len(dump.nodes) == 8 and len(dump.relations) == 6
    export.write(dump, "graphml", tmp_path / "g.graphml")
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert g.number_of_nodes() == 8 and g.number_of_edges() == 6
    assert g.nodes["o-hub"]["name"] == "中心研究院" and g.nodes["o-hub"]["degree"] == 4
    export.write(dump, "gexf", tmp_path / "g.gexf")
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_edges() == 6
    written = export.write(dump, "csv", tmp_path / "g.csv")
    assert [p.name for p in written] == ["g.csv", "g.nodes.csv"]
    assert len((tmp_path / "g.nodes.csv").read_text(encoding="utf-8").splitlines()) == 9
    export.write(dump, "jsonl", tmp_path / "g.jsonl")
    rows = [json.loads(x) for x in (tmp_path / "g.jsonl").read_text("utf-8").splitlines()]
    assert sum(r["kind"] == "edge" for r in rows) == 6
    near = export.collect(svc, focus=("王伟",), hops=1)
    assert {n.id for n in near.nodes} == {"p-a", "p-b", "o-f000"}
    with pytest.raises(ValueError):
        export.write(dump, "dot", tmp_path / "g.dot")


def test_standalone_page_is_self_contained() -> None:
    html, view = export.standalone_html(star_service(3), ViewRequest(names=("王伟",), hops=1))
    # No external resource of any kind: every script and style is inline.
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=\"(?!data:)", html)
    assert "vis.Network" in html or "Network=" in html or "vis-network" in html
    data = re.search(
        r'<script type="application/json" id="explorer-data">(.*?)</script>', html, re.S
    )
    assert data is not None
    payload = json.loads(data.group(1))
    assert {n["id"] for n in payload["nodes"]} == {n.id for n in view.nodes}
    assert set(payload["details"]) == {n.id for n in view.nodes}
    config = json.loads(
        re.search(r'id="explorer-config">(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]
    )
    assert config["standalone"] is True


def test_served_page_links_assets_from_pyvis() -> None:
    files = assets.assets()
    assert files["vis-network.min.js"].is_file() and "pyvis" in str(files["vis-network.min.js"])
    page = assets.render_page({"standalone": False})
    assert '<script src="/explore/assets/vis-network.min.js">' in page
    assert "http://" not in page and "https://" not in page
    # Data written into a page cannot close its script element.
    tricky = assets.render_page({"x": "</script><script>alert(1)</script>"}, inline=False)
    assert "</script><script>alert(1)" not in tricky
    ET.fromstring("<r>" + assets._script_json({"a": "<&>"}) + "</r>")


def test_compact_payload_holds_the_same_view() -> None:
    svc = star_service(6)
    view = ViewBuilder(svc).build(ViewRequest(names=("中心研究院",), hops=2))
    full = view_payload(view)
    compact = json.loads(compact_payload(view))
    assert compact["node_fields"] == list(NODE_FIELDS)
    nodes = [dict(zip(compact["node_fields"], row, strict=True)) for row in compact["nodes"]]
    assert nodes == full["nodes"]
    edges = []
    for row in compact["edges"]:
        e = dict(zip(compact["edge_fields"], row, strict=True))
        e["symmetric"] = bool(e["symmetric"])
        e["id"] = f"{e['source']}|{e['type']}|{e['target']}"
        edges.append(e)
    assert sorted(edges, key=lambda e: e["id"]) == sorted(full["edges"], key=lambda e: e["id"])
    assert compact["shown_nodes"] == full["shown_nodes"] == len(nodes)
    for key in ("mode", "focus", "total_nodes", "truncated", "layout", "style"):
        assert compact[key] == full[key]
    assert compact["token"] == view.token and not compact["dates_pending"]


def test_big_views_leave_dates_for_later_by_token() -> None:
    svc = star_service(6)
    b = ViewBuilder(svc, inline_dates=0)
    view = b.build(ViewRequest(names=("中心研究院",), hops=2))
    assert view.dates_pending and view.token
    assert json.loads(compact_payload(view))["dates_pending"] is True
    assert b.dates(view.token) == {}  # this graph has no dated evidence
    assert not view.dates_pending
    assert b.dates("0" * 16) is None
    small = ViewBuilder(svc).build(ViewRequest(names=("中心研究院",), hops=2))
    assert not small.dates_pending


def test_expand_links_new_nodes_to_those_already_shown() -> None:
    svc = star_service(6)
    b = ViewBuilder(svc)
    shown = [n.id for n in b.build(ViewRequest(names=("中心研究院",), hops=1)).nodes] + ["p-b"]
    req = ViewRequest(names=("p-b",), hops=1, limit=200, layout=False)
    plain = b.expand(req)
    assert {n.id for n in plain.nodes} == {"p-b", "p-a"}
    assert "p-a|FOUNDED|o-f000" not in {e.id for e in plain.edges}
    grown = b.expand(req, shown)
    keys = {e.id for e in grown.edges}
    # p-a is new; it founded o-f000, which is already drawn.
    assert "p-a|FOUNDED|o-f000" in keys and "p-b|AFFILIATED_WITH|p-a" in keys
    assert all(n.x is None for n in grown.nodes)
    # Links among nodes already shown are not the expansion's business.
    assert not any(
        e.source in shown and e.target in shown and e.source != "p-b" for e in grown.edges
    )


def test_layout_keeps_isolated_nodes_near_the_rest() -> None:
    g = generate(entities=1200, relations=3600, seed=5)
    proj = Projection.build(g.entities, g.relations)
    pairs = [(u, v) for u, nb in enumerate(proj.nbrs) for v in nb if u < v]
    n = proj.node_count + 3  # three nodes nobody is linked to
    xy = compute_layout(n, pairs).xy
    linked = {u for p in pairs for u in p}
    cx = sum(xy[u][0] for u in linked) / len(linked)
    cy = sum(xy[u][1] for u in linked) / len(linked)
    reach = max(((xy[u][0] - cx) ** 2 + (xy[u][1] - cy) ** 2) ** 0.5 for u in linked)
    for u in range(proj.node_count, n):
        assert ((xy[u][0] - cx) ** 2 + (xy[u][1] - cy) ** 2) ** 0.5 < 1.2 * reach


def test_first_view_of_a_deep_link() -> None:
    from urllib.parse import parse_qsl, urlsplit

    from innograph.api.routers.views import first_view_url

    def params(q: dict[str, str]) -> list[tuple[str, str]]:
        # The page compares requests with their parameters sorted.
        return sorted(parse_qsl(urlsplit(first_view_url(q)).query))

    assert params({}) == sorted([("mode", "all"), ("format", "compact")])
    assert params({"overview": "500", "seed": "2"}) == sorted(
        [("mode", "all"), ("seed", "2"), ("limit", "500"), ("format", "compact")]
    )
    assert params({"focus": "中科院,清华大学", "hops": "2", "size": "score"}) == sorted(
        [
            ("mode", "focus"),
            ("name", "中科院"),
            ("name", "清华大学"),
            ("hops", "2"),
            ("size_by", "score"),
            ("format", "compact"),
        ]
    )
    assert ("k", "3") in params({"path": "A,B"}) and ("max_hops", "6") in params({"path": "A,B"})
    assert ("between", "academia") in params({"connectors": "", "between": "academia,industry"})
