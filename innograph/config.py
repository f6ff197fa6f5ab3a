"""Every knob in one place. `load_settings` reads the environment (and the CLI's flags) once
per process into one frozen `Settings`, which is handed down to the store, the service, the
ingest flow, the CLI and the API; nothing below reads the environment itself.

| variable                                  | setting                                        |
|-------------------------------------------|------------------------------------------------|
| INNOGRAPH_HOME (or --db DIR)              | `home`: data directory of the embedded server  |
| INNOGRAPH_GRAPH                           | `graph`: graph name inside FalkorDB            |
| INNOGRAPH_FALKORDB_URL (or --db redis://) | `falkordb_url`: an existing FalkorDB           |
| NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD,    | `neo4j_*` (or --db neo4j://...)                |
| NEO4J_DATABASE                            |                                                |
| INNOGRAPH_API_KEY                         | `api_key`: key the API's write endpoints need  |
| INNOGRAPH_API_KEY_FILE                    | `api_key_file`: keys, one a line, reloaded on change |
| INNOGRAPH_API_READS_NEED_KEY              | `reads_need_key`: GETs need a key too (not /health) |
| INNOGRAPH_CORS_ORIGINS                    | `cors_origins`: comma-separated                |
| INNOGRAPH_STAT_NER=0                      | `stat_ner`: switch the statistical NER off     |
| INNOGRAPH_API_*                           | `limits`: the API's caps, see `Limits`         |
| --verbose                                 | `verbose`: error details in the CLI            |
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from innograph.errors import InvalidSetting

DEFAULT_GRAPH = "innograph"
API_ENV_PREFIX = "INNOGRAPH_API_"
_OFF = {"0", "off", "false", "no"}


@dataclass(frozen=True, slots=True)
class Limits:
    """Request limits of the HTTP API: defaults and their INNOGRAPH_API_* variables.

    They end up in the OpenAPI schema as parameter maxima, which is what lets a client (or
    a fuzzer) know them up front.

    | variable                          | default    | what it bounds                            |
    |-----------------------------------|------------|-------------------------------------------|
    | INNOGRAPH_API_MAX_DEPTH           | 3          | `depth` of /entities/{id}/neighbors       |
    | INNOGRAPH_API_MAX_K               | 10         | `k` of /paths                             |
    | INNOGRAPH_API_MAX_HOPS            | 8          | `max_hops` of /paths                      |
    | INNOGRAPH_API_MAX_PAGE            | 200        | `limit` / `top` of every list             |
    | INNOGRAPH_API_MAX_NEIGHBORS       | 500        | nodes returned by /entities/{id}/neighbors|
    | INNOGRAPH_API_MAX_UPLOAD_BYTES    | 10485760   | request body of POST /documents (10 MB)   |
    | INNOGRAPH_API_MAX_QUERY_CHARS     | 200        | length of names and search strings        |
    | INNOGRAPH_API_MAX_HEADER_BYTES    | 16384      | request line + headers of one request     |
    | INNOGRAPH_API_QUERY_TIMEOUT       | 10         | seconds a read request may run            |
    | INNOGRAPH_API_INGEST_TIMEOUT      | 120        | seconds an upload may spend in extraction |
    | INNOGRAPH_API_STALENESS           | 1          | seconds a server process trusts its       |
    |                                   |            | in-memory graph before asking the store   |
    | INNOGRAPH_API_VIEW_NODES          | 2000       | default node cap of an explorer view      |
    | INNOGRAPH_API_MAX_VIEW_NODES      | 20000      | largest cap a client may ask /view for    |

    Staleness: analytics and name search answer from an in-memory projection of the graph.
    Checking the store's version on every request would cost a round trip each, so a process
    checks at most once per INNOGRAPH_API_STALENESS seconds. Writes through the API itself
    are seen by the process that made them at once; writes by other processes (another
    worker, the CLI) within that bound.
    """

    max_depth: int = 3
    max_k: int = 10
    max_hops: int = 8
    max_page: int = 200
    max_neighbors: int = 500
    max_upload_bytes: int = 10 * 1024 * 1024
    max_query_chars: int = 200
    max_header_bytes: int = 16 * 1024
    query_timeout: float = 10.0
    ingest_timeout: float = 120.0
    staleness: float = 1.0
    view_nodes: int = 2000
    max_view_nodes: int = 20000

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """Limits from INNOGRAPH_API_* variables; a malformed or non-positive value is an
        error at start-up (`InvalidSetting`) rather than a silently ignored setting."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        defaults = cls()
        for name in cls.__dataclass_fields__:
            var = API_ENV_PREFIX + name.upper()
            raw = env.get(var)
            if raw is None or raw.strip() == "":
                continue
            kind = float if isinstance(getattr(defaults, name), float) else int
            try:
                value = kind(raw)
            except ValueError:
                raise InvalidSetting(f"{var}={raw!r} is not a number") from None
            if value <= 0:
                raise InvalidSetting(f"{var} must be positive, got {raw!r}")
            values[name] = value
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Settings:
    backend: str  # "falkordb" (embedded or external) or "neo4j"
    home: Path  # data directory of the embedded server (and caches)
    graph: str = DEFAULT_GRAPH
    falkordb_url: str | None = None  # an existing FalkorDB instead of the embedded one
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str | None = None
    api_key: str | None = None
    # A file of API keys, one a line, read again whenever it changes: keys are rotated by
    # editing it (old and new side by side, then the old one removed), no restart.
    api_key_file: Path | None = None
    # Reads need a key too (INNOGRAPH_API_READS_NEED_KEY=1); /health stays open.
    reads_need_key: bool = False
    cors_origins: list[str] = field(default_factory=list)
    # The statistical Chinese NER model: None = use it when it is installed; False = rules
    # and gazetteers only (INNOGRAPH_STAT_NER=0).
    stat_ner: bool | None = None
    limits: Limits = field(default_factory=Limits)
    verbose: bool = False  # the CLI's --verbose: error details

    @property
    def embedded(self) -> bool:
        return self.backend == "falkordb" and not self.falkordb_url

    @property
    def cache_dir(self) -> Path:
        """Where derived data that survives a restart is kept (connector scores)."""
        return self.home / "cache" / "analytics"

    def describe(self) -> str:
        if self.backend == "neo4j":
            return f"neo4j {self.neo4j_uri} (database {self.neo4j_database or 'default'})"
        if self.falkordb_url:
            return f"falkordb {self.falkordb_url} (graph {self.graph})"
        return f"embedded falkordb in {self.home} (graph {self.graph})"

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    # A serving process hands its settings to the worker processes uvicorn starts (see
    # `innograph.api.server`) as one JSON string.
    def encode(self) -> str:
        values = dataclasses.asdict(self)
        values["home"] = str(self.home)
        return json.dumps(values)

    @classmethod
    def decode(cls, text: str) -> Settings:
        values = json.loads(text)
        values["home"] = Path(values["home"])
        values["limits"] = Limits(**values.get("limits", {}))
        return cls(**values)


