"""Writing graphs out: the whole graph or a neighbourhood as GraphML or GEXF (for Gephi),
CSV or JSON lines (`innograph export`), and a view as one standalone HTML page with its data
and every asset inlined (`innograph explore`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from innograph.model import SYMMETRIC_TYPES, EntityRecord, RelationRecord
from innograph.viz.assets import render_page
from innograph.viz.view import DATED_EDGES, ViewBuilder, ViewRequest, view_payload

FORMATS = ("graphml", "gexf", "csv", "jsonl")
_SYMMETRIC = {t.value for t in SYMMETRIC_TYPES}


@dataclass(slots=True)
class GraphDump:
    nodes: list[EntityRecord]
    relations: list[RelationRecord]
    degrees: dict[str, int]


def collect(
    service: Any, focus: Sequence[str] = (), hops: int = 1, labels: Sequence[str] = ()
) -> GraphDump:
    """The whole graph (no focus), or the entities within `hops` of the focus entities,
    with every relation among them."""
    proj = service.projection()
    if focus:
        seen: dict[str, EntityRecord] = {}
        for name in focus:
            entity = service.resolve(name)
            sub = service.neighbors(entity.id, hops, tuple(labels), (), proj.node_count)
            for rec in sub.nodes:
                seen.setdefault(rec.id, rec)
        nodes = list(seen.values())
    else:
        nodes, _ = service.top_entities(proj.node_count, tuple(labels))
    ids = [n.id for n in nodes]
    return GraphDump(nodes, service.induced(ids), service.degrees(ids))


def _node_attrs(n: EntityRecord, degree: int) -> dict[str, Any]:
    return {
        "name": n.name,
        "label": n.label,
        "aliases": "|".join(n.aliases),
        "degree": degree,
        "documents": len(n.doc_ids),
    }


def _edge_attrs(r: RelationRecord) -> dict[str, Any]:
    return {
        "type": r.type,
        "confidence": float(r.confidence),
        "evidence_count": int(r.evidence_count),
        "symmetric": r.type in _SYMMETRIC,
    }


def to_networkx(dump: GraphDump) -> Any:
    import networkx as nx

    g = nx.MultiDiGraph()
    for n in dump.nodes:
        g.add_node(n.id, **_node_attrs(n, dump.degrees.get(n.id, 0)))
    for r in dump.relations:
        g.add_edge(r.source, r.target, key=r.key, **_edge_attrs(r))
    return g


def write(dump: GraphDump, fmt: str, out: Path | None) -> list[Path]:
    """Write `dump` in `fmt`. `out` None prints to stdout (not for csv, which is two
    files: OUT with the relations and OUT's stem + `.nodes.csv` with the entities)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    import sys

    if fmt in ("graphml", "gexf"):
        import networkx as nx

        g = to_networkx(dump)
        buf = io.BytesIO()
        if fmt == "graphml":
            nx.write_graphml(g, buf, encoding="utf-8")
        else:
            nx.write_gexf(g, buf, encoding="utf-8")
        data = buf.getvalue()
        if out is None:
            sys.stdout.buffer.write(data)
            return []
        out.write_bytes(data)
        return [out]
    if fmt == "jsonl":
        lines = [
            json.dumps(
                {
                    "kind": "node",
                    "id": n.id,
                    **_node_attrs(n, dump.degrees.get(n.id, 0)),
                    "aliases": list(n.aliases),
                },
                ensure_ascii=False,
            )
            for n in dump.nodes
        ] + [
            json.dumps(
                {
                    "kind": "edge",
                    "id": r.key,
                    "source": r.source,
                    "target": r.target,
                    **_edge_attrs(r),
                },
                ensure_ascii=False,
            )
            for r in dump.relations
        ]
        text = "\n".join(lines) + "\n"
        if out is None:
            sys.stdout.write(text)
            return []
        out.write_text(text, encoding="utf-8")
        return [out]
    if out is None:
        raise ValueError("csv writes two files: give -o FILE.csv")
    nodes_path = out.with_name(out.stem + ".nodes.csv")
    with nodes_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "label", "aliases", "degree", "documents"])
        for n in dump.nodes:
            a = _node_attrs(n, dump.degrees.get(n.id, 0))
            w.writerow([n.id, a["name"], a["label"], a["aliases"], a["degree"], a["documents"]])
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "target", "type", "confidence", "evidence_count", "symmetric"])
        for r in dump.relations:
            a = _edge_attrs(r)
            w.writerow(
                [
                    r.source,
                    r.target,
                    a["type"],
                    a["confidence"],
                    a["evidence_count"],
                    a["symmetric"],
                ]
            )
    return [out, nodes_path]


# Sentences per relation written into a standalone page.
STANDALONE_EVIDENCE = 10


def standalone_html(service: Any, request: ViewRequest) -> tuple[str, Any]:
    """One HTML file with the view, its evidence and entity details, vis-network and the
    explorer inlined: it opens from disk or an e-mail with no server and no network."""
    # No server to ask for dates later: they are written in, whatever the view's size.
    view = ViewBuilder(service, inline_dates=DATED_EDGES).build(request)
    payload = view_payload(view)
    evidence = service.evidence([e.id for e in view.edges], per_relation=STANDALONE_EVIDENCE)
    payload["evidence"] = {
        k: [
            {
                "document_id": ev.document_id,
                "sentence": ev.sentence,
                "start": ev.start,
                "end": ev.end,
                "extractor": ev.extractor,
                "confidence": ev.confidence,
                "document_title": ev.document_title,
                "document_path": ev.document_path,
                "document_date": ev.document_date,
            }
            for ev in items
        ]
        for k, items in evidence.items()
    }
    names = {n.id: n.name for n in view.nodes}
    records = {r.id: r for r in service.records([n.id for n in view.nodes])}
    details: dict[str, Any] = {}
    for n in view.nodes:
        rec = records.get(n.id)
        details[n.id] = {
            "aliases": list(n.aliases),
            "doc_ids": list(rec.doc_ids) if rec else [],
            "relations": [],
        }
    for e in view.edges:
        rel = {
            "source": e.source,
            "target": e.target,
            "type": e.type,
            "source_name": names.get(e.source, ""),
            "target_name": names.get(e.target, ""),
            "evidence_count": e.evidence_count,
            "confidence": e.confidence,
            "evidence": payload["evidence"].get(e.id, [])[:1],
        }
        for end in (e.source, e.target):
            if end in details:
                details[end]["relations"].append(rel)
    payload["details"] = details
    config = {"api": "", "standalone": True, "viewLimit": request.limit}
    return render_page(config, payload, inline=True), view
