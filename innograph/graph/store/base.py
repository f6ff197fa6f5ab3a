"""The graph store interface. Two real backends implement it: `falkordb.FalkorStore`
(embedded by default) and `neo4j.Neo4jStore`. Everything above the store (ingest, analytics,
CLI, API) talks only to this interface."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from innograph.config import Settings
from innograph.model import (
    Document,
    DocumentRecord,
    EntityRecord,
    EvidenceRecord,
    Extraction,
    GraphStats,
    KeepApart,
    RelationRecord,
    WriteResult,
)


class GraphStore(Protocol):
    dialect: str  # "falkordb" or "neo4j": picks per-dialect Cypher variants

    def ensure_schema(self) -> None: ...

    # ---- writes (idempotent) ----
    def write(self, extractions: Sequence[Extraction], now: str | None = None) -> WriteResult:
        """Upsert documents, entities, relations and evidence in batched UNWIND...MERGE
        round trips. Writing the same extraction twice changes nothing. `now` (ISO time)
        stamps new documents and relations; default the current time (migrate passes the
        source's)."""
        ...

    def restore_entities(self, records: Sequence[EntityRecord]) -> int:
        """Write entities as given: name, aliases, label, properties (used by migrate; their
        documents are the documents listing them). Idempotent; returns how many were
        created."""
        ...

    def delete_document(self, document_id: str) -> bool:
        """Remove a document and its evidence; relations and entities left without
        evidence go too. False when the document is unknown."""
        ...

    def keep_apart(self, a: str, b: str, note: str = "") -> bool:
        """Record that entities `a` and `b` are different (the resolver then never merges
        them). Idempotent; True when the decision is new."""
        ...

    def remove_entity_names(self, entity_id: str, names: Sequence[str]) -> None:
        """Take these names (and their keys) back from an entity's aliases; its canonical
        name stays."""
        ...

    def set_entity_label(self, entity_id: str, label: str) -> None:
        """Change an entity's primary label (and its node labels)."""
        ...

    def clear(self) -> None: ...

    # ---- reads ----
    def has_documents(self, document_ids: Sequence[str]) -> set[str]: ...
    def get_document(self, document_id: str) -> DocumentRecord | None: ...
    def document_texts(self, document_ids: Sequence[str]) -> list[Document]:
        """Stored documents with their normalised text, to extract them again; documents
        stored without text (older versions) are left out."""
        ...

    def iter_documents(self, batch: int = 1_000) -> Iterator[tuple[Document, str]]:
        """Every document with its stored text and its ingest time, in id order."""
        ...

    def kept_apart(self, entity_ids: Sequence[str] = ()) -> list[KeepApart]:
        """Keep-apart decisions involving these entities (all of them when none given)."""
        ...

    def get_entities(self, entity_ids: Sequence[str]) -> list[EntityRecord]: ...
    def find_entities_by_keys(self, keys: Sequence[str]) -> dict[str, list[EntityRecord]]:
        """Entities whose name or alias has one of these `names.name_key` keys."""
        ...

    def search_entities(
        self, query: str, labels: Sequence[str] = (), limit: int = 20, offset: int = 0
    ) -> list[EntityRecord]:
        """Prefix/substring search over names and aliases (keys)."""
        ...

    def entity_relations(
        self, entity_id: str, limit: int = 100, offset: int = 0, with_evidence: bool = True
    ) -> list[RelationRecord]: ...

    def document_relations(self, document_id: str) -> list[RelationRecord]: ...

    def relation_evidence(
        self, keys: Sequence[str], per_relation: int = 3
    ) -> dict[str, list[EvidenceRecord]]:
        """Best evidence (highest confidence first) for relations given by `RelationRecord.key`."""
        ...

    def shortest_paths(
        self, source_id: str, target_id: str, max_hops: int = 6, limit: int = 10
    ) -> list[list[RelationRecord]]:
        """All shortest paths in the database, as lists of hops (used when no projection)."""
        ...

    def iter_entities(self, batch: int = 10_000) -> Iterator[EntityRecord]: ...
    def iter_relations(self, batch: int = 10_000) -> Iterator[RelationRecord]: ...
    def get_relations(self, keys: Sequence[str]) -> list[RelationRecord]:
        """Relationships by `RelationRecord.key`; unknown keys are left out."""
        ...

    def changes_since(self, version: str) -> tuple[str, list[str], list[str]] | None:
        """(newest version, entity ids, relationship keys) written after `version`, for a
        projection to catch up; None when it must reload (see CypherStore._bump_version)."""
        ...

    def stats(self) -> GraphStats: ...
    def version(self) -> str:
        """Changes whenever the graph changes (used to refresh cached analytics)."""
        ...

    def close(self) -> None: ...


def open_store(settings: Settings) -> GraphStore:
    """The store the settings ask for: Neo4j when configured, else FalkorDB (embedded
    unless INNOGRAPH_FALKORDB_URL points at a running one)."""
    if settings.backend == "neo4j":
        from innograph.graph.store.neo4j import Neo4jStore

        return Neo4jStore(settings)
    from innograph.graph.store.falkordb import FalkorStore

    return FalkorStore(settings)
