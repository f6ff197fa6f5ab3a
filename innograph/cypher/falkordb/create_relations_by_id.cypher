// create_relations for rows whose two ends' internal node ids the writer knows (it keeps
// the ids that entity_changes and create_entities return): the ends are found by id seek
// instead of two index lookups, about a quarter of a fresh relationship's server time.
// An id is only a hint (FalkorDB reuses the ids of deleted nodes): the node found must be
// the entity the row names, or the row is not created and not returned, and the caller
// writes it the slow way (upsert_relations). The ids are bound by WITH first: FalkorDB
// seeks by id only on a variable, and scans every node for `ID(a) = row[7]`. Rows are
// create_relations rows plus [source node id, target node id].
UNWIND $rows AS row
WITH row[6] AS i, row, row[7] AS s, row[8] AS t
MATCH (a) WHERE ID(a) = s
MATCH (b) WHERE ID(b) = t
WITH i, row, a, b
WHERE a.id = row[0] AND b.id = row[1] AND a:Entity AND b:Entity
OPTIONAL MATCH (a)-[old:{{REL_TYPE}}]->(b)
WITH i, row, a, b, old
WHERE old IS NULL
WITH i, row, a, b, coalesce(row[5], row[0] + '|{{REL_TYPE}}|' + row[1]) AS key
MERGE (a)-[r:{{REL_TYPE}}]->(b)
ON CREATE SET r.key = key, r.first_seen = $now, r.last_seen = $now,
    r.evidence_count = size(row[3]),
    r.confidence = reduce(best = row[3][0][5], ev IN row[3] |
        CASE WHEN ev[5] > best THEN ev[5] ELSE best END),
    r.doc_ids = reduce(docs = [], ev IN row[3] |
        CASE WHEN ev[0] IN docs THEN docs ELSE docs + ev[0] END),
    r.year = row[4],
    r.props_json = CASE WHEN row[2] = '' THEN '{}' ELSE row[2] END
WITH i, row, key
UNWIND row[3] AS ev
CREATE (:Evidence {rel_key: key,
    key: coalesce(ev[6],
        key + '#' + ev[0] + ':' + toString(ev[2]) + ':' + toString(ev[3]) + ':' + ev[4]),
    doc_id: ev[0], sentence: ev[1], start: ev[2], end: ev[3], extractor: ev[4],
    confidence: ev[5]})
RETURN DISTINCT i
