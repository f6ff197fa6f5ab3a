// One row per relationship of type {{REL_TYPE}}. Evidence nodes are MERGEd by key, then the
// counters are recomputed from all evidence of the relationship, so they never double count.
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})
MATCH (b:Entity {id: row.target})
MERGE (a)-[r:{{REL_TYPE}}]->(b)
ON CREATE SET r.key = row.key, r.first_seen = $now, r.evidence_count = 0,
    r.confidence = 0.0, r.doc_ids = [], r.props_json = '{}'
SET r.last_seen = $now,
    r.props_json = CASE WHEN row.props_json = '' THEN r.props_json ELSE row.props_json END
WITH r, row
UNWIND row.evidence AS ev
MERGE (e:Evidence {key: ev.key})
ON CREATE SET e.rel_key = row.key, e.doc_id = ev.doc_id, e.sentence = ev.sentence,
    e.start = ev.start, e.end = ev.end, e.extractor = ev.extractor,
    e.confidence = ev.confidence
WITH DISTINCT r, row
MATCH (e:Evidence {rel_key: row.key})
WITH r, count(e) AS n, max(e.confidence) AS best, collect(DISTINCT e.doc_id) AS docs
SET r.evidence_count = n, r.confidence = best, r.doc_ids = docs
