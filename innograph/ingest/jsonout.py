"""The JSON form of one document's extraction, as printed by `innograph extract --json` and read
by the gold scorer: {"document", "entities": [{"name", "type", "aliases"}],
"relations": [{"source", "target", "type", "evidence"}]}. `explain=True` adds ids, extractors,
confidences, offsets and properties (role ...) for debugging rules."""

from __future__ import annotations

from typing import Any

from innograph.model import Evidence, Extraction


def _best(evidence: list[Evidence]) -> Evidence | None:
    return max(evidence, key=lambda e: (e.confidence, -e.start), default=None)


def extraction_to_json(ex: Extraction, path: str, explain: bool = False) -> dict[str, Any]:
    names = {e.id: e.name for e in ex.entities}
    entities: list[dict[str, Any]] = []
    for e in ex.entities:
        item: dict[str, Any] = {"name": e.name, "type": e.label.value, "aliases": list(e.aliases)}
        if explain:
            item.update(
                id=e.id,
                extractor=e.extractor,
                confidence=e.properties.get("confidence"),
                offsets=[[s, t] for _, s, t in e.mentions],
                properties={k: v for k, v in e.properties.items() if k != "confidence"},
            )
        entities.append(item)
    relations: list[dict[str, Any]] = []
    for r in ex.relations:
        best = _best(r.evidence)
        item = {
            "source": names.get(r.source, r.source),
            "target": names.get(r.target, r.target),
            "type": r.type.value,
            "evidence": best.sentence if best else "",
        }
        if explain:
            item.update(
                source_id=r.source,
                target_id=r.target,
                extractor=best.extractor if best else "",
                confidence=best.confidence if best else 0.0,
                offsets=[[ev.start, ev.end] for ev in r.evidence],
                **({"role": r.properties["role"]} if "role" in r.properties else {}),
                properties=dict(r.properties),
            )
        relations.append(item)
    return {"document": path, "entities": entities, "relations": relations}
