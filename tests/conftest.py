"""Store fixtures: one real embedded FalkorDB for the whole session, a fresh graph per test.

`store` is parametrised over the backends; the Neo4j variant runs only when NEO4J_URI points
at a real server (it wipes the database named by NEO4J_DATABASE, default database otherwise).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from innograph.config import Settings, load_settings
from innograph.graph.store.embedded import EmbeddedServer
from innograph.graph.store.falkordb import FalkorStore

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture(scope="session")
def falkordb_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A running embedded server for the session; the session's lease keeps it up while
    tests open and close stores, and releasing it at the end shuts it down."""
    home = tmp_path_factory.mktemp("falkordb")
    server = EmbeddedServer(home)
    server.acquire()
    yield home
    server.release()


def falkordb_settings(home: Path, graph: str | None = None) -> Settings:
    return Settings(backend="falkordb", home=home, graph=graph or f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def falkor_store(falkordb_home: Path) -> Iterator[FalkorStore]:
    store = FalkorStore(falkordb_settings(falkordb_home))
    yield store
    store.drop()
    store.close()


@pytest.fixture
def neo4j_store() -> Iterator[object]:
    if not os.environ.get("NEO4J_URI"):
        pytest.skip("set NEO4J_URI (and NEO4J_PASSWORD) to run against a real Neo4j 5")
    from innograph.graph.store.neo4j import Neo4jStore

    store = Neo4jStore(load_settings())
    store.clear()
    yield store
    store.clear()
    store.close()


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> object:
    name = "falkor_store" if request.param == "falkordb" else "neo4j_store"
    return request.getfixturevalue(name)
