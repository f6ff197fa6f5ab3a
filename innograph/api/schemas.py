"""Request and response models of the HTTP API. They mirror the records in
`innograph.model` and are built from them by the `from_*` helpers, so a route only fetches
and returns; the OpenAPI document at /docs is generated from these classes."""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from innograph.model import (
    Candidate,
    ConnectorRow,
    DocumentRecord,
    EntityRecord,
    EvidenceRecord,
    GraphStats,
    Hop,
    Introducer,
    MergeRecord,
    Path,
    RelationRecord,
    UnmergeResult,
)
from innograph.model import Subgraph as SubgraphResult


def finite(x: float) -> float:
    """Scores from graph measures may be NaN/inf on degenerate graphs; JSON has neither."""
    return x if math.isfinite(x) else 0.0


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- errors -----------------------------------------------------------------------------


class CandidateOut(Model):
    id: str
    name: str
    label: str
    score: float = Field(description="1.0 exact; lower for prefix and fuzzy matches.")
    matched: str = Field(description="The name or alias that matched.")
    kind: str = Field(description="How it matched: id, exact, prefix or fuzzy.")
    degree: int = Field(description="Number of distinct neighbours in the graph.")

    @classmethod
    def from_candidate(cls, c: Candidate) -> CandidateOut:
        return cls(
            id=c.id,
            name=c.name,
            label=c.label,
            score=finite(c.score),
            matched=c.matched,
            kind=c.kind,
            degree=c.degree,
        )


class ErrorInfo(Model):
    code: str = Field(description="Stable machine-readable error code, e.g. `not_found`.")
    message: str
    detail: Any = None
    candidates: list[CandidateOut] | None = Field(
        default=None, description="Ranked entities a name could mean (unknown/ambiguous names)."
    )


class ErrorBody(Model):
    error: ErrorInfo


# ---- health and stats ---------------------------------------------------------------------


class Health(Model):
    status: str
    backend: str
    version: str = Field(description="Graph version; changes whenever the graph changes.")


class Stats(Model):
    entities: int
    relations: int
    documents: int
    evidence: int
    last_ingest: str
    entities_by_label: dict[str, int]
    relations_by_type: dict[str, int]

    @classmethod
    def from_stats(cls, s: GraphStats) -> Stats:
        return cls(
            entities=s.entities,
            relations=s.relations,
            documents=s.documents,
            evidence=s.evidence,
            last_ingest=s.last_ingest,
            entities_by_label=dict(s.entities_by_label),
            relations_by_type=dict(s.relations_by_type),
        )


# ---- entities -----------------------------------------------------------------------------


class EntitySummary(Model):
    id: str
    name: str
    label: str
    aliases: list[str] = []

    @classmethod
    def from_record(cls, r: EntityRecord) -> EntitySummary:
        return cls(id=r.id, name=r.name, label=r.label, aliases=list(r.aliases))


class EntityPage(Model):
    items: list[EntitySummary]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page; absent on the last."
    )


class EvidenceOut(Model):
    document_id: str
    sentence: str
    start: int
    end: int
    extractor: str
    confidence: float
    document_title: str = ""
    document_path: str = ""
    document_date: str = ""

    @classmethod
    def from_record(cls, r: EvidenceRecord) -> EvidenceOut:
        return cls(
            document_id=r.document_id,
            sentence=r.sentence,
            start=r.start,
            end=r.end,
            extractor=r.extractor,
            confidence=r.confidence,
            document_title=r.document_title,
            document_path=r.document_path,
            document_date=r.document_date,
        )


class RelationOut(Model):
    source: str
    target: str
    type: str
    source_name: str = ""
    target_name: str = ""
    evidence_count: int = 0
    confidence: float = 0.0
    doc_ids: list[str] = []
    properties: dict[str, Any] = {}
    evidence: list[EvidenceOut] = []

    @classmethod
    def from_record(cls, r: RelationRecord, names: dict[str, str] | None = None) -> RelationOut:
        names = names or {}
        return cls(
            source=r.source,
            target=r.target,
            type=r.type,
            source_name=names.get(r.source, ""),
            target_name=names.get(r.target, ""),
            evidence_count=r.evidence_count,
            confidence=r.confidence,
            doc_ids=list(r.doc_ids),
            properties=dict(r.properties),
            evidence=[EvidenceOut.from_record(e) for e in r.evidence],
        )


