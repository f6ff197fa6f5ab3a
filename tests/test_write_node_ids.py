"""FalkorDB writes find a relationship's ends by internal node id when the writer knows
them (cypher/falkordb/create_relations_by_id): the ids it keeps are hints, checked
against the entity the row names, so a stale one never ties a relationship to the wrong
node."""

from __future__ import annotations

from typing import Any

import pytest

from innograph.graph.store import queries
from innograph.graph.store.falkordb import FalkorStore
from innograph.model import Label, RelType
from tests.test_store_contract import counts, doc, ent, extraction, rel

A = ent("北京甲科技有限公司", Label.FIRM)
B = ent("清华大学", Label.INSTITUTE)
C = ent("中关村科技园区", Label.PARK)


def node_id(store: FalkorStore, entity_id: str) -> int:
    rows = store._read("MATCH (n:Entity {id: $id}) RETURN ID(n)", {"id": entity_id})
    return int(rows[0][0])


def queries_sent(store: FalkorStore, monkeypatch: Any) -> list[str]:
    """The text of every query the store prepares from now on (observed, not replaced)."""
    seen: list[str] = []
    prepare = store._prepare

    def spy(query: str, params: dict[str, Any]) -> Any:
        seen.append(query)
        return prepare(query, params)

    monkeypatch.setattr(store, "_prepare", spy)
    return seen


def by_id_query() -> str:
    return queries.render("create_relations_by_id", "falkordb", rel_type=RelType.LOCATED_IN)


def test_written_entities_are_known_by_node_id(falkor_store: FalkorStore) -> None:
    d = doc("北京甲科技有限公司与清华大学合作。")
    falkor_store.write([extraction(d, [A, B], [rel(A, RelType.COLLABORATES_WITH, B, d)])])
    assert falkor_store._node_ids == {
        A.id: node_id(falkor_store, A.id),
        B.id: node_id(falkor_store, B.id),
    }


def test_known_ends_take_the_id_seek_and_write_the_same_graph(
    falkor_store: FalkorStore, monkeypatch: Any
) -> None:
    d1 = doc("北京甲科技有限公司与清华大学合作，入驻中关村科技园区。")
    falkor_store.write([extraction(d1, [A, B, C], [rel(A, RelType.COLLABORATES_WITH, B, d1)])])
    seen = queries_sent(falkor_store, monkeypatch)
    d2 = doc("北京甲科技有限公司位于中关村科技园区。")
    result = falkor_store.write([extraction(d2, [A, C], [rel(A, RelType.LOCATED_IN, C, d2)])])
    assert by_id_query() in seen
    assert (result.relations_created, result.evidence_added) == (1, 1)
    key = queries.relation_key(A.id, RelType.LOCATED_IN.value, C.id)
    [record] = falkor_store.get_relations([key])
    assert (record.source, record.target, record.evidence_count) == (A.id, C.id, 1)
    assert [ev.document_id for ev in falkor_store.relation_evidence([key])[key]] == [d2.id]
    # Written again: nothing new, the id-seek query finds the relationship existing.
    again = falkor_store.write([extraction(d2, [A, C], [rel(A, RelType.LOCATED_IN, C, d2)])])
    assert (again.relations_created, again.evidence_added) == (0, 0)
    assert counts(falkor_store) == (3, 2, 2, 2)


def test_a_stale_node_id_never_ties_the_wrong_node(
    falkor_store: FalkorStore, monkeypatch: Any
) -> None:
    d1 = doc("北京甲科技有限公司与清华大学合作，入驻中关村科技园区。")
    falkor_store.write([extraction(d1, [A, B, C], [])])
    # As if A's node had been deleted and its id reused by B's (another process's delete).
    falkor_store._node_ids[A.id] = node_id(falkor_store, B.id)
    seen = queries_sent(falkor_store, monkeypatch)
    d2 = doc("北京甲科技有限公司位于中关村科技园区。")
    result = falkor_store.write([extraction(d2, [A, C], [rel(A, RelType.LOCATED_IN, C, d2)])])
    assert by_id_query() in seen  # the hint was tried ...
    assert (result.relations_created, result.evidence_added) == (1, 1)  # ... then the slow way
    key = queries.relation_key(A.id, RelType.LOCATED_IN.value, C.id)
    [record] = falkor_store.get_relations([key])
    assert (record.source, record.target, record.evidence_count) == (A.id, C.id, 1)
    assert falkor_store.entity_relations(B.id, with_evidence=False) == []


