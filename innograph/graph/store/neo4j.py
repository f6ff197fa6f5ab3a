"""The Neo4j 5 store on the official driver. Same graph shape and queries as FalkorDB (the
shared `CypherStore`, including documents' stored texts and keep-apart decisions for unmerge);
only schema, key lookup, shortest paths and clear have Neo4j variants.
Every write query runs in its own managed transaction (`session.execute_write`), which the
driver retries on transient errors; that is safe because every write is idempotent."""

from __future__ import annotations

import time
from typing import Any

from innograph.config import Settings
from innograph.graph.store import queries
from innograph.graph.store.columns import GraphColumns, RelationRow, columns_from_rows
from innograph.graph.store.cypher_store import Counts, CypherStore
from innograph.graph.store.embedded import ServerError
from innograph.model import EntityRecord

# How long opening a store waits for new indexes to come online (an upgrade adding an index
# to a large existing graph).
SCHEMA_WAIT_S = 600


def driver_args(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for `neo4j.GraphDatabase.driver`, from the settings."""
    if not settings.neo4j_uri:
        raise ServerError("Neo4j backend selected but NEO4J_URI is not set")
    return {
        "uri": settings.neo4j_uri,
        "auth": (settings.neo4j_user, settings.neo4j_password),
        # Server notifications (e.g. "property key does not exist" on an empty graph) are
        # for people writing queries, not for users: the driver would log each one.
        "notifications_min_severity": "OFF",
        "user_agent": "innograph",
    }


class Neo4jStore(CypherStore):
    dialect = "neo4j"

    def __init__(self, settings: Settings) -> None:
        import neo4j

        self.settings = settings
        self.database = settings.neo4j_database
        args = driver_args(settings)
        self._driver = neo4j.GraphDatabase.driver(args.pop("uri"), **args)
        try:
            self._driver.verify_connectivity()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as error:
            self._driver.close()
            raise ServerError(
                f"cannot reach Neo4j at {settings.neo4j_uri}: {str(error).splitlines()[0]}"
            ) from None
        self.ensure_schema()

    def _session(self) -> Any:
        return self._driver.session(database=self.database)

    def _read(self, query: str, params: dict[str, Any]) -> list[list[Any]]:
        def work(tx: Any) -> list[list[Any]]:
            return [list(record.values()) for record in tx.run(query, params)]

        with self._session() as session:
            rows: list[list[Any]] = session.execute_read(work)
            return rows

    def _write(self, query: str, params: dict[str, Any]) -> Counts:
        def work(tx: Any) -> Counts:
            result = tx.run(query, params)
            rows = [list(record.values()) for record in result]
            counters = result.consume().counters
            return Counts(
                rows=rows,
                nodes_created=counters.nodes_created,
                relationships_created=counters.relationships_created,
            )

        with self._session() as session:
            counts: Counts = session.execute_write(work)
            return counts

    def graph_columns(self, page: int = 20_000) -> GraphColumns:
        """Every entity and relationship in columns for the analytics projection (see
        `columns`): entities in keyset pages without their documents (the projection does
        not keep them), relationships as bare rows of ends, type and counters, paged by
        source entity. Keys are positions in the entity order."""
        started = time.perf_counter()
        version = self.version()
        records: list[EntityRecord] = []
        after = ""
        query = self._q("iter_entities")
        while True:
            rows = self._read(query, {"after": after, "limit": int(page)})
            records.extend(queries.entity_record(row) for row in rows)
            if len(rows) < page:
                break
            after = rows[-1][0]
        entities_done = time.perf_counter()
        per_page = max(1, page // 4)
        relations: list[RelationRow] = []
        after = ""
        query = self._q("projection_relations")
        while True:
            rows = self._read(query, {"after": after, "limit": per_page})
            relations.extend(tuple(row) for row in rows if row[1] is not None)
            if len({row[0] for row in rows}) < per_page:
                break
            after = max(row[0] for row in rows)
        seconds = {"entities": entities_done - started}
        columns = columns_from_rows(records, relations, version, seconds)
        columns.seconds["relations"] = time.perf_counter() - entities_done
        return columns

    def ensure_schema(self) -> None:
        # IF NOT EXISTS makes each statement idempotent; schema changes need auto-commit.
        with self._session() as session:
            for statement in queries.statements("schema", self.dialect):
                session.run(statement).consume()
            # A new index on an existing graph fills in the background; queries through a
            # full-text index fail until it is online.
            session.run("CALL db.awaitIndexes($seconds)", seconds=SCHEMA_WAIT_S).consume()
        self._migrate_layout()

    def clear(self) -> None:
        # CALL { } IN TRANSACTIONS only runs in an auto-commit transaction.
        with self._session() as session:
            session.run(self._q("clear")).consume()
        self._bump_version()

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
