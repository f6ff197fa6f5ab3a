// Relationships by key (source|TYPE|target), as every relation-returning query gives them.
UNWIND $keys AS k
WITH k, split(k, '|') AS part
MATCH (a:Entity {id: part[0]})-[r]->(b:Entity {id: part[2]})
WHERE type(r) = part[1]
RETURN r.key, r.evidence_count, r.confidence, r.doc_ids, r.props_json
