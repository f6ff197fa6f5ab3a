// The entities a document names (before it is deleted: they may be left orphaned).
MATCH (d:Document {id: $id})
RETURN d.entity_ids
