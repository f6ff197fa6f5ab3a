"""Request limits of the HTTP API: defaults, hard caps and their environment variables.

Every limit has a default and can be changed through the environment, so an operator can
tighten or loosen it without code. The values end up in the OpenAPI schema as parameter
maxima, which is what lets a client (or a fuzzer) know them up front.

| variable                          | default    | what it bounds                                  |
|-----------------------------------|------------|-------------------------------------------------|
| INNOGRAPH_API_MAX_DEPTH           | 3          | `depth` of /entities/{id}/neighbors             |
| INNOGRAPH_API_MAX_K               | 10         | `k` of /paths                                   |
| INNOGRAPH_API_MAX_HOPS            | 8          | `max_hops` of /paths                            |
| INNOGRAPH_API_MAX_PAGE            | 200        | `limit` / `top` of every list                   |
| INNOGRAPH_API_MAX_NEIGHBORS       | 500        | nodes returned by /entities/{id}/neighbors      |
| INNOGRAPH_API_MAX_UPLOAD_BYTES    | 10485760   | request body of POST /documents (10 MB)         |
| INNOGRAPH_API_MAX_QUERY_CHARS     | 200        | length of names and search strings              |
| INNOGRAPH_API_QUERY_TIMEOUT       | 10         | seconds a read request may run                  |
| INNOGRAPH_API_INGEST_TIMEOUT      | 120        | seconds an upload may spend in extraction       |
| INNOGRAPH_API_STALENESS           | 1          | seconds a server process trusts its in-memory   |
|                                   |            | graph before asking the store for its version   |

Staleness: analytics and name search answer from an in-memory projection of the graph.
Checking the store's version on every request would cost a round trip each, so a process
checks at most once per INNOGRAPH_API_STALENESS seconds. Writes through the API itself
(POST/DELETE /documents) are seen by the process that made them at once; writes by other
processes (another worker, the CLI) within that bound.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

ENV_PREFIX = "INNOGRAPH_API_"


@dataclass(frozen=True, slots=True)
class Limits:
    max_depth: int = 3
    max_k: int = 10
    max_hops: int = 8
    max_page: int = 200
    max_neighbors: int = 500
    max_upload_bytes: int = 10 * 1024 * 1024
    max_query_chars: int = 200
    query_timeout: float = 10.0
    ingest_timeout: float = 120.0
    staleness: float = 1.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """Limits from INNOGRAPH_API_* variables; a malformed or non-positive value is an
        error at start-up rather than a silently ignored setting."""
        env = os.environ if env is None else env
        values: dict[str, int | float] = {}
        for name in cls.__dataclass_fields__:
            raw = env.get(ENV_PREFIX + name.upper())
            if raw is None or raw.strip() == "":
                continue
            kind = float if isinstance(getattr(cls(), name), float) else int
            try:
                value = kind(raw)
            except ValueError:
                raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a number") from None
            if value <= 0:
                raise ValueError(f"{ENV_PREFIX}{name.upper()} must be positive, got {raw!r}")
            values[name] = value
        return cls(**values)  # type: ignore[arg-type]
