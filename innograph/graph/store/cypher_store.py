"""`CypherStore`: the backend-neutral implementation of the `GraphStore` protocol that both
engines share.

It holds every operation in terms of named queries (`queries.load/render`) and two primitives a
backend supplies: `_read(query, params)` and `_write(query, params)`.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from innograph.gcbatch import fewer_collections
from innograph.graph.store import queries
from innograph.graph.store.queries import chunks, load, render
from innograph.model import (
    GENERIC_LABELS,
    Document,
    DocumentRecord,
    EntityRecord,
    EvidenceRecord,
    Extraction,
    GraphStats,
    KeepApart,
    Label,
    RelationRecord,
    WriteResult,
)

# Rows per UNWIND round trip. Large enough that per-query overhead vanishes, small enough
# that one query's parameter text stays a few MB.
WRITE_CHUNK = 5_000
# Relationships per write slice (see CypherStore.write): small enough that a write of a few
# thousand documents makes several slices to overlap, large enough that per-query overhead
# (one query per relationship type and slice) stays small.
SLICE_RELATIONS = 5_000
# Documents carry their whole text: fewer per round trip.
DOC_CHUNK = 200
# Change records kept for readers catching up (see changes_since), and the most entity ids
# plus relationship keys one record lists (a larger write is recorded as "reload").
CHANGES_KEPT = 256
CHANGE_LIMIT = 60_000
# Graph layout this code writes (see _migrate_layout): 2 = documents list the entities they
# name, 3 = relationships store their year.
LAYOUT = 3
# allShortestPaths runs with a fixed bound (variable-length bounds cannot be parameters);
# callers ask for at most this many hops.
MAX_PATH_HOPS = 15
# Most entity -> internal node id pairs a writer keeps (about 100 bytes each).
NODE_IDS_KEPT = 4_000_000
# FalkorDB iteration pages span this many internal node ids per requested row (see _id_pages).
ID_SPAN_FACTOR = 3


@dataclass(slots=True)
class _Sent:
    """One slice of a write, sent: the calls that give each query's result."""

    documents: list[Callable[[], Counts]] = field(default_factory=list)
    entities: list[tuple[Sequence[list[Any]], Callable[[], Counts]]] = field(default_factory=list)
    relations: list[tuple[str, Sequence[dict[str, Any]], Callable[[], Counts]]] = field(
        default_factory=list
    )
    entities_created: int = 0
    entity_ids: list[str] = field(default_factory=list)  # created or changed
    relation_keys: list[str] = field(default_factory=list)
    learned: bool = False  # node ids of the created entities kept (_learn_node_ids)


def _slices(extractions: Sequence[Extraction], size: int) -> Iterator[Sequence[Extraction]]:
    """Consecutive runs of extractions holding about `size` relationships each."""
    start = count = 0
    for i, extraction in enumerate(extractions):
        count += len(extraction.relations) + 1
        if count >= size:
            yield extractions[start : i + 1]
            start, count = i + 1, 0
    if start < len(extractions):
        yield extractions[start:]


