"""A million relationships: write, load and answer through the real store and the real API.

    python bench/scale.py [--rels 1000000] [--entities 0] [--per-doc 20] [--batch-docs 500]
                          [--hubs 60] [--pairs 100] [--no-baseline] [--connectors] [--json]

Generates a realistic corpus (`bench.synthetic`: Zipf degrees over a preferential-attachment
spine, the heaviest entities institutes, parks, big firms and agencies; documents of
`--per-doc` relationships whose text is their evidence sentences, one sentence per
relationship), then, on a fresh embedded FalkorDB:

1. writes it through `FalkorStore.write` in calls of `--batch-docs` documents, timing each
   call (the rate of the last 10% of the relationships against the first 10% says whether
   writes slow down as the graph grows), with the server's and this process's CPU time;
2. loads the analytics projection from the store (columns); same-run baseline: the record
   path (`iter_entities`/`iter_relations` into `Projection.build`), what loading cost before;
3. answers paths (k=1, k=5) and introductions for `--pairs` random connected pairs on the
   projection loaded from the store, against the same queries on the projection built from
   the generated records (what bench/paths.py measures);
4. starts `innograph serve` on the data directory and times its first `/paths` answer from
   the start of the process;
5. writes 100 more documents (new entities tied to existing ones) from this process and
   times how long until the running server answers a `/paths` query that needs them;
   baseline: a full reload of the projection (what the server did before on any change);
6. reads the server process's resident memory (and, with --connectors, after a cold
   `/connectors` ranking).

The machine may be shared: wall-clock rates are given with the CPU seconds they took.
With --json the last line is {"write_rels_per_s", "write_ratio_last_first",
"projection_load_s", "serve_cold_start_s", "refresh_after_100_docs_s", "serve_rss_mb", ...}.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import generate  # noqa: E402
from innograph.config import Settings  # noqa: E402
from innograph.graph.analytics.projection import Projection  # noqa: E402
from innograph.graph.service import GraphService  # noqa: E402
from innograph.graph.store.falkordb import FalkorStore  # noqa: E402
from innograph.model import (  # noqa: E402
    Document,
    Entity,
    Evidence,
    Extraction,
    Label,
    Relation,
    RelType,
    make_document_id,
    make_entity_id,
)

BARS = {
    "write_rels_per_s": ">= 30000",
    "write_ratio_last_first": ">= 0.8",
    "projection_load_s": "< 5",
    "serve_cold_start_s": "< 10",
    "refresh_after_100_docs_s": "< 1",
    "serve_rss_mb": "< 1500",
}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def server_cpu(store: FalkorStore) -> float:
    info = store._db.connection.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def process_memory_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, in MB."""
    values = {"VmRSS": 0.0, "VmHWM": 0.0}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in values:
            values[name] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str, timeout: float = 60.0) -> tuple[int, Any]:
    """(HTTP status, decoded body); status 0 when the server cannot be reached (yet)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0, None


def paths_url(base: str, a: str, b: str, k: int = 1) -> str:
    query = urllib.parse.urlencode({"source": a, "target": b, "k": k, "max_hops": 8})
    return f"{base}/paths?{query}"


# ---- 1. writes ------------------------------------------------------------------------


def write_corpus(store: FalkorStore, docs: list[Extraction], batch: int) -> dict[str, Any]:
    per_call: list[tuple[int, float]] = []
    cpu_server, cpu_client = server_cpu(store), time.process_time()
    started = time.perf_counter()
    for start in range(0, len(docs), batch):
        t0 = time.perf_counter()
        created = store.write(docs[start : start + batch]).relations_created
        per_call.append((created, time.perf_counter() - t0))
    seconds = time.perf_counter() - started
    total = sum(n for n, _ in per_call)
    cpu_server, cpu_client = server_cpu(store) - cpu_server, time.process_time() - cpu_client

    def rate(calls: list[tuple[int, float]]) -> float:
        spent = sum(s for _, s in calls)
        return sum(n for n, _ in calls) / spent if spent else 0.0

    # First and last 10% of the relationships written (whole calls).
    tenth = max(1, total // 10)
    first: list[tuple[int, float]] = []
    for call in per_call:
        if sum(n for n, _ in first) >= tenth:
            break
        first.append(call)
    last: list[tuple[int, float]] = []
    for call in reversed(per_call):
        if sum(n for n, _ in last) >= tenth:
            break
        last.append(call)
    return {
        "relations": total,
        "write_s": seconds,
        "write_rels_per_s": total / seconds if seconds else 0.0,
        "write_first_rels_per_s": rate(first),
        "write_last_rels_per_s": rate(last),
        "write_ratio_last_first": rate(last) / rate(first) if rate(first) else 0.0,
        "write_server_cpu_s": cpu_server,
        "write_client_cpu_s": cpu_client,
        "write_calls": len(per_call),
    }


# ---- 3. analytics on the projection ---------------------------------------------------


def connected_pairs(proj: Projection, n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    membership = proj.components()
    pairs: list[tuple[str, str]] = []
    while len(pairs) < n and proj.node_count > 1:
        a, b = rng.randrange(proj.node_count), rng.randrange(proj.node_count)
        if a != b and membership[a] == membership[b]:
            pairs.append((proj.ids[a], proj.ids[b]))
    return pairs


def query_latencies(proj: Projection, pairs: list[tuple[str, str]]) -> dict[str, float]:
    service = GraphService(None, projection=proj)
    timings: dict[str, list[float]] = {"k1": [], "k5": [], "introduce": []}
    for a, b in pairs:
        for name in timings:
            t0 = time.perf_counter()
            if name == "introduce":
                service.introduce(a, b, top=10, max_hops=8)
            else:
                service.paths(a, b, k=1 if name == "k1" else 5, max_hops=8)
            timings[name].append((time.perf_counter() - t0) * 1000)
    return {f"p95_ms_{name}": percentile(values, 95) for name, values in timings.items()}


# ---- 5. more documents ----------------------------------------------------------------


def more_documents(
    anchors: list[str], count: int, per_doc: int, seed: int
) -> tuple[list[Extraction], tuple[str, str]]:
    """`count` documents introducing new firms and people, each tied to existing entities
    (`anchors`); returns them and two new entities connected only through them."""
    rng = random.Random(seed)
    out: list[Extraction] = []
    chain: list[Entity] = []
    for d in range(count):
        sentences: list[tuple[Entity, Entity, RelType, str]] = []
        used: dict[str, Entity] = {}
        for j in range(per_doc):
            new = Entity(
                make_entity_id(Label.FIRM, f"新创企业{seed}-{d}-{j}"),
                f"新创企业{seed}-{d}-{j}科技有限公司",
                Label.FIRM,
            )
            if j == 0:
                chain.append(new)
            other_id = rng.choice(anchors)
            other = Entity(other_id, other_id, Label.INSTITUTE)  # only its id is used
            used[new.id] = new
            sentences.append((new, other, RelType.COLLABORATES_WITH, f"{new.name}与伙伴合作。"))
        text = "".join(s for *_, s in sentences)
        doc_id = make_document_id(text)
        relations: list[Relation] = []
        at = 0
        for new, other, rel_type, sentence in sentences:
            evidence = Evidence(doc_id, sentence, at, at + len(sentence), "synthetic", 0.9)
            relations.append(Relation(new.id, other.id, rel_type, [evidence]))
            at += len(sentence)
        if d > 0:
            # The first new firm of each document invests in the previous document's: a
            # chain of new entities only these documents connect.
            sentence = f"{chain[d].name}投资{chain[d - 1].name}。"
            evidence = Evidence(doc_id, sentence, at, at + len(sentence), "synthetic", 0.9)
            relations.append(Relation(chain[d].id, chain[d - 1].id, RelType.INVESTS_IN, [evidence]))
            used[chain[d - 1].id] = chain[d - 1]
            text += sentence
        document = Document(doc_id, text, path=f"more/{seed}-{d}.txt", title="more")
        out.append(Extraction(document, list(used.values()), relations))
    return out, (chain[0].id, chain[-1].id)


# ---- the run ---------------------------------------------------------------------------


def run(args: argparse.Namespace, home: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    entities = args.entities or max(10, args.rels // 5)
    t0 = time.perf_counter()
    graph = generate(entities, args.rels, seed=args.seed, hubs=args.hubs)
    docs = graph.to_extractions(args.per_doc, texts=True)
    out["generate_s"] = time.perf_counter() - t0
    settings = Settings(backend="falkordb", home=home)
    store = FalkorStore(settings)
    serve: subprocess.Popen[bytes] | None = None
    try:
        store.stats()  # the first query of a fresh graph also builds its indexes
        out.update(write_corpus(store, docs, args.batch_docs))
        stats = store.stats()
        out["entities"], out["evidence"] = stats.entities, stats.evidence
        out["documents"] = stats.documents

        # 2. projection load: columns, against the record path.
        t0 = time.perf_counter()
        columns = store.graph_columns()
        proj = Projection.from_columns(columns)
        out["projection_load_s"] = time.perf_counter() - t0
        out["projection_read_entities_s"] = columns.seconds["entities"]
        out["projection_read_relations_s"] = columns.seconds["relations"]
        del columns
        out["projection_edges"] = proj.edge_count
        if args.baseline:
            t0 = time.perf_counter()
            slow = Projection.build(store.iter_entities(), store.iter_relations(), "records")
            out["baseline_projection_load_s"] = time.perf_counter() - t0
            del slow

        # 3. analytics on the store's graph against the generated records.
        pairs = connected_pairs(proj, args.pairs, args.seed)
        out.update(query_latencies(proj, pairs))
        generated = Projection.build(graph.entities, graph.relations, version="generated")
        out.update({f"generated_{k}": v for k, v in query_latencies(generated, pairs).items()})
        anchors = [proj.ids[i] for i in range(min(proj.node_count, 5_000))]
        hub, leaf = pairs[0] if pairs else (proj.ids[0], proj.ids[-1])
        del generated, graph, docs

        # 4. serve: first /paths from process start.
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        serve = subprocess.Popen(
            [sys.executable, "-m", "innograph.cli", "--db", str(home), "serve"]
            + ["--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        status = 0
        while status != 200:
            if serve.poll() is not None:
                raise RuntimeError("innograph serve exited: " + serve.stderr.read().decode()[-500:])  # type: ignore[union-attr]
            if time.perf_counter() - started > 600:
                raise RuntimeError("innograph serve gave no /paths answer in 600 s")
            status, _ = get_json(paths_url(base, hub, leaf), timeout=120)
            if status != 200:
                time.sleep(0.05)
        out["serve_cold_start_s"] = time.perf_counter() - started
        api_ms: list[float] = []
        for a, b in pairs[:20]:
            t0 = time.perf_counter()
            get_json(paths_url(base, a, b, k=3))
            api_ms.append((time.perf_counter() - t0) * 1000)
        out["api_paths_p95_ms"] = percentile(api_ms, 95)

        # 5. refresh: 100 more documents written by another process (this one).
        more, (first_new, last_new) = more_documents(anchors, 100, args.per_doc, args.seed + 1)
        t0 = time.perf_counter()
        store.write(more)
        written = time.perf_counter()
        out["write_100_docs_s"] = written - t0
        status, body = 0, None
        while status != 200 or not isinstance(body, dict) or not body.get("paths"):
            if time.perf_counter() - written > 600:
                raise RuntimeError("the server did not see the new documents in 600 s")
            status, body = get_json(paths_url(base, first_new, last_new))
            if status != 200 or not isinstance(body, dict) or not body.get("paths"):
                time.sleep(0.02)
        out["refresh_after_100_docs_s"] = time.perf_counter() - written
        t0 = time.perf_counter()
        Projection.from_columns(store.graph_columns())
        out["baseline_refresh_reload_s"] = time.perf_counter() - t0

        # 6. memory of the serving process.
        out["serve_rss_mb"], out["serve_peak_rss_mb"] = process_memory_mb(serve.pid)
        if args.connectors:
            t0 = time.perf_counter()
            get_json(f"{base}/connectors?top=20", timeout=900)
            out["api_connectors_cold_s"] = time.perf_counter() - t0
            out["serve_rss_after_connectors_mb"] = process_memory_mb(serve.pid)[0]
        info = store._db.connection.info("memory")
        out["falkordb_used_mb"] = info["used_memory"] / 2**20
    finally:
        if serve is not None and serve.poll() is None:
            serve.send_signal(signal.SIGINT)
            try:
                serve.wait(timeout=60)
            except subprocess.TimeoutExpired:
                serve.kill()
                serve.wait()
        store.close()
    return out


def table(r: dict[str, Any]) -> str:
    def fmt(value: Any, spec: str) -> str:
        return "-" if value is None else format(value, spec)

    rows = [
        (
            "write (rel/s, wall)",
            fmt(r["write_rels_per_s"], ",.0f"),
            f"first 10%: {r['write_first_rels_per_s']:,.0f}",
            BARS["write_rels_per_s"],
        ),
        (
            "  last 10% / first 10%",
            fmt(r["write_ratio_last_first"], ".2f"),
            f"last 10%: {r['write_last_rels_per_s']:,.0f}",
            BARS["write_ratio_last_first"],
        ),
        (
            "  CPU s (server / client)",
            f"{r['write_server_cpu_s']:.1f} / {r['write_client_cpu_s']:.1f}",
            f"{r['relations'] / max(r['write_server_cpu_s'], 1e-9):,.0f} rel per server CPU s",
            "",
        ),
        (
            "projection load (s)",
            fmt(r["projection_load_s"], ".2f"),
            f"records: {fmt(r.get('baseline_projection_load_s'), '.2f')}",
            BARS["projection_load_s"],
        ),
        (
            "serve: first /paths (s)",
            fmt(r["serve_cold_start_s"], ".2f"),
            "",
            BARS["serve_cold_start_s"],
        ),
        (
            "refresh after 100 docs (s)",
            fmt(r["refresh_after_100_docs_s"], ".2f"),
            f"full reload: {r['baseline_refresh_reload_s']:.2f}",
            BARS["refresh_after_100_docs_s"],
        ),
        (
            "serve RSS (MB)",
            f"{r['serve_rss_mb']:.0f} (peak {r['serve_peak_rss_mb']:.0f})",
            f"after /connectors: {fmt(r.get('serve_rss_after_connectors_mb'), '.0f')}",
            BARS["serve_rss_mb"],
        ),
        (
            "paths k=1 p95 (ms)",
            fmt(r["p95_ms_k1"], ".1f"),
            f"generated records: {r['generated_p95_ms_k1']:.1f}",
            "",
        ),
        (
            "paths k=5 p95 (ms)",
            fmt(r["p95_ms_k5"], ".1f"),
            f"generated records: {r['generated_p95_ms_k5']:.1f}",
            "",
        ),
        (
            "introduce p95 (ms)",
            fmt(r["p95_ms_introduce"], ".1f"),
            f"generated records: {r['generated_p95_ms_introduce']:.1f}",
            "",
        ),
        ("API /paths k=3 p95 (ms)", fmt(r["api_paths_p95_ms"], ".1f"), "", ""),
    ]
    if "api_connectors_cold_s" in r:
        rows.append(("API /connectors cold (s)", fmt(r["api_connectors_cold_s"], ".1f"), "", ""))
    width = max(len(row[0]) for row in rows)
    head = (
        f"graph: {r['entities']:,} entities, {r['relations']:,} relationships, "
        f"{r['evidence']:,} evidence, {r['documents']:,} documents "
        f"(generated in {r['generate_s']:.0f} s; {r['write_calls']} write calls)"
    )
    lines = [head, f"{'metric':<{width}}  {'value':<20}  {'same-run baseline':<34}  bar"]
    lines.append("-" * (width + 70))
    lines += [f"{a:<{width}}  {b:<20}  {c:<34}  {d}" for a, b, c, d in rows]
    lines.append(
        f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
        f"on {os.cpu_count()} cores (wall-clock rates suffer on a shared machine)"
    )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--rels", type=int, default=1_000_000, help="relationships to generate")
    ap.add_argument("--entities", type=int, default=0, help="default: rels / 5")
    ap.add_argument("--per-doc", type=int, default=20, help="relationships per document")
    ap.add_argument("--batch-docs", type=int, default=500, help="documents per write call")
    ap.add_argument("--hubs", type=int, default=60, help="institute/park/firm hubs")
    ap.add_argument("--pairs", type=int, default=100)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument(
        "--no-baseline",
        dest="baseline",
        action="store_false",
        help="skip the record-path projection load (slow on large graphs)",
    )
    ap.add_argument("--connectors", action="store_true", help="also rank connectors via the API")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="innograph-scale-") as tmp:
        result = run(args, Path(tmp))
    print(table(result))
    if args.json:
        keys = [
            "write_rels_per_s",
            "write_ratio_last_first",
            "projection_load_s",
            "serve_cold_start_s",
            "refresh_after_100_docs_s",
            "serve_rss_mb",
        ]
        extra = sorted(k for k in result if k not in keys)
        print(
            json.dumps(
                {
                    k: round(v, 4) if isinstance(v, float) else v
                    for k, v in ((k, result[k]) for k in keys + extra)
                }
            )
        )


if __name__ == "__main__":
    main()
