// New relationships of type {{REL_TYPE}} and their evidence in one pass, with the counters
// computed by the caller (what recounting a new relationship's evidence gives), so a fresh
// write costs no recount. A row whose relationship exists already is filtered out before
// anything is written, and not returned: the caller upserts it (upsert_relations). The
// filter precedes every SET (FalkorDB mis-filters a WHERE on a property SET earlier in the
// same query). Rows are queries.new_relation_row: [key, source, target, props_json,
// [[key, doc_id, sentence, start, end, extractor, confidence], ...], evidence_count,
// confidence, doc_ids, year, position]. Returns the positions of the rows it created.
UNWIND $rows AS row
WITH row[9] AS i, row
MATCH (a:Entity {id: row[1]})
MATCH (b:Entity {id: row[2]})
OPTIONAL MATCH (a)-[old:{{REL_TYPE}}]->(b)
WITH i, row, a, b, old
WHERE old IS NULL
MERGE (a)-[r:{{REL_TYPE}}]->(b)
ON CREATE SET r.key = row[0], r.first_seen = $now, r.last_seen = $now,
    r.evidence_count = row[5], r.confidence = row[6], r.doc_ids = row[7], r.year = row[8],
    r.props_json = CASE WHEN row[3] = '' THEN '{}' ELSE row[3] END
WITH i, row
UNWIND row[4] AS ev
MERGE (e:Evidence {rel_key: row[0], key: ev[0]})
ON CREATE SET e.doc_id = ev[1], e.sentence = ev[2],
    e.start = ev[3], e.end = ev[4], e.extractor = ev[5], e.confidence = ev[6]
RETURN DISTINCT i
