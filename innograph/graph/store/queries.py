"""Named Cypher and the bridge between Python values and query rows.

Every query lives in `innograph/cypher/<name>.cypher`; a dialect folder
(`cypher/falkordb/`, `cypher/neo4j/`) overrides it where the engines differ. Labels and
relationship types cannot be Cypher parameters, so a query may carry `{{LABEL}}` or
`{{REL_TYPE}}`; they are filled only from the `Label`/`RelType` enums. User values always
travel as parameters.

The row builders turn `Extraction`s into the parameter rows the write queries UNWIND, and
the record builders turn result rows back into the model's record types. Both backends use
them, so the graph shape is defined once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from innograph.errors import InvalidQuery
from innograph.model import (
    GENERIC_LABELS,
    SYMMETRIC_TYPES,
    Document,
    DocumentRecord,
    EntityRecord,
    Evidence,
    EvidenceRecord,
    Extraction,
    KeepApart,
    Label,
    RelationRecord,
    RelType,
    relation_year,
)
from innograph.names import name_key

Dialect = Literal["falkordb", "neo4j"]
DIALECTS: tuple[str, ...] = ("falkordb", "neo4j")

CYPHER_DIR = Path(__file__).resolve().parents[2] / "cypher"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


# Relations without explicit evidence are still tied to the document that asserted them, so
# that deleting the document removes them too.
DOCUMENT_EXTRACTOR = "document"


class QueryError(InvalidQuery):
    """An unknown query name or an illegal template value."""


# ---- loading ----------------------------------------------------------------------------


@lru_cache(maxsize=256)
def load(name: str, dialect: str) -> str:
    """The text of query `name` for `dialect`: the dialect variant when there is one,
    else the shared query."""
    if not _NAME.match(name):
        raise QueryError(f"bad query name: {name!r}")
    if dialect not in DIALECTS:
        raise QueryError(f"unknown Cypher dialect: {dialect!r}")
    for path in (CYPHER_DIR / dialect / f"{name}.cypher", CYPHER_DIR / f"{name}.cypher"):
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    raise QueryError(f"no Cypher query named {name!r} for {dialect}")


def render(
    name: str,
    dialect: str,
    *,
    label: Label | str | Sequence[Label | str] | None = None,
    rel_type: RelType | str | None = None,
) -> str:
    """`load` plus template filling. Values are validated against the enums, so a string
    that is not a known label or relationship type raises instead of reaching Cypher."""
    return _render(name, dialect, _valid_label(label), _valid_rel_type(rel_type))


@lru_cache(maxsize=512)
def _render(name: str, dialect: str, label: str | None, rel_type: str | None) -> str:
    values = {"LABEL": label or None, "REL_TYPE": rel_type}
    text = load(name, dialect)

    def fill(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        if value is None:
            raise QueryError(f"query {name!r} needs a value for {{{{{match.group(1)}}}}}")
        return value

    return _PLACEHOLDER.sub(fill, text)


def _valid_label(label: Label | str | Sequence[Label | str] | None) -> str | None:
    if label is None:
        return None
    if isinstance(label, list | tuple):
        # Several labels for one node pattern, e.g. Academician:Person.
        return ":".join(_valid_label(one) or "" for one in label) or None
    if isinstance(label, Label):
        return label.value
    if label in Label._value2member_map_:
        return str(label)
    raise QueryError(f"not a known label: {label!r}")


def _valid_rel_type(rel_type: RelType | str | None) -> str | None:
    if rel_type is None:
        return None
    if isinstance(rel_type, RelType):
        return rel_type.value
    if rel_type in RelType._value2member_map_:
        return str(rel_type)
    raise QueryError(f"not a known relationship type: {rel_type!r}")


def statements(name: str, dialect: str) -> list[str]:
    """A multi-statement file (schema) split on `;` line ends; `//` comment lines dropped."""
    text = "\n".join(
        line for line in load(name, dialect).splitlines() if not line.lstrip().startswith("//")
    )
    return [part.strip() for part in text.split(";") if part.strip()]


# ---- write rows -----------------------------------------------------------------------


def union(into: list[str], values: Iterable[str]) -> None:
    """Append the values not yet in `into` (empty ones never), keeping order."""
    for value in values:
        if value and value not in into:
            into.append(value)


def _stronger_label(current: str, new: str) -> str:
    return current if new in GENERIC_LABELS and current != new else new


def relation_key(source: str, rel_type: str, target: str) -> str:
    return f"{source}|{rel_type}|{target}"


def split_relation_key(key: str) -> tuple[str, str, str]:
    source, rel_type, target = key.split("|", 2)
    return source, rel_type, target


def evidence_node_key(rel_key: str, evidence: Evidence) -> str:
    # Evidence.key names a span and extractor only; one span can support several relations
    # (a list sentence), so the node key carries the relation too.
    return f"{rel_key}#{evidence.key}"


@dataclass(slots=True)
class WriteRows:
    """Everything one `write` sends, deduplicated: one row per document, entity id and
    relation key, each evidence once."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    relations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by type

    @property
    def relation_count(self) -> int:
        return sum(len(rows) for rows in self.relations.values())


