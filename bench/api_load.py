"""HTTP API load benchmark: entity lookup and /paths under 32 concurrent clients.

    python bench/api_load.py [--relations 100000] [--clients 32] [--requests 4000]
                             [--seconds 30] [--workers 2] [--json]

Loads a seeded synthetic graph (`bench.synthetic`, ~100k relationships) into a
fresh embedded FalkorDB, starts the server the way `innograph serve --workers N` does on
127.0.0.1 in a subprocess, and drives it from this process with 32 concurrent clients (one
keep-alive connection each, a minimal asyncio HTTP/1.1 client so that the load generator
does not eat the CPU of the server it measures): first GET /entities?q= (names and
prefixes), then GET /paths between random entities. Every loop is bounded by a request
count and a time budget, and only the loopback address is used. Latency is measured per
request from sending it to having read the whole response. Prints a table of throughput,
latency percentiles, CPU used per request by the server processes and the load average
(the numbers mean little on a machine busy with other work); with --json the last line is
{"lookup_p99_ms", "paths_p99_ms", "rps_lookup"}. Bars: p99 < 100 ms for lookup, < 250 ms
for /paths.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import generate  # noqa: E402
from innograph.config import load_settings  # noqa: E402
from innograph.graph.store.falkordb import FalkorStore  # noqa: E402

HOST = "127.0.0.1"
RELATIONS_PER_DOCUMENT = 5_000


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Phase:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    server_cpu_s: float = float("nan")
    load_average: float = float("nan")

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        n = len(self.latencies_ms)
        return self.server_cpu_s * 1000 / n if n else float("nan")


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its children (the uvicorn
    workers); NaN where /proc is not available."""
    proc = Path("/proc")
    if not proc.is_dir():
        return float("nan")
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    children = proc / str(pid) / "task" / str(pid) / "children"
    if children.exists():
        pids += [int(x) for x in children.read_text().split()]
    for p in pids:
        try:
            fields = (proc / str(p) / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def measure(
    server_pid: int, name: str, port: int, urls: list[str], clients: int, budget_s: float
) -> Phase:
    cpu0 = process_tree_cpu(server_pid)
    phase = run_async(drive(port, name, urls, clients, budget_s))
    phase.server_cpu_s = process_tree_cpu(server_pid) - cpu0
    phase.load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return phase


class HttpConnection:
    """A minimal keep-alive HTTP/1.1 GET client over asyncio streams. httpx costs about a
    millisecond of CPU per request, which on a 2-core machine is CPU taken from the server
    under test; this costs a few tens of microseconds."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        request = f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n"
        self.writer.write(request.encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if line:
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        parts: list[bytes] = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def drive(port: int, name: str, urls: list[str], clients: int, budget_s: float) -> Phase:
    """`clients` workers, one keep-alive connection each, share the URL list; each stops
    when the list or the time runs out. A request's latency includes reading its whole
    body."""
    phase = Phase(name)
    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)
    deadline = time.perf_counter() + budget_s

    async def worker() -> None:
        conn = HttpConnection(HOST, port)
        try:
            while time.perf_counter() < deadline:
                try:
                    url = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                t0 = time.perf_counter()
                try:
                    status, _ = await asyncio.wait_for(conn.get(url), timeout=30)
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                    phase.errors += 1
                    await conn.close()
                    continue
                phase.latencies_ms.append((time.perf_counter() - t0) * 1000)
                phase.statuses[status] = phase.statuses.get(status, 0) + 1
                if status >= 500:
                    phase.errors += 1
        finally:
            await conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    phase.seconds = time.perf_counter() - started
    return phase


def run_async(coro: Any) -> Any:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not become ready")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--relations", type=int, default=100_000)
    ap.add_argument("--entities", type=int, default=0, help="default: relations / 5")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=4000, help="per phase (lookup, paths)")
    ap.add_argument("--seconds", type=float, default=30.0, help="time budget per phase")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=2, help="server processes")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    n_entities = args.entities or max(2, args.relations // 5)
    t0 = time.perf_counter()
    graph = generate(entities=n_entities, relations=args.relations, seed=args.seed)
    gen_s = time.perf_counter() - t0

    with tempfile.TemporaryDirectory(prefix="innograph-api-bench-") as tmp:
        home = Path(tmp) / "db"
        settings = load_settings(str(home), env={})
        # This process keeps its lease on the embedded server while `serve` runs, so both
        # talk to the same server; closing the store at the end lets it shut down.
        store = FalkorStore(settings)
        proc: subprocess.Popen[bytes] | None = None
        server_log: IO[bytes] | None = None
        try:
            t0 = time.perf_counter()
            store.write(graph.to_extractions(RELATIONS_PER_DOCUMENT))
            load_s = time.perf_counter() - t0
            stats = store.stats()

            port = free_port()
            base = f"http://{HOST}:{port}"
            env = {k: v for k, v in os.environ.items() if not k.startswith("INNOGRAPH_")}
            # What `innograph serve --workers N` runs.
            launch = (
                "import sys; from innograph.api.server import run; "
                "from innograph.config import load_settings; "
                "run(load_settings(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))"
            )
            # Server output goes to a file: an unread pipe would fill up and stall it.
            server_log = (Path(tmp) / "server.log").open("wb")
            proc = subprocess.Popen(
                [sys.executable, "-c", launch, str(home), HOST, str(port), str(args.workers)],
                env=env,
                stdout=server_log,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_ready(base, proc)
            except RuntimeError:
                server_log.close()
                sys.stderr.write((Path(tmp) / "server.log").read_text()[-4000:])
                raise
            ents = graph.entities
            # The server builds its projection and name index before it reports ready; the
            # warm-up requests take each route's first-call costs out of the measurement.
            t0 = time.perf_counter()
            httpx.get(
                f"{base}/paths", params={"source": ents[1].id, "target": ents[2].id}, timeout=120
            )
            for q in (ents[3].name, ents[4].name[:2], ents[5].name + "x"):
                httpx.get(f"{base}/entities", params={"q": q}, timeout=120)
            warm_s = time.perf_counter() - t0

            lookups = []
            for _ in range(args.requests):
                name = rng.choice(ents).name
                q = name if rng.random() < 0.5 else name[: max(1, len(name) // 2)]
                lookups.append(str(httpx.URL("/entities", params={"q": q, "limit": 20})))
            paths = []
            for _ in range(args.requests):
                a, b = rng.sample(ents, 2)
                paths.append(str(httpx.URL("/paths", params={"source": a.id, "target": b.id})))

            # This process holds the whole synthetic graph: keep the collector from pausing
            # the load generator (and so inflating every in-flight latency) to walk it.
            gc.collect()
            gc.freeze()
            lookup = measure(proc.pid, "lookup", port, lookups, args.clients, args.seconds)
            path = measure(proc.pid, "paths", port, paths, args.clients, args.seconds)
        finally:
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
            if server_log is not None:
                server_log.close()
            store.close()

    rows = [
        ("graph", f"{stats.entities:,} entities, {stats.relations:,} relationships"),
        ("generate / load / warm-up", f"{gen_s:.1f} s / {load_s:.1f} s / {warm_s:.2f} s"),
        ("clients / server workers", f"{args.clients} / {args.workers}"),
    ]
    for ph, bar in ((lookup, 100.0), (path, 250.0)):
        p99 = percentile(ph.latencies_ms, 99)
        rows.append(
            (
                f"{ph.name}",
                f"{len(ph.latencies_ms)} req in {ph.seconds:.1f} s = {ph.rps:,.0f} req/s; "
                f"p50 {percentile(ph.latencies_ms, 50):.1f} ms, p99 {p99:.1f} ms "
                f"(bar {bar:.0f} ms: {'ok' if p99 < bar else 'MISSED'}); "
                f"5xx/errors {ph.errors}; statuses {dict(sorted(ph.statuses.items()))}; "
                f"server CPU {ph.cpu_ms_per_request:.2f} ms/req; load avg {ph.load_average:.1f}",
            )
        )
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    if args.json:
        print(
            json.dumps(
                {
                    "lookup_p99_ms": round(percentile(lookup.latencies_ms, 99), 2),
                    "paths_p99_ms": round(percentile(path.latencies_ms, 99), 2),
                    "rps_lookup": round(lookup.rps, 1),
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
