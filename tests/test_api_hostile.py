"""Hostile clients against the live API and the CLI: Cypher fragments, quotes, backslashes,
NUL and control characters, right-to-left marks, megabyte strings, deeply nested JSON,
oversized and trickled bodies. Every answer is a clean 4xx or an empty/ordinary result, no
5xx, and the graph is the same afterwards."""

from __future__ import annotations

import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from conftest import Graphs
from test_api_support import ZHANG, fixture_extraction, serve

from bench.graph_snapshot import Snapshot, snapshot
from innograph.api.limits import Limits

KEY = "hostile-test-key"
ROOT = Path(__file__).resolve().parent.parent

HOSTILE = [
    "') DETACH DELETE n //",
    "MATCH (n) DETACH DELETE n",
    "x'}) MATCH (m) DETACH DELETE m RETURN 1 //",
    "' OR 1=1 --",
    '"',
    "'",
    "\\",
    "\\'",
    "`Entity`",
    "{{LABEL}}",
    "$rows",
    "a\x00b",
    "\x00",
    "\x01\x02\x1b[31m\x7f",
    "\u202e云帆科技",
    "\u200f\u200e\u2066",
    "云帆科技\u202e",
    "\ufeff",
    "%00",
    "../../etc/passwd",
    "𠀀" * 50,
    "张明远" * 66,
]
# Clean answers: a result, nothing found, refused, too large, overloaded. Never a 5xx other
# than 503 (a capped expensive query).
ALLOWED = {200, 201, 400, 401, 403, 404, 409, 413, 414, 422, 429, 431, 503}


@pytest.fixture(scope="module")
def live(graphs: Graphs, module_backend: str) -> Iterator[tuple[str, Any]]:
    """The API over a small graph, on each engine in turn."""
    with graphs.open(module_backend, api_key=KEY) as (config, store):
        store.write([fixture_extraction()])
        with serve(config, store, limits=Limits()) as server:
            yield server.url, store


def _graph(store: Any) -> Snapshot:
    return snapshot(store)