def build_rows(extractions: Sequence[Extraction], now: str) -> WriteRows:
    documents: dict[str, dict[str, Any]] = {}
    entities: dict[str, dict[str, Any]] = {}
    relations: dict[str, dict[str, Any]] = {}
    for extraction in extractions:
        doc = extraction.document
        row = documents.get(doc.id)
        if row is None:
            row = documents[doc.id] = {
                **doc.metadata(),
                "text": doc.text,
                "traditional": doc.traditional,
                "ingested_at": now,
                "entity_ids": [],
                "relation_ends": [],
            }
        # Which entities a document names is kept on the document (written once, bounded by
        # the document) rather than as a doc_ids list on every entity, which grew with every
        # document naming a hub and made each write of a hub rewrite (and re-index) it all.
        row["entity_ids"].extend(entity.id for entity in extraction.entities)
        # A document's relationships are found through their ends (document_relations);
        # the few ends it does not name are kept apart from the entities it names.
        row["relation_ends"].extend(
            end for relation in extraction.relations for end in (relation.source, relation.target)
        )
        for entity in extraction.entities:
            _add_entity(entities, entity.id, entity.name, entity.label.value, entity)
        for relation in extraction.relations:
            _add_relation(relations, relation, doc.id)
    for row in documents.values():
        row["entity_ids"] = [x for x in dict.fromkeys(row["entity_ids"]) if x]
        named = set(row["entity_ids"])
        row["relation_ends"] = [x for x in dict.fromkeys(row["relation_ends"]) if x not in named]
    rows = WriteRows(documents=list(documents.values()))
    for row in entities.values():
        props = row.pop("props")
        row["props_json"] = json.dumps(props, ensure_ascii=False, sort_keys=True) if props else ""
        row["keys"] = []
        union(row["keys"], (name_key(n) for n in [row["name"], *row["aliases"]]))
        row["key"] = name_key(row["name"])
        row["aliases"] = [a for a in row["aliases"] if a != row["name"]]
        rows.entities.append(row)
    for row in relations.values():
        props = row.pop("props")
        row["props_json"] = json.dumps(props, ensure_ascii=False, sort_keys=True) if props else ""
        row["evidence"] = list(row["evidence"].values())
        rows.relations.setdefault(row.pop("type"), []).append(row)
    return rows


def _add_entity(
    entities: dict[str, dict[str, Any]],
    entity_id: str,
    name: str,
    label: str,
    entity: Any,
) -> None:
    row = entities.get(entity_id)
    if row is None:
        row = entities[entity_id] = {
            "id": entity_id,
            "name": name,
            "label": label,
            "aliases": [],
            "props": {},
        }
    elif row["name"] != name or row["label"] != label:
        # Within one batch the last name wins; earlier names stay findable as aliases. (A
        # hub is named by most documents of a batch, nearly always the same way: that case
        # changes nothing and is skipped.)
        union(row["aliases"], [row["name"]])
        row["name"] = name
        row["label"] = _stronger_label(row["label"], label)
    if entity.aliases:
        union(row["aliases"], entity.aliases)
    if entity.properties:
        row["props"].update(entity.properties)


