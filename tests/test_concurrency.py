"""Things happening at once, with real processes on one data directory: API queries while a
large ingest writes, two ingests of overlapping folders, and `serve --workers 2` taking the
same uploads from many clients. Nothing is served half-written, nothing is stored twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_api_support import free_port

from bench.corpus import generate
from bench.graph_snapshot import Snapshot, snapshot
from innograph.config import load_settings
from innograph.graph.store import open_store

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "from innograph.cli import app; app()"]

pytestmark = pytest.mark.slow


def _corpus(folder: Path, docs: list[tuple[str, str]]) -> Path:
    folder.mkdir(parents=True)
    for name, text in docs:
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _graph(home: Path) -> Snapshot:
    store = open_store(load_settings(str(home)))
    try:
        return snapshot(store)  # type: ignore[arg-type]
    finally:
        store.close()


def _ingest(home: Path, *folders: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, "--db", str(home), "ingest", *map(str, folders), "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finished(proc: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err[-2000:]
    report: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return report


@contextmanager
def _serve(home: Path, workers: int = 1) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [*CLI, "--db", str(home), "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"serve did not start: {proc.stderr.read() if proc.stderr else ''}"
                )
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(proc.pid, 15)  # SIGTERM: uvicorn stops its workers and the store
        proc.wait(timeout=60)


def _relation_problems(relations: list[dict[str, Any]]) -> list[str]:
    """A relationship must come with evidence that backs its counters."""
    out = []
    for rel in relations:
        evidence = rel.get("evidence") or []
        if rel["evidence_count"] < 1 or not evidence or len(evidence) > rel["evidence_count"]:
            out.append(f"{rel['source']}-{rel['type']}->{rel['target']}: {rel['evidence_count']}")
        elif not {e["document_id"] for e in evidence} <= set(rel["doc_ids"]):
            out.append(f"{rel['source']}-{rel['type']}->{rel['target']}: evidence documents")
    return out


def _one_copy_of_everything(graph: Snapshot, alone: Snapshot) -> None:
    """`graph`, written by several writers at once, against the same input written by one:
    nothing twice (ids, keys, one node per real entity), nothing missing (every document,
    every evidence span), nothing half-written. Which of two merged names survives depends
    on the order documents arrive in, so entity ids and merge records are not compared."""
    assert not graph.duplicates, graph.duplicates
    assert graph.same_name == [], graph.same_name[:5]
    assert graph.unsupported == [], graph.unsupported[:5]
    assert graph.documents.keys() == alone.documents.keys()
    assert graph.evidence_spans() == alone.evidence_spans()


QUERIES = ["复旦大学", "中国科学院", "张江科学城", "清华大学", "中关村论坛", "人工智能", "合肥"]
PAIRS = [("复旦大学", "张江科学城"), ("中国科学院", "清华大学"), ("浙江大学", "中关村科技园")]


def test_queries_stay_correct_during_a_large_ingest(tmp_path: Path) -> None:
    """The bar: 1,000 queries while a 1,000-document ingest writes, zero errors, every
    answer consistent (no relationship without its evidence, counts never going back)."""
    corpus = _corpus(tmp_path / "corpus", generate(1000, seed=11))
    home = tmp_path / "home"
    # The server first, on an empty graph, so the ingest is the writer the whole time.
    with _serve(home) as url:
        ingest = _ingest(home, corpus)
        stop = threading.Event()
        lock = threading.Lock()
        results: Counter[str] = Counter()
        problems: list[str] = []
        during = [0]
        # per client: answers of one client come in order; across clients they need not
        last_stats: dict[int, dict[str, int]] = {
            n: {"documents": 0, "evidence": 0} for n in range(4)
        }

        def check(client: httpx.Client, i: int) -> None:
            kind = ("search", "entity", "paths", "neighbors", "stats")[i % 5]
            q = QUERIES[i % len(QUERIES)]
            try:
                if kind == "stats":
                    r = client.get("/stats")
                    if r.status_code == 200:
                        body = r.json()
                        mine = last_stats[i % 4]
                        for key in mine:
                            if body[key] < mine[key]:
                                problems.append(f"stats went back: {key} {body[key]}")
                            mine[key] = max(mine[key], body[key])
                elif kind == "paths":
                    a, b = PAIRS[i % len(PAIRS)]
                    r = client.get("/paths", params={"source": a, "target": b, "k": 3})
                    if r.status_code == 200:
                        for path in r.json()["paths"]:
                            for hop in path["hops"]:
                                if hop["evidence_count"] < 1 or hop["evidence"] is None:
                                    problems.append(f"hop without evidence: {hop['relation_key']}")
                else:
                    r = client.get("/entities", params={"q": q, "limit": 5})
                    if r.status_code == 200 and kind != "search" and r.json()["items"]:
                        entity_id = r.json()["items"][0]["id"]
                        if kind == "entity":
                            r = client.get(f"/entities/{entity_id}", params={"limit": 50})
                            if r.status_code == 200:
                                problems.extend(_relation_problems(r.json()["relations"]))
                        else:
                            r = client.get(f"/entities/{entity_id}/neighbors")
                # 404: a name the ingest has not reached yet, a true answer
                outcome = "ok" if r.status_code in (200, 404) else f"http {r.status_code}"
            except httpx.HTTPError as error:
                outcome = f"transport {type(error).__name__}"
            with lock:
                results[outcome] += 1
                if ingest.poll() is None:
                    during[0] += 1

        def client_loop(offset: int) -> None:
            with httpx.Client(base_url=url, timeout=60) as client:
                i = offset
                while not stop.is_set():
                    check(client, i)
                    i += 4

        with ThreadPoolExecutor(4) as pool:
            for n in range(4):
                pool.submit(client_loop, n)
            report = _finished(ingest)
            stop.set()
        with httpx.Client(base_url=url, timeout=60) as client:
            final = client.get("/stats").json()
    assert report["read"] == 1000
    errors = {k: v for k, v in results.items() if k != "ok"}
    assert errors == {}, errors
    assert problems == [], problems[:10]
    assert during[0] >= 1000, f"only {during[0]} queries ran while the ingest did"
    assert final["documents"] == 1000


def test_two_overlapping_ingests_at_once_store_one_copy(tmp_path: Path) -> None:
    """Both folders hold the same 200 new documents, in opposite orders and among different
    neighbours, so both ingests find 100 of them new in their first batch at the same moment
    and resolve them in different contexts. Without the writers' turn (`Journal.turn`) both
    write those, and their evidence can land under two relationships."""
    docs = generate(300, seed=5)
    shared = docs[50:250]
    # Files are read in name order and written in batches of WRITE_BATCH_DOCS (200): `a`
    # holds shared[:150] in its first batch, `b` shared[50:] (last to first).
    first = _corpus(tmp_path / "a", _renamed("a", docs[:50] + shared))
    second = _corpus(tmp_path / "b", _renamed("b", docs[250:] + shared[::-1]))
    clean = tmp_path / "clean"
    _finished(_ingest(clean, first, second))
    home = tmp_path / "both"
    runs = [_ingest(home, first), _ingest(home, second)]
    reports = [_finished(run) for run in runs]
    assert sum(r["read"] for r in reports) == 500
    # Each shared document was written by one of the two and found stored by the other.
    assert sum(r["unchanged"] for r in reports) == 200, reports
    together, alone = _graph(home), _graph(clean)
    _one_copy_of_everything(together, alone)


def _renamed(prefix: str, docs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(f"{prefix}{i:04d}.txt", text) for i, (_, text) in enumerate(docs)]


def test_serve_with_two_workers_takes_concurrent_uploads_once(tmp_path: Path) -> None:
    docs = generate(60, seed=9)
    home = tmp_path / "home"
    with _serve(home, workers=2) as url:

        def post(item: tuple[str, str]) -> int:
            name, text = item
            r = httpx.post(f"{url}/documents", json={"text": text, "name": name}, timeout=300)
            return r.status_code

        # Every document three times, from eight clients at once, spread over both workers.
        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(post, docs * 3))
    assert set(codes) <= {200, 201}, Counter(codes)
    served = _graph(home)
    clean = tmp_path / "clean"
    _finished(_ingest(clean, _corpus(tmp_path / "corpus", docs)))
    alone = _graph(clean)
    _one_copy_of_everything(served, alone)
