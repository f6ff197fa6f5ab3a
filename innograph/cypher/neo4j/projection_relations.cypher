// One page of the analytics projection's relationships: every relationship leaving the next
// $limit entities by id (keyset paging on the id constraint's index, in a read transaction,
// so cluster followers serve it), with only what the projection keeps: the two ends, the
// type, evidence count, best confidence and `year` (model.relation_year of the properties,
// stored by the writes). A page's last entity id comes back even when it has no
// relationship, as the cursor.
MATCH (a:Entity)
WHERE a.id > $after
WITH a ORDER BY a.id LIMIT $limit
OPTIONAL MATCH (a)-[r]->(b:Entity)
RETURN a.id, b.id, type(r), coalesce(r.evidence_count, 0), coalesce(r.confidence, 0.0),
       coalesce(r.year, 0)
