UNWIND $rows AS row
MATCH (a:Entity {id: row.source})-[r]->(b:Entity {id: row.target})
WHERE type(r) = row.type AND r.evidence_count = 0
DELETE r
RETURN count(*)
