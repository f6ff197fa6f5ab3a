"""Reviewing and undoing cross-document merges.

The resolver records every merge on the surviving entity (`properties["merges"]`, see
`ingest.resolve`). Undoing one ("unmerge") is three steps:

1. persist a keep-apart decision for the pair (survivor id, merged-in id) in the store, so
   no later ingest, in this process or another, merges them again;
2. give back what the merge added to the survivor: the names it brought, and the label when
   it changed it;
3. extract the documents the merge came from again, from the text the store keeps, delete
   what they contributed and write them anew: the resolver now keeps the pair apart, so the
   merged-in entity becomes its own node with its own name, aliases, label, relations and
   evidence, and whatever else those documents said is written as before.

A merge record counts as undone exactly when its pair is kept apart, so the record itself is
never rewritten (a process with an older copy cannot undo the undo), and unmerging twice
changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from innograph.errors import Conflict, EntityNotFound, MergeNotFound
from innograph.graph.store import GraphStore
from innograph.model import (
    Document,
    EntityRecord,
    Extraction,
    Failure,
    KeepApart,
    Label,
    MergeRecord,
    UnmergeResult,
)
from innograph.names import name_key

if TYPE_CHECKING:
    from innograph.ingest.service import Ingestor


class MergeError(Conflict):
    """An unmerge that cannot be done in the graph's current state (a document whose text
    is gone). The message is one line meant for the user."""


class UnknownEntity(EntityNotFound):
    """No entity has this id."""

    def __init__(self, entity_id: str) -> None:
        super().__init__(entity_id, message=f"no entity with id {entity_id!r}")


class UnknownMerge(MergeNotFound):
    """No recorded merge matches what was asked to be undone; `merges` lists the entity's
    merges (for the reply)."""

    def __init__(self, message: str, merges: Sequence[MergeRecord] = ()) -> None:
        self.merges = list(merges)
        shown = list({m.from_id: {"from_id": m.from_id, "name": m.name} for m in merges}.values())
        super().__init__(message, detail={"merges": shown})


# ---- reading ------------------------------------------------------------------------------


def merge_records(entity: EntityRecord, apart: Iterable[KeepApart]) -> list[MergeRecord]:
    """The merges recorded on `entity`, oldest first, each marked undone when its pair is
    kept apart."""
    undone_at = {
        (k.b if k.a == entity.id else k.a): k.created_at for k in apart if entity.id in (k.a, k.b)
    }
    stored = entity.properties.get("merges")
    out: list[MergeRecord] = []
    for raw in stored if isinstance(stored, list) else []:
        if isinstance(raw, dict) and raw.get("from_id"):
            out.append(_record(raw, undone_at))
    return out


def _record(raw: dict[str, Any], undone_at: dict[str, str]) -> MergeRecord:
    name = str(raw.get("name") or "")
    aliases = raw.get("aliases")
    from_id = str(raw["from_id"])
    return MergeRecord(
        from_id=from_id,
        name=name,
        matched_on=str(raw.get("matched_on") or ""),
        reason=str(raw.get("reason") or ""),
        document=str(raw.get("document") or ""),
        # Records written before merges kept their aliases name only the merged-in name.
        aliases=[str(a) for a in aliases] if isinstance(aliases, list) else [name],
        label=str(raw.get("label") or ""),
        label_before=str(raw.get("label_before") or ""),
        undone=from_id in undone_at,
        undone_at=undone_at.get(from_id, ""),
    )


def entity_merges(store: GraphStore, entity_id: str) -> tuple[EntityRecord, list[MergeRecord]]:
    """An entity and its merges, with where each merge's document came from."""
    entity = _entity(store, entity_id)
    records = merge_records(entity, store.kept_apart([entity.id]))
    documents = {r.document for r in records if r.document}
    known = {d: store.get_document(d) for d in sorted(documents)}
    for r in records:
        doc = known.get(r.document)
        if doc is not None:
            r.document_path, r.document_title = doc.path, doc.title
    return entity, records


def _entity(store: GraphStore, entity_id: str) -> EntityRecord:
    found = store.get_entities([entity_id])
    if not found:
        raise UnknownEntity(entity_id)
    return found[0]


def select_merge(entity: EntityRecord, records: Sequence[MergeRecord], merged: str) -> str:
    """The merged-in id `merged` names: the id itself, or a name or alias its merge record
    shows (any script, case or width)."""
    wanted = merged.strip()
    if any(r.from_id == wanted for r in records):
        return wanted
    key = name_key(wanted)
    ids = list(
        dict.fromkeys(
            r.from_id
            for r in records
            if key and key in {name_key(r.name), r.matched_on, *map(name_key, r.aliases)}
        )
    )
    if len(ids) == 1:
        return ids[0]
    if not records:
        raise UnknownMerge(f"{entity.name} ({entity.id}) has no recorded merges")
    if ids:
        raise UnknownMerge(
            f"{merged!r} matches several merges into {entity.name}; pass one of the ids: "
            + ", ".join(ids),
            records,
        )
    shown = ", ".join(dict.fromkeys(f"{r.name} ({r.from_id})" for r in records))
    raise UnknownMerge(
        f"{entity.name} ({entity.id}) has no merge matching {merged!r}; its merges: {shown}",
        records,
    )