def _add_relation(relations: dict[str, dict[str, Any]], relation: Any, doc_id: str) -> None:
    source, target = relation.source, relation.target
    if source == target:
        return  # a self-loop says nothing about who works with whom
    if relation.type in SYMMETRIC_TYPES and target < source:
        source, target = target, source
    rel_type = relation.type.value
    key = f"{source}|{rel_type}|{target}"  # relation_key, inlined: once per relationship
    row = relations.get(key)
    if row is None:
        row = relations[key] = {
            "key": key,
            "type": rel_type,
            "source": source,
            "target": target,
            "evidence": {},
            "props": {},
        }
    evidence = relation.evidence or [
        Evidence(document_id=doc_id, sentence="", start=0, end=0, extractor=DOCUMENT_EXTRACTOR)
    ]
    found = row["evidence"]
    for ev in evidence:
        # evidence_node_key, inlined
        node_key = f"{key}#{ev.document_id}:{ev.start}:{ev.end}:{ev.extractor}"
        found[node_key] = {
            "key": node_key,
            "doc_id": ev.document_id,
            "sentence": ev.sentence,
            "start": ev.start,
            "end": ev.end,
            "extractor": ev.extractor,
            "confidence": float(ev.confidence),
        }
    if relation.properties:
        row["props"].update(relation.properties)


# The hot write queries take positional rows: a list literal is a third of the text of a map
# with its keys repeated on every row, and both the client and the server handle it faster.
ENTITY_ROW = ("id", "name", "label", "key", "aliases", "keys", "props_json")
EVIDENCE_ROW = ("key", "doc_id", "sentence", "start", "end", "extractor", "confidence")
DOCUMENT_ROW = (
    "id",
    "path",
    "title",
    "date",
    "url",
    "source",
    "lang",
    "chars",
    "text",
    "traditional",
    "ingested_at",
    "entity_ids",
    "relation_ends",
)


def entity_row(row: dict[str, Any]) -> list[Any]:
    """An entity row as `entity_changes`/`create_entities`/`upsert_entities` take it."""
    return [row[name] for name in ENTITY_ROW]


def document_row(row: dict[str, Any]) -> list[Any]:
    """A document row as `upsert_documents` takes it (fields in DOCUMENT_ROW order)."""
    return [row[name] for name in DOCUMENT_ROW]


def relation_row(row: dict[str, Any]) -> list[Any]:
    """A relation row as `upsert_relations` takes it: [key, source, target, props_json,
    [[evidence fields in EVIDENCE_ROW order], ...], year of props_json]."""
    evidence = [[ev[name] for name in EVIDENCE_ROW] for ev in row["evidence"]]
    year = relation_year(_props(row["props_json"])) if row["props_json"] else 0
    return [row["key"], row["source"], row["target"], row["props_json"], evidence, year]


def _key_at_risk(key: str) -> bool:
    """Whether a store could read the parts of a key differently from the whole key:
    control characters FalkorDB drops, whitespace at the edge of a part, which it strips
    from a part but not from inside a key (falkordb_wire.scrub). Any space or unprintable
    character counts (two C-speed scans; a regex for the exact cases cost 4 us a row)."""
    return " " in key or not key.isprintable()


def new_relation_row(row: dict[str, Any], *extra: Any) -> list[Any]:
    """A row for `create_relations`: [source, target, props_json, [[doc_id, sentence,
    start, end, extractor, confidence], ...], year of props_json, key, *extra] (the caller
    passes the row's position, and node ids). The keys of the relationship and its evidence
    and its counters are derived by the query from these (relation_key, evidence_node_key,
    and what recounting the evidence gives): the key text was half of every row, which the
    client encodes, the server parses and the append-only file stores. `key` is null then;
    a row whose key parts a store may read apart differently sends the relationship's key
    there and each evidence's key after its confidence, which the query takes as given."""
    props = row["props_json"]
    evidence = row["evidence"]
    exact = any(_key_at_risk(ev["key"]) for ev in evidence)
    return [
        row["source"],
        row["target"],
        props,
        [
            [
                ev["doc_id"],
                ev["sentence"],
                ev["start"],
                ev["end"],
                ev["extractor"],
                ev["confidence"],
            ]
            + ([ev["key"]] if exact else [])
            for ev in evidence
        ],
        relation_year(_props(props)) if props else 0,
        row["key"] if exact else None,
        *extra,
    ]


