// One row per relationship of type {{REL_TYPE}}, positional (see queries.relation_row):
// [key, source, target, props_json, [[key, doc_id, sentence, start, end, extractor,
// confidence], ...], year of props_json]. Evidence nodes are MERGEd by key, then the
// counters are recomputed from all evidence of the relationship, so they never double
// count. `year` (what projection._year reads from the properties) is kept for bulk reads.
UNWIND $rows AS row
MATCH (a:Entity {id: row[1]})
MATCH (b:Entity {id: row[2]})
MERGE (a)-[r:{{REL_TYPE}}]->(b)
ON CREATE SET r.key = row[0], r.first_seen = $now, r.evidence_count = 0,
    r.confidence = 0.0, r.doc_ids = [], r.props_json = '{}'
SET r.last_seen = $now,
    r.props_json = CASE WHEN row[3] = '' THEN r.props_json ELSE row[3] END,
    r.year = CASE WHEN row[3] = '' THEN coalesce(r.year, 0) ELSE row[5] END
WITH r, row
UNWIND row[4] AS ev
MERGE (e:Evidence {rel_key: row[0], key: ev[0]})
ON CREATE SET e.doc_id = ev[1], e.sentence = ev[2],
    e.start = ev[3], e.end = ev[4], e.extractor = ev[5], e.confidence = ev[6]
WITH DISTINCT r, row
MATCH (e:Evidence {rel_key: row[0]})
WITH r, count(e) AS n, max(e.confidence) AS best, collect(DISTINCT e.doc_id) AS docs
SET r.evidence_count = n, r.confidence = best, r.doc_ids = docs
