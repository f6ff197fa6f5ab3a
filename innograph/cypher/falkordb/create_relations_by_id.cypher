// create_relations for rows whose two ends' internal node ids the writer knows (it keeps
// the ids that entity_changes and create_entities return): the ends are found by id seek
// instead of two index lookups, about a quarter of a fresh relationship's server time.
// An id is only a hint (FalkorDB reuses the ids of deleted nodes): the node found must be
// the entity the row names, or the row is not created and not returned, and the caller
// writes it the slow way (upsert_relations). The ids are bound by WITH first: FalkorDB
// seeks by id only on a variable, and scans every node for `ID(a) = row[10]`. Rows are
// create_relations rows plus [source node id, target node id].
UNWIND $rows AS row
WITH row[9] AS i, row, row[10] AS s, row[11] AS t
MATCH (a) WHERE ID(a) = s
MATCH (b) WHERE ID(b) = t
WITH i, row, a, b
WHERE a.id = row[1] AND b.id = row[2] AND a:Entity AND b:Entity
OPTIONAL MATCH (a)-[old:{{REL_TYPE}}]->(b)
WITH i, row, a, b, old
WHERE old IS NULL
MERGE (a)-[r:{{REL_TYPE}}]->(b)
ON CREATE SET r.key = row[0], r.first_seen = $now, r.last_seen = $now,
    r.evidence_count = row[5], r.confidence = row[6], r.doc_ids = row[7], r.year = row[8],
    r.props_json = CASE WHEN row[3] = '' THEN '{}' ELSE row[3] END
WITH i, row
UNWIND row[4] AS ev
CREATE (:Evidence {rel_key: row[0], key: ev[0], doc_id: ev[1], sentence: ev[2],
    start: ev[3], end: ev[4], extractor: ev[5], confidence: ev[6]})
RETURN DISTINCT i
