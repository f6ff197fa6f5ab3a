// New relationships of type {{REL_TYPE}} and their evidence in one pass. A row whose
// relationship exists already is filtered out before anything is written, and not
// returned: the caller upserts it (upsert_relations). The filter precedes every SET
// (FalkorDB mis-filters a WHERE on a property SET earlier in the same query). Rows are
// queries.new_relation_row: [source, target, props_json, [[doc_id, sentence, start, end,
// extractor, confidence(, key)], ...], year, key or null, position]. The keys are built here, as
// queries.relation_key and evidence_node_key build them, and the counters are what
// recounting a new relationship's evidence gives (count, best confidence, distinct
// documents in order), so a fresh write sends no key text and costs no recount. Returns
// the positions of the rows it created.
UNWIND $rows AS row
WITH row[6] AS i, row, coalesce(row[5], row[0] + '|{{REL_TYPE}}|' + row[1]) AS key
MATCH (a:Entity {id: row[0]})
MATCH (b:Entity {id: row[1]})
OPTIONAL MATCH (a)-[old:{{REL_TYPE}}]->(b)
WITH i, row, key, a, b, old
WHERE old IS NULL
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
MERGE (e:Evidence {rel_key: key,
    key: coalesce(ev[6],
        key + '#' + ev[0] + ':' + toString(ev[2]) + ':' + toString(ev[3]) + ':' + ev[4])})
ON CREATE SET e.doc_id = ev[0], e.sentence = ev[1],
    e.start = ev[2], e.end = ev[3], e.extractor = ev[4], e.confidence = ev[5]
RETURN DISTINCT i
