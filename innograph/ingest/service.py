"""The ingest flow, top to bottom in one place:

    read (readers) -> normalise -> skip unchanged -> extract (spaCy pipeline)
        -> resolve identities across documents -> write in batches (idempotent MERGE)

Reading, normalising and extracting are CPU-bound and pure, so with `workers > 1` they run
in a process pool; resolution and writing stay in this process because they share the
alias table and the store connection. A bad document becomes a `Failure` in the report and
never stops the batch.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from innograph.graph.store import GraphStore, StoreUnavailable
from innograph.ingest.journal import Journal, journal_dir_for
from innograph.ingest.normalize import detect_lang, normalize
from innograph.ingest.readers import RawDocument, iter_input_files, read_bytes, read_documents
from innograph.ingest.resolve import Resolver
from innograph.model import (
    Document,
    Extraction,
    Failure,
    IngestReport,
    WriteResult,
    make_document_id,
)

WRITE_BATCH_DOCS = 200
# Documents extracted together: batching amortises the statistical model's per-call cost
# (measured by bench/ingest.py); larger batches buy little and delay progress updates.
EXTRACT_BATCH_DOCS = 32

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]  # (documents done so far, incl. failed; current path)


@dataclass(slots=True)
class DocumentOutcome:
    document: Document
    extraction: Extraction
    unchanged: bool = False
    written: WriteResult = field(default_factory=WriteResult)


def prepare(raw: RawDocument) -> Document:
    """Normalise a document as read into the form every later stage works on."""
    norm = normalize(raw.text)
    return Document(
        id=make_document_id(norm.text),
        text=norm.text,
        path=raw.path,
        title=normalize(raw.title).text if raw.title else "",
        date=raw.date,
        url=raw.url,
        source=raw.source,
        lang=detect_lang(norm.text),
        traditional=norm.traditional if norm.changed_script else "",
    )


def extract(document: Document, stat_ner: bool | None = None) -> Extraction:
    """`stat_ner`: the settings' choice (None: the statistical NER model when installed)."""
    from innograph.ingest.pipeline import get_extractor

    return get_extractor(stat_ner).extract(document)


def _read_file(path: str) -> list[Document | Failure]:
    """Read and normalise one file (a jsonl feed gives several documents)."""
    out: list[Document | Failure] = []
    for item in read_documents(Path(path)):
        if isinstance(item, Failure):
            out.append(item)
            continue
        try:
            out.append(prepare(item))
        except Exception as exc:  # one bad document never aborts the batch
            out.append(Failure(item.path, f"normalisation failed: {type(exc).__name__}: {exc}"))
    return out


def _extract_safely(document: Document, stat_ner: bool | None = None) -> Extraction | Failure:
    """Extract one document (runs in a worker process when workers > 1)."""
    try:
        return extract(document, stat_ner)
    except Exception as exc:  # one bad document never aborts the batch
        return Failure(document.path, f"extraction failed: {type(exc).__name__}: {exc}")


def _extract_batch_safely(
    documents: list[Document], stat_ner: bool | None = None
) -> list[Extraction | Failure]:
    """Extract documents in one batched pipeline run (the statistical model is several times
    cheaper per character that way); if the batch fails, document by document, so that the
    failure is pinned on the document that caused it."""
    from innograph.ingest.pipeline import get_extractor

    try:
        return list(get_extractor(stat_ner).extract_many(documents))
    except Exception:
        return [_extract_safely(d, stat_ner) for d in documents]


