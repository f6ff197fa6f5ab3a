"""The ingest journal: which documents are being written, so that an ingest killed halfway
(kill -9, power cut, OOM) is finished by the next one instead of being taken for done.

Why it is needed: a document's writes are several round trips (document node, entities,
relationships with evidence), and the document node is what "already ingested" is judged
by. A process killed between those round trips leaves a document that looks finished and
is not; without the journal, re-running the same command would skip it for good.

Why the batch itself is kept: identity resolution reads the store, so resolving the batch
again after part of it landed would see its own half-written entities and could decide
differently (say, record a merge under another name key). So the batch is journaled as
resolved, exactly what was about to be written, and a resumed run writes that again.

How it works: each writing process keeps one append-only file
`<data dir>/journal/<graph>/<pid>-<start>-<token>.jsonl`. Before a batch goes to the store
the resolved batch is saved beside it (`....batch-<n>.json`, written to a temporary name,
fsynced and renamed) and `{"writing": [ids], "batch": n}` is appended (flushed and
fsynced); after the store acknowledged the batch, `{"done": [ids]}` is appended and the
batch file removed. A file whose process is gone and that lists documents written but not
done is a crashed writer's: the next ingest into the same graph adopts those documents
(`{"adopted": [ids]}` in its own journal, under a lock, before the dead files go), writes
their saved batch again whole, and only then marks them done. Writes are idempotent MERGEs,
so writing again what did land changes nothing. A clean run removes its own file at the end.

Writers take turns (`Journal.turn`): from "is this document new?" through resolution to the
store's acknowledgement, a batch holds an exclusive `flock` on `<journal dir>/turn.lock`.
Without it two ingests of overlapping folders both find a document new, both resolve it
(differently: each resolver has seen different documents) and both write it, so its evidence
ends up under two relationships. With it the second writer finds the document stored and
drops it, and resolves what is new against everything the first one wrote. Extraction, the
expensive part, stays outside the turn and runs in parallel.

What this guarantees where: the lock lives in the data directory, so it covers every writer
that shares one (`--db`): CLI ingests, `serve` workers, API uploads, on the embedded FalkorDB
as well as on Neo4j or a remote FalkorDB, on one machine (or a shared filesystem with working
`flock`, e.g. NFSv4). Writers with different data directories on different machines against
one Neo4j are not coordinated by it: there every write is still an idempotent MERGE under
Neo4j's uniqueness constraints (no duplicate node, relationship or evidence), but a document
ingested by two of them at the same moment may be resolved twice. A killed writer's lock goes
with its process (the kernel releases it), and the next ingest adopts its journal.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from innograph.errors import StoreUnavailable
from innograph.graph.store.embedded import _pid_alive, _process_start
from innograph.model import Document, Entity, Evidence, Extraction, Label, Relation, RelType

JOURNAL_DIR = "journal"


class JournalError(StoreUnavailable):
    """The journal cannot be written (disk full, data directory read-only): nothing may be
    written to the graph without it, so the ingest stops with this one line."""


_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def journal_dir_for(store: Any) -> Path | None:
    """Where the journal of this store's graph lives: the data directory (which the
    embedded server uses too) + the graph's name; None for a store without settings."""
    settings = getattr(store, "settings", None)
    home = getattr(settings, "home", None)
    if home is None:
        return None
    graph = (
        getattr(store, "graph_name", None)
        or getattr(settings, "neo4j_database", None)
        or getattr(store, "dialect", "graph")
    )
    return Path(home) / JOURNAL_DIR / (_SAFE.sub("_", f"{store.dialect}-{graph}")[:120])


def _read(path: Path) -> tuple[list[str], set[str], dict[str, int]]:
    """(documents written in order, documents done, batch number of each written document)
    of one journal file. A last line cut short by a crash is ignored: its batch was never
    sent (the line is fsynced before the store is written)."""
    writing: dict[str, None] = {}
    done: set[str] = set()
    batch_of: dict[str, int] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return [], set(), {}
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict):
            continue
        for kind in ("adopted", "writing"):
            ids = [str(i) for i in entry.get(kind, [])]
            writing.update(dict.fromkeys(ids))
            number = entry.get("batch")
            if kind == "writing" and isinstance(number, int):
                batch_of.update(dict.fromkeys(ids, number))
        done.update(str(i) for i in entry.get("done", []))
    return list(writing), done, batch_of