class EntityDetail(Model):
    id: str
    name: str
    label: str
    aliases: list[str]
    properties: dict[str, Any]
    doc_ids: list[str]
    relations: list[RelationOut]
    next_cursor: str | None = Field(
        default=None, description="Cursor for the next page of this entity's relations."
    )

    @classmethod
    def from_record(
        cls, r: EntityRecord, relations: list[RelationOut], next_cursor: str | None
    ) -> EntityDetail:
        return cls(
            id=r.id,
            name=r.name,
            label=r.label,
            aliases=list(r.aliases),
            properties=dict(r.properties),
            doc_ids=list(r.doc_ids),
            relations=relations,
            next_cursor=next_cursor,
        )


# ---- merges -------------------------------------------------------------------------------


class MergeOut(Model):
    from_id: str = Field(description="The merged-in entity's own id (what to unmerge).")
    name: str = Field(description="Its name as the document wrote it.")
    matched_on: str = Field(description="The name key it shared with the survivor.")
    reason: str = Field(description="`same canonical name` or `shared alias`.")
    document: str = Field(description="Id of the document the merge came from.")
    document_path: str = ""
    document_title: str = ""
    aliases: list[str] = Field(description="Names this merge added to the survivor.")
    label: str = Field(default="", description="The merged-in entity's own label.")
    label_before: str = Field(
        default="", description="The survivor's label before, when this merge changed it."
    )
    undone: bool = Field(description="True once this merge was undone (the pair is kept apart).")
    undone_at: str = ""

    @classmethod
    def from_record(cls, r: MergeRecord) -> MergeOut:
        return cls(
            from_id=r.from_id,
            name=r.name,
            matched_on=r.matched_on,
            reason=r.reason,
            document=r.document,
            document_path=r.document_path,
            document_title=r.document_title,
            aliases=list(r.aliases),
            label=r.label,
            label_before=r.label_before,
            undone=r.undone,
            undone_at=r.undone_at,
        )


class MergeList(Model):
    entity: EntitySummary
    merges: list[MergeOut]


class UnmergeIn(Model):
    merged: str = Field(
        min_length=1,
        max_length=300,
        description="What was merged in: its id (`from_id`), or a name or alias its merge "
        "record shows (any script or case).",
    )


class UnmergeOut(Model):
    entity: EntitySummary = Field(description="The survivor, after the unmerge.")
    merged_id: str
    restored: EntitySummary | None = Field(
        description="The entity that now holds what was merged in (null when nothing in the "
        "stored documents mentions it any more)."
    )
    documents: list[str] = Field(description="Documents extracted again and rewritten.")
    changed: bool = Field(description="False when this merge had already been undone.")
    message: str

    @classmethod
    def from_result(cls, r: UnmergeResult) -> UnmergeOut:
        return cls(
            entity=EntitySummary.from_record(r.entity),
            merged_id=r.merged_id,
            restored=EntitySummary.from_record(r.restored) if r.restored else None,
            documents=list(r.documents),
            changed=r.changed,
            message=r.message,
        )


# ---- documents ----------------------------------------------------------------------------


class DocumentMeta(Model):
    id: str
    path: str = ""
    title: str = ""
    date: str = ""
    url: str = ""
    source: str = ""
    lang: str = ""
    chars: int = 0
    ingested_at: str = ""

    @classmethod
    def from_record(cls, r: DocumentRecord) -> DocumentMeta:
        return cls(
            id=r.id,
            path=r.path,
            title=r.title,
            date=r.date,
            url=r.url,
            source=r.source,
            lang=r.lang,
            chars=r.chars,
            ingested_at=r.ingested_at,
        )


class DocumentDetail(Model):
    document: DocumentMeta
    entities: list[EntitySummary]
    relations: list[RelationOut]


class DocumentIn(Model):
    """A document posted as JSON. Metadata is optional; `name` is what it is recorded as."""

    text: str = Field(min_length=1, description="The document text (Chinese or English).")
    name: str = Field(default="upload.txt", max_length=300)
    title: str = Field(default="", max_length=1000)
    url: str = Field(default="", max_length=2000)
    source: str = Field(default="", max_length=300)
    date: str = Field(default="", max_length=40)


class WrittenOut(Model):
    documents: int = 0
    entities_created: int = 0
    relations_created: int = 0
    evidence_added: int = 0


class IngestedDocument(Model):
    document: DocumentMeta
    unchanged: bool = Field(description="True when this exact content was already in the graph.")
    extraction: dict[str, Any] = Field(description="What was extracted (entities, relations).")
    written: WrittenOut


class IngestFailure(Model):
    path: str
    reason: str


class IngestResult(Model):
    documents: list[IngestedDocument]
    failed: list[IngestFailure] = []


