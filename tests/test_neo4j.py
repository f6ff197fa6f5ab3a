"""What the Neo4j adapter can show without a server: settings become driver arguments, the
Neo4j dialect picks its own query texts, parameter shapes match the shared queries, and a
missing server is a one-line error."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from innograph.config import Settings, load_settings
from innograph.graph.store import open_store, queries
from innograph.graph.store.embedded import ServerError
from innograph.graph.store.neo4j import Neo4jStore, driver_args


def neo4j_settings(uri: str | None = "neo4j://localhost:7687") -> Settings:
    return Settings(
        backend="neo4j",
        home=Path("/tmp/unused"),
        neo4j_uri=uri,
        neo4j_user="alice",
        neo4j_password="s3cret",
        neo4j_database="innograph",
    )


def test_settings_become_driver_arguments() -> None:
    assert driver_args(neo4j_settings()) == {
        "uri": "neo4j://localhost:7687",
        "auth": ("alice", "s3cret"),
        "notifications_min_severity": "OFF",
        "user_agent": "innograph",
    }
    settings = load_settings(env={"NEO4J_URI": "bolt://db:7687", "NEO4J_PASSWORD": "pw"})
    assert driver_args(settings)["auth"] == ("neo4j", "pw")
    with pytest.raises(ServerError, match="NEO4J_URI"):
        driver_args(neo4j_settings(uri=None))


def test_unreachable_server_is_one_clear_line() -> None:
    with pytest.raises(ServerError, match=r"^cannot reach Neo4j at bolt://127\.0\.0\.1:1") as error:
        open_store(
            Settings(backend="neo4j", home=Path("/tmp/unused"), neo4j_uri="bolt://127.0.0.1:1")
        )
    assert "\n" not in str(error.value)


def test_neo4j_schema_uses_constraints_and_is_idempotent() -> None:
    statements = queries.statements("schema", "neo4j")
    assert all("IF NOT EXISTS" in s for s in statements)
    constraints = [s for s in statements if s.startswith("CREATE CONSTRAINT")]
    assert any("(n:Entity) REQUIRE n.id IS UNIQUE" in s for s in constraints)
    assert any("(e:Evidence) REQUIRE e.key IS UNIQUE" in s for s in constraints)
    assert any("(d:Document) REQUIRE d.id IS UNIQUE" in s for s in constraints)
    assert any("(e.rel_key)" in s for s in statements)
    assert any("(e.doc_id)" in s for s in statements)


def test_neo4j_variants_differ_where_the_engines_do() -> None:
    for name in ("schema", "find_entities_by_keys", "shortest_paths"):
        assert queries.load(name, "neo4j") != queries.load(name, "falkordb")
    assert "IN TRANSACTIONS" in queries.load("clear", "neo4j")
    with pytest.raises(queries.QueryError):
        queries.load("clear", "falkordb")  # FalkorDB deletes the graph key instead


def _parameters(text: str) -> set[str]:
    return set(re.findall(r"\$([A-Za-z_]+)", text))


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("find_entities_by_keys", {"keys"}),
        ("shortest_paths", {"source", "target", "limit"}),
        ("search_entities", {"q", "labels", "limit", "offset"}),
        ("upsert_entities", {"rows", "generic"}),
        ("upsert_relations", {"rows", "now"}),
        ("entity_changes", {"rows", "generic"}),
        ("existing_evidence", {"keys"}),
    ],
)
def test_parameter_shapes_match_for_both_dialects(name: str, params: set[str]) -> None:
    for dialect in queries.DIALECTS:
        assert _parameters(queries.load(name, dialect)) == params


def test_iteration_pages_by_key_on_neo4j_and_by_internal_id_on_falkordb() -> None:
    # Neo4j walks the id index in order; FalkorDB pages internal id ranges with no sort.
    for name in ("iter_entities", "iter_relations"):
        assert _parameters(queries.load(name, "neo4j")) == {"after", "limit"}
        assert _parameters(queries.load(name, "falkordb")) == {"lo", "hi"}


def test_store_class_speaks_the_neo4j_dialect() -> None:
    assert Neo4jStore.dialect == "neo4j"


@pytest.mark.neo4j
def test_live_schema_has_constraints_and_the_cjk_full_text_index(neo4j_store: Any) -> None:
    neo4j_store.ensure_schema()  # twice in a row changes nothing
    analyzers = dict(
        neo4j_store._read(
            "SHOW FULLTEXT INDEXES YIELD name, options "
            "RETURN name, options.indexConfig['fulltext.analyzer']",
            {},
        )
    )
    assert analyzers == {"entity_search": "cjk", "entity_lookup": "keyword"}
    constraints = {
        row[0]
        for row in neo4j_store._read("SHOW CONSTRAINTS YIELD name, type RETURN name, type", {})
        if row[1] == "UNIQUENESS" or row[1] == "NODE_PROPERTY_UNIQUENESS"
    }
    assert {"entity_id", "evidence_key", "document_id", "keep_apart_key"} <= constraints