# ---- undoing ------------------------------------------------------------------------------


def unmerge(ingestor: Ingestor, entity_id: str, merged: str) -> UnmergeResult:
    """Split the entity `merged` names back out of `entity_id` (see the module docstring).
    Idempotent: a merge already undone is reported with `changed=False`."""
    from innograph.ingest.service import extract

    store = ingestor.store
    entity = _entity(store, entity_id)
    records = merge_records(entity, store.kept_apart([entity.id]))
    from_id = select_merge(entity, records, merged)
    mine = [r for r in records if r.from_id == from_id]
    names = ", ".join(dict.fromkeys(r.name for r in mine))
    if all(r.undone for r in mine):
        return UnmergeResult(
            entity=entity,
            merged_id=from_id,
            restored=_one(store, from_id),
            documents=[],
            changed=False,
            message=f"{names} ({from_id}) was already split out of {entity.name}",
        )
    # Everything that can fail without writing comes first: the stored texts and their
    # extraction. Only then is the graph touched.
    documents = _stored_documents(store, sorted({r.document for r in mine if r.document}))
    extractions: list[Extraction] = [extract(d, ingestor.stat_ner) for d in documents]
    store.keep_apart(
        entity.id,
        from_id,
        note=f"{names} is not {entity.name} (unmerged; documents: "
        + ", ".join(d.id for d in documents)
        + ")",
    )
    _give_back(store, entity, mine)
    written = ingestor.replace(extractions)
    holder = _holder(ingestor, from_id, written)
    survivor = _one(store, entity.id) or entity
    return UnmergeResult(
        entity=survivor,
        merged_id=from_id,
        restored=_one(store, holder) if holder else None,
        documents=[d.id for d in documents],
        changed=True,
        message=f"split {names} ({from_id}) out of {survivor.name}; "
        f"{len(documents)} document(s) extracted again",
    )


def _one(store: GraphStore, entity_id: str) -> EntityRecord | None:
    found = store.get_entities([entity_id])
    return found[0] if found else None


def _give_back(store: GraphStore, entity: EntityRecord, records: Sequence[MergeRecord]) -> None:
    """Take back the names and the label these merges gave the survivor. Its own canonical
    name (in any script) always stays."""
    own = name_key(entity.name)
    names = [a for r in records for a in r.aliases if name_key(a) != own]
    if names:
        store.remove_entity_names(entity.id, names)
    changed = next((r for r in records if r.label_before), None)
    if (
        changed is not None
        and entity.label == changed.label
        and changed.label_before in Label._value2member_map_
    ):
        store.set_entity_label(entity.id, changed.label_before)


def _holder(ingestor: Ingestor, from_id: str, written: Sequence[Extraction]) -> str | None:
    """Which entity the merged-in extraction now lives in: itself, or another entity the
    resolver merged it into (never the survivor, which is kept apart)."""
    into = next((m.into_id for m in ingestor.resolver.merges if m.from_id == from_id), None)
    if into is not None:
        return into
    if any(e.id == from_id for ex in written for e in ex.entities):
        return from_id
    return None


def _stored_documents(store: GraphStore, ids: Sequence[str]) -> list[Document]:
    """The documents to extract again. Their text comes from the store; documents stored
    before texts were kept are read again from their file when it still holds the same
    content. Documents deleted since the merge are skipped: they contribute nothing."""
    found = {d.id: d for d in store.document_texts(ids) if _intact(d)}
    for doc_id in ids:
        if doc_id in found:
            continue
        record = store.get_document(doc_id)
        if record is None:
            continue
        document = _reread(record.path, doc_id)
        if document is None:
            raise MergeError(
                f"document {doc_id} ({record.path or 'no path'}) was stored without its text "
                "and its file no longer holds it: ingest that file again, then unmerge"
            )
        found[doc_id] = document
    return [found[d] for d in ids if d in found]


def _intact(document: Document) -> bool:
    from innograph.model import make_document_id

    # Evidence offsets point into the text: it must be exactly what was extracted.
    return make_document_id(document.text) == document.id


def _reread(path: str, doc_id: str) -> Document | None:
    from innograph.ingest.readers import read_documents
    from innograph.ingest.service import prepare

    if not path or not Path(path).is_file():
        return None
    for item in read_documents(Path(path)):
        if isinstance(item, Failure):
            continue
        document = prepare(item)
        if document.id == doc_id:
            return document
    return None
