// The documents naming each entity (documents list the entities they name; FalkorDB's
// array index answers `id IN d.entity_ids` per id).
UNWIND $ids AS id
MATCH (d:Document)
WHERE id IN d.entity_ids
RETURN id, d.id, d.ingested_at
