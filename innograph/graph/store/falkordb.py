"""The FalkorDB store: the private embedded server of the data directory (the default), or an
existing server, over FalkorDB's redis protocol."""

from __future__ import annotations

import fcntl
import json
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import numpy as np
import redis
from falkordb import FalkorDB

from innograph.config import Settings
from innograph.errors import StoreUnavailable
from innograph.graph.store import falkordb_wire as wire
from innograph.graph.store import queries
from innograph.graph.store.columns import GraphColumns
from innograph.graph.store.cypher_store import ID_SPAN_FACTOR, Counts, CypherStore
from innograph.graph.store.embedded import EmbeddedServer, ServerError
from innograph.model import EntityRecord, Extraction, RelationRecord, RelType, WriteResult

# Separators of the text columns of projection_entities: control characters no name holds
# (a page where one does is read again cell by cell).
COLUMN_SEP = "\x1f"
ALIAS_SEP = "\x1e"
# Concurrent readers of graph_columns (FalkorDB runs reads on a thread per core).
COLUMN_READERS = 2


def _counts(reply: wire.Reply) -> Counts:
    return Counts(reply.rows, reply.nodes_created, reply.relationships_created)


def _connection_url(url: str) -> str:
    for scheme in ("falkordb://", "falkor://"):
        if url.startswith(scheme):
            return "redis://" + url[len(scheme) :]
    if url.startswith("falkors://"):
        return "rediss://" + url[len("falkors://") :]
    return url


