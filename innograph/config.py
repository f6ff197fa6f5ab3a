"""Settings from flags and the environment. One `Settings` object is built per process
and handed to the store, the CLI and the API alike."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

DEFAULT_GRAPH = "innograph"


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
    cors_origins: list[str] = field(default_factory=list)

    @property
    def embedded(self) -> bool:
        return self.backend == "falkordb" and not self.falkordb_url

    def describe(self) -> str:
        if self.backend == "neo4j":
            return f"neo4j {self.neo4j_uri} (database {self.neo4j_database or 'default'})"
        if self.falkordb_url:
            return f"falkordb {self.falkordb_url} (graph {self.graph})"
        return f"embedded falkordb in {self.home} (graph {self.graph})"


def default_home() -> Path:
    return Path(platformdirs.user_data_dir("innograph", appauthor=False))


def load_settings(db: str | None = None, env: dict[str, str] | None = None) -> Settings:
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
        cors_origins=cors,
    )
