"""The vocabulary every part of InnoGraph speaks: labels, relationship types and the
dataclasses that cross package boundaries. Nothing here talks to a database or a model."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Label(StrEnum):
    ACADEMICIAN = "Academician"
    PERSON = "Person"
    INSTITUTE = "Institute"
    FIRM = "Firm"
    PARK = "Park"
    TECHNOLOGY = "Technology"
    EVENT = "Event"
    ORGANIZATION = "Organization"
    PLACE = "Place"


class RelType(StrEnum):
    AFFILIATED_WITH = "AFFILIATED_WITH"
    COLLABORATES_WITH = "COLLABORATES_WITH"
    FOUNDED = "FOUNDED"
    PART_OF = "PART_OF"
    LOCATED_IN = "LOCATED_IN"
    FOCUSES_ON = "FOCUSES_ON"
    PARTICIPATED_IN = "PARTICIPATED_IN"
    INVESTS_IN = "INVESTS_IN"
    SPUN_OFF_FROM = "SPUN_OFF_FROM"


# Relationship types whose direction carries no meaning; stored source->target with the
# smaller id first so that "A collaborates with B" and "B with A" are one relationship.
SYMMETRIC_TYPES: frozenset[RelType] = frozenset({RelType.COLLABORATES_WITH})

# Every entity node carries the base label `Entity` (for ids and lookup) plus its own label;
# an academician is a person, so it carries both (see `Entity.labels`).
BASE_LABEL = "Entity"

# A generic label never replaces a specific one of the same family: an academician seen
# elsewhere as a plain person stays an academician, a firm named as an organisation a firm.
GENERIC_LABELS: frozenset[str] = frozenset({Label.PERSON.value, Label.ORGANIZATION.value})


class Family(StrEnum):
    """Kinds of real-world thing. Identity never crosses a family: a person is never
    merged into an organisation even when the names collide."""

    PERSON = "person"
    ORG = "org"
    TECH = "tech"
    EVENT = "event"
    PLACE = "place"


FAMILY_OF: dict[Label, Family] = {
    Label.ACADEMICIAN: Family.PERSON,
    Label.PERSON: Family.PERSON,
    Label.INSTITUTE: Family.ORG,
    Label.FIRM: Family.ORG,
    Label.PARK: Family.ORG,
    Label.ORGANIZATION: Family.ORG,
    Label.TECHNOLOGY: Family.TECH,
    Label.EVENT: Family.EVENT,
    Label.PLACE: Family.PLACE,
}

# Sectors used by brokerage analytics (academia / industry / government).
SECTOR_OF: dict[Label, str] = {
    Label.ACADEMICIAN: "academia",
    Label.INSTITUTE: "academia",
    Label.FIRM: "industry",
    Label.PARK: "industry",
    Label.ORGANIZATION: "government",
}


def make_entity_id(label: Label | str, key: str) -> str:
    """A stable id, given once when the entity is first created: family + hash of its
    normalised name key. Later renames and merges keep the id."""
    family = FAMILY_OF[Label(label)]
    digest = hashlib.sha1(f"{family}:{key}".encode()).hexdigest()[:16]
    return f"{family.value[0]}{digest}"


def make_document_id(text: str) -> str:
    """Documents are keyed by the hash of their normalised content, so re-ingesting an
    unchanged file (under any path) is recognised and skipped."""
    return "d" + hashlib.sha256(text.encode()).hexdigest()[:24]


@dataclass(slots=True)
class Document:
    id: str
    text: str  # normalised text; evidence offsets point into it
    path: str = ""  # where it was read from (file path, feed line, upload name)
    title: str = ""
    date: str = ""
    url: str = ""
    source: str = ""
    lang: str = "zh"
    # `text` before Traditional->Simplified conversion, char-aligned with it, so that
    # traditional[s:e] is the original-script form of text[s:e] (names keep it as an alias).
    traditional: str = ""

    def metadata(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "date": self.date,
            "url": self.url,
            "source": self.source,
            "lang": self.lang,
            "chars": len(self.text),
        }


@dataclass(slots=True, frozen=True)
class Evidence:
    document_id: str
    sentence: str
    start: int  # character offsets of the sentence's supporting span in Document.text
    end: int
    extractor: str  # which rule or model produced it, e.g. "rel.focus_list"
    confidence: float = 1.0

    @property
    def key(self) -> str:
        return f"{self.document_id}:{self.start}:{self.end}:{self.extractor}"


@dataclass(slots=True)
class Entity:
    id: str
    name: str  # canonical name (Simplified Chinese for Chinese names)
    label: Label
    aliases: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)
    # where it was seen: (document id, start, end) of mentions, for explanation
    mentions: list[tuple[str, int, int]] = field(default_factory=list)
    extractor: str = ""  # which rule or model proposed it

    @property
    def labels(self) -> list[str]:
        extra = [Label.PERSON.value] if self.label == Label.ACADEMICIAN else []
        return [BASE_LABEL, self.label.value, *extra]

    @property
    def family(self) -> Family:
        return FAMILY_OF[self.label]


@dataclass(slots=True)
class Relation:
    source: str  # entity id
    target: str  # entity id
    type: RelType
    evidence: list[Evidence] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)  # e.g. {"role": "院长"}

    @property
    def key(self) -> str:
        return f"{self.source}|{self.type.value}|{self.target}"


@dataclass(slots=True)
class Extraction:
    """What the ingest pipeline found in one document, before it is written."""

    document: Document
    entities: list[Entity]
    relations: list[Relation]

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)


@dataclass(slots=True)
class WriteResult:
    documents: int = 0
    entities_created: int = 0
    relations_created: int = 0
    evidence_added: int = 0


@dataclass(slots=True)
class Failure:
    path: str
    reason: str


@dataclass(slots=True)
class IngestReport:
    read: int = 0
    unchanged: int = 0
    failed: list[Failure] = field(default_factory=list)
    entities_added: int = 0
    relations_added: int = 0
    evidence_added: int = 0
    chars: int = 0
    seconds: float = 0.0
    # documents a killed run had left half-written, finished by this one (paths or ids)
    resumed: list[str] = field(default_factory=list)


# ---- what the store returns (read side) -------------------------------------------------


@dataclass(slots=True)
class EntityRecord:
    id: str
    name: str
    label: str  # primary label (Academician, Firm, ...)
    aliases: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)
    doc_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class EvidenceRecord:
    document_id: str
    sentence: str
    start: int
    end: int
    extractor: str
    confidence: float
    document_title: str = ""
    document_path: str = ""
    document_date: str = ""


@dataclass(slots=True)
class RelationRecord:
    source: str  # entity id
    target: str  # entity id
    type: str
    evidence_count: int = 0
    confidence: float = 0.0  # best evidence confidence
    doc_ids: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)
    evidence: list[EvidenceRecord] = field(default_factory=list)  # filled only when asked
    # Names of both ends, filled by the service where an answer shows them (entity and
    # document detail); "" elsewhere.
    source_name: str = ""
    target_name: str = ""

    @property
    def key(self) -> str:
        return f"{self.source}|{self.type}|{self.target}"


@dataclass(slots=True)
class DocumentRecord:
    id: str
    path: str = ""
    title: str = ""
    date: str = ""
    url: str = ""
    source: str = ""
    lang: str = ""
    chars: int = 0
    ingested_at: str = ""


@dataclass(slots=True)
class GraphStats:
    entities_by_label: dict[str, int] = field(default_factory=dict)
    relations_by_type: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    evidence: int = 0
    last_ingest: str = ""

    @property
    def entities(self) -> int:
        # Academicians carry the Person label too; count each node once, by primary label.
        return sum(self.entities_by_label.values())

    @property
    def relations(self) -> int:
        return sum(self.relations_by_type.values())


# ---- analytics results (graph.service) ---------------------------------------------------
# Typed answers of lookup, paths, introductions, connectors, neighbourhoods and communities;
# the CLI renders them as tables, the API as JSON (dataclasses.asdict).


@dataclass(slots=True)
class Candidate:
    """One possible meaning of a looked-up name, best first in `LookupResult.candidates`."""

    id: str
    name: str
    label: str
    score: float  # 1.0 exact, lower for prefix / fuzzy matches
    matched: str  # the name or alias that matched
    kind: str  # "id", "exact", "prefix", "fuzzy"
    degree: int = 0


@dataclass(slots=True)
class LookupResult:
    query: str
    match: EntityRecord | None  # set only when the query names one entity unambiguously
    candidates: list[Candidate] = field(default_factory=list)
    kind: str = "none"  # how `match` was found: "id", "exact", "prefix"; or "ambiguous", "none"

    @property
    def ambiguous(self) -> bool:
        return self.kind == "ambiguous"


@dataclass(slots=True)
class Hop:
    """One step of a path, in path order (source -> target), with the stored relation."""

    source: str
    target: str
    source_name: str
    target_name: str
    type: str
    direction: str  # "forward" (stored source->target), "backward", or "undirected"
    relation_key: str
    evidence_count: int
    confidence: float
    evidence: EvidenceRecord | None = None  # best sentence with its document id/title/path
    other_types: list[str] = field(default_factory=list)  # further relations joining the pair


@dataclass(slots=True)
class Path:
    nodes: list[EntityRecord]
    hops: list[Hop]
    strength: float  # mean hop strength in [0, 1)

    @property
    def length(self) -> int:
        return len(self.hops)


@dataclass(slots=True)
class Introducer:
    entity: EntityRecord
    score: float
    paths: int  # shortest a-b paths through this entity
    share: float  # ... as a fraction of all shortest a-b paths
    distance_a: int
    distance_b: int
    tie_a: float  # strength of its own relation to a (0 when not adjacent)
    tie_b: float
    reason: str
    evidence: list[Hop] = field(default_factory=list)  # its direct relations to a and b


@dataclass(slots=True)
class ConnectorRow:
    entity: EntityRecord
    score: float
    betweenness: float  # normalised to [0, 1] (fraction of pairs' shortest paths)
    brokerage: float  # share of shortest cross-sector paths through it
    brokerage_pair: tuple[str, str]  # the sector pair it brokers most
    constraint: float  # Burt's constraint (lower = more brokerage opportunity)
    effective_size: float  # Burt's effective size
    degree: int
    neighbour_labels: dict[str, int]
    why: str
    exact: bool  # exact betweenness, or sampled with `error_bound`
    error_bound: float = 0.0


@dataclass(slots=True)
class Subgraph:
    center: str
    nodes: list[EntityRecord]
    relations: list[RelationRecord]
    depth: dict[str, int]  # entity id -> hops from the center
    truncated: bool = False


@dataclass(slots=True)
class Community:
    id: int
    size: int
    label: str  # its top entities' names, e.g. "清华大学 / 华为 / 量子计算"
    top: list[EntityRecord]
    labels: dict[str, int]  # entity label -> count
    members: list[str]  # entity ids (all of them, biggest degree first)


@dataclass(slots=True)
class EntityDetail:
    entity: EntityRecord
    relations: list[RelationRecord]  # with evidence, from the store; one page of them
    degree: int
    neighbours: dict[str, EntityRecord] = field(default_factory=dict)
    more: bool = False  # further relations follow this page


@dataclass(slots=True)
class Connection:
    """How two entities are connected: both ends as resolved, and the paths found."""

    source: EntityRecord
    target: EntityRecord
    paths: list[Path]


@dataclass(slots=True)
class Introductions:
    source: EntityRecord
    target: EntityRecord
    introducers: list[Introducer]


@dataclass(slots=True)
class SearchPage:
    """One page of a name search, and where it came from: "index" (the ranked in-memory
    name index) or "store" (the store's substring search); later pages keep the source."""

    items: list[EntityRecord]
    more: bool
    source: str


@dataclass(slots=True)
class DocumentDetail:
    document: DocumentRecord
    entities: list[EntityRecord]
    relations: list[RelationRecord]


@dataclass(slots=True)
class StoreHealth:
    backend: str  # the store's dialect
    version: str  # changes whenever the graph changes


# ---- merges (ingest.resolve records them, ingest.merges lists and undoes them) -----------


@dataclass(slots=True)
class MergeRecord:
    """One merge recorded on a surviving entity: an extracted entity (`from_id`, as the
    pipeline named it in `document`) was taken to be the survivor."""

    from_id: str
    name: str  # the merged-in entity's name as that document wrote it
    matched_on: str  # the name key both shared
    reason: str  # "same canonical name" or "shared alias"
    document: str
    document_path: str = ""  # where that document was read from ("" once it is deleted)
    document_title: str = ""
    aliases: list[str] = field(default_factory=list)  # names this merge added to the survivor
    label: str = ""  # the merged-in entity's own label
    label_before: str = ""  # the survivor's label, when this merge changed it
    undone: bool = False
    undone_at: str = ""


@dataclass(slots=True)
class KeepApart:
    """A decision that two entities are different: the resolver never merges one into the
    other, whatever names they share."""

    a: str  # entity id (the smaller of the two)
    b: str
    created_at: str = ""
    note: str = ""  # what was decided, in words (names, documents)


@dataclass(slots=True)
class EntityMerges:
    entity: EntityRecord
    merges: list[MergeRecord]


@dataclass(slots=True)
class UnmergeResult:
    entity: EntityRecord  # the survivor, after the unmerge
    merged_id: str  # the merged-in id that was split out
    restored: EntityRecord | None  # the entity that now holds it (None if nothing mentions it)
    documents: list[str]  # documents whose contributions were rewritten
    changed: bool  # False when this merge had already been undone
    message: str


def relation_year(properties: dict[str, Any]) -> int:
    """The year a relationship's properties date it to (last_seen, else date, else year;
    0 when none reads as one). Stored on the relationship as `year` for bulk reads."""
    for name in ("last_seen", "date", "year"):
        value = properties.get(name)
        if value:
            head = str(value)[:4]
            if head.isdigit():
                return int(head)
    return 0
