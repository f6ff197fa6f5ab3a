"""`innograph serve`: run the API under uvicorn, in one process or several workers."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from innograph.api.app import create_app
from innograph.config import Settings

# uvicorn starts workers as fresh interpreters that import an app factory by name; the
# settings reach them through this variable of the parent's environment.
SETTINGS_ENV = "INNOGRAPH_SERVE_SETTINGS"
LOG_FORMAT = "%(levelname)s:     %(name)s: %(message)s"


def encode_settings(settings: Settings) -> str:
    values = dataclasses.asdict(settings)
    values["home"] = str(settings.home)
    return json.dumps(values)


def decode_settings(text: str) -> Settings:
    values = json.loads(text)
    values["home"] = Path(values["home"])
    return Settings(**values)


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn factory); settings from SETTINGS_ENV."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    return create_app(decode_settings(os.environ[SETTINGS_ENV]), warm=True)


def run(settings: Settings, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve until interrupted. Each worker process holds its own in-memory projection of
    the graph (built at start-up, memory per worker) and checks the store version at most
    every INNOGRAPH_API_STALENESS seconds, so a write through one worker reaches the others
    within that bound. More workers than cores buys nothing: analytics are CPU-bound."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    if workers < 1:
        raise ValueError("workers must be at least 1")
    if workers == 1:
        app = create_app(settings, warm=True)
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
        return
    os.environ[SETTINGS_ENV] = encode_settings(settings)
    uvicorn.run(
        "innograph.api.server:worker_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
    )
