"""Undoing cross-document merges (`innograph.ingest.merges`) through the real pipeline and a
real embedded FalkorDB, and the store operations it rests on (on every backend).

The corpus is invented: 星河光电研究院 calls itself "Northstar Photonics Institute" in a
Chinese report, an English report uses that name (a right merge), and a Traditional-script
report names a different institute, 北辰光电研究所, by the same English name, which the
resolver wrongly merges into 星河光电研究院 (the merge to undo).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from innograph.ingest.merges import UnknownEntity, UnknownMerge, entity_merges, unmerge
from innograph.ingest.resolve import Resolver
from innograph.ingest.service import Ingestor
from innograph.model import (
    Document,
    Entity,
    EntityRecord,
    Extraction,
    Label,
    RelationRecord,
    make_document_id,
    make_entity_id,
)
from innograph.names import name_key

ZH_STAR = (
    "星河光电研究院（Northstar Photonics Institute）与明湖大学签署合作协议，共同研发量子通信技术。"
)
EN_STAR = (
    "The Northstar Photonics Institute (NPI) signed a partnership with Lakeside Robotics Ltd. "
    "on laser sensing. NPI will open a lab in Hefei."
)
TW_BEICHEN = "北辰光電研究所（Northstar Photonics Institute）與雲帆科技有限公司共建聯合實驗室。"
LATER_BEICHEN = "北辰光电研究所与明湖大学联合发布新型光纤传感器。"

STAR = "星河光电研究院"
BEICHEN = "北辰光电研究所"
BEICHEN_ID = make_entity_id(Label.INSTITUTE, name_key(BEICHEN))
YUNFAN = "云帆科技有限公司"
LAKESIDE = "Lakeside Robotics Ltd."
MINGHU = "明湖大学"


def write_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, text in (("a_star.txt", ZH_STAR), ("b_npi.txt", EN_STAR), ("c_tw.txt", TW_BEICHEN)):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def by_name(store: Any) -> dict[str, EntityRecord]:
    return {e.name: e for e in store.iter_entities()}


def neighbours(store: Any, entity_id: str) -> dict[str, RelationRecord]:
    """The entity's relations, by the name of the other end."""
    names = {e.id: e.name for e in store.iter_entities()}
    out = {}
    for rel in store.entity_relations(entity_id):
        other = rel.target if rel.source == entity_id else rel.source
        out[names[other]] = rel
    return out


@pytest.fixture
def merged(store: Any, tmp_path: Path) -> tuple[Any, list[Path]]:
    files = write_corpus(tmp_path / "corpus")
    report = Ingestor(store).ingest_paths(files)
    assert report.read == 3 and not report.failed
    return store, files


def test_merges_are_listed_with_names_reason_and_document(merged: Any) -> None:
    store, files = merged
    entities = by_name(store)
    assert BEICHEN not in entities  # merged away
    star = entities[STAR]
    entity, records = entity_merges(store, star.id)
    assert entity.id == star.id
    by_from = {r.name: r for r in records}
    assert set(by_from) == {"Northstar Photonics Institute", BEICHEN}
    wrong = by_from[BEICHEN]
    assert wrong.from_id == BEICHEN_ID
    assert wrong.reason == "shared alias"
    assert wrong.matched_on == name_key("Northstar Photonics Institute")
    assert wrong.document_path == str(files[2])
    # the names this merge added: both scripts of the other institute's name
    assert set(wrong.aliases) == {BEICHEN, "北辰光電研究所"}
    assert wrong.label == "Institute" and not wrong.undone
    assert by_from["Northstar Photonics Institute"].aliases == ["NPI"]


