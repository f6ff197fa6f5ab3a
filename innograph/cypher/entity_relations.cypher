MATCH (n:Entity {id: $id})-[r]-(:Entity)
RETURN r.key, r.evidence_count, r.confidence, r.doc_ids, r.props_json
ORDER BY r.evidence_count DESC, r.confidence DESC, r.key
SKIP $offset LIMIT $limit
