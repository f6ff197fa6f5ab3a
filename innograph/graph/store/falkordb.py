"""The FalkorDB store: the private embedded server of the data directory (the default), or an
existing server, over FalkorDB's redis protocol."""

from __future__ import annotations

import json
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import redis
from falkordb import FalkorDB

from innograph.config import Settings
from innograph.graph.store import falkordb_wire as wire
from innograph.graph.store import queries
from innograph.graph.store.columns import GraphColumns
from innograph.graph.store.cypher_store import ID_SPAN_FACTOR, Counts, CypherStore
from innograph.graph.store.embedded import EmbeddedServer, ServerError
from innograph.model import EntityRecord, RelationRecord


def _counts(reply: wire.Reply) -> Counts:
    return Counts(reply.rows, reply.nodes_created, reply.relationships_created)


def _connection_url(url: str) -> str:
    for scheme in ("falkordb://", "falkor://"):
        if url.startswith(scheme):
            return "redis://" + url[len(scheme) :]
    if url.startswith("falkors://"):
        return "rediss://" + url[len("falkors://") :]
    return url


class FalkorStore(CypherStore):
    """FalkorDB over its redis protocol: the private embedded server of `settings.home`, or
    the server at `settings.falkordb_url` (never started or stopped by us)."""

    dialect = "falkordb"

    def __init__(self, settings: Settings, *, graph: str | None = None) -> None:
        self.settings = settings
        self.graph_name = graph or settings.graph
        self._server: EmbeddedServer | None = None
        where = settings.falkordb_url or ""
        try:
            if settings.falkordb_url:
                # The client probes the server while it is built (cluster/sentinel checks).
                self._db = FalkorDB.from_url(_connection_url(settings.falkordb_url))
            else:
                self._server = EmbeddedServer(settings.home)
                socket = self._server.acquire()
                # Released at interpreter exit even when close() is forgotten, so the last
                # process still stops the server.
                self._finalizer = weakref.finalize(self, self._server.release)
                where = str(socket)
                self._db = FalkorDB(unix_socket_path=str(socket))
            self._db.connection.ping()
        except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
            self.close()
            raise ServerError(f"cannot reach FalkorDB at {where}: {error}") from None
        self._graph = self._db.select_graph(self.graph_name)
        self._local = threading.local()
        self.ensure_schema()

    def _read(self, query: str, params: dict[str, Any]) -> list[list[Any]]:
        return self._run("GRAPH.RO_QUERY", query, params).rows

    def _write(self, query: str, params: dict[str, Any]) -> Counts:
        reply = self._run("GRAPH.QUERY", query, params)
        return Counts(reply.rows, reply.nodes_created, reply.relationships_created)

    def _run(self, command: str, query: str, params: dict[str, Any]) -> wire.Reply:
        text = wire.with_params(query, params)
        pipe: wire.Pipe | None = getattr(self._local, "pipe", None)
        if pipe is not None:
            # Inside a pipelined write every query of this thread goes down the same
            # connection, behind the ones already sent.
            return pipe.send(command, self.graph_name, text, "--compact")()
        return wire.parse_reply(
            self._db.connection.execute_command(command, self.graph_name, text, "--compact")
        )

    def _prepare(self, query: str, params: dict[str, Any]) -> str:
        return wire.with_params(query, params)

    def _send(self, prepared: Any, *, read: bool = False) -> Callable[[], Counts]:
        command = "GRAPH.RO_QUERY" if read else "GRAPH.QUERY"
        pipe: wire.Pipe | None = getattr(self._local, "pipe", None)
        if pipe is None:
            raw = self._db.connection.execute_command(
                command, self.graph_name, prepared, "--compact"
            )
            done = _counts(wire.parse_reply(raw))
            return lambda: done
        reply = pipe.send(command, self.graph_name, prepared, "--compact")
        return lambda: _counts(reply())

    @contextmanager
    def _pipeline(self) -> Iterator[None]:
        """Queries sent in this scope (by this thread) share one connection and are not
        waited for until their result is asked for: the server works through them while
        Python prepares the next ones. Redis runs one client's commands in order, so a query
        always sees the effects of those sent before it."""
        if getattr(self._local, "pipe", None) is not None:
            yield  # already inside one (nested write)
            return
        pool = self._db.connection.connection_pool
        connection = pool.get_connection()
        pipe = wire.Pipe(connection)
        self._local.pipe = pipe
        try:
            yield
            pipe.drain()
        except BaseException:
            # Replies may be left unread: the connection cannot be reused.
            connection.disconnect()
            raise
        finally:
            self._local.pipe = None
            pool.release(connection)

    def iter_entities(self, batch: int = 10_000) -> Iterator[EntityRecord]:
        for rows in self._id_pages("iter_entities", batch):
            yield from self._entity_records(rows)

    def iter_relations(self, batch: int = 10_000) -> Iterator[RelationRecord]:
        for rows in self._id_pages("iter_relations", batch):
            yield from map(queries.relation_record, rows)

    def graph_columns(self, page: int = 250_000) -> GraphColumns:
        """Every entity and relationship in columns for the analytics projection (see
        `columns`). Entities come in compact replies (their names are text); relationships
        as a few verbose-mode strings of numbers per page of source ids (projection_edges)."""
        started = time.perf_counter()
        version = self.version()
        rows = self._read(self._q("max_node_id"), {})
        top = rows[0][0] if rows and rows[0][0] is not None else -1
        keys: list[int] = []
        records: list[EntityRecord] = []
        entity_query = self._q("projection_entities")
        for lo in range(0, top + 1, page):
            for key, entity_id, name, label, aliases, props_json in self._read(
                entity_query, {"lo": lo, "hi": lo + page}
            ):
                keys.append(key)
                records.append(
                    EntityRecord(
                        id=entity_id,
                        name=name or "",
                        label=label or "",
                        aliases=list(aliases or []),
                        properties=queries.props(props_json),
                    )
                )
        entities_done = time.perf_counter()
        src: list[Any] = []
        dst: list[Any] = []
        types: list[Any] = []
        counts: list[Any] = []
        confidence: list[Any] = []
        years: list[Any] = []
        type_ids: dict[str, int] = {}
        edge_query = self._q("projection_edges")
        for lo in range(0, top + 1, page):
            text = wire.with_params(edge_query, {"lo": lo, "hi": lo + page})
            raw = self._db.connection.execute_command("GRAPH.RO_QUERY", self.graph_name, text)
            if raw and isinstance(raw[-1], redis.ResponseError):
                raise raw[-1]
            a, b, names, count, conf, year = raw[1][0]
            src.append(np.array(json.loads(a), dtype=np.int64))
            dst.append(np.array(json.loads(b), dtype=np.int64))
            # Relationship type names are identifiers: the list splits on ", " safely.
            names_list = names[1:-1].split(", ") if len(names) > 2 else []
            types.append(
                np.array(
                    [type_ids.setdefault(n, len(type_ids)) for n in names_list], dtype=np.int64
                )
            )
            counts.append(np.array(json.loads(count), dtype=np.int64))
            confidence.append(np.array(json.loads(conf), dtype=np.float64))
            years.append(np.array(json.loads(year), dtype=np.int64))
        done = time.perf_counter()

        def joined(parts: list[Any], dtype: Any) -> Any:
            return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

        return GraphColumns(
            version=version,
            keys=np.array(keys, dtype=np.int64),
            records=records,
            src=joined(src, np.int64),
            dst=joined(dst, np.int64),
            type_names=list(type_ids),
            types=joined(types, np.int64),
            counts=joined(counts, np.int64),
            confidence=joined(confidence, np.float64),
            years=joined(years, np.int64),
            seconds={"entities": entities_done - started, "relations": done - entities_done},
        )

    def _id_pages(self, query: str, batch: int) -> Iterator[list[list[Any]]]:
        # Internal id ranges instead of keyset paging on `id` (see the query). Evidence and
        # documents share the id space, so a range of ID_SPAN_FACTOR * batch ids holds
        # about `batch` entities. Nodes created after the first page may be missed, like
        # with any paging over a graph that is being written.
        rows = self._read(self._q("max_node_id"), {})
        top = rows[0][0] if rows and rows[0][0] is not None else -1
        span = max(1, int(batch)) * ID_SPAN_FACTOR
        text = self._q(query)
        for lo in range(0, top + 1, span):
            yield self._read(text, {"lo": lo, "hi": lo + span})

    def ensure_schema(self) -> None:
        for statement in queries.statements("schema", self.dialect):
            try:
                self._graph.query(statement)
            except redis.ResponseError as error:
                # FalkorDB reports an existing index as an error; that is the idempotent case.
                if "already indexed" not in str(error):
                    raise
        for statement in queries.statements("schema_obsolete", self.dialect):
            try:
                self._graph.query(statement)
            except redis.ResponseError as error:
                if "unable to drop index" not in str(error).lower():
                    raise
        self._migrate_layout()

    def clear(self) -> None:
        try:
            self._graph.delete()
        except redis.ResponseError as error:
            if "empty key" not in str(error):
                raise
        self.ensure_schema()
        self._bump_version()

    def drop(self) -> None:
        """Delete this graph (its key) entirely; for tests and `innograph reset`."""
        try:
            self._graph.delete()
        except redis.ResponseError as error:
            if "empty key" not in str(error):
                raise

    def close(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            db.connection.close()
            db.connection.connection_pool.disconnect()
        if self._server is not None:
            self._finalizer()
            self._server = None

    def __enter__(self) -> FalkorStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
