"""Chaos benchmark: kill -9 an ingest (and the embedded database server) at random moments,
run the same command again, and check that the graph ends identical to one clean run.

    python bench/chaos.py [--docs 1000] [--kills 20] [--server-kills 3] [--seed 1] [--json]

1. A generated corpus (bench/corpus.py) is ingested once, undisturbed, into its own data
   directory: the reference graph.
2. The same `innograph ingest` command is started again and again on a second data directory;
   each run is killed with SIGKILL (process group, so pool workers die too) at a random
   moment: a random time after start (start-up, reading, extraction, writing), or the
   instant the run journals a write batch (so the kill lands inside the batch's store round
   trips: the case a naive "document exists, skip it" check gets wrong). Some runs instead
   have the embedded redis-server killed in the middle of a write batch: the ingest must
   restart it and carry on.
3. A last run goes to the end. Both graphs are read whole (bench/graph_snapshot.py) and
   compared: entities (names, labels, aliases, keys, documents, properties including merge
   records), relationships (counters, documents, properties), evidence and documents.

Prints a table; with --json the last line is {"kills": ..., "docs": ..., "lost_docs": ...,
"duplicates": ..., "identical_to_clean_run": ..., ...}.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402
from bench.graph_snapshot import Snapshot, differences, snapshot  # noqa: E402
from innograph.config import load_settings  # noqa: E402
from innograph.graph.store import open_store  # noqa: E402

RUN_TIMEOUT = 900.0


def ingest_command(home: Path, corpus: Path, workers: int) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from innograph.cli import app; app()",
        "--db",
        str(home),
        "ingest",
        str(corpus),
        "--workers",
        str(workers),
        "--json",
    ]


def start(command: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: kill -9 reaches pool workers too
    )


def kill_group(proc: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


def write_marks(home: Path, pid: int) -> int:
    """How many write batches process `pid` has journaled so far."""
    marks = 0
    for path in (home / "journal").glob(f"*/{pid}-*.jsonl"):
        with contextlib.suppress(OSError):
            marks += path.read_text(encoding="utf-8").count('"writing"')
    return marks


def aof_state(home: Path) -> list[tuple[str, int]]:
    """The database's append-only files as (name, size): it changes with the first write
    the server accepts, whatever the client does (the journal is the client's view)."""
    folder = home / "appendonlydir"
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.incr.aof")):
        with contextlib.suppress(OSError):
            out.append((path.name, path.stat().st_size))
    return out


def unfinished(home: Path, pid: int) -> int:
    """Documents the killed process `pid` was writing (not ones it had taken over from an
    earlier killed run) and had not finished: what this kill left half-written."""
    count = 0
    for path in (home / "journal").glob(f"*/{pid}-*.jsonl"):
        writing: set[str] = set()
        done: set[str] = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            writing.update(entry.get("writing", []))
            done.update(entry.get("done", []))
        count += len(writing - done)
    return count


def wait_for(proc: subprocess.Popen[str], until: Any, timeout: float = RUN_TIMEOUT) -> bool:
    """Poll `until()` while the process runs; True when it held, False when the process
    ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if until():
            return True
        time.sleep(0.005)
    raise TimeoutError("ingest run did not finish")


def finish(proc: subprocess.Popen[str]) -> dict[str, Any]:
    out, errors = proc.communicate(timeout=RUN_TIMEOUT)
    if proc.returncode != 0:
        raise RuntimeError(f"ingest exited with {proc.returncode}: {errors.strip()[-500:]}")
    return json.loads(out.strip().splitlines()[-1])


def read_graph(home: Path) -> Snapshot:
    store = open_store(load_settings(str(home)))
    try:
        return snapshot(store)  # type: ignore[arg-type]
    finally:
        store.close()


def server_pid(home: Path) -> int:
    try:
        return int((home / "falkordb.pid").read_text().strip() or 0)
    except (OSError, ValueError):
        return 0


def evidence_by_document(snap: Snapshot) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for key, (_rel, doc_id, *_rest) in snap.evidence.items():
        out.setdefault(doc_id, set()).add(key)
    return out


def lost_documents(clean: Snapshot, chaos: Snapshot) -> list[str]:
    """Documents of the clean run that the chaos run lacks, or holds with other evidence
    or other content (half-written)."""
    clean_ev, chaos_ev = evidence_by_document(clean), evidence_by_document(chaos)
    return sorted(
        doc_id
        for doc_id, record in clean.documents.items()
        if chaos.documents.get(doc_id) != record
        or clean_ev.get(doc_id, set()) != chaos_ev.get(doc_id, set())
    )


def run_chaos(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    rng = random.Random(args.seed)
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in generate(args.docs, seed=args.seed):
        (corpus / name).write_text(text, encoding="utf-8")

    clean_home, chaos_home = root / "clean", root / "chaos"
    started = time.perf_counter()
    clean_report = finish(start(ingest_command(clean_home, corpus, args.workers)))
    clean_seconds = time.perf_counter() - started

    kills = server_kills = runs = 0
    modes: dict[str, int] = {}
    resumed = half_written = 0
    chaos_started = time.perf_counter()
    while kills < args.kills or server_kills < args.server_kills:
        if runs > 3 * (args.kills + args.server_kills):
            break  # the work ran out before the kills did (too few --docs): reported as is
        runs += 1
        proc = start(ingest_command(chaos_home, corpus, args.workers))
        server_turn = server_kills < args.server_kills and (
            kills >= args.kills or rng.random() < args.server_kills / (args.kills + 1)
        )
        if server_turn:
            # Kill the database server inside a write batch; the ingest must restart it
            # and go on, so this run is then killed like any other (or ends by itself).
            if wait_for(proc, lambda p=proc: write_marks(chaos_home, p.pid) >= 1):
                time.sleep(rng.uniform(0.0, 0.05))
                pid = server_pid(chaos_home)
                if pid:
                    os.kill(pid, signal.SIGKILL)
                    server_kills += 1
            marks = write_marks(chaos_home, proc.pid)
            mode = "after a server kill"
            hit = wait_for(proc, lambda p=proc, m=marks: write_marks(chaos_home, p.pid) > m)
        else:
            mode = rng.choice(["random time", "first store write", "second write batch"])
            if mode == "first store write":
                # Seen on the server's side: the instant its append-only file grows.
                aof = aof_state(chaos_home)
                hit = wait_for(proc, lambda a=aof: aof_state(chaos_home) != a)
                time.sleep(rng.uniform(0.0, 0.05))
            elif mode == "random time":
                # Start-up and one or two batches: a kill that lets a run finish most of
                # the corpus would leave nothing for the next ones to be killed in.
                delay = rng.uniform(0.2, min(2.5, clean_seconds * 0.3))
                kill_at = time.monotonic() + delay
                hit = wait_for(proc, lambda t=kill_at: time.monotonic() >= t)
            else:
                hit = wait_for(proc, lambda p=proc: write_marks(chaos_home, p.pid) >= 2)
                time.sleep(rng.uniform(0.0, 0.08))
        if not hit:
            resumed += finish(proc).get("resumed", 0)
            modes["(run ended before its kill)"] = modes.get("(run ended before its kill)", 0) + 1
            continue
        kill_group(proc)
        kills += 1
        modes[mode] = modes.get(mode, 0) + 1
        half_written += unfinished(chaos_home, proc.pid)
        if not args.json:
            print(f"run {runs}: killed ({mode})", file=sys.stderr)
    final = finish(start(ingest_command(chaos_home, corpus, args.workers)))
    resumed += final.get("resumed", 0)
    chaos_seconds = time.perf_counter() - chaos_started

    clean, chaos = read_graph(clean_home), read_graph(chaos_home)
    lost = lost_documents(clean, chaos)
    diff = differences(clean, chaos)
    duplicates = sum(chaos.duplicates.values())
    return {
        "kills": kills,
        "docs": args.docs,
        "lost_docs": len(lost),
        "duplicates": duplicates,
        "identical_to_clean_run": not diff and not duplicates and not chaos.unsupported,
        "server_kills": server_kills,
        "runs": runs + 1,
        "left_half_written": half_written,
        "resumed_docs": resumed,
        "relations_without_evidence": len(chaos.unsupported),
        "clean": clean.counts(),
        "chaos": chaos.counts(),
        "clean_seconds": round(clean_seconds, 2),
        "chaos_seconds": round(chaos_seconds, 2),
        "clean_read": clean_report["read"],
        "kill_moments": modes,
        "differences": diff,
        "lost_examples": lost[:5],
    }


def print_table(result: dict[str, Any]) -> None:
    print(
        f"chaos ingest: {result['docs']:,} documents, {result['kills']} kill -9s of the ingest,"
        f" {result['server_kills']} of the database server, {result['runs']} runs"
    )
    print(f"{'':<28}{'clean run':>14}{'killed + rerun':>16}")
    for part in ("documents", "entities", "relations", "evidence", "merge_records"):
        print(f"{part:<28}{result['clean'][part]:>14,}{result['chaos'][part]:>16,}")
    print(
        f"{'seconds (all runs)':<28}{result['clean_seconds']:>14.2f}{result['chaos_seconds']:>16.2f}"
    )
    print()
    for name in (
        "lost_docs",
        "duplicates",
        "relations_without_evidence",
        "left_half_written",
        "resumed_docs",
        "identical_to_clean_run",
    ):
        print(f"{name:<28}{result[name]!s:>14}")
    moments = ", ".join(f"{k}: {v}" for k, v in sorted(result["kill_moments"].items()))
    print(f"{'kill moments':<28}{moments}")
    for part, items in result["differences"].items():
        print(f"differs in {part}: {'; '.join(items)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--kills", type=int, default=20, help="kill -9s of the ingest process")
    ap.add_argument("--server-kills", type=int, default=3, help="kill -9s of redis-server")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=False)
        result = run_chaos(args, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="innograph-chaos-") as tmp:
            result = run_chaos(args, Path(tmp))
    print_table(result)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
