"""The graph in columns: what the analytics projection needs, read in bulk.

`EntityRecord`/`RelationRecord` objects per relationship cost a million Python objects and
a JSON parse each on a 1M-relationship graph; the projection only needs, per relationship,
its two ends, its type, evidence count, confidence and year. An engine that can produce
these as arrays (FalkorDB: see `FalkorStore.graph_columns`) lets the projection load in
seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from innograph.model import EntityRecord


@dataclass(slots=True)
class GraphColumns:
    """Entities as records keyed by an engine-internal integer (`keys`, ascending), and
    relationships as parallel arrays whose ends are those integers."""

    version: str
    keys: npt.NDArray[np.int64]
    records: list[EntityRecord]
    src: npt.NDArray[np.int64]
    dst: npt.NDArray[np.int64]
    type_names: list[str]
    types: npt.NDArray[np.int64]  # index into type_names
    counts: npt.NDArray[np.int64]
    confidence: npt.NDArray[np.float64]
    years: npt.NDArray[np.int64]
    seconds: dict[str, float] = field(default_factory=dict)  # where loading time went
