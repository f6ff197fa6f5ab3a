// Pages by source entity id (keyset); every outgoing relationship of a page's entities
// comes in the same page. The entity id is returned even when it has none, as the cursor.
MATCH (a:Entity)
WHERE a.id > $after
WITH a ORDER BY a.id LIMIT $limit
OPTIONAL MATCH (a)-[r]->(:Entity)
RETURN a.id, r.key, r.evidence_count, r.confidence, r.doc_ids, r.props_json
