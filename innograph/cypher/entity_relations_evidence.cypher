// `entity_relations` with each relationship's best evidence, in one query: one consistent view
// of the graph, so an ingest writing between two round trips cannot pair a relationship with
// evidence (or documents) it did not have when it was read.
MATCH (n:Entity {id: $id})-[r]-(:Entity)
WITH DISTINCT r
ORDER BY r.evidence_count DESC, r.confidence DESC, r.key
SKIP $offset LIMIT $limit
OPTIONAL MATCH (e:Evidence {rel_key: r.key})
OPTIONAL MATCH (d:Document {id: e.doc_id})
WITH r, e, d
ORDER BY e.confidence DESC, e.doc_id, e.start
WITH r, collect(CASE WHEN e IS NULL THEN NULL ELSE
                [e.doc_id, e.sentence, e.start, e.end, e.extractor, e.confidence,
                 d.title, d.path, d.date] END) AS evidence
RETURN r.key, r.evidence_count, r.confidence, r.doc_ids, r.props_json, evidence[0..$per]
ORDER BY r.evidence_count DESC, r.confidence DESC, r.key
