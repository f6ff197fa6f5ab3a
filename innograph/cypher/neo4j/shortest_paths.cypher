MATCH (a:Entity {id: $source}), (b:Entity {id: $target})
MATCH p = allShortestPaths((a)-[*..15]-(b))
RETURN [r IN relationships(p) | [r.key, r.evidence_count, r.confidence, r.doc_ids, r.props_json]]
LIMIT $limit