def test_unmerge_splits_the_entity_with_its_relations_and_evidence(merged: Any) -> None:
    store, files = merged
    star = by_name(store)[STAR]
    tw_doc = next(r.document for r in entity_merges(store, star.id)[1] if r.name == BEICHEN)

    # named the way the Traditional document wrote it
    result = unmerge(Ingestor(store), star.id, "北辰光電研究所")

    assert result.changed and result.merged_id == BEICHEN_ID
    assert result.documents == [tw_doc]
    assert result.restored is not None and result.restored.id == BEICHEN_ID
    entities = by_name(store)
    beichen, star = entities[BEICHEN], entities[STAR]
    assert beichen.label == "Institute"
    assert set(beichen.aliases) == {"北辰光電研究所", "Northstar Photonics Institute"}
    assert beichen.doc_ids == [tw_doc]
    # the survivor gives back the names the merge brought, keeps its own and the right merge's
    assert BEICHEN not in star.aliases and "北辰光電研究所" not in star.aliases
    assert {"Northstar Photonics Institute", "NPI"} <= set(star.aliases)
    assert tw_doc not in star.doc_ids
    found = store.find_entities_by_keys([name_key(BEICHEN)])[name_key(BEICHEN)]
    assert [e.id for e in found] == [BEICHEN_ID]

    moved = neighbours(store, beichen.id)
    assert set(moved) == {YUNFAN}
    [evidence] = moved[YUNFAN].evidence
    assert evidence.document_id == tw_doc and BEICHEN in evidence.sentence
    assert evidence.document_path == str(files[2])
    kept = neighbours(store, star.id)
    assert set(kept) == {MINGHU, LAKESIDE}
    assert all(ev.document_id != tw_doc for rel in kept.values() for ev in rel.evidence)

    records = {r.name: r for r in entity_merges(store, star.id)[1]}
    assert records[BEICHEN].undone and records[BEICHEN].undone_at
    assert not records["Northstar Photonics Institute"].undone


def test_unmerge_twice_changes_nothing(merged: Any) -> None:
    store, _ = merged
    star = by_name(store)[STAR]
    first = unmerge(Ingestor(store), star.id, BEICHEN_ID)
    version = store.version()
    again = unmerge(Ingestor(store), star.id, BEICHEN)
    assert first.changed and not again.changed
    assert "already" in again.message
    assert again.restored is not None and again.restored.id == BEICHEN_ID
    assert store.version() == version


def test_the_pair_stays_apart_when_documents_come_again(merged: Any, tmp_path: Path) -> None:
    store, files = merged
    star_id = by_name(store)[STAR].id
    unmerge(Ingestor(store), star_id, BEICHEN)

    # the same documents again: unchanged ones are skipped, deleted ones are extracted anew
    assert Ingestor(store).ingest_paths(files).unchanged == 3
    for document in store.document_texts([make_document_id_of(p) for p in files]):
        assert store.delete_document(document.id)
    assert not by_name(store)
    report = Ingestor(store).ingest_paths(files)
    assert report.read == 3 and not report.failed
    entities = by_name(store)
    assert {STAR, BEICHEN} <= set(entities)
    assert set(neighbours(store, entities[BEICHEN].id)) == {YUNFAN}
    # the right merge still happens; the undone one does not come back
    names = {r.name for r in entity_merges(store, star_id)[1] if not r.undone}
    assert names == {"Northstar Photonics Institute"}

    # a new document naming the split-out institute goes to it, not to the survivor
    later = tmp_path / "later.txt"
    later.write_text(LATER_BEICHEN, encoding="utf-8")
    Ingestor(store).ingest_paths([later])
    assert set(neighbours(store, entities[BEICHEN].id)) == {YUNFAN, MINGHU}
    assert BEICHEN_ID not in {r.from_id for r in entity_merges(store, star_id)[1] if not r.undone}


def make_document_id_of(path: Path) -> str:
    from innograph.ingest.readers import RawDocument
    from innograph.ingest.service import prepare

    raw = RawDocument(path=str(path), text=path.read_text(encoding="utf-8"), encoding="utf-8")
    return prepare(raw).id


