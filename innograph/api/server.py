"""`innograph serve`: run the API under uvicorn, in one process or several workers."""

from __future__ import annotations

import logging
import os

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
    if workers == 1:
        app = create_app(settings, warm=True)
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
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
    )