class Deleted(Model):
    id: str
    deleted: bool


# ---- analytics ----------------------------------------------------------------------------


class Node(Model):
    id: str
    name: str
    label: str
    aliases: list[str] = []
    depth: int = Field(default=0, description="Hops from the center.")


class Edge(Model):
    source: str
    target: str
    type: str
    evidence_count: int
    confidence: float
    properties: dict[str, Any] = {}


class Subgraph(Model):
    center: str
    nodes: list[Node]
    edges: list[Edge]
    truncated: bool = Field(description="True when the node limit cut the neighbourhood short.")

    @classmethod
    def from_result(cls, sub: SubgraphResult) -> Subgraph:
        return cls(
            center=sub.center,
            nodes=[
                Node(
                    id=n.id,
                    name=n.name,
                    label=n.label,
                    aliases=list(n.aliases),
                    depth=sub.depth.get(n.id, 0),
                )
                for n in sub.nodes
            ],
            edges=[
                Edge(
                    source=r.source,
                    target=r.target,
                    type=r.type,
                    evidence_count=r.evidence_count,
                    confidence=r.confidence,
                    properties=dict(r.properties),
                )
                for r in sub.relations
            ],
            truncated=sub.truncated,
        )


class HopOut(Model):
    source: str
    target: str
    source_name: str
    target_name: str
    type: str
    direction: str = Field(description="forward, backward (stored the other way) or undirected.")
    relation_key: str
    evidence_count: int
    confidence: float
    evidence: EvidenceOut | None = Field(default=None, description="The best supporting sentence.")
    other_types: list[str] = []

    @classmethod
    def from_hop(cls, h: Hop) -> HopOut:
        return cls(
            source=h.source,
            target=h.target,
            source_name=h.source_name,
            target_name=h.target_name,
            type=h.type,
            direction=h.direction,
            relation_key=h.relation_key,
            evidence_count=h.evidence_count,
            confidence=h.confidence,
            evidence=EvidenceOut.from_record(h.evidence) if h.evidence else None,
            other_types=list(h.other_types),
        )


class PathOut(Model):
    length: int
    strength: float = Field(description="Mean hop strength in [0, 1).")
    nodes: list[EntitySummary]
    hops: list[HopOut]

    @classmethod
    def from_path(cls, p: Path) -> PathOut:
        return cls(
            length=p.length,
            strength=finite(p.strength),
            nodes=[EntitySummary.from_record(n) for n in p.nodes],
            hops=[HopOut.from_hop(h) for h in p.hops],
        )


class PathsResult(Model):
    source: EntitySummary
    target: EntitySummary
    paths: list[PathOut]


class IntroducerOut(Model):
    entity: EntitySummary
    score: float
    paths: int = Field(description="Shortest source-target paths through this entity.")
    share: float = Field(description="... as a fraction of all shortest source-target paths.")
    distance_source: int
    distance_target: int
    tie_source: float
    tie_target: float
    reason: str
    evidence: list[HopOut]

    @classmethod
    def from_introducer(cls, i: Introducer) -> IntroducerOut:
        return cls(
            entity=EntitySummary.from_record(i.entity),
            score=finite(i.score),
            paths=i.paths,
            share=finite(i.share),
            distance_source=i.distance_a,
            distance_target=i.distance_b,
            tie_source=finite(i.tie_a),
            tie_target=finite(i.tie_b),
            reason=i.reason,
            evidence=[HopOut.from_hop(h) for h in i.evidence],
        )


class IntroductionsResult(Model):
    source: EntitySummary
    target: EntitySummary
    introducers: list[IntroducerOut]


class ConnectorOut(Model):
    entity: EntitySummary
    score: float
    betweenness: float
    brokerage: float
    brokerage_pair: list[str]
    constraint: float
    effective_size: float
    degree: int
    neighbour_labels: dict[str, int]
    why: str
    exact: bool
    error_bound: float = 0.0

    @classmethod
    def from_row(cls, c: ConnectorRow) -> ConnectorOut:
        return cls(
            entity=EntitySummary.from_record(c.entity),
            score=finite(c.score),
            betweenness=finite(c.betweenness),
            brokerage=finite(c.brokerage),
            brokerage_pair=list(c.brokerage_pair),
            constraint=finite(c.constraint),
            effective_size=finite(c.effective_size),
            degree=c.degree,
            neighbour_labels=dict(c.neighbour_labels),
            why=c.why,
            exact=c.exact,
            error_bound=finite(c.error_bound),
        )


class ConnectorsResult(Model):
    connectors: list[ConnectorOut]
