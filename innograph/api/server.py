"""`innograph serve`: run the API under uvicorn, in one process or several workers."""

from __future__ import annotations

import logging
import os
from typing import Any

import uvicorn
from fastapi import FastAPI

from innograph.api.app import create_app
from innograph.config import Settings
from innograph.errors import InvalidInput

# uvicorn starts workers as fresh interpreters that import an app factory by name; the
# parent's settings reach them encoded in this variable of its environment (the only
# channel a factory has), never re-read from the rest of the environment.
SETTINGS_ENV = "INNOGRAPH_SERVE_SETTINGS"
LOG_FORMAT = "%(levelname)s:     %(name)s: %(message)s"


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn factory); settings from SETTINGS_ENV."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    return create_app(Settings.decode(os.environ[SETTINGS_ENV]), warm=True)


def run(settings: Settings, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve until interrupted. Each worker process holds its own in-memory projection of
    the graph (built at start-up, memory per worker) and checks the store version at most
    every INNOGRAPH_API_STALENESS seconds, so a write through one worker reaches the others
    within that bound. More workers than cores buys nothing: analytics are CPU-bound."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    if workers < 1:
        raise InvalidInput("workers must be at least 1", parameter="workers")
    http = http_options(settings.limits.max_header_bytes)
    if workers == 1:
        app = create_app(settings, warm=True)
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=False, **http)
        return
    os.environ[SETTINGS_ENV] = settings.encode()
    uvicorn.run(
        "innograph.api.server:worker_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
        **http,
    )


def http_options(max_header_bytes: int) -> dict[str, Any]:
    """uvicorn's HTTP options: h11 (httptools has no cap on a request head) with a bounded
    buffer for a head still arriving, so a client trickling endless headers is cut off
    instead of growing the buffer: the headers' cap plus room for the request line (whose
    query string the routes bound themselves, with a clean 422). Heads that arrive whole in
    one read are capped by `HeaderSizeLimit`."""
    return {"http": "h11", "h11_max_incomplete_event_size": max_header_bytes + 64 * 1024}
