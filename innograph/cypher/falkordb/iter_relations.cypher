// One page: the relationships whose source entity's internal id is in [$lo, $hi) (see
// iter_entities for why ID ranges).
MATCH (a:Entity)-[r]->(:Entity)
WHERE ID(a) >= $lo AND ID(a) < $hi
RETURN r.key, r.evidence_count, r.confidence, r.doc_ids, r.props_json
