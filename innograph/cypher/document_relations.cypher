// The relationships a document supports: of the relationships leaving the entities it
// names (or that its relationships end at), those listing it (a relationship's doc_ids are recounted from its evidence on
// every change). Found through the document, not through an index on evidence doc_id,
// which every evidence node written would have to update.
MATCH (d:Document {id: $id})
UNWIND d.entity_ids + coalesce(d.relation_ends, []) AS entity_id
MATCH (a:Entity {id: entity_id})-[r]->(:Entity)
WHERE $id IN r.doc_ids
RETURN r.key, r.evidence_count, r.confidence, r.doc_ids, r.props_json
ORDER BY r.key