def test_unknown_entity_or_merge_is_a_clear_error(merged: Any) -> None:
    store, _ = merged
    star = by_name(store)[STAR]
    with pytest.raises(UnknownMerge, match=r"has no merge matching '不存在的研究所'; its merges: "):
        unmerge(Ingestor(store), star.id, "不存在的研究所")
    with pytest.raises(UnknownEntity, match="no entity with id 'o-missing'"):
        unmerge(Ingestor(store), "o-missing", BEICHEN)
    lakeside = by_name(store)[LAKESIDE]
    with pytest.raises(UnknownMerge, match="has no recorded merges"):
        unmerge(Ingestor(store), lakeside.id, BEICHEN)


# ---- the resolver honours keep-apart decisions ----------------------------------------------


def _extraction(text: str, *entities: Entity) -> Extraction:
    return Extraction(Document(id=make_document_id(text), text=text), list(entities), [])


def test_resolver_never_merges_a_pair_kept_apart() -> None:
    first = Entity(make_entity_id(Label.INSTITUTE, "a"), "甲光学所", Label.INSTITUTE, ["Optica"])
    second = Entity(make_entity_id(Label.INSTITUTE, "b"), "乙光学所", Label.INSTITUTE, ["Optica"])
    apart = Resolver(None, keep_apart=[(second.id, first.id)])
    apart.resolve([_extraction("甲光学所（Optica）。", first)])
    [out] = apart.resolve([_extraction("乙光学所（Optica）。", second)])
    assert out.entities[0].id == second.id and not apart.merges


def test_merge_records_the_label_it_changed() -> None:
    generic = Entity(make_entity_id(Label.ORGANIZATION, "k"), "远山中心", Label.ORGANIZATION)
    specific = Entity("o-local", "远山研究中心", Label.INSTITUTE, ["远山中心"])
    resolver = Resolver(None)
    resolver.resolve([_extraction("远山中心成立。", generic)])
    [out] = resolver.resolve([_extraction("远山研究中心（远山中心）成立。", specific)])
    [record] = out.entities[0].properties["merges"]
    assert record["label"] == "Institute" and record["label_before"] == "Organization"
    assert record["aliases"] == ["远山研究中心"]


# ---- the store operations unmerge uses (every backend) --------------------------------------


def test_store_keeps_apart_decisions_texts_and_names(store: Any) -> None:
    text = "北辰光电研究所与云帆科技有限公司共建联合实验室。"
    doc = Document(
        id=make_document_id(text),
        text=text,
        path="reports/tw.txt",
        title="聯合實驗室",
        traditional="北辰光電研究所與雲帆科技有限公司共建聯合實驗室。",
    )
    entity = Entity(BEICHEN_ID, BEICHEN, Label.ORGANIZATION, ["北辰光電研究所", "Beichen Lab"])
    store.write([Extraction(doc, [entity], [])])

    [stored] = store.document_texts([doc.id, "d-unknown"])
    assert (stored.id, stored.text, stored.traditional, stored.path, stored.title) == (
        doc.id,
        doc.text,
        doc.traditional,
        doc.path,
        doc.title,
    )

    version = store.version()
    assert store.keep_apart("o-b", "o-a", note="乙 is not 甲")
    assert not store.keep_apart("o-a", "o-b", note="again")
    [pair] = store.kept_apart()
    assert (pair.a, pair.b, pair.note) == ("o-a", "o-b", "乙 is not 甲") and pair.created_at
    assert store.kept_apart(["o-b"]) == [pair] and store.kept_apart(["o-c"]) == []
    assert store.version() != version

    store.remove_entity_names(BEICHEN_ID, ["北辰光電研究所", BEICHEN])
    [record] = store.get_entities([BEICHEN_ID])
    assert record.name == BEICHEN and record.aliases == ["Beichen Lab"]
    # the canonical name's key stays, whatever script the names taken back were in
    assert store.find_entities_by_keys([name_key(BEICHEN)])
    assert store.find_entities_by_keys(["beichenlab"])

    store.set_entity_label(BEICHEN_ID, "Institute")
    [record] = store.get_entities([BEICHEN_ID])
    assert record.label == "Institute"
    # the node labels moved too
    assert store.search_entities(BEICHEN, ["Institute"])
    assert not store.search_entities(BEICHEN, ["Organization"])
