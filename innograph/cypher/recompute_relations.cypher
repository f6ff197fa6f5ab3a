// Counters from the evidence that is left. Relationships left with none are deleted by
// delete_empty_relations in a second query (FalkorDB drops the SET when a WITH ... WHERE
// follows it in the same query).
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})-[r]->(b:Entity {id: row.target})
WHERE type(r) = row.type
OPTIONAL MATCH (e:Evidence {rel_key: row.key})
WITH r, count(e) AS n, max(e.confidence) AS best, collect(DISTINCT e.doc_id) AS docs
SET r.evidence_count = n, r.confidence = coalesce(best, 0.0), r.doc_ids = docs
RETURN r.key, n
