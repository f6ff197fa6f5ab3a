"""Copy a whole graph from one store to another (`innograph migrate`), e.g. from the embedded
FalkorDB to a Neo4j server when a graph outgrows one machine.

What is copied: documents (metadata, stored text, ingest time and the entities they
name), entities (names, aliases, label, properties, which hold the merge records),
relationships with every evidence sentence and their properties, and keep-apart decisions.
Not copied: the change log (`InnoGraphChange`) and version counter, which describe the
source's own history; the target records the copy as its own writes, so projections open on
it catch up or reload as after any ingest. Everything goes through the target's ordinary
idempotent writes (MERGE by key), so a copy that is interrupted and run again ends with
exactly one copy of everything, and copying into a graph that already holds some of the
same documents merges into it like ingesting them would.

The source is read through the `GraphStore` interface only; relations are grouped by the
document of each evidence sentence and written one batch of documents at a time, each batch
stamped with its documents' original ingest time.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from innograph.graph.store.base import GraphStore
from innograph.graph.store.queries import chunks
from innograph.model import (
    Document,
    Entity,
    Evidence,
    Extraction,
    Label,
    Relation,
    RelationRecord,
    RelType,
)

# Relations whose evidence is read in one query; documents written per `write` call.
EVIDENCE_BATCH = 2_000
DOCUMENT_BATCH = 200
# Every evidence sentence of a relation is copied, however many there are.
ALL_EVIDENCE = 1_000_000_000

# progress(stage, done, total): stages are "read", "entities", "documents", "keep-apart".
Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class MigrationReport:
    documents: int = 0
    entities: int = 0
    relations: int = 0
    evidence: int = 0
    keep_apart: int = 0
    entities_created: int = 0
    relations_created: int = 0
    evidence_added: int = 0
    seconds: float = 0.0
    # Evidence that names a document the source does not hold (should not happen; counted
    # rather than invented).
    skipped_evidence: int = 0
    problems: list[str] = field(default_factory=list)


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def migrate(
    source: GraphStore,
    target: GraphStore,
    progress: Progress = _quiet,
    document_batch: int = DOCUMENT_BATCH,
) -> MigrationReport:
    """Copy everything from `source` into `target` (see the module doc); idempotent."""
    started = time.perf_counter()
    report = MigrationReport()
    target.ensure_schema()

    documents = list(source.iter_documents())
    entities = list(source.iter_entities())
    relations = list(source.iter_relations())
    progress("read", 0, len(relations))
    by_document, report.evidence, report.skipped_evidence = _relations_by_document(
        source, relations, {doc.id for doc, _ in documents}, progress
    )
    report.documents, report.entities, report.relations = (
        len(documents),
        len(entities),
        len(relations),
    )

    # Entities first and exactly, so that relationship writes find both ends and entities
    # no document names (their documents were deleted) come along too.
    progress("entities", 0, len(entities))
    done = 0
    for batch in chunks(entities, 5_000):
        report.entities_created += target.restore_entities(list(batch))
        done += len(batch)
        progress("entities", done, len(entities))

    # Documents list the entities they name: each document is written with its entities
    # (found unchanged in the target, so they cost one read) and its relationships.
    named: dict[str, list[Entity]] = defaultdict(list)
    for record in entities:
        entity = Entity(
            record.id,
            record.name,
            Label(record.label),
            list(record.aliases),
            dict(record.properties),
        )
        for doc_id in record.doc_ids:
            named[doc_id].append(entity)

    # Documents in batches that share an ingest time, so every document keeps its own.
    by_time: dict[str, list[Document]] = defaultdict(list)
    for document, ingested_at in documents:
        by_time[ingested_at].append(document)
    progress("documents", 0, len(documents))
    done = 0
    for ingested_at, group in sorted(by_time.items()):
        for batch in chunks(group, document_batch):
            extractions = [
                Extraction(doc, named.get(doc.id, []), by_document.get(doc.id, [])) for doc in batch
            ]
            written = target.write(extractions, now=ingested_at or None)
            report.relations_created += written.relations_created
            report.evidence_added += written.evidence_added
            done += len(batch)
            progress("documents", done, len(documents))

    decisions = source.kept_apart()
    progress("keep-apart", 0, len(decisions))
    for done, decision in enumerate(decisions, 1):
        target.keep_apart(decision.a, decision.b, decision.note)
        progress("keep-apart", done, len(decisions))
    report.keep_apart = len(decisions)
    report.seconds = time.perf_counter() - started
    return report


def _relations_by_document(
    source: GraphStore,
    relations: Sequence[RelationRecord],
    known_documents: set[str],
    progress: Progress,
) -> tuple[dict[str, list[Relation]], int, int]:
    """Each relation split by the documents of its evidence: one `Relation` per (relation,
    document) with that document's evidence and the relation's properties."""
    by_document: dict[str, list[Relation]] = defaultdict(list)
    evidence_count = skipped = 0
    done = 0
    for batch in chunks(relations, EVIDENCE_BATCH):
        evidence = source.relation_evidence([r.key for r in batch], per_relation=ALL_EVIDENCE)
        for record in batch:
            per_document: dict[str, list[Evidence]] = defaultdict(list)
            for ev in evidence.get(record.key, []):
                if ev.document_id not in known_documents:
                    skipped += 1
                    continue
                per_document[ev.document_id].append(
                    Evidence(
                        ev.document_id, ev.sentence, ev.start, ev.end, ev.extractor, ev.confidence
                    )
                )
                evidence_count += 1
            rel_type = RelType(record.type)
            for document_id, items in per_document.items():
                by_document[document_id].append(
                    Relation(record.source, record.target, rel_type, items, dict(record.properties))
                )
        done += len(batch)
        progress("read", done, len(relations))
    return by_document, evidence_count, skipped
