"""The graph in columns: what the analytics projection needs, read in bulk.

`EntityRecord`/`RelationRecord` objects per relationship cost a million Python objects and
a JSON parse each on a 1M-relationship graph; the projection only needs, per relationship,
its two ends, its type, evidence count, confidence and year. An engine that can produce
these as arrays (FalkorDB: see `FalkorStore.graph_columns`) lets the projection load in
seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from innograph.model import EntityRecord, RelationRecord, RelType, relation_year


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


# One relationship as the projection needs it: source id, target id, type, evidence count,
# confidence, year.
RelationRow = tuple[str, str, str, int, float, int]


def columns_from_rows(
    records: list[EntityRecord],
    relations: Iterable[RelationRow],
    version: str,
    seconds: dict[str, float] | None = None,
) -> GraphColumns:
    """The columns of entity records and relationship rows: keys are positions in the entity
    order; relationships with an unknown end get key -1, which the projection skips."""
    index = {record.id: i for i, record in enumerate(records)}
    type_names = [rel_type.value for rel_type in RelType]
    type_ids = {name: i for i, name in enumerate(type_names)}
    src: list[int] = []
    dst: list[int] = []
    types: list[int] = []
    counts: list[int] = []
    confidence: list[float] = []
    years: list[int] = []
    for source, target, rel_type, count, conf, year in relations:
        t = type_ids.get(rel_type)
        if t is None:
            t = type_ids[rel_type] = len(type_names)
            type_names.append(rel_type)
        src.append(index.get(source, -1))
        dst.append(index.get(target, -1))
        types.append(t)
        counts.append(count)
        confidence.append(conf)
        years.append(year)
    return GraphColumns(
        version=version,
        keys=np.arange(len(records), dtype=np.int64),
        records=records,
        src=np.array(src, dtype=np.int64),
        dst=np.array(dst, dtype=np.int64),
        type_names=type_names,
        types=np.array(types, dtype=np.int64),
        counts=np.array(counts, dtype=np.int64),
        confidence=np.array(confidence, dtype=np.float64),
        years=np.array(years, dtype=np.int64),
        seconds=seconds or {},
    )


def columns_from_records(
    entities: Iterable[EntityRecord], relations: Iterable[RelationRecord], version: str
) -> GraphColumns:
    """The columns of a graph read as records (engines without a bulk column reader)."""
    rows = (
        (
            rel.source,
            rel.target,
            rel.type,
            rel.evidence_count,
            rel.confidence,
            relation_year(rel.properties),
        )
        for rel in relations
    )
    return columns_from_rows(list(entities), rows, version)
