"""Request and response models of the HTTP API; the OpenAPI document at /docs is generated
from these classes. Responses are read straight off the typed records of `innograph.model`
(`Model.of(record)`: attributes by name, nested records too), so a route only calls the
service and returns; the few fields named differently say where they come from
(`validation_alias`), and the two shapes that differ from their record (`EntityDetail`,
`Subgraph`) have their own `of`."""

from __future__ import annotations

import dataclasses
import math
from typing import Annotated, Any, Self

from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field

from innograph import model


def finite(x: float) -> float:
    """Scores from graph measures may be NaN/inf on degenerate graphs; JSON has neither."""
    return x if math.isfinite(x) else 0.0


# A float that is always finite in JSON.
Finite = Annotated[float, AfterValidator(finite)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    @classmethod
    def of(cls, record: object) -> Self:
        """The response model of a record (a dataclass of `innograph.model`)."""
        return cls.model_validate(record)


def _fields(record: object) -> dict[str, Any]:
    """A dataclass's fields by name, not copied (unlike `dataclasses.asdict`)."""
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}  # type: ignore[arg-type]


# ---- errors -----------------------------------------------------------------------------


class CandidateOut(Model):
    id: str
    name: str
    label: str
    score: Finite = Field(description="1.0 exact; lower for prefix and fuzzy matches.")
    matched: str = Field(description="The name or alias that matched.")
    kind: str = Field(description="How it matched: id, exact, prefix or fuzzy.")
    degree: int = Field(description="Number of distinct neighbours in the graph.")


class ErrorInfo(Model):
    code: str = Field(description="Stable machine-readable error code, e.g. `not_found`.")
    message: str
    detail: Any = None
    candidates: list[CandidateOut] | None = Field(
        default=None, description="Ranked entities a name could mean (unknown/ambiguous names)."
    )


class ErrorBody(Model):
    error: ErrorInfo


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses` of a route: these statuses answer with an `ErrorBody`."""
    return {status: {"model": ErrorBody} for status in statuses}


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


class EntitySummary(Model):
    id: str
    name: str
    label: str
    aliases: list[str] = []


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
    def of_detail(cls, detail: model.EntityDetail, next_cursor: str | None) -> EntityDetail:
        """The entity's own fields at the top level, then one page of its relations."""
        return cls.model_validate(
            {**_fields(detail.entity), "relations": detail.relations, "next_cursor": next_cursor}
        )


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
    def of(cls, record: object) -> Self:
        """Nodes carry their depth, kept by the record in a map beside them."""
        assert isinstance(record, model.Subgraph)
        return cls(
            center=record.center,
            nodes=[
                Node(
                    id=n.id,
                    name=n.name,
                    label=n.label,
                    aliases=n.aliases,
                    depth=record.depth.get(n.id, 0),
                )
                for n in record.nodes
            ],
            edges=[Edge.of(r) for r in record.relations],
            truncated=record.truncated,
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


class PathOut(Model):
    length: int
    strength: Finite = Field(description="Mean hop strength in [0, 1).")
    nodes: list[EntitySummary]
    hops: list[HopOut]


class PathsResult(Model):
    source: EntitySummary
    target: EntitySummary
    paths: list[PathOut]


class IntroducerOut(Model):
    entity: EntitySummary
    score: Finite
    paths: int = Field(description="Shortest source-target paths through this entity.")
    share: Finite = Field(description="... as a fraction of all shortest source-target paths.")
    # The record says a/b; the API says source/target.
    distance_source: int = Field(validation_alias=AliasChoices("distance_a", "distance_source"))
    distance_target: int = Field(validation_alias=AliasChoices("distance_b", "distance_target"))
    tie_source: Finite = Field(validation_alias=AliasChoices("tie_a", "tie_source"))
    tie_target: Finite = Field(validation_alias=AliasChoices("tie_b", "tie_target"))
    reason: str
    evidence: list[HopOut]


class IntroductionsResult(Model):
    source: EntitySummary
    target: EntitySummary
    introducers: list[IntroducerOut]


class ConnectorOut(Model):
    entity: EntitySummary
    score: Finite
    betweenness: Finite
    brokerage: Finite
    brokerage_pair: list[str]
    constraint: Finite
    effective_size: Finite
    degree: int
    neighbour_labels: dict[str, int]
    why: str
    exact: bool
    error_bound: Finite = 0.0


class ConnectorsResult(Model):
    connectors: list[ConnectorOut]


# ---- explorer views -----------------------------------------------------------------------


class ViewNodeOut(Model):
    id: str
    name: str
    label: str
    aliases: list[str] = []
    degree: int
    x: float | None = Field(default=None, description="Server-side layout position (px).")
    y: float | None = None
    depth: int = 0
    score: float | None = Field(default=None, description="Connector score in [0, 1].")
    sector: str = ""
    role: str = Field(default="", description="focus, source, target, introducer, connector.")


class ViewEdgeOut(Model):
    id: str = Field(description="The relation key `source|TYPE|target`.")
    source: str
    target: str
    type: str
    confidence: float
    evidence_count: int
    symmetric: bool
    date_min: str = Field(default="", description="Earliest date of its evidence documents.")
    date_max: str = ""


class ViewOut(Model):
    mode: str
    params: dict[str, Any]
    nodes: list[ViewNodeOut]
    edges: list[ViewEdgeOut]
    shown_nodes: int
    total_nodes: int = Field(description="Entities the view would hold without its cap.")
    truncated: bool
    limit: int
    focus: list[str] = []
    highlight_nodes: list[str] = []
    highlight_edges: list[str] = []
    paths: list[PathOut] = []
    introducers: list[IntroducerOut] = []
    connectors: list[ConnectorOut] = []
    layout: dict[str, Any] = Field(description="algorithm, ms, cached")
    build_ms: float = 0.0
    message: str = ""
    style: dict[str, Any] = Field(description="Colours and shapes by label, relationship type.")

    @classmethod
    def from_view(cls, v: Any) -> ViewOut:
        from dataclasses import asdict

        from innograph.viz.style import style_table

        req = v.request
        return cls(
            mode=req.mode,
            params={k: list(x) if isinstance(x, tuple) else x for k, x in asdict(req).items()},
            nodes=[ViewNodeOut(**asdict(n)) for n in v.nodes],
            edges=[ViewEdgeOut(**asdict(e)) for e in v.edges],
            shown_nodes=len(v.nodes),
            total_nodes=v.total_nodes,
            truncated=v.truncated,
            limit=req.limit,
            focus=list(v.focus),
            highlight_nodes=list(v.highlight_nodes),
            highlight_edges=list(v.highlight_edges),
            paths=[PathOut.of(p) for p in v.paths],
            introducers=[IntroducerOut.of(i) for i in v.introducers],
            connectors=[ConnectorOut.of(c) for c in v.connectors],
            layout={"algorithm": v.layout_algorithm, "ms": v.layout_ms, "cached": v.cached},
            build_ms=v.build_ms,
            message=v.message,
            style=style_table(),
        )


class EvidenceList(Model):
    key: str
    source: str
    target: str
    type: str
    evidence: list[EvidenceOut]
