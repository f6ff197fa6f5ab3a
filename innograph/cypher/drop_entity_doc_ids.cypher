// Layout 2, second step (after migrate_entity_documents): entities lose their doc_ids lists.
MATCH (n:Entity)
WHERE n.doc_ids IS NOT NULL
SET n.doc_ids = null
