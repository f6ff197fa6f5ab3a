"""Ingest benchmark: end-to-end throughput of read -> normalise -> extract -> resolve -> write
into a fresh embedded FalkorDB, against a baseline in the same run.

    python bench/ingest.py [--docs 2000] [--workers 1] [--corpus DIR] [--json]

Prints a table (throughput, per-document latency percentiles, peak memory). The baseline is
the same pipeline writing one document per round trip instead of batches, on a sample of the
corpus, so the table shows what batching buys. With --json the last line is
{"chars_per_s": ..., "docs": ..., "relations_per_s_written": ...}.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import generate  # noqa: E402
from innograph.config import load_settings  # noqa: E402
from innograph.graph.store import open_store  # noqa: E402
from innograph.ingest import service  # noqa: E402
from innograph.ingest.readers import iter_input_files  # noqa: E402
from innograph.ingest.service import Ingestor  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def run_ingest(files: list[Path], home: Path, workers: int, batch_docs: int) -> dict[str, float]:
    service.WRITE_BATCH_DOCS = batch_docs
    store = open_store(load_settings(str(home)))
    try:
        store.ensure_schema()
        stamps: list[float] = []
        started = time.perf_counter()
        report = Ingestor(store, workers=workers).ingest_paths(
            files, progress=lambda n, p: stamps.append(time.perf_counter())
        )
        seconds = time.perf_counter() - started
        rels = store.stats().relations
    finally:
        store.close()
    gaps = [b - a for a, b in zip([started, *stamps], stamps, strict=False)]
    return {
        "docs": report.read,
        "failed": len(report.failed),
        "chars": report.chars,
        "seconds": seconds,
        "chars_per_s": report.chars / seconds if seconds else 0.0,
        "docs_per_s": report.read / seconds if seconds else 0.0,
        "relations": rels,
        "relations_per_s_written": report.relations_added / seconds if seconds else 0.0,
        "p50_ms": statistics.median(gaps) * 1000 if gaps else 0.0,
        "p95_ms": percentile(gaps, 95) * 1000,
        "p99_ms": percentile(gaps, 99) * 1000,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=2000, help="generated documents")
    ap.add_argument("--corpus", type=Path, help="read this folder instead of generating")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--baseline-docs", type=int, default=200)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="innograph-bench-") as tmp:
        root = Path(tmp)
        if args.corpus:
            files = list(iter_input_files([args.corpus]))
        else:
            corpus = root / "corpus"
            corpus.mkdir()
            for name, text in generate(args.docs):
                (corpus / name).write_text(text, encoding="utf-8")
            files = sorted(corpus.iterdir())
        # Warm the extractor (jieba dictionary, lexicons) so both runs measure steady state.
        service.extract(service.prepare(service.read_documents(files[0]).__next__()))
        main_run = run_ingest(files, root / "home-batched", args.workers, batch_docs=200)
        base_files = files[: args.baseline_docs]
        base_run = run_ingest(base_files, root / "home-baseline", 1, batch_docs=1)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rows = [
        ("documents", f"{main_run['docs']:,}", f"{base_run['docs']:,}"),
        ("failed", f"{main_run['failed']}", f"{base_run['failed']}"),
        ("characters", f"{main_run['chars']:,}", f"{base_run['chars']:,}"),
        ("seconds", f"{main_run['seconds']:.2f}", f"{base_run['seconds']:.2f}"),
        ("chars/s", f"{main_run['chars_per_s']:,.0f}", f"{base_run['chars_per_s']:,.0f}"),
        ("docs/s", f"{main_run['docs_per_s']:,.1f}", f"{base_run['docs_per_s']:,.1f}"),
        ("relations in graph", f"{main_run['relations']:,}", f"{base_run['relations']:,}"),
        (
            "relations written/s",
            f"{main_run['relations_per_s_written']:,.0f}",
            f"{base_run['relations_per_s_written']:,.0f}",
        ),
        ("per-doc p50 ms", f"{main_run['p50_ms']:.2f}", f"{base_run['p50_ms']:.2f}"),
        ("per-doc p95 ms", f"{main_run['p95_ms']:.2f}", f"{base_run['p95_ms']:.2f}"),
        ("per-doc p99 ms", f"{main_run['p99_ms']:.2f}", f"{base_run['p99_ms']:.2f}"),
    ]
    print(f"ingest benchmark (workers={args.workers}; peak RSS {peak_mb:,.0f} MB)")
    print(f"{'metric':<22}{'batched (200 docs/write)':>26}{'baseline (1 doc/write)':>26}")
    for name, a, b in rows:
        print(f"{name:<22}{a:>26}{b:>26}")
    if args.json:
        print(
            json.dumps(
                {
                    "chars_per_s": round(main_run["chars_per_s"]),
                    "docs": main_run["docs"],
                    "relations_per_s_written": round(main_run["relations_per_s_written"]),
                    "baseline_chars_per_s": round(base_run["chars_per_s"]),
                    "workers": args.workers,
                    "peak_rss_mb": round(peak_mb),
                }
            )
        )


if __name__ == "__main__":
    main()
