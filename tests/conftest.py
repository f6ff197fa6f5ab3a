"""Store fixtures: real engines for every backend-agnostic test.

FalkorDB: one embedded server for the whole session, a fresh graph per fixture.
Neo4j: the project's own test server (tests/neo4j_server, built with Maven on first use and
started once per session), or the server NEO4J_URI points at when it is set (that database is
WIPED). Community has one user database per DBMS, so the test server runs a few side by side
and each fixture leases one for its lifetime (a module's shared graph and a per-test graph can
live at once).

Without java/mvn the Neo4j tests skip with the reason; with CI=true they fail instead, so a
CI run never passes with the Neo4j half missing.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from neo4j_server import Endpoint, Neo4jServerError, Neo4jTestServer, build, missing_tools

from innograph.config import Settings
from innograph.graph.store.embedded import EmbeddedServer
from innograph.graph.store.falkordb import FalkorStore

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# Neo4j DBMSs in the test server: enough for the most graphs any test holds at once.
NEO4J_INSTANCES = 3

# The parameter list for fixtures that run on both engines.
BACKENDS = ["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)]


class Neo4jPool:
    """Endpoints of running Neo4j DBMSs, leased one fixture at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: list[Endpoint] | None = None
        self._error: str | None = None
        self._server: Neo4jTestServer | None = None
        self.data: Path | None = None

    def _start(self) -> None:
        external = os.environ.get("NEO4J_URI")
        if external:
            self._free = [
                Endpoint(
                    external,
                    os.environ.get("NEO4J_USER", "neo4j"),
                    os.environ.get("NEO4J_PASSWORD", ""),
                )
            ]
            return
        if missing := missing_tools():
            self._error = f"Neo4j test server needs {' and '.join(missing)} (see scripts/test)"
            return
        assert self.data is not None
        try:
            build()
            self._server = Neo4jTestServer(self.data, instances=NEO4J_INSTANCES)
            self._free = list(self._server.start())
        except Neo4jServerError as error:
            self._error = str(error)

    @contextmanager
    def lease(self) -> Iterator[Endpoint]:
        with self._lock:
            if self._free is None and self._error is None:
                self._start()
            if self._error is not None:
                if CI:
                    pytest.fail(f"CI=true and the Neo4j test server failed: {self._error}")
                pytest.skip(self._error)
            assert self._free is not None
            if not self._free:
                pytest.fail("every Neo4j test database is leased: raise NEO4J_INSTANCES")
            endpoint = self._free.pop()
        try:
            yield endpoint
        finally:
            with self._lock:
                assert self._free is not None
                self._free.append(endpoint)

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None


NEO4J = Neo4jPool()


def pytest_sessionstart(session: pytest.Session) -> None:
    base = Path(session.config._tmp_path_factory.getbasetemp())  # type: ignore[attr-defined]
    NEO4J.data = base / "neo4j"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    NEO4J.stop()


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


class Graphs:
    """Opens an empty graph on either engine and cleans it up afterwards."""

    def __init__(self, falkordb_home: Path) -> None:
        self.falkordb_home = falkordb_home

    @contextmanager
    def open(self, backend: str, **overrides: Any) -> Iterator[tuple[Settings, Any]]:
        if backend == "falkordb":
            settings = replace(falkordb_settings(self.falkordb_home), **overrides)
            falkor = FalkorStore(settings)
            try:
                yield settings, falkor
            finally:
                falkor.drop()
                falkor.close()
            return
        with NEO4J.lease() as endpoint:
            from innograph.graph.store.neo4j import Neo4jStore

            settings = replace(neo4j_settings(endpoint, self.falkordb_home), **overrides)
            neo = Neo4jStore(settings)
            try:
                neo.clear()
                yield settings, neo
            finally:
                neo.clear()
                neo.close()


def neo4j_settings(endpoint: Endpoint, home: Path) -> Settings:
    return Settings(
        backend="neo4j",
        home=home,
        neo4j_uri=endpoint.uri,
        neo4j_user=endpoint.user,
        neo4j_password=endpoint.password,
    )


@pytest.fixture(scope="session")
def graphs(falkordb_home: Path) -> Graphs:
    return Graphs(falkordb_home)


@pytest.fixture
def falkor_store(graphs: Graphs) -> Iterator[FalkorStore]:
    with graphs.open("falkordb") as (_, store):
        yield store


@pytest.fixture
def neo4j_store(graphs: Graphs, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with graphs.open("neo4j") as (settings, store):
        # Code under test that reads the environment sees the same server.
        monkeypatch.setenv("NEO4J_URI", settings.neo4j_uri or "")
        monkeypatch.setenv("NEO4J_USER", settings.neo4j_user)
        monkeypatch.setenv("NEO4J_PASSWORD", settings.neo4j_password)
        yield store


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module", params=BACKENDS)
def module_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(backend: str, request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue("falkor_store" if backend == "falkordb" else "neo4j_store")
