"""Cross-document identity: one real entity becomes one node across documents and scripts.

Each extracted entity is looked up by the name keys (`names.name_key`) of its canonical name
and aliases, first among entities already seen in this run, then in the store. A match must be
of the same `Family` (a person is never merged into an organisation). Exact canonical-name
matches win over alias matches; an alias shared by several different entities is ambiguous and
merges nothing. Every merge is recorded on the surviving entity (`properties["merges"]`: which
id, under which name, which aliases it added, why, from which document) so it can be reviewed
and undone (`ingest.merges`). Pairs of entities a person declared different (`KeepApart`, read
from the store on every batch, so a decision made by another process counts at once) are
never merged, whatever names they share.

Cost is one batched key lookup per batch plus dictionary work: linear in the number of
entities, with no all-pairs comparison.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from innograph.graph.store import GraphStore
from innograph.model import (
    FAMILY_OF,
    GENERIC_LABELS,
    SYMMETRIC_TYPES,
    Entity,
    EntityRecord,
    Extraction,
    Family,
    Label,
    Relation,
    RelType,
)
from innograph.names import name_key

# When two labels of one family disagree, the more specific one wins.
_LABEL_RANK = {
    Label.ACADEMICIAN: 3,
    Label.INSTITUTE: 2,
    Label.FIRM: 2,
    Label.PARK: 2,
    Label.PERSON: 1,
    Label.ORGANIZATION: 1,
}


@dataclass(slots=True)
class _Known:
    id: str
    name: str
    label: Label
    keys: set[str] = field(default_factory=set)
    # merges already recorded on this entity: the store replaces a property as a whole, so
    # each write must carry the full history, not only this run's merges
    merges: list[dict[str, Any]] = field(default_factory=list)
    # identities of `merges` (see `_merge_id`): a popular entity is merged into again and
    # again, and each addition must not cost a pass over its whole history
    _merge_ids: set[tuple[Any, ...]] = field(default_factory=set, init=False, repr=False)

    def __post_init__(self) -> None:
        given, self.merges = self.merges, []
        self.add_merges(given)

    @property
    def family(self) -> Family:
        return FAMILY_OF[self.label]

    def add_merges(self, records: Iterable[dict[str, Any]]) -> None:
        """Append the records not recorded yet, in order, each once (the same record reaches
        here from the store and from this run)."""
        for m in records:
            ident = _merge_id(m)
            if ident not in self._merge_ids:
                self._merge_ids.add(ident)
                self.merges.append(m)


@dataclass(slots=True)
class Merge:
    document_id: str
    from_id: str
    into_id: str
    name: str
    matched_on: str
    reason: str


class Resolver:
    """Maps extracted entities onto existing ones; lives for one ingest run."""

    def __init__(
        self, store: GraphStore | None, keep_apart: Iterable[tuple[str, str]] = ()
    ) -> None:
        self._store = store
        self._by_key: dict[tuple[Family, str], set[str]] = {}
        self._known: dict[str, _Known] = {}
        self._canonical: dict[tuple[Family, str], str] = {}
        self._given_apart = {frozenset(pair) for pair in keep_apart}
        self._apart = set(self._given_apart)
        self.merges: list[Merge] = []

    # -- public -------------------------------------------------------------------------
    def resolve(self, extractions: Sequence[Extraction]) -> list[Extraction]:
        self._load_apart()
        self._prefetch(extractions)
        return [self._resolve_one(ex) for ex in extractions]

    # -- internals ----------------------------------------------------------------------
    def _load_apart(self) -> None:
        if self._store is None:
            return
        stored = {frozenset((k.a, k.b)) for k in self._store.kept_apart()}
        self._apart = self._given_apart | stored

    def _allowed(self, entity_id: str, candidate: str) -> bool:
        return not self._apart or frozenset((entity_id, candidate)) not in self._apart

    def _prefetch(self, extractions: Sequence[Extraction]) -> None:
        if self._store is None:
            return
        wanted = {
            key
            for ex in extractions
            for e in ex.entities
            for key in _keys(e)
            if (e.family, key) not in self._by_key
        }
        if not wanted:
            return
        found = self._store.find_entities_by_keys(sorted(wanted))
        for records in found.values():
            for rec in records:
                self._remember_record(rec)

    def _remember_record(self, rec: EntityRecord) -> None:
        try:
            label = Label(rec.label)
        except ValueError:
            return
        keys = {name_key(n) for n in [rec.name, *rec.aliases]} - {""}
        stored = rec.properties.get("merges")
        merges = [m for m in stored if isinstance(m, dict)] if isinstance(stored, list) else []
        self._remember(rec.id, rec.name, label, keys, merges)

    def _remember(
        self,
        entity_id: str,
        name: str,
        label: Label,
        keys: Iterable[str],
        merges: list[dict[str, Any]] | None = None,
    ) -> None:
        known = self._known.get(entity_id)
        if known is None:
            known = self._known[entity_id] = _Known(entity_id, name, label, set(keys), merges or [])
            self._canonical.setdefault((known.family, name_key(name)), entity_id)
            new_keys: Iterable[str] = known.keys
        else:
            # the entity's name and label stay those of its first sighting, so its canonical
            # entry is settled already and only keys it did not have yet need indexing
            if merges:
                known.add_merges(merges)
            if known.keys.issuperset(keys):  # the usual case: a name seen before
                return
            new_keys = [k for k in keys if k not in known.keys]
            known.keys.update(new_keys)
        family = known.family
        for key in new_keys:
            self._by_key.setdefault((family, key), set()).add(entity_id)

    def _match(self, entity: Entity, keys: list[str]) -> tuple[str, str, str] | None:
        """(id, key matched, reason) of the existing entity this one is, or None; `keys` are
        the entity's `_keys`."""
        family = entity.family
        own = name_key(entity.name)
        exact = self._canonical.get((family, own))
        if exact is not None and self._allowed(entity.id, exact):
            return exact, own, "same canonical name"
        votes: dict[str, list[str]] = {}
        for key in keys:
            for cand in self._by_key.get((family, key), ()):
                if self._allowed(entity.id, cand):
                    votes.setdefault(cand, []).append(key)
        if not votes:
            return None
        ranked = sorted(votes.items(), key=lambda kv: -len(kv[1]))
        if len(ranked) > 1 and len(ranked[0][1]) == len(ranked[1][1]):
            return None  # an alias shared by different entities: ambiguous, merge nothing
        cand, keys = ranked[0]
        return cand, keys[0], "shared alias"

    def _resolve_one(self, ex: Extraction) -> Extraction:
        remap: dict[str, str] = {}
        merged: dict[str, Entity] = {}
        for entity in ex.entities:
            keys = _keys(entity)
            match = self._match(entity, keys)
            target_id = entity.id
            if match is not None and match[0] != entity.id:
                target_id, key, reason = match
                known = self._known[target_id]
                self.merges.append(
                    Merge(ex.document.id, entity.id, target_id, entity.name, key, reason)
                )
                record: dict[str, Any] = {
                    "from_id": entity.id,
                    "name": entity.name,
                    "matched_on": key,
                    "reason": reason,
                    "document": ex.document.id,
                    # What an unmerge gives back: the names the survivor did not have yet,
                    # and the label it had when this merge changed it.
                    "aliases": [
                        n
                        for n in _union([entity.name], entity.aliases)
                        if name_key(n) not in known.keys
                    ],
                    "label": entity.label.value,
                }
                if _takes_label(entity.label, known.label):
                    record["label_before"] = known.label.value
                known.add_merges([*entity.properties.get("merges", []), record])
                entity.properties["merges"] = list(known.merges)
                # The existing entity keeps its canonical name; this mention's name becomes an
                # alias. Compared as written, not by key: a Traditional or differently cased
                # form shares the key but is still how a source spelled the name.
                entity.aliases = [
                    a for a in _union([entity.name], entity.aliases) if a != known.name
                ]
                entity.name = known.name
                if _LABEL_RANK.get(entity.label, 0) < _LABEL_RANK.get(known.label, 0):
                    entity.label = known.label
                keys = _keys(entity)  # under its new name
            remap[entity.id] = target_id
            entity.id = target_id
            self._remember(target_id, entity.name, entity.label, keys)
            if target_id in merged:
                _absorb(merged[target_id], entity)
            else:
                merged[target_id] = entity
        relations = _remap_relations(ex.relations, remap)
        return Extraction(ex.document, list(merged.values()), relations)