def _one_line(error: object) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _where(settings: Settings) -> str:
    return settings.falkordb_url or f"data directory {settings.home}"


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
            raise ServerError(f"cannot reach FalkorDB at {where}: {_one_line(error)}") from None
        except ServerError:
            self.close()
            raise
        self._graph = self._db.select_graph(self.graph_name)
        self._local = threading.local()
        # Internal node ids of entities this store wrote or saw written (see
        # CypherStore._node_ids and cypher/falkordb/create_relations_by_id).
        self._node_ids = {}
        self._entities_written = {}
        self.ensure_schema()

    def write(self, extractions: Sequence[Extraction], now: str | None = None) -> WriteResult:
        # FalkorDB runs a write query on a snapshot and commits it under the graph's lock, so
        # two clients' MERGEs of one relationship can both miss it and both create it (two
        # ingests at once made 31 duplicate relationships in tests/test_concurrency.py).
        # Writers of the embedded server's data directory take turns for a whole batch.
        if self._server is None:
            return super().write(extractions, now)
        try:
            handle = open(self.settings.home / "write.lock", "a+")  # noqa: SIM115 (closed below)
        except OSError as error:
            raise ServerError(
                f"cannot use the data directory {self.settings.home}: {error.strerror or error}"
            ) from None
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                try:
                    return super().write(extractions, now)
                except (redis.ConnectionError, OSError):
                    # The server died under a (pipelined) write: start it again from its AOF
                    # and write the batch again; every write is an idempotent MERGE.
                    self._server.revive()
                    return super().write(extractions, now)
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

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
        try:
            return self._execute(command, text)
        except (redis.ConnectionError, OSError) as error:
            if self._server is None:
                raise StoreUnavailable(f"lost the FalkorDB server: {_one_line(error)}") from None
        # The embedded server died (crashed, killed, OOM): start it again from its append-only
        # file and send the query once more. Every write is an idempotent MERGE, so a query
        # that did run before the server died changes nothing the second time.
        try:
            self._server.revive()
            return self._execute(command, text)
        except (redis.ConnectionError, OSError) as error:
            raise ServerError(
                f"the FalkorDB server in {self.settings.home} died and could not be restarted:"
                f" {_one_line(error)}"
            ) from None

    def _execute(self, command: str, text: str) -> wire.Reply:
        try:
            reply = self._db.connection.execute_command(command, self.graph_name, text, "--compact")
        except redis.ResponseError as error:
            # Errors that are the database's state, not the query's: no point trying the
            # next document.
            message = str(error)
            if message.startswith(("MISCONF", "READONLY", "OOM")):
                raise StoreUnavailable(
                    f"FalkorDB cannot write ({_where(self.settings)}): {_one_line(message)}"
                ) from None
            raise
        return wire.parse_reply(reply)

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

    def graph_columns(self, page: int = 500_000) -> GraphColumns:
        """Every entity and relationship in columns for the analytics projection (see
        `columns`): each page of internal ids is one query per relationship type returning
        a few verbose-mode strings (projection_entities, projection_edges). Queries run on
        two connections at once: FalkorDB answers reads on several threads."""
        started = time.perf_counter()
        version = self.version()
        rows = self._read(self._q("max_node_id"), {})
        top = rows[0][0] if rows and rows[0][0] is not None else -1
        pages = [(lo, lo + page) for lo in range(0, top + 1, page)]
        entity_query = self._q("projection_entities")
        tasks = [(rel_type, lo, hi) for rel_type in RelType for lo, hi in pages]
        with ThreadPoolExecutor(max_workers=COLUMN_READERS) as pool:
            # All queued at once: one reader decodes entity pages (Python) while the
            # server answers the other's relationship queries.
            entity_futures = [pool.submit(self._entity_columns, entity_query, *p) for p in pages]
            edge_futures = [pool.submit(self._edge_columns, *task) for task in tasks]
            entity_pages = [future.result() for future in entity_futures]
            entities_done = time.perf_counter()
            edge_pages = [future.result() for future in edge_futures]
        done = time.perf_counter()
        keys = [key for page_keys, _ in entity_pages for key in page_keys]
        records = [record for _, page_records in entity_pages for record in page_records]
        type_names = [rel_type.value for rel_type in RelType]

        def joined(index: int, dtype: Any) -> Any:
            parts = [columns[index] for columns in edge_pages]
            return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

        types = [
            np.full(len(columns[0]), type_names.index(rel_type.value), dtype=np.int64)
            for (rel_type, _, _), columns in zip(tasks, edge_pages, strict=True)
        ]
        return GraphColumns(
            version=version,
            keys=np.array(keys, dtype=np.int64),
            records=records,
            src=joined(0, np.int64),
            dst=joined(1, np.int64),
            type_names=type_names,
            types=np.concatenate(types) if types else np.zeros(0, dtype=np.int64),
            counts=joined(2, np.int64),
            confidence=joined(3, np.float64),
            years=joined(4, np.int64),
            seconds={"entities": entities_done - started, "relations": done - entities_done},
        )

    def _verbose_row(self, query: str, params: dict[str, Any]) -> list[Any]:
        text = wire.with_params(query, params)
        raw = self._db.connection.execute_command("GRAPH.RO_QUERY", self.graph_name, text)
        if raw and isinstance(raw[-1], redis.ResponseError):
            raise raw[-1]
        return list(raw[1][0])

    def _entity_columns(self, query: str, lo: int, hi: int) -> tuple[list[int], list[EntityRecord]]:
        params = {"lo": lo, "hi": hi, "sep": COLUMN_SEP, "inner": ALIAS_SEP}
        ids_text, *texts = self._verbose_row(query, params)
        keys: list[int] = json.loads(ids_text)
        columns = [text.split(COLUMN_SEP) if keys else [] for text in texts]
        if any(len(column) != len(keys) for column in columns):
            # A value holding the separator: this page again, one cell per value.
            rows = self._read(self._q("projection_entity_rows"), {"lo": lo, "hi": hi})
            return [row[0] for row in rows], [queries.entity_record(row[1:]) for row in rows]
        ids, names, labels, aliases, props = columns
        return keys, [
            EntityRecord(
                id=entity_id,
                name=name,
                label=label,
                aliases=alias.split(ALIAS_SEP) if alias else [],
                properties=queries.props(props_json),
            )
            for entity_id, name, label, alias, props_json in zip(
                ids, names, labels, aliases, props, strict=True
            )
        ]

    def _edge_columns(self, rel_type: RelType, lo: int, hi: int) -> list[Any]:
        query = queries.render("projection_edges", self.dialect, rel_type=rel_type)
        texts = self._verbose_row(query, {"lo": lo, "hi": hi})
        kinds = (np.int64, np.int64, np.int64, np.float64, np.int64)
        return [
            np.array(json.loads(text), dtype=kind) for text, kind in zip(texts, kinds, strict=True)
        ]

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
        self._node_ids = {}
        self._entities_written = {}
        try:
            self._graph.delete()
        except redis.ResponseError as error:
            if "empty key" not in str(error):
                raise
        self.ensure_schema()
        self._bump_version()

    def drop(self) -> None:
        """Delete this graph (its key) entirely; for tests and `innograph reset`."""
        self._node_ids = {}
        self._entities_written = {}
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
            finalizer = getattr(self, "_finalizer", None)
            if finalizer is not None:  # absent when acquiring the server failed
                finalizer()
            self._server = None

    def __enter__(self) -> FalkorStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
