"""Small readers of the pipeline's working state shared by the rule tests."""

from __future__ import annotations

from innograph.ingest.components.state import DocState
from innograph.model import Label, RelType


def entities(state: DocState) -> dict[str, Label]:
    return {e.name: e.label for e in state.entities}


def aliases(state: DocState, name: str) -> list[str]:
    return next(e.aliases for e in state.entities if e.name == name)


def relations(state: DocState) -> set[tuple[str, str, str]]:
    """(source, type, target) names; symmetric types in both orders."""
    out = set()
    for r in state.relations:
        source, target = state.entities[r.source].name, state.entities[r.target].name
        out.add((source, r.type.value, target))
        if r.type == RelType.COLLABORATES_WITH:
            out.add((target, r.type.value, source))
    return out
