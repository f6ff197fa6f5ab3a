"""Named Cypher loading, template safety and the write-row builder."""

from __future__ import annotations

import pytest
from test_store_contract import HUAWEI, LI, ZHANG, doc, extraction, rel

from innograph.graph.store import queries
from innograph.graph.store.queries import QueryError, build_rows, load, render
from innograph.model import Label, RelType


def test_dialect_variant_wins_over_shared_text() -> None:
    assert "allShortestPaths" in load("shortest_paths", "falkordb")
    assert "WITH a, b" in load("shortest_paths", "falkordb")
    assert "WITH a, b" not in load("shortest_paths", "neo4j")
    assert load("get_entities", "falkordb") == load("get_entities", "neo4j")
    assert "IF NOT EXISTS" in load("schema", "neo4j")
    assert "db.index.fulltext.queryNodes" in load("find_entities_by_keys", "neo4j")


def test_every_query_loads_for_both_dialects() -> None:
    names = {p.stem for p in queries.CYPHER_DIR.glob("*.cypher")}
    for name in names:
        for dialect in queries.DIALECTS:
            assert load(name, dialect)


@pytest.mark.parametrize("name", ["../model", "Get", "a b", "x;y"])
def test_bad_names_and_dialects_raise(name: str) -> None:
    with pytest.raises(QueryError):
        load(name, "falkordb")
    with pytest.raises(QueryError):
        load("get_entities", "sqlite")


def test_templates_accept_only_enum_values() -> None:
    text = render("upsert_relations", "falkordb", rel_type=RelType.FOUNDED)
    assert "[r:FOUNDED]" in text and "{{" not in text
    assert "SET n:Firm" in render("add_label", "neo4j", label="Firm")
    for hostile in ["Firm) DETACH DELETE (n", "FOUNDED]->() DELETE r //", "firm", ""]:
        with pytest.raises(QueryError):
            render("add_label", "falkordb", label=hostile)
        with pytest.raises(QueryError):
            render("upsert_relations", "falkordb", rel_type=hostile)
    with pytest.raises(QueryError):
        render("add_label", "falkordb")  # the placeholder needs a value


def test_schema_statements_split() -> None:
    statements = queries.statements("schema", "falkordb")
    assert len(statements) == 6
    assert all(s.startswith("CREATE INDEX") for s in statements)
    assert all(s.startswith("CREATE ") for s in queries.statements("schema", "neo4j"))


def test_build_rows_dedupes_and_normalises() -> None:
    d1, d2 = doc("张三与华为合作。"), doc("华为与张三合作。")
    e1 = extraction(d1, [ZHANG, HUAWEI], [rel(ZHANG, RelType.COLLABORATES_WITH, HUAWEI, d1)])
    e2 = extraction(
        d2,
        [ZHANG, HUAWEI, LI],
        [rel(HUAWEI, RelType.COLLABORATES_WITH, ZHANG, d2), rel(LI, RelType.FOUNDED, LI, d2)],
    )
    rows = build_rows([e1, e2, e1], "2024-01-01T00:00:00+00:00")
    assert [r["id"] for r in rows.documents] == [d1.id, d2.id]
    assert rows.documents[0]["ingested_at"] == "2024-01-01T00:00:00+00:00"
    # Documents list the entities they name (entities keep no growing list of documents).
    assert rows.documents[0]["entity_ids"] == [ZHANG.id, HUAWEI.id]
    assert rows.documents[1]["entity_ids"] == [ZHANG.id, HUAWEI.id, LI.id]
    zhang = next(r for r in rows.entities if r["id"] == ZHANG.id)
    assert "doc_ids" not in zhang
    assert zhang["keys"] == ["张三"]  # 張三 normalises to the same key
    assert zhang["aliases"] == ["張三"]
    assert zhang["props_json"] == ""
    [collab] = rows.relations["COLLABORATES_WITH"]  # both directions, one row
    assert collab["source"] == min(ZHANG.id, HUAWEI.id)
    assert len(collab["evidence"]) == 2
    assert "FOUNDED" not in rows.relations  # self-loop dropped
    assert rows.relation_count == 1
    assert all(ev["key"].startswith(collab["key"] + "#") for ev in collab["evidence"])


def test_new_relation_rows_send_keys_only_when_a_store_could_read_them_apart() -> None:
    d = doc("张三与华为合作。")
    e = extraction(d, [ZHANG, HUAWEI], [rel(ZHANG, RelType.COLLABORATES_WITH, HUAWEI, d)])
    [row] = build_rows([e], "now").relations["COLLABORATES_WITH"]
    [ev] = row["evidence"]
    out = queries.new_relation_row(row, 7)
    assert out[:3] == [row["source"], row["target"], ""]
    assert out[3] == [[d.id, ev["sentence"], ev["start"], ev["end"], ev["extractor"], 1.0]]
    assert out[4:] == [0, None, 7]  # year, no key (the query builds it), position
    # What the query builds is what the Python side looks keys up by.
    assert ev["key"] == f"{row['source']}|COLLABORATES_WITH|{row['target']}#{d.id}:" + (
        f"{ev['start']}:{ev['end']}:{ev['extractor']}"
    )
    # A part with edge whitespace (FalkorDB strips it from a part, not from inside a key)
    # or a character it drops: the row carries the exact keys.
    for odd in (" lead", "trail\t", "nul\x00"):
        r = rel(ZHANG, RelType.COLLABORATES_WITH, HUAWEI, d, extractor=odd)
        e = extraction(d, [ZHANG, HUAWEI], [r])
        [row] = build_rows([e], "now").relations["COLLABORATES_WITH"]
        out = queries.new_relation_row(row, 7)
        assert out[5] == row["key"] and out[3][0][6] == row["evidence"][0]["key"], odd


def test_generic_label_does_not_override_in_a_batch() -> None:
    d = doc("李四。")
    person = type(LI)(id=LI.id, name="李四", label=Label.PERSON)
    rows = build_rows([extraction(d, [LI, person], [])], "now")
    assert rows.entities[0]["label"] == "Academician"


def test_merge_props_newer_wins_per_key() -> None:
    assert queries.merge_props('{"a": 1, "b": 2}', '{"b": 3}') == '{"a": 1, "b": 3}'
    assert queries.merge_props(None, '{"b": 3}') == '{"b": 3}'
    assert queries.merge_props("not json", '{"b": 3}') == '{"b": 3}'


def test_records_parse_rows() -> None:
    record = queries.relation_record(["a|FOUNDED|b", 2, 0.5, ["d1"], '{"role": "x"}'])
    assert (record.source, record.type, record.target, record.key) == (
        "a",
        "FOUNDED",
        "b",
        "a|FOUNDED|b",
    )
    assert record.properties == {"role": "x"}
    entity = queries.entity_record(["id", "名", "Firm", None, None])
    assert (entity.aliases, entity.properties, entity.doc_ids) == ([], {}, [])
    with pytest.raises(QueryError):
        queries.search_labels(["Firm", "NotALabel"])
