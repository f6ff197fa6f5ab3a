"""A relaxed garbage-collector threshold for the length of one bulk operation.

A store write builds a few hundred thousand short-lived lists and dicts (parameter rows).
At the default threshold of 700 the collector runs hundreds of times per batch and walks
the batch's live rows again and again; measured on `bench/store.py`'s 10k-relationship
batches, building the rows took 17 us a relationship with the default threshold and 4 us
without collections. With a threshold of 20k most of them are freed by reference counting
before any collection runs. Thread-safe and re-entrant: the first caller in sets the
threshold, the last one out restores it. (`ingest.pipeline` uses it for extraction too.)
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BATCH_THRESHOLD = (20_000, 20, 20)
_lock = threading.Lock()
_depth = 0
_saved: tuple[int, int, int] = (700, 10, 10)


@contextmanager
def fewer_collections() -> Iterator[None]:
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(*(max(a, b) for a, b in zip(_saved, BATCH_THRESHOLD, strict=True)))
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_saved)
