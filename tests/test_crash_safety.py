"""What a crash leaves behind, and that the next run repairs it: an ingest killed inside a
store write, the embedded server killed under a client, an append-only file cut short, a
full disk and a read-only data directory. Real processes, a real server, real kills."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import falkordb_settings
from test_store_contract import counts, sample

from bench.corpus import generate
from bench.graph_snapshot import differences, snapshot
from innograph.config import load_settings
from innograph.graph.store import StoreUnavailable, embedded, open_store
from innograph.graph.store.embedded import EmbeddedServer
from innograph.graph.store.falkordb import FalkorStore
from innograph.ingest.journal import Journal, extraction_from_dict, extraction_to_dict
from innograph.ingest.service import Ingestor

ROOT = Path(__file__).resolve().parent.parent

# An ingest that dies (os._exit: no cleanup, like kill -9) at the Nth store write round trip
# whose query contains MARK: after the document nodes and entities of its first batch landed,
# before all of its relationships and evidence did.
DYING_INGEST = textwrap.dedent(
    """
    import os, sys
    from innograph.graph.store import falkordb_wire
    from innograph.ingest import service

    service.WRITE_BATCH_DOCS = int(sys.argv[4])
    mark, nth = sys.argv[3], int(sys.argv[5])
    original = falkordb_wire.with_params
    seen = 0

    # Every query, plain or pipelined, is turned into its wire text here.
    def dying(query, params):
        global seen
        if mark in query:
            seen += 1
            if seen == nth:
                os._exit(137)
        return original(query, params)

    falkordb_wire.with_params = dying
    from innograph.cli import app
    app(["--db", sys.argv[1], "ingest", sys.argv[2], "--json"])
    """
)


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    for name, text in generate(n, seed=3):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _ingest(home: Path, corpus: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", "from innograph.cli import app; app()", "--db", str(home)]
        + ["ingest", str(corpus), "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def _graph(home: Path) -> object:
    store = open_store(load_settings(str(home)))
    try:
        return snapshot(store)  # type: ignore[arg-type]
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.parametrize("mark", ["MERGE (a)-[r:", "MERGE (n:Entity {id: row[0]})"])
def test_ingest_killed_inside_a_write_is_finished_by_the_rerun(tmp_path: Path, mark: str) -> None:
    corpus = _corpus(tmp_path / "corpus", 60)
    _ingest(tmp_path / "clean", corpus)
    home = tmp_path / "crashed"
    died = subprocess.run(
        [sys.executable, "-c", DYING_INGEST, str(home), str(corpus), mark, "25", "2"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert died.returncode == 137, died.stderr[-2000:]
    # The kill left documents in the graph whose relationships are not all there: exactly
    # what a rerun must not take for finished.
    journals = list((home / "journal").glob("*/*.jsonl"))
    assert journals and list((home / "journal").glob("*/*.batch-*.json"))
    report = _ingest(home, corpus)
    assert report["resumed"] in (25, 10)  # the batch it died in: documents 26-50 or 51-60
    clean, crashed = _graph(tmp_path / "clean"), _graph(home)
    assert differences(clean, crashed) == {}  # type: ignore[arg-type]
    assert not crashed.duplicates and not crashed.unsupported  # type: ignore[attr-defined]
    assert not list((home / "journal").glob("*/*.json*"))  # a clean run leaves no journal
    assert _ingest(home, corpus)["resumed"] == 0


@pytest.mark.slow
def test_without_the_journal_the_killed_batch_would_be_lost(tmp_path: Path) -> None:
    """The failure the journal exists for, shown on the same crash: a rerun that trusts
    "the document node exists" skips documents whose relationships never landed."""
    corpus = _corpus(tmp_path / "corpus", 30)
    home = tmp_path / "crashed"
    subprocess.run(
        [sys.executable, "-c", DYING_INGEST, str(home), str(corpus), "MERGE (a)-[r:", "30", "1"],
        capture_output=True,
        timeout=600,
        cwd=ROOT,
    )
    shutil.rmtree(home / "journal")
    store = open_store(load_settings(str(home)))
    try:
        report = Ingestor(store).ingest_paths([corpus])
        assert report.unchanged == 30 and not report.resumed
        assert store.stats().evidence == 0  # everything extracted is missing for good
    finally:
        store.close()


def test_journal_round_trips_a_resolved_batch(tmp_path: Path) -> None:
    batch = [sample()]
    assert [extraction_from_dict(extraction_to_dict(ex)) for ex in batch] == batch
    journal = Journal(tmp_path)
    journal.writing(batch)
    # Another process finds it: this one is alive, so nothing is adopted.
    assert Journal(tmp_path).adopt() == ([], [])
    # A dead writer's journal (a pid that cannot exist) is adopted with its batch.
    dead = tmp_path / "999999999-1-deadbeef.jsonl"
    journal.path.rename(dead)
    for path in tmp_path.glob(journal.path.stem + ".batch-*.json"):
        path.rename(tmp_path / path.name.replace(journal.path.stem, dead.stem))
    heir = Journal(tmp_path)
    saved, unsaved = heir.adopt()
    assert saved == batch and unsaved == []
    assert not dead.exists() and heir.pending == {batch[0].document.id}
    heir.done([batch[0].document.id])
    heir.close()
    assert list(tmp_path.glob("*.json*")) == []


def _server_pid(home: Path) -> int:
    return int((home / "falkordb.pid").read_text())


def _kill_server(home: Path) -> None:
    pid = _server_pid(home)
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while embedded._pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def test_client_restarts_a_killed_server_and_retries(tmp_path: Path) -> None:
    with FalkorStore(falkordb_settings(tmp_path, "g")) as store:
        store.write([sample()])
        before = counts(store)
        old = _server_pid(tmp_path)
        _kill_server(tmp_path)
        # The next round trip finds the server gone, starts it from the AOF and retries.
        assert counts(store) == before
        assert _server_pid(tmp_path) != old
        store.write([sample()])
        assert counts(store) == before  # idempotent, nothing doubled by the retry
    assert not (tmp_path / "falkordb.sock").exists()  # and the lease still stops it


def test_truncated_aof_tail_is_dropped_not_fatal(tmp_path: Path) -> None:
    with FalkorStore(falkordb_settings(tmp_path, "g")) as store:
        store.write([sample()])
        before = counts(store)
        store._db.connection.execute_command("SET", "innograph-test-last", "x" * 200)
        _kill_server(tmp_path)
        store._server = None  # this client is "dead" too: no restart from it
    [incr] = (tmp_path / "appendonlydir").glob("*.incr.aof")
    with open(incr, "r+b") as handle:  # cut the last record in half, as a crash would
        handle.truncate(incr.stat().st_size - 100)
    for lease in (tmp_path / "clients").iterdir():
        lease.unlink()
    with FalkorStore(falkordb_settings(tmp_path, "g")) as store:
        assert counts(store) == before  # everything before the torn record is there
        assert store._db.connection.execute_command("GET", "innograph-test-last") is None
    assert (
        "loaded anyway because aof-load-truncated is enabled"
        in (tmp_path / "falkordb.log").read_text()
    )


def test_server_down_for_good_is_one_clear_error(tmp_path: Path) -> None:
    store = FalkorStore(falkordb_settings(tmp_path, "g"))
    try:
        server = store._server
        assert server is not None
        _kill_server(tmp_path)
        # The data directory is gone from under the server: restarting it must fail.
        shutil.rmtree(tmp_path)
        tmp_path.write_text("not a directory")
        with pytest.raises(StoreUnavailable) as error:
            store.write([sample()])
        assert "\n" not in str(error.value)
        assert str(tmp_path) in str(error.value)
    finally:
        store._server = None
        store.close()
        tmp_path.unlink()
        tmp_path.mkdir()


# ---- disks that refuse writes -------------------------------------------------------------

MOUNT_THEN_INGEST = """
set -e
mount -t tmpfs -o size={size} tmpfs "$1"
{prepare}
shift
exec "$@"
"""


def _in_private_mount(
    folder: Path, args: list[str], size: str = "2m", prepare: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run `args` with a fresh tmpfs of `size` mounted on `folder`, in a private mount
    namespace (unshare; as root, or as any user where user namespaces are allowed), so a
    full or read-only disk is real for every process, root included."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare(1) not available")
    probe = subprocess.run(
        ["unshare", "-Urm", "sh", "-c", f"mount -t tmpfs tmpfs {folder}"], capture_output=True
    )
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a private tmpfs here: {probe.stderr.decode().strip()}")
    script = MOUNT_THEN_INGEST.format(size=size, prepare=prepare)
    return subprocess.run(
        ["unshare", "-Urm", "sh", "-c", script, "sh", str(folder), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )


CLI = [sys.executable, "-c", "from innograph.cli import app; app()"]


@pytest.mark.slow
def test_full_disk_is_one_clear_error_line(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus", 300)
    home = tmp_path / "home"
    home.mkdir()
    result = _in_private_mount(home, [*CLI, "--db", str(home), "ingest", str(corpus)], "1m")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-3000:]
    assert "No space left on device" in lines[0] or "cannot write" in lines[0], lines[0]
    assert "Traceback" not in result.stderr


def test_read_only_data_directory_is_one_clear_error_line(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus", 3)
    home = tmp_path / "home"
    home.mkdir()
    result = _in_private_mount(
        home,
        [*CLI, "--db", str(home), "ingest", str(corpus)],
        prepare='mount -o remount,ro "$1"',
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-3000:]
    assert "read-only" in lines[0].lower(), lines[0]


def test_embedded_server_recovers_after_a_lease_holder_is_killed(tmp_path: Path) -> None:
    # A process holding a lease is killed; the server it shared keeps the data and the
    # next client sweeps the dead lease (and is the one to stop the server).
    script = textwrap.dedent(
        f"""
        import os, time
        from pathlib import Path
        from innograph.graph.store.embedded import EmbeddedServer
        EmbeddedServer(Path({str(tmp_path)!r})).acquire()
        print("ready", flush=True)
        time.sleep(60)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    proc.kill()
    proc.wait()
    with FalkorStore(falkordb_settings(tmp_path, "g")) as store:
        store.write([sample()])
        assert len(EmbeddedServer(tmp_path).clients()) == 1
    assert not (tmp_path / "falkordb.sock").exists()