def test_clear_forgets_node_ids(falkor_store: FalkorStore) -> None:
    d = doc("北京甲科技有限公司与清华大学合作。")
    falkor_store.write([extraction(d, [A, B], [rel(A, RelType.COLLABORATES_WITH, B, d)])])
    falkor_store.clear()
    assert falkor_store._node_ids == {}
    falkor_store.write([extraction(d, [A, B], [rel(A, RelType.COLLABORATES_WITH, B, d)])])
    assert counts(falkor_store) == (2, 1, 1, 1)


def entity_rows_checked(store: FalkorStore, monkeypatch: Any) -> list[str]:
    """Ids of the entity rows each write sends to entity_changes from now on."""
    checked: list[str] = []
    prepare = store._prepare

    def spy(query: str, params: dict[str, Any]) -> Any:
        if query == store._q("entity_changes"):
            checked.extend(row[0] for row in params["rows"])
        return prepare(query, params)

    monkeypatch.setattr(store, "_prepare", spy)
    return checked


def test_an_entity_written_unchanged_is_not_checked_again(
    falkor_store: FalkorStore, monkeypatch: Any
) -> None:
    d1 = doc("北京甲科技有限公司与清华大学合作。")
    falkor_store.write([extraction(d1, [A, B], [rel(A, RelType.COLLABORATES_WITH, B, d1)])])
    checked = entity_rows_checked(falkor_store, monkeypatch)
    d2 = doc("北京甲科技有限公司入驻中关村科技园区。")
    a_renamed = ent("北京甲科技有限公司", Label.FIRM, "甲科技")
    falkor_store.write([extraction(d2, [A, C], [rel(A, RelType.LOCATED_IN, C, d2)])])
    assert checked == [C.id]  # A's row is the one written before
    falkor_store.write([extraction(d2, [a_renamed, C], [])])
    assert checked == [C.id, A.id]  # a new alias: checked, and stored
    assert falkor_store.get_entities([A.id])[0].aliases == ["甲科技"]


def test_a_change_by_another_writer_makes_the_writer_check_again(
    falkor_store: FalkorStore, monkeypatch: Any
) -> None:
    a = ent("北京甲科技有限公司", Label.FIRM, "甲科技")
    d1 = doc("北京甲科技有限公司（甲科技）与清华大学合作。")
    falkor_store.write([extraction(d1, [a, B], [rel(a, RelType.COLLABORATES_WITH, B, d1)])])
    other = FalkorStore(falkor_store.settings, graph=falkor_store.graph_name)
    try:
        other.remove_entity_names(a.id, ["甲科技"])  # as an unmerge in another process
    finally:
        other.close()
    assert falkor_store.get_entities([a.id])[0].aliases == []
    checked = entity_rows_checked(falkor_store, monkeypatch)
    falkor_store.write([extraction(d1, [a, B], [rel(a, RelType.COLLABORATES_WITH, B, d1)])])
    assert a.id in checked
    assert falkor_store.get_entities([a.id])[0].aliases == ["甲科技"]
    # The same within this process.
    falkor_store.remove_entity_names(a.id, ["甲科技"])
    falkor_store.write([extraction(d1, [a, B], [])])
    assert falkor_store.get_entities([a.id])[0].aliases == ["甲科技"]


def test_a_failed_write_forgets_what_it_sent(falkor_store: FalkorStore, monkeypatch: Any) -> None:
    d1 = doc("北京甲科技有限公司与清华大学合作。")
    send = falkor_store._send

    def broken(prepared: Any, *, read: bool = False) -> Any:
        if "MERGE (n:Entity:" in prepared:
            raise ConnectionError("lost the server")
        return send(prepared, read=read)

    monkeypatch.setattr(falkor_store, "_send", broken)
    with pytest.raises(ConnectionError):
        falkor_store.write([extraction(d1, [A, B], [])])
    assert falkor_store._entities_written == {}
    monkeypatch.setattr(falkor_store, "_send", send)
    falkor_store.write([extraction(d1, [A, B], [rel(A, RelType.COLLABORATES_WITH, B, d1)])])
    assert counts(falkor_store) == (2, 1, 1, 1)
