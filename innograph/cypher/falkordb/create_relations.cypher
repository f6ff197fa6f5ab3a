// FalkorDB runs one write query at a time, so a relationship that did not exist when the
// row passed the filter is created by this very query and none of its evidence can exist:
// evidence is CREATEd without the index probe a MERGE costs (the shared query MERGEs it,
// for engines that run writes concurrently). Otherwise as the shared create_relations,
// which documents the rows: [source, target, props_json, [[doc_id, sentence, start, end,
// extractor, confidence(, key)], ...], year, key or null, position].
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
CREATE (:Evidence {rel_key: key,
    key: coalesce(ev[6],
        key + '#' + ev[0] + ':' + toString(ev[2]) + ':' + toString(ev[3]) + ':' + ev[4]),
    doc_id: ev[0], sentence: ev[1], start: ev[2], end: ev[3], extractor: ev[4],
    confidence: ev[5]})
RETURN DISTINCT i