@dataclass(slots=True)
class Counts:
    """What one query returned and changed."""

    rows: list[list[Any]] = field(default_factory=list)
    nodes_created: int = 0
    relationships_created: int = 0


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class CypherStore:
    """`GraphStore` over any Cypher engine that provides `_read` and `_write`."""

    dialect: str = ""
    # Entity id -> internal node id, for engines whose dialect has create_relations_by_id
    # (an instance sets a dict; None: relationships find their ends by entity id).
    _node_ids: dict[str, int] | None = None
    # Entity id -> hash of the entity row this writer last wrote (or found stored), for
    # engines that skip rows known to change nothing (an instance sets a dict); valid while
    # the graph is at `_written_version`, the version this writer's last write made.
    _entities_written: dict[str, int] | None = None
    _written_version: str | None = None

    # ---- backend primitives --------------------------------------------------------------
    def _read(self, query: str, params: dict[str, Any]) -> list[list[Any]]:
        raise NotImplementedError

    def _write(self, query: str, params: dict[str, Any]) -> Counts:
        raise NotImplementedError

    def _prepare(self, query: str, params: dict[str, Any]) -> Any:
        """A query in the form `_send` takes (engines that encode queries themselves do it
        here, so the work can be done ahead, while the engine is busy)."""
        return (query, params)

    def _send(self, prepared: Any, *, read: bool = False) -> Callable[[], Counts]:
        """Runs a prepared query; the returned call gives its result. Engines that pipeline
        (FalkorDB inside `_pipeline`) send it and return at once: queries still run in the
        order they were sent, and the call waits for the result."""
        query, params = prepared
        counts = Counts(rows=self._read(query, params)) if read else self._write(query, params)
        return lambda: counts

    @contextmanager
    def _pipeline(self) -> Iterator[None]:
        """Scope in which `_send` may return before the query ran (see FalkorStore)."""
        yield

    def _q(self, name: str) -> str:
        return load(name, self.dialect)

    # ---- writes ----------------------------------------------------------------------------
    def write(self, extractions: Sequence[Extraction], now: str | None = None) -> WriteResult:
        """Writes in slices of about SLICE_RELATIONS relationships. Each slice's queries are
        sent without waiting for the previous slice's, so on a pipelining engine the rows of
        the next slice are built and encoded (Python, one core) while the engine writes the
        previous one (the server, the other core). A write equals writing its slices one
        after the other: a relationship or entity seen again in a later slice is found
        existing and merged like in a later write. `now` (ISO time) stamps new documents and
        relationships; default the current time (migrate passes the source's)."""
        result = WriteResult()
        if not extractions:
            return result
        now = now or now_iso()
        written = self._entities_written
        if written is not None and (written or self._written_version is not None):
            # The rows this writer wrote are only known to be stored as written when
            # nothing else changed the graph since its last write (another process, a
            # merge undone, a server that lost its last writes): the version tells.
            if self.version() != self._written_version:
                written.clear()
            self._written_version = None
        try:
            with fewer_collections(), self._pipeline():
                sent: list[_Sent] = []
                for part in _slices(extractions, SLICE_RELATIONS):
                    sent.append(self._send_slice(queries.build_rows(part, now), now, sent))
                for one in sent:
                    self._finish_slice(one, now, result)
                version = self._bump_version(
                    [entity_id for one in sent for entity_id in one.entity_ids],
                    [key for one in sent for key in one.relation_keys],
                )
        except BaseException:
            if written is not None:
                written.clear()
            raise
        if written is not None:
            self._written_version = version
        return result

    def _send_slice(
        self, rows: queries.WriteRows, now: str, earlier: Sequence[_Sent] = ()
    ) -> _Sent:
        sent = _Sent()
        query = self._q("upsert_documents")
        for chunk in chunks([queries.document_row(row) for row in rows.documents], DOC_CHUNK):
            sent.documents.append(self._send(self._prepare(query, {"rows": chunk})))
        generic = sorted(GENERIC_LABELS)
        query = self._q("entity_changes")
        changes = []
        node_ids = self._node_ids
        entities = rows.entities
        written = self._entities_written
        if written is not None:
            # A row equal to the one this writer wrote last for the entity changes
            # nothing (see write): a hub named by thousands of documents is checked once.
            # Recorded when sent; a write that fails forgets them all.
            if len(written) > NODE_IDS_KEPT:
                written.clear()
            entities = []
            for row in rows.entities:
                seen = _entity_hash(row)
                if written.get(row["id"]) != seen:
                    written[row["id"]] = seen
                    entities.append(row)
        for batch in chunks(entities, WRITE_CHUNK):
            encoded = [[*queries.entity_row(row), i] for i, row in enumerate(batch)]
            if node_ids is not None:
                # Whether this writer knows the entity's node id already: the dialect's
                # entity_changes answers unchanged entities only when it does not.
                for row, out in zip(batch, encoded, strict=True):
                    out.append(row["id"] in node_ids)
            params = {"rows": encoded, "generic": generic}
            changes.append((batch, self._send(self._prepare(query, params), read=True)))
        # Encoded now, while the engine works through the queries sent so far.
        if node_ids is not None:
            for one in earlier:
                self._learn_node_ids(one, node_ids)
            if len(node_ids) > NODE_IDS_KEPT:
                node_ids.clear()
        relations: list[tuple[str, Sequence[dict[str, Any]], Any]] = []
        for rel_type, rel_rows in sorted(rows.relations.items()):
            # Rows whose ends' node ids are known take the id-seek query (their ids are
            # read once here: another thread's write may clear the map).
            known: list[dict[str, Any]] = []
            ends: list[tuple[int, int]] = []
            unknown: list[dict[str, Any]] = rel_rows
            if node_ids:
                unknown = []
                for row in rel_rows:
                    source, target = node_ids.get(row["source"]), node_ids.get(row["target"])
                    if source is None or target is None:
                        unknown.append(row)
                    else:
                        known.append(row)
                        ends.append((source, target))
            if known:
                query = render("create_relations_by_id", self.dialect, rel_type=rel_type)
            for start in range(0, len(known), WRITE_CHUNK):
                chunk = known[start : start + WRITE_CHUNK]
                encoded = [
                    queries.new_relation_row(row, i, *ends[start + i])
                    for i, row in enumerate(chunk)
                ]
                params = {"rows": encoded, "now": now}
                relations.append((rel_type, chunk, self._prepare(query, params)))
            query = render("create_relations", self.dialect, rel_type=rel_type)
            for chunk in chunks(unknown, WRITE_CHUNK):
                encoded = [queries.new_relation_row(row, i) for i, row in enumerate(chunk)]
                params = {"rows": encoded, "now": now}
                relations.append((rel_type, chunk, self._prepare(query, params)))
        fresh: dict[str, list[list[Any]]] = defaultdict(list)
        changed: list[list[Any]] = []
        for batch, reply in changes:
            for index, label, props_json, *answer in reply().rows:
                row = batch[index]
                if answer:
                    # A dialect answering every row: [internal node id, would change].
                    node, changes_it = answer
                    if node is not None and node_ids is not None:
                        node_ids[row["id"]] = int(node)
                    if not changes_it:
                        continue
                if label is None:
                    fresh[row["label"]].append(queries.entity_row(row))
                    continue
                if row["props_json"]:
                    # Properties are JSON text, which Cypher cannot merge: merge key by key.
                    row["props_json"] = queries.merge_props(props_json, row["props_json"])
                changed.append(queries.entity_row(row))
        for label, new_rows in sorted(fresh.items()):
            query = render("create_entities", self.dialect, label=_node_labels(label))
            for part in chunks(new_rows, WRITE_CHUNK):
                sent.entities.append((part, self._send(self._prepare(query, {"rows": part}))))
        sent.entity_ids = [row[0] for rows in fresh.values() for row in rows]
        sent.entity_ids += [row[0] for row in changed]
        sent.relation_keys = [
            row["key"] for rel_rows in rows.relations.values() for row in rel_rows
        ]
        if changed:
            sent.entities_created += self._update_entities(changed, generic)
        for rel_type, chunk, prepared in relations:
            sent.relations.append((rel_type, chunk, self._send(prepared)))
        return sent

    def _learn_node_ids(self, sent: _Sent, node_ids: dict[str, int]) -> None:
        """Keeps the internal node ids the create_entities queries of an earlier slice
        returned (dialects whose create_entities returns [id, node id]). Their replies come
        before the slice's relationships, so this waits for little."""
        if sent.learned:
            return
        sent.learned = True
        for _, reply in sent.entities:
            for found in reply().rows:
                if len(found) == 2 and found[1] is not None:
                    node_ids[found[0]] = int(found[1])

    def _finish_slice(self, sent: _Sent, now: str, result: WriteResult) -> None:
        if self._node_ids is not None:
            self._learn_node_ids(sent, self._node_ids)
        result.documents += sum(reply().nodes_created for reply in sent.documents)
        result.entities_created += sent.entities_created
        raced: list[list[Any]] = []
        for entity_rows, reply in sent.entities:
            made = reply().nodes_created
            result.entities_created += made
            if made < len(entity_rows):
                # Another process created some of these in between: merge into them.
                raced.extend(entity_rows)
        if raced:
            result.entities_created += self._update_entities(raced, sorted(GENERIC_LABELS))
        rest: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for rel_type, chunk, reply in sent.relations:
            counts = reply()
            result.relations_created += counts.relationships_created
            result.evidence_added += counts.nodes_created
            if len(counts.rows) < len(chunk):
                # Relationships that existed already (or with an end missing): upserted.
                created = {int(i) for (i,) in counts.rows}
                rest[rel_type].extend(row for i, row in enumerate(chunk) if i not in created)
        for rel_type, rows in sorted(rest.items()):
            self._upsert_relations(rel_type, rows, now, result)

    def _upsert_relations(
        self, rel_type: str, rows: list[dict[str, Any]], now: str, result: WriteResult
    ) -> None:
        """Relationships that may exist: new evidence MERGEd, counters recounted from all
        of it, properties merged key by key."""
        rows = self._drop_known_evidence(rows)
        self._merge_relation_props(rows)
        query = render("upsert_relations", self.dialect, rel_type=rel_type)
        for chunk in chunks([queries.relation_row(row) for row in rows], WRITE_CHUNK):
            counts = self._write(query, {"rows": chunk, "now": now})
            result.relations_created += counts.relationships_created
            result.evidence_added += counts.nodes_created

    def _drop_known_evidence(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # Evidence already stored adds nothing (MERGE by key), so a relationship whose
        # evidence is all known and that brings no properties needs no write at all.
        keys = [[row["key"], ev["key"]] for row in rows for ev in row["evidence"]]
        known: set[str] = set()
        for chunk in chunks(keys, WRITE_CHUNK):
            known.update(k for (k,) in self._read(self._q("existing_evidence"), {"keys": chunk}))
        if not known:
            return rows
        kept = []
        for row in rows:
            fresh = [ev for ev in row["evidence"] if ev["key"] not in known]
            if fresh or row["props_json"]:
                kept.append({**row, "evidence": fresh})
        return kept

    def _update_entities(self, rows: list[list[Any]], generic: list[str]) -> int:
        created = 0
        add: dict[str, list[str]] = defaultdict(list)
        remove: dict[str, list[str]] = defaultdict(list)
        for chunk in chunks(rows, WRITE_CHUNK):
            counts = self._write(self._q("upsert_entities"), {"rows": chunk, "generic": generic})
            for entity_id, old_label, label, has in counts.rows:
                if old_label is None:
                    # Deleted by another process since entity_changes read it.
                    created += 1
                # Node labels follow the label property in separate queries (labels cannot
                # be parameters), so a crash between the two leaves them behind it: they are
                # compared with what the property asks for on every update, not only when
                # the property changes, and a rerun repairs them.
                wanted = _node_labels(label)
                for one in wanted:
                    if one not in has:
                        add[one].append(entity_id)
                for one in has:
                    if one in Label._value2member_map_ and one not in wanted:
                        remove[one].append(entity_id)
        # Labels cannot be parameters: one templated query per label, fed from the enum.
        for name, plan in (("add_label", add), ("remove_label", remove)):
            for label, ids in sorted(plan.items()):
                query = render(name, self.dialect, label=Label(label))
                for chunk in chunks(ids, WRITE_CHUNK):
                    self._write(query, {"ids": list(chunk)})
        return created

    def _merge_relation_props(self, rows: list[dict[str, Any]]) -> None:
        # Properties are JSON text, which Cypher cannot merge: read the stored maps of the
        # rows that bring properties and merge key by key here. Rows without properties
        # keep what is stored without a read.
        with_props = [row for row in rows if row["props_json"]]
        by_key = {row["key"]: row for row in with_props}
        for chunk in chunks(with_props, WRITE_CHUNK):
            params = {
                "rows": [
                    {"source": r["source"], "target": r["target"], "type": r["key"].split("|")[1]}
                    for r in chunk
                ]
            }
            for found_key, props_json in self._read(self._q("relation_props"), params):
                row = by_key[found_key]
                row["props_json"] = queries.merge_props(props_json, row["props_json"])

    def restore_entities(self, records: Sequence[EntityRecord]) -> int:
        """Write entities as given (name, aliases, label, properties; not their documents,
        which list them), as `migrate` copies them: new ones are created exactly, existing
        ones merged into like `write` does. Returns how many were created."""
        from innograph.names import name_key

        generic = sorted(GENERIC_LABELS)
        rows = []
        for record in records:
            keys: list[str] = []
            queries.union(keys, (name_key(name) for name in [record.name, *record.aliases]))
            rows.append(
                {
                    "id": record.id,
                    "name": record.name,
                    "label": Label(record.label).value,
                    "key": name_key(record.name),
                    "aliases": [a for a in record.aliases if a != record.name],
                    "keys": keys,
                    "props_json": queries.props_json(record.properties),
                }
            )
        fresh: dict[str, list[list[Any]]] = defaultdict(list)
        changed: list[list[Any]] = []
        for batch in chunks(rows, WRITE_CHUNK):
            params = {
                "rows": [[*queries.entity_row(row), i] for i, row in enumerate(batch)],
                "generic": generic,
            }
            for index, label, props_json, *extra in self._read(self._q("entity_changes"), params):
                # FalkorDB's dialect also answers node ids and whether the row changes anything.
                if extra and not extra[1]:
                    continue
                row = batch[index]
                if label is None:
                    fresh[row["label"]].append(queries.entity_row(row))
                    continue
                if row["props_json"]:
                    row["props_json"] = queries.merge_props(props_json, row["props_json"])
                changed.append(queries.entity_row(row))
        created = 0
        for label, new_rows in sorted(fresh.items()):
            query = render("create_entities", self.dialect, label=_node_labels(label))
            for part in chunks(new_rows, WRITE_CHUNK):
                made = self._write(query, {"rows": part}).nodes_created
                created += made
                if made < len(part):
                    changed.extend(part)  # created by another process meanwhile
        if changed:
            created += self._update_entities(changed, generic)
        touched = [row[0] for new_rows in fresh.values() for row in new_rows]
        touched += [row[0] for row in changed]
        if touched:
            self._bump_version(touched, [])
        return created

    def delete_document(self, document_id: str) -> bool:
        known = bool(self.has_documents([document_id]))
        supported = [record.key for record in self.document_relations(document_id)]
        keys: list[str] = []
        for chunk in chunks(supported, WRITE_CHUNK):
            params = {"keys": list(chunk), "id": document_id}
            keys += [
                row[0] for row in self._write(self._q("delete_document_evidence"), params).rows
            ]
        if not known and not keys:
            return False
        rows = [
            {"key": key, "source": s, "type": t, "target": o}
            for key in keys
            for s, t, o in [queries.split_relation_key(key)]
        ]
        empty: set[str] = set()
        for chunk in chunks(rows, WRITE_CHUNK):
            counted = self._write(self._q("recompute_relations"), {"rows": chunk}).rows
            empty.update(key for key, n in counted if not n)
        doomed = [row for row in rows if row["key"] in empty]
        for chunk in chunks(doomed, WRITE_CHUNK):
            self._write(self._q("delete_empty_relations"), {"rows": chunk})
        named = self._read(self._q("document_entities"), {"id": document_id})
        self._write(self._q("delete_document_node"), {"id": document_id})
        # Candidates: the entities the document named, and the ends of the relationships
        # that just went (they may have been named by no document at all).
        orphans = sorted(
            set(named[0][0] or [] if named else [])
            | {row[end] for row in doomed for end in ("source", "target")}
        )
        for chunk in chunks(orphans, WRITE_CHUNK):
            self._write(self._q("delete_orphan_entities"), {"ids": list(chunk)})
        self._bump_version()
        return True

    def keep_apart(self, a: str, b: str, note: str = "") -> bool:
        key, low, high = queries.keep_apart_key(a, b)
        params = {"key": key, "a": low, "b": high, "now": now_iso(), "note": note}
        created = self._write(self._q("keep_apart"), params).nodes_created > 0
        if created:
            self._bump_version([], [])  # entities and relationships are unchanged
        return created

    def remove_entity_names(self, entity_id: str, names: Sequence[str]) -> None:
        from innograph.names import name_key

        keys = sorted({name_key(n) for n in names} - {""})
        params = {"id": entity_id, "names": sorted(set(names)), "keys": keys}
        self._write(self._q("remove_entity_names"), params)
        self._bump_version([entity_id], [])

    def set_entity_label(self, entity_id: str, label: str) -> None:
        wanted = Label(label)  # only enum values reach the label templates
        rows = self._write(
            self._q("set_entity_label"), {"id": entity_id, "label": wanted.value}
        ).rows
        if not rows:
            return
        old = rows[0][0]
        labels = _node_labels(wanted.value)
        for one in _node_labels(old) if old in Label._value2member_map_ else []:
            if one not in labels:
                self._write(render("remove_label", self.dialect, label=one), {"ids": [entity_id]})
        for one in labels:
            self._write(render("add_label", self.dialect, label=one), {"ids": [entity_id]})
        self._bump_version([entity_id], [])

    def _migrate_layout(self) -> None:
        """Brings a graph written by an earlier version to `LAYOUT` (once; ensure_schema
        calls this). Layout 2 moved entities' doc_ids lists onto their documents; layout 3
        stores each relationship's year."""
        rows = self._read(self._q("get_layout"), {})
        layout = int(rows[0][0]) if rows and rows[0][0] is not None else 1
        if layout >= LAYOUT:
            return
        if layout < 2:
            self._write(self._q("migrate_entity_documents"), {})
            self._write(self._q("drop_entity_doc_ids"), {})
        if layout < 3:
            self._write(self._q("set_relation_years"), {})
        self._write(self._q("set_layout"), {"layout": LAYOUT, "epoch": secrets.token_hex(6)})

    def _bump_version(
        self, entities: Sequence[str] | None = None, relations: Sequence[str] | None = None
    ) -> str | None:
        """New version, with a change record of the entities and relationships a write
        touched (None: a change readers cannot replay, such as a delete). Returns it."""
        full = entities is None or relations is None
        if not full and len(entities or ()) + len(relations or ()) > CHANGE_LIMIT:
            full = True  # a reload costs less than replaying this much
        params = {
            "epoch": secrets.token_hex(6),
            "full": full,
            "entities": [] if full else list(entities or ()),
            "relations": [] if full else list(relations or ()),
        }
        rows = self._write(self._q("bump_version"), params).rows
        counter = int(rows[0][1]) if rows else 0
        if counter % 64 == 0:
            self._write(self._q("prune_changes"), {"floor": counter - CHANGES_KEPT})
        return f"{rows[0][0]}:{rows[0][1]}" if rows else None

    def changes_since(self, version: str) -> tuple[str, list[str], list[str]] | None:
        """(newest version, entity ids, relationship keys) changed after `version`, or None
        when they cannot be told (another epoch, a change that cannot be replayed, records
        already pruned): the caller then reloads everything."""
        epoch, _, since = version.partition(":")
        if not since.isdigit():
            return None
        rows = self._read(self._q("changes_since"), {"since": int(since)})
        rows = [row for row in rows if row[0] is not None]
        current = self.version()
        if current.partition(":")[0] != epoch:
            return None
        expected = int(since) + 1
        entities: dict[str, None] = {}
        relations: dict[str, None] = {}
        for seq, full, entity_ids, relation_keys in rows:
            if int(seq) != expected or full:
                return None
            expected += 1
            entities.update(dict.fromkeys(entity_ids or ()))
            relations.update(dict.fromkeys(relation_keys or ()))
        newest = f"{epoch}:{expected - 1}"
        if int(current.partition(":")[2]) > expected - 1:
            return None  # written between the two reads: simpler to reload
        return newest, list(entities), list(relations)

    def get_relations(self, keys: Sequence[str]) -> list[RelationRecord]:
        """Relationships by key; unknown keys are left out."""
        out: list[RelationRecord] = []
        for chunk in chunks(sorted(set(keys)), WRITE_CHUNK):
            rows = self._read(self._q("get_relations"), {"keys": list(chunk)})
            out.extend(queries.relation_record(row) for row in rows)
        return out

    # ---- reads -----------------------------------------------------------------------------
    def has_documents(self, document_ids: Sequence[str]) -> set[str]:
        if not document_ids:
            return set()
        return {row[0] for row in self._read(self._q("has_documents"), {"ids": list(document_ids)})}

    def get_document(self, document_id: str) -> DocumentRecord | None:
        rows = self._read(self._q("get_document"), {"id": document_id})
        return queries.document_record(rows[0]) if rows else None

    def document_texts(self, document_ids: Sequence[str]) -> list[Document]:
        out: list[Document] = []
        for chunk in chunks(sorted(set(document_ids)), WRITE_CHUNK):
            for row in self._read(self._q("document_texts"), {"ids": list(chunk)}):
                document = queries.stored_document(row)
                if document is not None:
                    out.append(document)
        return out

    def iter_documents(self, batch: int = 1_000) -> Iterator[tuple[Document, str]]:
        """Every document with its stored text (empty for documents stored before texts
        were kept) and when it was ingested, in id order."""
        after = ""
        while True:
            rows = self._read(self._q("iter_documents"), {"after": after, "limit": int(batch)})
            for row in rows:
                yield queries.document_with_text(row[:9]), row[9] or ""
            if len(rows) < batch:
                return
            after = rows[-1][0]

    def kept_apart(self, entity_ids: Sequence[str] = ()) -> list[KeepApart]:
        if entity_ids:
            rows = self._read(self._q("kept_apart_for"), {"ids": sorted(set(entity_ids))})
        else:
            rows = self._read(self._q("kept_apart"), {})
        return sorted(map(queries.keep_apart_record, rows), key=lambda k: (k.a, k.b))

    def get_entities(self, entity_ids: Sequence[str]) -> list[EntityRecord]:
        if not entity_ids:
            return []
        rows = self._read(self._q("get_entities"), {"ids": list(entity_ids)})
        return self._entity_records(rows)

    def _entity_records(self, rows: list[list[Any]]) -> list[EntityRecord]:
        """Entity records from rows of ENTITY_COLUMNS, with the documents naming them."""
        documents = self._entity_documents([row[0] for row in rows])
        return [queries.entity_record(row, documents.get(row[0], ())) for row in rows]

    def _entity_documents(self, entity_ids: Sequence[str]) -> dict[str, list[str]]:
        found: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for chunk in chunks(sorted(set(entity_ids)), WRITE_CHUNK):
            for entity_id, doc_id, at in self._read(
                self._q("entity_documents"), {"ids": list(chunk)}
            ):
                found[entity_id].append((at or "", doc_id))
        # In the order they were ingested, as the entity's history reads.
        return {key: [doc for _, doc in sorted(docs)] for key, docs in found.items()}

    def find_entities_by_keys(self, keys: Sequence[str]) -> dict[str, list[EntityRecord]]:
        found: dict[str, list[EntityRecord]] = {}
        unique = sorted({k for k in keys if k})
        for chunk in chunks(unique, WRITE_CHUNK):
            rows = self._read(self._q("find_entities_by_keys"), {"keys": list(chunk)})
            records = self._entity_records([row[1:] for row in rows])
            for row, record in zip(rows, records, strict=True):
                found.setdefault(row[0], []).append(record)
        return found

    def search_entities(
        self, query: str, labels: Sequence[str] = (), limit: int = 20, offset: int = 0
    ) -> list[EntityRecord]:
        from innograph.names import name_key

        key = name_key(query)
        if not key or limit <= 0:
            return []
        params = {
            "q": key,
            "labels": queries.search_labels(labels),
            "limit": int(limit),
            "offset": max(0, int(offset)),
        }
        return self._entity_records(self._read(self._q("search_entities"), params))

    def entity_relations(
        self, entity_id: str, limit: int = 100, offset: int = 0, with_evidence: bool = True
    ) -> list[RelationRecord]:
        params = {"id": entity_id, "limit": int(limit), "offset": max(0, int(offset))}
        if not with_evidence:
            rows = self._read(self._q("entity_relations"), params)
            return [queries.relation_record(row) for row in rows]
        # One query for relationships and their evidence (see the query for why).
        params["per"] = 3
        records = []
        for row in self._read(self._q("entity_relations_evidence"), params):
            record = queries.relation_record(row)
            record.evidence = [queries.evidence_record(value) for value in row[-1] or []]
            records.append(record)
        return records

    def document_relations(self, document_id: str) -> list[RelationRecord]:
        rows = self._read(self._q("document_relations"), {"id": document_id})
        return [queries.relation_record(row) for row in rows]

    def relation_evidence(
        self, keys: Sequence[str], per_relation: int = 3
    ) -> dict[str, list[EvidenceRecord]]:
        unique = sorted(set(keys))
        if not unique or per_relation <= 0:
            return {}
        found: dict[str, list[EvidenceRecord]] = {}
        for chunk in chunks(unique, WRITE_CHUNK):
            params = {"keys": list(chunk), "per": int(per_relation)}
            for key, evidence in self._read(self._q("relation_evidence"), params):
                found[key] = [queries.evidence_record(value) for value in evidence]
        return found

    def shortest_paths(
        self, source_id: str, target_id: str, max_hops: int = 6, limit: int = 10
    ) -> list[list[RelationRecord]]:
        if source_id == target_id or max_hops < 1 or limit < 1:
            return []
        params = {"source": source_id, "target": target_id, "limit": int(limit)}
        paths = [
            [queries.relation_record(hop) for hop in row[0]]
            for row in self._read(self._q("shortest_paths"), params)
        ]
        # All shortest paths have one length, so the hop limit keeps all of them or none.
        return [path for path in paths if len(path) <= min(max_hops, MAX_PATH_HOPS)]

    def iter_entities(self, batch: int = 10_000) -> Iterator[EntityRecord]:
        after = ""
        while True:
            rows = self._read(self._q("iter_entities"), {"after": after, "limit": int(batch)})
            yield from self._entity_records(rows)
            if len(rows) < batch:
                return
            after = rows[-1][0]

    def iter_relations(self, batch: int = 10_000) -> Iterator[RelationRecord]:
        # Pages hold `batch` source entities; most have a few relationships each.
        per_page = max(1, batch // 4)
        after = ""
        while True:
            rows = self._read(self._q("iter_relations"), {"after": after, "limit": per_page})
            sources = {row[0] for row in rows}
            for row in rows:
                if row[1] is not None:
                    yield queries.relation_record(row[1:])
            if len(sources) < per_page:
                return
            after = max(sources)

    def stats(self) -> GraphStats:
        stats = GraphStats()
        stats.entities_by_label = {
            label: int(n) for label, n in self._read(self._q("stats_entities"), {}) if label
        }
        stats.relations_by_type = {
            rel_type: int(n) for rel_type, n in self._read(self._q("stats_relations"), {})
        }
        documents = self._read(self._q("stats_documents"), {})
        if documents:
            stats.documents = int(documents[0][0] or 0)
            stats.last_ingest = documents[0][1] or ""
        evidence = self._read(self._q("stats_evidence"), {})
        stats.evidence = int(evidence[0][0] or 0) if evidence else 0
        return stats

    def version(self) -> str:
        rows = self._read(self._q("get_version"), {})
        if not rows or rows[0][0] is None:
            return "0"
        return f"{rows[0][0]}:{rows[0][1]}"


def _entity_hash(row: dict[str, Any]) -> int:
    return hash(
        (
            row["id"],
            row["name"],
            row["label"],
            row["key"],
            tuple(row["aliases"]),
            tuple(row["keys"]),
            row["props_json"],
        )
    )


def _node_labels(label: str) -> list[str]:
    # An academician is a person too (model.Entity.labels).
    return [label, Label.PERSON.value] if label == Label.ACADEMICIAN.value else [label]