class Journal:
    """One writer's journal (created on its first write)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        pid = os.getpid()
        self.path = directory / f"{pid}-{_process_start(pid) or 0}-{uuid.uuid4().hex[:8]}.jsonl"
        self._handle: Any = None
        self._open: set[str] = set()  # written, not yet done
        self._batches = 0

    @property
    def pending(self) -> set[str]:
        return set(self._open)

    def adopt(self) -> tuple[list[Extraction], list[str]]:
        """Take over the unfinished documents of writers that died: (their saved batches, as
        resolved then, in the order they were written; ids of unfinished documents without a
        saved batch). They are pending in this journal from now on."""
        if not self.directory.is_dir():
            return [], []
        adopted: dict[str, None] = {}
        saved: dict[str, Extraction] = {}
        with self._locked():
            dead = [
                path
                for path in sorted(self.directory.glob("*.jsonl"))
                if path != self.path and not _owner_alive(path.name)
            ]
            for path in dead:
                writing, done, batch_of = _read(path)
                unfinished = [i for i in writing if i not in done]
                adopted.update(dict.fromkeys(unfinished))
                for number in sorted({batch_of[i] for i in unfinished if i in batch_of}):
                    for ex in _load_batch(_batch_path(path, number)):
                        if ex.document.id in adopted:
                            saved[ex.document.id] = ex
            # Recorded here before the dead files go, so a crash in between loses nothing.
            if adopted:
                self._append({"adopted": list(adopted)})
                self._open.update(adopted)
                if saved:
                    self._batches += 1
                    _save_batch(self._batch_path(self._batches), list(saved.values()))
                    self._append({"writing": list(saved), "batch": self._batches})
            for path in dead:
                for batch in path.parent.glob(path.stem + ".batch-*.json"):
                    batch.unlink(missing_ok=True)
                path.unlink(missing_ok=True)
        return list(saved.values()), [i for i in adopted if i not in saved]

    def writing(self, batch: list[Extraction]) -> None:
        """Before `batch` (resolved) goes to the store."""
        ids = list(dict.fromkeys(ex.document.id for ex in batch))
        if not ids:
            return
        self._batches += 1
        _save_batch(self._batch_path(self._batches), batch)
        self._append({"writing": ids, "batch": self._batches})
        self._open.update(ids)

    def done(self, ids: Iterable[str]) -> None:
        ids = [i for i in dict.fromkeys(ids) if i in self._open]
        if ids:
            self._append({"done": ids})
            self._open.difference_update(ids)
        if not self._open:
            for batch in self.directory.glob(self.path.stem + ".batch-*.json"):
                batch.unlink(missing_ok=True)

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        """This writer's turn: while it lasts no other writer of the data directory checks,
        resolves or writes documents (see the module docstring). Not re-entrant."""
        with _flocked(self.directory, "turn.lock"):
            yield

    def close(self) -> None:
        """End of a run: nothing pending means nothing to resume, so the file goes."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if not self._open:
            self.path.unlink(missing_ok=True)

    # -- internals ------------------------------------------------------------------------
    def _batch_path(self, number: int) -> Path:
        return _batch_path(self.path, number)

    def _append(self, entry: dict[str, Any]) -> None:
        try:
            if self._handle is None:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._handle = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 (kept open)
            self._handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self._handle.flush()
            os.fsync(self._handle.fileno())
        except OSError as error:
            raise _journal_error(self.directory, error) from None

    def _locked(self) -> contextlib.AbstractContextManager[None]:
        return _flocked(self.directory, ".lock")


@contextlib.contextmanager
def _flocked(directory: Path, name: str) -> Iterator[None]:
    """An exclusive `flock` on `directory/name` (each call opens its own file, so threads of
    one process exclude each other too; a dead process's lock is released by the kernel)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle = open(directory / name, "a+")  # noqa: SIM115 (closed below)
    except OSError as error:
        raise _journal_error(directory, error) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _batch_path(journal: Path, number: int) -> Path:
    return journal.with_name(f"{journal.stem}.batch-{number}.json")


def _save_batch(path: Path, batch: list[Extraction]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump([extraction_to_dict(ex) for ex in batch], handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise _journal_error(path.parent, error) from None


def _journal_error(directory: Path, error: OSError) -> JournalError:
    reason = error.strerror or str(error)
    return JournalError(f"cannot write the ingest journal in {directory}: {reason}")


def _load_batch(path: Path) -> list[Extraction]:
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
        return [extraction_from_dict(item) for item in items]
    except (OSError, ValueError, TypeError, KeyError):
        return []  # unreadable: its documents are finished by extracting them again


# ---- a resolved extraction as JSON (plain data only: the journal is never unpickled) -----


def extraction_to_dict(ex: Extraction) -> dict[str, Any]:
    d = ex.document
    return {
        "document": {
            "id": d.id, "text": d.text, "path": d.path, "title": d.title, "date": d.date,
            "url": d.url, "source": d.source, "lang": d.lang, "traditional": d.traditional,
        },
        "entities": [
            {
                "id": e.id, "name": e.name, "label": e.label.value, "aliases": list(e.aliases),
                "properties": e.properties, "mentions": [list(m) for m in e.mentions],
                "extractor": e.extractor,
            }
            for e in ex.entities
        ],
        "relations": [
            {
                "source": r.source, "target": r.target, "type": r.type.value,
                "properties": r.properties,
                "evidence": [
                    [v.document_id, v.sentence, v.start, v.end, v.extractor, v.confidence]
                    for v in r.evidence
                ],
            }
            for r in ex.relations
        ],
    }  # fmt: skip


def extraction_from_dict(item: dict[str, Any]) -> Extraction:
    d = item["document"]
    document = Document(**{k: str(d.get(k, "")) for k in d if k in Document.__slots__})
    entities = [
        Entity(
            id=str(e["id"]),
            name=str(e["name"]),
            label=Label(e["label"]),
            aliases=[str(a) for a in e.get("aliases", [])],
            properties=dict(e.get("properties", {})),
            mentions=[(str(m[0]), int(m[1]), int(m[2])) for m in e.get("mentions", [])],
            extractor=str(e.get("extractor", "")),
        )
        for e in item["entities"]
    ]
    relations = [
        Relation(
            source=str(r["source"]),
            target=str(r["target"]),
            type=RelType(r["type"]),
            properties=dict(r.get("properties", {})),
            evidence=[
                Evidence(str(v[0]), str(v[1]), int(v[2]), int(v[3]), str(v[4]), float(v[5]))
                for v in r.get("evidence", [])
            ],
        )
        for r in item["relations"]
    ]
    return Extraction(document, entities, relations)


def _owner_alive(name: str) -> bool:
    """Whether the process that writes the journal file `name` still runs (a pid reused by
    another process does not count: the start time is part of the name)."""
    try:
        pid_text, start, _ = name.split("-", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    return _pid_alive(pid) and start in ("0", _process_start(pid))
