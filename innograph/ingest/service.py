"""The ingest flow, top to bottom in one place:

    read (readers) -> normalise -> skip unchanged -> extract (spaCy pipeline)
        -> resolve identities across documents -> write in batches (idempotent MERGE)

Reading, normalising and extracting are CPU-bound and pure, so with `workers > 1` they run
in a process pool; resolution and writing stay in this process because they share the
alias table and the store connection. A bad document becomes a `Failure` in the report and
never stops the batch.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from innograph.graph.store import GraphStore
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

Progress = Callable[[int, str], None]  # (documents done so far, current path)


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


def extract(document: Document) -> Extraction:
    from innograph.ingest.pipeline import get_extractor

    return get_extractor().extract(document)


def _process_file(path: str) -> list[Extraction | Failure]:
    """Read, normalise and extract one file (runs in a worker process when workers > 1)."""
    out: list[Extraction | Failure] = []
    for item in read_documents(Path(path)):
        if isinstance(item, Failure):
            out.append(item)
            continue
        try:
            out.append(extract(prepare(item)))
        except Exception as exc:  # one bad document never aborts the batch
            out.append(Failure(item.path, f"extraction failed: {type(exc).__name__}: {exc}"))
    return out


class Ingestor:
    def __init__(self, store: GraphStore, workers: int = 1) -> None:
        self.store = store
        self.workers = max(1, workers)
        self.resolver = Resolver(store)

    # -- files and folders (CLI) ----------------------------------------------------------
    def ingest_paths(
        self, paths: Sequence[str | Path], progress: Progress | None = None
    ) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        files = [str(p) for p in iter_input_files(paths)]
        pending: list[Extraction] = []
        done = 0
        for path, items in self._process(files):
            for item in items:
                if isinstance(item, Failure):
                    report.failed.append(item)
                    continue
                report.read += 1
                report.chars += len(item.document.text)
                pending.append(item)
            done += 1
            if progress:
                progress(done, path)
            if len(pending) >= WRITE_BATCH_DOCS:
                self._flush(pending, report)
                pending = []
        self._flush(pending, report)
        report.seconds = time.perf_counter() - started
        return report

    def _process(self, files: list[str]) -> Iterator[tuple[str, list[Extraction | Failure]]]:
        if self.workers == 1 or len(files) < 2:
            for path in files:
                yield path, _process_file(path)
            return
        with ProcessPoolExecutor(max_workers=self.workers) as pool:
            chunk = max(1, min(32, len(files) // (self.workers * 4)))
            yield from zip(files, pool.map(_process_file, files, chunksize=chunk), strict=True)

    def _flush(self, pending: list[Extraction], report: IngestReport) -> None:
        if not pending:
            return
        # Two files with the same content are one document.
        unique = list({ex.document.id: ex for ex in pending}.values())
        report.unchanged += len(pending) - len(unique)
        known = self.store.has_documents([ex.document.id for ex in unique])
        fresh = [ex for ex in unique if ex.document.id not in known]
        report.unchanged += len(unique) - len(fresh)
        if not fresh:
            return
        written = self.store.write(self.resolver.resolve(fresh))
        report.entities_added += written.entities_created
        report.relations_added += written.relations_created
        report.evidence_added += written.evidence_added

    # -- single documents (API uploads) ---------------------------------------------------
    def ingest_raw(self, raw: RawDocument) -> DocumentOutcome:
        document = prepare(raw)
        extraction = extract(document)
        if self.store.has_documents([document.id]):
            return DocumentOutcome(document, extraction, unchanged=True)
        resolved = self.resolver.resolve([extraction])[0]
        written = self.store.write([resolved])
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


def extract_paths(paths: Iterable[str | Path]) -> Iterator[tuple[str, Extraction | Failure]]:
    """Extraction without writing (`innograph extract`): (path, result) per document."""
    for path in iter_input_files(list(paths)):
        for item in _process_file(str(path)):
            yield (item.path if isinstance(item, Failure) else item.document.path), item


def default_workers() -> int:
    return max(1, (os.cpu_count() or 1))
