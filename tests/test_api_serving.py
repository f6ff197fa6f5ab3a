"""Serving under load: how stale a server process's in-memory graph may be, that writes made
through the API are seen at once, the background refresher, the bigram table built once
under concurrency, and `run(..., workers=2)` really serving."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import Graphs
from test_api_support import YUNFAN, ZHANG, fixture_extraction, free_port, serve

import innograph.graph.analytics.lookup as lookup_module
from innograph.api.limits import Limits
from innograph.config import Settings
from innograph.graph.analytics.lookup import LookupIndex
from innograph.graph.analytics.projection import Projection
from innograph.graph.service import GraphService
from innograph.model import (
    Document,
    Entity,
    EntityRecord,
    Evidence,
    Extraction,
    Label,
    Relation,
    RelType,
    make_document_id,
    make_entity_id,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def loaded(graphs: Graphs, backend: str) -> Iterator[tuple[Settings, Any]]:
    with graphs.open(backend) as (settings, store):
        store.write([fixture_extraction()])
        yield settings, store


def _newcomer(name: str) -> tuple[Entity, Extraction]:
    """A firm that founded 云帆科技, in a document of its own."""
    firm = Entity(make_entity_id(Label.FIRM, name), name, Label.FIRM)
    sentence = f"{name}投资了云帆科技。"
    doc = Document(id=make_document_id(sentence), text=sentence, path=f"{name}.txt")
    ev = Evidence(doc.id, sentence, 0, len(sentence), "test.serving", 0.9)
    rel = Relation(firm.id, YUNFAN.id, RelType.INVESTS_IN, [ev])
    return firm, Extraction(doc, [firm, YUNFAN], [rel])


def test_version_is_trusted_for_the_staleness_bound(
    loaded: tuple[Settings, Any],
) -> None:
    _, store = loaded
    service = GraphService(store, version_ttl=3600)
    before = service.projection()
    firm, extraction = _newcomer("远景资本")
    store.write([extraction])
    assert service.projection() is before  # within the bound: no version round trip
    assert firm.id not in before.index
    version = before.version
    service.invalidate()
    after = service.projection()
    # Caught up in place from the store's change records, not reloaded.
    assert after.version != version and firm.id in after.index
    assert service.lookup("远景资本").match is not None


def test_api_writes_are_seen_at_once_other_writes_within_the_bound(
    loaded: tuple[Settings, Any],
) -> None:
    settings, store = loaded
    with (
        serve(settings, store, Limits(staleness=3600)) as live,
        httpx.Client(base_url=live.url, timeout=30) as c,
    ):
        assert c.get("/paths", params={"source": ZHANG.id, "target": YUNFAN.id}).status_code == 200
        # A write behind the server's back stays invisible for the (here: huge) bound...
        _, extraction = _newcomer("远景资本")
        store.write([extraction])
        newcomer = {"source": "远景资本", "target": YUNFAN.id}
        assert c.get("/paths", params=newcomer).status_code == 404
        # ...while a write through the API invalidates at once, and with it the other one.
        doc_id = fixture_extraction().document.id
        assert c.delete(f"/documents/{doc_id}").json()["deleted"] is True
        resp = c.get("/paths", params={"source": ZHANG.id, "target": YUNFAN.id})
        assert resp.status_code == 404, resp.text
        assert c.get("/paths", params=newcomer).json()["paths"][0]["length"] == 1


def test_warm_server_refreshes_in_the_background(loaded: tuple[Settings, Any]) -> None:
    settings, store = loaded
    frozen_before = gc.get_freeze_count()
    try:
        with (
            serve(settings, store, Limits(staleness=0.2), warm=True) as live,
            httpx.Client(base_url=live.url, timeout=30) as c,
        ):
            # Built at start-up, and moved out of the collector's way.
            assert gc.get_freeze_count() > frozen_before
            # The name index is built right after start-up, in the background, with no
            # request asking for it (requests by id do not wait for it).
            service = live.server.config.app.state.api.service()
            deadline = time.monotonic() + 10
            while service._index is None:
                assert time.monotonic() < deadline, "the name index was never built"
                time.sleep(0.02)
            assert c.get("/entities", params={"q": "张明远"}).json()["items"][0]["id"] == ZHANG.id
            _, extraction = _newcomer("远景资本")
            store.write([extraction])
            newcomer = {"source": "远景资本", "target": YUNFAN.id}
            deadline = time.monotonic() + 10
            while c.get("/paths", params=newcomer).status_code != 200:
                assert time.monotonic() < deadline, "the refresher never picked the write up"
                time.sleep(0.05)
    finally:
        gc.unfreeze()


def test_bigram_table_is_built_once_by_concurrent_queries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records = [
        EntityRecord(f"e{i}", f"星海{i}号量子研究所", Label.INSTITUTE.value) for i in range(300)
    ]
    index = LookupIndex(Projection.build(records, []))
    calls: list[str] = []
    real = lookup_module._bigrams

    def slow_bigrams(key: str) -> set[str]:
        calls.append(key)
        time.sleep(0.0001)  # widen the window in which a racing build would start twice
        return real(key)

    monkeypatch.setattr(lookup_module, "_bigrams", slow_bigrams)
    threads = 8
    barrier = threading.Barrier(threads)
    results: list[object] = []

    def query() -> None:
        barrier.wait()
        results.append(index.lookup("星海7号量子研究院", 5))

    pool = [threading.Thread(target=query) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert len(results) == threads and all(r == results[0] for r in results)
    # One build over all keys, plus each query's own bigrams (prefix + fuzzy).
    assert sum(1 for k in calls if k.startswith("星海") and "研究所" in k) == len(index.keys)


def test_settings_survive_the_trip_to_worker_processes(tmp_path: Path) -> None:
    settings = Settings(
        backend="falkordb",
        home=tmp_path / "db",
        graph="g",
        api_key="k",
        cors_origins=["http://localhost:3000"],
        stat_ner=False,
        limits=Limits(max_k=4, staleness=0.5),
    )
    assert Settings.decode(settings.encode()) == settings


def test_limits_staleness_from_env() -> None:
    assert Limits.from_env({"INNOGRAPH_API_STALENESS": "0.25"}).staleness == 0.25
    assert Limits.from_env({}).staleness == 1.0
    with pytest.raises(ValueError):
        Limits.from_env({"INNOGRAPH_API_STALENESS": "soon"})


def test_two_workers_serve(loaded: tuple[Settings, Any]) -> None:
    settings, _ = loaded
    port = free_port()
    launch = (
        "import sys; from innograph.api.server import run; from innograph.config import Settings; "
        "run(Settings.decode(sys.argv[1]), '127.0.0.1', int(sys.argv[2]), workers=2)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("INNOGRAPH_")}
    proc = subprocess.Popen(
        [sys.executable, "-c", launch, settings.encode(), str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, "server exited"
            assert time.monotonic() < deadline, "server did not start"
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=30) as c:
            for _ in range(8):  # fresh connections, so both workers are likely asked
                resp = c.get("/paths", params={"source": "张明远", "target": "云帆科技"})
                assert resp.status_code == 200, resp.text
                assert resp.json()["paths"][0]["hops"]
                c.headers["Connection"] = "close"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
