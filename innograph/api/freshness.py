"""Keeping a serving process's in-memory graph current without making requests pay for it.

A background task checks the store version every half staleness bound, so a request almost
never waits for that round trip (or for a rebuild to start). When the projection is new
(start-up, or rebuilt after a write elsewhere), it is moved out of the garbage collector's
sight with `gc.freeze()`: a projection of a 100k-relationship graph plus its name index is
a few hundred thousand long-lived objects, and every full collection would walk them all,
a pause of 50 ms or more that lands on whichever requests are in flight. Frozen objects are
still freed by reference counting when a rebuild replaces them; only reference cycles among
them would stay, and the projection's records and arrays have none.
"""

from __future__ import annotations

import gc
import logging

import anyio

from innograph.api.deps import ApiState
from innograph.graph.analytics.projection import Projection

log = logging.getLogger(__name__)


class Freshness:
    """Per-app: remembers which projection was last frozen."""

    def __init__(self, state: ApiState) -> None:
        self.state = state
        self._frozen: Projection | None = None
        self._named: Projection | None = None

    def check(self, names: bool = True) -> None:
        """Blocking: version check (rebuild if the store changed), then freeze a new
        projection together with its name index (built here unless `names` is false)."""
        service = self.state.service()
        proj = service.projection()
        fresh = proj is not self._frozen
        if names and proj is not self._named:
            service.lookup("warm-up")  # builds the name index and bigram table for `proj`
            service.lookup("预热查询")
            self._named = proj
            fresh = True
        if fresh:
            gc.collect()
            gc.freeze()
            self._frozen = proj

    async def run(self) -> None:
        """Forever (cancelled at shutdown): `check` now (start-up builds the projection
        only: the name index, seconds on a large graph, is built here while requests by
        id are already answered; a request by name meanwhile builds or waits for it),
        then every half staleness bound. Failures (store briefly unreachable) are logged
        once per streak; requests then report them."""
        interval = max(0.05, self.state.limits.staleness / 2)
        failing = False
        first = True
        while True:
            if not first:
                await anyio.sleep(interval)
            first = False
            try:
                await anyio.to_thread.run_sync(self.check)
            except Exception:
                if not failing:
                    log.warning("background graph refresh failed", exc_info=True)
                failing = True
            else:
                failing = False