def default_home() -> Path:
    return Path(platformdirs.user_data_dir("innograph", appauthor=False))


def load_settings(
    db: str | None = None, env: Mapping[str, str] | None = None, verbose: bool = False
) -> Settings:
    """Build settings. `db` (the CLI's --db) wins over the environment and may be a Neo4j
    URI (neo4j://, bolt://, ...), a FalkorDB URL (redis://, rediss://, unix://) or a data
    directory for the embedded server."""
    env = dict(os.environ if env is None else env)
    home = Path(env.get("INNOGRAPH_HOME") or default_home()).expanduser()
    falkordb_url = env.get("INNOGRAPH_FALKORDB_URL") or None
    neo4j_uri = env.get("NEO4J_URI") or None
    if db:
        if db.split("://", 1)[0] in {"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"}:
            neo4j_uri, falkordb_url = db, None
        elif db.split("://", 1)[0] in {"redis", "rediss", "unix", "falkordb"}:
            neo4j_uri, falkordb_url = None, db
        else:
            neo4j_uri, falkordb_url, home = None, None, Path(db).expanduser()
    cors = [o.strip() for o in env.get("INNOGRAPH_CORS_ORIGINS", "").split(",") if o.strip()]
    stat_ner = False if env.get("INNOGRAPH_STAT_NER", "").strip().lower() in _OFF else None
    return Settings(
        backend="neo4j" if neo4j_uri else "falkordb",
        home=home.resolve(),
        graph=env.get("INNOGRAPH_GRAPH", DEFAULT_GRAPH),
        falkordb_url=falkordb_url,
        neo4j_uri=neo4j_uri,
        neo4j_user=env.get("NEO4J_USER", env.get("NEO4J_USERNAME", "neo4j")),
        neo4j_password=env.get("NEO4J_PASSWORD", ""),
        neo4j_database=env.get("NEO4J_DATABASE") or None,
        api_key=env.get("INNOGRAPH_API_KEY") or None,
        api_key_file=Path(env["INNOGRAPH_API_KEY_FILE"]).expanduser()
        if env.get("INNOGRAPH_API_KEY_FILE")
        else None,
        reads_need_key=env.get("INNOGRAPH_API_READS_NEED_KEY", "").strip().lower()
        in {"1", "true", "yes", "on"},
        cors_origins=cors,
        stat_ner=stat_ner,
        limits=Limits.from_env(env),
        verbose=verbose,
    )