def _requests(value: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Every GET parameter and path segment of the API, carrying `value`."""
    q = quote(value, safe="")
    name = "张明远"
    return [
        ("GET", "/entities", {"params": {"q": value}}),
        ("GET", "/entities", {"params": {"q": "星海", "cursor": value}}),
        ("GET", "/entities", {"params": {"q": "星海", "label": value}}),
        ("GET", f"/entities/{q}", {}),
        ("GET", f"/entities/{q}", {"params": {"cursor": value}}),
        ("GET", f"/entities/{q}/neighbors", {}),
        ("GET", f"/entities/{ZHANG.id}/neighbors", {"params": {"label": value}}),
        ("GET", f"/entities/{q}/merges", {}),
        ("GET", "/paths", {"params": {"source": value, "target": "云帆科技"}}),
        ("GET", "/paths", {"params": {"source": name, "target": value}}),
        ("GET", "/paths", {"params": {"source": name, "target": "云帆科技", "avoid": value}}),
        ("GET", "/paths", {"params": {"source": name, "target": "云帆科技", "via": value}}),
        ("GET", "/paths", {"params": {"source": name, "target": "云帆科技", "rel": value}}),
        ("GET", "/introductions", {"params": {"source": value, "target": name}}),
        ("GET", "/connectors", {"params": {"between": value}}),
        ("GET", f"/documents/{q}", {}),
        ("DELETE", f"/documents/{q}", {"headers": {"X-API-Key": KEY}}),
        ("DELETE", f"/documents/{q}", {"headers": {"X-API-Key": value.encode().hex()}}),
        ("POST", f"/entities/{q}/unmerge", {"json": {"merged": value}, "headers": {"X-API-Key": KEY}}),
        ("POST", f"/entities/{ZHANG.id}/unmerge", {"json": {"merged": value}, "headers": {"X-API-Key": KEY}}),
        ("POST", "/documents", {"json": {"text": value, "name": value}}),  # no key: refused
    ]  # fmt: skip


def test_hostile_values_in_every_parameter(live: tuple[str, Any]) -> None:
    url, store = live
    before = _graph(store)
    bad: list[str] = []
    with httpx.Client(base_url=url, timeout=60) as client:
        for value in HOSTILE:
            for method, path, kw in _requests(value):
                r = client.request(method, path, **kw)
                if r.status_code not in ALLOWED:
                    bad.append(f"{method} {path[:40]} {value!r:.30} -> {r.status_code}")
                elif r.status_code >= 400:
                    assert r.json()["error"]["code"], r.text  # our error body, not a stack
                assert KEY not in r.text
    assert bad == []
    after = _graph(store)
    assert after.entities == before.entities and after.relations == before.relations
    assert after.evidence == before.evidence and after.documents == before.documents


def test_hostile_bodies(live: tuple[str, Any]) -> None:
    url, store = live
    before = _graph(store)
    key = {"X-API-Key": KEY}
    cases: list[tuple[str, dict[str, Any], set[int]]] = [
        ("nested arrays", {"content": "[" * 100_000 + "]" * 100_000}, {400, 422}),
        ("nested objects", {"content": '{"text":' * 20_000 + '"x"' + "}" * 20_000}, {400, 422}),
        ("lone surrogate", {"content": b'{"text": "\\ud800abc"}'}, {422}),
        ("not UTF-8", {"content": b'\xff\xfe{"text": 1}'}, {400, 422}),
        ("not JSON", {"content": b"\x00\x01\x02"}, {400, 422}),
        ("text is a number", {"json": {"text": 12}}, {422}),
        ("extra huge field", {"json": {"text": "x", "title": "y" * 200_000}}, {422}),
        ("over the upload cap", {"content": b'{"text": "' + b"a" * (11 << 20) + b'"}'}, {413}),
    ]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with httpx.Client(base_url=url, timeout=120) as client:
        for what, kw, expected in cases:
            headers = {**key, "content-type": "application/json"}
            r = client.post("/documents", headers=headers, **kw)
            assert r.status_code in expected, (what, r.status_code, r.text[:300])
        nested = {"content": "[" * 100_000 + "]" * 100_000}
        headers = {**key, "content-type": "application/json"}
        r = client.post(f"/entities/{ZHANG.id}/unmerge", headers=headers, **nested)
        assert r.status_code in {400, 422}, r.text[:300]
        # A file of NUL bytes and a binary upload: reported, not ingested, not an error.
        r = client.post("/documents", headers=key, files={"file": ("a.txt", b"\x00" * 4096)})
        assert r.status_code == 201 and r.json()["failed"], r.text[:300]
    # The 11 MB body was refused from its Content-Length, never held in memory whole (the
    # server runs in this process, so its peak RSS is ours).
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss < 200 * 1024
    after = _graph(store)
    assert after.entities == before.entities and after.documents == before.documents


def _raw(url: str, request: bytes, timeout: float = 30) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.sendall(request)
        return s.recv(200)


def test_megabyte_query_strings_are_refused(live: tuple[str, Any]) -> None:
    url, _ = live
    for target in ("/entities?q=" + "a" * (1 << 20), "/paths?source=" + "%E4%BA%91" * 120_000):
        head = _raw(url, f"GET {target}&target=x HTTP/1.1\r\nHost: t\r\n\r\n".encode())
        status = int(head.split(b" ", 2)[1])
        assert 400 <= status < 500, head
    # Just under the URL limits of the server, the API's own caps answer.
    with httpx.Client(base_url=url, timeout=60) as client:
        r = client.get("/entities", params={"q": "云" * 2000})
        assert r.status_code == 422
        r = client.get("/paths", params={"source": "云" * 2000, "target": "x"})
        assert r.status_code == 422


def test_expensive_queries_are_capped(live: tuple[str, Any]) -> None:
    url, _ = live
    limits = Limits()
    with httpx.Client(base_url=url, timeout=60) as client:
        for path, params in (
            ("/paths", {"source": "张明远", "target": "云帆科技", "k": limits.max_k + 1}),
            ("/paths", {"source": "张明远", "target": "云帆科技", "max_hops": 1000}),
            (f"/entities/{ZHANG.id}/neighbors", {"depth": limits.max_depth + 1}),
            (f"/entities/{ZHANG.id}/neighbors", {"limit": 10**9}),
            ("/connectors", {"top": 10**6}),
            ("/entities", {"q": "云", "limit": 10**6}),
        ):
            r = client.get(path, params=params)
            assert r.status_code == 422, (path, params, r.status_code)


def test_a_query_over_its_time_budget_is_a_503(graphs: Graphs, backend: str) -> None:
    with graphs.open(backend) as (config, store):
        store.write([fixture_extraction()])
        with serve(config, store, limits=Limits(query_timeout=0.000_001)) as server:
            r = httpx.get(
                f"{server.url}/paths",
                params={"source": "张明远", "target": "东湖创新园"},
                timeout=30,
            )
            assert r.status_code == 503, r.text
            assert r.headers.get("retry-after")
            assert r.json()["error"]["code"] == "timeout"


def test_a_trickled_body_does_not_block_other_clients(live: tuple[str, Any]) -> None:
    url, _ = live
    body = '{"text": "云帆科技与星海大学合作。"}'.encode()
    host, port = url.removeprefix("http://").split(":")
    slow = socket.create_connection((host, int(port)), timeout=60)
    slow.sendall(
        b"POST /documents HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        + f"X-API-Key: {KEY}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    )
    latencies: list[float] = []
    stop = threading.Event()

    def trickle() -> None:
        for byte in body[:-1]:
            if stop.is_set():
                return
            slow.send(bytes([byte]))
            time.sleep(0.1)

    sender = threading.Thread(target=trickle)
    sender.start()
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            while sender.is_alive():
                started = time.perf_counter()
                r = client.get("/entities", params={"q": "星海"})
                latencies.append(time.perf_counter() - started)
                assert r.status_code == 200
                time.sleep(0.05)
    finally:
        stop.set()
        sender.join()
    slow.send(body[-1:])
    assert slow.recv(20).startswith(b"HTTP/1.1 201")
    slow.close()
    assert len(latencies) >= 20
    assert sorted(latencies)[len(latencies) // 2] < 1.0  # others are served meanwhile


CLI = [sys.executable, "-m", "innograph.cli"]


@pytest.mark.parametrize(
    "value", ["') DETACH DELETE n //", "a\\'b\"c", "\u202e云帆", "x" * 100_000]
)
def test_hostile_cli_arguments(graphs: Graphs, backend: str, value: str) -> None:
    with graphs.open(backend) as (config, store):
        store.write([fixture_extraction()])
        before = snapshot(store)
        # The CLI finds the same graph from the environment, as a user's shell would give it.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "INNOGRAPH_"))}
        env |= {"INNOGRAPH_HOME": str(config.home), "INNOGRAPH_GRAPH": config.graph}
        if backend == "neo4j":
            env |= {
                "NEO4J_URI": config.neo4j_uri or "",
                "NEO4J_USER": config.neo4j_user,
                "NEO4J_PASSWORD": config.neo4j_password,
            }
        for args in (["show", value], ["path", value, "张明远"], ["merges", value]):
            result = subprocess.run(
                [*CLI, *args], capture_output=True, text=True, cwd=ROOT, timeout=300, env=env
            )
            assert result.returncode in (0, 1), result.stderr[-1000:]
            assert "Traceback" not in result.stderr
            if result.returncode:
                assert len(result.stderr.strip().splitlines()) <= 12, result.stderr  # candidates
        after = snapshot(store)
    assert after.entities == before.entities and after.evidence == before.evidence


def test_security_headers_and_closed_cors(live: tuple[str, Any]) -> None:
    url, _ = live
    with httpx.Client(base_url=url, timeout=30) as client:
        r = client.get("/stats", headers={"Origin": "https://evil.example"})
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert "access-control-allow-origin" not in r.headers  # CORS closed unless configured
        pre = client.options(
            "/documents",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in pre.headers
        docs = client.get("/docs")
        assert docs.status_code == 200 and "content-security-policy" in docs.headers
        big = client.post("/documents", content=b"x" * (11 << 20), headers={"X-API-Key": KEY})
        assert big.status_code == 413 and big.headers["x-content-type-options"] == "nosniff"


def test_html_policy_allows_own_scripts_styles_and_data_images() -> None:
    from innograph.api.middleware import CSP

    directives = dict(part.strip().split(" ", 1) for part in CSP.split(";"))
    assert directives["script-src"].split()[0] == "'self'"  # no inline or foreign script
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["style-src"].startswith("'self'")
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'"


def test_wrong_key_is_refused_and_never_echoed(live: tuple[str, Any]) -> None:
    url, _ = live
    guess = KEY[:-1] + "X"
    with httpx.Client(base_url=url, timeout=30) as client:
        for headers in ({"X-API-Key": guess}, {"Authorization": f"Bearer {guess}"}, {}):
            r = client.post("/documents", json={"text": "云帆科技"}, headers=headers)
            assert r.status_code in (401, 403), r.text
            assert guess not in r.text and KEY not in r.text


def test_keys_rotate_from_a_file_and_reads_can_need_one(
    graphs: Graphs, backend: str, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    keys.write_text("old-key\n")
    with graphs.open(backend, api_key_file=keys, reads_need_key=True) as (config, store):
        store.write([fixture_extraction()])
        with serve(config, store) as server, httpx.Client(base_url=server.url, timeout=30) as c:
            assert c.get("/health").status_code == 200  # stays open for probes
            assert c.get("/stats").status_code == 401
            assert c.get("/stats", headers={"X-API-Key": "new-key"}).status_code == 403
            assert c.get("/stats", headers={"X-API-Key": "old-key"}).status_code == 200
            keys.write_text("old-key\nnew-key\n")  # rotation: both for a while ...
            assert c.get("/stats", headers={"X-API-Key": "new-key"}).status_code == 200
            keys.write_text("new-key\n")  # ... then the old one goes, no restart
            assert c.get("/stats", headers={"X-API-Key": "old-key"}).status_code == 403
            r = c.get(
                "/entities", params={"q": "星海"}, headers={"Authorization": "Bearer new-key"}
            )
            assert r.status_code == 200
            r = c.delete("/documents/nope", headers={"X-API-Key": "old-key"})
            assert r.status_code == 403 and "old-key" not in r.text


def _head_status(url: str, head: bytes, piece: int) -> int:
    """Status of a request whose head is sent in pieces of `piece` bytes (0: in one go);
    a server that hangs up before answering counts as 400 (refused)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as s:
        try:
            if piece:
                for start in range(0, len(head), piece):
                    s.sendall(head[start : start + piece])
                    time.sleep(0.001)
            else:
                s.sendall(head)
        except (BrokenPipeError, ConnectionResetError):
            pass  # cut off while sending: the answer may already be waiting
        try:
            reply = s.recv(200)
        except ConnectionResetError:
            return 400
    return int(reply.split(b" ", 2)[1]) if reply else 400


def test_megabyte_headers_are_refused_by_innograph_serve(tmp_path: Path) -> None:
    """`innograph serve` caps request heads: a 1 MB header is cut off by the HTTP parser's
    buffer cap, heads over the headers' limit but within that buffer get a 431 from the app;
    headers of an ordinary size pass."""
    from test_api_support import free_port

    port = free_port()
    proc = subprocess.Popen(
        [*CLI, "--db", str(tmp_path / "home"), "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
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
            assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        big = b"GET /health HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n"
        # Whole or trickled, the parser's buffer cap (400) or the app's check (431) refuses it.
        assert _head_status(url, big, 0) in (400, 431)
        assert _head_status(url, big, 16 * 1024) in (400, 431)
        many = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 100) for i in range(400))
        assert _head_status(url, b"GET /health HTTP/1.1\r\nHost: t\r\n" + many + b"\r\n", 0) == 431
        r = httpx.get(f"{url}/health", headers={"X-Ordinary": "v" * 8000}, timeout=30)
        assert r.status_code == 200
        r = httpx.get(f"{url}/health", headers={"X-Big": "v" * 20_000}, timeout=30)
        assert r.status_code == 431 and r.json()["error"]["code"] == "headers_too_large"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
