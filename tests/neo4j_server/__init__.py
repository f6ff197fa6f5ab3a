"""Build and run the project's own Neo4j test server (the Maven module beside this file).

`build()` compiles it once: the jars stay in Maven's local repository (~/.m2) and the class path
is written to target/classpath.txt, so a later session only re-runs Maven when pom.xml or the
Java source changed or a jar went missing. `Neo4jTestServer` starts it (one JVM holding
`instances` independent Neo4j DBMSs, one Bolt port each: Community has a single user database
per DBMS, and tests need a shared module graph and a fresh per-test graph at the same time),
waits for its ready line, and stops it by closing its stdin (SIGTERM, then SIGKILL, as
fallbacks). Used by tests/conftest.py and bench/store.py.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MODULE = Path(__file__).resolve().parent
TARGET = MODULE / "target"
JAR = TARGET / "neo4j-test-server-1.0.jar"
CLASSPATH = TARGET / "classpath.txt"
MAIN_CLASS = "org.innograph.testserver.TestServer"
# Auth is off on the test server; the driver still sends these, as against a real server.
USER = "neo4j"
PASSWORD = "innograph-test"


class Neo4jServerError(RuntimeError):
    """The test server could not be built or started (the message says why)."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    uri: str
    user: str = USER
    password: str = PASSWORD


def missing_tools() -> list[str]:
    return [tool for tool in ("java", "mvn") if shutil.which(tool) is None]


STAMP = TARGET / "built.sha256"


def _sources_digest() -> str:
    # Content, not mtimes: a fresh checkout gives every file a new mtime.
    digest = hashlib.sha256()
    for source in [MODULE / "pom.xml", *sorted((MODULE / "src").rglob("*.java"))]:
        digest.update(source.relative_to(MODULE).as_posix().encode() + b"\0")
        digest.update(source.read_bytes())
    return digest.hexdigest()


def is_built() -> bool:
    """The jar and class path were built from the current sources and every jar is still in
    the local Maven repository."""
    if not (JAR.exists() and CLASSPATH.exists() and STAMP.exists()):
        return False
    if STAMP.read_text().strip() != _sources_digest():
        return False
    return all(Path(jar).exists() for jar in CLASSPATH.read_text().strip().split(os.pathsep))


def build(timeout: float = 1800.0) -> float:
    """Build the server unless it is up to date; returns the seconds Maven took (0 when
    nothing was built). A lock file keeps concurrent test sessions from building at once."""
    if missing := missing_tools():
        raise Neo4jServerError(
            f"cannot build the Neo4j test server: {', '.join(missing)} not found"
        )
    TARGET.mkdir(exist_ok=True)
    with open(TARGET / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_built():
            return 0.0
        started = time.perf_counter()
        try:
            done = subprocess.run(
                ["mvn", "-q", "-B", "package"],
                cwd=MODULE,
                capture_output=True,
                text=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise Neo4jServerError(f"mvn package took longer than {timeout:.0f}s") from None
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-20:])
            raise Neo4jServerError(f"mvn package failed (exit {done.returncode}):\n{tail}")
        if not (JAR.exists() and CLASSPATH.exists()):
            raise Neo4jServerError("mvn package finished but left no jar and class path")
        STAMP.write_text(_sources_digest() + "\n")
        if not is_built():
            raise Neo4jServerError("the class path names jars that are not in ~/.m2")
        return time.perf_counter() - started


def _free_ports(count: int) -> int:
    """A base port with `count` consecutive free loopback ports after it."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base + count >= 65535:
            continue
        sockets: list[socket.socket] = []
        try:
            for port in range(base, base + count):
                one = socket.socket()
                sockets.append(one)
                one.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for one in sockets:
                one.close()
    raise Neo4jServerError("no run of free loopback ports found")


class Neo4jTestServer:
    """One running test server; `endpoints` lists one Bolt URI per DBMS."""

    def __init__(
        self,
        data: Path,
        instances: int = 1,
        heap: str = "768m",
        pagecache: str = "64m",
        ready_timeout: float = 300.0,
    ) -> None:
        self.data = data
        self.instances = instances
        self.heap = heap
        self.pagecache = pagecache
        self.ready_timeout = ready_timeout
        self.endpoints: list[Endpoint] = []
        self.process: subprocess.Popen[str] | None = None
        self.startup_s = 0.0

    @property
    def log(self) -> Path:
        return self.data / "server.log"

    def start(self) -> list[Endpoint]:
        self.data.mkdir(parents=True, exist_ok=True)
        classpath = os.pathsep.join([str(JAR), CLASSPATH.read_text().strip()])
        port = _free_ports(self.instances)
        command = [
            "java",
            f"-Xmx{self.heap}",
            "-Xss2m",
            "-XX:+UseG1GC",
            # Neo4j reads off-heap memory through these; without them it logs warnings and
            # falls back to slower paths.
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "-cp",
            classpath,
            MAIN_CLASS,
            "--port",
            str(port),
            "--data",
            str(self.data),
            "--instances",
            str(self.instances),
            "--pagecache",
            self.pagecache,
        ]
        started = time.perf_counter()
        log = open(self.log, "a")  # noqa: SIM115 - the child owns it until it exits
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            start_new_session=True,  # a Ctrl-C in the terminal reaches pytest, not the JVM
        )
        log.close()
        line = self._ready_line()
        self.endpoints = [Endpoint(uri) for uri in line.split()[2:]]
        self.startup_s = time.perf_counter() - started
        # Keep draining stdout so a chatty server never blocks on a full pipe.
        assert self.process.stdout is not None
        stdout = self.process.stdout
        threading.Thread(target=lambda: [None for _ in stdout], daemon=True).start()
        return self.endpoints

    def _ready_line(self) -> str:
        assert self.process is not None and self.process.stdout is not None
        found: list[str] = []
        stdout = self.process.stdout

        def read() -> None:
            for line in stdout:
                if line.startswith("NEO4J READY"):
                    found.append(line.strip())
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(self.ready_timeout)
        if found:
            return found[0]
        code = self.process.poll()
        self.stop()
        tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-15:])
        why = f"exited with {code}" if code is not None else f"not ready in {self.ready_timeout}s"
        raise Neo4jServerError(f"Neo4j test server {why}; log {self.log}:\n{tail}")

    def peak_rss_mb(self) -> float:
        """The JVM's peak resident memory (heap, page cache and the rest), from /proc."""
        if self.process is None:
            return 0.0
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return 0.0
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self, timeout: float = 60.0) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        # Closing stdin is the server's clean shutdown; signals are the fallbacks.
        try:
            assert process.stdin is not None
            process.stdin.close()
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def __enter__(self) -> Neo4jTestServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def running(data: Path, instances: int = 1, **options: str) -> Iterator[Neo4jTestServer]:
    """Build if needed, start, yield the running server, stop."""
    build()
    server = Neo4jTestServer(data, instances=instances, **options)  # type: ignore[arg-type]
    with server:
        yield server
