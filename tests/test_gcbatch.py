"""The one relaxed-GC helper shared by store writes, projection builds and extraction."""

from __future__ import annotations

import gc
import threading

from innograph.gcbatch import BATCH_THRESHOLD, fewer_collections
from innograph.ingest import pipeline


def test_threshold_raised_inside_and_restored_by_the_last_one_out() -> None:
    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with fewer_collections():
            assert gc.get_threshold() == BATCH_THRESHOLD
            with fewer_collections():
                assert gc.get_threshold() == BATCH_THRESHOLD
            # The inner exit is not the last one out.
            assert gc.get_threshold() == BATCH_THRESHOLD
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*saved)


def test_a_higher_threshold_is_kept() -> None:
    saved = gc.get_threshold()
    try:
        gc.set_threshold(50_000, 5, 30)
        with fewer_collections():
            assert gc.get_threshold() == (50_000, 20, 30)
        assert gc.get_threshold() == (50_000, 5, 30)
    finally:
        gc.set_threshold(*saved)


def test_threads_overlapping_restore_once_all_left() -> None:
    saved = gc.get_threshold()
    inside, release = threading.Barrier(3), threading.Event()

    def worker() -> None:
        with fewer_collections():
            inside.wait()
            release.wait()

    try:
        gc.set_threshold(700, 10, 10)
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        inside.wait()
        assert gc.get_threshold() == BATCH_THRESHOLD
        release.set()
        for thread in threads:
            thread.join()
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*saved)


def test_extraction_uses_the_shared_helper() -> None:
    # One implementation: the pipeline has no copy of its own to drift apart.
    assert pipeline.fewer_collections is fewer_collections
    assert not hasattr(pipeline, "_fewer_collections")
