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

    def check(self) -> None:
        """Blocking: version check (rebuild if the store changed), then freeze a new
        projection together with its name index."""
        service = self.state.service()
        proj = service.projection()
        if proj is not self._frozen:
            service.lookup("warm-up")  # builds the name index and bigram table for `proj`
            service.lookup("预热查询")
            gc.collect()
            gc.freeze()
            self._frozen = proj

    async def run(self) -> None:
        """Forever (cancelled at shutdown): `check` every half staleness bound. Failures
        (store briefly unreachable) are logged once per streak; requests then report them."""
        interval = max(0.05, self.state.limits.staleness / 2)
        failing = False
        while True:
            await anyio.sleep(interval)
            try:
                await anyio.to_thread.run_sync(self.check)
            except Exception:
                if not failing:
                    log.warning("background graph refresh failed", exc_info=True)
                failing = True
            else:
                failing = False