class Ingestor:
    """`stat_ner` is the settings' choice (`Settings.stat_ner`); worker processes get it
    passed, not from the environment."""

    def __init__(self, store: GraphStore, workers: int = 1, stat_ner: bool | None = None) -> None:
        self.store = store
        self.workers = max(1, workers)
        self.stat_ner = stat_ner
        self.resolver = Resolver(store)
        self._done = 0  # documents extracted so far, for progress
        directory = journal_dir_for(store)
        self.journal = Journal(directory) if directory is not None else None
        # Documents a crashed writer left half-written: written again, never skipped as known.
        self._unfinished: set[str] = set()
        self._adopted = False

    def _adopt(self, report: IngestReport) -> None:
        """Once per ingestor: finish what writers that died left half-written. Their saved
        batches are written again exactly as they were resolved then; documents without one
        are extracted again (from the input when this run reads them, else from the text
        the store keeps)."""
        if self._adopted or self.journal is None:
            return
        self._adopted = True
        with self._turn():
            saved, unsaved = self.journal.adopt()
            self._unfinished.update(unsaved)
            if saved:
                written = self.store.write(saved)
                self._count(written, report)
                self._finish([ex.document.id for ex in saved])
                report.resumed.extend(ex.document.path or ex.document.id for ex in saved)
                # What this ingestor's resolver cached may predate those writes.
                self.resolver = Resolver(self.store)

    @contextlib.contextmanager
    def _turn(self) -> Iterator[None]:
        """Check, resolve and write only in this writer's turn (`Journal.turn`): two ingests
        at once never both take one new document."""
        if self.journal is None:
            yield
            return
        with self.journal.turn():
            yield

    # -- files and folders (CLI) ----------------------------------------------------------
    def ingest_paths(
        self, paths: Sequence[str | Path], progress: Progress | None = None
    ) -> IngestReport:
        """Documents go through in chunks: read and normalise (cheap), drop the ones the
        store already has (so re-ingesting skips extraction), extract the rest (in parallel
        when workers > 1), then resolve and write the chunk in one batch."""
        started = time.perf_counter()
        report = IngestReport()
        files = [str(p) for p in iter_input_files(paths)]
        self._adopt(report)
        pool = ProcessPoolExecutor(max_workers=self.workers) if self.workers > 1 else None
        try:
            for chunk in _chunks(self._read(files, report), WRITE_BATCH_DOCS):
                fresh = self._drop_known(chunk, report)
                extractions = self._extract(fresh, pool, report, progress)
                self._write(extractions, report)
            # Unfinished documents of a crashed run that this run was not given: extracted
            # again from the text the store keeps.
            self._resume_stored(report)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
            if self.journal is not None:
                self.journal.close()
        report.seconds = time.perf_counter() - started
        return report

    def _resume_stored(self, report: IngestReport) -> None:
        if not self._unfinished:
            return
        ids = sorted(self._unfinished)
        stored = {d.id: d for d in self.store.document_texts(ids)}
        # Not in the store at all: the crash came before its first write, so nothing of it
        # landed; an ingest that is given its file will write it.
        self._finish([i for i in ids if i not in stored])
        extractions: list[Extraction] = []
        for document in stored.values():
            result = _extract_safely(document, self.stat_ner)
            if isinstance(result, Failure):
                report.failed.append(result)
                self._finish([document.id])
            else:
                extractions.append(result)
        self._write(extractions, report)
        report.resumed.extend(ex.document.path or ex.document.id for ex in extractions)

    def _finish(self, ids: list[str]) -> None:
        self._unfinished.difference_update(ids)
        if self.journal is not None:
            self.journal.done(ids)

    def _read(self, files: list[str], report: IngestReport) -> Iterator[Document]:
        for path in files:
            for item in _read_file(path):
                if isinstance(item, Failure):
                    report.failed.append(item)
                else:
                    report.read += 1  # unchanged documents count as read, too
                    report.chars += len(item.text)
                    yield item

    def _drop_known(self, chunk: list[Document], report: IngestReport) -> list[Document]:
        # Two files with the same content are one document.
        unique = list({d.id: d for d in chunk}.values())
        known = self.store.has_documents([d.id for d in unique])
        fresh = [d for d in unique if d.id not in known or d.id in self._unfinished]
        report.resumed.extend(d.path for d in fresh if d.id in self._unfinished and d.id in known)
        report.unchanged += len(chunk) - len(fresh)
        self._done += len(chunk) - len(fresh)
        return fresh

    def _extract(
        self,
        documents: list[Document],
        pool: ProcessPoolExecutor | None,
        report: IngestReport,
        progress: Progress | None,
    ) -> list[Extraction]:
        size = EXTRACT_BATCH_DOCS
        if pool is not None and len(documents) > 1:
            size = max(1, min(size, len(documents) // self.workers))
        batches = [documents[i : i + size] for i in range(0, len(documents), size)]
        run = functools.partial(_extract_batch_safely, stat_ner=self.stat_ner)
        if pool is None or len(batches) < 2:
            results: Iterable[list[Extraction | Failure]] = map(run, batches)
        else:
            results = pool.map(run, batches)
        out: list[Extraction] = []
        for batch, batch_results in zip(batches, results, strict=True):
            for doc, result in zip(batch, batch_results, strict=True):
                if isinstance(result, Failure):
                    report.failed.append(result)
                    report.read -= 1
                    report.chars -= len(doc.text)
                else:
                    out.append(result)
                self._done += 1
                if progress:
                    progress(self._done, doc.path)
        return out

    def _write(self, extractions: list[Extraction], report: IngestReport) -> None:
        if not extractions:
            return
        with self._turn():
            self._write_in_turn(self._still_new(extractions, report), report)

    def _still_new(self, extractions: list[Extraction], report: IngestReport) -> list[Extraction]:
        """Drop documents another writer stored since `_drop_known` looked (checked again in
        this writer's turn, so nobody can be halfway through them)."""
        if self.journal is None:
            return extractions
        known = self.store.has_documents([ex.document.id for ex in extractions])
        keep = [ex for ex in extractions if ex.document.id not in known - self._unfinished]
        report.unchanged += len(extractions) - len(keep)
        return keep

    def _write_in_turn(self, extractions: list[Extraction], report: IngestReport) -> None:
        if not extractions:
            return
        try:
            resolved = self.resolver.resolve(extractions)
        except StoreUnavailable:
            raise
        except Exception:
            # Not fatal (each document is resolved and written alone below), but a batch
            # resolution failing is a bug worth seeing.
            log.warning(
                "resolving a batch of %d documents failed; resolving them one by one",
                len(extractions),
                exc_info=True,
            )
            resolved = []
        if resolved and self._write_batch(resolved, report, raise_errors=False):
            return
        # The batch failed as a whole: write document by document so that one bad
        # document is reported and the others still land.
        for ex in extractions:
            try:
                self._write_batch(self.resolver.resolve([ex]), report, raise_errors=True)
            except StoreUnavailable:
                raise  # the store is gone or cannot write: no document would fare better
            except Exception as exc:
                report.failed.append(
                    Failure(ex.document.path, f"write failed: {type(exc).__name__}: {exc}")
                )
                report.read -= 1
                report.chars -= len(ex.document.text)
                # Whatever part of it landed goes, so that it is not taken for ingested.
                with contextlib.suppress(Exception):
                    self.store.delete_document(ex.document.id)
                self._finish([ex.document.id])

    def _write_batch(
        self, extractions: list[Extraction], report: IngestReport, raise_errors: bool
    ) -> bool:
        try:
            written = self._journaled_write(extractions)
        except StoreUnavailable:
            raise
        except Exception:
            if raise_errors:
                raise
            return False
        self._count(written, report)
        return True

    def _journaled_write(self, resolved: list[Extraction]) -> WriteResult:
        """Write a resolved batch; from the journal entry until `done`, a crash leaves it
        to the next ingest to write again, exactly as resolved here."""
        if self.journal is not None:
            self.journal.writing(resolved)
        written = self.store.write(resolved)
        self._finish([ex.document.id for ex in resolved])
        return written

    @staticmethod
    def _count(written: WriteResult, report: IngestReport) -> None:
        report.entities_added += written.entities_created
        report.relations_added += written.relations_created
        report.evidence_added += written.evidence_added

    # -- single documents (API uploads) ---------------------------------------------------
    def ingest_raw(self, raw: RawDocument) -> DocumentOutcome:
        if not self._adopted:
            # A writer died halfway (a killed server process, a killed CLI ingest): finish
            # its documents before taking new ones.
            self._adopt(IngestReport())
            self._resume_stored(IngestReport())
        document = prepare(raw)
        extraction = extract(document, self.stat_ner)
        with self._turn():
            if self.store.has_documents([document.id]) and document.id not in self._unfinished:
                return DocumentOutcome(document, extraction, unchanged=True)
            resolved = self.resolver.resolve([extraction])[0]
            written = self._journaled_write([resolved])
        return DocumentOutcome(document, resolved, unchanged=False, written=written)

    def ingest_text(self, text: str, name: str = "upload.txt", **meta: str) -> DocumentOutcome:
        raw = RawDocument(
            path=name,
            text=text,
            title=meta.get("title", ""),
            date=meta.get("date", ""),
            url=meta.get("url", ""),
            source=meta.get("source", ""),
            encoding="utf-8",
        )
        return self.ingest_raw(raw)

    def ingest_bytes(self, data: bytes, name: str, **meta: str) -> list[DocumentOutcome | Failure]:
        out: list[DocumentOutcome | Failure] = []
        for item in read_bytes(data, name):
            if isinstance(item, Failure):
                out.append(item)
                continue
            for key in ("title", "date", "url", "source"):
                if meta.get(key):
                    setattr(item, key, meta[key])
            try:
                out.append(self.ingest_raw(item))
            except Exception as exc:
                out.append(Failure(item.path, f"ingest failed: {type(exc).__name__}: {exc}"))
        return out

    # -- stored documents again (unmerge) -----------------------------------------------
    def replace(self, extractions: Sequence[Extraction]) -> list[Extraction]:
        """Replace what stored documents contributed with these fresh extractions of them,
        resolved anew: used after a keep-apart decision, so the resolver applies it. Each
        document is deleted and rewritten in turn, so a failure leaves at most one document
        to ingest again. Returns the resolved extractions as written."""
        # Names and merges cached by earlier runs may predate the decision: start afresh.
        self.resolver = Resolver(self.store)
        out: list[Extraction] = []
        for ex in extractions:
            with self._turn():
                self.store.delete_document(ex.document.id)
                resolved = self.resolver.resolve([ex])
                self.store.write(resolved)
            out.extend(resolved)
        return out


def extract_paths(
    paths: Iterable[str | Path], stat_ner: bool | None = None
) -> Iterator[tuple[str, Extraction | Failure]]:
    """Extraction without writing (`innograph extract`): (path, result) per document."""
    for path in iter_input_files(list(paths)):
        for item in _read_file(str(path)):
            result = item if isinstance(item, Failure) else _extract_safely(item, stat_ner)
            yield item.path, result


def _chunks(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def default_workers() -> int:
    return max(1, (os.cpu_count() or 1))
