"""A canonical picture of a whole graph, to tell whether two graphs are the same and whether
one holds duplicates or half-written parts. Used by bench/chaos.py and the reliability tests.

Timestamps (`ingested_at`, `first_seen`, `last_seen`) are left out: two runs never share
them. List-valued properties that are sets in meaning (aliases, keys, document ids, merge
records) are sorted, because their order records only the order writes arrived in.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from innograph.graph.store.cypher_store import CypherStore
from innograph.model import FAMILY_OF, Label
from innograph.names import name_key

# Engine-neutral Cypher (both FalkorDB and Neo4j read it). Constants only, no user input.
ENTITIES = (
    "MATCH (n:Entity) RETURN n.id, n.name, n.label, labels(n), n.aliases, n.keys, n.doc_ids,"
    " n.props_json"
)
RELATIONS = (
    "MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id, type(r), b.id, r.key, r.evidence_count,"
    " r.confidence, r.doc_ids, r.props_json"
)
EVIDENCE = (
    "MATCH (e:Evidence) RETURN e.key, e.rel_key, e.doc_id, e.sentence, e.start, e.end,"
    " e.extractor, e.confidence"
)
DOCUMENTS = (
    "MATCH (d:Document) RETURN d.id, d.path, d.title, d.date, d.url, d.source, d.lang, d.chars,"
    " d.text, d.traditional"
)
KEEP_APART = "MATCH (k:KeepApart) RETURN k.key, k.a, k.b"


def _sorted(values: Any) -> list[Any]:
    return sorted(values or [], key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))


def _props(text: str | None) -> dict[str, Any]:
    props: dict[str, Any] = json.loads(text) if text else {}
    if isinstance(props.get("merges"), list):
        props["merges"] = _sorted(props["merges"])
    return props


@dataclass(slots=True)
class Snapshot:
    entities: dict[str, Any] = field(default_factory=dict)
    relations: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)
    documents: dict[str, Any] = field(default_factory=dict)
    keep_apart: set[str] = field(default_factory=set)
    # rows beyond the first that share an identity (id, key, or endpoints + type)
    duplicates: Counter[str] = field(default_factory=Counter)
    # relationships whose stored evidence does not match their counters or is missing
    unsupported: list[str] = field(default_factory=list)
    # one real entity stored as two nodes: same family and canonical name key (two writers
    # that each created it; the resolver never leaves two such nodes apart on its own)
    same_name: list[str] = field(default_factory=list)

    def evidence_spans(self) -> Counter[str]:
        """Evidence by document span and extractor, whatever entity ids its relationship
        joins (which mention survives a merge depends on the order documents came in)."""
        return Counter(key.split("#", 1)[1] for key in self.evidence)

    @property
    def merge_records(self) -> int:
        return sum(len(e[-1].get("merges", [])) for e in self.entities.values())

    def counts(self) -> dict[str, int]:
        return {
            "documents": len(self.documents),
            "entities": len(self.entities),
            "relations": len(self.relations),
            "evidence": len(self.evidence),
            "merge_records": self.merge_records,
        }


def snapshot(store: CypherStore) -> Snapshot:
    snap = Snapshot()
    for row in store._read(ENTITIES, {}):
        entity_id, name, label, labels, aliases, keys, doc_ids, props = row
        if entity_id in snap.entities:
            snap.duplicates["entity"] += 1
        snap.entities[entity_id] = (
            name,
            label,
            sorted(labels),
            sorted(aliases or []),
            sorted(keys or []),
            sorted(doc_ids or []),
            _props(props),
        )
    for row in store._read(RELATIONS, {}):
        source, rel_type, target, key, count, confidence, doc_ids, props = row
        ident = f"{source}|{rel_type}|{target}"
        if ident in snap.relations:
            snap.duplicates["relation"] += 1
        snap.relations[ident] = (
            key,
            count,
            round(float(confidence or 0), 6),
            sorted(doc_ids or []),
            _props(props),
        )
    by_relation: Counter[str] = Counter()
    for row in store._read(EVIDENCE, {}):
        key, rel_key, *rest = row
        if key in snap.evidence:
            snap.duplicates["evidence"] += 1
        snap.evidence[key] = (rel_key, *rest)
        by_relation[rel_key] += 1
    for row in store._read(DOCUMENTS, {}):
        if row[0] in snap.documents:
            snap.duplicates["document"] += 1
        snap.documents[row[0]] = tuple(row[1:])
    snap.keep_apart = {row[0] for row in store._read(KEEP_APART, {})}
    names: Counter[tuple[str, str]] = Counter()
    for name, label, *_rest in snap.entities.values():
        if label in Label._value2member_map_:
            names[(FAMILY_OF[Label(label)].value, name_key(name or ""))] += 1
    snap.same_name = sorted(f"{family}:{key}" for (family, key), n in names.items() if n > 1)
    for ident, (key, count, *_rest) in snap.relations.items():
        if key != ident or not by_relation[key] or by_relation[key] != count:
            snap.unsupported.append(ident)
    return snap


def differences(a: Snapshot, b: Snapshot, limit: int = 5) -> dict[str, list[str]]:
    """Per part, up to `limit` identities that are missing from one side or differ."""
    out: dict[str, list[str]] = {}
    for part in ("entities", "relations", "evidence", "documents"):
        left, right = getattr(a, part), getattr(b, part)
        diff = sorted(
            [f"only in first: {k}" for k in left.keys() - right.keys()]
            + [f"only in second: {k}" for k in right.keys() - left.keys()]
            + [f"differs: {k}" for k in left.keys() & right.keys() if left[k] != right[k]]
        )
        if diff:
            out[part] = diff[:limit] + (
                [f"... {len(diff) - limit} more"] if len(diff) > limit else []
            )
    if a.keep_apart != b.keep_apart:
        out["keep_apart"] = sorted(a.keep_apart ^ b.keep_apart)[:limit]
    return out
