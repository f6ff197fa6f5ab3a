// Neo4j cannot index list membership: one scan of Document per batch of ids, not one per id.
MATCH (d:Document)
WHERE any(x IN d.entity_ids WHERE x IN $ids)
UNWIND [x IN d.entity_ids WHERE x IN $ids] AS id
RETURN id, d.id, d.ingested_at