def _takes_label(new: Label, old: Label) -> bool:
    """Whether writing an entity labelled `new` into one labelled `old` changes its label
    (the store keeps a specific label over a generic one; see model.GENERIC_LABELS)."""
    if new == old or _LABEL_RANK.get(new, 0) < _LABEL_RANK.get(old, 0):
        return False
    return new.value not in GENERIC_LABELS


def _keys(entity: Entity) -> list[str]:
    keys = dict.fromkeys(map(name_key, [entity.name, *entity.aliases]))
    keys.pop("", None)
    return list(keys)


def _union(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def _union_merges(
    first: list[dict[str, Any]], second: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Merge records in order, each once (the same record reaches here from the store and
    from this run)."""
    seen: set[tuple[Any, ...]] = set()
    out: list[dict[str, Any]] = []
    for m in [*first, *second]:
        key = _merge_id(m)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _merge_id(record: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two merge records one: the same entity merged on the same key, once per
    document."""
    return record.get("from_id"), record.get("document"), record.get("matched_on")


def _absorb(into: Entity, other: Entity) -> None:
    into.aliases = [a for a in _union(into.aliases, other.aliases) if a != into.name]
    into.mentions.extend(other.mentions)
    for k, v in other.properties.items():
        if k == "merges":
            into.properties["merges"] = _union_merges(into.properties.get("merges", []), v)
        else:
            into.properties.setdefault(k, v)


def _remap_relations(relations: list[Relation], remap: dict[str, str]) -> list[Relation]:
    out: dict[tuple[str, RelType, str], Relation] = {}  # by (source, type, target), as .key
    for rel in relations:
        source = remap.get(rel.source, rel.source)
        target = remap.get(rel.target, rel.target)
        if source == target:
            continue  # both ends turned out to be one entity
        if rel.type in SYMMETRIC_TYPES and target < source:
            source, target = target, source
        key = (source, rel.type, target)
        known = out.get(key)
        if known is None:
            out[key] = Relation(source, target, rel.type, list(rel.evidence), dict(rel.properties))
        else:
            seen = {e.key for e in known.evidence}
            known.evidence.extend(e for e in rel.evidence if e.key not in seen)
    return list(out.values())
