// The document leaves every entity's doc_ids. Returns the entities left with none, which
// delete_orphan_entities then checks (FalkorDB mis-filters a WITH ... WHERE on a property
// SET earlier in the same query, so the two steps are separate queries).
MATCH (n:Entity)
WHERE $id IN n.doc_ids
SET n.doc_ids = [d IN n.doc_ids WHERE d <> $id]
RETURN n.id, size(n.doc_ids)
