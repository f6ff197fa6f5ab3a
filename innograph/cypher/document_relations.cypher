MATCH (e:Evidence {doc_id: $id})
WITH DISTINCT e.rel_key AS key
WITH key, split(key, '|') AS part
MATCH (a:Entity {id: part[0]})-[r]->(b:Entity {id: part[2]})
WHERE type(r) = part[1]
RETURN r.key, r.evidence_count, r.confidence, r.doc_ids, r.props_json
ORDER BY r.key
