"""`innograph serve`: run the API under uvicorn."""

from __future__ import annotations

import logging

import uvicorn

from innograph.api.app import create_app
from innograph.config import Settings


def run(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    app = create_app(settings)
    # One process: the analytics projection lives in memory and is shared by all requests.
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