def props_json(props: dict[str, Any]) -> str:
    """Properties as the stores keep them: sorted JSON text, '' for none."""
    return json.dumps(props, ensure_ascii=False, sort_keys=True) if props else ""


def merge_props(existing_json: str | None, new_json: str) -> str:
    """Properties merge key by key across writes; the newer value wins per key."""
    existing = _props(existing_json)
    existing.update(_props(new_json))
    return json.dumps(existing, ensure_ascii=False, sort_keys=True)


def chunks(rows: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


# ---- read records ---------------------------------------------------------------------

# Column order every entity-returning query uses: id, name, label, aliases, props_json (the
# documents naming an entity are read from the documents, see entity_documents).
ENTITY_COLUMNS = 5
# And every relation-returning query: key, evidence_count, confidence, doc_ids, props_json.
RELATION_COLUMNS = 5


def props(text: str | None) -> dict[str, Any]:
    """A properties map from its stored JSON text ({} when absent or unreadable)."""
    return _props(text)


def _props(text: str | None) -> dict[str, Any]:
    if not text or text == "{}":
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def entity_record(row: Sequence[Any], doc_ids: Sequence[str] = ()) -> EntityRecord:
    entity_id, name, label, aliases, props_json = row[:ENTITY_COLUMNS]
    return EntityRecord(
        id=entity_id,
        name=name or "",
        label=label or "",
        aliases=list(aliases or []),
        properties=_props(props_json),
        doc_ids=list(doc_ids or []),
    )


def relation_record(row: Sequence[Any]) -> RelationRecord:
    key, evidence_count, confidence, doc_ids, props_json = row[:RELATION_COLUMNS]
    source, rel_type, target = split_relation_key(key)
    return RelationRecord(
        source=source,
        target=target,
        type=rel_type,
        evidence_count=int(evidence_count or 0),
        confidence=float(confidence or 0.0),
        # Sorted: the engines collect a relation's documents in different orders.
        doc_ids=sorted(doc_ids or []),
        properties=_props(props_json),
    )


def evidence_record(value: Sequence[Any]) -> EvidenceRecord:
    doc_id, sentence, start, end, extractor, confidence, title, path, date = value
    return EvidenceRecord(
        document_id=doc_id,
        sentence=sentence or "",
        start=int(start or 0),
        end=int(end or 0),
        extractor=extractor or "",
        confidence=float(confidence or 0.0),
        document_title=title or "",
        document_path=path or "",
        document_date=date or "",
    )


def document_record(row: Sequence[Any]) -> DocumentRecord:
    doc_id, path, title, date, url, source, lang, chars, ingested_at = row
    return DocumentRecord(
        id=doc_id,
        path=path or "",
        title=title or "",
        date=date or "",
        url=url or "",
        source=source or "",
        lang=lang or "",
        chars=int(chars or 0),
        ingested_at=ingested_at or "",
    )


def search_labels(labels: Sequence[str]) -> list[str]:
    """Validated label filter for search; unknown labels are an error, not an empty result."""
    return [_valid_label(str(label)) or "" for label in labels]


def stored_document(row: Sequence[Any]) -> Document | None:
    """A document as `document_texts` returns it, ready to be extracted again; None when
    no text was stored (written by an older version)."""
    return document_with_text(row) if row[1] else None


def document_with_text(row: Sequence[Any]) -> Document:
    """A document from [id, text, traditional, path, title, date, url, source, lang]; the
    text is empty when none was stored."""
    doc_id, text, traditional, path, title, date, url, source, lang = row
    return Document(
        id=doc_id,
        text=text or "",
        path=path or "",
        title=title or "",
        date=date or "",
        url=url or "",
        source=source or "",
        lang=lang or "zh",
        traditional=traditional or "",
    )


def keep_apart_key(a: str, b: str) -> tuple[str, str, str]:
    """(key, smaller id, larger id) of an unordered pair of entity ids."""
    low, high = sorted((a, b))
    return f"{low}|{high}", low, high


def keep_apart_record(row: Sequence[Any]) -> KeepApart:
    a, b, created_at, note = row
    return KeepApart(a=a, b=b, created_at=created_at or "", note=note or "")
