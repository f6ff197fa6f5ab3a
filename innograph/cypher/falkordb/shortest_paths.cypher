// FalkorDB resolves both ends before allShortestPaths; it has no undirected shortestPath.
MATCH (a:Entity {id: $source}), (b:Entity {id: $target})
WITH a, b
MATCH p = allShortestPaths((a)-[*1..15]-(b))
RETURN [r IN relationships(p) | [r.key, r.evidence_count, r.confidence, r.doc_ids, r.props_json]]
LIMIT $limit
